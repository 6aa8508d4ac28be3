"""What the NumPy script and the PyTorch script share: the head, the settings, the data, the
batch loop (the engine's generator calls), the evaluations and the result.

Every value from the preset is written as a repr() literal or through `visible` into a
one-line comment: nothing in a preset can become code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.codegen_lines import array_literal, docstring_safe, rule_text
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.safe_text import identifier, visible
from tui_nn.i18n import t

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer

#: More numbers than this and the arrays go to a companion .npz instead of the script.
EMBED_LIMIT = 5000


@dataclass
class GeneratedCode:
    """The script's text, and the arrays it loads from its companion .npz (if any)."""

    source: str
    companion: str | None = None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    #: Where each part of the script starts: (its name, offset of its first line in source),
    #: so that a notebook can split the same lines into cells.
    parts: list[tuple[str, int]] = field(default_factory=list)


def nice_print_every(total_steps: int, lines: int = 20) -> int:
    """1, 2, 5, 10, 20, 50, ...: the smallest that prints at most about `lines` lines."""
    scale = 1
    while True:
        for m in (1, 2, 5):
            if total_steps <= lines * m * scale:
                return m * scale
        scale *= 10


class ScriptWriter:
    """Builds a script one section at a time, with comments in `lang`. Subclasses say how an
    array is written (`lib`: "np" or "torch") and how the network's output is computed."""

    lib = "np"

    def __init__(self, trainer: Trainer, lang: str, print_every: int | None, companion: str):
        self.tr, self.cfg, self.net = trainer, trainer.cfg, trainer.net.cfg
        self.lang, self.companion = lang, companion
        self.n_layers = len(trainer.net.layers)
        self.total = trainer.total_steps
        self.print_every = print_every or nice_print_every(self.total)
        self.constants = {**OPTIMIZERS[self.cfg.optimizer].defaults, **self.cfg.constants}
        self.lines: list[str] = []
        self.parts: list[tuple[str, int]] = []
        self.arrays: dict[str, np.ndarray] = {}
        d = trainer.data
        self.data = {"x_train": d.x_train, "d_train": d.d_train, "x_test": d.x_test}
        self.data["d_test"] = d.d_test
        if trainer.forward_only:  # inputs only: the targets are NaN placeholders
            self.data = {"x_train": d.x_train}
        self.data_in_file = sum(a.size for a in self.data.values()) > EMBED_LIMIT
        self.weights_big = sum(a.size for a in trainer.initial.values()) > EMBED_LIMIT

    def c(self, key: str, **values: object) -> str:
        """A comment text: on one line whatever the values hold (they may come from a file)."""
        return visible(t(key, self.lang, **values))

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def part(self, name: str) -> None:
        """Mark where the part `name` starts, as an offset in the source (a line may hold
        several: an array literal)."""
        self.parts.append((name, sum(len(line) + 1 for line in self.lines)))

    def section(self, key: str) -> None:
        title = f"# ---- {self.c(key)} "
        self.part(key)
        self.add("", "", title + "-" * max(4, 78 - len(title)))

    def source(self) -> GeneratedCode:
        text = "\n".join(self.lines) + "\n"
        return GeneratedCode(text, self.companion if self.arrays else None, self.arrays, self.parts)

    # ---- head, settings, data ------------------------------------------------------------

    def head(self, file_name: str, doc_keys: tuple[str, str], imports: list[str]) -> None:
        p = self.tr.preset
        desc = (p.description_ja if self.lang == "ja" else "") or p.description
        name = (p.name_ja if self.lang == "ja" else "") or p.name
        written, same = (docstring_safe(self.c(k, name=p.name, file=file_name)) for k in doc_keys)
        self.add(f'"""{docstring_safe(name + (f": {desc}" if desc else ""))}', "")
        self.add(written, same, '"""', "")
        self.part("imports")
        self.add(*imports)

    @property
    def draws(self) -> bool:
        """Each batch drawn with replacement (the course's np.random.choice)."""
        return self.cfg.order == "with_replacement"

    def settings(self) -> None:
        self.section("code_sec_settings")
        if not self.tr.forward_only:
            self.add(*self._run_settings())
            for i, (k, v) in enumerate(self.constants.items()):
                note = f"  # {self.c('code_constants', name=self.cfg.optimizer)}" if i == 0 else ""
                value = bool(v) if k in OPTIMIZERS[self.cfg.optimizer].flags else float(v)
                self.add(f"{identifier(k)} = {value!r}{note}")
        if "leaky_relu" in [*self.net.hidden_activations, self.net.output]:
            self.add(f"leaky_slope = {float(self.net.leaky_slope)!r}  # leaky ReLU: f(u) = a·u")
        self.add(f"dtype = {self.lib}.{identifier(self.cfg.dtype)}  # {self.c('code_dtype')}")

    def _run_settings(self) -> list[str]:
        cfg, tr, n = self.cfg, self.tr, self.tr.n_train
        b = tr.batch_size
        note = "code_batch_full" if b == n else "code_batch_one" if b == 1 else "code_batch_mini"
        lines = [f"learning_rate = {float(cfg.lr)!r}  # {self.c('code_lr')}"]
        if self.draws or cfg.steps:
            lines.append(f"iters_num = {int(self.total)}  # {self.c('code_iters')}")
        if not self.draws:
            epochs = -(-self.total // tr.steps_per_epoch)
            lines.append(f"epochs = {int(epochs)}  # {self.c('code_epochs')}")
        lines.append(f"batch_size = {int(b)}  # {self.c(note, n=n)}")
        if cfg.order != "in_order":
            lines.append(f"seed = {int(cfg.seed)}  # {self.c('code_seed_' + cfg.order)}")
        if cfg.reduction == "sum":
            lines.append(f"# {self.c('code_reduction_sum')}")
        if cfg.lr_decay_every:
            lines.append(f"lr_decay_every = {int(cfg.lr_decay_every)}  # {self.c('code_decay')}")
            lines.append(f"lr_decay_factor = {float(cfg.lr_decay_factor)!r}")
        if cfg.weight_decay:
            wd = float(cfg.weight_decay)
            lines.append(f"weight_decay = {wd!r}  # {self.c('code_weight_decay')}")
        lines.append(f"frozen = {[str(k) for k in cfg.freeze]!r}  # {self.c('code_frozen')}")
        if self.evaluates:
            lines.append(f"eval_every = {int(cfg.eval_every)}  # {self.c('code_eval_every')}")
        lines.append(f"print_every = {self.print_every}  # {self.c('code_print_every')}")
        return lines

    def array(self, name: str, a: np.ndarray) -> str:
        """The line that makes the data array `name` (from the companion file when big)."""
        lib = self.lib
        if self.data_in_file:
            self.arrays[name] = a
            loaded = f"arrays[{name!r}]"
            if lib == "torch":
                loaded = f"torch.from_numpy({loaded}).to(dtype)"
            return f"{name} = {loaded}"
        if a.size == 0:
            return f"{name} = {lib}.zeros({tuple(int(n) for n in a.shape)!r}, dtype=dtype)"
        make = "torch.tensor" if lib == "torch" else "np.array"
        return f"{name} = {make}({array_literal(a)}, dtype=dtype)"

    def data_section(self, load_arrays: bool) -> None:
        self.section("code_sec_data")
        names = self.tr.data.feature_names
        if names:
            self.add(f"# x: {visible(', '.join(names))}")
        if load_arrays:
            self.add(f"# {self.c('code_data_file', file=self.companion)}")
            self.add(f"arrays = np.load(Path(__file__).with_name({self.companion!r}))")
        self.add(*(self.array(k, a) for k, a in self.data.items()))
        self.add("n_train = len(x_train)")

    # ---- the batch loop --------------------------------------------------------------------

    def loop_head(self) -> str:
        """The loop over the batches, drawn with the engine's generator calls: one
        `rng.permutation(n_train)` an epoch, or one `rng.choice(n_train, size=batch_size)` a
        step, from `np.random.default_rng(seed)`. Returns the indent of the loop's body, whose
        first lines number the update t and take its batch x, d."""
        take = "x, d = x_train[idx], d_train[idx]"
        if self.cfg.order != "in_order":
            self.add(f"rng = np.random.default_rng(seed)  # {self.c('code_rng')}")
        if self.draws:
            draw = self.index("rng.choice(n_train, size=batch_size)")
            self.add("for t in range(1, iters_num + 1):  # " + self.c("code_t_now"))
            self.add(f"    idx = {draw}  # {self.c('code_choice')}", f"    {take}")
            return "    "
        order = "rng.permutation(n_train)" if self.cfg.order == "shuffle" else "np.arange(n_train)"
        self.add("t = 0  # " + self.c("code_t"), "for epoch in range(epochs):")
        self.add(f"    order = {order}  # {self.c('code_order')}")
        self.add("    for start in range(0, n_train, batch_size):", "        t += 1")
        self.add(f"        idx = {self.index('order[start : start + batch_size]')}")
        self.add(f"        {take}")
        return " " * 8

    def index(self, expr: str) -> str:
        return expr

    def batch_error(self, error: str) -> str:
        """E of the batch as the engine reports it: the mean, or for reduction "sum" the mean
        times the batch size (the engine's own arithmetic, to the last bit)."""
        return f"{error} * len(y)" if self.cfg.reduction == "sum" else error

    def lr_line(self) -> list[str]:
        if not self.cfg.lr_decay_every:
            return []
        decay = "lr_decay_factor ** ((t - 1) // lr_decay_every)"
        return [f"lr = learning_rate * {decay}  # {self.c('code_lr_now')}"]

    def eps_zero_check(self, finite: str) -> list[str]:
        """With ε = 0 a 0/0 gives NaN in the update: stop as the engine does, naming ε."""
        if self.constants.get("eps", 1) != 0:
            return []
        message = f'f"t = {{t}}: " + {self.c("code_eps_zero")!r}'
        return [f"if not {finite}:", f"    raise SystemExit({message})"]

    def end_of_body(self, indent: str) -> None:
        """Print E, the course's accuracies every eval_every updates, and stop at iters_num
        inside an epoch."""
        self.add(f"{indent}if t == 1 or t % print_every == 0:")
        self.add(f'{indent}    print(f"t = {{t:6d}}   E = {{E}}")')
        if self.evaluates:
            self.add(f"{indent}if t % eval_every == 0:  # {self.c('code_eval_when')}")
            batch = self.cfg.eval_train == "batch"
            x, d = ("x", "d") if batch else ("x_train", "d_train")
            evals = [("train", x, d, "code_eval_train")]
            if len(self.tr.data.x_test):
                evals.append(("test", "x_test", "d_test", "code_eval_test"))
            for part, x, d, _key in evals:
                self.add(f"{indent}    accr_{part} = accuracy({self.output_of(x)}, {d})")
            for part, _x, _d, key in evals:
                text = t(key, self.lang, t="{t}", accuracy="{accr_" + part + "}")
                self.add(f"{indent}    print(f{visible(text)!r})")
        if not self.draws and self.total % self.tr.steps_per_epoch:
            self.add(f"{indent}if t == iters_num:  # {self.c('code_iters_end')}")
            self.add(f"{indent}    break")

    @property
    def evaluates(self) -> bool:
        """The preset evaluates every eval_every updates, and the network classifies."""
        return bool(self.cfg.eval_every) and self.tr.is_classification

    def output_of(self, x: str) -> str:
        raise NotImplementedError

    def update_comments(self, indent: str) -> None:
        self.add(f"{indent}# {self.c('code_update', name=self.cfg.optimizer)}:")
        rule = rule_text(self.cfg.optimizer, self.constants)
        self.add(*(f"{indent}#   {part.strip()}" for part in rule.split(";")))

    def result(self, error: str, guard: str = "") -> None:
        """The error (and accuracy) on the training and test data after training; `error` is
        the expression of E with `{d}` for the targets; `guard` a `with` line around it."""
        self.section("code_sec_result")
        parts = [("train", "code_label_train")]
        if len(self.tr.data.x_test):
            parts.append(("test", "code_label_test"))
        ind = "    " if guard else ""
        self.add(*([guard] if guard else []))
        for part, label in parts:
            self.add(f"{ind}y = {self.output_of('x_' + part)}")
            line = f"print({self.c(label) + ':  E ='!r}, {error.format(d='d_' + part)}"
            if self.tr.is_classification:
                accuracy = f"  {self.c('code_label_accuracy')} ="
                line += f", {accuracy!r}, accuracy(y, d_{part})"
            self.add(f"{ind}{line})")

    def print_vec(self) -> None:
        """The course's helper that prints an array under a label."""
        self.add("", "def print_vec(text, vec):", '    print("*** " + text + " ***")')
        self.add("    print(vec)", '    print("")')
