"""`tui-nn ... | head -1`: a reader that leaves early ends the command quietly.

Run as a real process: the pipe is closed before the command writes its first byte (Python
takes longer to start than the close), so the write meets a closed pipe on every run.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui_nn.cli import EXIT_PIPE_CLOSED


@pytest.mark.parametrize(
    "argv",
    [["presets"], ["train", "circle", "--steps", "20", "--history", "-"]],
    ids=["presets", "train-history"],
)
def test_a_closed_output_pipe_ends_without_a_traceback(argv: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_nn", "--lang", "en", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == EXIT_PIPE_CLOSED == 128 + 13  # SIGPIPE is signal 13
    assert err == ""


def test_the_first_line_still_arrives_through_head() -> None:
    """`tui-nn presets | head -1` shows the first preset and nothing on stderr."""
    out = subprocess.run(
        f"{sys.executable!s} -m tui_nn --lang en presets | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stderr == ""
    assert len(out.stdout.splitlines()) == 1 and out.stdout.split()[0] == "circle"
