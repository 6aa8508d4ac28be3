"""The main screen: architecture and hyperparameters on the left, live plots on the right, the
status line and the keys at the bottom. It owns the training session and its worker thread.

Data flow: the worker posts TrainingSnapshot (coalesced) and events to this screen; the handlers
keep the newest snapshot and hand it down to the widgets. Plots redraw from a timer while
training (≤ 4 Hz, and only as often as the UI thread's FrameBudget allows) and at once when the
run stops or the student changes a view, so a fast run never waits for the screen.
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.containers import Container, Grid, Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui_nn.app import session as cmd
from tui_nn.app.budget import FrameBudget
from tui_nn.app.experiment import Experiment
from tui_nn.app.lang import Localized, bind, show_bindings
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
from tui_nn.app.run_words import diverged_entry, finished_entry, rising_entry
from tui_nn.app.screens.editing import EditFlows
from tui_nn.app.screens.export import ExportScreen
from tui_nn.app.screens.network_flows import NetworkFlows
from tui_nn.app.screens.presets import PresetPicker
from tui_nn.app.snapshot import RUNNING, ModelInfo, Snapshot
from tui_nn.app.stepper import StepperResult, StepperScreen
from tui_nn.app.stepper.screen import Place
from tui_nn.app.widgets.about import PresetAbout
from tui_nn.app.widgets.architecture import ArchitecturePanel
from tui_nn.app.widgets.banner import Banner
from tui_nn.app.widgets.chart import Chart, ChartOptions
from tui_nn.app.widgets.charts import AccuracyChart, GradNormChart, HistogramChart, LossChart
from tui_nn.app.widgets.hint import HintLine
from tui_nn.app.widgets.hyperparams import HyperPanel
from tui_nn.app.widgets.rows import RowsPanel
from tui_nn.app.widgets.status import StatusBar
from tui_nn.core import Preset

#: Below this size the plots show one at a time (v cycles them).
COMPACT_BELOW = (110, 32)
#: Snapshots and plot redraws per second while training, at most (see FrameBudget).
REDRAW_HZ = 4
#: Share of one core the UI thread may use while training: about what the app costs the trainer.
UI_SHARE = 0.05
#: Footer keys shown only on wide screens (all of them are in the help and the palette).
WIDE_ONLY_KEYS = {"epoch", "reset", "new_seed"}
#: Actions that need a loaded network.
NEEDS_TRAINER = frozenset(
    {
        "play_pause",
        "step",
        "epoch",
        "reset",
        "new_seed",
        "backprop",
        "export",
        "x_axis",
        "log_scale",
        "next_view",
        "watch",
    }
)


class MainScreen(NetworkFlows, EditFlows, Localized, Screen):
    BINDINGS = [
        bind("space", "play_pause", "play_pause"),
        bind("s,n", "step", "step"),
        bind("e", "epoch", "epoch"),
        bind("r", "reset", "reset"),
        bind("o", "load", "load"),
        bind("b", "backprop", "backprop"),
        bind("f", "export", "export"),
        bind("i", "new_seed", "new_seed"),
        bind("x", "x_axis", "x_axis", show=False),
        bind("y", "log_scale", "log_scale", show=False),
        bind("v", "next_view", "next_view", show=False),
        bind("w", "watch", "watch", show=False),
        # 3-D data: the slice moves from anywhere, not only with the boundary focused.
        bind("z", "slice(1)", "boundary_z_up", show=False),
        bind("Z", "slice(-1)", "boundary_z_down", show=False),
    ]

    def __init__(self, preset: Preset | None = None, autostart: bool = False) -> None:
        super().__init__()
        # Read on the worker thread when an engine error is worded (the app finds it by parent).
        # Snapshots no faster than the charts redraw: each one costs the trainer GIL time.
        self.session = cmd.TrainingSession(
            self.post_message, lang=lambda: self.app.lang, max_rate=REDRAW_HZ
        )
        self.first_preset = preset
        self.autostart = autostart
        self.experiment: Experiment | None = None
        self.info: ModelInfo | None = None
        self.snapshot: Snapshot | None = None
        self.options = ChartOptions()
        self.view = 0  # which plot shows on a compact screen
        self.held = False  # the stepper has the trainer
        self._hold_asked = False
        self._hold_for: type[Screen] = StepperScreen  # what gets the trainer when held
        self.stepper_place: Place | None = None  # where the stepper was left
        self._dirty = False
        self.budget = FrameBudget(UI_SHARE)
        self._rows_seen: dict[str | None, str] = {}

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="side"):
                yield ArchitecturePanel(id="arch")
                yield HyperPanel(id="hyper")
                yield PresetAbout(id="about")
            with Grid(id="plots"):
                yield LossChart(id="loss", classes="plot-cell")
                yield Container(id="network-slot", classes="plot-cell")
                yield Container(id="boundary-slot", classes="plot-cell")
                yield AccuracyChart(id="accuracy", classes="plot-cell")
                yield GradNormChart(id="gradnorm", classes="plot-cell")
                yield HistogramChart(id="histogram", classes="plot-cell")
            yield Static("", id="welcome", markup=False)
        yield Banner(id="banner")
        yield HintLine(id="hint")
        yield StatusBar(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.run_trainer()
        self.set_interval(1 / REDRAW_HZ, self.redraw_if_dirty)
        self.set_class(True, "-empty")
        self.relabel()
        if self.first_preset is not None:
            self.load(self.first_preset)

    def on_unmount(self) -> None:
        self.session.stop()

    def on_resize(self, event: Resize) -> None:
        w, h = event.size
        compact = w < COMPACT_BELOW[0] or h < COMPACT_BELOW[1]
        self.set_class(compact, "-compact")
        self.set_class(h >= 36, "-tall")  # room for the preset's description
        # 80 columns hold the footer's main keys only; the rest are in the help and palette.
        show_bindings(self, WIDE_ONLY_KEYS, w >= COMPACT_BELOW[0])
        self.query_one(Footer).show_command_palette = w >= 100
        self.app.refresh_bindings()
        self.layout_cells()

    async def show_in_boundary_slot(self, widget: Widget | None) -> None:
        """Put the decision-boundary view in its slot, or empty the slot (None)."""
        slot = self.query_one("#boundary-slot")
        await slot.remove_children()
        if widget is not None:
            await slot.mount(widget)
        self.layout_cells()

    @property
    def cells(self) -> list[str]:
        """Ids of the plot cells in use, in the order `v` cycles through them."""
        # The slot shows once something is mounted in it (for data the boundary view can draw).
        boundary = bool(self.query_one("#boundary-slot").children)
        return [
            "loss",
            "accuracy",
            *(["boundary-slot", "network-slot"] if boundary else []),
            "gradnorm",
            "histogram",
        ]

    def layout_cells(self) -> None:
        cells = self.cells
        self.view %= len(cells)
        compact = self.has_class("-compact")
        self.query_one("#plots").set_class("boundary-slot" in cells, "-has-boundary")
        for cell in self.query(".plot-cell"):
            shown = cell.id in cells and (not compact or cell.id == cells[self.view])
            cell.display = shown
            note = self.tr("app_view_hint", i=self.view + 1, n=len(cells)) if compact else ""
            if isinstance(cell, Chart):
                cell.note = note
            else:
                cell.border_subtitle = note
        self.redraw(force=True)

    # ---- the worker --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, name="trainer", group="trainer")
    def run_trainer(self) -> None:
        """The only thread that touches the Trainer; see tui_nn.app.session."""
        worker = get_current_worker()
        self.session.run(cancelled=lambda: worker.is_cancelled)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The session catches what it can; should the thread still die, say so, do not hang.
        if event.worker.name == "trainer" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self.query_one(Banner).say(
                "app_worker_failed", error=True, reason=f"{type(error).__name__}: {error}"
            )

    def load(self, preset: Preset) -> None:
        self.query_one(Banner).clear()
        self.session.send(cmd.Load(preset))

    async def on_trainer_loaded(self, message: TrainerLoaded) -> None:
        self.info = message.info
        self.experiment = Experiment(message.info.preset)
        self.snapshot = None
        self.set_class(False, "-empty")
        banner = self.query_one(Banner)
        if message.info.warnings:
            banner.say("app_warn_no_gradient")
        self.query_one(HintLine).say("app_hint_loaded")
        self.show_panels()
        await self.link_boundary(message.info)
        self.layout_cells()
        if self.autostart:
            self.autostart = False
            self.session.send(cmd.Play())
        if not self.query_one("#arch").has_focus and not self.query_one("#hyper").has_focus:
            self.query_one("#hyper").focus()

    def on_training_snapshot(self, message: TrainingSnapshot) -> None:
        self.snapshot = message.snapshot
        self.session.ack(self.snapshot.serial)
        self.query_one(StatusBar).show(self.snapshot, self.preset_title)
        self.query_one(PresetAbout).show(self.info, self.snapshot.steps_per_epoch)
        self._dirty = True
        if self.snapshot.state != RUNNING or self.snapshot.paced:
            self.redraw()

    def on_training_diverged(self, message: TrainingDiverged) -> None:
        self.query_one(Banner).show(diverged_entry(message), error=True)

    def on_training_warned(self, message: TrainingWarned) -> None:
        self.query_one(Banner).show(rising_entry(message.warning))

    def on_training_finished(self, message: TrainingFinished) -> None:
        self.query_one(Banner).show(finished_entry(message))

    def on_command_failed(self, message: CommandFailed) -> None:
        self.query_one(Banner).say("app_command_failed", error=True, reason=message.reason)

    def on_load_failed(self, message: LoadFailed) -> None:
        self.query_one(Banner).say("app_load_failed", error=True, reason=message.reason)

    def on_trainer_held(self, message: TrainerHeld) -> None:
        self.held, self._hold_asked = True, False
        if self._hold_for is StepperScreen:
            screen = StepperScreen(message.trainer, self.app.lang, resume=self.stepper_place)
            self.app.push_screen(screen, self.stepper_closed)
        else:
            self.app.push_screen(self._hold_for(message.trainer))

    def stepper_closed(self, result: StepperResult | None) -> None:
        """The student may have switched language inside the stepper: keep it; and remember
        where they were, for when they come back to the same iteration."""
        if result is not None:
            self.stepper_place = result.place
        if result is not None and result.lang != self.app.lang:
            self.app.lang = result.lang

    def on_screen_resume(self) -> None:
        # However the stepper closes (dismiss or pop_screen), the worker gets the trainer back.
        if self.held:
            self.held = False
            self.session.send(cmd.Release())

    # ---- showing -----------------------------------------------------------------------------

    @property
    def preset_title(self) -> str:
        p = self.info.preset if self.info else None
        if p is None:
            return ""
        return p.name_ja if self.app.lang == "ja" and p.name_ja else p.name

    def show_panels(self) -> None:
        if self.experiment is None or self.info is None:
            return
        self.query_one(ArchitecturePanel).show(self.experiment.preset.network, self.info.n_params)
        self.query_one(HyperPanel).show(self.experiment)

    def redraw_if_dirty(self) -> None:
        """The timer's redraw while training, when the UI thread's budget allows it."""
        if self._dirty and self.budget.allows():
            self.redraw()

    def redraw(self, force: bool = False) -> None:
        """Hand the newest snapshot to the decision boundary and the visible charts."""
        self._dirty = False
        if self.snapshot is not None:
            self.feed_boundary(self.snapshot)
        for chart in self.query(Chart):
            if chart.display:
                chart.draw(self.snapshot, self.info, self.options, force)

    def relabel(self) -> None:
        self.query_one("#welcome", Static).update(self.tr("app_welcome"))
        self.query_one(StatusBar).show(self.snapshot, self.preset_title)
        self.layout_cells()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Help for the row the student moved to (not for highlights set while loading, so
        the first-run hint stays until the student moves)."""
        panel, row = event.option_list, event.option.id
        if not isinstance(panel, RowsPanel) or not row:
            return
        before = self._rows_seen.get(panel.id)
        self._rows_seen[panel.id] = row
        if before is not None and before != row:
            self.query_one(HintLine).say(panel.help_key(row))

    # ---- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEEDS_TRAINER and self.info is None:
            return None  # shown greyed out until a preset is loaded
        return True

    def action_play_pause(self) -> None:
        if self.snapshot and self.snapshot.state == RUNNING:
            self.session.send(cmd.Pause())
        else:
            self.query_one(Banner).clear()
            self.session.send(cmd.Play())

    def action_step(self) -> None:
        self.query_one(Banner).clear()
        self.session.send(cmd.Step(1))

    def action_epoch(self) -> None:
        self.query_one(Banner).clear()
        self.session.send(cmd.StepEpoch())

    def action_reset(self) -> None:
        self.query_one(Banner).clear()
        self.session.send(cmd.Reset())

    def action_new_seed(self) -> None:
        if self.experiment is not None:
            self.propose({"seed": self.experiment.preset.network.seed + 1})

    def action_load(self) -> None:
        self.app.push_screen(PresetPicker(), lambda p: p and self.load(p))

    def action_backprop(self) -> None:
        self.hold_for(StepperScreen)

    def action_export(self) -> None:
        self.hold_for(ExportScreen)

    def hold_for(self, screen: type[Screen]) -> None:
        """Ask the worker for the trainer, for the stepper or the export dialog."""
        if not (self.held or self._hold_asked):  # a second key before the first one lands
            self._hold_asked, self._hold_for = True, screen
            self.session.send(cmd.Hold())

    def action_x_axis(self) -> None:
        self.set_options(x="epoch" if self.options.x == "step" else "step")

    def action_log_scale(self) -> None:
        self.set_options(log_loss=not self.options.log_loss)

    def action_next_view(self) -> None:
        self.view += 1
        self.layout_cells()

    def action_watch(self) -> None:
        """Histogram of W1, then ∂E/∂W1, then W2, ... round the layers."""
        if self.info is None:
            return
        layer = self.snapshot.watched.layer if self.snapshot else 1
        if not self.options.show_grads:
            self.set_options(show_grads=True)
            return
        self.options = ChartOptions(self.options.x, self.options.log_loss, False)
        self.session.send(cmd.Watch(layer % self.info.n_weight_layers + 1))

    def set_options(self, **changes: object) -> None:
        self.options = replace(self.options, **changes)
        self.redraw()
