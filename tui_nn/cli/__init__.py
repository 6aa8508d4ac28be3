"""The `tui-nn` command (`main`), one module per group of sub-commands."""

from tui_nn.cli.base import (
    COMMANDS,
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_DIVERGED,
    EXIT_PIPE_CLOSED,
)
from tui_nn.cli.main import build_parser, main

__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_CHECK_FAILED",
    "EXIT_DIVERGED",
    "EXIT_PIPE_CLOSED",
    "build_parser",
    "main",
]
