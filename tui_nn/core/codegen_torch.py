"""The experiment as a PyTorch script: the next tool a student moves on to.

The script builds the same network as `torch.nn.Linear` layers (W of tui-nn is a Linear's
weight transposed) with the trainer's initial weights, takes the same data (embedded, or from
the companion .npz), draws the batches with NumPy's generator as the engine does, and updates
with `torch.optim` where it computes the course's rule. It prints E as the NumPy script does,
so in float64 its numbers equal the engine's to 1e-9. What PyTorch has no switch for (weight
decay of W only, the textbook momentum under lr decay, Adam's ε inside the square root) is
written out in a few lines that say so. Every string from the preset is a repr() literal or
goes through `visible` into a comment: nothing in a preset can become code.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.codegen import EMBED_LIMIT, GeneratedCode, nice_print_every
from tui_nn.core.codegen_lines import array_literal, docstring_safe
from tui_nn.core.errors import config_error
from tui_nn.core.losses import is_fused
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.safe_text import identifier, visible
from tui_nn.i18n import t

if TYPE_CHECKING:
    from tui_nn.core.presets import TrainConfig
    from tui_nn.core.trainer import Trainer

#: Hidden activations as torch.nn modules; `step` has none (see STEP).
MODULES = {
    "identity": "torch.nn.Identity()",
    "sigmoid": "torch.nn.Sigmoid()",
    "tanh": "torch.nn.Tanh()",
    "relu": "torch.nn.ReLU()",
    "leaky_relu": "torch.nn.LeakyReLU(leaky_slope)",
    "step": "Step()",
}
#: y = f(u) of the output layer.
OUTPUTS = {
    "identity": "u",
    "sigmoid": "torch.sigmoid(u)",
    "softmax": "torch.softmax(u, dim=1)",
    "tanh": "torch.tanh(u)",
    "relu": "torch.relu(u)",
    "leaky_relu": "torch.nn.functional.leaky_relu(u, leaky_slope)",
    "step": "Step()(u)",
}
#: E as the engine computes it (summed over the outputs and samples, divided by n).
LOSSES = {
    "sum_squared": "0.5 * (y - d) ** 2",
    "mse": "(y - d) ** 2 / y.shape[1]",
    "half_mse": "0.5 * (y - d) ** 2 / y.shape[1]",
    "cross_entropy": "-d * torch.log(torch.clamp(y, min=1e-7))",
    "binary_cross_entropy": (
        "-(d * torch.log(torch.clamp(y, min=1e-7))"
        " + (1 - d) * torch.log(torch.clamp(1 - y, min=1e-7)))"
    ),
}
#: PyTorch's loss on u for the fused pairs: its gradient is the course's δ = (y − d) / n.
FUSED = {
    "cross_entropy": "torch.nn.functional.cross_entropy(u, d, reduction='sum') / len(u)",
    "binary_cross_entropy": (
        "torch.nn.functional.binary_cross_entropy_with_logits(u, d, reduction='sum') / len(u)"
    ),
}
STEP = """class Step(torch.nn.Module):
    # {note}
    def forward(self, u):
        return (u > 0).to(u.dtype) + 0 * u"""


def _optimizer(cfg: TrainConfig, c: dict[str, float]) -> str | None:
    """The torch.optim line that computes the engine's rule, or None: written by hand."""
    name = cfg.optimizer
    if name == "sgd":
        return "torch.optim.SGD(trainable, lr=learning_rate)"
    if name in ("momentum", "nesterov") and not cfg.lr_decay_every:
        nesterov = ", nesterov=True" if name == "nesterov" else ""
        return f"torch.optim.SGD(trainable, lr=learning_rate, momentum=momentum{nesterov})"
    if name == "adagrad":
        return "torch.optim.Adagrad(trainable, lr=learning_rate, eps=eps)"
    if name == "rmsprop":
        return "torch.optim.RMSprop(trainable, lr=learning_rate, alpha=rho, eps=eps)"
    if name == "adam" and not c.get("eps_in_sqrt"):
        return "torch.optim.Adam(trainable, lr=learning_rate, betas=(beta1, beta2), eps=eps)"
    return None


