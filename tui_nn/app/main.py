"""The app: `make_app()` builds it (tests use it for deterministic runs), `run_app()` runs it.

The App owns what is the same on every screen: the language (l switches en <-> ja live), help
(F1 / ?), quitting, and the command palette, which lists every action of the current screen.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import ThemeProvider

from tui_nn.app.helping import help_for
from tui_nn.app.lang import Localized, Palette, bind, bindings_of, localize_bindings
from tui_nn.app.messages import TrainerLoaded
from tui_nn.app.prefs import Preferences, load_settings, preset_source
from tui_nn.app.screens.help import HelpScreen, key_table
from tui_nn.app.screens.main import MainScreen
from tui_nn.core import ConfigError, Preset, load
from tui_nn.core.errors import config_error
from tui_nn.i18n import LANGS, default_lang

#: Signals that end the app as `q` does: `kill` (SIGTERM) and a closed terminal window (SIGHUP).
EXIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class TuiNN(App):
    TITLE = "tui-nn"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        # F1 is a priority key so that it opens help inside dialogs too (Textual stops other
        # app keys at a modal screen); `?` is not, so text fields can still take it.
        bind("f1", "help", "help", priority=True),
        bind("question_mark", "help", "help", show=False),
        bind("l", "toggle_lang", "lang"),
        bind("q", "quit", "quit", show=False),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        preset: Preset | None = None,
        lang: str = "en",
        autostart: bool = False,
        exit_on_signals: bool = False,
        prefs: Preferences | None = None,
    ) -> None:
        super().__init__()
        self.prefs = prefs or Preferences()
        self.first_preset = preset
        self.autostart = autostart
        self.exit_on_signals = exit_on_signals
        self.set_reactive(TuiNN.lang, lang)

    def get_default_screen(self) -> Screen:
        return MainScreen(self.first_preset, self.autostart)

    @property
    def main(self) -> MainScreen:
        """The main screen (always at the bottom of the stack)."""
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def on_load(self) -> None:
        self.catch_exit_signals()

    def on_mount(self) -> None:
        # Again: the browser driver of `tui-nn serve` puts its own SIGTERM handler in on start.
        self.catch_exit_signals()
        localize_bindings(self, self.lang)
        self.prefs.start(self)

    # ---- settings that persist (tui_nn/app/prefs.py) -------------------------------------

    def on_trainer_loaded(self, message: TrainerLoaded) -> None:
        source = preset_source(message.info.preset)
        if source is not None:
            self.prefs.remember(self, quiet=True, last_preset=source)

    # ---- signals -----------------------------------------------------------------------------

    def catch_exit_signals(self) -> None:
        """Make SIGTERM and SIGHUP quit as `q` does. Left to their default, they end the process
        on the spot and the terminal stays in the app's mode: alternate screen, mouse reporting
        on, cursor hidden, no echo."""
        if not self.exit_on_signals:
            return  # tests run the app inside pytest's process: leave its signals alone
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            with suppress(NotImplementedError, RuntimeError, ValueError):  # no such support
                loop.add_signal_handler(signum, self.exit_on_signal, signum)

    def exit_on_signal(self, signum: int) -> None:
        self.stop_trainers()
        self.exit(return_code=128 + signum)  # the shell's convention for "ended by a signal"

    def stop_trainers(self) -> None:
        """Stop the trainer first so the exit never waits for a training slice."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.session.stop()

    # ---- language ----------------------------------------------------------------------------

    def watch_lang(self) -> None:
        self.relabel_all()
        self.prefs.remember(self, lang=self.lang)

    def relabel_all(self) -> None:
        localize_bindings(self, self.lang)
        for screen in self.screen_stack:
            for node in screen.walk_children(with_self=True):
                localize_bindings(node, self.lang)
                # A dialog pushed a moment ago labels itself when it mounts, in this language.
                if isinstance(node, Localized) and node.is_mounted:
                    node.relabel()
        self.refresh_bindings()

    def action_toggle_lang(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]

    # ---- help, quit, palette -----------------------------------------------------------------

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):  # F1 again closes it
            self.screen.dismiss(None)
            return
        # Ours only, described in the catalogue (not the widgets' arrow keys).
        ours = [b.binding for b in self.screen.active_bindings.values() if b.binding.id]
        found = help_for(self.focused or self.screen)
        self.push_screen(HelpScreen(key_table(self, ours), found.topic, found.pages))

    async def action_quit(self) -> None:
        self.stop_trainers()
        self.exit()

    def action_command_palette(self) -> None:
        # No fixed id: a palette closed a moment ago may still be leaving the screen stack.
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette())

    def search_themes(self) -> None:  # the palette's "Theme" command, in our Palette too
        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen = set()
        # The screen's, its widgets' (add / remove layer) and the app's own actions.
        for node in (screen, *screen.query("*"), self):
            for binding in bindings_of(node):
                action = binding.action
                if not binding.id or action in seen or node.check_action(action, ()) is not True:
                    continue
                seen.add(action)
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    partial(node.run_action, action),
                )


def make_app(
    preset: str | Path | Preset | None = None,
    lang: str | None = None,
    autostart: bool = False,
    exit_on_signals: bool = False,
) -> TuiNN:
    """The app on `preset` (a name, a path, or a Preset); raises ConfigError for a bad preset.
    `exit_on_signals`: SIGTERM and SIGHUP quit it cleanly (for a process of its own).
    The settings file gives the language when `lang` is None, and the preset when `preset` is
    (the last one loaded)."""
    prefs = Preferences(load_settings())
    lang = lang or prefs.settings.lang or default_lang()
    if isinstance(preset, str | Path):
        preset = load(str(preset))
    elif preset is None and prefs.settings.last_preset:
        preset = last_preset(prefs, lang)
    return TuiNN(preset, lang, autostart, exit_on_signals, prefs)


def last_preset(prefs: Preferences, lang: str) -> Preset | None:
    """The preset the settings name as the last one, or None after noting why it cannot open."""
    try:
        return load(prefs.settings.last_preset or "")
    except ConfigError as e:
        error = config_error("app_cfg_last_preset", detail=e.message_in(lang))
        file = str(prefs.loaded.path)
        prefs.notes.append(error.located(file=file, field="last_preset").message_in(lang))
        return None


def run_app(preset: str | Preset | None = None, lang: str | None = None) -> int:
    """Entry point used by `tui-nn [PRESET]`; returns the exit status (128 + N after signal N)."""
    app = make_app(preset=preset, lang=lang, exit_on_signals=True)
    app.run()
    return app.return_code or 0
