"""Saving the iteration as Markdown (the worked trace's own report, with LaTeX), with quiz
mode's score sheet in front when the quiz is on: the file name asked for, and a yes/no question
before replacing a file."""

from __future__ import annotations

import os
import re
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui_nn.app.deliver import deliver, in_browser, staging_folder
from tui_nn.app.dialog import ClosesOnce, FitsShort
from tui_nn.app.lang import STEPPER_KEYS, localize_bindings, stepper_bind
from tui_nn.app.stepper.quiz import Answers, sheet_markdown
from tui_nn.core.files import ExportError, check_free, write_atomic
from tui_nn.core.safe_text import visible
from tui_nn.core.trainer import Trainer
from tui_nn.core.worked import Trace, build_trace, render_markdown
from tui_nn.i18n import t


def markdown_name(trace: Trace, lang: str, quiz: bool = False) -> str:
    """mazur-2-2-2-iteration-1.md (…-quiz.md with the score sheet, …-ja.md in Japanese): safe
    in any folder."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", trace.preset).strip("-.") or "worked"
    suffix = ("-quiz" if quiz else "") + ("-ja" if lang == "ja" else "")
    return f"{stem}-iteration-{trace.iteration}{suffix}.md"


def write_markdown(
    trainer: Trainer,
    trace: Trace,
    lang: str,
    path: Path,
    overwrite: bool,
    sheet: Answers | None = None,
) -> Path:
    """Write the whole iteration at the course slides' 9 digits, whatever the screen shows,
    after the score `sheet` when there is one; raises ExportError (exists, cannot write) with
    a one-line message."""
    full = build_trace(trainer, trace.sample, trace.view, 9)
    text = render_markdown(full, lang)
    if sheet is not None:
        text = sheet_markdown(sheet, full, lang, text)
    return write_atomic(path, lambda tmp: tmp.write_text(text, "utf-8"), overwrite=overwrite)


class Exporting:
    """`e` in the stepper: asks for the file name, then writes the iteration (after the score
    sheet in quiz mode), asking before a file is replaced. Mixed into the stepper screen."""

    def action_export(self) -> None:
        if self.trace is not None:
            what = "stepper_export_name_sheet" if self.quiz else "stepper_export_name"
            name = markdown_name(self.trace, self.lang, self.quiz)
            ask = MarkdownName(name, self.lang, what=what)
            self.app.push_screen(ask, self._export_to)

    def _export_to(self, path: Path | None) -> None:
        if path is None:
            return
        if in_browser(self.app):  # a download under the same name, never a file on the server
            self._export(staging_folder() / path.name, overwrite=False)
            return
        if path.exists():
            self.app.push_screen(
                ConfirmOverwrite(path, self.lang),
                lambda yes: yes and self._export(path, overwrite=True),
            )
        else:
            self._export(path, overwrite=False)

    def _export(self, path: Path, overwrite: bool) -> None:
        sheet = self.answers if self.quiz else None
        try:
            written = write_markdown(self.trainer, self.trace, self.lang, path, overwrite, sheet)
        except ExportError as e:
            self.notify(e.message(self.lang), severity="error", markup=False)
            return
        done = "stepper_exported_sheet" if sheet is not None else "stepper_exported"
        shown = visible(written.name if in_browser(self.app) else written.resolve())
        if in_browser(self.app):
            deliver(self.app, [written])
        self.notify(t(done, self.lang, path=shown), markup=False)


def chosen_path(text: str, default: str, folder: Path) -> Path:
    """What the student typed as a file path: blank is the default name, `~` is home, a
    relative name lies in `folder`, and a new name without a suffix gets ".md" (an existing
    one is taken as typed, to be refused or replaced, never written next to)."""
    path = Path(text.strip() or default).expanduser()
    path = path if path.is_absolute() else folder / path
    if path.suffix or os.path.lexists(path):
        return path
    return path.with_name(path.name + ".md")


class MarkdownName(ClosesOnce, ModalScreen[Path | None]):
    """Asks for the file to write, the usual name already typed; Enter saves, Esc cancels."""

    DEFAULT_CSS = """
    MarkdownName { align: center middle; }
    MarkdownName > Vertical {
        width: 90%; max-width: 80; height: auto; padding: 0 1;
        border: round $accent; background: $surface;
    }
    MarkdownName Input { margin: 1 0 0 0; }
    MarkdownName #error { color: $error; height: auto; }
    """
    KEY_TEXTS = STEPPER_KEYS
    BINDINGS = [stepper_bind("escape", "cancel", "cancel")]

    def __init__(
        self, default: str, lang: str, folder: Path | None = None, what: str = "stepper_export_name"
    ) -> None:
        """`what` is the catalogue key of the question (what is saved)."""
        super().__init__()
        self.what = what
        self.default = default
        self.lang = lang
        self.folder = Path.cwd() if folder is None else folder

    def compose(self) -> ComposeResult:
        with Vertical():
            folder = visible(self.folder)
            yield Label(t(self.what, self.lang), markup=False)
            yield Label(t("stepper_export_folder", self.lang, folder=folder), markup=False)
            yield Input(self.default, id="name", compact=True)
            yield Static("", id="error", markup=False)
            yield Label(t("stepper_export_keys", self.lang))

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            path = chosen_path(event.value, self.default, self.folder)
            check_free(path, overwrite=True)  # a folder, a missing folder, a NUL: say it here
        except ExportError as e:
            self.query_one("#error", Static).update(e.message(self.lang))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmOverwrite(FitsShort, ClosesOnce, ModalScreen[bool]):
    """ "{path} exists. Replace it?" — y / n."""

    DEFAULT_CSS = """
    ConfirmOverwrite { align: center middle; }
    ConfirmOverwrite > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 95%; padding: 1 2;
        border: round $warning; background: $surface;
    }
    /* Wrapped, not cut: a course folder's path is often wider than the screen. */
    ConfirmOverwrite Label { width: 100%; }
    ConfirmOverwrite #overwrite-keys { padding: 1 0 0 0; }
    """
    KEY_TEXTS = STEPPER_KEYS
    BINDINGS = [
        stepper_bind("y", "answer(True)", "yes"),
        stepper_bind("n,escape", "answer(False)", "no"),
    ]

    def __init__(self, path: Path, lang: str) -> None:
        super().__init__()
        self.path = path
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            question = t("stepper_overwrite_question", self.lang, path=visible(self.path))
            yield Label(question, markup=False)
            yield Label(t("stepper_overwrite_keys", self.lang), id="overwrite-keys")

    def on_mount(self) -> None:
        localize_bindings(self, self.lang)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
