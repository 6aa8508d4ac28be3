"""The backprop stepper: one iteration of the live network, walked a number at a time.

The app opens it on a paused trainer (no training thread runs while it is open). It builds the
worked trace of the trainer's next `step()`; "apply" then calls that same `trainer.step()` and
checks that the network's new weights are the trace's `new_params`, before returning to
training (dismissed with a `StepperResult`) or opening the next iteration in place.
"""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui_nn.app.dialog import ClosesOnce
from tui_nn.app.helping import HelpData
from tui_nn.app.lang import STEPPER_KEYS, localize_bindings, stepper_bind
from tui_nn.app.stepper import answer
from tui_nn.app.stepper.bars import PhaseBar, StepList
from tui_nn.app.stepper.diagram import NetworkDiagram
from tui_nn.app.stepper.export import Exporting
from tui_nn.app.stepper.mine import compare_file
from tui_nn.app.stepper.navigate import Cursor, next_match, resolve
from tui_nn.app.stepper.panel import StepPanel
from tui_nn.app.stepper.prompt import PromptBar
from tui_nn.app.stepper.quiz import Answers, Checking
from tui_nn.app.stepper.result import Place, StepperResult
from tui_nn.app.stepper.sheet import Sheet
from tui_nn.app.stepper.view import View
from tui_nn.app.stepper.weights import WeightTable
from tui_nn.core.errors import ConfigError, Diverged
from tui_nn.core.safe_text import visible
from tui_nn.core.trainer import Trainer
from tui_nn.core.worked import Trace, build_trace, expand
from tui_nn.i18n import t

#: Decimal places: a readable default, and the course slides' nine on demand.
DIGITS = (6, 9)
#: Seconds an informational notice stays (it covers part of an 80×24 screen).
NOTICE = 2.5


