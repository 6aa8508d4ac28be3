"""Plain text that breaks its lines where a reader expects: between Japanese phrases and at
spaces (tui_nn.i18n.wrap), at the widget's own width, not where the terminal runs out."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size

from tui_nn.i18n.wrap import wrap


class Prose:
    """Mixin for a Static that keeps its plain text in `self.text` (never markup)."""

    text: str

    def render(self) -> Content:
        width = self.content_size.width  # type: ignore[attr-defined]
        return Content("\n".join(wrap(self.text, width))) if width else Content(self.text)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.text, width)) if self.text else 0
