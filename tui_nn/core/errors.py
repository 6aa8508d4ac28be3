"""Errors the engine raises for bad input, each with a message a student can act on."""

from __future__ import annotations


class ConfigError(ValueError):
    """A bad setting: names the file and field when they are known, and the reason."""

    def __init__(self, reason: str, *, file: str | None = None, field: str | None = None) -> None:
        self.reason = reason
        self.file = file
        self.field = field
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ": ".join(p for p in (self.file, self.field) if p)
        return f"{where}: {self.reason}" if where else self.reason

    def located(self, *, file: str | None = None, field: str | None = None) -> ConfigError:
        """The same error with the file and field filled in where they were unknown."""
        return ConfigError(self.reason, file=self.file or file, field=self.field or field)


class Diverged(RuntimeError):
    """Training produced NaN or inf; the parameters are left at their last finite values."""

    def __init__(self, step: int, where: str, what: str) -> None:
        self.step = step
        self.where = where
        self.what = what
        super().__init__(
            f"diverged at step {step}: {what} in {where} became NaN or infinite. "
            "This usually means the learning rate is too high; lower lr (e.g. by 10x), "
            "or use a smaller init_std."
        )
