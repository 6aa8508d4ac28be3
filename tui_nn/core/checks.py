"""Field checkers for presets and data sources: each returns the clean value or raises a
ConfigError whose reason names what was wrong (the caller adds the file and the field)."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from typing import Any

from tui_nn.core.errors import config_error

Check = Callable[[Any], Any]


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def suggest(word: str, choices: Any) -> str | None:
    """The known name closest to a misspelt one, if any is close."""
    choices = list(choices)
    prefixed = [c for c in choices if word.startswith(c) or c.startswith(word)]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return (close or prefixed or [None])[0]


def text(v: Any) -> str:
    if not isinstance(v, str):
        raise config_error("err_text", got=repr(v))
    return v


def flag(v: Any) -> bool:
    if not isinstance(v, bool):
        raise config_error("err_flag", got=repr(v))
    return v


def integer(lo: int | None = None, hi: int | None = None) -> Check:
    def check(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise config_error("err_whole", got=repr(v))
        if lo is not None and v < lo:
            raise config_error("err_at_least", lo=lo, got=v)
        if hi is not None and v > hi:
            raise config_error("err_at_most", hi=hi, got=v)
        return v

    return check


def number(lo: float | None = None, hi: float | None = None, *, open_lo: bool = False) -> Check:
    def check(v: Any) -> float:
        if not _is_num(v):
            raise config_error("err_number", got=repr(v))
        try:
            v = float(v)
        except OverflowError:  # an integer past a float's range (TOML takes 4,300 digits)
            size = f"{'-' if v < 0 else ''}10^{int(abs(v).bit_length() * math.log10(2))}"
            raise config_error("err_finite", got=f"about {size}") from None
        if not math.isfinite(v):
            raise config_error("err_finite", got=v)
        if lo is not None and (v <= lo if open_lo else v < lo):
            key = "err_above" if open_lo else "err_at_least"
            raise config_error(key, lo=f"{lo:g}", got=f"{v:g}")
        if hi is not None and v > hi:
            raise config_error("err_at_most", hi=f"{hi:g}", got=f"{v:g}")
        return v

    return check


def adam_beta(v: Any) -> float:
    """β1 or β2 of Adam: 0 ≤ β < 1, since its bias correction divides by 1 − βᵗ."""
    beta = number(0, 1)(v)
    if beta >= 1:
        raise config_error("err_beta_below_1", got=f"{beta:g}")
    return beta


def one_of(*choices: str) -> Check:
    def check(v: Any) -> str:
        if v not in choices:
            hint = suggest(str(v), choices)
            listed = {"choices": ", ".join(choices), "got": repr(v)}
            if hint:
                raise config_error("err_one_of_hint", hint=repr(hint), **listed)
            raise config_error("err_one_of", **listed)
        return v

    return check


def int_list(v: Any) -> list[int]:
    if not isinstance(v, list) or not v:
        raise config_error("err_int_list", got=repr(v))
    return [integer(1, 100_000)(n) for n in v]


def activation_spec(v: Any) -> str | list[str]:
    if isinstance(v, list):
        return [text(a) for a in v]
    return text(v)


def batch(v: Any) -> int | str:
    if v == "full":
        return v
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise config_error("err_batch", got=repr(v))
    return v


def name_list(v: Any) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
        raise config_error("err_name_list", got=repr(v))
    return v


def _children(v: Any) -> list[Any]:
    if isinstance(v, dict):
        return list(v.values())
    return v if isinstance(v, list) else []


def nesting(value: Any) -> int:
    """How deep lists and tables nest in `value` (a number is 0, [1] is 1); iterative, so any
    depth is measured without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, list | dict):
            deepest = max(deepest, depth + 1)
            stack.extend((c, depth + 1) for c in _children(v))
    return deepest


def numbers_only(value: Any) -> bool:
    """Every leaf of nested lists is an int or a float: no text, no true/false, no dates."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(v)
        elif not _is_num(v):
            return False
    return True
