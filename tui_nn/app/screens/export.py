"""Saving the experiment on screen: its weights (.npz), training history (.csv), a standalone
NumPy program (.py), its settings as a preset (.toml, from the initial or the trained weights)
and the next iteration worked out (.md), into a folder the student chooses.

Contract, as the stepper's: the main screen opens this with the trainer the worker has handed
over (paused, TrainerHeld). The screen reads that trainer on the UI thread only (the writers run
in an async worker, which is the UI thread too), and the worker takes it back once the screen
is dismissed. An existing file is replaced only after a yes (the stepper's ConfirmOverwrite).
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static

from tui_nn.app.deliver import deliver, in_browser, staging_folder
from tui_nn.app.dialog import ClosesOnce, FitsShort
from tui_nn.app.lang import Localized, bind
from tui_nn.app.prefs import remember, remembered_folder
from tui_nn.app.stepper.export import ConfirmOverwrite, markdown_name, write_markdown
from tui_nn.app.widgets.options import Checklist
from tui_nn.core import ConfigError, Diverged, Trainer
from tui_nn.core.codegen import EMBED_LIMIT, write_code
from tui_nn.core.export import current_preset, write_history_csv, write_preset
from tui_nn.core.files import ExportError
from tui_nn.core.safe_text import file_stem, visible
from tui_nn.core.weights import save_weights
from tui_nn.core.worked import Trace, build_trace

#: What can be saved, in the order of the list (and of writing).
KINDS = ("weights", "history", "code", "preset", "trained", "worked")
#: Chosen when the dialog opens.
CHOSEN = frozenset({"weights", "history", "code", "preset"})


class ExportScreen(FitsShort, ClosesOnce, Localized, ModalScreen[list[Path]]):
    """Choose files with Space, the folder in the Input, Enter saves, Esc closes. Dismisses
    with the files written (the app says where in a notification)."""

    DEFAULT_CSS = """
    ExportScreen #export-kinds { height: auto; max-height: 8; }
    ExportScreen #export-folder-row { height: auto; }
    ExportScreen #export-folder-label { width: auto; padding: 1 1 0 0; }
    ExportScreen #export-folder { width: 1fr; }
    ExportScreen #export-errors { height: auto; max-height: 12; }
    /* Below 30 rows, errors beyond what fits scroll, so the folder and the keys stay shown. */
    ExportScreen.-short #export-errors { max-height: 4; }
    """
    BINDINGS = [
        # Enter saves from the list as well as from the folder (Space toggles in the list).
        bind("enter", "write", "export_write", priority=True),
        bind("escape", "close", "close"),
        # From the list; in the folder field `l` is typed (Textual leaves it to the field).
        bind("l", "app.toggle_lang", "lang", show=False),
    ]

    def __init__(self, trainer: Trainer, folder: Path | str | None = None) -> None:
        super().__init__()
        self.trainer = trainer
        self.start_folder = None if folder is None else str(folder)
        # The iteration the stepper would show next; None when the network is too big to work
        # out number by number (writing it then says why, the other files are still written).
        self.trace: Trace | None = None
        self.no_trace: ConfigError | Diverged | None = None
        try:
            self.trace = build_trace(trainer)
        except (ConfigError, Diverged) as e:
            self.no_trace = e
        self.stem = file_stem(trainer.preset.name)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Label("", id="export-title", classes="dialog-title", markup=False)
            yield Static("", id="export-help", classes="dialog-help", markup=False)
            yield Checklist(*((kind, kind, kind in CHOSEN) for kind in KINDS), id="export-kinds")
            with Horizontal(id="export-folder-row"):
                yield Label("", id="export-folder-label", markup=False)
                start = self.start_folder or remembered_folder(self.app)
                yield Input(start, id="export-folder", select_on_focus=False)
            with VerticalScroll(id="export-errors", can_focus=False):
                yield Static("", id="error", markup=False)
            yield Label("", id="export-keys", classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        if self.app.is_headless:  # a blinking cursor would make screenshots differ
            self.query_one(Input).cursor_blink = False
        # In a browser the files are downloads: a folder on the server means nothing there.
        self.query_one("#export-folder-row").display = not in_browser(self.app)
        self.relabel()
        self.query_one(SelectionList).focus()

    def relabel(self) -> None:
        self.query_one("#export-title", Label).update(self.tr("app_export_title"))
        self.query_one("#export-help", Static).update(self.tr("app_export_help"))
        self.query_one("#export-folder-label", Label).update(self.tr("app_export_folder"))
        keys = "app_export_keys_web" if in_browser(self.app) else "app_export_keys"
        self.query_one("#export-keys", Label).update(self.tr(keys))
        labels = {kind: self.tr(f"app_export_kind_{kind}") for kind in KINDS}
        width = max(cell_len(label) for label in labels.values()) + 2
        kinds = self.query_one(SelectionList)
        for i, kind in enumerate(KINDS):
            pad = " " * (width - cell_len(labels[kind]))
            prompt = Content.assemble(labels[kind] + pad, (self.file_name(kind), "$text-muted"))
            kinds.replace_option_prompt_at_index(i, prompt)

    def file_name(self, kind: str) -> str:
        """mazur-2-2-2-weights.npz, mazur-2-2-2.py, ...; the worked iteration as the stepper
        names it (mazur-2-2-2-iteration-4.md)."""
        if kind == "worked":
            if self.trace is None:
                return f"{self.stem}-iteration-{self.trainer.step_count + 1}.md"
            return markdown_name(self.trace, self.app.lang)
        suffix = {
            "weights": "-weights.npz",
            "history": "-history.csv",
            "code": ".py",
            "preset": "-preset.toml",
            "trained": "-trained.toml",
        }[kind]
        return self.stem + suffix

    # ---- saving ------------------------------------------------------------------------------

    def write(self, kind: str, path: Path, overwrite: bool) -> list[Path]:
        """Write one kind of file (with its companion .npz, if any); raises ExportError."""
        trainer, lang = self.trainer, self.app.lang
        if kind == "weights":
            return [save_weights(path, trainer.net.params, overwrite=overwrite)]
        if kind == "history":
            return [write_history_csv(path, trainer, per_step=False, overwrite=overwrite)]
        if kind == "code":
            return write_code(path, trainer, lang=lang, overwrite=overwrite)
        if kind == "worked":
            if self.trace is None:  # the trace's own reason, in the dialog's language
                e = self.no_trace
                why = e.reason_in(lang) if isinstance(e, ConfigError) else e.message_in(lang)
                raise ExportError("export_no_iteration", path=path, reason=why)
            return [write_markdown(trainer, self.trace, lang, path, overwrite)]
        preset = current_preset(trainer, trained_weights=kind == "trained")
        # Weights go inline unless they are too many to read, as the generated program does.
        big = sum(p.size for p in trainer.net.params.values()) > EMBED_LIMIT
        return write_preset(path, preset, weights_npz=big, overwrite=overwrite, lang=lang)

    async def write_asking(self, kind: str, path: Path) -> list[Path]:
        """Write, and if a file is in the way, ask before replacing it ([] when kept)."""
        try:
            return self.write(kind, path, overwrite=False)
        except ExportError as e:
            if e.key != "export_exists":
                raise
            question = ConfirmOverwrite(Path(e.values["path"]), self.app.lang)
            if not await self.app.push_screen_wait(question):
                return []
            return self.write(kind, path, overwrite=True)

    def folder(self) -> Path | None:
        """The chosen folder as an absolute path, or None after saying what is wrong with it."""
        text = self.query_one(Input).value.strip()
        path = Path(os.path.abspath(Path(text).expanduser() if text else Path.cwd()))
        # os.path (not Path) methods: they answer False for any OSError, e.g. a file as folder.
        if os.path.isdir(path):
            return path
        self.say("app_export_not_folder" if os.path.exists(path) else "app_export_no_folder", path)
        return None

    def say(self, key: str, path: Path | None = None) -> None:
        self.query_one("#error", Static).update(self.tr(key, path=visible(path)) if key else "")

    def in_folder(self, error: ExportError, folder: Path) -> str:
        """The error's line naming its file within `folder` (the field above shows the folder:
        a long one repeated on every line would push the field and the keys off the screen)."""
        path = Path(error.values.get("path", ""))
        if path.parent != folder:
            return error.message(self.app.lang)
        values = error.values | {"path": path.name}
        return ExportError(error.key, **values).message(self.app.lang)

    def action_write(self) -> None:
        self.write_all()

    @work(exclusive=True, group="export")
    async def write_all(self) -> None:
        if self not in self.app.screen_stack:  # closed (Escape) before this worker began
            return
        self.say("")
        chosen = self.query_one(SelectionList).selected
        if not chosen:
            self.say("app_export_nothing")
            return
        web = in_browser(self.app)  # then the files are downloads, not files on the server
        folder = staging_folder() if web else self.folder()
        if folder is None:
            return
        written: list[Path] = []
        errors: list[str] = []
        for kind in (k for k in KINDS if k in chosen):
            try:
                written += await self.write_asking(kind, folder / self.file_name(kind))
            except ExportError as e:  # the other files are still written: one line each
                errors.append(self.in_folder(e, folder))
                if e.key == "export_cannot_write_here":
                    break  # the folder refuses new files: the others would say the same
            if self not in self.app.screen_stack:  # closed while it asked about a file
                return
        self.query_one("#error", Static).update("\n".join(errors))
        if written and web:
            names = "\n".join(visible(p.name) for p in written)
            deliver(self.app, written)
            self.app.notify(self.tr("app_export_delivered", names=names), markup=False)
        elif written:
            paths = "\n".join(visible(p) for p in written)
            self.app.notify(self.tr("app_export_done", paths=paths), markup=False)
        if written and not errors:
            if not web:
                remember(self.app, export_folder=str(folder))
            self.dismiss(written)

    def action_close(self) -> None:
        self.dismiss([])
