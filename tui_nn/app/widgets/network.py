"""The network picture: layers as columns, a node per unit showing its map over the input
plane, links coloured by the sign of w and brighter the larger |w| (layout and cells in
`network_layout`, which this widget only colours and draws).

The screen hands it a `Picture` (copied on the training worker) with `show()`; the cells are
rebuilt at most `max_fps` times a second and on resize, never on every snapshot.

The student picks a node or a link with the mouse or the keys (`network_cursor`); the widget
posts `Selected` (the screen shows that node's map and numbers), `EditWanted` (Enter on a
link: set w by hand) and `PickParameter` (m on a link: a parameter for a plot of E over two
of them). `highlight_link` marks a link from outside (the one that changed most).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from tui_nn.app.lang import Localized
from tui_nn.app.theme import theme_color
from tui_nn.app.widgets.network_cursor import CURSOR_BINDINGS, CursorKeys
from tui_nn.app.widgets.network_layout import MAP_LEVELS, Cell, Hit, Marks, picture_cells, plan
from tui_nn.app.widgets.network_links import LINK_LEVELS, Link
from tui_nn.app.widgets.paced import RateBound
from tui_nn.app.widgets.plotpanel import PlotPanel
from tui_nn.core.safe_text import visible
from tui_nn.core.unitmaps import Picture

#: w > 0 and w < 0 (a map's value above and below its middle): blue and orange, as the
#: decision boundary's classes 1 and 0.
POSITIVE, NEGATIVE = "primary", "warning"
#: The student's pick, and a link highlighted from outside.
SELECTED, HIGHLIGHTED = "accent", "success"


class Palette:
    """Rich styles for the cell keys of `network_layout` over the widget's base style, built
    once per theme and background."""

    def __init__(self, base: Style, background: Color, colors: dict[str, Color]):
        self.base = base
        self.background = background
        self.pos, self.neg = colors["pos"], colors["neg"]
        self.plain = {k: RichColor.from_rgb(*colors[k].rgb) for k in ("text", "sel", "hot")}
        self.plain["middle"] = RichColor.from_rgb(*background.blend(colors["text"], 0.18).rgb)
        self._styles: dict[tuple, Style] = {}

    def color(self, key: tuple | None) -> RichColor | None:
        if key is None:
            return None
        kind = key[0]
        if kind in ("text", "node"):
            return self.plain["text"]
        if kind in ("sel", "hot"):
            return self.plain[kind]
        level = key[1]
        if kind == "map" and level == 0:  # a map's middle: grey, so a node never vanishes
            return self.plain["middle"]
        top = MAP_LEVELS if kind == "map" else LINK_LEVELS
        # A weak link stays visible (0.35).
        alpha = abs(level) / top * 0.85 if kind == "map" else 0.35 + 0.65 * abs(level) / top
        base = self.pos if level >= 0 else self.neg
        return RichColor.from_rgb(*self.background.blend(base, alpha).rgb)

    def style(self, fg: tuple | None, bg: tuple | None) -> Style:
        key = (fg, bg)
        style = self._styles.get(key)
        if style is None:
            own = Style(color=self.color(fg), bgcolor=self.color(bg))
            style = self._styles[key] = self.base + own
        return style


def cell_strips(cells: dict[tuple[int, int], Cell], width: int, height: int, p: Palette) -> list:
    """One Strip per row, runs of one style merged; cells outside width × height are dropped
    (never an overflow)."""
    by_row: dict[int, dict[int, Cell]] = {}
    for (x, y), cell in cells.items():
        if 0 <= x < width and 0 <= y < height:
            by_row.setdefault(y, {})[x] = cell
    blank = Strip.blank(width, p.base)
    strips = []
    for y in range(height):
        row = by_row.get(y)
        if not row:
            strips.append(blank)
            continue
        segments, text, style = [], [], p.base
        for x in range(width):
            glyph, fg, bg = row.get(x, (" ", None, None))
            cell_style = p.style(fg, bg) if fg or bg else p.base
            if cell_style is not style and text:
                segments.append(Segment("".join(text), style))
                text = []
            style = cell_style
            text.append(glyph)
        segments.append(Segment("".join(text), style))
        strips.append(Strip(segments, width))
    return strips


@dataclass
class PickParameter(Message):
    """The student picked W_l[i, j] (name "W1", index (i, j)) as a parameter to plot E over."""

    name: str
    index: tuple[int, int]


class NetworkView(CursorKeys, RateBound, Localized, PlotPanel, can_focus=True):
    """The current network as a picture; live from the snapshots the screen hands down."""

    PickParameter = PickParameter
    BINDINGS = CURSOR_BINDINGS

    @dataclass
    class Selected(Message):
        """The student picked a node (layer, unit) or a link (l, i, j), or nothing."""

        node: tuple[int, int] | None
        link: Link | None

    @dataclass
    class EditWanted(Message):
        """Enter on a link: the student wants to set w of W_l[i, j] by hand."""

        link: Link

    def __init__(self, *, max_fps: float = 10.0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.marks = Marks()
        self.hits: dict[tuple[int, int], Hit] = {}
        self.max_fps = max_fps
        self.units: tuple[int, ...] = ()
        self.picture: Picture | None = None
        self._strips: list[Strip] = []
        self._built_for: Size | None = None
        self._palette: Palette | None = None
        self._palette_key: tuple | None = None

    def show(self, layers: tuple[int, ...], picture: Picture | None) -> None:
        """Take the newest picture; it is drawn now or when the rate bound allows."""
        self.units, self.picture = layers, picture
        self.draw_soon()

    def redraw(self) -> None:
        self._strips = self.build_strips()
        self.refresh()

    def on_mount(self) -> None:
        self.relabel()

    def on_resize(self) -> None:
        self._strips = self.build_strips()

    def build_strips(self) -> list[Strip]:
        pic = self.picture
        if pic is None or not self.units or not self.is_mounted:
            return []
        self._built_for = self.content_size
        w, h = self.content_size
        names = tuple(visible(n) for n in pic.names)
        self.layout = layout = plan(
            self.units, w, h, pic.maps is not None, max(map(cell_len, names), default=0)
        )
        drawn = picture_cells(layout, pic.weights, pic.maps, pic.activations, names, self.marks)
        self.hits = drawn.hits
        return cell_strips(drawn.cells, w, h, self.palette())

    def palette(self) -> Palette:
        """The styles of this theme and background, kept while neither changes."""
        key = (self.app.theme, self.rich_style)
        if self._palette is None or self._palette_key != key:
            self._palette_key = key
            names = {
                "pos": POSITIVE,
                "neg": NEGATIVE,
                "text": "foreground",
                "sel": SELECTED,
                "hot": HIGHLIGHTED,
            }
            colors = {k: theme_color(self.app, v) for k, v in names.items()}
            self._palette = Palette(self.rich_style, self.background_colors[1], colors)
        return self._palette

    def render_line(self, y: int) -> Strip:
        if self._built_for != self.content_size:  # shown again or resized since the last build
            self._strips = self.build_strips()
        width = self.content_size.width
        if y < len(self._strips):
            return self._strips[y].extend_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def relabel(self) -> None:
        self.border_title = self.tr("app_network_title")
        self.border_subtitle = self.tr("app_network_legend")
        self.refresh()
