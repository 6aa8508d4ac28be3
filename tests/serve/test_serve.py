"""`tui-nn serve` as an attacker meets it: a real server, real app processes, aiohttp clients.

A page on any site can open a WebSocket to 127.0.0.1, so the server must refuse it without the
run's secret or from a foreign Origin, cap the sessions, and leave no app process behind.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import ROOT

pytest.importorskip("textual_serve", reason="the serve extra (textual-serve) is not installed")
aiohttp = pytest.importorskip("aiohttp")
if not Path("/proc/self/stat").exists():
    pytest.skip("finds app processes through /proc", allow_module_level=True)

from tui_nn.cli import main  # noqa: E402

CAP = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    proc: subprocess.Popen
    port: int
    token: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return self.base

    def ws_url(self, token: str | None = None) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/{self.token if token is None else token}"

    def children(self) -> set[int]:
        """The app processes the server has started and not yet reaped."""
        return {pid for pid in all_pids() if parent_of(pid) == self.proc.pid}


def all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def alive(pid: int) -> bool:
    """Running, not a zombie (an exited child its parent has not yet reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def gone(apps: set[int], seconds: float) -> bool:
    """Every app process ended within `seconds`; one that did not is killed (no leftovers)."""
    if wait_until(lambda: not any(alive(p) for p in apps), seconds):
        return True
    for pid in filter(alive, apps):
        os.killpg(pid, signal.SIGKILL)
    return False


def wait_until(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def start_server(*extra: str) -> Served:
    port = free_port()
    argv = [sys.executable, "-m", "tui_nn", "serve", "--port", str(port), "--lang", "en", *extra]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    end = time.monotonic() + 30
    for line in proc.stdout:
        if m := re.search(rb"/\?token=([A-Za-z0-9_-]+)", line):
            return Served(proc, port, m.group(1).decode())
        assert time.monotonic() < end, "the server printed no URL"
    raise AssertionError(f"the server ended: {proc.wait()} {proc.stderr.read()!r}")


def stop_server(served: Served) -> None:
    if served.proc.poll() is None:
        served.proc.terminate()
        try:
            served.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            served.proc.kill()
            served.proc.wait()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    served = start_server("--max-sessions", str(CAP), "mazur-2-2-2")
    try:
        yield served
    finally:
        stop_server(served)


async def first_frame(ws) -> bytes:
    """The app's first output: the browser's terminal shows it."""
    async with asyncio.timeout(60):
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY and len(message.data) > 10:
                return message.data
    raise AssertionError(f"closed before any output: {ws.close_code}")


def handshake_status(served: Served, url: str, **kwargs) -> int:
    """The HTTP status a WebSocket handshake got (101 when it was accepted)."""

    async def attempt() -> int:
        async with aiohttp.ClientSession() as http:
            try:
                async with http.ws_connect(url, **kwargs) as ws:
                    await ws.close()
                    return 101
            except aiohttp.WSServerHandshakeError as e:
                return e.status

    return asyncio.run(attempt())


FOREIGN = [
    ("a foreign site", {"origin": "https://evil.example"}),
    ("a look-alike", {"origin": "http://127.0.0.1.evil.example"}),
    ("another port here", {"origin": "http://127.0.0.1:1"}),
    ("a sandboxed frame", {"origin": "null"}),
    ("no Origin at all", {}),
    ("a rebound domain", {"origin": "http://evil.example", "headers": {"Host": "evil.example"}}),
]


@pytest.mark.parametrize(("what", "kwargs"), FOREIGN, ids=[w for w, _ in FOREIGN])
def test_a_websocket_from_a_foreign_origin_is_refused(served: Served, what, kwargs) -> None:
    before = served.children()
    status = handshake_status(served, served.ws_url(), **kwargs)
    assert status in (403, 421), what
    assert served.children() == before  # and no app was started for it


BAD_TOKENS = ["", "x", "token", "é" * 43, "%00", "../ws", "A" * 10_000]


@pytest.mark.parametrize("token", BAD_TOKENS, ids=lambda t: repr(t[:12]))
def test_a_websocket_without_the_secret_is_refused(served: Served, token: str) -> None:
    status = handshake_status(served, served.ws_url(token), origin=served.origin)
    assert 400 <= status < 500  # 403, or a request line too long to parse (400)
    # Even a prefix of the secret is only wrong.
    prefix = served.ws_url(served.token[:-1])
    assert handshake_status(served, prefix, origin=served.origin) == 403


def get(served: Served, path: str, **headers: str) -> tuple[int, str]:
    async def fetch() -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as http,
            http.get(served.base + path, headers=headers) as response,
        ):
            return response.status, await response.text()

    return asyncio.run(fetch())


def test_the_page_needs_the_secret_and_hands_it_only_to_its_websocket(served: Served) -> None:
    status, text = get(served, "/")
    assert status == 403 and "?token=" in text and served.token not in text
    assert get(served, "/?token=" + served.token[:-1])[0] == 403
    status, page = get(served, "/?token=" + served.token)
    assert status == 200
    assert f'data-session-websocket-url="{served.ws_url()}"' in page
    # A page on a rebound domain (Host: evil.example) gets nothing, even with the secret.
    assert get(served, "/?token=" + served.token, Host="evil.example")[0] == 421


def test_static_files_are_served_but_folders_are_not_listed(served: Served) -> None:
    assert get(served, "/static/js/textual.js")[0] == 200
    for folder in ("/static/", "/static/js", "/static/js/", "/static/css/"):
        status, text = get(served, folder)
        assert status in (403, 404) and "textual.js" not in text and "xterm.css" not in text
    assert get(served, "/static/../server.py")[0] == 404


def test_the_session_cap_holds_and_a_closed_tab_ends_its_app(served: Served) -> None:
    async def scenario() -> tuple[set[int], bytes, int | None]:
        async with aiohttp.ClientSession() as http:
            url, origin = served.ws_url(), served.origin
            tabs = [await http.ws_connect(url, origin=origin) for _ in range(CAP)]
            for tab in tabs:
                await first_frame(tab)
            apps = served.children()
            # A new tab's page says the server is full (in words, not a dead terminal).
            page = await http.get(f"{served.base}/?token={served.token}")
            assert page.status == 503 and f"all {CAP} sessions" in await page.text()
            # Each in a process group of its own (textual-serve's AppService started through
            # our override): the server can end all of it.
            assert all(os.getsid(pid) == pid for pid in apps)
            extra = await http.ws_connect(served.ws_url(), origin=served.origin)
            said = await first_frame(extra)
            await extra.receive()  # the close that follows
            code = extra.close_code
            for tab in tabs:
                await tab.close()
        return apps, said, code

    apps, said, code = asyncio.run(scenario())
    assert len(apps) == CAP  # one app process per tab, none for the refused one
    assert f"all {CAP} sessions are in use".encode() in said and b"--max-sessions" in said
    assert code == aiohttp.WSCloseCode.TRY_AGAIN_LATER
    assert gone(apps, 15), "an app outlived its tab"
    # The slots are free again: a new tab gets an app.
    assert handshake_status(served, served.ws_url(), origin=served.origin) == 101


def test_a_tab_that_vanishes_without_closing_ends_its_app(served: Served) -> None:
    """The browser crashed or the laptop slept: the TCP connection drops, no close frame."""

    async def scenario() -> set[int]:
        async with aiohttp.ClientSession() as http:
            tab = await http.ws_connect(served.ws_url(), origin=served.origin)
            await first_frame(tab)
            apps = served.children()
            tab._response.connection.transport.abort()  # the socket dies under the client
        return apps

    apps = asyncio.run(scenario())
    assert apps
    assert gone(apps, 20), "an app outlived its tab"


def test_hostile_messages_do_not_break_the_session(served: Served) -> None:
    junk = [
        "not json",
        "[" * 100_000,  # nested too deep for the JSON parser
        "{}",
        "[]",
        "[5]",
        '["resize", {"width": 99999999, "height": -5}]',
        '["resize", {"width": "80; rm -rf /", "height": true}]',
        '["resize", 7]',
        '["resize", {"width": ' + "[" * 900 + "]" * 900 + ', "height": 1}]',
        '["resize", {"width": ' + "9" * 4000 + ', "height": 1}]',
        '["stdin", {"a": 1}]',
        '["stdin", "\\ud800"]',  # a lone surrogate
        '["ping", "' + "p" * 1000 + '"]',
        '["quit"]',
    ]

    async def scenario() -> object:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(served.ws_url(), origin=served.origin) as tab,
        ):
            await first_frame(tab)
            for text in junk:
                await tab.send_str(text)
            await tab.send_bytes(b"\x00\xff binary")
            await tab.send_str('["ping", "alive"]')
            async with asyncio.timeout(20):
                async for message in tab:
                    if message.type == aiohttp.WSMsgType.TEXT and "pong" in message.data:
                        return message.json()
        return None

    assert asyncio.run(scenario()) == ["pong", "alive"]
    assert served.proc.poll() is None  # the server is still up


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_no_app_outlives_the_server(how: str) -> None:
    """SIGTERM, SIGHUP (its terminal closed): the server ends its apps, and itself cleanly.
    SIGKILL: it cannot, so each app ends by itself when its input (from the server) ends."""
    served = start_server("mazur-2-2-2")
    try:

        async def open_tab() -> set[int]:
            http = aiohttp.ClientSession()
            tab = await http.ws_connect(served.ws_url(), origin=served.origin)
            await first_frame(tab)
            apps = served.children()
            served.proc.send_signal(getattr(signal, how))
            await asyncio.sleep(0.5)
            await http.close()
            return apps

        apps = asyncio.run(open_tab())
        assert apps
        status = served.proc.wait(timeout=20)
        assert status == (-signal.SIGKILL if how == "SIGKILL" else 0)
        assert gone(apps, 20), "an app was orphaned"
    finally:
        stop_server(served)


