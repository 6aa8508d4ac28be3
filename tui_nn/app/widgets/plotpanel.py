"""The frame the main screen's pictures share: a rounded border with the picture's name on it,
the accent colour when it has the keys. Textual's type selectors match subclasses, so each
picture's widget inherits this style and adds only its own."""

from __future__ import annotations

from textual.widget import Widget


class PlotPanel(Widget):
    """A picture in the main screen's grid: the loss and other charts, the decision boundary,
    the network, the landscape of E."""

    DEFAULT_CSS = """
    PlotPanel {
        border: round $panel-lighten-2;
        border-title-color: $foreground;
        border-subtitle-color: $foreground-muted;
        background: $surface;
        width: 1fr;
        height: 1fr;
    }
    PlotPanel:focus {
        border: round $accent;
    }
    """
