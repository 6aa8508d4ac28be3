"""The `tui-nn` command: launch the app, or run the engine headless.

tui-nn [PRESET]                 the app, optionally on a preset
tui-nn presets                  the shipped presets
tui-nn train PRESET ...         train without a screen
tui-nn gradcheck PRESET ...     backprop against numerical gradients
tui-nn code PRESET [-o FILE] [--torch | --notebook]  the experiment as a script or notebook
tui-nn worked PRESET ...        every number of one backprop iteration
tui-nn config --path | --show   the settings file, and the settings in force

Every message goes through the i18n catalogue (cli.toml): `--lang en|ja`, default from the
locale.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import numpy as np

from tui_nn.cli_outputs import EXIT_TERMINATED, Terminated, terminate_cleanly, write_each
from tui_nn.core import ConfigError, Diverged, Trainer, builtin_presets, gradient_check, load
from tui_nn.core.codegen import generate_code, write_code
from tui_nn.core.codegen_torch import generate_torch_code
from tui_nn.core.export import (
    ExportError,
    check_free,
    history_csv,
    load_weights,
    save_weights,
    with_weights,
    write_history_csv,
)
from tui_nn.core.notebook import generate_notebook, write_notebook
from tui_nn.core.presets import apply_overrides, parse, read_toml, resolve
from tui_nn.core.safe_text import file_stem, visible
from tui_nn.i18n import catalogue, default_lang, t
from tui_nn.i18n.wrap import wrap

#: Exit statuses: 2 bad input, 3 training diverged, 1 a check failed, 141 output pipe closed.
EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_CHECK_FAILED, EXIT_PIPE_CLOSED = 2, 3, 1, 141

#: The language of this run's messages, set by main() from --lang or the locale.
LANG = "en"

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


#: An output file named "-" means standard output, where a command allows it.
STDOUT = Path("-")


def tr(key: str, **values: Any) -> str:
    """A catalogue string in this run's language."""
    return t(key, LANG, **values)


def check_outputs(args: argparse.Namespace, **outputs: Path | None) -> None:
    """Stop before any work when an output cannot be written: two flags name the same file,
    a name is a folder or lies in a missing one, or the file exists and --force was not given.
    `-` (standard output) is checked by the command that allows it."""
    given = {f"--{flag}": path for flag, path in outputs.items() if path not in (None, STDOUT)}
    # First: it also refuses the names resolve() cannot take (a NUL in them).
    check_free(*given.values(), overwrite=args.force)
    seen: dict[Path, str] = {}
    for flag, path in given.items():
        first = seen.setdefault(path.resolve(), flag)
        if first != flag:
            raise CliError(tr("cli_same_output", first=first, second=flag, path=path))


def say(message: str) -> None:
    """One line on stderr, visible-safe: paths, names and values in it come from the input."""
    print(visible(message), file=sys.stderr)


def wrote(*paths: Path) -> None:
    """Say where each file went (on stderr, so that --json and -o - stay clean)."""
    for path in paths:
        say(tr("cli_wrote", path=Path(path).resolve()))


def _preset_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("preset", help=tr("cli_help_preset"))
    p.add_argument("--seed", type=int, help=tr("cli_help_seed"))
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help=tr("cli_help_set"),
    )
    p.add_argument("--weights", type=Path, metavar="FILE.npz", help=tr("cli_help_weights"))


def load_trainer(args: argparse.Namespace) -> Trainer:
    path = resolve(args.preset)
    doc = apply_overrides(read_toml(path), args.overrides, str(path))
    if args.seed is not None:
        s = args.seed
        seeds = [f"network.seed={s}", f"train.seed={s}"]
        data = doc.get("data")
        if isinstance(data, dict) and "seed" in data:  # generated data sets take the seed too
            seeds.append(f"data.seed={s}")
        doc = apply_overrides(doc, seeds, str(path))
    preset = parse(doc, str(path), path)
    if getattr(args, "weights", None) is not None:
        preset = with_weights(preset, load_weights(args.weights), source=str(args.weights))
    return Trainer(preset)


# ---- tui-nn presets ---------------------------------------------------------------------


def _configure_presets(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=tr("cli_help_json_list"))


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
    ja = LANG == "ja"
    for r in rows:
        about = r["description_ja"] if ja else r["description"]
        print(visible(f"{r['name']:<{width}}  {about}"))
    return 0