def test_sizes_addresses_and_secrets_are_judged_strictly() -> None:
    from tui_nn.serve import is_loopback
    from tui_nn.serve.web import allowed_hosts, resize_of, same_secret, terminal_size

    assert resize_of({"width": 99999999, "height": -5}) == (1000, 1)
    assert resize_of({"width": 120, "height": 40}) == (120, 40)
    for bad in ({"width": True, "height": 4}, {"width": 80.0, "height": 24}, {"width": "80"}, 7):
        assert resize_of(bad) is None
    assert terminal_size({"width": "１２０", "height": "9" * 40}) == (80, 24)  # not ASCII digits
    assert terminal_size({"width": "0", "height": "99999"}) == (1, 500)
    assert same_secret("abc", "abc") and not same_secret("abd", "abc")
    assert not same_secret("\ud800é", "abc")  # any text is merely wrong
    loopbacks = ("127.0.0.1", "127.9.9.9", "127.1", "0x7f.1", "::1", "[::1]", "localhost")
    for host in loopbacks:
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "", "192.168.1.2", "1", "localhost.evil.example", "a\x00b"):
        assert not is_loopback(host), host
    assert "localhost:8000" in allowed_hosts("127.0.0.1", 8000)
    assert "evil.example:8000" not in allowed_hosts("127.0.0.1", 8000)
    assert "[::1]:80" in allowed_hosts("::1", 80) and "[::1]" in allowed_hosts("::1", 80)
    assert allowed_hosts("0.0.0.0", 8000) is None  # any name: the machine's names are unknown


