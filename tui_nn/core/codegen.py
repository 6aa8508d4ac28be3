"""The experiment as code: a standalone NumPy script in the course's style.

The script is written out layer by layer (`u1 = np.dot(x, W1) + b1`, `z1 = sigmoid(u1)`,
`delta2`, `grad['W1']`) from a Trainer: its data arrays, initial weights and settings. Every
line does the same arithmetic in the same order as the engine, and draws its random numbers
with the engine's generator calls, so its errors E and weights equal the engine's to the last
bit in practice (the tests ask 1e-12). A forward-only preset gives the course's 1_1: the
forward propagation, each u, z and y printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui_nn.core.activations import get_activation
from tui_nn.core.codegen_base import EMBED_LIMIT, GeneratedCode, ScriptWriter
from tui_nn.core.codegen_lines import (
    DE_DY,
    LOSS,
    STATE,
    array_literal,
    block,
    derivative_line,
    forward_line,
    update_lines,
)
from tui_nn.core.files import check_free, write_text
from tui_nn.core.losses import is_fused
from tui_nn.core.network import DEFAULT_STD
from tui_nn.core.safe_text import identifier
from tui_nn.core.weights import save_arrays

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer

__all__ = ["EMBED_LIMIT", "GeneratedCode", "generate_code", "write_code", "write_generated"]


class _Writer(ScriptWriter):
    """The NumPy script, one section at a time."""

    def __init__(self, trainer: Trainer, lang: str, print_every: int | None, companion: str):
        super().__init__(trainer, lang, print_every, companion)
        self.given = bool(self.net.weights)
        self.weights_in_file = self.given and self.weights_big
        self.acts = [*self.net.hidden_activations, self.net.output]

    def output_of(self, x: str) -> str:
        return f"forward({x})" if self._outs() == "y" else f"forward({x})[-1]"

    # ---- activations and which layers need u in backward ---------------------------------

    def _at_zero_1(self, i: int) -> bool:
        """Layer i's derivative is ReLU's with f'(0) = 1: it is written with u, not z."""
        return self.acts[i - 1] == "relu" and self.net.relu_grad_at_zero == 1

    def _uses_derivative(self, i: int) -> bool:
        if i < self.n_layers:
            return True
        fused = is_fused(self.tr.net.loss, self.tr.net.output)
        return not fused and self.net.output not in ("softmax", "identity")

    def _outs(self) -> str:
        """What forward returns: each z (y last), with u before it where backward needs it."""
        names = []
        for i in range(1, self.n_layers + 1):
            if self._at_zero_1(i) and self._uses_derivative(i):
                names.append(f"u{i}")
            names.append("y" if i == self.n_layers else f"z{i}")
        return ", ".join(names)

    def _derivative_of(self, i: int) -> str:
        z = "y" if i == self.n_layers else f"z{i}"
        return f"d_{self.acts[i - 1]}({f'u{i}' if self._at_zero_1(i) else z})"

    # ---- the parts of the script, in order ----------------------------------------------

    def functions(self) -> None:
        self.section("code_sec_functions")
        for name in dict.fromkeys(self.acts):
            if name == "softmax":
                self.add("", *block("softmax", self.c("code_softmax_shift")))
                continue
            self.add("", f"def {identifier(name)}(u):", f"    return {forward_line(name)}")
        if self.tr.forward_only:
            return
        used = [i for i in range(1, self.n_layers + 1) if self._uses_derivative(i)]
        for name in dict.fromkeys(self.acts[i - 1] for i in used):
            at_zero = self.net.relu_grad_at_zero
            formula = get_activation(name, self.net.leaky_slope, relu_at_zero=at_zero)
            if name == "relu" and at_zero == 1:
                note = f"{formula.derivative_formula}: {self.c('code_relu_u')}"
                head, body = ["def d_relu(u):", f"    # {note}"], derivative_line("relu_at_zero_1")
            else:
                note = f"{formula.derivative_formula}, z = {name}(u)"
                head, body = [f"def d_{name}(z):", f"    # {note}"], derivative_line(name)
            self.add("", *head, f"    return {body}")
        self.loss_function()

    def loss_function(self) -> None:
        fn, expr = LOSS[self.net.loss]
        self.part("loss")
        self.add("", f"def {fn}(y, d):", f"    # {self.c('code_sec_loss')}")
        if "log" in expr:
            self.add(f"    # {self.c('code_log_guard')}")
        self.add(f"    return float(np.sum({expr})) / len(y)")
        if self.tr.is_classification:
            self.add("", *block("accuracy", self.c("code_accuracy")))

    def init(self) -> None:
        self.section("code_sec_init")
        self.add("network = {}")
        if self.given:
            self._init_given()
        else:
            self._init_drawn()
        if not self.tr.forward_only:
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
        """Drawn as network.initial_params: one generator, W1 (b1 when drawn), W2, ... in order."""
        net = self.net
        seed_note = self.c("code_init_drawn", seed=net.seed)
        self.add(f"rng_init = np.random.default_rng({int(net.seed)})  # {seed_note}")
        draw = "rng_init.standard_normal"
        if net.init == "truncated_normal":
            draw = "truncated_normal"
            self.add("", "", *block("truncated_normal", self.c("code_truncated")), "", "")
        for i in range(1, self.n_layers + 1):
            n_in, n_out = net.layers[i - 1], net.layers[i]
            scale = self._scale(n_in)
            note = f"  # {self.c('code_init_' + net.init)}" if i == 1 else ""
            self.add(f"network['W{i}'] = ({draw}(({n_in}, {n_out})) * {scale}).astype(dtype){note}")
            if net.bias_init == "normal":
                note = f"  # {self.c('code_bias_drawn')}" if i == 1 else ""
                self.add(f"network['b{i}'] = ({draw}(({n_out},)) * {scale}).astype(dtype){note}")
            else:
                self.add(f"network['b{i}'] = np.zeros({n_out}, dtype=dtype)")

    def _scale(self, n_in: int) -> str:
        """The standard deviation each W is drawn with, written as network._draw computes it."""
        init, std = self.net.init, self.net.init_std
        if init == "xavier":
            return f"(1 / np.sqrt({n_in}))"
        if init == "he":
            return f"np.sqrt(2 / {n_in})"
        return repr(float(std if std is not None else DEFAULT_STD[init]))

    def forward(self) -> None:
        self.section("code_sec_forward")
        L = self.n_layers
        self.add("def forward(x):")
        self._unpack("W", "b")
        z_prev = "x"
        for i in range(1, L + 1):
            z = "y" if i == L else f"z{i}"
            note = f"  # {self.c('code_output_y')}" if i == L else ""
            self.add(f"    u{i} = np.dot({z_prev}, W{i}) + b{i}")
            self.add(f"    {z} = {self.acts[i - 1]}(u{i}){note}")
            z_prev = z
        self.add(f"    return {self._outs()}")

    def forward_run(self) -> None:
        """A forward-only preset: the course's 1_1, every u, z and y printed as print_vec does."""
        self.section("code_sec_forward_run")
        self.print_vec()
        self.add("", "x = x_train", f"print_vec({self.c('code_vec_x')!r}, x)")
        z_prev = "x"
        for i in range(1, self.n_layers + 1):
            last = i == self.n_layers
            z = "y" if last else f"z{i}"
            self.add(f"u{i} = np.dot({z_prev}, network['W{i}']) + network['b{i}']")
            self.add(f"{z} = {self.acts[i - 1]}(u{i})")
            self.add(f"print_vec({self.c('code_vec_u', l=i)!r}, u{i})")
            label = self.c("code_vec_y") if last else self.c("code_vec_z", l=i)
            self.add(f"print_vec({label!r}, {z})")
            z_prev = z

    def _unpack(self, *kinds: str) -> None:
        L = self.n_layers
        for p in kinds:
            names = ", ".join(f"{p}{i}" for i in range(1, L + 1))
            self.add(f"    {names} = " + ", ".join(f"network['{p}{i}']" for i in range(1, L + 1)))

    def backward(self) -> None:
        self.section("code_sec_backward")
        L = self.n_layers
        self.add(f"def backward(x, d, {self._outs()}):", "    grad = {}")
        self._unpack("W")
        if self.cfg.reduction == "sum":
            self.add(f"    n = 1  # {self.c('code_batch_sum')}")
        else:
            self.add(f"    n = len(x)  # {self.c('code_batch_n')}")
        self.add(*(f"    {s}" for s in self._output_delta(L)))
        for i in range(L, 0, -1):
            z_prev = "x" if i == 1 else f"z{i - 1}"
            self.add(
                f"    grad['W{i}'] = np.dot({z_prev}.T, delta{i})",
                f"    grad['b{i}'] = np.sum(delta{i}, axis=0)",
            )
            if i > 1:
                self.add(
                    f"    # {self.c('code_delta_hidden', l=i - 1, next=i)}",
                    f"    delta{i - 1} = np.dot(delta{i}, W{i}.T) * {self._derivative_of(i - 1)}",
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
        return [f"# {self.c('code_delta_chain')}", f"delta{L} = {g} * {self._derivative_of(L)} / n"]

    def training(self) -> None:
        cfg = self.cfg
        self.section("code_sec_train")
        state = STATE.get(cfg.optimizer)
        if state:
            self.add(f"# {self.c('code_state')}")
            for s in state.split(", "):
                self.add(f"{s} = {{key: np.zeros_like(value) for key, value in network.items()}}")
        self.part("loop")
        if not cfg.lr_decay_every:
            self.add("lr = learning_rate")
        ind = self.loop_head()
        error = self.batch_error(f"{LOSS[self.net.loss][0]}(y, d)")
        diverged = f'f"t = {{t}}: " + {self.c("code_diverged")!r}'
        self.add(
            f"{ind}{self._outs()} = forward(x)",
            f"{ind}E = {error}",
            f"{ind}if not np.isfinite(E):",
            f"{ind}    raise SystemExit({diverged})",
            f"{ind}grad = backward(x, d, {self._outs()})",
        )
        if cfg.weight_decay:
            ws = ", ".join(f"'W{i}'" for i in range(1, self.n_layers + 1))
            self.add(
                f"{ind}for key in ({ws}):  # {self.c('code_weight_decay')}",
                f"{ind}    grad[key] = grad[key] + weight_decay * network[key]",
            )
        self.add(*(ind + line for line in self.lr_line()))
        self.update_comments(ind)
        self.add(f"{ind}for key in trainable:")
        self.add(*(f"{ind}    {line}" for line in update_lines(cfg.optimizer, self.constants)))
        finite = "all(np.isfinite(network[key]).all() for key in trainable)"
        self.add(*(ind + line for line in self.eps_zero_check(finite)))
        self.end_of_body(ind)

    def result(self) -> None:  # type: ignore[override]
        super().result(f"{LOSS[self.net.loss][0]}(y, {{d}})")


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
    w = _Writer(trainer, lang, print_every, f"{Path(file_name).stem}_data.npz")
    imports = ["import numpy as np"]
    if w.data_in_file or w.weights_in_file:
        imports.append("from pathlib import Path")
    same = "code_doc_forward" if trainer.forward_only else "code_doc_same"
    w.head(file_name, ("code_doc_written", same), imports)
    w.settings()
    w.data_section(w.data_in_file)
    w.functions()
    w.init()
    if trainer.forward_only:
        w.forward_run()
        return w.source()
    w.forward()
    w.backward()
    w.training()
    w.result()
    return w.source()


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
    return write_generated(path, code, overwrite)


def write_generated(path: Path, code: GeneratedCode, overwrite: bool) -> list[Path]:
    """The text at `path` and its companion .npz next to it, both checked before either is
    written; returns the files written."""
    written = []
    if code.companion:
        check_free(path, path.with_name(code.companion), overwrite=overwrite)
        written.append(
            save_arrays(path.with_name(code.companion), code.arrays, overwrite=overwrite)
        )
    written.insert(0, write_text(path, code.source, overwrite=overwrite))
    return written
