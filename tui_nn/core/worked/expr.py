"""Formula fragments written twice at once, as plain text and as LaTeX, and numbers as printed.

A fragment `F` knows whether it needs parentheses inside a product or after a minus sign, so
builders compose formulas (`prod(w, out)`, `add(...)`) without caring about either notation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


def add_many(terms: list[F], limit: int = 8) -> F:
    """t1 + t2 + ... written out up to `limit` terms; beyond, the first three, …, the last."""
    if len(terms) <= limit:
        return add(*terms)
    return add(*terms[:3], S("…", r"\dots"), terms[-1])
