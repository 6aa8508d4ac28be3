"""The weights and biases as a table: value, ∂E/∂w once the walk has computed it, and the
updated value once the update step is reached. Big networks get one row per array instead."""

from __future__ import annotations

import numpy as np

from tui_nn.app.stepper.diagram import shown_or_hidden
from tui_nn.app.stepper.sheet import Line, Sheet, columns, width
from tui_nn.app.stepper.view import View
from tui_nn.core.worked import Names
from tui_nn.i18n import t

#: One row per weight up to this many entries; beyond, one row per array.
MAX_ROWS = 48
#: Rows shown at once; the window follows the step.
VISIBLE = 12

Entry = tuple[str, tuple[int, ...]]


def entries(layers: list[int], names: Names) -> list[tuple[str, Entry]]:
    """(name, (param, index)) of every weight and bias, in the course's order: w1, w2, …, b."""
    out: list[tuple[str, Entry]] = []
    for li in range(1, len(layers)):
        for j in range(layers[li]):
            out += [
                (names.weight(li, i, j).text, (f"W{li}", (i, j))) for i in range(layers[li - 1])
            ]
    for li in range(1, len(layers)):
        if names.shared[li]:
            out.append((names.bias(li, 0).text, (f"b{li}", (0,))))
        else:
            out += [(names.bias(li, j).text, (f"b{li}", (j,))) for j in range(layers[li])]
    return out


class WeightTable(Sheet):
    """Weights w1..wN (or W1, W2, ... for big networks) with the step's roles highlighted."""

    DEFAULT_CSS = """
    WeightTable { border-top: solid $primary; text-wrap: nowrap; text-overflow: clip; }
    """

    def lines(self, view: View) -> list[Line]:
        self.border_title = t("stepper_weights_title", view.lang)
        trace = view.trace
        names = Names(trace.layers, trace.params, trace.frozen)
        rows = entries(trace.layers, names)
        if len(rows) > MAX_ROWS:
            return self._arrays(view)
        head = [self._head(view, k) for k in ("name", "edge", "value", "grad", "new")]
        body = [self._row(view, names, name, entry) for name, entry in rows]
        cols = [list(col) for col in zip(head, *body, strict=True)]
        lines = columns(cols)
        room = self.content_size.width
        if room and max(width(li) for li in lines) > room:
            # Not enough room: the diagram already shows which units a weight joins.
            lines = columns([cols[0], *cols[2:]])
        roles = [view.focus.weight_role(entry) for _, entry in rows]
        return self._window(view, lines[0], lines[1:], roles)

    @staticmethod
    def _window(view: View, head: Line, body: list[Line], roles: list[str]) -> list[Line]:
        """At most VISIBLE rows, scrolled to the first weight the step is about."""
        if len(body) <= VISIBLE:
            return [head, *body]
        focused = next((i for i, r in enumerate(roles) if r), 0)
        start = max(0, min(focused - 2, len(body) - VISIBLE))
        end = start + VISIBLE
        more = t("stepper_more_rows", view.lang, above=start, below=len(body) - end)
        return [head, *body[start:end], [(more, "muted")]]

    @staticmethod
    def _head(view: View, what: str) -> Line:
        return [(t(f"stepper_col_{what}", view.lang), "muted")]

    def _row(self, view: View, names: Names, name: str, entry: Entry) -> tuple[Line, ...]:
        param, index = entry
        trace, li = view.trace, int(param[1:])
        role = view.focus.weight_role(entry)
        if param[0] == "W":
            edge = f"{names.unit(li - 1, index[0])}->{names.unit(li, index[1])}"
        else:
            units = range(view.trace.layers[li]) if names.shared[li] else index
            edge = "->" + ",".join(names.unit(li, j) for j in units)
        value = float(trace.params[param][index])
        if trace.forward_only:  # forward propagation only: nothing is differentiated
            grad, new = [("—", "muted")], [("—", "muted")]
        elif param in trace.frozen:
            grad: Line = [(t("stepper_frozen", view.lang), "muted")]
            new: Line = []
        else:
            grad = self._value(view, "backward", entry, trace.grads[param][index], role)
            new = self._value(view, "update", entry, trace.new_params[param][index], role)
        return ([(name, role)], [(edge, "muted")], [(view.num(value), role)], grad, new)

    @staticmethod
    def _value(view: View, phase: str, entry: Entry, value: float, role: str) -> Line:
        param, index = entry
        text = view.num(value)
        if not view.param_revealed(phase, param, index):
            return [(shown_or_hidden(text, False), "muted")]
        here = view.step.phase == phase and role == "current"
        return [(text, "current" if here else role)]

    def _arrays(self, view: View) -> list[Line]:
        """One row per parameter array: shape and norms (‖W‖, ‖∂E/∂W‖, ‖W⁺ − W‖), the last two
        once the walk has computed them."""
        trace = view.trace
        head = [self._head(view, k) for k in ("name", "shape", "norm", "grad_norm", "change")]
        body = []
        for param, value in trace.params.items():
            role = "current" if view.step.param == param else ""
            cells = [[(view.num(np.linalg.norm(value)), role)]]
            for phase, array in (
                ("backward", trace.grads[param]),
                ("update", trace.new_params[param] - value),
            ):
                if trace.forward_only:
                    cells.append([("—", "muted")])
                    continue
                text = view.num(np.linalg.norm(array))
                shown = view.param_revealed(phase, param, None)
                cells.append([(shown_or_hidden(text, shown), role if shown else "muted")])
            shape = "x".join(map(str, value.shape))
            body.append(([(param, role)], [(shape, "muted")], *cells))
        return columns([list(col) for col in zip(head, *body, strict=True)])
