"""Plain text that breaks its lines where a reader expects: between Japanese phrases and at
spaces (tui_nn.i18n.wrap), at the widget's own width, not where the terminal runs out."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Markdown

from tui_nn.i18n.wrap import wrap


class Prose:
    """Mixin for a Static that keeps its plain text in `self.text` (never markup)."""

    text: str

    def render(self) -> Content:
        width = self.content_size.width  # type: ignore[attr-defined]
        return Content("\n".join(wrap(self.text, width))) if width else Content(self.text)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.text, width)) if self.text else 0


def broken(content: Content, width: int) -> Content:
    """`content` (styles kept) with its lines broken where `wrap` breaks its plain text."""
    plain, pos, pieces = content.plain, 0, []
    for line in wrap(plain, width):
        start = plain.find(line, pos) if line else pos
        pieces.append(content[start : start + len(line)])
        pos = start + len(line)
    return Content("\n").join(pieces)


#: Textual's paragraph block, found through the public table of block classes.
_Paragraph = Markdown.BLOCKS["paragraph_open"]


class ProseParagraph(_Paragraph):
    """A Markdown paragraph (also inside list items) broken between Japanese phrases."""

    def set_content(self, content: Content) -> None:
        self.source_content = content
        super().set_content(content)

    def render(self) -> Content:
        width = self.content_size.width
        source = getattr(self, "source_content", None)
        return broken(source, width) if source is not None and width else super().render()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        source = getattr(self, "source_content", None)
        if source is None:
            return super().get_content_height(container, viewport, width)
        return len(wrap(source.plain, width)) if source.plain else 0


class ProseMarkdown(Markdown):
    """Markdown whose paragraphs break between Japanese phrases, not where the line runs out."""

    BLOCKS = {**Markdown.BLOCKS, "paragraph_open": ProseParagraph}
