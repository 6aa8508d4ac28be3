"""The `tui-nn` command line: parse, pick the command, turn every failure into one line.

tui-nn [PRESET]                 the app, optionally on a preset
tui-nn presets                  the shipped presets
tui-nn train PRESET ...         train without a screen
tui-nn gradcheck PRESET ...     backprop against numerical gradients
tui-nn code PRESET [-o FILE] [--torch | --notebook]  the experiment as a script or notebook
tui-nn worked PRESET ...        every number of one backprop iteration
tui-nn config --path | --show   the settings file, and the settings in force

Every message goes through the i18n catalogue (cli.toml): `--lang en|ja`, default from the
locale.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

# The command modules register themselves with base.command when imported.
from tui_nn.cli import base, code, launch, reports, train  # noqa: F401
from tui_nn.cli.launch import launch_app
from tui_nn.cli.outputs import EXIT_TERMINATED, Terminated, terminate_cleanly
from tui_nn.core import ConfigError
from tui_nn.core.files import ExportError
from tui_nn.core.safe_text import visible
from tui_nn.i18n import catalogue, default_lang
from tui_nn.i18n.wrap import wrap


def _description(name: str | None) -> str:
    """A command's one-line help: `cli_cmd_<name>` from the catalogue, else its English text."""
    key = f"cli_cmd_{name}" if name else "cli_description"
    return base.tr(key) if key in catalogue() else base.COMMANDS[name][2]


class PhraseFormatter(argparse.HelpFormatter):
    """argparse's help, its lines measured in terminal cells and broken between Japanese
    phrases (argparse counts characters, so Japanese ran past the edge, cut mid-word)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = wrap(" ".join(text.split()), width - len(indent))
        return "\n".join(indent + line for line in lines)


class Parser(argparse.ArgumentParser):
    """argparse, with its error line visible-safe (it quotes unknown arguments as typed)."""

    def error(self, message: str) -> NoReturn:
        super().error(visible(message))


def build_parser(name: str | None) -> argparse.ArgumentParser:
    parser = Parser(
        prog="tui-nn" + (f" {name}" if name else ""),
        description=_description(name),
        formatter_class=PhraseFormatter,
        epilog=None if name else base.tr("cli_epilog", commands=", ".join(base.COMMANDS)),
    )
    parser.add_argument("--lang", choices=("en", "ja"), help=base.tr("cli_help_lang"))
    if name:
        base.COMMANDS[name][1](parser)
    else:
        parser.add_argument("preset", nargs="?", help=base.tr("cli_help_app_preset"))
    return parser


def _split_lang(argv: list[str]) -> tuple[str | None, list[str]]:
    """--lang X given before the command name, taken out so the command is found."""
    if argv[:1] == ["--lang"] and len(argv) > 1:
        return argv[1], argv[2:]
    if argv[:1] and argv[0].startswith("--lang="):
        return argv[0].partition("=")[2], argv[1:]
    return None, argv


def _lang_of(argv: list[str], first: str | None) -> str:
    """The --lang of the command line (for help text, before parsing), else the locale's."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            first = argv[i + 1]
        elif a.startswith("--lang="):
            first = a.partition("=")[2]
    return first if first in ("en", "ja") else default_lang()


def _reader_left() -> int:
    """Standard output's reader closed the pipe: end quietly with 128 + SIGPIPE, as `cat` does."""
    # Python flushes stdout once more at exit; aimed at /dev/null that flush cannot fail.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return base.EXIT_PIPE_CLOSED


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    early, argv = _split_lang(argv)
    base.LANG = _lang_of(argv, early)
    name = argv[0] if argv and argv[0] in base.COMMANDS else None
    parser = build_parser(name)
    if early not in (None, "en", "ja"):  # refused before the command as after it
        parser.parse_args(["--lang", early])
    args = parser.parse_args(argv[1:] if name else argv)
    given_lang = early or args.lang  # else the settings file's, then the locale's
    args.lang = base.LANG
    try:
        if name is None:
            return launch_app(args.preset, given_lang)
        with terminate_cleanly():  # SIGTERM mid-write removes the partial file, as ctrl+c does
            status = base.COMMANDS[name][0](args)
        sys.stdout.flush()  # a reader that left (`| head -1`) is noticed here, inside the try
        return status
    except BrokenPipeError:
        return _reader_left()
    except ConfigError as e:
        base.say(f"tui-nn: {e.message_in(base.LANG)}")
        return base.EXIT_BAD_INPUT
    except ExportError as e:
        base.say(f"tui-nn: {base.export_message(e)}")
        return base.EXIT_BAD_INPUT
    except base.CliError as e:
        base.say(f"tui-nn: {e}")
        return e.status
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return EXIT_TERMINATED


if __name__ == "__main__":
    sys.exit(main())