# ---- tui-nn train -----------------------------------------------------------------------


def _configure_train(p: argparse.ArgumentParser) -> None:
    _preset_args(p)
    length = p.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help=tr("cli_help_steps"))
    length.add_argument("--epochs", type=int, help=tr("cli_help_epochs"))
    p.add_argument("--save", type=Path, metavar="FILE.npz", help=tr("cli_help_save"))
    p.add_argument("--history", type=Path, metavar="FILE.csv", help=tr("cli_help_history"))
    p.add_argument("--history-steps", action="store_true", help=tr("cli_help_history_steps"))
    p.add_argument("--force", action="store_true", help=tr("cli_help_force"))
    p.add_argument("--json", action="store_true", help=tr("cli_help_json_train"))


class Progress:
    """A one-line progress bar on stderr, drawn at most 10 times a second, only on a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def update(self, done: int, loss: float | None, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self._last < 0.1 and not force):
            return
        self._last = now
        filled = int(30 * done / max(self.total, 1))
        error = "" if loss is None else f"  E = {loss:.6g}"
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}{error}   ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


@command("train", "train a preset without a screen", _configure_train)
def cmd_train(args: argparse.Namespace) -> int:
    for flag_name in ("steps", "epochs"):
        value = getattr(args, flag_name)
        if value is not None and value < 0:
            raise CliError(tr("cli_not_negative", flag=f"--{flag_name}", value=value))
    if args.save == STDOUT:
        raise CliError(tr("cli_save_stdout"))
    if args.history == STDOUT and args.json:
        raise CliError(tr("cli_stdout_twice"))
    check_outputs(args, save=args.save, history=args.history)
    trainer = load_trainer(args)
    for w in trainer.net.warnings_in(LANG):
        say(f"tui-nn: {tr('cli_warning')}: {w}")
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
    if args.history == STDOUT:
        sys.stdout.write(history_csv(trainer, per_step=args.history_steps))
    # Each output is written even when another fails (a disk filled meanwhile): no work lost.
    outputs = []
    if args.save:
        outputs.append(lambda: save_weights(args.save, trainer.net.params, overwrite=args.force))
    if args.history not in (None, STDOUT):
        per_step, path = args.history_steps, args.history
        outputs.append(
            lambda: write_history_csv(path, trainer, per_step=per_step, overwrite=args.force)
        )
    written, failed = write_each(outputs)
    wrote(*written)
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
        "warnings": _warnings(trainer),
    }
    for w in trainer.warnings:  # the network's own warnings were printed before training
        print(f"tui-nn: {tr('cli_warning')}: {w.message_in(LANG)}", file=sys.stderr)
    if args.json:
        print(json.dumps(_json_safe(result)))
    else:
        # With the CSV on standard output, the summary goes beside the progress bar.
        _print_train(result, sys.stderr if args.history == STDOUT else sys.stdout)
    for e in failed:
        say(f"tui-nn: {export_message(e)}")
    if diverged:
        say(f"tui-nn: {diverged.message_in(LANG)}")
        return EXIT_DIVERGED
    return EXIT_BAD_INPUT if failed else 0


def _warnings(trainer: Trainer) -> list[dict[str, Any]]:
    """What the run should not have done quietly: the network's warnings (step 0), then each
    rise of the training loss well above its start, as {"step", "kind", "message"}."""
    keys = trainer.net.warning_keys
    out = [{"step": 0, "kind": k.removeprefix("warn_"), "message": t(k, LANG)} for k in keys]
    out += [
        {"step": w.step, "kind": w.kind, "message": w.message_in(LANG)} for w in trainer.warnings
    ]
    return out


def _json_safe(obj: dict[str, Any]) -> dict[str, Any]:
    """NaN and inf are not JSON: they become null."""
    return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in obj.items()}


def _print_train(r: dict[str, Any], out: TextIO) -> None:
    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.6g}" if isinstance(v, float) else str(v)

    print(
        tr(
            "cli_train_summary",
            preset=visible(r["preset"]),
            steps=r["steps"],
            epochs=f"{r['epochs']:.4g}",
            seconds=f"{r['seconds']:.2f}",
            rate=fmt(r["steps_per_second"]),
        ),
        file=out,
    )
    for part in ("train", "test"):
        if part == "train" or r["test_loss"] is not None:
            print(
                tr(
                    f"cli_{part}_line",
                    loss=fmt(r[f"{part}_loss"]),
                    accuracy=fmt(r[f"{part}_accuracy"]),
                ),
                file=out,
            )


# ---- tui-nn gradcheck -------------------------------------------------------------------


def _configure_gradcheck(p: argparse.ArgumentParser) -> None:
    _preset_args(p)
    p.add_argument("--samples", type=int, default=16, help=tr("cli_help_samples"))
    p.add_argument("--tolerance", type=float, default=1e-6, help=tr("cli_help_tolerance"))
    p.add_argument("--json", action="store_true", help=tr("cli_help_json_one"))


@command("gradcheck", "compare backprop with numerical gradients", _configure_gradcheck)
def cmd_gradcheck(args: argparse.Namespace) -> int:
    if args.samples < 1:
        raise CliError(tr("cli_samples_min", value=args.samples))
    if not (math.isfinite(args.tolerance) and args.tolerance > 0):  # nan would fail every check
        raise CliError(tr("cli_tolerance", value=args.tolerance))
    trainer = load_trainer(args)
    trainer.check_trainable()  # without targets there is no E to differentiate
    x, d, _ = trainer.peek_batch()
    progress = Progress(0)  # the numerical gradient can take long on a big network

    def tick(done: int, total: int) -> None:
        progress.total = total
        progress.update(done, None, force=done == total)

    checks = gradient_check(trainer.net, x[: args.samples], d[: args.samples], progress=tick)
    progress.close()
    checked, entries = sum(c.checked for c in checks), sum(c.entries for c in checks)
    sampled = tr("cli_gc_sampled", checked=f"{checked:,}", entries=f"{entries:,}", seed=0)
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
                    "checked": checked,  # every entry, or a seeded sample (seed 0)
                    "entries": entries,
                }
            )
        )
    else:
        print(f"{tr('cli_gc_param'):<6} {tr('cli_gc_abs'):>28} {tr('cli_gc_rel'):>16}")
        for c in checks:
            print(f"{c.name:<6} {c.max_abs_error:>28.3e} {c.relative_error:>16.3e}")
        if checked < entries:
            print(sampled)
        verdict = tr("cli_gc_ok" if ok else "cli_gc_failed")
        print(
            tr(
                "cli_gc_summary",
                worst=f"{worst:.3e}",
                verdict=verdict,
                tolerance=f"{args.tolerance:g}",
            )
        )
    return 0 if ok else EXIT_CHECK_FAILED


# ---- tui-nn code ------------------------------------------------------------------------


def _configure_code(p: argparse.ArgumentParser) -> None:
    _preset_args(p)
    p.add_argument("-o", "--output", type=Path, metavar="FILE.py", help=tr("cli_help_output"))
    p.add_argument("--print-every", type=int, metavar="N", help=tr("cli_help_print_every"))
    p.add_argument("--torch", action="store_true", help=tr("cli_help_torch"))
    p.add_argument("--notebook", action="store_true", help=tr("cli_help_notebook"))
    p.add_argument("--force", action="store_true", help=tr("cli_help_force"))


@command("code", "write the experiment as a standalone NumPy script", _configure_code)
def cmd_code(args: argparse.Namespace) -> int:
    if args.print_every is not None and args.print_every < 1:
        raise CliError(tr("cli_print_every_min", value=args.print_every))
    if args.notebook and args.torch:
        raise CliError(tr("cli_notebook_torch"))
    trainer = load_trainer(args)
    # Without -o: a name made from the preset's, in the current folder (never a path in it).
    suffix = ".ipynb" if args.notebook else ".py"
    default = f"{file_stem(trainer.preset.name)}{'_torch' if args.torch else ''}{suffix}"
    out = args.output or Path(default)
    if args.notebook:
        return _write_notebook(args, trainer, out, default)
    if out == STDOUT:
        generate = generate_torch_code if args.torch else generate_code
        code = generate(trainer, lang=LANG, print_every=args.print_every, file_name=default)
        if code.companion:
            raise CliError(tr("cli_code_needs_file"))
        sys.stdout.write(code.source)
        return 0
    # The script, and its data file when the data is too big to embed: write_code checks both.
    every, force = args.print_every, args.force
    wrote(
        *write_code(out, trainer, lang=LANG, print_every=every, overwrite=force, torch=args.torch)
    )
    return 0


def _write_notebook(args: argparse.Namespace, trainer: Trainer, out: Path, default: str) -> int:
    every = args.print_every
    if out == STDOUT:
        nb = generate_notebook(trainer, lang=LANG, print_every=every, file_name=default)
        if nb.companion:
            raise CliError(tr("cli_code_needs_file"))
        sys.stdout.write(nb.source)
        return 0
    wrote(*write_notebook(out, trainer, lang=LANG, print_every=every, overwrite=args.force))
    return 0


# ---- tui-nn worked ----------------------------------------------------------------------


def _configure_worked(p: argparse.ArgumentParser) -> None:
    _preset_args(p)
    p.add_argument(
        "--iteration", type=int, default=1, metavar="K", help=tr("worked_help_iteration")
    )
    p.add_argument("--sample", type=int, metavar="I", help=tr("worked_help_sample"))
    p.add_argument(
        "--view", choices=("auto", "scalar", "matrix"), default="auto", help=tr("worked_help_view")
    )
    p.add_argument("--expand", metavar="PARAM:I,J", help=tr("worked_help_expand"))
    p.add_argument("--digits", type=int, default=9, metavar="N", help=tr("worked_help_digits"))
    p.add_argument("--ascii", action="store_true", help=tr("worked_help_ascii"))
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=tr("worked_help_json"))
    out.add_argument("--markdown", action="store_true", help=tr("worked_help_markdown"))


@command("worked", "every number of one backprop iteration", _configure_worked)
def cmd_worked(args: argparse.Namespace) -> int:
    from tui_nn.core.worked_render import worked_report

    trainer = load_trainer(args)
    output = "json" if args.json else "markdown" if args.markdown else "text"
    try:
        report = worked_report(
            trainer,
            args.iteration,
            args.sample,
            view=args.view,
            expand=args.expand,
            digits=args.digits,
            output=output,
            lang=LANG,
            ascii_only=args.ascii,
        )
    except Diverged as e:
        raise CliError(e.message_in(LANG), EXIT_DIVERGED) from None
    sys.stdout.write(report)
    return 0


# ---- tui-nn compare ---------------------------------------------------------------------


def _configure_compare(p: argparse.ArgumentParser) -> None:
    from tui_nn import cli_compare

    cli_compare.configure(p, _preset_args, LANG)


@command("compare", "what your program printed against tui-nn's numbers", _configure_compare)
def cmd_compare(args: argparse.Namespace) -> int:
    from tui_nn import cli_compare

    return cli_compare.run(args, load_trainer(args), LANG)


# ---- tui-nn serve -----------------------------------------------------------------------


def _configure_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("preset", nargs="?", help=tr("cli_help_app_preset"))
    p.add_argument("--host", default="127.0.0.1", help=tr("cli_help_host"))
    p.add_argument("--port", type=int, default=8000, help=tr("cli_help_port"))
    p.add_argument(
        "--max-sessions", type=int, default=4, metavar="N", help=tr("cli_help_max_sessions")
    )


@command("serve", "serve the app to a browser (needs the serve extra)", _configure_serve)
def cmd_serve(args: argparse.Namespace) -> int:
    from tui_nn.serve import MOST_SESSIONS, serve

    if not 0 < args.port < 65536:
        raise CliError(tr("cli_port_range", value=args.port))
    if not 0 < args.max_sessions <= MOST_SESSIONS:
        raise CliError(tr("cli_max_sessions_range", most=MOST_SESSIONS, value=args.max_sessions))
    if args.preset is not None:
        load(args.preset)  # a bad preset is reported here, not in every browser tab
    try:
        serve(args.host, args.port, args.preset, LANG, args.max_sessions)
    except ImportError:
        raise CliError(tr("cli_serve_missing")) from None
    except (OSError, ValueError) as e:  # address in use, unknown host, a NUL in the name...
        reason = visible(getattr(e, "strerror", None) or e)
        host = visible(args.host)
        raise CliError(tr("cli_serve_bind", host=host, port=args.port, reason=reason)) from None
    return 0


# ---- tui-nn config ----------------------------------------------------------------------


def _configure_config(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--path", action="store_true", help=tr("cli_help_config_path"))
    which.add_argument("--show", action="store_true", help=tr("cli_help_config_show"))


@command("config", "where the settings file is, and the settings in force", _configure_config)
def cmd_config(args: argparse.Namespace) -> int:
    from tui_nn.cli_config import config_path_line, settings_in_force

    if args.path:
        print(config_path_line())
        return 0
    text, problems = settings_in_force(LANG)
    sys.stdout.write(text)
    for line in problems:
        say(f"tui-nn: {line}")
    return EXIT_BAD_INPUT if problems else 0


# ---- the app ----------------------------------------------------------------------------


def launch_app(preset: str | None, lang: str | None) -> int:
    if preset is not None:
        load(preset)  # a bad preset is reported here, before the screen opens
    from tui_nn.app.main import run_app

    return run_app(preset=preset, lang=lang)


def _description(name: str | None) -> str:
    """A command's one-line help: `cli_cmd_<name>` from the catalogue, else its English text."""
    key = f"cli_cmd_{name}" if name else "cli_description"
    return tr(key) if key in catalogue() else COMMANDS[name][2]


