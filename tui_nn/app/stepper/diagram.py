"""The network as a diagram: one column per layer, each unit with its net and out for the sample
on screen, the current unit, its inputs and the chain rule's path back highlighted.

Values the walk has not reached yet show as "?", so the diagram fills in like a worksheet.
Every column holds names and numbers only (ASCII), so columns line up in any terminal.
"""

from __future__ import annotations

from tui_nn.app.stepper.sheet import Line, Sheet, columns
from tui_nn.app.stepper.view import View
from tui_nn.core.worked import Names
from tui_nn.i18n import t

#: Units drawn per layer; beyond, the last row says how many more there are.
MAX_UNITS = 6
HIDDEN = "?"


def shown_or_hidden(text: str, shown: bool) -> str:
    """The value, or "?" as wide as the value, so columns keep their width as values appear."""
    return text if shown else HIDDEN.ljust(len(text))


class NetworkDiagram(Sheet):
    """Units as nodes with their values; highlight roles from the view's focus."""

    DEFAULT_CSS = """
    NetworkDiagram { border-top: solid $primary; text-wrap: nowrap; text-overflow: clip; }
    """

    def lines(self, view: View) -> list[Line]:
        trace = view.trace
        n = self.sample(view)
        self.border_title = self.title(view, n)
        names = Names(trace.layers, trace.params, trace.frozen)
        cols = [self._layer(view, names, li, n) for li in range(len(trace.layers))]
        if trace.forward_only:  # no targets: no d, no E
            return columns(cols)
        cols.append(self._targets(view, n))
        rows = columns(cols)
        return [*rows, self._total(view, n)]

    @staticmethod
    def sample(view: View) -> int:
        """The batch row whose values are drawn: the step's own, else the trace's, else 0."""
        if view.step.sample is not None:
            return view.step.sample
        return view.trace.sample or 0

    @staticmethod
    def title(view: View, n: int) -> str:
        batch = view.trace.capture.batch
        if batch == 1:
            return t("stepper_diagram_title", view.lang)
        return t("stepper_diagram_title_sample", view.lang, n=n + 1, batch=batch)

    def _header(self, view: View, li: int) -> Line:
        L = len(view.trace.layers) - 1
        if li == 0:
            return [(t("stepper_layer_input", view.lang), "muted")]
        if li == L:
            return [(t("stepper_layer_output", view.lang), "muted")]
        key = "stepper_layer_hidden" if L == 2 else "stepper_layer_hidden_n"
        return [(t(key, view.lang, n=li), "muted")]

    def _shown(self, count: int) -> list[int]:
        return list(range(count if count <= MAX_UNITS else MAX_UNITS - 1))

    def _layer(self, view: View, names: Names, li: int, n: int) -> list[Line]:
        trace = view.trace
        count = trace.layers[li]
        units = self._shown(count)
        width = max(len(names.unit(li, j)) for j in units)
        out: list[Line] = [self._header(view, li)]
        for j in units:
            out += self._unit(view, names.unit(li, j).ljust(width), li, j, n)
        if len(units) < count:
            out.append([(t("stepper_more_units", view.lang, n=count - len(units)), "muted")])
        return out

    def _unit(self, view: View, name: str, li: int, j: int, n: int) -> list[Line]:
        cap, role = view.trace.capture, view.focus.unit_role((li, j))
        if li == 0:
            return [[(name, role), (" " + view.num(cap.x[n, j]), role)], []]
        sfx = f".n{n}" if cap.batch > 1 else ""
        lines = []
        for label, kind, values in (("net", "u", cap.u), ("out", "z", cap.z)):
            ids = (f"forward.{kind}.{li}.{j}{sfx}", f"forward.{kind}.{li}")
            shown = all(view.revealed(i) for i in ids)
            value = shown_or_hidden(view.num(values[li][n, j]), shown)
            here = role == "current" and view.step.id in ids
            lead = name if label == "net" else " " * len(name)
            lines.append(
                [(lead, role), (f" {label} ", "muted"), (value, "current" if here else role)]
            )
        return lines

    def _targets(self, view: View, n: int) -> list[Line]:
        """d and E of each output, beside the output layer."""
        trace, cap = view.trace, view.trace.capture
        L = len(trace.layers) - 1
        sfx = f".n{n}" if cap.batch > 1 else ""
        out: list[Line] = [[]]
        for k in self._shown(trace.layers[L]):
            ids = (f"loss.E.{k}{sfx}", "loss.total")
            shown = all(view.revealed(i) for i in ids)
            here = view.step.id in ids[:1]
            value = shown_or_hidden(view.num(cap.loss_terms[n, k]), shown)
            out.append([("d ", "muted"), (view.num(cap.d[n, k]), "")])
            out.append([(f"E_o{k + 1} ", "muted"), (value, "current" if here else "")])
        return out

    def _total(self, view: View, n: int) -> Line:
        cap = view.trace.capture
        sfx = f".n{n}" if cap.batch > 1 else ""
        ids = (f"loss.total{sfx}", "loss.total", "loss.mean")
        shown = all(view.revealed(i) for i in ids)
        here = view.step.id in ids
        role = "current" if here else ("path" if view.focus.loss else "")
        value = shown_or_hidden(view.num(cap.loss_terms[n].sum()), shown)
        name = "E_total" if cap.batch == 1 else f"E_{n + 1}"
        line: Line = [(name + " ", role or "muted"), (value, role)]
        if cap.batch > 1:
            reached = view.revealed("loss.mean") and view.revealed("loss.total")
            mean = shown_or_hidden(view.num(cap.loss), reached)
            line += [("   E ", "muted"), (mean, "current" if view.step.id == "loss.mean" else "")]
        return line
