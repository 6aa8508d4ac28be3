"""The step on screen: its label, formula, formula with numbers and result, each chain-rule
factor with its value, the course-style NumPy line, a one-sentence explanation, pitfalls, and
the verdict on the student's last answer.

Equalities go on their own lines behind a fixed ASCII indent and factor values come before
their symbols, so nothing is ever aligned after an ambiguous-width glyph (∂, η, ·).
"""

from __future__ import annotations

from tui_nn.app.stepper.notation import array_lines
from tui_nn.app.stepper.sheet import Line, Sheet
from tui_nn.app.stepper.text import explanation, note, step_label
from tui_nn.app.stepper.view import View
from tui_nn.core.worked import Step
from tui_nn.i18n import t
from tui_nn.i18n.wrap import wrap

INDENT = "      "
VERDICT_ROLES = {
    "right": "good",
    "close": "warn",
    "truncated": "warn",
    "carried": "warn",
    "wrong": "bad",
}
#: Steps whose factors are added, not multiplied.
SUM_KINDS = {"path_sum", "delta_jacobian"}


class StepPanel(Sheet):
    """Everything about the current step, in the current language and notation."""

    DEFAULT_CSS = """
    StepPanel { border-top: solid $primary; }
    """

    def lines(self, view: View) -> list[Line]:
        step = view.step
        self.border_title = view.text(step_label(step, view.lang))
        out = self._equalities(view, step)
        out += self._factors(view, step)
        out += self._state(view, step)
        out.append([(t("worked_numpy", view.lang) + ": ", "muted"), (step.numpy, "")])
        if view.trace.view == "matrix" and view.expanded is None:
            out.append([(t("stepper_matrix_hint", view.lang), "muted")])
        room = self.content_size.width or 10_000
        why = explanation(step, view.lang)
        out += [[(line, "")] for line in wrap(view.text(why), room)] if why else []
        for n in step.notes:
            first, *more = wrap("! " + view.text(note(n, view.lang)), room)
            out += [[(first, "warn")], *([("  " + line, "warn")] for line in more)]
        out += self._verdict(view)
        if step.id in view.marks:  # what the student's program printed for this step
            ok = view.marks[step.id]
            key = "stepper_compare_same" if ok else "stepper_compare_differs"
            mark = ("+ " if ok else "x ") if view.ascii_only else ("✓ " if ok else "✗ ")
            out.append([(mark + t(key, view.lang), "good" if ok else "bad")])
        if view.quiz and view.score[1]:
            right, given = view.score
            out.append(
                [(t("stepper_sheet_status", view.lang, right=right, answered=given), "muted")]
            )
        return out

    def _equalities(self, view: View, step: Step) -> list[Line]:
        """symbol = formula, then "  = numbers" and "  = result", skipping repeats; a long sum
        breaks after a "+" and goes on indented."""
        sides = [step.formula, step.substituted]
        sides = [s for i, s in enumerate(sides) if s and (i == 0 or s != sides[i - 1])]
        room = self.content_size.width or 10_000
        symbol = view.text(step.symbol)
        head, *rest = wrap_sum(f"{symbol} = {view.text(sides[0])}", room)
        out: list[Line] = [[(symbol, "title"), (head[len(symbol) :], "")]]
        out += [[(INDENT + r, "")] for r in rest]
        for side in sides[1:]:
            first, *more = wrap_sum("    = " + view.text(side), room)
            out += [[(first, "")], *([(INDENT + r, "")] for r in more)]
        if view.result_hidden(step.id):
            return [
                *out,
                [
                    ("    = ", ""),
                    ("?", "current"),
                    ("  " + t("stepper_quiz_hint", view.lang), "muted"),
                ],
            ]
        results = array_lines(step.result, view.digits) if step.shape else [view.num(step.result)]
        out.append([("    = ", ""), (results[0], "current")])
        out += [[("      ", ""), (r, "current")] for r in results[1:]]
        return out

    def _factors(self, view: View, step: Step) -> list[Line]:
        if not step.factors:
            return []
        heading = "stepper_terms" if step.kind in SUM_KINDS else "worked_factors"
        verdict = view.verdict_here()
        recheck = verdict.recheck if verdict is not None else None
        width = max(len(view.num(f.value)) for f in step.factors)
        out: list[Line] = [[(t(heading, view.lang), "muted")]]
        for i, f in enumerate(step.factors):
            mark = "> " if i == recheck else "  "
            role = "bad" if i == recheck else ""
            out.append(
                [
                    (mark, role),
                    (view.num(f.value).rjust(width), role or "input"),
                    ("  " + view.text(f.symbol), role),
                ]
            )
        return out

    def _state(self, view: View, step: Step) -> list[Line]:
        """Optimizer state terms of an update (momentum's v, Adam's m and v): before -> after."""
        out: list[Line] = []
        for name, (before, after) in step.state.items():
            if getattr(before, "ndim", 0):
                continue
            out.append([(f"  {name}: {view.num(before)} -> {view.num(after)}", "muted")])
        return out

    def _verdict(self, view: View) -> list[Line]:
        verdict = view.verdict_here()
        last = view.verdict
        if verdict is None and last is not None and view.quiz and last.status == "right":
            # The drill moved on after a right answer: say so here, where the eyes are.
            previous = next((s for s in view.steps if s.id == last.step_id), None)
            if previous is not None:
                said = f"{view.text(previous.symbol)}: {view.text(last.message(view.lang))}"
                return [[(said, "good")]]
        if verdict is None:
            return []
        role = VERDICT_ROLES.get(verdict.status, "warn")
        answer = t("stepper_your_answer", view.lang, answer=verdict.answer)
        return [[(answer + " ", "muted"), (view.text(verdict.message(view.lang)), role)]]


def wrap_sum(text: str, room: int) -> list[str]:
    """`text` cut after " + " where it passes `room` cells (continuations get INDENT)."""
    parts = text.split(" + ")
    lines, line = [], parts[0]
    for part in parts[1:]:
        width = len(INDENT) if lines else 0
        if width + len(line) + 3 + len(part) > room:
            lines.append(line + " +")
            line = part
        else:
            line = f"{line} + {part}"
    return [*lines, line]
