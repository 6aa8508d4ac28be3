"""The experiment as code: a standalone NumPy script in the course's style.

The script is written out layer by layer (`u1 = np.dot(x, W1) + b1`, `z1 = sigmoid(u1)`,
`delta2`, `grad['W1']`) from a Trainer: its data arrays, initial weights and settings. Every
line does the same arithmetic in the same order as the engine, so its errors E equal the
engine's to the last bit in practice (the tests ask 1e-9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.activations import get_activation
from tui_nn.core.codegen_lines import (
    DE_DY,
    LOSS,
    STATE,
    UPDATE,
    array_literal,
    block,
    derivative_line,
    docstring_safe,
    forward_line,
)
from tui_nn.core.errors import config_error
from tui_nn.core.files import check_free, write_text
from tui_nn.core.losses import is_fused
from tui_nn.core.network import DEFAULT_STD
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.safe_text import identifier, visible
from tui_nn.core.weights import save_arrays
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


class _Writer:
    """Builds the script, one section at a time, with comments in `lang`."""

    def __init__(self, trainer: Trainer, lang: str, print_every: int | None, companion: str):
        self.tr = trainer
        self.cfg = trainer.cfg
        self.net = trainer.net.cfg
        self.lang = lang
        self.n_layers = len(trainer.net.layers)
        self.total = self.cfg.epochs * trainer.steps_per_epoch
        self.print_every = print_every or nice_print_every(self.total)
        self.lines: list[str] = []
        self.parts: list[tuple[str, int]] = []
        self.arrays: dict[str, np.ndarray] = {}
        self.companion = companion
        data = trainer.data
        self.data = {
            "x_train": data.x_train,
            "d_train": data.d_train,
            "x_test": data.x_test,
            "d_test": data.d_test,
        }
        n_data = sum(a.size for a in self.data.values())
        self.data_in_file = n_data > EMBED_LIMIT
        self.given = bool(self.net.weights)
        n_weights = sum(a.size for a in trainer.initial.values())
        self.weights_in_file = self.given and n_weights > EMBED_LIMIT

    def c(self, key: str, **values: object) -> str:
        """A comment text: on one line whatever the values hold (they may come from a file)."""
        return visible(t(key, self.lang, **values))

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def part(self, name: str) -> None:
        """Mark where the part `name` starts, as an offset in the source (a line may hold
        several: an array literal)."""
        self.parts.append((name, sum(len(line) + 1 for line in self.lines)))

    def section(self, key: str, **values: object) -> None:
        title = f"# ---- {self.c(key, **values)} "
        self.part(key)
        self.add("", "", title + "-" * max(4, 78 - len(title)))

    # ---- the parts of the script, in order ----------------------------------------------

    def docstring(self, file_name: str) -> None:
        p = self.tr.preset
        desc = (p.description_ja if self.lang == "ja" else "") or p.description
        name = (p.name_ja if self.lang == "ja" else "") or p.name
        head = docstring_safe(name + (f": {desc}" if desc else ""))
        self.add(
            f'"""{head}',
            "",
            docstring_safe(self.c("code_doc_written", name=p.name, file=file_name)),
            docstring_safe(self.c("code_doc_same")),
            '"""',
            "",
        )
        self.part("imports")
        self.add("import numpy as np")
        if self.data_in_file or self.weights_in_file:
            self.add("from pathlib import Path")

    def settings(self) -> None:
        cfg, n = self.cfg, self.tr.n_train
        self.section("code_sec_settings")
        b = self.tr.batch_size
        batch_note = (
            "code_batch_full" if b == n else "code_batch_one" if b == 1 else "code_batch_mini"
        )
        self.add(
            f"learning_rate = {cfg.lr!r}  # {self.c('code_lr')}",
            f"epochs = {cfg.epochs}  # {self.c('code_epochs')}",
            f"batch_size = {b}  # {self.c(batch_note, n=n)}",
            f"shuffle = {cfg.shuffle}  # {self.c('code_shuffle')}",
        )
        if cfg.shuffle:
            self.add(f"seed = {cfg.seed}  # {self.c('code_seed')}")
        if cfg.lr_decay_every:
            self.add(
                f"lr_decay_every = {cfg.lr_decay_every}  # {self.c('code_decay')}",
                f"lr_decay_factor = {cfg.lr_decay_factor!r}",
            )
        if cfg.weight_decay:
            self.add(f"weight_decay = {cfg.weight_decay!r}  # {self.c('code_weight_decay')}")
        if cfg.freeze:
            self.add(f"frozen = {list(cfg.freeze)!r}  # {self.c('code_frozen')}")
        constants = {**OPTIMIZERS[cfg.optimizer].defaults, **cfg.constants}
        for i, (k, v) in enumerate(constants.items()):
            note = f"  # {self.c('code_constants', name=cfg.optimizer)}" if i == 0 else ""
            self.add(f"{identifier(k)} = {float(v)!r}{note}")
        if "leaky_relu" in self.net.hidden_activations:
            self.add(f"leaky_slope = {self.net.leaky_slope!r}  # leaky ReLU: f(u) = a·u (u ≤ 0)")
        self.add(
            f"dtype = np.{self.cfg.dtype}  # {self.c('code_dtype')}",
            f"print_every = {self.print_every}  # {self.c('code_print_every')}",
        )

    def data_section(self) -> None:
        self.section("code_sec_data")
        names = self.tr.data.feature_names
        if names:
            self.add(f"# x: {visible(', '.join(names))}")
        if self.data_in_file:
            self.arrays.update(self.data)
            self.add(
                f"# {self.c('code_data_file', file=self.companion)}",
                f"arrays = np.load(Path(__file__).with_name({self.companion!r}))",
            )
            self.add(*(f"{k} = arrays[{k!r}]" for k in self.data))
        else:
            for name, a in self.data.items():
                if a.size == 0:
                    self.add(f"{name} = np.zeros({a.shape!r}, dtype=dtype)")
                else:
                    self.add(f"{name} = np.array({array_literal(a)}, dtype=dtype)")
        self.add("n_train = len(x_train)")

    def functions(self) -> None:
        self.section("code_sec_functions")
        hidden = list(dict.fromkeys(self.net.hidden_activations))
        out = self.net.output
        for name in dict.fromkeys([*hidden, out]):
            if name == "softmax":
                self.add("", *block("softmax", self.c("code_softmax_shift")))
                continue
            self.add("", f"def {identifier(name)}(u):", f"    return {forward_line(name)}")
        for name in dict.fromkeys(hidden + ([out] if self._output_uses_derivative() else [])):
            formula = get_activation(name, self.net.leaky_slope).derivative_formula
            self.add(
                "",
                f"def d_{name}(z):",
                f"    # {formula}, z = {name}(u)",
                f"    return {derivative_line(name)}",
            )
        fn, expr = LOSS[self.net.loss]
        self.part("loss")
        self.add("", f"def {fn}(y, d):", f"    # {self.c('code_sec_loss')}")
        if "log" in expr:
            self.add(f"    # {self.c('code_log_guard')}")
        self.add(f"    return float(np.sum({expr})) / len(y)")
        if self.tr.is_classification:
            self.add("", *block("accuracy", self.c("code_accuracy")))

    def _output_uses_derivative(self) -> bool:
        out = self.tr.net
        return not is_fused(out.loss, out.output) and self.net.output not in ("softmax", "identity")

    def init(self) -> None:
        self.section("code_sec_init")
        self.add("network = {}")
        if self.given:
            self._init_given()
        else:
            self._init_drawn()
        if self.cfg.freeze:
            self.add("trainable = [key for key in network if key not in frozen]")

    def _init_given(self) -> None:
        self.add(f"# {self.c('code_init_given')}")
        if self.weights_in_file:
            self.arrays.update({f"initial_{k}": v for k, v in self.tr.initial.items()})
            if not self.data_in_file:
                self.add(f"arrays = np.load(Path(__file__).with_name({self.companion!r}))")
            for k in self.tr.initial:
                self.add(f"network[{k!r}] = arrays[{'initial_' + k!r}]")
            return
        for k, v in self.tr.initial.items():
            self.add(f"network[{k!r}] = np.array({array_literal(v)}, dtype=dtype)")

    def _init_drawn(self) -> None:
        net = self.net
        self.add(
            f"rng_init = np.random.default_rng({net.seed})  "
            f"# {self.c('code_init_drawn', seed=net.seed)}"
        )
        draw = "rng_init.standard_normal"
        if net.init == "truncated_normal":
            draw = "truncated_normal"
            self.add("", "", *block("truncated_normal", self.c("code_truncated")), "", "")
        for i in range(1, self.n_layers + 1):
            n_in, n_out = net.layers[i - 1], net.layers[i]
            scale = self._scale(n_in)
            self.add(
                f"network['W{i}'] = ({draw}(({n_in}, {n_out})) * {scale}).astype(dtype)"
                + (f"  # {self.c('code_init_' + net.init)}" if i == 1 else ""),
                f"network['b{i}'] = np.zeros({n_out}, dtype=dtype)",
            )

    def _scale(self, n_in: int) -> str:
        """The standard deviation each W is drawn with, written as network._draw computes it."""
        init, std = self.net.init, self.net.init_std
        if init == "xavier":
            return f"(1 / np.sqrt({n_in}))"
        if init == "he":
            return f"np.sqrt(2 / {n_in})"
        return repr(float(std if std is not None else DEFAULT_STD[init]))

    def _zs(self) -> str:
        return ", ".join([*(f"z{i}" for i in range(1, self.n_layers)), "y"])

    def forward(self) -> None:
        self.section("code_sec_forward")
        L = self.n_layers
        self.add("def forward(x):")
        self._unpack("W", "b")
        z_prev = "x"
        acts = [*self.net.hidden_activations, self.net.output]
        for i in range(1, L + 1):
            z = "y" if i == L else f"z{i}"
            note = f"  # {self.c('code_output_y')}" if i == L else ""
            self.add(
                f"    u{i} = np.dot({z_prev}, W{i}) + b{i}", f"    {z} = {acts[i - 1]}(u{i}){note}"
            )
            z_prev = z
        self.add(f"    return {self._zs()}")

    def _unpack(self, *kinds: str) -> None:
        L = self.n_layers
        for p in kinds:
            names = ", ".join(f"{p}{i}" for i in range(1, L + 1))
            self.add(f"    {names} = " + ", ".join(f"network['{p}{i}']" for i in range(1, L + 1)))

    def backward(self) -> None:
        self.section("code_sec_backward")
        L, net = self.n_layers, self.net
        self.add(f"def backward(x, d, {self._zs()}):", "    grad = {}")
        self._unpack("W")
        self.add(f"    n = len(x)  # {self.c('code_batch_n')}")
        self.add(*(f"    {s}" for s in self._output_delta(L)))
        hidden = net.hidden_activations
        for i in range(L, 0, -1):
            z_prev = "x" if i == 1 else f"z{i - 1}"
            self.add(
                f"    grad['W{i}'] = np.dot({z_prev}.T, delta{i})",
                f"    grad['b{i}'] = np.sum(delta{i}, axis=0)",
            )
            if i > 1:
                self.add(
                    f"    # {self.c('code_delta_hidden', l=i - 1, next=i)}",
                    f"    delta{i - 1} = np.dot(delta{i}, W{i}.T) * d_{hidden[i - 2]}(z{i - 1})",
                )
        self.add("    return grad")

    def _output_delta(self, L: int) -> list[str]:
        net, out = self.tr.net, self.net.output
        if is_fused(net.loss, net.output):
            return [f"# {self.c('code_delta_fused_' + out)}", f"delta{L} = (y - d) / n"]
        g = DE_DY[self.net.loss]
        if out == "softmax":
            return [
                f"# {self.c('code_delta_softmax')}",
                f"g = {g}",
                f"delta{L} = y * (g - np.sum(g * y, axis=1, keepdims=True)) / n",
            ]
        if out == "identity":
            return [f"# {self.c('code_delta_chain')}", f"delta{L} = {g} / n"]
        return [f"# {self.c('code_delta_chain')}", f"delta{L} = {g} * d_{out}(y) / n"]

    def training(self) -> None:
        cfg = self.cfg
        self.section("code_sec_train")
        state = STATE.get(cfg.optimizer)
        if state:
            self.add(f"# {self.c('code_state')}")
            for s in state.split(", "):
                self.add(f"{s} = {{key: np.zeros_like(value) for key, value in network.items()}}")
        self.part("loop")
        if cfg.shuffle:
            self.add("rng = np.random.default_rng(seed)")
        if not cfg.lr_decay_every:
            self.add("lr = learning_rate")
        self.add("t = 0  # " + self.c("code_t"), "for epoch in range(epochs):")
        order = "rng.permutation(n_train)" if cfg.shuffle else "np.arange(n_train)"
        self.add(
            f"    order = {order}  # {self.c('code_order')}",
            "    for start in range(0, n_train, batch_size):",
            "        idx = order[start : start + batch_size]",
            "        x, d = x_train[idx], d_train[idx]",
            f"        {self._zs()} = forward(x)",
            f"        E = {LOSS[self.net.loss][0]}(y, d)",
            "        if not np.isfinite(E):",
            f'            raise SystemExit(f"t = {{t + 1}}: " + {self.c("code_diverged")!r})',
            f"        grad = backward(x, d, {self._zs()})",
        )
        if cfg.weight_decay:
            ws = ", ".join(f"'W{i}'" for i in range(1, self.n_layers + 1))
            self.add(
                f"        for key in ({ws}):  # {self.c('code_weight_decay')}",
                "            grad[key] = grad[key] + weight_decay * network[key]",
            )
        if cfg.lr_decay_every:
            self.add(
                f"        lr = learning_rate * lr_decay_factor ** (t // lr_decay_every)"
                f"  # {self.c('code_lr_now')}"
            )
        rule = OPTIMIZERS[cfg.optimizer].rule
        rules = [f"        #   {part.strip()}" for part in rule.split(";")]
        self.add(
            "        t += 1",
            f"        # {self.c('code_update', name=cfg.optimizer)}:",
            *rules,
            f"        for key in {'trainable' if cfg.freeze else 'network'}:",
        )
        self.add(*(f"            {line}" for line in UPDATE[cfg.optimizer]))
        self.add(
            "        if t == 1 or t % print_every == 0:",
            '            print(f"t = {t:6d}   E = {E}")',
        )

    def result(self) -> None:
        self.section("code_sec_result")
        parts = [("train", "code_label_train")]
        if len(self.tr.data.x_test):
            parts.append(("test", "code_label_test"))
        loss = LOSS[self.net.loss][0]
        for part, label in parts:
            self.add(f"{self._zs()} = forward(x_{part})")
            line = f"print({self.c(label) + ':  E ='!r}, {loss}(y, d_{part})"
            if self.tr.is_classification:
                accuracy = f"  {self.c('code_label_accuracy')} ="
                line += f", {accuracy!r}, accuracy(y, d_{part})"
            self.add(line + ")")


