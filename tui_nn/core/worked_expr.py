"""Formula fragments written twice at once, as plain text and as LaTeX, and the names of things.

A fragment `F` knows whether it needs parentheses inside a product or after a minus sign, so
builders compose formulas (`prod(w, out)`, `add(...)`) without caring about either notation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer
    from tui_nn.core.worked import Step, Trace

#: Arrays larger than this (in either direction) are shown by shape, never as a wall of numbers.
MAX_ROWS, MAX_COLS = 6, 6


@dataclass(frozen=True)
class F:
    """A formula fragment. `level`: 0 atom, 1 product, 2 sum (parenthesized as needed)."""

    text: str
    tex: str
    level: int = 0

    def __add__(self, other: F) -> F:
        return F(self.text + other.text, self.tex + other.tex, max(self.level, other.level))


def S(text: str, tex: str | None = None) -> F:
    """A symbol."""
    return F(text, text if tex is None else tex)


def sub(base: str, index: str) -> str:
    """LaTeX subscript as the course slides write it: w_5, i_1, o_{12}."""
    return f"{base}_{index}" if len(index) == 1 else f"{base}_{{{index}}}"


def paren(f: F) -> F:
    return F(f"({f.text})", rf"\left({f.tex}\right)" if "frac" in f.tex else f"({f.tex})")


def _wrap(f: F, level: int) -> F:
    return paren(f) if f.level >= level else f


def prod(*fs: F | str) -> F:
    """a·b·c in text, a \\cdot b \\cdot c in LaTeX."""
    parts = [_wrap(as_f(f), 2) for f in fs]
    return F("·".join(p.text for p in parts), r" \cdot ".join(p.tex for p in parts), 1)


def add(*fs: F | str) -> F:
    parts = [as_f(f) for f in fs]
    text, tex = parts[0].text, parts[0].tex
    for p in parts[1:]:
        p = _wrap(p, 3 if not p.text.startswith("-") else 0)
        text, tex = f"{text} + {p.text}", f"{tex} + {p.tex}"
    return F(text, tex, 2)


def minus(a: F | str, b: F | str) -> F:
    a, b = as_f(a), as_f(b)
    b = _wrap(b, 2) if not b.text.startswith("-") else paren(b)
    return F(f"{a.text} - {b.text}", f"{a.tex} - {b.tex}", 2)


def neg(a: F) -> F:
    return F(f"-{_wrap(a, 1).text}", f"-{_wrap(a, 1).tex}", 2)


def frac(a: F | str, b: F | str) -> F:
    a, b = as_f(a), as_f(b)
    return F(f"{_wrap(a, 1).text}/{_wrap(b, 1).text}", rf"\frac{{{a.tex}}}{{{b.tex}}}", 1)


def pd(a: F, b: F) -> F:
    """The partial derivative ∂a/∂b."""
    return F(f"∂{a.text}/∂{b.text}", rf"\frac{{\partial {a.tex}}}{{\partial {b.tex}}}")


def call(name: str, arg: F, tex_name: str | None = None) -> F:
    return F(f"{name}({arg.text})", rf"{tex_name or name}({arg.tex})")


def power(a: F, exponent: str, tex_exponent: str | None = None) -> F:
    base = _wrap(a, 1) if not a.text.startswith("-") else paren(a)
    caret = "" if exponent in ("²", "³") else "^"
    return F(f"{base.text}{caret}{exponent}", f"{base.tex}^{{{tex_exponent or exponent}}}")


def square(a: F) -> F:
    # (∂E/∂w5)², never ∂E/∂w5², which reads as a second derivative.
    return power(paren(a) if a.text.startswith("∂") else a, "²", "2")


def exp(a: F) -> F:
    return F(f"e^({a.text})", f"e^{{{a.tex}}}")


def sqrt(a: F) -> F:
    return F(f"√({a.text})", rf"\sqrt{{{a.tex}}}")


def as_f(f: F | str) -> F:
    return f if isinstance(f, F) else F(f, f)


def fmt(v: float, digits: int = 9) -> str:
    """`digits` decimal places, trailing zeros dropped, as the course slides print numbers
    (0.593269992, 0.082167041, 0.000438568); below 10^-(digits-5), where fewer than six
    digits would be left, `digits` significant digits instead (1.11098765e-5), so that a
    small gradient or optimizer state never reads as 0 or loses its precision."""
    v = float(v)
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return str(v)
    if abs(v) < 10.0 ** -(digits - 5) or abs(v) >= 1e12:
        mantissa, _, e = f"{v:.{digits}g}".partition("e")
        return f"{mantissa}e{int(e)}" if e else mantissa
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def num(v: float, digits: int = 9) -> F:
    text = fmt(v, digits)
    tex = text
    if "e" in text:
        mantissa, e = text.split("e")
        power10 = f"10^{{{e}}}"
        tex = power10 if mantissa == "1" else rf"{mantissa} \times {power10}"
    return F(text, tex, 2 if text.startswith("-") else 0)


def shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape) if shape else "1"


def is_small(a: np.ndarray) -> bool:
    rows = a.shape[0] if a.ndim else 1
    cols = a.shape[1] if a.ndim > 1 else (a.shape[0] if a.ndim == 1 else 1)
    return rows <= MAX_ROWS and cols <= MAX_COLS if a.ndim > 1 else cols <= MAX_COLS


def array(a: np.ndarray, digits: int = 9) -> F:
    """A vector or matrix with its numbers when small, else its shape: (64×8)."""
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        return num(float(a), digits)
    if not is_small(a):
        return S(f"({shape_text(a.shape)})", rf"(\text{{{shape_text(a.shape)} array}})")
    rows = a if a.ndim == 2 else a[None, :]
    text_rows = ["[" + ", ".join(fmt(v, digits) for v in r) + "]" for r in rows]
    text = text_rows[0] if a.ndim == 1 else "[" + ", ".join(text_rows) + "]"
    body = r" \\ ".join(" & ".join(num(v, digits).tex for v in r) for r in rows)
    return F(text, rf"\begin{{pmatrix}} {body} \end{{pmatrix}}")


class Names:
    """Names of units, weights and biases: Mazur's for ≤ 1 hidden layer, layer-indexed beyond."""

    def __init__(self, layers: list[int], params: dict[str, np.ndarray], frozen: list[str]) -> None:
        self.layers = layers
        self.L = len(layers) - 1
        self.deep = self.L > 2
        self.wide = max(layers) > 9
        # The numbering w1..wN runs on across the layers.
        self.offset = np.cumsum([0, *(layers[i] * layers[i + 1] for i in range(self.L))])
        # A layer's biases share one name (b1, as Mazur's do) when they are equal and frozen:
        # then they are one number that never changes.
        self.shared = {
            li: f"b{li}" in frozen and bool(np.all(params[f"b{li}"] == params[f"b{li}"].flat[0]))
            for li in range(1, self.L + 1)
        }

    def _unit(self, li: int, j: int) -> tuple[str, str]:
        if li == 0:
            return f"i{j + 1}", f"i{j + 1}"
        if li == self.L:
            return f"o{j + 1}", f"o{j + 1}"
        if self.deep:
            return f"h{li}_{j + 1}", f"h{li},{j + 1}"
        return f"h{j + 1}", f"h{j + 1}"

    def unit(self, li: int, j: int) -> str:
        return self._unit(li, j)[0]

    def net(self, li: int, j: int) -> F:
        text, tex = self._unit(li, j)
        return F(f"net_{text}", rf"\mathrm{{net}}_{{{tex}}}")

    def out(self, li: int, j: int) -> F:
        """out_h1, or the input i1 itself for l = 0 (∂net_h1/∂w1 = i1)."""
        text, tex = self._unit(li, j)
        if li == 0:
            return F(text, sub(text[0], text[1:]))
        return F(f"out_{text}", rf"\mathrm{{out}}_{{{tex}}}")

    def target(self, k: int) -> F:
        return F(f"target_o{k + 1}", rf"\mathrm{{target}}_{{o{k + 1}}}")

    def weight(self, li: int, i: int, j: int) -> F:
        """The weight from unit i of layer l−1 to unit j of layer l, W_l[i, j]."""
        if self.deep:
            ji = f"{j + 1},{i + 1}" if self.wide else f"{j + 1}{i + 1}"
            return F(f"w{li}_{ji}", f"w^{{({li})}}_{{{ji}}}")
        k = int(self.offset[li - 1]) + j * self.layers[li - 1] + i + 1
        return F(f"w{k}", sub("w", str(k)))

    def bias(self, li: int, j: int) -> F:
        if self.shared[li]:
            return F(f"b{li}", sub("b", str(li)))
        if self.deep:
            return F(f"b{li}_{j + 1}", f"b^{{({li})}}_{{{j + 1}}}")
        return F(f"b{li}_{j + 1}", f"b_{{{li},{j + 1}}}")

    def param_entry(self, name: str, index: tuple[int, ...]) -> F:
        li = int(name[1:])
        return self.weight(li, *index) if name[0] == "W" else self.bias(li, index[0])