def test_the_textual_serve_internals_we_override_are_still_there() -> None:
    """tui_nn.serve.process overrides two private methods of AppService and sets two private
    attributes; if textual-serve renames them, the app would run in the server's own process
    group and through a shell. Fail here, loudly, rather than there, silently."""
    from textual_serve.app_service import AppService

    from tui_nn.serve.process import AppProcess

    start, run = inspect.getsource(AppService.start), inspect.getsource(AppService.run)
    assert "self._open_app_process(width, height)" in start
    assert "self._process" in run and "self._stdin" in inspect.getsource(AppService.stdin.fget)
    # The app's stderr is read from the process (AppProcess hands over an escaped copy).
    assert "stderr = process.stderr" in run
    environment = inspect.getsource(AppService._open_app_process)
    assert "self._build_environment(width=width, height=height)" in environment
    assert AppProcess._build_environment is not AppService._build_environment


def test_bad_serve_options_are_refused_in_one_line(capsys) -> None:
    for value in ("0", "-1", "100000"):
        assert main(["serve", "--max-sessions", value]) == 2
        err = capsys.readouterr().err
        assert err.startswith("tui-nn: --max-sessions") and err.count("\n") == 1
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert main(["serve", "--port", port]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tui-nn: cannot serve on 127.0.0.1 port") and err.count("\n") == 1
    for host in ("no-such-host.invalid\x1b[2J", "a\x00b", "a" * 300):
        assert main(["serve", "--host", host]) == 2
        err = capsys.readouterr().err
        assert err.startswith("tui-nn: cannot serve on ") and err.count("\n") == 1, err
        assert "\x1b" not in err and "\x00" not in err


def test_a_non_loopback_host_is_warned_about_in_one_line() -> None:
    served = start_server("--host", "0.0.0.0")
    try:
        stop_server(served)
        warning = served.proc.stderr.read().decode()
    finally:
        stop_server(served)
    lines = [line for line in warning.splitlines() if "warning" in line]
    assert len(lines) == 1 and "--host 0.0.0.0 is not a loopback address" in lines[0]