def _check_writable(trainer: Trainer) -> None:
    """Refuse, in one line, a setting the script does not reproduce yet (rather than differ)."""
    trainer.check_trainable()
    net, cfg = trainer.net.cfg, trainer.cfg
    drawn_b = net.bias_init == "normal" and not any(k[0] == "b" for k in net.weights)
    for fld, value, off in (
        ("train.reduction", cfg.reduction, cfg.reduction == "sum"),
        ("train.sampling", cfg.order, cfg.order == "with_replacement"),
        ("network.relu_grad_at_zero", net.relu_grad_at_zero, net.relu_grad_at_zero == 1),
        ("train.eps_in_sqrt", True, bool(cfg.constants.get("eps_in_sqrt"))),
        ("network.bias_init", net.bias_init, drawn_b),
    ):
        if off:
            raise config_error("code_err_setting", value=repr(value), field=fld)


def generate_code(
    trainer: Trainer,
    *,
    lang: str = "en",
    print_every: int | None = None,
    file_name: str = "experiment.py",
) -> GeneratedCode:
    """The standalone script for the trainer's preset, data, initial weights and settings.

    `print_every`: how often the script prints E (default: about 20 lines). `file_name`: the
    script's own name, used in its docstring and for its companion `<stem>_data.npz`, which
    holds the arrays when they are too many to write into the script.
    """
    _check_writable(trainer)
    companion = f"{Path(file_name).stem}_data.npz"
    w = _Writer(trainer, lang, print_every, companion)
    w.docstring(file_name)
    w.settings()
    w.data_section()
    w.functions()
    w.init()
    w.forward()
    w.backward()
    w.training()
    w.result()
    source = "\n".join(w.lines) + "\n"
    return GeneratedCode(source, companion if w.arrays else None, w.arrays, w.parts)


def write_code(
    path: Path | str,
    trainer: Trainer,
    *,
    lang: str = "en",
    print_every: int | None = None,
    overwrite: bool = False,
    torch: bool = False,
) -> list[Path]:
    """Write the script (and its companion .npz when needed); returns the files written.
    `torch`: the PyTorch script of codegen_torch instead of the NumPy one."""
    path = Path(path)
    generate = generate_code
    if torch:
        from tui_nn.core.codegen_torch import generate_torch_code as generate
    code = generate(trainer, lang=lang, print_every=print_every, file_name=path.name)
    written = []
    if code.companion:
        check_free(path, path.with_name(code.companion), overwrite=overwrite)
        written.append(
            save_arrays(path.with_name(code.companion), code.arrays, overwrite=overwrite)
        )
    written.insert(0, write_text(path, code.source, overwrite=overwrite))
    return written
