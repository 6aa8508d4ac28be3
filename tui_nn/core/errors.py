"""Errors the engine raises for bad input, each with a message a student can act on.

The English text is what `.reason` / `.message` / `str()` give (scripts and tests read it).
An error made from a catalogue key (`config_error("err_...", got=...)`) can also be shown in
another language with `message_in(lang)`; the catalogue is plain TOML, no UI library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tui_nn.core.safe_text import visible
from tui_nn.i18n import t


class ConfigError(ValueError):
    """A bad setting: names the file and field when they are known, and the reason.

    `key` and `values` name the catalogue entry (tui_nn/i18n/errors.toml) the reason was made
    from; a value may itself be a ConfigError, whose reason is then shown in the same language.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        field: str | None = None,
        key: str | None = None,
        values: dict[str, object] | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.field = field
        self.key = key
        self.values = dict(values or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self._where(self.reason)

    def _where(self, reason: str) -> str:
        """The one line shown: visible() since file, field and values come from the input."""
        where = ": ".join(p for p in (self.file, self.field) if p)
        return visible(f"{where}: {reason}" if where else reason)

    def reason_in(self, lang: str) -> str:
        """The reason in `lang`; the English reason when it has no (complete) catalogue entry."""
        if self.key is None or lang == "en":
            return visible(self.reason)
        values = {
            k: v.reason_in(lang) if isinstance(v, ConfigError) else v
            for k, v in self.values.items()
        }
        try:
            # t() leaves a text without values unformatted; format here so that a missing
            # value is noticed, not shown as a {placeholder}.
            return visible(t(self.key, lang).format(**values))
        except (KeyError, IndexError, ValueError):  # an unknown key or a missing value
            return visible(self.reason)

    def message_in(self, lang: str) -> str:
        """`file: field: reason` with the reason in `lang` (file and field are names)."""
        return self._where(self.reason_in(lang))

    def located(self, *, file: str | None = None, field: str | None = None) -> ConfigError:
        """The same error with the file and field filled in where they were unknown."""
        return ConfigError(
            self.reason,
            file=self.file or file,
            field=self.field or field,
            key=self.key,
            values=self.values,
        )


def config_error(
    key: str, /, *, file: str | None = None, field: str | None = None, **values: object
) -> ConfigError:
    """A ConfigError whose English reason is the catalogue's `key` filled with `values`."""
    english = {k: v.reason if isinstance(v, ConfigError) else v for k, v in values.items()}
    return ConfigError(t(key, "en", **english), file=file, field=field, key=key, values=values)


@dataclass(frozen=True)
class Kept:
    """The weights a diverged run went back to: the last whose loss was finite and not above
    the starting loss. `step` 0 means the initial weights; None means there were none."""

    step: int | None
    loss: float
    start: float


#: What became NaN or infinite in a diverged step.
What = Literal["loss", "gradient", "update"]

_WHAT = {"loss": "err_what_loss", "gradient": "err_what_gradient", "update": "err_what_update"}
_PLACE = {"output": "err_where_output", "layer": "err_where_layer"}


class Diverged(RuntimeError):
    """Training produced NaN or inf. Without `kept` the parameters are left at their last finite
    values; with it, the trainer has put back the weights (and optimizer state) it names.

    `what` became non-finite first in `layer` (its output, for the loss) or in the parameter
    `param` (W2, b1); both None when only the loss itself did.
    """

    def __init__(
        self,
        step: int,
        what: What,
        *,
        layer: int | None = None,
        param: str | None = None,
        kept: Kept | None = None,
    ) -> None:
        self.step = step
        self.what = what
        self.layer = layer
        self.param = param
        self.kept = kept
        super().__init__(self.message_in("en"))

    @property
    def message(self) -> str:
        return str(self)

    def place(self) -> tuple[str, dict[str, object]] | None:
        """Where it happened as a catalogue suffix and its values: ("output", {"i": 2}) for a
        layer's output, ("layer", {"i": 2, "name": "W2"}) for a gradient, ("param", {"name":
        "W1"}) for an update; None when only the loss itself was non-finite."""
        if self.what == "loss":
            return None if self.layer is None else ("output", {"i": self.layer})
        if self.what == "gradient" and self.layer is not None:
            return ("layer", {"i": self.layer, "name": self.param})
        return None if self.param is None else ("param", {"name": self.param})

    def message_in(self, lang: str) -> str:
        """The message in `lang` (English is exactly `str(self)`)."""
        parts = [self._head(lang), *self._kept_in(lang), self._advice(lang)]
        return ("" if lang == "ja" else " ").join(p for p in parts if p)

    def keep(self, kept: Kept) -> None:
        """Say which weights the trainer went back to (the message follows)."""
        self.kept = kept
        self.args = (self.message_in("en"),)

    def _place_in(self, lang: str) -> str | None:
        place = self.place()
        if place is None:
            return None
        kind, values = place
        # A parameter's name reads the same in every language.
        return str(values["name"]) if kind == "param" else t(_PLACE[kind], lang, **values)

    def _head(self, lang: str) -> str:
        what = t(_WHAT[self.what], lang)
        where = self._place_in(lang)
        if where is None:
            return t("err_diverged_head_loss", lang, step=self.step, what=what)
        return t("err_diverged_head", lang, step=self.step, what=what, where=where)

    def _advice(self, lang: str) -> str:
        return t("err_diverged_advice", lang)

    def _kept_in(self, lang: str) -> list[str]:
        k = self.kept
        if k is None:
            return []
        start = f"{k.start:.4g}"
        if k.step is None:
            return [t("err_kept_none", lang, start=start, step=self.step)]
        if k.step == 0:
            return [t("err_kept_initial", lang, start=start)]
        return [t("err_kept_step", lang, kept=k.step, loss=f"{k.loss:.4g}", start=start)]


class EpsilonZero(Diverged):
    """An update g / (√h + ε) that is 0/0: g and h are 0 for a parameter and ε = 0."""

    def _head(self, lang: str) -> str:
        return t("err_eps_zero", lang, step=self.step, where=self._place_in(lang))

    def _advice(self, lang: str) -> str:
        return ""  # the head says what to do
