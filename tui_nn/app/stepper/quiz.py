"""The student's answers in one iteration: the values later checks carry forward, and quiz
mode's score sheet (step, what was asked, the answer given, the verdict), which saves as
Markdown a student can hand in, followed by the iteration worked in full."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui_nn.app.stepper import answer
from tui_nn.app.stepper.answer import Verdict
from tui_nn.app.stepper.notation import plain
from tui_nn.app.stepper.text import step_label
from tui_nn.core.worked import Step, Trace
from tui_nn.i18n import t

#: Verdicts whose number is the student's own (wrong) value, which later steps may build on.
OFF = {"wrong", "close", "truncated", "carried"}
#: Characters that mean something in a Markdown table cell or in its math.
MARKDOWN = re.compile(r"([\\`*_\[\]<>|$~&#])")


@dataclass(frozen=True)
class Row:
    """One answer on the sheet."""

    n: int  # the step's place in the walk, from 1
    step: Step
    verdict: Verdict


@dataclass
class Answers:
    """What the student answered in this iteration."""

    rows: list[Row] = field(default_factory=list)  # answers given in quiz mode, in order
    off: dict[str, float] = field(default_factory=dict)  # step id -> the latest wrong value

    def record(self, n: int, step: Step, verdict: Verdict, quiz: bool) -> None:
        if verdict.value is None:
            return  # nothing was read: an unreadable answer, a matrix
        if verdict.status in OFF:
            self.off[step.id] = verdict.value
        elif verdict.status == "right":
            self.off.pop(step.id, None)
        if quiz:
            self.rows.append(Row(n, step, verdict))

    @property
    def right(self) -> int:
        return sum(r.verdict.status == "right" for r in self.rows)


class Checking:
    """`c` (check a number typed by hand) and `h` (quiz: results hidden until answered right,
    a score sheet kept). Mixed into the stepper screen."""

    def action_check(self) -> None:
        if self.cursor is None:
            return
        symbol = plain(self.cursor.step.symbol, self.ascii_only)
        self._prompt(
            "check",
            t("stepper_prompt_check", self.lang, symbol=symbol),
            t("stepper_prompt_check_hint", self.lang),
        )

    def _check(self, text: str) -> None:
        if self.cursor is None or not text.strip():
            return
        step = self.cursor.step
        self.verdict = answer.check(text, step, self.trace, self.answers.off)
        n = next((i for i, s in enumerate(self.trace.steps, 1) if s.id == step.id), 0)
        self.answers.record(n or self.cursor.pos + 1, step, self.verdict, self.quiz)
        if self.verdict.status == "right":
            self.solved |= {self.verdict.step_id}
            if self.quiz:
                # Drill: on to the next number; the panel still says how the last one went.
                self.cursor.move(1)
        self._show()

    def action_toggle_quiz(self) -> None:
        self.quiz = not self.quiz
        self._show()


def cell(text: str) -> str:
    """`text` inert in a Markdown table cell: one line, every special character escaped."""
    return MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def sheet_markdown(answers: Answers, trace: Trace, lang: str, iteration_md: str) -> str:
    """The score sheet as a Markdown table, its score, then the iteration in full."""
    title = t("stepper_sheet_title", lang, preset=trace.preset, n=trace.iteration)
    cols = [t(f"stepper_sheet_col_{c}", lang) for c in ("n", "step", "asked", "answer", "verdict")]
    out = [f"# {cell(title)}", "", "| " + " | ".join(cols) + " |", "|---" * len(cols) + "|"]
    for r in answers.rows:
        parts = [str(r.n), step_label(r.step, lang), r.step.symbol, r.verdict.answer]
        parts.append(r.verdict.message(lang))
        out.append("| " + " | ".join(cell(p) for p in parts) + " |")
    if not answers.rows:
        out.append("| " + " | ".join(["", t("stepper_sheet_empty", lang), "", "", ""]) + " |")
    score = t("stepper_sheet_score", lang, right=answers.right, answered=len(answers.rows))
    return "\n".join([*out, "", score, "", "---", "", iteration_md])
