"""Reading the number a student typed, and comparing it with a value to the digits given.

Accepts what Japanese keyboards and IMEs type (full-width digits and signs, 。 for the point),
a decimal comma and spaces around. "Right to n digits" means the value rounded to n significant
digits, half up as taught; the same digits cut off are told apart.
"""

from __future__ import annotations

import math
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from tui_nn.app.stepper.notation import number

#: What Japanese keyboards and IMEs type for a minus sign, a point and a decimal comma.
MINUS = "\u2010\u2011\u2012\u2013\u2014\u2212\u30fc"
SIGNS = str.maketrans({c: "-" for c in MINUS} | {"。": ".", "、": ","})
#: The longest echo of a typed answer (a pasted page stays one line).
ECHO = 40


def normalize(text: str) -> str:
    """Full-width digits and signs, 。 and 、, a decimal comma and spaces as a float literal."""
    s = unicodedata.normalize("NFKC", text).translate(SIGNS).replace("_", "")
    # Spaces anywhere, and the invisible marks a copied number brings (zero-width, direction).
    s = "".join(c for c in s if not c.isspace() and unicodedata.category(c) != "Cf")
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    return s


def parse(text: str) -> tuple[float, int] | None:
    """(value, significant digits typed) of "0.0822", "８．２e-2" or "−0.019"; None if no number."""
    s = normalize(text)
    try:
        value = float(s)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    mantissa = s.lower().split("e")[0].lstrip("+-").replace(".", "").lstrip("0")
    return value, max(1, len(mantissa))


def echo(text: str) -> str:
    """The answer as it may be shown again: control characters replaced, at most ECHO long."""
    s = "".join("?" if unicodedata.category(c)[0] == "C" else c for c in text.strip())
    return s if len(s) <= ECHO else s[: ECHO - 1] + "…"


def to_digits(value: float | Decimal, n: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """`value` to n significant digits, rounded half up (as taught) or cut off (ROUND_DOWN);
    a float is read as the shortest decimal that gives it, so 0.3775 stays 0.3775."""
    d = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if d == 0:
        return d
    return d.quantize(Decimal(1).scaleb(d.adjusted() - n + 1), rounding=rounding)


def significant(value: float, digits: int) -> int:
    """Significant digits `value` shows with `digits` (0.35 -> 2, 0.082167041 -> 8)."""
    text = number(value, digits).lower().split("e")[0].lstrip("-").replace(".", "").lstrip("0")
    return max(1, len(text.rstrip("0")) if text else 1)


def precision(value: float, digits: int) -> int:
    """Significant digits the display resolves, counting the zeros it drops: 0.35 shown with
    9 decimals is 0.350000000, exact to 9 digits, so 0.351 is not the same number."""
    text = number(value, digits)
    if "e" in text:
        return digits
    fixed = f"{abs(value):.{digits}f}".replace(".", "").lstrip("0")
    return max(1, len(fixed))


def agreement(a: float, v: float) -> int:
    """How many leading significant digits of v the number a gets right (17 when equal)."""
    if a == v:
        return 17
    if v == 0:
        return 0
    e = math.floor(math.log10(abs(v)))
    diff = abs(a - v)
    for m in range(1, 18):
        if diff > 0.5 * 10.0 ** (e - m + 1) * (1 + 1e-9):
            return m - 1
    return 17


def fits(a: float, typed: int, v: float, digits: int) -> bool:
    """Is a, typed with `typed` significant digits, v rounded or cut off to the digits that can
    be judged (those typed, at most those on screen)? 0.08217 and 0.08216 fit 0.082167041;
    0.08218 does not, nor does 0.3776 fit 0.3775, and 0.08 does not fit 0.1. What a slip
    gives is recognised either way."""
    if a == v:
        return True
    if v == 0 or not math.isfinite(v):
        return False
    need = min(typed, precision(v, digits))
    ulp = 10.0 ** (math.floor(math.log10(abs(v))) - need + 1) * (1 + 1e-9)
    cut = 0 <= math.copysign(1, v) * (v - a) < ulp  # digits dropped, not rounded
    return abs(a - v) <= ulp / 2 or cut


def rounding(typed_text: str, typed: int, v: float, digits: int) -> str:
    """ "right" when the typed number is v rounded to the digits it has (half up), "truncated"
    when it is v cut off there instead, else "". More digits than the screen resolves are
    judged to the screen's: within half a unit of its last digit is right."""
    a = Decimal(normalize(typed_text))
    exact = Decimal(repr(float(v)))
    n = min(typed, precision(v, digits))
    if a == exact or (typed <= n and a == to_digits(exact, n)):
        return "right"
    if typed > n and exact != 0:
        half = Decimal(5).scaleb(exact.adjusted() - n)
        return "right" if abs(a - exact) <= half else ""
    return "truncated" if typed <= n and a == to_digits(exact, n, ROUND_DOWN) else ""
