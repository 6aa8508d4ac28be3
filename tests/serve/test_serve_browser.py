"""`tui-nn serve`: a real browser opens the served app, presses a key and sees it respond."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tui_nn.cli import main
from tui_nn.i18n import t
from tui_nn.serve import app_command

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROME_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def test_the_served_command_opens_the_app_on_the_preset() -> None:
    cmd = app_command("mazur-2-2-2", "ja")
    assert cmd.startswith(sys.executable) or sys.executable in cmd
    assert cmd.endswith("-m tui_nn --lang ja mazur-2-2-2")


def test_bad_port_and_bad_preset_are_refused_before_serving(capsys) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err
    assert main(["serve", "no-such-preset"]) == 2
    assert "no preset of that name" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The URL `tui-nn serve` prints, with this run's secret: one server for the module (each
    page is a session of its own, with an app process of its own)."""
    pytest.importorskip("textual_serve", reason="the serve extra (textual-serve) is not installed")
    port = _free_port()
    argv = [sys.executable, "-m", "tui_nn", "serve", "--port", str(port), "--lang", "en"]
    proc = subprocess.Popen(
        [*argv, "mazur-2-2-2"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        url = next(line.strip() for line in proc.stdout if "?token=" in line)
        _wait_for_port(port)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium for the module; each test opens its own page."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    page = browser.new_page(viewport={"width": 1200, "height": 800}, accept_downloads=True)
    try:
        yield page
    finally:
        page.close()


#: Escape sequences in what the app writes to the terminal (CSI, OSC, and two-byte ones).
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Terminal:
    """What the served app writes to the browser's terminal, as it arrives over the WebSocket:
    a test waits for the words a screen draws instead of for the pixels to stop changing."""

    def __init__(self, page) -> None:
        self.page = page
        self.frames: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._take))

    def _take(self, frame: str | bytes) -> None:
        if isinstance(frame, bytes):  # the app's output; the str frames are the protocol's
            self.frames.append(frame)

    def text(self, since: int = 0) -> str:
        return ESCAPES.sub("", b"".join(self.frames[since:]).decode("utf-8", "replace"))

    def wait_for(self, words: str, since: int = 0, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while words not in self.text(since):
            assert time.monotonic() < deadline, f"the app never drew {words!r}"
            self.page.wait_for_timeout(50)

    def press_until(self, key: str, words: str) -> None:
        """Press `key`, then wait until the app has drawn `words` (the screen the key opens:
        a key sent before that screen is drawn would land on the one below)."""
        since = len(self.frames)
        self.page.keyboard.press(key)
        self.wait_for(words, since)


def _opened(page, url: str) -> Terminal:
    """The served app in `page`, drawn, with the keyboard focus."""
    terminal = Terminal(page)
    page.goto(url)
    terminal.wait_for(t("app_arch_title", "en", shape="2-2-2"))
    page.mouse.click(5, 5)  # give the terminal the keyboard focus
    return terminal


def _settled(page, ms: int = 300, tries: int = 20) -> bytes:
    """A screenshot once two in a row agree: the app has finished drawing."""
    last = page.screenshot()
    for _ in range(tries):
        page.wait_for_timeout(ms)
        shot = page.screenshot()
        if shot == last:
            return shot
        last = shot
    return last


def test_a_browser_sees_the_app_answer_a_key(server: str, page) -> None:
    terminal = _opened(page, server)
    before = _settled(page)
    # Switch the language: every label changes; and back: the very same picture.
    terminal.press_until("l", t("app_arch_title", "ja", shape="2-2-2"))
    japanese = _settled(page)
    terminal.press_until("l", t("app_arch_title", "en", shape="2-2-2"))
    english = _settled(page)
    # The change is the key's doing, not a late first draw or something that ticks.
    assert before != japanese and english == before


def _downloads(page, downloads: list, count: int, seconds: float = 60) -> None:
    """Wait until the browser has received `count` downloads in all."""
    deadline = time.monotonic() + seconds
    while len(downloads) < count:
        assert time.monotonic() < deadline, f"{len(downloads)} of {count} downloads arrived"
        page.wait_for_timeout(100)


def test_exports_are_downloads_in_the_browser(server: str, page, tmp_path) -> None:
    """The export dialog (f, with the worked iteration chosen too) and the stepper's e send
    their files to the browser: the weights are the preset's, the Markdown is the worked
    example's first iteration (∂E/∂w5 = 0.082167041), from the dialog and from the stepper."""
    import numpy as np

    downloads: list = []  # in order of arrival: the stepper's file has the dialog's name
    page.on("download", lambda download: downloads.append(download))
    terminal = _opened(page, server)
    terminal.press_until("f", t("app_export_title", "en"))
    since = len(terminal.frames)
    for key in ["ArrowDown"] * 5 + ["Space", "Enter"]:  # also the worked iteration
        page.keyboard.press(key)
    _downloads(page, downloads, 5)
    # Said once the files are sent, as the dialog closes: the main screen has the keys.
    said = t("app_export_delivered", "en", names="")
    terminal.wait_for(" ".join(said.split()[:4]), since)  # words a toast will not wrap
    terminal.press_until("b", "net_h1")  # the stepper, then e and Enter: its Markdown
    terminal.press_until("e", t("stepper_export_name", "en").split(" (")[0])
    page.keyboard.press("Enter")
    _downloads(page, downloads, 6)
    files = [(d.suggested_filename, d.path().read_bytes()) for d in downloads]
    names = [name for name, _ in files]
    assert sorted(names[:5]) == sorted(
        f"mazur-2-2-2{end}"
        for end in ("-weights.npz", "-history.csv", ".py", "-preset.toml", "-iteration-1.md")
    ), names
    assert names[5:] == ["mazur-2-2-2-iteration-1.md"], names  # the stepper's
    contents = dict(files[:5])
    (tmp_path / "w.npz").write_bytes(contents["mazur-2-2-2-weights.npz"])
    with np.load(tmp_path / "w.npz") as w:
        assert w["W1"][0, 0] == 0.15 and w["W2"][1, 1] == 0.55  # the worked example's
    for markdown in (contents["mazur-2-2-2-iteration-1.md"], files[5][1]):
        assert "0.082167041" in markdown.decode("utf-8")
