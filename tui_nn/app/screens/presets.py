"""Pick a shipped preset (with its description in the current language) or type a path."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui_nn.app.dialog import ClosesOnce, FitsShort
from tui_nn.app.lang import Localized, bind
from tui_nn.app.widgets.options import Options
from tui_nn.core import ConfigError, Preset, builtin_presets, load
from tui_nn.core.presets import read_toml
from tui_nn.core.safe_text import visible
from tui_nn.i18n.wrap import wrap


class PresetPicker(FitsShort, ClosesOnce, Localized, ModalScreen[Preset | None]):
    """Dismisses with the loaded (validated) Preset, or None on Esc."""

    BINDINGS = [
        bind("escape", "cancel", "cancel"),
        # Reaches the app from the list; in the path field `l` is typed (Textual leaves keys
        # a text field takes to it).
        bind("l", "app.toggle_lang", "lang", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide -fit"):
            yield Label(id="picker-title", classes="dialog-title")
            yield Options(id="preset-list")  # filled by relabel()
            yield Label(id="picker-path", classes="field-label")
            yield Input(id="preset-path")
            yield Static("", id="error", markup=False)
            yield Label(id="picker-keys", classes="dialog-keys")

    def relabel(self) -> None:
        self.query_one("#picker-title", Label).update(self.tr("app_picker_title"))
        self.query_one("#picker-path", Label).update(self.tr("app_picker_path"))
        self.query_one("#preset-path", Input).placeholder = self.tr("app_picker_path_placeholder")
        self.query_one("#picker-keys", Label).update(self.tr("app_picker_keys"))
        presets = self.query_one("#preset-list", OptionList)
        highlighted = presets.highlighted
        presets.clear_options().add_options(self.options())
        presets.highlighted = highlighted

    def options(self) -> list[Option]:
        """One option per shipped preset: its name, and its description with a hanging indent."""
        ja = self.app.lang == "ja"
        # The description column's width once laid out: lines break between phrases there.
        room = self.query_one("#preset-list").scrollable_content_region.width - self.name_width - 4
        out = []
        for name, path in builtin_presets().items():
            try:
                meta = read_toml(path).get("preset", {})
            except ConfigError:
                meta = {}
            about = (meta.get("description_ja") if ja else None) or meta.get("description", "")
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True, width=self.name_width)
            grid.add_column(ratio=1)
            about = visible(about)
            lines = "\n".join(wrap(about, room)) if room >= 12 else about
            grid.add_row(Text(visible(name)), Text(lines, overflow="fold"))
            out.append(Option(grid, id=name))
        return out

    @property
    def name_width(self) -> int:
        return max((len(n) for n in builtin_presets()), default=10)

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.query_one(Input).cursor_blink = False
        self.relabel()
        self.call_after_refresh(self.relabel)  # again at the list's laid-out width
        # Start on the preset that is open, or on the course's worked example.
        current = getattr(self.app.main.state.info, "preset", None)
        want = current.name if current else "mazur-2-2-2"
        options = self.query_one("#preset-list", OptionList)
        ids = [o.id for o in options.options]
        if want in ids:
            options.highlighted = ids.index(want)

    def on_resize(self) -> None:
        self.call_after_refresh(self.relabel)

    def choose(self, name_or_path: str) -> None:
        try:
            preset = load(name_or_path)
        except ConfigError as e:
            self.query_one("#error", Static).update(e.message_in(self.app.lang))
            # On a short screen the list shrinks to make room: keep its choice in view.
            self.call_after_refresh(self.query_one("#preset-list", OptionList).scroll_to_highlight)
            return
        self.dismiss(preset)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.choose(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.choose(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