class PhraseFormatter(argparse.HelpFormatter):
    """argparse's help, its lines measured in terminal cells and broken between Japanese
    phrases (argparse counts characters, so Japanese ran past the edge, cut mid-word)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = wrap(" ".join(text.split()), width - len(indent))
        return "\n".join(indent + line for line in lines)


class Parser(argparse.ArgumentParser):
    """argparse, with its error line visible-safe (it quotes unknown arguments as typed)."""

    def error(self, message: str) -> NoReturn:
        super().error(visible(message))


def build_parser(name: str | None) -> argparse.ArgumentParser:
    parser = Parser(
        prog="tui-nn" + (f" {name}" if name else ""),
        description=_description(name),
        formatter_class=PhraseFormatter,
        epilog=None if name else tr("cli_epilog", commands=", ".join(COMMANDS)),
    )
    parser.add_argument("--lang", choices=("en", "ja"), help=tr("cli_help_lang"))
    if name:
        COMMANDS[name][1](parser)
    else:
        parser.add_argument("preset", nargs="?", help=tr("cli_help_app_preset"))
    return parser


def _split_lang(argv: list[str]) -> tuple[str | None, list[str]]:
    """--lang X given before the command name, taken out so the command is found."""
    if argv[:1] == ["--lang"] and len(argv) > 1:
        return argv[1], argv[2:]
    if argv[:1] and argv[0].startswith("--lang="):
        return argv[0].partition("=")[2], argv[1:]
    return None, argv


def _lang_of(argv: list[str], first: str | None) -> str:
    """The --lang of the command line (for help text, before parsing), else the locale's."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            first = argv[i + 1]
        elif a.startswith("--lang="):
            first = a.partition("=")[2]
    return first if first in ("en", "ja") else default_lang()


