"""The landscape of two parameters on the main screen: the dialog that names them (`g`, or two
links picked in the network picture), the view under the decision boundary, and the worker's
landscape handed to it with each snapshot.

The worker computes it (tui_nn.app.landscape_work); this only asks, with `AskLandscape`, for
the pair and the grid size the view can show.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from tui_nn.app import commands as cmd
from tui_nn.app.screens.edit import EditField, EditScreen
from tui_nn.app.snapshot import RUNNING, ModelInfo, Snapshot
from tui_nn.app.widgets.hint import HintLine
from tui_nn.app.widgets.landscape import LandscapeView
from tui_nn.app.widgets.network import NetworkView
from tui_nn.core.landscape import Param, label_of, parse_pair
from tui_nn.i18n import t

#: The cell the view is mounted in: under the decision boundary, or alone for other data.
SLOT = "#boundary-slot"


class LandscapeLink:
    """Opens, feeds and resizes the landscape view of one screen."""

    def __init__(
        self, screen: Screen, send: Callable[[object], None], shown: Callable[[], None]
    ) -> None:
        self.screen, self.send, self.shown = screen, send, shown
        self.layers: list[int] = []
        self.pair: tuple[Param, Param] | None = None
        self.picked_labels: list[str] = []  # links picked in the network picture, oldest first

    @property
    def lang(self) -> str:
        return self.screen.app.lang  # type: ignore[attr-defined]

    async def link(self, info: ModelInfo) -> None:
        """A new network: no landscape until the student names two of its parameters."""
        self.layers, self.pair, self.picked_labels = list(info.layers), None, []
        self.send(cmd.AskLandscape(None))
        await self.screen.query(LandscapeView).remove()

    def defaults(self) -> tuple[str, str]:
        """What the dialog starts with: the pair shown, the links picked (m) then the link
        selected in the network picture, or two weights of the first layer (or W1 and b1 of a
        one-input network)."""
        if self.pair is not None:
            return self.pair[0].label, self.pair[1].label
        fallback = ["W1[0,0]", "W1[1,0]" if self.layers[0] > 1 else "b1[0]"]
        picked = [*self.picked_labels, *self.selected_link(), *fallback]
        first = picked[0]
        second = next(p for p in picked[1:] if p != first)
        return first, second

    def selected_link(self) -> list[str]:
        """The link selected in the network picture, as the dialog names it (none: [])."""
        views = self.screen.query(NetworkView)
        link = views.first().marks.link if views else None
        return [] if link is None else [label_of(f"W{link[0]}", link[1:])]

    def pick(self) -> None:
        """The dialog: two names, checked as the student types them (one line when wrong)."""
        if not self.layers:
            return
        names = ", ".join(f"{p}{i}" for i in range(1, len(self.layers)) for p in ("W", "b"))
        first, second = self.defaults()
        fields = [
            EditField("first", t("app_landscape_first", self.lang), first),
            EditField("second", t("app_landscape_second", self.lang), second),
        ]

        def check(values: dict[str, str]) -> tuple[Param, Param]:
            return parse_pair(values["first"], values["second"], self.layers)

        async def chosen(pair: tuple[Param, Param] | None) -> None:
            if pair is not None:  # the student asked for it: Tab is not needed for its Esc
                await self.show(pair)
                self.screen.query_one(LandscapeView).focus()

        title = t("app_landscape_pick_title", self.lang)
        help_text = t("app_landscape_pick_help", self.lang, names=names)
        self.screen.app.push_screen(EditScreen(title, help_text, fields, check), chosen)

    def picked(self, name: str, index: tuple[int, ...]) -> None:
        """A link picked in the network picture (m): the second, different from the first,
        opens the landscape of the two; the first is said on the hint line."""
        label = label_of(name, index)
        self.picked_labels = [*[p for p in self.picked_labels if p != label][-1:], label]
        if len(self.picked_labels) < 2:
            self.screen.query_one(HintLine).say("app_landscape_picked", name=label)
            return
        pair = parse_pair(*self.picked_labels, self.layers)
        self.picked_labels = []
        self.screen.call_later(self.show, pair)

    async def show(self, pair: tuple[Param, Param]) -> None:
        """Mount the view (once) and ask the worker for the landscape of `pair`."""
        self.pair = pair
        slot = self.screen.query_one(SLOT)
        views = slot.query(LandscapeView)
        view = views.first() if views else LandscapeView(id="landscape")
        if not views:
            await slot.mount(view)
            self.shown()
        self.send(cmd.AskLandscape(pair, view.grid_size if view.size.area else (60, 40)))

    async def close(self) -> None:
        """Esc on the view: no landscape until the student names two parameters again."""
        self.pair, self.picked_labels = None, []
        self.send(cmd.AskLandscape(None))
        await self.screen.query(LandscapeView).remove()

    def resized(self, cols: int, rows: int) -> None:
        if self.pair is not None:
            self.send(cmd.AskLandscape(self.pair, (cols, rows)))

    def feed(self, snapshot: Snapshot) -> None:
        views = self.screen.query(LandscapeView)
        found = snapshot.extras.get("landscape")
        if views and found is not None:
            views.first().show(found, snapshot.step, snapshot.state == RUNNING)
