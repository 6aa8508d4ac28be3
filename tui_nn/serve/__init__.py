"""`tui-nn serve`: the same app in a browser, through textual-serve (the `serve` extra).

Each browser tab gets its own app process, started with the command built here, behind the
guard of tui_nn.serve.web (a per-run secret, same-origin WebSockets, a cap on sessions).
"""

from __future__ import annotations

import ipaddress
import secrets
import shlex
import socket
import sys

from tui_nn.core.safe_text import visible
from tui_nn.i18n import t

#: Default and largest --max-sessions (each session is an app process of about 60 MB).
MAX_SESSIONS, MOST_SESSIONS = 4, 256


def app_argv(preset: str | None, lang: str) -> list[str]:
    """The command textual-serve runs for each browser session."""
    argv = [sys.executable, "-m", "tui_nn", "--lang", lang]
    if preset:
        argv.append(preset)
    return argv


def app_command(preset: str | None, lang: str) -> str:
    """`app_argv` as one shell line (as it is shown)."""
    return shlex.join(app_argv(preset, lang))


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:  # the short IPv4 forms the resolver also takes: 127.1, 0x7f.1
        return ipaddress.ip_address(socket.inet_ntoa(socket.inet_aton(host))).is_loopback
    except (OSError, ValueError):  # any other name may resolve to anything
        return False


def serve(
    host: str, port: int, preset: str | None, lang: str, max_sessions: int = MAX_SESSIONS
) -> None:
    """Serve the app on host:port until interrupted; prints the URL with this run's secret.
    Raises ImportError without the extra, OSError when the address cannot be bound."""
    from tui_nn.serve.web import GuardedServer

    if host.startswith("[") and host.endswith("]"):  # an IPv6 address written as in a URL
        host = host[1:-1]
    server = GuardedServer(
        app_argv(preset, lang), host, port, secrets.token_urlsafe(32), max_sessions, lang
    )

    def listening(*_: object) -> None:  # once bound: the printed address works from now on
        print(t("serve_open", lang, url=server.url), flush=True)
        print(t("serve_stop", lang, sessions=max_sessions), flush=True)
        if not is_loopback(host):
            warning = t("serve_not_loopback", lang, host=visible(host))
            print(warning, file=sys.stderr, flush=True)

    server.run(listening)
