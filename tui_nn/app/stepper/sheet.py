"""Base of the stepper's text widgets: a View in, styled lines out, colours from the theme.

Highlight roles (current, input, path, ...) are component classes, so their colours are theme
variables in CSS, never literals in code.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui_nn.app.stepper.view import View

Line = list[tuple[str, str]]  # segments (text, role); role "" is plain


class Sheet(Widget):
    """A widget that renders a `View` as lines of (text, role) segments."""

    COMPONENT_CLASSES = {
        "sheet--current",
        "sheet--input",
        "sheet--path",
        "sheet--muted",
        "sheet--title",
        "sheet--good",
        "sheet--bad",
        "sheet--warn",
    }
    DEFAULT_CSS = """
    Sheet { height: auto; padding: 0 1; }
    Sheet > .sheet--current { background: $accent-muted; color: $text; text-style: bold; }
    Sheet > .sheet--input { color: $text-success; text-style: bold; }
    Sheet > .sheet--path { color: $text-warning; text-style: bold; }
    Sheet > .sheet--muted { color: $text-muted; }
    Sheet > .sheet--title { text-style: bold; }
    Sheet > .sheet--good { color: $text-success; text-style: bold; }
    Sheet > .sheet--bad { color: $text-error; text-style: bold; }
    Sheet > .sheet--warn { color: $text-warning; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view: View | None = None

    def show(self, view: View) -> None:
        """Attributes down: the screen hands each widget the new view."""
        self.view = view
        # The text changes size with the step: measure it again.
        self.clear_cached_dimensions()
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.view is None:
            return Text("")
        return self.to_text(self.lines(self.view))

    def lines(self, view: View) -> list[Line]:
        raise NotImplementedError

    def style(self, role: str) -> Style:
        return self.get_component_rich_style(f"sheet--{role}") if role else Style()

    def to_text(self, lines: list[Line]) -> Text:
        text = Text(end="")
        for n, line in enumerate(lines):
            if n:
                text.append("\n")
            for part, role in line:
                text.append(part, self.style(role))
        return text


def width(line: Line) -> int:
    """Terminal cells of a line: CJK counts 2; ambiguous glyphs are never padded after."""
    return sum(cell_len(text) for text, _ in line)


def pad(line: Line, cells: int) -> Line:
    return [*line, (" " * max(0, cells - width(line)), "")]


def columns(cols: list[list[Line]], gap: str = "  ") -> list[Line]:
    """Side-by-side columns of lines, each padded to its widest line (ASCII content only)."""
    widths = [max((width(li) for li in col), default=0) for col in cols]
    height = max(len(col) for col in cols)
    out: list[Line] = []
    for r in range(height):
        line: Line = []
        for c, col in enumerate(cols):
            cell = col[r] if r < len(col) else []
            last = c == len(cols) - 1
            line += cell if last else [*pad(cell, widths[c]), (gap, "")]
        out.append(line)
    return out
