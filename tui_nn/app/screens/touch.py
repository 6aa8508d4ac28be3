"""What the student touches in the network picture and on the plane, for the main screen.

Everything goes through the worker, which owns the trainer: a picked node's map replaces the
decision boundary (the boundary link's probe), the numbers of a pick arrive in
`extras["touch"]`, and a weight set by hand or a point added is a `cmd.Apply` run between two
steps, which answers with `WeightSet` or `PointsChanged`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui_nn.app import commands as cmd
from tui_nn.app.screens.boundary_link import BoundaryLink
from tui_nn.app.screens.edit import EditField, EditScreen
from tui_nn.app.screens.run_state import RunState
from tui_nn.app.screens.touch_words import check_weight, link_name, num, touch_line, unit_name
from tui_nn.app.snapshot import Snapshot
from tui_nn.app.widgets.boundary import BoundaryView
from tui_nn.app.widgets.hint import HintLine
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core import Trainer
from tui_nn.core.touch import Readings, add_point, readings, remove_nearest, set_weight
from tui_nn.i18n import t


@dataclass
class WeightSet(Message):
    """The worker set a weight by hand: (step, name, index, old, new)."""

    edit: tuple


@dataclass
class PointsChanged(Message):
    """The worker changed the training points: the [data] section that now describes them."""

    data: dict


def set_by_hand(name: str, index: tuple[int, int], value: float) -> Callable[[Trainer], Message]:
    def change(trainer: Trainer) -> Message:
        set_weight(trainer, name, index, value)
        return WeightSet(trainer.edits[-1])

    return change


def points_changed(trainer: Trainer, _: object) -> Message:
    return PointsChanged(dict(trainer.preset.data))


class Touch:
    """The pick (a node or a link), its numbers, and the changes made by hand."""

    def __init__(
        self, screen: Screen, state: RunState, send: Callable[[object], None], link: BoundaryLink
    ) -> None:
        self.screen, self.state, self.send, self.boundary = screen, state, send, link
        self.picked: tuple[tuple[int, int] | None, tuple[int, int, int] | None] = (None, None)
        self.numbers: Readings | None = None

    def lang(self) -> str:
        return self.screen.app.lang

    def reset(self) -> None:
        """A new network: nothing picked."""
        self.picked, self.numbers, self.boundary.unit = (None, None), None, None
        self.send(cmd.AddProbe("touch", None))

    def feed(self, snapshot: Snapshot) -> None:
        if "touch" in snapshot.extras:
            self.numbers = snapshot.extras["touch"]
            self.say()

    def handle(self, message: Message) -> None:
        if isinstance(message, NetworkView.Selected):
            self.select(message.node, message.link)
        elif isinstance(message, NetworkView.EditWanted):
            self.ask_weight(message.link)
        elif isinstance(message, WeightSet):
            self.weight_set(message.edit)
        elif isinstance(message, BoundaryView.PointWanted):
            self.point(message.x, message.y, message.cls)
        elif isinstance(message, PointsChanged) and self.state.experiment is not None:
            # The experiment keeps the points, so that a rebuild and an export keep them too.
            self.state.experiment.keep_data(message.data)

    # ---- picking -----------------------------------------------------------------------

    def select(self, node: tuple[int, int] | None, link: tuple[int, int, int] | None) -> None:
        self.picked, self.numbers = (node, link), None
        if node is None and link is None:
            self.send(cmd.AddProbe("touch", None))
        else:
            self.send(cmd.AddProbe("touch", lambda trainer: readings(trainer, node, link)))
        self.boundary.unit = node
        for view in self.screen.query(BoundaryView):
            view.map_title = self.map_title(node)
            self.boundary.want_grid(*view.pixel_size, view.z)
        self.say()

    @property
    def names(self) -> tuple[str, ...]:
        views = self.screen.query(NetworkView)
        pic = views.first().picture if views else None
        return pic.names if pic is not None else ()

    def map_title(self, node: tuple[int, int] | None) -> str:
        if node is None or self.state.info is None:
            return ""
        name = unit_name(*node, self.state.info.layers, self.names, self.lang())
        return t("app_touch_map_title", self.lang(), name=name)

    def say(self) -> None:
        """The line under the picture: the pick's numbers, or how to pick."""
        lines = self.screen.query("#network-info")
        if not lines or self.state.info is None:
            return
        numbers = self.numbers if self.picked != (None, None) else None
        text = touch_line(numbers, self.state.info.layers, self.names, self.lang())
        if numbers is None and self.picked != (None, None):
            text = "…"  # the worker's numbers are on their way
        lines.first(Static).update(text)

    # ---- a weight by hand --------------------------------------------------------------

    def ask_weight(self, link: tuple[int, int, int]) -> None:
        if self.state.info is None:
            return
        layer, i, j = link
        lang = self.lang()
        name = link_name(link, self.state.info.layers, self.names, lang)
        numbers = self.numbers
        w = numbers.w if numbers is not None and numbers.link == link else None
        field = f"W{layer}[{i}, {j}]"
        screen = EditScreen(
            t("app_touch_set_title", lang, name=name),
            t("app_touch_set_help", lang, w=num(w)),
            [EditField("weight", field, "" if w is None else repr(w))],
            lambda values: check_weight(values["weight"], field),
        )

        def chosen(value: float | None) -> None:
            if value is not None:
                self.send(cmd.Apply(set_by_hand(f"W{layer}", (i, j), value)))

        self.screen.app.push_screen(screen, chosen)

    def weight_set(self, edit: tuple) -> None:
        step, name, (i, j), old, new = edit
        self.screen.query_one(HintLine).say(
            "app_touch_was_set", name=f"{name}[{i}, {j}]", old=num(old), new=num(new), step=step
        )

    # ---- points by hand ----------------------------------------------------------------

    def point(self, x: float, y: float, cls: int | None) -> None:
        if cls is None:
            self.send(cmd.Apply(lambda tr: points_changed(tr, remove_nearest(tr, x, y))))
        else:
            self.send(cmd.Apply(lambda tr: points_changed(tr, add_point(tr, x, y, cls))))
