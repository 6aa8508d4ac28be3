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

from tui_nn.core.codegen_base import GeneratedCode, ScriptWriter
from tui_nn.core.codegen_lines import array_literal
from tui_nn.core.losses import is_fused

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
RELU_1 = """class ReLU1(torch.nn.Module):
    # {note}
    def forward(self, u):
        return torch.where(u >= 0, u, torch.zeros_like(u))"""
ACCURACY = """def accuracy(y, d):
    # {note}
    if y.shape[1] == 1:
        return float(torch.mean(((y[:, 0] > 0.5) == (d[:, 0] > 0.5)).double()))
    return float(torch.mean((y.argmax(dim=1) == d.argmax(dim=1)).double()))"""
WEIGHT_DECAY = """with torch.no_grad():
    # {note}
    for name, p in params.items():
        if name.startswith('W') and name not in frozen:
            p.grad += weight_decay * p"""
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


class _TorchWriter(ScriptWriter):
    lib = "torch"

    def __init__(self, trainer: Trainer, lang: str, print_every: int | None, companion: str):
        super().__init__(trainer, lang, print_every, companion)
        self.weights_in_file = self.weights_big
        self.relu_1 = self.net.relu_grad_at_zero == 1

    def index(self, expr: str) -> str:
        return f"torch.from_numpy({expr})"

    def output_of(self, x: str) -> str:
        return f"output(model({x}))"

    def model(self) -> None:
        self.section("torch_sec_model")
        hidden = self.net.hidden_activations
        acts = [*hidden, self.net.output]
        if "step" in acts:
            self.add(*STEP.replace("{note}", self.c("torch_step")).splitlines(), "", "")
        if self.relu_1 and "relu" in acts:
            self.add(*RELU_1.replace("{note}", self.c("torch_relu_1")).splitlines(), "", "")
        modules = {**MODULES, "relu": "ReLU1()"} if self.relu_1 else MODULES
        self.add("model = torch.nn.Sequential(")
        sizes = self.net.layers
        for i in range(1, self.n_layers + 1):
            self.add(f"    torch.nn.Linear({int(sizes[i - 1])}, {int(sizes[i])}),")
            if i < self.n_layers:
                self.add(f"    {modules[hidden[i - 1]]},")
        self.add(").to(dtype)", "linears = [m for m in model if isinstance(m, torch.nn.Linear)]")
        self.add(f"# {self.c('torch_names')}", "params = {}")
        self.add("for i, linear in enumerate(linears, start=1):")
        self.add("    params[f'W{i}'], params[f'b{i}'] = linear.weight, linear.bias")
        self._initial()

    def _initial(self) -> None:
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
        )
        if self.tr.forward_only:
            return
        self.add(
            "for name in frozen:",
            f"    params[name].requires_grad_(False)  # {self.c('code_frozen')}",
            "trainable = [p for name, p in params.items() if name not in frozen]",
        )

    def functions(self) -> None:
        self.section("code_sec_functions")
        out, loss = self.net.output, self.net.loss
        output = "ReLU1()(u)" if out == "relu" and self.relu_1 else OUTPUTS[out]
        self.add("", "def output(u):", f"    return {output}")
        if self.tr.forward_only:
            return
        self.add("", "def error(y, d):", f"    # {self.c('code_sec_loss')}")
        self.add(f"    return torch.sum({LOSSES[loss]}) / len(y)")
        self.add("", "def training_loss(u, y, d):")
        total = self.cfg.reduction == "sum"
        if is_fused(self.tr.net.loss, self.tr.net.output) and loss in FUSED:
            fused = FUSED[loss].removesuffix(" / len(u)") if total else FUSED[loss]
            self.add(f"    # {self.c('torch_fused')}", f"    return {fused}")
        elif total:
            self.add(f"    # {self.c('code_batch_sum')}", f"    return torch.sum({LOSSES[loss]})")
        else:
            self.add("    return error(y, d)")
        if self.tr.is_classification:
            self.add("", *ACCURACY.replace("{note}", self.c("code_accuracy")).splitlines())

    def training(self) -> None:
        self.section("code_sec_train")
        line = _optimizer(self.cfg, self.constants)
        if line:
            self.add(f"optimizer = {line}")
        else:
            self.add(f"# {self.c('torch_by_hand_' + self.cfg.optimizer)}")
            for s in ("m", "v") if self.cfg.optimizer == "adam" else ("v",):
                self.add(f"{s} = {{name: torch.zeros_like(p) for name, p in params.items()}}")
        if not self.cfg.lr_decay_every:
            self.add("lr = learning_rate")
        self.add(f"# {self.c('torch_order')}")
        ind = self.loop_head()
        diverged = f'f"t = {{t}}: " + {self.c("code_diverged")!r}'
        self.add(
            f"{ind}u = model(x)",
            f"{ind}y = output(u)",
            f"{ind}E = {self.batch_error('error(y, d).item()')}",
            f"{ind}if not math.isfinite(E):",
            f"{ind}    raise SystemExit({diverged})",
            f"{ind}for p in trainable:",
            f"{ind}    p.grad = None",
            f"{ind}training_loss(u, y, d).backward()",
        )
        if self.cfg.weight_decay:
            self.add(
                *(
                    ind + s
                    for s in WEIGHT_DECAY.replace(
                        "{note}", self.c("torch_weight_decay")
                    ).splitlines()
                )
            )
        self.add(*(ind + s for s in self.lr_line()))
        self._update(line is not None, ind)
        finite = "all(torch.isfinite(p).all() for p in trainable)"
        self.add(*(ind + s for s in self.eps_zero_check(finite)))
        self.end_of_body(ind)

    def _update(self, with_optim: bool, ind: str) -> None:
        if with_optim:
            if self.cfg.lr_decay_every:
                self.add(f"{ind}for group in optimizer.param_groups:", f"{ind}    group['lr'] = lr")
            self.add(f"{ind}optimizer.step()")
            return
        self.add(
            f"{ind}with torch.no_grad():",
            f"{ind}    for name, p in params.items():",
            f"{ind}        if name in frozen:",
            f"{ind}            continue",
            f"{ind}        g = p.grad",
            *(f"{ind}        {s}" for s in BY_HAND[self.cfg.optimizer]),
        )

    def forward_run(self) -> None:
        """A forward-only preset: y printed as the course's print_vec does."""
        self.section("code_sec_forward_run")
        self.print_vec()
        self.add("", "with torch.no_grad():", "    y = output(model(x_train))")
        self.add(f"print_vec({self.c('code_vec_y')!r}, y.numpy())")


def generate_torch_code(
    trainer: Trainer,
    *,
    lang: str = "en",
    print_every: int | None = None,
    file_name: str = "experiment.py",
) -> GeneratedCode:
    """The PyTorch script for the trainer's preset (see the module's docstring)."""
    w = _TorchWriter(trainer, lang, print_every, f"{Path(file_name).stem}_data.npz")
    imports = ["import math", "", "import numpy as np", "import torch"]
    if w.data_in_file or w.weights_in_file:
        imports.append("from pathlib import Path")
    w.head(file_name, ("torch_doc_written", "torch_doc_same"), imports)
    w.settings()
    w.data_section(w.data_in_file or w.weights_in_file)
    w.model()
    w.functions()
    if trainer.forward_only:
        w.forward_run()
        return w.source()
    w.training()
    w.result("float(error(y, {d}))", "with torch.no_grad():")
    return w.source()
