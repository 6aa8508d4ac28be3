"""The main screen: settings on the left, live plots on the right, status and keys at the bottom.
Its worker thread posts snapshots and events here; the handlers keep the newest in the RunState
and hand the work to helpers: plot grid, pictures, editing, the hand-over of the trainer."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.worker import Worker, get_current_worker

from tui_nn.app import commands as cmd
from tui_nn.app import messages as msg
from tui_nn.app.lang import Localized, bind
from tui_nn.app.run_words import banner_entry
from tui_nn.app.screens.boundary_link import BoundaryLink
from tui_nn.app.screens.change_mark import ChangeMark
from tui_nn.app.screens.editing import Editing
from tui_nn.app.screens.handover import Handover
from tui_nn.app.screens.landscape_link import LandscapeLink
from tui_nn.app.screens.picture_requests import PictureRequests
from tui_nn.app.screens.plots import PlotGrid
from tui_nn.app.screens.presets import PresetPicker
from tui_nn.app.screens.run_state import RunState
from tui_nn.app.screens.touch import PointsChanged, Touch, WeightSet
from tui_nn.app.session import TrainingSession
from tui_nn.app.snapshot import RUNNING
from tui_nn.app.widgets.about import PresetAbout
from tui_nn.app.widgets.architecture import ArchitecturePanel
from tui_nn.app.widgets.banner import Banner
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.footer import FittedFooter
from tui_nn.app.widgets.hint import HintLine
from tui_nn.app.widgets.hyperparams import HyperPanel
from tui_nn.app.widgets.landscape import LandscapeView
from tui_nn.app.widgets.network import NetworkView
from tui_nn.app.widgets.rows import RowsPanel
from tui_nn.app.widgets.status import StatusBar
from tui_nn.core import Preset

#: Below this size the plots show one at a time (v cycles them).
COMPACT_BELOW = (110, 32)
#: Snapshots and plot redraws per second while training, at most (see FrameBudget).
REDRAW_HZ = 4
#: Actions that need a loaded network.
NEEDS_TRAINER = frozenset({"run", "hold", "plot", "new_seed", "picture"})
#: What the training keys send to the worker (play_pause pauses a running run instead).
RUN_COMMANDS = dict(play_pause=cmd.Play, step=cmd.RunSteps, epoch=cmd.StepEpoch, reset=cmd.Reset)


class MainScreen(Localized, Screen):
    #: Footer keys left out first where they do not fit (all are in the help and the palette).
    FOOTER_SPARE = ("new_seed", "run('reset')", "run('epoch')", "hold('export')", "load")
    BINDINGS = [
        bind("space", "run('play_pause')", "play_pause"),
        bind("s,n", "run('step')", "step"),
        bind("e", "run('epoch')", "epoch"),
        bind("r", "run('reset')", "reset"),
        bind("o", "load", "load"),
        bind("b", "hold('stepper')", "backprop"),
        bind("f", "hold('export')", "export"),
        bind("i", "new_seed", "new_seed"),
        bind("x", "plot('x_axis')", "x_axis", show=False),
        bind("y", "plot('log_scale')", "log_scale", show=False),
        bind("v", "plot('next_view')", "next_view", show=False),
        bind("w", "plot('watch')", "watch", show=False),
        bind("g", "picture('landscape')", "landscape", show=False),
        # 3-D data: the slice moves from anywhere, not only with the boundary focused.
        bind("z", "picture('slice', 1)", "boundary_z_up", show=False),
        bind("Z", "picture('slice', -1)", "boundary_z_down", show=False),
    ]

    def __init__(self, preset: Preset | None = None, autostart: bool = False) -> None:
        super().__init__()
        # Snapshots no faster than the charts redraw: each one costs the trainer GIL time.
        self.session = TrainingSession(
            self.post_message, max_rate=REDRAW_HZ, lang=lambda: self.app.lang
        )
        self.first_preset, self.autostart = preset, autostart
        self.state, send = RunState(), self.session.send
        self.boundary = BoundaryLink(self, self.state, send)
        self.landscape = LandscapeLink(self, send, shown=lambda: self.plots.show_cell("landscape"))
        self.touch = Touch(self, self.state, send, self.boundary)
        mark = ChangeMark(self, self.state)  # pace "slow": the link the last update moved most
        pictures = (self.boundary.feed, self.touch.feed, self.landscape.feed, mark.feed)
        self.plots = PlotGrid(self, self.state, send, pictures)
        self.editing = Editing(self, self.state, send)
        self.handover = Handover(self, send)
        self.requests = PictureRequests(self, self.boundary, self.landscape, self.touch, self.plots)

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="side"):
                yield ArchitecturePanel(id="arch")
                yield HyperPanel(id="hyper")
                yield PresetAbout(id="about")
            yield self.plots.grid()
            yield Static("", id="welcome", markup=False)
        yield Banner(id="banner")
        yield HintLine(id="hint")
        yield StatusBar(id="status")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.run_trainer()
        self.set_interval(1 / REDRAW_HZ, self.plots.redraw_if_dirty)
        self.set_class(True, "-empty")
        self.relabel()
        if self.first_preset is not None:
            self.editing.load(self.first_preset)

    def on_unmount(self) -> None:
        self.session.stop()

    def on_resize(self, event: Resize) -> None:
        w, h = event.size
        self.set_class(w < COMPACT_BELOW[0] or h < COMPACT_BELOW[1], "-compact")
        self.set_class(h >= 36, "-tall")  # room for the preset's description
        self.query_one(FittedFooter).show_command_palette = w >= 100
        self.app.refresh_bindings()
        self.plots.layout()

    def focus_next(self, selector: str | type = "*") -> Widget | None:
        return self.plots.tab(1) if selector == "*" else super().focus_next(selector)

    def focus_previous(self, selector: str | type = "*") -> Widget | None:
        return self.plots.tab(-1) if selector == "*" else super().focus_previous(selector)

    def relabel(self) -> None:
        self.query_one("#welcome", Static).update(self.tr("app_welcome"))
        self.query_one(StatusBar).show(self.state.snapshot, self.state.title(self.app.lang))
        self.plots.layout()

    @work(thread=True, exclusive=True, exit_on_error=False, name="trainer", group="trainer")
    def run_trainer(self) -> None:
        """The only thread that touches the Trainer; see tui_nn.app.session."""
        worker = get_current_worker()
        self.session.run(cancelled=lambda: worker.is_cancelled)

    async def on_trainer_loaded(self, message: msg.TrainerLoaded) -> None:
        self.state.loaded(message.info)
        self.set_class(False, "-empty")
        if message.info.warnings:
            self.query_one(Banner).say("app_warn_no_gradient")
        self.query_one(HintLine).say("app_hint_loaded")
        self.editing.show_panels()
        self.touch.reset()
        await self.boundary.link(message.info)
        await self.landscape.link(message.info)
        self.touch.say()
        self.plots.layout()
        if self.autostart:
            self.autostart = False
            self.session.send(cmd.Play())
        if not self.query_one("#arch").has_focus and not self.query_one("#hyper").has_focus:
            self.query_one("#hyper").focus()

    def on_training_snapshot(self, message: msg.TrainingSnapshot) -> None:
        snapshot = self.state.snapshot = message.snapshot
        self.session.ack(snapshot.serial)
        self.query_one(StatusBar).show(snapshot, self.state.title(self.app.lang))
        self.query_one(PresetAbout).show(self.state.info, snapshot.steps_per_epoch)
        self.plots.dirty = True
        if snapshot.paced:  # a frame of a watchable pace: drawn as it comes, 20 a second
            self.plots.redraw()
        elif snapshot.state != RUNNING:
            self.plots.redraw_soon()

    @on(msg.TrainingDiverged)
    @on(msg.TrainingWarned)
    @on(msg.TrainingFinished)
    @on(msg.CommandFailed)
    @on(msg.LoadFailed)
    @on(Worker.StateChanged)
    def announce(self, message: Message) -> None:
        """What the run says (and the worker thread's death, should it die) to the banner."""
        found = banner_entry(message)
        if found is not None:
            self.query_one(Banner).show(found[0], error=found[1])

    def on_trainer_held(self, message: msg.TrainerHeld) -> None:
        self.handover.lend(message.trainer)

    def on_screen_resume(self) -> None:
        # However the stepper closes (dismiss or pop_screen), the worker gets the trainer back.
        self.handover.give_back()

    @on(RowsPanel.Edit)
    @on(ArchitecturePanel.EditNetwork)
    @on(ArchitecturePanel.AddLayer)
    @on(ArchitecturePanel.RemoveLayer)
    def edit(self, message: Message) -> None:
        self.editing.handle(message)

    @on(NetworkView.Selected)
    @on(NetworkView.EditWanted)
    @on(NetworkView.PickParameter)
    @on(BoundaryView.PointWanted)
    @on(WeightSet)
    @on(PointsChanged)
    @on(BoundaryView.GridWanted)
    @on(LandscapeView.SizeWanted)
    @on(LandscapeView.CloseWanted)
    async def pictures(self, message: Message) -> None:
        """The pictures' requests: a grid at a new size or slice, a pick, a point, a weight."""
        await self.requests.handle(message)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        panel, row = event.option_list, event.option.id
        if isinstance(panel, RowsPanel) and row:
            self.query_one(HintLine).row_moved(panel.id, row, panel.help_key(row))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Shown greyed out until a preset is loaded.
        return None if action in NEEDS_TRAINER and self.state.info is None else True

    def action_run(self, what: str) -> None:
        """Space, s, e, r: play or pause, one step, one epoch, back to the initial weights."""
        snapshot = self.state.snapshot
        if what == "play_pause" and snapshot and snapshot.state == RUNNING:
            self.session.send(cmd.Pause())
            return
        self.query_one(Banner).clear()
        self.session.send(RUN_COMMANDS[what]())

    def action_hold(self, kind: str) -> None:
        """b and f: the backprop stepper and the export dialog, on the paused trainer."""
        self.handover.ask(kind)

    def action_plot(self, what: str) -> None:
        """x, y, v, w: the plot grid's x axis, log scale, next view, watched layer."""
        getattr(self.plots, what)()

    def action_picture(self, what: str, *args: int) -> None:
        """z, Z: the 3-D boundary's slice; g: name two parameters and see E over their plane."""
        {"slice": self.boundary.slice, "landscape": self.landscape.pick}[what](*args)

    def action_new_seed(self) -> None:
        if self.state.experiment is not None:
            self.editing.propose({"seed": self.state.experiment.preset.network.seed + 1})

    def action_load(self) -> None:
        self.app.push_screen(PresetPicker(), lambda p: p and self.editing.load(p))
