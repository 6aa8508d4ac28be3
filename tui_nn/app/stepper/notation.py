"""How the stepper writes symbols and numbers: the course's glyphs, or ASCII on request.

Formula glyphs such as ∂ Σ σ η · ² → are East-Asian *ambiguous* width: a terminal set to draw
them wide shifts every column after them. The stepper never aligns columns across them, and
`plain(text, ascii_only=True)` replaces each with the ASCII spelling of the worked trace's text
renderer (d, sum, sigma, eta, *, ^2, ->) for terminals where even that is not enough.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.worked import fmt, to_ascii


def plain(text: str, ascii_only: bool) -> str:
    """`text` as given, or with every formula glyph spelled in ASCII."""
    return to_ascii(text) if ascii_only else text


def number(value: float, digits: int) -> str:
    """A scalar as the trace writes it: `digits` decimal places (9 as the course slides print them),
    significant digits once it is too small for that."""
    return fmt(float(value), digits)


def array_lines(value: np.ndarray, digits: int, max_rows: int = 6, max_cols: int = 6) -> list[str]:
    """A small matrix one row per line; a big one by its shape and range, never a wall."""
    a = np.atleast_2d(np.asarray(value, dtype=float))
    if a.shape[0] > max_rows or a.shape[1] > max_cols:
        shape = "x".join(str(n) for n in np.shape(value))
        lo, hi = number(a.min(), digits), number(a.max(), digits)
        return [f"({shape})  min {lo}  max {hi}"]
    return ["[" + ", ".join(number(v, digits) for v in row) + "]" for row in a]