def _reader_left() -> int:
    """Standard output's reader closed the pipe: end quietly with 128 + SIGPIPE, as `cat` does."""
    # Python flushes stdout once more at exit; aimed at /dev/null that flush cannot fail.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_PIPE_CLOSED


def export_message(e: ExportError) -> str:
    """On the command line, asking before overwriting means: say how to, with --force."""
    return tr("cli_exists", **e.values) if e.key == "export_exists" else e.message(LANG)


def main(argv: Sequence[str] | None = None) -> int:
    global LANG
    argv = list(sys.argv[1:] if argv is None else argv)
    early, argv = _split_lang(argv)
    LANG = _lang_of(argv, early)
    name = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser(name)
    if early not in (None, "en", "ja"):  # refused before the command as after it
        parser.parse_args(["--lang", early])
    args = parser.parse_args(argv[1:] if name else argv)
    given_lang = early or args.lang  # else the settings file's, then the locale's
    args.lang = LANG
    try:
        if name is None:
            return launch_app(args.preset, given_lang)
        with terminate_cleanly():  # SIGTERM mid-write removes the partial file, as ctrl+c does
            status = COMMANDS[name][0](args)
        sys.stdout.flush()  # a reader that left (`| head -1`) is noticed here, inside the try
        return status
    except BrokenPipeError:
        return _reader_left()
    except ConfigError as e:
        say(f"tui-nn: {e.message_in(LANG)}")
        return EXIT_BAD_INPUT
    except ExportError as e:
        say(f"tui-nn: {export_message(e)}")
        return EXIT_BAD_INPUT
    except CliError as e:
        say(f"tui-nn: {e}")
        return e.status
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return EXIT_TERMINATED


if __name__ == "__main__":
    sys.exit(main())
