"""`tui-nn compare PRESET FILE`: why does my program print different numbers?

Reads what a student's program printed (the course's print_vec blocks, `name = value` lines)
and says, block by block, which quantity of the iteration it is, whether it matches at the
printed precision, and which known slip explains a mismatch. Exit 0 when every block it
identifies matches, 1 when one does not, 2 for bad input (blocks it cannot identify are listed
and do not change the status).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tui_nn.core.compare import all_match, compare_text, to_json, to_text
from tui_nn.core.compare_read import read_printed
from tui_nn.i18n import t


def configure(p: argparse.ArgumentParser, preset_args, lang: str) -> None:
    preset_args(p)
    p.add_argument("file", type=Path, help=t("compare_help_file", lang))
    p.add_argument(
        "--iteration", type=int, default=1, metavar="K", help=t("worked_help_iteration", lang)
    )
    p.add_argument("--sample", type=int, metavar="I", help=t("worked_help_sample", lang))
    p.add_argument("--json", action="store_true", help=t("compare_help_json", lang))


def run(args: argparse.Namespace, trainer, lang: str) -> int:
    text = read_printed(args.file)
    matches = compare_text(trainer, text, str(args.file), args.iteration, args.sample)
    if args.json:
        doc = to_json(matches, trainer.preset.name, args.iteration, lang)
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(to_text(matches, lang))
    return 0 if all_match(matches) else 1
