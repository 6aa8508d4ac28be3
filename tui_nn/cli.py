"""The `tui-nn` command: launch the app, or run the engine headless.

tui-nn [PRESET]                 the app, optionally on a preset
tui-nn presets                  the shipped presets
tui-nn train PRESET ...         train without a screen
tui-nn gradcheck PRESET ...     backprop against numerical gradients
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.core import ConfigError, Diverged, Trainer, builtin_presets, gradient_check, load
from tui_nn.core.presets import read_toml

#: Exit statuses: 2 bad input, 3 training diverged, 1 a check failed.
EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_CHECK_FAILED = 2, 3, 1

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[Command, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a sub-command: `configure` adds its arguments, the decorated function runs it."""

    def register(run: Command) -> Command:
        COMMANDS[name] = (run, configure, help_text)
        return run

    return register


class CliError(Exception):
    """A one-line message for the user, and the exit status."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename: never a half file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=path.suffix)
        os.close(fd)
    except OSError as e:
        raise CliError(f"{path}: cannot write here ({e.strerror})") from None
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError as e:
        raise CliError(f"{path}: cannot write ({e.strerror})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_params(path: Path, params: dict[str, np.ndarray]) -> None:
    """Every parameter by name (W1, b1, ...) in an .npz that loads with allow_pickle=False."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, **params)

    write_atomic(path, write)


def _preset_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("preset", help="a preset name from presets/ or a path to a .toml file")
    p.add_argument("--seed", type=int, help="seed for initial weights, shuffling and data")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="change one preset field, e.g. --set train.lr=0.1 (repeatable)",
    )


def load_trainer(args: argparse.Namespace) -> Trainer:
    preset = load(args.preset, args.overrides)
    if args.seed is not None:
        s = args.seed
        seeds = [f"network.seed={s}", f"train.seed={s}"]
        if "seed" in preset.data:  # generated data sets take the seed too
            seeds.append(f"data.seed={s}")
        preset = load(args.preset, [*args.overrides, *seeds])
    return Trainer(preset)


# ---- tui-nn presets ---------------------------------------------------------------------


