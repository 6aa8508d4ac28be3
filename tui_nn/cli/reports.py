"""The commands that read a preset and report on it: `presets`, `gradcheck`, `worked`, `compare`."""

from __future__ import annotations

import argparse
import json
import math
import sys

from tui_nn.cli import base
from tui_nn.core import Diverged, builtin_presets, gradient_check
from tui_nn.core.presets import read_toml
from tui_nn.core.safe_text import visible


def _configure_presets(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=base.tr("cli_help_json_list"))


@base.command("presets", "list the shipped presets with their descriptions", _configure_presets)
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
    ja = base.LANG == "ja"
    for r in rows:
        about = r["description_ja"] if ja else r["description"]
        print(visible(f"{r['name']:<{width}}  {about}"))
    return 0


def _configure_gradcheck(p: argparse.ArgumentParser) -> None:
    base.preset_args(p)
    p.add_argument("--samples", type=int, default=16, help=base.tr("cli_help_samples"))
    p.add_argument("--tolerance", type=float, default=1e-6, help=base.tr("cli_help_tolerance"))
    p.add_argument("--json", action="store_true", help=base.tr("cli_help_json_one"))


@base.command("gradcheck", "compare backprop with numerical gradients", _configure_gradcheck)
def cmd_gradcheck(args: argparse.Namespace) -> int:
    if args.samples < 1:
        raise base.CliError(base.tr("cli_samples_min", value=args.samples))
    if not (math.isfinite(args.tolerance) and args.tolerance > 0):  # nan would fail every check
        raise base.CliError(base.tr("cli_tolerance", value=args.tolerance))
    trainer = base.load_trainer(args)
    trainer.check_trainable()  # without targets there is no E to differentiate
    x, d, _ = trainer.peek_batch()
    progress = base.Progress(0)  # the numerical gradient can take long on a big network

    def tick(done: int, total: int) -> None:
        progress.total = total
        progress.update(done, None, force=done == total)

    checks = gradient_check(trainer.net, x[: args.samples], d[: args.samples], progress=tick)
    progress.close()
    worst = max(c.relative_error for c in checks)
    ok = worst <= args.tolerance
    samples = int(min(len(x), args.samples))
    if args.json:
        print(json.dumps(_gradcheck_json(trainer.preset.name, samples, checks, worst, ok)))
    else:
        _print_gradcheck(checks, worst, ok, args.tolerance)
    return 0 if ok else base.EXIT_CHECK_FAILED


def _gradcheck_json(name: str, samples: int, checks: list, worst: float, ok: bool) -> dict:
    return {
        "preset": name,
        "h": 1e-4,
        "samples": samples,
        "parameters": [c.__dict__ for c in checks],
        "max_relative_error": worst,
        "ok": ok,
        "checked": sum(c.checked for c in checks),  # every entry, or a seeded sample (seed 0)
        "entries": sum(c.entries for c in checks),
    }


def _print_gradcheck(checks: list, worst: float, ok: bool, tolerance: float) -> None:
    tr = base.tr
    print(f"{tr('cli_gc_param'):<6} {tr('cli_gc_abs'):>28} {tr('cli_gc_rel'):>16}")
    for c in checks:
        print(f"{c.name:<6} {c.max_abs_error:>28.3e} {c.relative_error:>16.3e}")
    checked, entries = sum(c.checked for c in checks), sum(c.entries for c in checks)
    if checked < entries:
        print(tr("cli_gc_sampled", checked=f"{checked:,}", entries=f"{entries:,}", seed=0))
    verdict = tr("cli_gc_ok" if ok else "cli_gc_failed")
    print(tr("cli_gc_summary", worst=f"{worst:.3e}", verdict=verdict, tolerance=f"{tolerance:g}"))


def _configure_worked(p: argparse.ArgumentParser) -> None:
    base.preset_args(p)
    p.add_argument(
        "--iteration", type=int, default=1, metavar="K", help=base.tr("worked_help_iteration")
    )
    p.add_argument("--sample", type=int, metavar="I", help=base.tr("worked_help_sample"))
    p.add_argument(
        "--view",
        choices=("auto", "scalar", "matrix"),
        default="auto",
        help=base.tr("worked_help_view"),
    )
    p.add_argument("--expand", metavar="PARAM:I,J", help=base.tr("worked_help_expand"))
    p.add_argument("--digits", type=int, default=9, metavar="N", help=base.tr("worked_help_digits"))
    p.add_argument("--ascii", action="store_true", help=base.tr("worked_help_ascii"))
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=base.tr("worked_help_json"))
    out.add_argument("--markdown", action="store_true", help=base.tr("worked_help_markdown"))


@base.command("worked", "every number of one backprop iteration", _configure_worked)
def cmd_worked(args: argparse.Namespace) -> int:
    from tui_nn.core.worked import worked_report

    trainer = base.load_trainer(args)
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
            lang=base.LANG,
            ascii_only=args.ascii,
        )
    except Diverged as e:
        raise base.CliError(e.message_in(base.LANG), base.EXIT_DIVERGED) from None
    sys.stdout.write(report)
    return 0


def _configure_compare(p: argparse.ArgumentParser) -> None:
    from tui_nn.cli import compare

    compare.configure(p, base.preset_args, base.LANG)


@base.command("compare", "what your program printed against tui-nn's numbers", _configure_compare)
def cmd_compare(args: argparse.Namespace) -> int:
    from tui_nn.cli import compare

    return compare.run(args, base.load_trainer(args), base.LANG)