class Context:
    """What the step builders share: the trace, the engine's values, names, number formatting."""

    def __init__(self, trace: Trace, trainer: Trainer) -> None:
        self.trace = trace
        self.cap = trace.capture
        self.cfg = trainer.cfg
        self.net = trainer.net
        self.L = len(trace.layers) - 1
        self.N = self.cap.batch
        self.names = Names(trace.layers, self.cap.params, trace.frozen)

    def num(self, v: float | np.ndarray) -> F:
        if isinstance(v, np.ndarray) and v.ndim > 0:
            return array(v, self.trace.digits)
        return num(float(v), self.trace.digits)

    def f(self, li: int):
        return self.net.layers[li - 1].f

    @property
    def fused(self) -> bool:
        return self.net.loss.fused_with == self.net.output.name

    @property
    def jacobian(self) -> bool:
        """Softmax output with a loss it does not fuse with: δ needs the full Jacobian."""
        return self.net.output.name == "softmax" and not self.fused

    def samples(self) -> list[int]:
        return [self.trace.sample] if self.trace.sample is not None else list(range(self.N))

    def sfx(self, n: int) -> str:
        """Step-id suffix naming the sample, only when the batch has more than one."""
        return f".n{n}" if self.N > 1 else ""

    def E(self, n: int | None) -> F:
        """E_total for a batch of one (as Mazur's), E_n of sample n, or E for the batch mean."""
        if self.N == 1:
            return F("E_total", r"E_{\mathrm{total}}")
        return F("E", "E") if n is None else F(f"E_{n + 1}", sub("E", str(n + 1)))

    def E_out(self, k: int, n: int) -> F:
        """The part of the error that flows through output k: E_o1 when outputs are separate."""
        if self.net.output.name == "softmax":
            return self.E(n)
        return F(f"E_o{k + 1}", f"E_{{o{k + 1}}}")

    def delta(self, li: int, n: int, j: int) -> float:
        """∂E_n/∂net of one sample: the engine's δ, which is divided by the batch size, times N."""
        return float(self.cap.delta[li][n, j]) * self.N

    def unit_notes(self, li: int, j: int, n: int) -> list[str]:
        """Pitfalls of unit j of layer l on sample n: no gradient, dead ReLU, saturation."""
        f = self.f(li)
        u = self.cap.u[li][:, j]
        if not f.has_gradient:
            return ["step"]
        if f.name == "relu" and np.all(u <= 0):
            return ["dead_relu"]
        # |u| > 7 gives σ'(u) < 0.001; with a fused loss σ' cancels, so it does not matter there.
        fused_out = li == self.L and self.fused
        if f.name == "sigmoid" and not fused_out and abs(float(self.cap.u[li][n, j])) > 7:
            return ["saturated"]
        return []