class StepperScreen(Checking, Exporting, ClosesOnce, Screen[StepperResult]):
    """Walk one backprop iteration of `trainer` step by step; apply it when done.

    `trainer` must be paused for as long as the screen is open; `lang` is "en" or "ja";
    `sample` (0-based row of the next mini-batch, as `build_trace` counts) restricts the
    per-sample steps to that row. Dismissed with a `StepperResult`.
    """

    AUTO_FOCUS = ""
    KEY_TEXTS = STEPPER_KEYS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    DEFAULT_CSS = """
    StepperScreen #stepper-top { layout: horizontal; height: auto; }
    StepperScreen #stepper-bottom { layout: horizontal; height: 1fr; }
    StepperScreen NetworkDiagram { width: auto; max-width: 70%; margin-right: 1; }
    StepperScreen WeightTable { width: 1fr; }
    StepperScreen #stepper-step { width: 1fr; height: 100%; margin-right: 1; }
    StepperScreen StepList { width: 40%; max-width: 50; }
    StepperScreen.-narrow #stepper-top { layout: vertical; }
    StepperScreen.-narrow NetworkDiagram { max-width: 100%; margin-right: 0; }
    StepperScreen.-narrow #stepper-step { margin-right: 0; }
    StepperScreen.-narrow StepList { display: none; }
    StepperScreen.-narrow WeightTable { display: none; }
    StepperScreen.-narrow.-weights WeightTable { display: block; }
    StepperScreen.-narrow.-weights NetworkDiagram { display: none; }
    StepperScreen #stepper-problem { display: none; padding: 1 2; color: $text-error; }
    StepperScreen.-ascii NetworkDiagram, StepperScreen.-ascii WeightTable,
    StepperScreen.-ascii StepPanel, StepperScreen.-ascii StepList { border-top: ascii $primary; }
    """
    BINDINGS = [
        stepper_bind("n,right,j", "move(1)", "next", display="n"),
        stepper_bind("p,left,k", "move(-1)", "prev", display="p"),
        stepper_bind("right_square_bracket,pagedown", "phase(1)", "next_phase", display="]"),
        stepper_bind("left_square_bracket,pageup", "phase(-1)", "prev_phase", show=False),
        stepper_bind("home", "move(-100000)", "first", show=False),
        stepper_bind("end", "move(100000)", "last", show=False),
        stepper_bind("c,equals_sign", "check", "check"),
        stepper_bind("g,slash", "jump", "jump", show=False),
        stepper_bind("o", "compare", "compare", show=False),
        stepper_bind("a,u", "apply", "apply"),
        stepper_bind("i,plus", "apply_next", "apply_next"),
        stepper_bind("l,f2", "toggle_lang", "lang"),
        stepper_bind("v,m", "toggle_view", "view", show=False),
        stepper_bind("d,9", "toggle_digits", "digits", show=False),
        stepper_bind("h", "toggle_quiz", "quiz", show=False),
        stepper_bind("w", "toggle_weights", "weights", show=False),
        stepper_bind("x,f3", "toggle_ascii", "ascii", show=False),
        stepper_bind("e,s", "export", "export", show=False),
        stepper_bind("escape,q,b", "close", "close", display="q"),
    ]

    def __init__(
        self,
        trainer: Trainer,
        lang: str = "en",
        sample: int | None = None,
        resume: Place | None = None,
    ) -> None:
        super().__init__()
        self.trainer = trainer
        self.resume = resume
        self.lang = lang
        self.sample = sample
        self.applied = 0
        self.view_mode = "auto"
        self.digits = DIGITS[0]
        self.trace: Trace | None = None
        self.cursor: Cursor | None = None
        self.state: View | None = None  # what the widgets show; rebuilt by _show
        self.ascii_only = False
        self.quiz = False
        self.verdict: answer.Verdict | None = None
        self.solved: frozenset[str] = frozenset()  # step ids answered right
        self.marks: dict[str, bool] = {}  # step ids checked against the student's program
        self.answers = Answers()  # this iteration's answers: carried forward, the quiz sheet
        self.expanded: str | None = None  # the name whose steps are walked alone, e.g. "w5"
        self.full_pos = 0  # where the walk was before an expansion
        self.problem = ""  # why the last trace could not be built

    # ---- building ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield PhaseBar(id="stepper-phases")
        top = Horizontal(id="stepper-top")
        # Measure the diagram at full width; Textual would otherwise size an auto-width child
        # of an auto-height row against zero.
        top.shrink = False
        with top:
            yield NetworkDiagram(id="stepper-diagram")
            yield WeightTable(id="stepper-weights")
        with Horizontal(id="stepper-bottom"):
            with VerticalScroll(id="stepper-step", can_focus=False):
                yield StepPanel(id="stepper-panel")
            yield StepList(id="stepper-outline")
        yield Static(id="stepper-problem", markup=False)
        yield PromptBar(id="stepper-prompt")
        yield Footer(compact=True, show_command_palette=False)

    def help_data(self) -> HelpData:
        """F1 / ? (the app's help) shows the stepper's page, then this screen's keys."""
        return HelpData(pages=("stepper_help",))

    def on_mount(self) -> None:
        self._relabel()
        if not self._load(keep=None):
            # Nothing to walk (a sample outside the batch, a diverged network): say why.
            for part in ("#stepper-top", "#stepper-bottom"):
                self.query_one(part).display = False
            problem = self.query_one("#stepper-problem", Static)
            problem.update(self.problem)
            problem.display = True
        else:
            self._return_to(self.resume)

    def _return_to(self, place: Place | None) -> None:
        """Back to the step, digits and view of `place` if it is in this same iteration."""
        trace = self.trace
        if place is None or (place.preset, place.iteration, place.sample) != (
            trace.preset,
            trace.iteration,
            self.sample,
        ):
            return
        if (place.view, place.digits) != (self.view_mode, self.digits):
            self._load(keep=place.step, view=place.view, digits=place.digits)
        else:
            self.cursor.pos = _index_of(self.cursor.steps, place.step)
            self._show()

    def _place(self) -> Place | None:
        if self.trace is None or self.cursor is None:
            return None
        step = self.cursor.step.id
        return Place(
            self.trace.preset, self.trace.iteration, self.sample, step, self.digits, self.view_mode
        )

    def _load(self, keep: str | None, **changes: object) -> bool:
        """(Re)build the trace; keep the step with id `keep` on screen when it still exists."""
        view = changes.get("view", self.view_mode)
        digits = changes.get("digits", self.digits)
        try:
            trace = build_trace(self.trainer, self.sample, view, digits)
        except (ConfigError, Diverged) as e:
            message = (
                e.reason_in(self.lang) if isinstance(e, ConfigError) else e.message_in(self.lang)
            )
            self.problem = t("stepper_cannot", self.lang, reason=message)
            self.notify(self.problem, severity="error", markup=False)
            return False
        if trace.iteration != getattr(self.trace, "iteration", None):
            self.verdict, self.solved, self.answers = None, frozenset(), Answers()
            self.marks = {}
        self.view_mode, self.digits = str(view), int(digits)
        self.trace, self.expanded = trace, None
        self.cursor = Cursor(trace.steps, _index_of(trace.steps, keep))
        self._show()
        return True

    def _show(self) -> None:
        """Hand the new view down to every widget."""
        if self.cursor is None or self.trace is None:
            return
        self.state = View(
            self.trace,
            self.cursor.steps,
            self.cursor.pos,
            lang=self.lang,
            ascii_only=self.ascii_only,
            quiz=self.quiz,
            verdict=self.verdict,
            expanded=self.expanded,
            solved=self.solved,
            marks=self.marks,
            score=(self.answers.right, len(self.answers.rows)),
        )
        for sheet in self.query(Sheet):
            sheet.show(self.state)
        self.query_one("#stepper-step", VerticalScroll).scroll_home(animate=False)

    def _relabel(self) -> None:
        localize_bindings(self, self.lang)
        localize_bindings(self.query_one(PromptBar), self.lang)
        self.refresh_bindings()

    # ---- moving --------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.cursor is not None and self.cursor.move(delta):
            self._show()

    def action_phase(self, delta: int) -> None:
        if self.cursor is not None and self.cursor.move_phase(delta):
            self._show()

    def action_jump(self) -> None:
        self._prompt(
            "jump", t("stepper_prompt_jump", self.lang), t("stepper_prompt_jump_hint", self.lang)
        )

    def _jump(self, name: str) -> None:
        if self.cursor is None or not name.strip():
            return
        if self.expanded is not None:
            self._collapse()
        found = next_match(self.cursor.steps, name, self.cursor.pos)
        if found is not None:
            self.cursor.pos = found
            self._show()
            return
        target = resolve(self.trace, name) if self.trace is not None else None
        if target is None or not self._expand(name.strip(), *target):
            missing = t("stepper_jump_none", self.lang, name=visible(name.strip()))
            self.notify(missing, severity="warning", markup=False)

    def _expand(self, name: str, param: str, index: tuple[int, ...]) -> bool:
        """Walk only the steps of one weight or unit (the matrix view's way to see numbers)."""
        try:
            steps = expand(self.trace, param, *index)
        except ConfigError:
            return False
        if not steps:
            return False
        self.full_pos, self.expanded = self.cursor.pos, name
        self.cursor = Cursor(steps)
        self._show()
        return True

    def _collapse(self) -> None:
        self.cursor = Cursor(self.trace.steps, self.full_pos)
        self.expanded = None
        self._show()

    def _prompt(self, mode: str, label: str, hint: str) -> None:
        if self.cursor is not None:
            self.query_one(PromptBar).open(mode, label, hint)

    def on_prompt_bar_submitted(self, event: PromptBar.Submitted) -> None:
        handle = {"check": self._check, "compare": self._compare}.get(event.mode, self._jump)
        handle(event.value)

    def action_compare(self) -> None:
        self._prompt(
            "compare",
            t("stepper_prompt_compare", self.lang),
            t("stepper_prompt_compare_hint", self.lang),
        )

    def _compare(self, path: str) -> None:
        if self.trace is None or not path.strip():
            return
        try:
            self.marks, summary = compare_file(self.trainer, self.trace, path, self.lang)
        except ConfigError as e:
            self.notify(visible(e.message_in(self.lang)), severity="error", markup=False)
            return
        self.notify(summary, timeout=NOTICE, markup=False)
        self._show()

    # ---- how things are written ----------------------------------------------------------

    def action_toggle_lang(self) -> None:
        self.lang = "ja" if self.lang == "en" else "en"
        if isinstance(getattr(self.app, "lang", None), str):
            # The app's own keys in the footer (F1 Help) and the help follow the stepper.
            self.app.lang = self.lang
        self._relabel()
        self._show()

    def action_toggle_view(self) -> None:
        if self.trace is None:
            return
        other = "matrix" if self.trace.view == "scalar" else "scalar"
        here = self.cursor.step.id if self.expanded is None else None
        if self._load(keep=here, view=other):
            self.notify(t(f"stepper_view_{other}", self.lang), timeout=NOTICE)

    def action_toggle_digits(self) -> None:
        if self.trace is None:
            return
        digits = DIGITS[1] if self.digits == DIGITS[0] else DIGITS[0]
        expanded, pos = self.expanded, self.cursor.pos
        if self._load(keep=self.cursor.step.id, digits=digits) and expanded is not None:
            target = resolve(self.trace, expanded)
            if target and self._expand(expanded, *target):
                self.cursor.pos = pos
                self._show()
        self.notify(t("stepper_digits_now", self.lang, n=self.digits), timeout=NOTICE)

    def action_toggle_ascii(self) -> None:
        self.ascii_only = not self.ascii_only
        self.set_class(self.ascii_only, "-ascii")
        self._show()

    def action_toggle_weights(self) -> None:
        """Narrow terminals show the network or the weight table; wide ones show both."""
        self.toggle_class("-weights")

    # ---- leaving: export, apply, close ---------------------------------------------------

    def action_apply(self) -> None:
        if self._commit():
            self.dismiss(StepperResult(self.applied, self.lang, self._place()))

    def action_apply_next(self) -> None:
        if self._commit() and self._load(keep=None):
            self.notify(
                t("stepper_next_iteration", self.lang, n=self.trace.iteration), timeout=NOTICE
            )

    def _commit(self) -> bool:
        """`trainer.step()`, the very update the trace shows; then prove the weights agree."""
        trace = self.trace
        if trace is None:
            return False
        try:
            self.trainer.step()
        except ConfigError as e:  # a forward-only exercise: there is no update to apply
            cannot = t("stepper_no_update", self.lang, reason=visible(e.reason_in(self.lang)))
            self.notify(cannot, severity="error", markup=False)
            return False
        except Diverged as e:
            cannot = t("stepper_cannot_apply", self.lang, reason=e.message_in(self.lang))
            self.notify(cannot, severity="error", markup=False)
            return False
        self.applied += 1
        gap = max_difference(self.trainer.net.params, trace.new_params)
        if gap > 0:
            self.notify(t("stepper_mismatch", self.lang, diff=f"{gap:.3g}"), severity="error")
        return True

    def action_close(self) -> None:
        if self.expanded is not None:
            self._collapse()
            return
        self.dismiss(StepperResult(self.applied, self.lang, self._place()))


def _index_of(steps: list, step_id: str | None) -> int:
    return next((i for i, s in enumerate(steps) if s.id == step_id), 0)


def max_difference(params: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> float:
    """The largest |trainer − trace| over every parameter (0.0 when they agree exactly)."""
    return max(float(np.max(np.abs(params[k] - v), initial=0.0)) for k, v in expected.items())
