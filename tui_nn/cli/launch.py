"""The commands that open the app: in this terminal, in a browser (`serve`), and `config`."""

from __future__ import annotations

import argparse
import sys

from tui_nn.cli import base
from tui_nn.core import load
from tui_nn.core.safe_text import visible


def _configure_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("preset", nargs="?", help=base.tr("cli_help_app_preset"))
    p.add_argument("--host", default="127.0.0.1", help=base.tr("cli_help_host"))
    p.add_argument("--port", type=int, default=8000, help=base.tr("cli_help_port"))
    p.add_argument(
        "--max-sessions", type=int, default=4, metavar="N", help=base.tr("cli_help_max_sessions")
    )


@base.command("serve", "serve the app to a browser (needs the serve extra)", _configure_serve)
def cmd_serve(args: argparse.Namespace) -> int:
    from tui_nn.serve import MOST_SESSIONS, serve

    if not 0 < args.port < 65536:
        raise base.CliError(base.tr("cli_port_range", value=args.port))
    if not 0 < args.max_sessions <= MOST_SESSIONS:
        raise base.CliError(
            base.tr("cli_max_sessions_range", most=MOST_SESSIONS, value=args.max_sessions)
        )
    if args.preset is not None:
        load(args.preset)  # a bad preset is reported here, not in every browser tab
    try:
        serve(args.host, args.port, args.preset, base.LANG, args.max_sessions)
    except ImportError:
        raise base.CliError(base.tr("cli_serve_missing")) from None
    except (OSError, ValueError) as e:  # address in use, unknown host, a NUL in the name...
        reason = visible(getattr(e, "strerror", None) or e)
        host = visible(args.host)
        raise base.CliError(
            base.tr("cli_serve_bind", host=host, port=args.port, reason=reason)
        ) from None
    return 0


def _configure_config(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--path", action="store_true", help=base.tr("cli_help_config_path"))
    which.add_argument("--show", action="store_true", help=base.tr("cli_help_config_show"))


@base.command("config", "where the settings file is, and the settings in force", _configure_config)
def cmd_config(args: argparse.Namespace) -> int:
    from tui_nn.cli.config import config_path_line, settings_in_force

    if args.path:
        print(config_path_line())
        return 0
    text, problems = settings_in_force(base.LANG)
    sys.stdout.write(text)
    for line in problems:
        base.say(f"tui-nn: {line}")
    return base.EXIT_BAD_INPUT if problems else 0


def launch_app(preset: str | None, lang: str | None) -> int:
    # A bad preset is reported here, before the screen opens; the app takes the one parsed.
    parsed = load(preset) if preset is not None else None
    from tui_nn.app.main import run_app

    return run_app(preset=parsed, lang=lang)