def network_notes(ctx: Context) -> list[str]:
    """Pitfalls of the whole network for this iteration, keys `worked_note_{name}`."""
    notes = []
    if any(not layer.f.has_gradient for layer in ctx.net.layers):
        notes.append("step")
    if ctx.jacobian:
        notes.append("softmax_jacobian")
    if ctx.fused:
        notes.append(f"fused_{ctx.net.output.name}")
    for li in range(1, ctx.L):
        if ctx.f(li).name == "relu" and np.any(np.all(ctx.cap.u[li] <= 0, axis=0)):
            notes.append("dead_relu")
            break
    if ctx.trace.frozen:
        notes.append("frozen")
    if ctx.net.loss.name == "half_mse" and ctx.cap.z[ctx.L].shape[1] > 1:
        notes.append("half_mse_course")
    if ctx.net.cfg.reduction == "sum":
        notes.append("reduction_sum")
    return notes


def add_many(terms: list[F], limit: int = 8) -> F:
    """t1 + t2 + ... written out up to `limit` terms; beyond, the first three, …, the last."""
    if len(terms) <= limit:
        return add(*terms)
    return add(*terms[:3], S("…", r"\dots"), terms[-1])


def make_step(
    ctx: Context,
    id: str,
    phase: str,
    kind: str,
    subject: str,
    symbol: F,
    formula: F,
    substituted: F,
    result: float | np.ndarray,
    numpy: str,
    **kw,
) -> Step:
    """A Step with both notations filled in from the fragments."""
    from tui_nn.core.worked import Step

    if isinstance(result, np.ndarray):
        kw.setdefault("shape", tuple(result.shape))
        result = result.astype(float).copy()
    else:
        result = float(result)
    return Step(
        id=id,
        phase=phase,
        kind=kind,
        subject=subject,
        symbol=symbol.text,
        formula=formula.text,
        substituted=substituted.text,
        result=result,
        numpy=numpy,
        symbol_tex=symbol.tex,
        formula_tex=formula.tex,
        substituted_tex=substituted.tex,
        **kw,
    )
