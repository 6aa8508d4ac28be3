"""The status line: state, step, epoch, η now, E, accuracy, steps per second, and the preset's
name; on a narrow screen shorter, never without E and the accuracy."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from tui_nn.app.lang import Localized
from tui_nn.app.snapshot import IDLE, Snapshot
from tui_nn.core.safe_text import visible

#: Theme variable for each state's label.
STATE_STYLE = {
    "running": "$success",
    "paused": "$warning",
    "finished": "$primary",
    "diverged": "$error",
    "idle": "$foreground-muted",
}


def epoch_text(epoch: float) -> str:
    """Whole epochs as integers (full-batch runs), part-way epochs with two decimals."""
    whole = round(epoch)
    return f"{whole:,}" if abs(epoch - whole) < 1e-9 else f"{epoch:,.2f}"


class StatusBar(Localized, Widget):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.snapshot: Snapshot | None = None
        self.preset_name = ""

    def show(self, snapshot: Snapshot | None, preset_name: str) -> None:
        self.snapshot, self.preset_name = snapshot, preset_name
        self.refresh()

    @property
    def segments(self) -> list[tuple[str, str]]:
        """(text, style) pieces of the fullest line."""
        return self.versions()[0]

    def _progress(self, s) -> tuple[tuple[str, str], tuple[str, str]]:
        """The step and the epoch, each out of the run's length: its steps when the preset
        gives them (the course's iters_num), else its epochs."""
        if s.train.steps:
            of = f"{s.train.steps:,}"
            step = self.tr("app_status_step_of", step=f"{s.step:,}", steps=of)
            return (step, ""), (self.tr("app_status_epoch_now", epoch=epoch_text(s.epoch)), "")
        step = self.tr("app_status_step", step=f"{s.step:,}")
        of = f"{s.train.epochs:,}"
        epochs = self.tr("app_status_epoch", epoch=epoch_text(s.epoch), epochs=of)
        return (step, ""), (epochs, "")

    def rate(self, steps_per_s: float) -> str:
        """The speed as shown, "1 step/s" in the singular (the same words in Japanese)."""
        rate = f"{steps_per_s:,.0f}"
        return self.tr("app_status_rate_one" if rate == "1" else "app_status_rate", rate=rate)

    def versions(self) -> list[list[tuple[str, str]]]:
        """The line from fullest to shortest; the first that fits is shown. E and the accuracy
        stay in every one: the speed and the preset's name (shown in its panel) go first, then
        the numbers get shorter, then the epoch and η go."""
        s = self.snapshot
        if s is None:
            return [[(self.tr("app_state_idle"), STATE_STYLE[IDLE])]]
        state = (self.tr(f"app_state_{s.state}"), f"bold {STATE_STYLE[s.state]}")
        step, epoch = self._progress(s)
        lr = (self.tr("app_status_lr", lr=f"{s.lr:.4g}"), "")
        extra = []
        if s.steps_per_s is not None:
            extra.append((self.rate(s.steps_per_s), ""))
        if self.preset_name:
            extra.append((visible(self.preset_name), "$foreground-muted"))
        full, short = self.metrics(s), self.metrics(s, short=True)
        return [
            [state, step, epoch, lr, *full, *extra],
            [state, step, epoch, lr, *full],
            [state, step, epoch, lr, *short],
            [state, step, lr, *short],
            [state, step, *short],
        ]

    def metrics(self, s: Snapshot, short: bool = False) -> list[tuple[str, str]]:
        """E of the current weights on the training set, and the accuracies, when evaluated;
        `short`: E to 4 significant digits and the accuracy's shorter label."""
        out = []
        loss = s.last(s.eval_cols, s.evals, "train_loss")
        if loss is not None:
            digits = ".4g" if short else ".6g"
            out.append((self.tr("app_status_loss", loss=f"{loss:{digits}}"), "bold"))
        acc = s.last(s.eval_cols, s.evals, "train_accuracy")
        test = s.last(s.eval_cols, s.evals, "test_accuracy")
        if acc is not None:
            key = "app_status_accuracy_test" if test is not None else "app_status_accuracy"
            key += "_short" if short else ""
            out.append((self.tr(key, acc=f"{acc:.1%}", test=f"{test or 0:.1%}"), ""))
        return out

    @property
    def text(self) -> str:
        """The plain text shown (for tests and screen readers)."""
        return self.render().plain

    def render(self) -> Content:
        room = max(self.size.width, 1) if self.size.width else 200
        sep = "  "
        versions = self.versions()
        fits = [v for v in versions if cell_len(sep.join(text for text, _ in v)) <= room]
        parts: list[tuple[str, str]] = []
        used = 0
        # None fits: the shortest, cut after the last piece that fits whole.
        for text, style in fits[0] if fits else versions[-1]:
            need = cell_len(text) + (cell_len(sep) if parts else 0)
            if parts and used + need > room:
                break
            parts.append((text, style))
            used += need
        pieces: list[Content] = []
        for i, (text, style) in enumerate(parts):
            if i:
                pieces.append(Content(sep))
            pieces.append(Content.styled(text, style) if style else Content(text))
        return Content("").join(pieces)
