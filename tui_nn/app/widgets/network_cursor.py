"""Picking in the network picture: the mouse, or the keys when the picture has focus.

←/→ move the cursor to the layer before or after, ↑/↓ to another unit of the layer; [ and ]
go through the links of the node under the cursor (into it, or out of it for an input);
Enter on a link asks to set its w by hand, m picks it as a parameter to plot E over, Esc
clears the pick. A click picks the node or the link under the pointer.
"""

from __future__ import annotations

from textual import events

from tui_nn.app.lang import bind
from tui_nn.app.widgets.network_layout import Layout, Marks
from tui_nn.app.widgets.network_links import Link

#: NetworkView's keys (Textual reads BINDINGS from widget classes only, not from a mixin).
CURSOR_BINDINGS = [
    bind("left", "move(-1, 0)", "network_left", show=False),
    bind("right", "move(1, 0)", "network_right", show=False),
    bind("up", "move(0, -1)", "network_up", show=False),
    bind("down", "move(0, 1)", "network_down", show=False),
    bind("left_square_bracket", "link(-1)", "network_link_prev", show=False),
    bind("right_square_bracket", "link(1)", "network_link"),
    bind("enter", "edit", "network_edit"),
    bind("m", "pick", "network_pick"),
    bind("escape", "clear", "network_clear", show=False),
]


class CursorKeys:
    """Mixin for NetworkView: the student's pick (`marks`), moved by keys and clicks."""

    marks: Marks
    layout: Layout | None = None
    _link_from: tuple[int, int] | None = None  # the node whose links [ and ] go through

    # ---- from outside -------------------------------------------------------------------

    def highlight_link(self, link: Link | None) -> None:
        """Mark W_l[i, j] = link (l, i, j) in its own colour (None: no mark)."""
        self.marks = Marks(self.marks.node, self.marks.link, link)
        self.redraw()

    def select(self, node: tuple[int, int] | None = None, link: Link | None = None) -> None:
        """Pick a node or a link (or nothing) and tell the screen."""
        self.marks = Marks(node, link, self.marks.highlight)
        if node is not None:
            self._link_from = node
        self.redraw()
        self.post_message(self.Selected(node, link))

    # ---- keys ---------------------------------------------------------------------------

    def _shown(self, layer: int) -> int:
        """Units of `layer` the picture shows (0 when the layer is not shown)."""
        lay = self.layout
        if lay is None or layer not in lay.columns:
            return 0
        return len(lay.nodes[lay.columns.index(layer)])

    def action_move(self, dx: int, dy: int) -> None:
        lay = self.layout
        if lay is None or not lay.columns:
            return
        layer, unit = self._link_from or (lay.columns[0], 0)
        if self.marks.node is not None or self.marks.link is not None:
            c = lay.columns.index(layer) if layer in lay.columns else 0
            c = min(max(c + dx, 0), len(lay.columns) - 1)
            layer = lay.columns[c]
            unit = min(max(unit + dy, 0), max(self._shown(layer) - 1, 0))
        self.select(node=(layer, unit))

    def action_link(self, direction: int) -> None:
        """The next (or previous) link of the node the cursor is on."""
        if self._link_from is None:
            self.action_move(0, 0)
        if self._link_from is None:
            return
        layer, unit = self._link_from
        n_layers = len(self.units) - 1
        into = layer > 0
        other = self._shown(layer - 1 if into else layer + 1)
        if n_layers < 1 or other == 0:
            return
        link = self.marks.link
        k = (link[1] if into else link[2]) if link is not None else -direction
        k = (k + direction) % other
        self.marks = Marks(None, None, self.marks.highlight)
        pick = (layer, k, unit) if into else (1, unit, k)
        self.select(link=pick)
        self._link_from = (layer, unit)

    def action_edit(self) -> None:
        if self.marks.link is not None:
            self.post_message(self.EditWanted(self.marks.link))

    def action_pick(self) -> None:
        if self.marks.link is not None:
            layer, i, j = self.marks.link
            self.post_message(self.PickParameter(f"W{layer}", (i, j)))

    def action_clear(self) -> None:
        self.select()

    # ---- the mouse ----------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset
        # The cell clicked, else one beside it: a one-dot line is hard to hit exactly.
        for at in ((x, y), (x, y - 1), (x, y + 1), (x - 1, y), (x + 1, y)):
            hit = self.hits.get(at)
            if hit is None:
                continue
            self.focus()
            if hit[0] == "node":
                self.select(node=(hit[1], hit[2]))
            else:
                self.select(link=hit[1:])
                self._link_from = (hit[1], hit[3])  # [ and ] go on through its target's links
            return
