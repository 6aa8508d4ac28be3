"""The training worker: one thread owns the Trainer, obeys commands, and publishes snapshots.
The engine is not thread-safe, so only the worker thread calls into the Trainer and Network.
The UI thread sends commands (tui_nn.app.commands) through `TrainingSession.send`, and receives
messages (tui_nn.app.messages) through the `post` callable, which is a widget's `post_message`:
non-blocking, safe from any thread, and a no-op once the app is closing.

    session = TrainingSession(screen.post_message)
    worker thread:  session.run(cancelled=lambda: worker.is_cancelled)
    UI thread:      session.send(Load(preset)); session.send(Play())
                    session.send(SetTrain("lr", 0.1))
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.message import Message

from tui_nn.app import snapshot
from tui_nn.app.commands import (
    AddProbe,
    Apply,
    AskLandscape,
    Hold,
    Load,
    Pause,
    Play,
    Probe,
    Release,
    Reset,
    RunSteps,
    SetOptimizer,
    SetPace,
    SetTrain,
    StepEpoch,
    Stop,
    Watch,
)
from tui_nn.app.landscape_work import LandscapeWork
from tui_nn.app.messages import (
    CommandFailed,
    LoadFailed,
    TrainerHeld,
    TrainerLoaded,
    TrainingDiverged,
    TrainingFinished,
    TrainingSnapshot,
    TrainingWarned,
)
from tui_nn.app.snapshot import DIVERGED, FINISHED, IDLE, PAUSED, RUNNING, ModelInfo
from tui_nn.app.worker_parts import Probes, StepRate
from tui_nn.core import ConfigError, Diverged, Preset, Trainer

#: Seconds per frame of each watchable pace ([view] pace): 20 frames a second, or 1 for "slow".
FRAME_S = {"epoch": 0.05, "step": 0.05, "slow": 1.0}

# ---- the worker ----------------------------------------------------------------------------


class TrainingSession:
    """Owns the Trainer on the worker thread. Only `send`, `ack`, `stop` and `trainer` (read when
    held or stopped, e.g. by tests after a pause) belong to other threads."""

    #: Seconds the UI may lag behind the newest snapshot before the worker waits for it.
    UI_LAG = 0.2

    def __init__(
        self,
        post: Callable[[Message], object],
        *,
        max_rate: float = 10.0,
        slice_s: float = 0.02,
        lang: Callable[[], str] = lambda: "en",
    ) -> None:
        self.lang = lang  # the app's current language, read when an engine error is worded
        self.commands: queue.Queue[object] = queue.Queue()
        self.trainer: Trainer | None = None
        self.state = IDLE
        self._post = post
        self._period = 1.0 / max_rate
        self._slice_s = slice_s
        self._goal: Callable[[Trainer], bool] | None = None  # None: not training
        self._until: tuple[str, int] = ("", 0)  # what the goal is: ("step", n), ("epoch", n)
        self._held = False
        self._deferred: list[object] = []
        self._layer = 1
        self._probes = Probes()
        self._stopped = threading.Event()
        #: Set when `run` has returned (the worker thread no longer touches the trainer).
        self.finished = threading.Event()
        self._dirty = False
        self._last_post = 0.0
        self._serial = 0  # of the last snapshot posted
        self._shown = 0  # of the last snapshot the UI handled (written by the UI thread)
        self._rate = StepRate()
        self._pace, self._next_frame = "max", 0.0  # [view] pace, and when its next frame is due
        self.land = LandscapeWork()

    # ---- UI thread ----

    def send(self, command: object) -> None:
        self.commands.put(command)

    def ack(self, serial: int) -> None:
        """The UI thread handled snapshot `serial` (lets the worker know the UI keeps up)."""
        self._shown = max(self._shown, serial)

    def stop(self) -> None:
        """Make `run` return within one step; safe from any thread."""
        self._stopped.set()
        self.commands.put(Stop())

    # ---- worker thread ----

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """The worker body: obey commands, train in short slices, publish at a bounded rate."""
        try:
            while not (self._stopped.is_set() or cancelled()):
                self._take_commands(block=self._goal is None or self._held)
                if self._goal is not None and not self._held and not self._stopped.is_set():
                    self._let_ui_catch_up(cancelled)
                    if self._pace != "max" and self.state == RUNNING:
                        self._train_frame(cancelled)
                    else:
                        self._train_slice(cancelled)
                    time.sleep(0)  # release the GIL: a waiting UI thread gets its turn now
                self._publish()
        finally:
            self.finished.set()

    def _take_commands(self, block: bool) -> None:
        try:
            # The timeout bounds how long a cancelled worker (app quitting) lingers when idle.
            command = self.commands.get(timeout=0.05) if block else self.commands.get_nowait()
        except queue.Empty:
            return
        while True:
            self._obey(command)
            try:
                command = self.commands.get_nowait()
            except queue.Empty:
                return

    def _obey(self, command: object) -> None:
        if isinstance(command, Stop):
            self._stopped.set()
        elif isinstance(command, AddProbe):
            self._probes.set(command.name, command.probe)
            self._dirty = True
        elif isinstance(command, Release):
            self._held = False
            self._dirty = True
            deferred, self._deferred = self._deferred, []
            for c in deferred:
                self._obey(c)
        elif self._held:
            self._deferred.append(command)  # the UI thread owns the trainer until Release
        elif isinstance(command, Load):
            self._load(command.preset)
        elif self.trainer is not None:
            try:
                self._obey_trainer(self.trainer, command)
            except ConfigError as e:
                self._post(CommandFailed(e.message_in(self.lang())))
            except Exception as e:  # a bug must not kill the worker and freeze the controls
                self._post(CommandFailed(f"{type(e).__name__}: {e}"))
            self._dirty = True

    def _load(self, preset: Preset) -> None:
        try:
            trainer = Trainer(preset)
        except ConfigError as e:
            self._post(LoadFailed(e.message_in(self.lang())))
            return
        except Exception as e:  # e.g. a data file that is not what it claims to be
            self._post(LoadFailed(f"{type(e).__name__}: {e}"))
            return
        self.trainer = trainer
        self.land.loaded(trainer)
        self._pace = preset.pace
        self._halt()
        self._layer = min(self._layer, len(trainer.net.layers))
        self.state = PAUSED
        self._post(TrainerLoaded(ModelInfo.of(trainer)))
        self._dirty = True

    def _obey_trainer(self, trainer: Trainer, command: object) -> None:
        if isinstance(command, Play | RunSteps | StepEpoch):
            trainer.check_trainable()  # a forward-only exercise: one line says so, nothing runs
        if isinstance(command, Play):
            self._play(trainer)
        elif isinstance(command, Pause):
            self._halt()
            self.state = PAUSED if self.state == RUNNING else self.state
        elif isinstance(command, RunSteps):
            # Steps add up: three quick presses of `s` are three updates.
            base = self._until[1] if self._until[0] == "step" else trainer.step_count
            self._start(("step", base + command.count), PAUSED)
        elif isinstance(command, StepEpoch):
            base = self._until[1] if self._until[0] == "epoch" else trainer.epochs_done
            self._start(("epoch", base + 1), PAUSED)
        elif isinstance(command, Reset):
            trainer.reset()
            self._halt()
            self.state = PAUSED
        elif isinstance(command, SetTrain):
            trainer.configure(**{command.name: command.value})
        elif isinstance(command, AskLandscape):
            self.land.ask(trainer, command.pair, command.size)
        elif isinstance(command, SetOptimizer):
            trainer.configure(optimizer=command.name, constants=command.constants)
        elif isinstance(command, SetPace):
            self._pace = command.pace
        elif isinstance(command, Watch):
            self._layer = min(max(command.layer, 1), len(trainer.net.layers))
        elif isinstance(command, Apply) and (said := command.change(trainer)) is not None:
            self._post(said)
        elif isinstance(command, Hold):
            self._halt()
            self.state = PAUSED if self.state == RUNNING else self.state
            self._held = True
            self._publish(force=True)
            self._post(TrainerHeld(trainer))

    def _play(self, trainer: Trainer) -> None:
        rising = trainer.watch.active if trainer.watch else None
        if trainer.finished:
            self.state = FINISHED
            self._post(TrainingFinished(trainer.cfg.epochs, rising, trainer.cfg.steps))
            return
        self._start(("play", 0), RUNNING)
        if rising is not None:  # going on with the loss still high: the warning stays up
            self._post(TrainingWarned(rising))

    def _halt(self) -> None:
        self._goal, self._until = None, ("", 0)

    def _start(self, until: tuple[str, int], state: str) -> None:
        kind, n = until
        self._until = until
        if kind == "step":
            self._goal = lambda tr: tr.step_count >= n
        elif kind == "epoch":
            self._goal = lambda tr: tr.epochs_done >= n
        else:
            self._goal = lambda tr: tr.finished
        self.state = state
        self._rate.reset()

    def _let_ui_catch_up(self, cancelled: Callable[[], bool]) -> None:
        """Back-pressure: when the UI is far behind the snapshots, sleep until it catches up.
        A small network keeps this thread in Python bytecode, holding the GIL; the UI thread
        then gets it only in short turns and key presses take seconds. A big network spends
        its time in NumPy with the GIL released, the UI keeps up, and this never sleeps.
        """
        if self._shown >= self._serial or time.perf_counter() - self._last_post < self.UI_LAG:
            return
        deadline = time.perf_counter() + self.UI_LAG
        while (
            self._shown < self._serial
            and time.perf_counter() < deadline
            and not self._commands_waiting()
            and not cancelled()
        ):
            time.sleep(0.002)

    def _train_slice(self, cancelled: Callable[[], bool]) -> None:
        """Steps for up to `slice_s`, returning early when a command arrives or the goal is met."""
        end = time.perf_counter() + self._slice_s
        waiting = self._commands_waiting
        self._steps(lambda: time.perf_counter() > end or waiting() or cancelled())

    def _train_frame(self, cancelled: Callable[[], bool]) -> None:
        """One frame of a watchable pace: at its time, its updates (the rest of the epoch, or
        one), then one snapshot of them, so that every frame is drawn from one state."""
        wait = self._next_frame - time.perf_counter()
        if wait > 0:
            time.sleep(min(wait, 0.01))  # short naps: a key press is obeyed at once
            return
        self._next_frame = time.perf_counter() + FRAME_S[self._pace]
        trainer = self.trainer
        first, per = trainer.step_count, trainer.steps_per_epoch
        n = per - first % per if self._pace == "epoch" else 1
        waiting = self._commands_waiting
        self._steps(lambda: trainer.step_count - first >= n or waiting() or cancelled())
        if trainer.step_count - first >= n or self.state != RUNNING:
            self._publish(force=True, frame=self.state == RUNNING)
        else:  # cut short by a command: no half frame; the rest of it follows the command
            self._next_frame = 0.0

    def _commands_waiting(self) -> bool:
        """Whether a command is queued, asked after every update: the length of the queue's
        deque is read in one step under the GIL, without the lock `empty()` takes."""
        return len(self.commands.queue) > 0

    def _steps(self, done: Callable[[], bool]) -> None:
        """Update until the goal is met or `done()`; a divergence or a bug pauses the run."""
        trainer, goal, recorded = self.trainer, self._goal, self.land.recorded
        assert trainer is not None and goal is not None
        try:
            while True:
                if goal(trainer):
                    self._reach_goal(trainer)
                    return
                if (warning := trainer.step().warning) is not None:
                    self._post(TrainingWarned(warning))
                recorded(trainer)
                if done():
                    return
        except Diverged as e:
            self._halt()
            self.state = DIVERGED
            self._post(TrainingDiverged(e, trainer.lr))
            self._dirty = True
        except Exception as e:  # a bug must not kill the worker and freeze the controls
            self._halt()
            self.state = PAUSED
            self._post(CommandFailed(f"{type(e).__name__}: {e}"))
            self._dirty = True

    def _reach_goal(self, trainer: Trainer) -> None:
        finished = self.state == RUNNING
        self._halt()
        self.state = FINISHED if finished else PAUSED
        if finished:
            rising = trainer.watch.active if trainer.watch else None
            self._post(TrainingFinished(trainer.cfg.epochs, rising, trainer.cfg.steps))
        self._dirty = True

    def _publish(self, force: bool = False, frame: bool = False) -> None:
        """A snapshot now if something changed, else at most every `period` while training;
        `frame`: it is a whole frame of a watchable pace (a command's snapshot never is)."""
        trainer = self.trainer
        if trainer is None or (self._held and not force):
            return
        now = time.perf_counter()
        if not (force or self._dirty or (self._goal and now - self._last_post >= self._period)):
            return
        if self.state == RUNNING:
            self._rate.measure(now, trainer.step_count)
        else:
            self._rate.reset()
        extras = self._run_probes(trainer)
        self._serial += 1
        snap = snapshot.take(
            trainer, self.state, self._rate.rate, self._layer, extras, self._serial
        )
        if frame:
            snap = replace(snap, paced=True)  # the screen draws each one
        self._post(TrainingSnapshot(snap))
        self._last_post = now
        self._dirty = False

    def _run_probes(self, trainer: Trainer) -> dict[str, Any]:
        """Each probe's result (one that fails is reported once and removed), the landscape's."""
        extras, failed = self._probes.run(trainer)
        for line in failed:
            self._post(CommandFailed(line))
        if (shown := self.land.extra(trainer, self.state == RUNNING)) is not None:
            extras["landscape"] = shown
        return extras


__all__ = [  # the commands are re-exported: `from tui_nn.app import session as cmd; cmd.Play()`
    "AddProbe",
    "AskLandscape",
    "Hold",
    "Load",
    "Pause",
    "Play",
    "Probe",
    "Release",
    "Reset",
    "RunSteps",
    "SetOptimizer",
    "SetPace",
    "SetTrain",
    "StepEpoch",
    "Stop",
    "TrainingSession",
    "Watch",
]
