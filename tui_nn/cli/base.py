"""What every command shares: the run's language, the command registry, one-line errors,
outputs checked before work, the progress bar, and loading a preset with --set/--seed/--weights."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui_nn.core import Trainer
from tui_nn.core.export import with_weights
from tui_nn.core.files import ExportError, check_free
from tui_nn.core.presets import load
from tui_nn.core.safe_text import visible
from tui_nn.core.weights import load_weights
from tui_nn.i18n import t

#: Exit statuses: 2 bad input, 3 training diverged, 1 a check failed, 141 output pipe closed.
EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_CHECK_FAILED, EXIT_PIPE_CLOSED = 2, 3, 1, 141

#: The language of this run's messages, set by main() from --lang or the locale.
LANG = "en"

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a sub-command: `configure` adds its arguments, the decorated function runs it."""

    def register(run: Command) -> Command:
        COMMANDS[name] = (run, configure, help_text)
        return run

    return register


class CliError(Exception):
    """A one-line message for the user, and the exit status."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


#: An output file named "-" means standard output, where a command allows it.
STDOUT = Path("-")


def tr(key: str, **values: Any) -> str:
    """A catalogue string in this run's language."""
    return t(key, LANG, **values)


def check_outputs(args: argparse.Namespace, **outputs: Path | None) -> None:
    """Stop before any work when an output cannot be written: two flags name the same file,
    a name is a folder or lies in a missing one, or the file exists and --force was not given.
    `-` (standard output) is checked by the command that allows it."""
    given = {f"--{flag}": path for flag, path in outputs.items() if path not in (None, STDOUT)}
    # First: it also refuses the names resolve() cannot take (a NUL in them).
    check_free(*given.values(), overwrite=args.force)
    seen: dict[Path, str] = {}
    for flag, path in given.items():
        first = seen.setdefault(path.resolve(), flag)
        if first != flag:
            raise CliError(tr("cli_same_output", first=first, second=flag, path=path))


def say(message: str) -> None:
    """One line on stderr, visible-safe: paths, names and values in it come from the input."""
    print(visible(message), file=sys.stderr)


def wrote(*paths: Path) -> None:
    """Say where each file went (on stderr, so that --json and -o - stay clean)."""
    for path in paths:
        say(tr("cli_wrote", path=Path(path).resolve()))


def preset_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("preset", help=tr("cli_help_preset"))
    p.add_argument("--seed", type=int, help=tr("cli_help_seed"))
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help=tr("cli_help_set"),
    )
    p.add_argument("--weights", type=Path, metavar="FILE.npz", help=tr("cli_help_weights"))


def load_trainer(args: argparse.Namespace) -> Trainer:
    preset = load(args.preset, args.overrides, seed=args.seed)
    if getattr(args, "weights", None) is not None:
        preset = with_weights(preset, load_weights(args.weights), source=str(args.weights))
    return Trainer(preset)


class Progress:
    """A one-line progress bar on stderr, drawn at most 10 times a second, only on a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def update(self, done: int, loss: float | None, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self._last < 0.1 and not force):
            return
        self._last = now
        filled = int(30 * done / max(self.total, 1))
        error = "" if loss is None else f"  E = {loss:.6g}"
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}{error}   ")
        sys.stderr.flush()

    def clear(self) -> None:
        """Rub the bar out, so that a line printed now starts at the left edge."""
        if self.enabled:
            sys.stderr.write("\r" + " " * 79 + "\r")

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def export_message(e: ExportError) -> str:
    """On the command line, asking before overwriting means: say how to, with --force."""
    return tr("cli_exists", **e.values) if e.key == "export_exists" else e.message(LANG)
