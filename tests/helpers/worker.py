"""The training session on a thread of its own, without a screen: commands in, messages out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tui_nn.app import session as cmd
from tui_nn.app.messages import TrainingSnapshot
from tui_nn.app.snapshot import PAUSED


class Worker:
    """A session running on its own thread, collecting what it posts."""

    def __init__(self, **kwargs: float) -> None:
        self.messages: list[object] = []
        self.session = cmd.TrainingSession(self.messages.append, **kwargs)
        self.thread = threading.Thread(target=self.session.run, daemon=True)
        self.thread.start()

    def send(self, *commands: object) -> None:
        for c in commands:
            self.session.send(c)

    def wait_for(self, cond: Callable[[], bool], timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            assert time.monotonic() < end, "the worker did not get there in time"
            time.sleep(0.002)

    def snapshots(self) -> list:
        return [m.snapshot for m in self.messages if isinstance(m, TrainingSnapshot)]

    def last(self):
        snaps = self.snapshots()
        return snaps[-1] if snaps else None

    def settled_at(self, step: int, state: str = PAUSED) -> None:
        self.wait_for(
            lambda: (s := self.last()) is not None and s.step == step and s.state == state
        )

    def close(self) -> None:
        self.session.stop()
        self.thread.join(2)
        assert not self.thread.is_alive()
