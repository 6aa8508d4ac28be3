"""The words of what the student picks in the network picture and changes by hand: the line
under the picture, the title of a unit's map, the weight prompt's check."""

from __future__ import annotations

from tui_nn.app.stepper.typed import echo, parse
from tui_nn.core.errors import config_error
from tui_nn.core.safe_text import visible
from tui_nn.core.touch import Readings, settable
from tui_nn.i18n import t


def num(v: float | None) -> str:
    return "–" if v is None else f"{v:.5g}"


def unit_name(layer: int, unit: int, layers: tuple[int, ...], names: tuple[str, ...], lang: str):
    """x1 for an input, "layer 1 unit 3" for a hidden unit, "output 2" (units counted from 1)."""
    if layer == 0:
        return visible(names[unit]) if unit < len(names) else f"x{unit + 1}"
    if layer == len(layers) - 1:
        return t("app_touch_output", lang, k=unit + 1)
    return t("app_touch_unit", lang, layer=layer, k=unit + 1)


def link_name(link: tuple[int, int, int], layers, names, lang: str) -> str:
    """W1[0, 2] (x1 → layer 1 unit 3): NumPy's indices, then the units it joins."""
    layer, i, j = link
    src = unit_name(layer - 1, i, layers, names, lang)
    dst = unit_name(layer, j, layers, names, lang)
    return f"W{layer}[{i}, {j}] ({src} → {dst})"


def touch_line(r: Readings | None, layers, names, lang: str) -> str:
    """The line under the picture for what is picked (empty: how to pick)."""
    if r is None or (r.node is None and r.link is None):
        return t("app_touch_help", lang)
    if r.link is not None:
        return t(
            "app_touch_link",
            lang,
            name=link_name(r.link, layers, names, lang),
            w=num(r.w),
            grad=num(r.grad),
        )
    layer, unit = r.node
    where = unit_name(layer, unit, layers, names, lang)
    key = "app_touch_input" if layer == 0 else "app_touch_node"
    n = "–" if r.sample is None else r.sample
    return t(key, lang, name=where, u=num(r.u), z=num(r.z), n=n)


def check_weight(text: str, field: str) -> float:
    """The typed weight (full-width digits, a comma for the point, as the stepper reads them);
    ConfigError naming `field` for anything that is not a finite number."""
    read = parse(text)
    if read is None or not settable(read[0]):
        raise config_error("err_weight_value", got=echo(text) or '""', field=field)
    return read[0]
