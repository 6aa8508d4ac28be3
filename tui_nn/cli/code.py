"""`tui-nn code`: the experiment as a NumPy script, a PyTorch script or a notebook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui_nn.cli import base
from tui_nn.core import Trainer
from tui_nn.core.codegen import generate_code, write_code
from tui_nn.core.codegen_torch import generate_torch_code
from tui_nn.core.notebook import generate_notebook, write_notebook
from tui_nn.core.safe_text import file_stem


def _configure_code(p: argparse.ArgumentParser) -> None:
    base.preset_args(p)
    p.add_argument("-o", "--output", type=Path, metavar="FILE.py", help=base.tr("cli_help_output"))
    p.add_argument("--print-every", type=int, metavar="N", help=base.tr("cli_help_print_every"))
    p.add_argument("--torch", action="store_true", help=base.tr("cli_help_torch"))
    p.add_argument("--notebook", action="store_true", help=base.tr("cli_help_notebook"))
    p.add_argument("--force", action="store_true", help=base.tr("cli_help_force"))


@base.command("code", "write the experiment as a standalone NumPy script", _configure_code)
def cmd_code(args: argparse.Namespace) -> int:
    if args.print_every is not None and args.print_every < 1:
        raise base.CliError(base.tr("cli_print_every_min", value=args.print_every))
    if args.notebook and args.torch:
        raise base.CliError(base.tr("cli_notebook_torch"))
    trainer = base.load_trainer(args)
    # Without -o: a name made from the preset's, in the current folder (never a path in it).
    suffix = ".ipynb" if args.notebook else ".py"
    default = f"{file_stem(trainer.preset.name)}{'_torch' if args.torch else ''}{suffix}"
    out = args.output or Path(default)
    if args.notebook:
        return _write_notebook(args, trainer, out, default)
    if out == base.STDOUT:
        generate = generate_torch_code if args.torch else generate_code
        code = generate(trainer, lang=base.LANG, print_every=args.print_every, file_name=default)
        if code.companion:
            raise base.CliError(base.tr("cli_code_needs_file"))
        sys.stdout.write(code.source)
        return 0
    # The script, and its data file when the data is too big to embed: write_code checks both.
    every, force = args.print_every, args.force
    base.wrote(
        *write_code(
            out, trainer, lang=base.LANG, print_every=every, overwrite=force, torch=args.torch
        )
    )
    return 0


def _write_notebook(args: argparse.Namespace, trainer: Trainer, out: Path, default: str) -> int:
    every = args.print_every
    if out == base.STDOUT:
        nb = generate_notebook(trainer, lang=base.LANG, print_every=every, file_name=default)
        if nb.companion:
            raise base.CliError(base.tr("cli_code_needs_file"))
        sys.stdout.write(nb.source)
        return 0
    base.wrote(
        *write_notebook(out, trainer, lang=base.LANG, print_every=every, overwrite=args.force)
    )
    return 0
