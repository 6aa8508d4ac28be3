"""The web server of `tui-nn serve`: textual-serve's page and app sessions, behind a guard.

Any page open in the user's browser can reach 127.0.0.1, and an app session runs with the
user's file rights. So: the page and its WebSocket need this run's secret (in the printed URL);
the WebSocket must come from this server's own page (its Origin); the Host header must name
this machine (a DNS-rebinding page names its own domain); sessions are capped; static files
are served without folder listings.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import shlex
import signal
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.server import Server

from tui_nn.i18n import t
from tui_nn.serve.process import AppProcess

#: Largest terminal a browser may ask for (a bigger one only costs the app memory).
MAX_COLUMNS, MAX_ROWS = 1000, 500
#: Largest WebSocket message (keys and pastes; aiohttp's default is 4 MiB).
MAX_MESSAGE = 1 << 20
#: Sent with every response: the page URL (which holds the secret) goes to no other site,
#: no other site may frame the page, and nothing is sniffed as another type.
HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: Seconds the server waits for sessions to end when it stops.
QUIT_TIMEOUT = 10.0


def url_host(host: str) -> str:
    """`host` as it is written in a URL: IPv6 in brackets, a wildcard as this machine."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host headers a request may carry; None (any) when bound to every address."""
    if host in ("", "0.0.0.0", "::"):
        return None
    names = {*LOOPBACK_NAMES, url_host(host).lower()}
    with_port = {f"{name}:{port}" for name in names}
    return frozenset(with_port | names if port == 80 else with_port)


def same_secret(given: str, secret: str) -> bool:
    """Constant-time comparison; any string (not only ASCII) is merely wrong, never an error."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), secret.encode("ascii"))


def terminal_size(query: Any) -> tuple[int, int]:
    """The width and height in the WebSocket URL's query (80×24 where they are not numbers)."""

    def number(name: str, default: int) -> int:
        text = query.get(name, "")
        return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else default

    return clamp_size(number("width", 80), number("height", 24))


def clamp_size(width: int, height: int) -> tuple[int, int]:
    return min(max(width, 1), MAX_COLUMNS), min(max(height, 1), MAX_ROWS)


def resize_of(data: object) -> tuple[int, int] | None:
    """The size of a "resize" message, `{"width": W, "height": H}`; None if not integers."""
    if not isinstance(data, dict):
        return None
    width, height = data.get("width"), data.get("height")
    if type(width) is not int or type(height) is not int:  # not bool, float or text
        return None
    return clamp_size(width, height)


def browser_message(text: str) -> tuple[str, Any] | None:
    """A message of textual-serve's page, `[kind, data]`; None for anything else."""
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested thousands deep
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    return envelope[0], envelope[1] if len(envelope) > 1 else None


class GuardedServer(Server):
    """textual-serve's Server, keeping its page, static files and downloads, with our own
    routes and session handler (its `_make_app` and `handle_websocket` are not used)."""

    def __init__(
        self, argv: list[str], host: str, port: int, secret: str, max_sessions: int, lang: str
    ) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title="tui-nn")
        self.argv = argv
        self.secret = secret
        self.max_sessions = max_sessions
        self.lang = lang
        self.hosts = allowed_hosts(host, port)
        self.sessions: set[AppProcess] = set()

    @property
    def url(self) -> str:
        return f"http://{url_host(self.host)}:{self.port}/?token={self.secret}"

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.check_host])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/ws/{secret}", self.websocket),
                web.get("/download/{key}", self.handle_download),
                web.static("/static", self.statics_path, show_index=False),
            ]
        )
        app.on_response_prepare.append(self.add_headers)
        app.on_shutdown.append(self.end_sessions)
        return app

    @web.middleware
    async def check_host(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if self.hosts is not None and request.headers.get("Host", "").lower() not in self.hosts:
            raise web.HTTPMisdirectedRequest(text="tui-nn serve: unknown host name")
        return await handler(request)

    async def add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(HEADERS)

    async def index(self, request: web.Request) -> web.Response:
        if not same_secret(request.query.get("token", ""), self.secret):
            raise web.HTTPForbidden(text=t("serve_need_secret", self.lang))
        if len(self.sessions) >= self.max_sessions:  # say so here, not in a dead terminal
            raise web.HTTPServiceUnavailable(text=self.full_text())
        context = {
            "font_size": 16,
            "app_websocket_url": f"ws://{request.host}/ws/{self.secret}",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"  # the page holds the secret
        return response

    def full_text(self) -> str:
        return t("serve_full", self.lang, sessions=self.max_sessions)

    def from_our_page(self, request: web.Request) -> bool:
        """The WebSocket was opened by a page of this server (a browser always sends Origin)."""
        origin = request.headers.get("Origin")
        return origin is not None and origin.lower() == f"http://{request.host}".lower()

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not same_secret(request.match_info["secret"], self.secret):
            raise web.HTTPForbidden(text="tui-nn serve: wrong secret")
        if not self.from_our_page(request):
            raise web.HTTPForbidden(text="tui-nn serve: foreign Origin")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        if len(self.sessions) >= self.max_sessions:
            await refuse(websocket, self.full_text())
            return websocket
        session = AppProcess(self.argv, websocket, self.download_manager)
        self.sessions.add(session)  # no await since the count was checked: the cap holds
        try:
            await session.start(*terminal_size(request.query))
            await relay(websocket, session)
        finally:
            await asyncio.shield(self.end(session))
        return websocket

    async def end(self, session: AppProcess) -> None:
        try:
            await session.close()
        finally:
            self.sessions.discard(session)

    async def end_sessions(self, app: web.Application) -> None:
        await asyncio.gather(*(self.end(s) for s in list(self.sessions)))

    def run(self, listening: Callable[..., None]) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP (its terminal closed), then end every
        session's process. `listening` is called once the address is bound."""
        loop = asyncio.new_event_loop()
        with suppress(NotImplementedError, AttributeError):  # no SIGHUP here
            loop.add_signal_handler(signal.SIGHUP, stop_serving)
        web.run_app(
            self.make_app(),
            host=self.host,
            port=self.port,
            print=listening,
            shutdown_timeout=QUIT_TIMEOUT,
            handle_signals=True,  # SIGINT and SIGTERM
            loop=loop,
        )


def stop_serving() -> None:
    raise GracefulExit  # how aiohttp's own SIGINT and SIGTERM handlers end run_app


async def refuse(websocket: web.WebSocketResponse, text: str) -> None:
    """Say why in the browser's terminal (as a line of text), then close."""
    await websocket.send_bytes(f"\r\n {text}\r\n".encode())
    await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER)


async def relay(websocket: web.WebSocketResponse, session: AppProcess) -> None:
    """Pass the browser's keys, size, focus and pings to the app until the tab goes away."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT or (parsed := browser_message(message.data)) is None:
            continue
        kind, data = parsed
        if kind == "stdin" and isinstance(data, str):
            await session.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and (size := resize_of(data)) is not None:
            await session.set_terminal_size(*size)
        elif kind == "ping" and isinstance(data, str) and len(data) < 32:
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await session.blur()
        elif kind == "focus":
            await session.focus()
