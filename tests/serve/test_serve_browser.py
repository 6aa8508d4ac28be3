"""`tui-nn serve`: a real browser opens the served app, presses a key and sees it respond."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tui_nn.cli import main
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


@pytest.fixture
def server() -> Iterator[str]:
    """The URL `tui-nn serve` prints, with this run's secret."""
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


def _settled(page, ms: int = 500, tries: int = 20) -> bytes:
    """A screenshot once two in a row agree: the app has finished drawing."""
    last = page.screenshot()
    for _ in range(tries):
        page.wait_for_timeout(ms)
        shot = page.screenshot()
        if shot == last:
            return shot
        last = shot
    return last


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_a_browser_sees_the_app_answer_a_key(server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(server)
            page.wait_for_function(
                "document.body.classList.contains('-first-byte')", timeout=30_000
            )
            page.mouse.click(5, 5)  # give the terminal the keyboard focus
            before = _settled(page)
            page.keyboard.press("l")  # switch the language: every label changes
            japanese = _settled(page)
            page.keyboard.press("l")  # and back: the very same picture as before
            english = _settled(page)
        finally:
            browser.close()
    # The change is the key's doing, not a late first draw or something that ticks.
    assert before != japanese and english == before


def _press_and_see(page, key: str, seconds: float = 30) -> None:
    """Press `key` and wait until the screen has changed and settled (a key sent before the
    dialog it opens is drawn would land on the screen below)."""
    before = _settled(page)
    page.keyboard.press(key)
    deadline = time.monotonic() + seconds
    while page.screenshot() == before and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    _settled(page)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_exports_are_downloads_in_the_browser(server: str, tmp_path) -> None:
    """The export dialog (f, with the worked iteration chosen too) and the stepper's e send
    their files to the browser: the weights are the preset's, the Markdown is the worked
    example's first iteration (∂E/∂w5 = 0.082167041)."""
    import numpy as np

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    downloads: dict[str, bytes] = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800}, accept_downloads=True)
            page.on("download", lambda d: downloads.setdefault(d.suggested_filename, d))
            page.goto(server)
            page.wait_for_function(
                "document.body.classList.contains('-first-byte')", timeout=30_000
            )
            page.mouse.click(5, 5)
            _press_and_see(page, "f")  # the export dialog, on its list of files
            for key in ["ArrowDown"] * 5 + ["Space", "Enter"]:  # also the worked iteration
                page.keyboard.press(key)
            deadline = time.monotonic() + 30
            while len(downloads) < 5 and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            _settled(page)
            _settled(page)
            _press_and_see(page, "b")  # the stepper, then e and Enter: its Markdown
            _press_and_see(page, "e")
            page.keyboard.press("Enter")
            while len(downloads) < 6 and time.monotonic() < deadline + 30:
                page.wait_for_timeout(200)
            files = {name: d.path().read_bytes() for name, d in downloads.items()}
        finally:
            browser.close()
    assert {"mazur-2-2-2-weights.npz", "mazur-2-2-2-iteration-1.md", "mazur-2-2-2.py"} <= set(
        files
    ), sorted(files)
    (tmp_path / "w.npz").write_bytes(files["mazur-2-2-2-weights.npz"])
    with np.load(tmp_path / "w.npz") as w:
        assert w["W1"][0, 0] == 0.15 and w["W2"][1, 1] == 0.55  # the worked example's
    assert "0.082167041" in files["mazur-2-2-2-iteration-1.md"].decode("utf-8")
