"""The one-line header (preset, iteration, phases, position) and the outline of nearby steps."""

from __future__ import annotations

from tui_nn.app.stepper.sheet import Line, Sheet
from tui_nn.app.stepper.view import View
from tui_nn.core.worked import Step
from tui_nn.i18n import t


class PhaseBar(Sheet):
    """Where the student is: iteration, the four phases with the current one lit, step n/N."""

    DEFAULT_CSS = """
    PhaseBar { background: $panel; padding: 0 1; }
    """

    def lines(self, view: View) -> list[Line]:
        lang, trace = view.lang, view.trace
        line: Line = [(trace.preset + "  ", "title")]
        line.append((t("stepper_iteration", lang, n=trace.iteration) + " ", ""))
        for phase in dict.fromkeys(s.phase for s in view.steps):
            role = "current" if phase == view.step.phase else "muted"
            line += [(" ", ""), (f" {t('stepper_phase_' + phase, lang)} ", role)]
        position = t("stepper_position", lang, n=view.pos + 1, total=len(view.steps))
        line.append(("  " + position, "muted"))
        if view.expanded:
            line.append(("  " + t("stepper_expanded_flag", lang, name=view.expanded), "warn"))
        return [line]


class StepList(Sheet):
    """The steps around the current one, like a worksheet: results appear once reached."""

    DEFAULT_CSS = """
    StepList { border-top: solid $primary; height: 1fr; }
    """
    #: Steps shown before the current one (the rest of the height goes to those after).
    BEFORE = 4

    def lines(self, view: View) -> list[Line]:
        self.border_title = t("stepper_outline_title", view.lang)
        rows = max(3, self.size.height or 12)
        start = max(0, min(view.pos - self.BEFORE, len(view.steps) - rows))
        out: list[Line] = []
        batch = view.trace.capture.batch
        for i in range(start, min(len(view.steps), start + rows)):
            s = view.steps[i]
            here = i == view.pos
            value = _value(view, s)
            role = "current" if here else ("" if i < view.pos else "muted")
            where = f"[{s.sample + 1}] " if s.sample is not None and batch > 1 else ""
            line = f"{where}{view.text(s.symbol)} = {value}"
            row: Line = [("> " if here else "  ", role)]
            if view.marks:  # against the student's program: ✓ same, ✗ different
                ok = view.marks.get(s.id)
                mark = {True: "✓ ", False: "✗ ", None: "  "}[ok]
                if view.ascii_only:
                    mark = {True: "+ ", False: "x ", None: "  "}[ok]
                row.append((mark, {True: "good", False: "bad", None: ""}[ok]))
            out.append([*row, (line, role)])
        return out


def _value(view: View, step: Step) -> str:
    """The result once reached ("?" before); arrays are left to the step panel."""
    if not view.revealed(step.id):
        return "?"
    return "[...]" if step.shape else view.num(step.result)