#: The rules written by hand, per parameter p with gradient g (state as the engine names it).
BY_HAND = {
    "momentum": ["v[name].mul_(momentum).sub_(lr * g)", "p.add_(v[name])"],
    "nesterov": ["v[name].mul_(momentum).sub_(lr * g)", "p.add_(momentum * v[name] - lr * g)"],
    "adam": [
        "m[name].mul_(beta1).add_((1 - beta1) * g)",
        "v[name].mul_(beta2).add_((1 - beta2) * g * g)",
        "m_hat = m[name] / (1 - beta1**t)",
        "v_hat = v[name] / (1 - beta2**t)",
        "p.sub_(lr * m_hat / torch.sqrt(v_hat + eps))",
    ],
}


class _TorchWriter:
    def __init__(self, trainer: Trainer, lang: str, print_every: int | None, companion: str):
        self.tr, self.cfg, self.net = trainer, trainer.cfg, trainer.net.cfg
        self.lang, self.companion = lang, companion
        self.n_layers = len(trainer.net.layers)
        total = self.cfg.epochs * trainer.steps_per_epoch
        self.print_every = print_every or nice_print_every(total)
        self.constants = {**OPTIMIZERS[self.cfg.optimizer].defaults, **self.cfg.constants}
        self.lines: list[str] = []
        self.arrays: dict[str, np.ndarray] = {}
        d = trainer.data
        self.data = {"x_train": d.x_train, "d_train": d.d_train}
        self.data |= {"x_test": d.x_test, "d_test": d.d_test}
        self.data_in_file = sum(a.size for a in self.data.values()) > EMBED_LIMIT
        self.weights_in_file = sum(a.size for a in trainer.initial.values()) > EMBED_LIMIT

    def c(self, key: str, **values: object) -> str:
        return visible(t(key, self.lang, **values))

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def section(self, key: str) -> None:
        title = f"# ---- {self.c(key)} "
        self.add("", "", title + "-" * max(4, 78 - len(title)))

    def head(self, file_name: str) -> None:
        p = self.tr.preset
        desc = (p.description_ja if self.lang == "ja" else "") or p.description
        name = (p.name_ja if self.lang == "ja" else "") or p.name
        self.add(
            f'"""{docstring_safe(name + (f": {desc}" if desc else ""))}',
            "",
            docstring_safe(self.c("torch_doc_written", name=p.name, file=file_name)),
            docstring_safe(self.c("torch_doc_same")),
            '"""',
            "",
            "import math",
            "",
            "import numpy as np",
            "import torch",
        )
        if self.data_in_file or self.weights_in_file:
            self.add("from pathlib import Path")

    def settings(self) -> None:
        cfg = self.cfg
        self.section("code_sec_settings")
        self.add(
            f"learning_rate = {cfg.lr!r}  # {self.c('code_lr')}",
            f"epochs = {int(cfg.epochs)}  # {self.c('code_epochs')}",
            f"batch_size = {int(self.tr.batch_size)}",
            f"shuffle = {cfg.order == 'shuffle'}  # {self.c('code_shuffle')}",
            f"seed = {int(cfg.seed)}  # {self.c('code_seed')}",
            f"frozen = {[str(k) for k in cfg.freeze]!r}  # {self.c('code_frozen')}",
        )
        if cfg.lr_decay_every:
            self.add(
                f"lr_decay_every = {int(cfg.lr_decay_every)}  # {self.c('code_decay')}",
                f"lr_decay_factor = {float(cfg.lr_decay_factor)!r}",
            )
        if cfg.weight_decay:
            self.add(f"weight_decay = {float(cfg.weight_decay)!r}  # {self.c('code_weight_decay')}")
        for i, (k, v) in enumerate(self.constants.items()):
            note = f"  # {self.c('code_constants', name=cfg.optimizer)}" if i == 0 else ""
            self.add(f"{identifier(k)} = {float(v)!r}{note}")
        self.add(
            f"leaky_slope = {float(self.net.leaky_slope)!r}",
            f"dtype = torch.{identifier(cfg.dtype)}  # {self.c('code_dtype')}",
            f"print_every = {self.print_every}  # {self.c('code_print_every')}",
        )

    def data_section(self) -> None:
        self.section("code_sec_data")
        if self.data_in_file or self.weights_in_file:
            self.add(f"# {self.c('code_data_file', file=self.companion)}")
            self.add(f"arrays = np.load(Path(__file__).with_name({self.companion!r}))")
        for name, a in self.data.items():
            if self.data_in_file:
                self.arrays[name] = a
                self.add(f"{name} = torch.from_numpy(arrays[{name!r}]).to(dtype)")
            elif a.size == 0:
                self.add(f"{name} = torch.zeros({tuple(int(n) for n in a.shape)!r}, dtype=dtype)")
            else:
                self.add(f"{name} = torch.tensor({array_literal(a)}, dtype=dtype)")
        self.add("n_train = len(x_train)")

    def model(self) -> None:
        self.section("torch_sec_model")
        hidden = self.net.hidden_activations
        if "step" in hidden or self.net.output == "step":
            self.add(*STEP.replace("{note}", self.c("torch_step")).splitlines(), "", "")
        self.add("model = torch.nn.Sequential(")
        sizes = self.net.layers
        for i in range(1, self.n_layers + 1):
            self.add(f"    torch.nn.Linear({int(sizes[i - 1])}, {int(sizes[i])}),")
            if i < self.n_layers:
                self.add(f"    {MODULES[hidden[i - 1]]},")
        self.add(").to(dtype)", "linears = [m for m in model if isinstance(m, torch.nn.Linear)]")
        self.add(f"# {self.c('torch_names')}", "params = {}")
        self.add("for i, linear in enumerate(linears, start=1):")
        self.add("    params[f'W{i}'], params[f'b{i}'] = linear.weight, linear.bias")
        self.add("", f"# {self.c('code_init_given')}: {self.c('torch_transpose')}", "initial = {}")
        for k, v in self.tr.initial.items():
            if self.weights_in_file:
                self.arrays[f"initial_{k}"] = v
                self.add(f"initial[{k!r}] = arrays[{'initial_' + k!r}]")
            else:
                self.add(f"initial[{k!r}] = np.array({array_literal(v)})")
        self.add(
            "with torch.no_grad():",
            "    for name, p in params.items():",
            "        value = torch.tensor(initial[name], dtype=dtype)",
            "        p.copy_(value.T if name.startswith('W') else value)",
            "for name in frozen:",
            f"    params[name].requires_grad_(False)  # {self.c('code_frozen')}",
            "trainable = [p for name, p in params.items() if name not in frozen]",
        )

    def functions(self) -> None:
        self.section("code_sec_functions")
        out, loss = self.net.output, self.net.loss
        self.add("", "def output(u):", f"    return {OUTPUTS[out]}")
        self.add("", "def error(y, d):", f"    # {self.c('code_sec_loss')}")
        self.add(f"    return torch.sum({LOSSES[loss]}) / len(y)")
        self.add("", "def training_loss(u, y, d):")
        if is_fused(self.tr.net.loss, self.tr.net.output) and loss in FUSED:
            self.add(f"    # {self.c('torch_fused')}", f"    return {FUSED[loss]}")
        else:
            self.add("    return error(y, d)")
        if self.tr.is_classification:
            self.add(
                "",
                "def accuracy(y, d):",
                f"    # {self.c('code_accuracy')}",
                "    if y.shape[1] == 1:",
                "        return float(torch.mean(((y[:, 0] > 0.5) == (d[:, 0] > 0.5)).double()))",
                "    return float(torch.mean((y.argmax(dim=1) == d.argmax(dim=1)).double()))",
            )

    def training(self) -> None:
        self.section("code_sec_train")
        line = _optimizer(self.cfg, self.constants)
        if line:
            self.add(f"optimizer = {line}")
        else:
            self.add(f"# {self.c('torch_by_hand_' + self.cfg.optimizer)}")
            state = "m, v" if self.cfg.optimizer == "adam" else "v"
            for s in state.split(", "):
                self.add(f"{s} = {{name: torch.zeros_like(p) for name, p in params.items()}}")
        if not self.cfg.lr_decay_every:
            self.add("lr = learning_rate")
        self.add(
            f"rng = np.random.default_rng(seed)  # {self.c('torch_order')}",
            f"t = 0  # {self.c('code_t')}",
            "for epoch in range(epochs):",
            f"    order = rng.permutation(n_train) if shuffle else np.arange(n_train)"
            f"  # {self.c('code_order')}",
            "    for start in range(0, n_train, batch_size):",
            "        idx = torch.from_numpy(order[start : start + batch_size])",
            "        x, d = x_train[idx], d_train[idx]",
            "        u = model(x)",
            "        y = output(u)",
            "        E = error(y, d).item()",
            "        if not math.isfinite(E):",
            f'            raise SystemExit(f"t = {{t + 1}}: " + {self.c("code_diverged")!r})',
            "        for p in trainable:",
            "            p.grad = None",
            "        training_loss(u, y, d).backward()",
        )
        if self.cfg.weight_decay:
            self.add(
                "        with torch.no_grad():",
                f"            # {self.c('torch_weight_decay')}",
                "            for name, p in params.items():",
                "                if name.startswith('W') and name not in frozen:",
                "                    p.grad += weight_decay * p",
            )
        if self.cfg.lr_decay_every:
            self.add(
                "        lr = learning_rate * lr_decay_factor ** (t // lr_decay_every)"
                f"  # {self.c('code_lr_now')}"
            )
        self.add("        t += 1")
        self._update(line is not None)
        self.add(
            "        if t == 1 or t % print_every == 0:",
            '            print(f"t = {t:6d}   E = {E}")',
        )

    def _update(self, with_optim: bool) -> None:
        if with_optim:
            if self.cfg.lr_decay_every:
                self.add(
                    "        for group in optimizer.param_groups:", "            group['lr'] = lr"
                )
            self.add("        optimizer.step()")
            return
        self.add(
            "        with torch.no_grad():",
            "            for name, p in params.items():",
            "                if name in frozen:",
            "                    continue",
            "                g = p.grad",
            *(f"                {s}" for s in BY_HAND[self.cfg.optimizer]),
        )

    def result(self) -> None:
        self.section("code_sec_result")
        parts = [("train", "code_label_train")]
        if len(self.tr.data.x_test):
            parts.append(("test", "code_label_test"))
        self.add("with torch.no_grad():")
        for part, label in parts:
            self.add(f"    y = output(model(x_{part}))")
            line = f"    print({self.c(label) + ':  E ='!r}, float(error(y, d_{part}))"
            if self.tr.is_classification:
                line += f", {'  ' + self.c('code_label_accuracy') + ' ='!r}, accuracy(y, d_{part})"
            self.add(line + ")")


def check_torch_writable(trainer: Trainer) -> None:
    """Refuse, in one line, a setting this script does not reproduce (rather than differ)."""
    trainer.check_trainable()
    net, cfg = trainer.net.cfg, trainer.cfg
    for fld, value, off in (
        ("train.reduction", cfg.reduction, cfg.reduction == "sum"),
        ("train.sampling", cfg.order, cfg.order == "with_replacement"),
        ("network.relu_grad_at_zero", net.relu_grad_at_zero, net.relu_grad_at_zero == 1),
    ):
        if off:
            raise config_error("code_err_setting", value=repr(value), field=fld)


def generate_torch_code(
    trainer: Trainer,
    *,
    lang: str = "en",
    print_every: int | None = None,
    file_name: str = "experiment.py",
) -> GeneratedCode:
    """The PyTorch script for the trainer's preset (see the module's docstring)."""
    check_torch_writable(trainer)
    w = _TorchWriter(trainer, lang, print_every, f"{Path(file_name).stem}_data.npz")
    w.head(file_name)
    w.settings()
    w.data_section()
    w.model()
    w.functions()
    w.training()
    w.result()
    source = "\n".join(w.lines) + "\n"
    return GeneratedCode(source, w.companion if w.arrays else None, w.arrays)
