"""Run `tui-nn` in a child process with memory and time limits, as a hostile case needs.

The child is forked from the test process (the engine is already imported, so a case costs
milliseconds, not a fresh interpreter), then limited with `resource.setrlimit`: address space
to its size at the fork plus MEMORY_MB, CPU time to SECONDS, and an alarm for a case that
sleeps (a FIFO). The data limit TUI_NN_MAX_MB is set to DATA_MB, far below MEMORY_MB, so a
reader that allocated by a declared size before checking it fails the case with MemoryError.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

MEMORY_MB = 400
DATA_MB = 64
SECONDS = 20


@dataclass
class Result:
    status: int | None  # None: killed (a hang, or the memory limit hit outside Python)
    out: str
    err: str
    seconds: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    def refused(self) -> bool:
        """Exit status 2 with exactly one line on stderr, no traceback, nothing on stdout."""
        return (
            self.status == 2 and len(self.lines) == 1 and "Traceback" not in self.err
        ) and not self.out


def _vm_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _child(argv: list[str], cwd: Path, out: int, err: int, env: dict[str, str]) -> None:
    os.dup2(out, 1)
    os.dup2(err, 2)
    status = 99
    try:
        os.chdir(cwd)
        os.environ.update(env)
        budget = _vm_bytes() + MEMORY_MB * 1_000_000
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))
        signal.alarm(SECONDS)
        sys.stdout = os.fdopen(1, "w", closefd=False)
        sys.stderr = os.fdopen(2, "w", closefd=False)
        from tui_nn.cli import main

        status = main(argv)
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else 2
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def run_cli(argv: list[str], cwd: Path, **env: str) -> Result:
    """`tui-nn ARGV` run in `cwd` in a limited child; the child's status, stdout and stderr."""
    env = {"TUI_NN_MAX_MB": str(DATA_MB), "OPENBLAS_NUM_THREADS": "1", **env}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(argv, cwd, out.fileno(), err.fileno(), env)
        status = _wait(pid, start)
        out.seek(0)
        err.seek(0)
        text = [f.read().decode("utf-8", "replace") for f in (out, err)]
    return Result(status, text[0], text[1], time.monotonic() - start)


def _wait(pid: int, start: float) -> int | None:
    while True:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(code) if os.WIFEXITED(code) else None
        if time.monotonic() - start > SECONDS + 5:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.005)