def _configure_presets(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON list")


@command("presets", "list the shipped presets with their descriptions", _configure_presets)
def cmd_presets(args: argparse.Namespace) -> int:
    rows = []
    for name, path in builtin_presets().items():
        meta = read_toml(path).get("preset", {})
        rows.append(
            {
                "name": name,
                "path": str(path),
                "description": meta.get("description", ""),
                "description_ja": meta.get("description_ja", ""),
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max((len(r["name"]) for r in rows), default=0)
    ja = getattr(args, "lang", "en") == "ja"
    for r in rows:
        print(f"{r['name']:<{width}}  {r['description_ja'] if ja else r['description']}")
    return 0


# ---- tui-nn train -----------------------------------------------------------------------


def _configure_train(p: argparse.ArgumentParser) -> None:
    _preset_args(p)
    length = p.add_mutually_exclusive_group()
    length.add_argument(
        "--steps", type=int, help="number of updates (default: the preset's epochs)"
    )
    length.add_argument("--epochs", type=int, help="number of passes over the training set")
    p.add_argument(
        "--save", type=Path, metavar="FILE.npz", help="write the trained W1, b1, ... here"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object with the results")


class Progress:
    """A one-line progress bar on stderr, drawn at most 10 times a second, only on a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def update(self, done: int, loss: float, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self._last < 0.1 and not force):
            return
        self._last = now
        filled = int(30 * done / max(self.total, 1))
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}  E = {loss:.6g}   "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


@command("train", "train a preset without a screen", _configure_train)
def cmd_train(args: argparse.Namespace) -> int:
    for flag_name in ("steps", "epochs"):
        value = getattr(args, flag_name)
        if value is not None and value < 0:
            raise CliError(f"--{flag_name}: must be 0 or more, got {value}")
    trainer = load_trainer(args)
    for w in trainer.net.warnings:
        print(f"tui-nn: warning: {w}", file=sys.stderr)
    epochs = args.epochs if args.epochs is not None else trainer.preset.train.epochs
    steps = args.steps if args.steps is not None else epochs * trainer.steps_per_epoch
    progress = Progress(steps)
    diverged: Diverged | None = None
    start = time.perf_counter()
    try:
        for i in range(steps):
            r = trainer.step()
            progress.update(i + 1, r.loss)
    except Diverged as e:
        diverged = e
    seconds = time.perf_counter() - start
    progress.close()
    metrics = trainer.evaluate()
    if args.save:
        save_params(args.save, trainer.net.params)
    result: dict[str, Any] = {
        "preset": trainer.preset.name,
        "steps": trainer.step_count,
        "epochs": trainer.epoch,
        "train_loss": metrics["train_loss"],
        "train_accuracy": metrics["train_accuracy"],
        "test_loss": metrics["test_loss"],
        "test_accuracy": metrics["test_accuracy"],
        "seconds": seconds,
        "steps_per_second": trainer.step_count / seconds if seconds > 0 else None,
        "diverged": str(diverged) if diverged else None,
    }
    if args.json:
        print(json.dumps(_json_safe(result)))
    else:
        _print_train(result)
    if diverged:
        print(f"tui-nn: {diverged}", file=sys.stderr)
        return EXIT_DIVERGED
    return 0


def _json_safe(obj: dict[str, Any]) -> dict[str, Any]:
    """NaN and inf are not JSON: they become null."""
    return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in obj.items()}


def _print_train(r: dict[str, Any]) -> None:
    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.6g}" if isinstance(v, float) else str(v)

    print(
        f"{r['preset']}: {r['steps']} steps, {r['epochs']:.4g} epochs in {r['seconds']:.2f} s "
        f"({fmt(r['steps_per_second'])} steps/s)"
    )
    print(f"  train loss {fmt(r['train_loss'])}  accuracy {fmt(r['train_accuracy'])}")
    if r["test_loss"] is not None:
        print(f"  test  loss {fmt(r['test_loss'])}  accuracy {fmt(r['test_accuracy'])}")


# ---- tui-nn gradcheck -------------------------------------------------------------------


def _configure_gradcheck(p: argparse.ArgumentParser) -> None:
    _preset_args(p)
    p.add_argument(
        "--samples",
        type=int,
        default=16,
        help="check on the first N samples of the first batch (default 16)",
    )
    p.add_argument(
        "--tolerance",
        type=float,
        default=1e-6,
        help="fail (exit 1) when a relative error is above this (default 1e-6)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")


@command("gradcheck", "compare backprop with numerical gradients", _configure_gradcheck)
def cmd_gradcheck(args: argparse.Namespace) -> int:
    if args.samples < 1:
        raise CliError(f"--samples: must be at least 1, got {args.samples}")
    trainer = load_trainer(args)
    x, d, _ = trainer.peek_batch()
    checks = gradient_check(trainer.net, x[: args.samples], d[: args.samples])
    worst = max(c.relative_error for c in checks)
    ok = worst <= args.tolerance
    if args.json:
        print(
            json.dumps(
                {
                    "preset": trainer.preset.name,
                    "h": 1e-4,
                    "samples": int(min(len(x), args.samples)),
                    "parameters": [c.__dict__ for c in checks],
                    "max_relative_error": worst,
                    "ok": ok,
                }
            )
        )
    else:
        print(f"{'param':<6} {'max |backprop - numerical|':>28} {'relative error':>16}")
        for c in checks:
            print(f"{c.name:<6} {c.max_abs_error:>28.3e} {c.relative_error:>16.3e}")
        print(
            f"max relative error {worst:.3e}: {'OK' if ok else 'FAILED'} "
            f"(tolerance {args.tolerance:g}, central difference h = 1e-4)"
        )
    return 0 if ok else EXIT_CHECK_FAILED


# ---- the app ----------------------------------------------------------------------------


def launch_app(preset: str | None, lang: str | None) -> int:
    if preset is not None:
        load(preset)  # a bad preset is reported here, before the screen opens
    from tui_nn.app.main import run_app

    run_app(preset=preset, lang=lang)
    return 0


def build_parser(name: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tui-nn" + (f" {name}" if name else ""),
        description=COMMANDS[name][2]
        if name
        else "A neural-network trainer that teaches backprop.",
        epilog=None if name else "commands: " + ", ".join(COMMANDS) + "  (tui-nn COMMAND --help)",
    )
    parser.add_argument("--lang", choices=("en", "ja"), help="language (default: from the locale)")
    if name:
        COMMANDS[name][1](parser)
    else:
        parser.add_argument("preset", nargs="?", help="open the app on this preset (name or path)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    name = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser(name)
    args = parser.parse_args(argv[1:] if name else argv)
    try:
        if name is None:
            return launch_app(args.preset, args.lang)
        return COMMANDS[name][0](args)
    except ConfigError as e:
        print(f"tui-nn: {e.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CliError as e:
        print(f"tui-nn: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
