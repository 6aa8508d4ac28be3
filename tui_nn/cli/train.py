"""`tui-nn train`: train a preset without a screen, write weights and history, say what
happened (a summary or JSON, warnings on stderr, exit 3 on a divergence)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from tui_nn.cli import base
from tui_nn.cli.outputs import write_each
from tui_nn.core import Diverged, Trainer
from tui_nn.core.export import history_csv, write_history_csv
from tui_nn.core.files import ExportError
from tui_nn.core.safe_text import visible
from tui_nn.core.weights import save_weights
from tui_nn.i18n import t


def _configure_train(p: argparse.ArgumentParser) -> None:
    base.preset_args(p)
    length = p.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help=base.tr("cli_help_steps"))
    length.add_argument("--epochs", type=int, help=base.tr("cli_help_epochs"))
    p.add_argument("--save", type=Path, metavar="FILE.npz", help=base.tr("cli_help_save"))
    p.add_argument("--history", type=Path, metavar="FILE.csv", help=base.tr("cli_help_history"))
    p.add_argument("--history-steps", action="store_true", help=base.tr("cli_help_history_steps"))
    p.add_argument("--force", action="store_true", help=base.tr("cli_help_force"))
    p.add_argument("--json", action="store_true", help=base.tr("cli_help_json_train"))


def _refuse_bad_flags(args: argparse.Namespace) -> None:
    for flag_name in ("steps", "epochs"):
        value = getattr(args, flag_name)
        if value is not None and value < 0:
            raise base.CliError(base.tr("cli_not_negative", flag=f"--{flag_name}", value=value))
    if args.save == base.STDOUT:
        raise base.CliError(base.tr("cli_save_stdout"))
    if args.history == base.STDOUT and args.json:
        raise base.CliError(base.tr("cli_stdout_twice"))
    base.check_outputs(args, save=args.save, history=args.history)


def _run(
    trainer: Trainer, steps: int, evals: TextIO | None = None
) -> tuple[Diverged | None, float]:
    """Train `steps` updates with a progress bar: the divergence that stopped it, and seconds.
    `evals`: where each evaluation's accuracies go, as the course's 1_4 prints them."""
    progress = base.Progress(steps)
    diverged: Diverged | None = None
    start = time.perf_counter()
    try:
        for i in range(steps):
            r = trainer.step()
            if r.evaluated and evals is not None:
                progress.clear()
                _print_evaluation(trainer, evals)
            progress.update(i + 1, r.loss, force=r.evaluated and evals is not None)
    except Diverged as e:
        diverged = e
    seconds = time.perf_counter() - start
    progress.close()
    return diverged, seconds


def _write_outputs(args: argparse.Namespace, trainer: Trainer) -> list[ExportError]:
    """Each output is written even when another fails (a disk filled meanwhile): no work lost."""
    if args.history == base.STDOUT:
        sys.stdout.write(history_csv(trainer, per_step=args.history_steps))
    outputs = []
    if args.save:
        outputs.append(lambda: save_weights(args.save, trainer.net.params, overwrite=args.force))
    if args.history not in (None, base.STDOUT):
        per_step, path = args.history_steps, args.history
        outputs.append(
            lambda: write_history_csv(path, trainer, per_step=per_step, overwrite=args.force)
        )
    written, failed = write_each(outputs)
    base.wrote(*written)
    return failed


def _result(trainer: Trainer, seconds: float, diverged: Diverged | None) -> dict[str, Any]:
    metrics = trainer.evaluate()
    return {
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


def _print_evaluation(trainer: Trainer, out: TextIO) -> None:
    """正答率(トレーニング) and 正答率(テスト) of the evaluation just made, in the words and the
    format of the generated script's lines (so the two can be compared line by line)."""
    row = trainer.evals.last() or {}
    for part, key in (("train", "code_eval_train"), ("test", "code_eval_test")):
        value = row.get(f"{part}_accuracy")
        if value is not None and np.isfinite(value):
            print(t(key, base.LANG, t=trainer.step_count, accuracy=repr(float(value))), file=out)
    out.flush()


def _evaluations_to(args: argparse.Namespace, trainer: Trainer) -> TextIO | None:
    """A preset that evaluates every eval_every updates and classifies has its accuracies
    printed as they come (not with --json: its output is one JSON object)."""
    if args.json or not trainer.cfg.eval_every or not trainer.is_classification:
        return None
    return sys.stderr if args.history == base.STDOUT else sys.stdout


@base.command("train", "train a preset without a screen", _configure_train)
def cmd_train(args: argparse.Namespace) -> int:
    _refuse_bad_flags(args)
    trainer = base.load_trainer(args)
    for w in trainer.net.warnings_in(base.LANG):
        base.say(f"tui-nn: {base.tr('cli_warning')}: {w}")
    steps = trainer.total_steps
    if args.epochs is not None:
        steps = args.epochs * trainer.steps_per_epoch
    if args.steps is not None:
        steps = args.steps
    diverged, seconds = _run(trainer, steps, _evaluations_to(args, trainer))
    result = _result(trainer, seconds, diverged)  # evaluated before the history is written
    failed = _write_outputs(args, trainer)
    for w in trainer.warnings:  # the network's own warnings were printed before training
        print(f"tui-nn: {base.tr('cli_warning')}: {w.message_in(base.LANG)}", file=sys.stderr)
    if args.json:
        print(json.dumps(_json_safe(result)))
    else:
        # With the CSV on standard output, the summary goes beside the progress bar.
        _print_train(result, sys.stderr if args.history == base.STDOUT else sys.stdout)
    for e in failed:
        base.say(f"tui-nn: {base.export_message(e)}")
    if diverged:
        base.say(f"tui-nn: {diverged.message_in(base.LANG)}")
        return base.EXIT_DIVERGED
    return base.EXIT_BAD_INPUT if failed else 0


def _warnings(trainer: Trainer) -> list[dict[str, Any]]:
    """What the run should not have done quietly: the network's warnings (step 0), then each
    rise of the training loss well above its start, as {"step", "kind", "message"}."""
    keys = trainer.net.warning_keys
    out = [{"step": 0, "kind": k.removeprefix("warn_"), "message": t(k, base.LANG)} for k in keys]
    out += [
        {"step": w.step, "kind": w.kind, "message": w.message_in(base.LANG)}
        for w in trainer.warnings
    ]
    return out


def _json_safe(obj: dict[str, Any]) -> dict[str, Any]:
    """NaN and inf are not JSON: they become null."""
    return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in obj.items()}


def _print_train(r: dict[str, Any], out: TextIO) -> None:
    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.6g}" if isinstance(v, float) else str(v)

    print(
        base.tr(
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
                base.tr(
                    f"cli_{part}_line",
                    loss=fmt(r[f"{part}_loss"]),
                    accuracy=fmt(r[f"{part}_accuracy"]),
                ),
                file=out,
            )
