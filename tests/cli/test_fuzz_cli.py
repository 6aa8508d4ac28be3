"""Property tests of every sub-command and every flag: the flags are read from the parser
itself, so a flag added later is fuzzed too. Whatever the command line, `tui-nn` exits with a
documented status and either works or prints one line saying why; it never shows a traceback
and never leaves a half-written file. The app and the web server are replaced by recorders
(their own tests open them for real)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_nn.cli import COMMANDS, build_parser, main

#: Each command's flags and their argparse actions, read from the parser itself.
FLAGS = {
    name: {
        opt: action
        for action in build_parser(name)._actions
        for opt in action.option_strings
        if opt not in ("-h", "--help")
    }
    for name in [None, *COMMANDS]
}


def bad_inputs(folder: Path) -> None:
    """The files the command lines point at: one of each kind a student can hand over."""
    (folder / "broken.toml").write_text("[network\nlayers = [2, 2", encoding="utf-8")
    (folder / "latin1.toml").write_bytes(b"[preset]\nname = '\xe9t\xe9'\n")
    (folder / "weights.npz").write_bytes(b"not a zip archive")
    (folder / "a-folder.toml").mkdir()


PATHS = [
    "mazur-2-2-2",
    "xor",
    "no-such-preset",
    "broken.toml",
    "latin1.toml",
    "a-folder.toml",
    "weights.npz",
    "out.npz",
    "out.csv",
    "out.py",
    "-",
    "/nonexistent/dir/x.npz",
    ".",
    # Names no file system takes, or that would write escape sequences to the terminal.
    "~nosuchuser-x/p.toml",
    "p" * 300 + ".toml",
    "x\x1b]0;title\x07.toml",
]
NUMBERS = ["-1", "0", "1", "3", "65536", "1e9", "nan", "inf", "-inf", "0.5", "x", ""]
VALUES = [
    "train.lr=abc",
    "train.lr=0.1",
    "train.lr=1e300",
    "network.layers=[2,0,2]",
    "network.activation=relu",
    "data.seed=-5",
    "=",
    "a.b.c=1",
    "W1:0,0",
    "W9:1,1",
    "b2:0",
    "W1:a",
    "train.seed=" + "1" * 4400,
    "data.x=" + "[" * 3000 + "1" + "]" * 3000,
    "train.beta1=1",
    "data.feature_names=5",
    "train.\x1b[2J=1",
    "auto",
    "scalar",
    "matrix",
    "en",
    "ja",
    "fr",
]


def small_int_or_not_a_number(s: str) -> bool:
    """Random text, but no long runs: an integer argument stays below 50."""
    try:
        return abs(int(s)) < 50
    except ValueError:
        return True


ANY_VALUE = st.one_of(
    st.sampled_from(PATHS + NUMBERS + VALUES),
    st.integers(-3, 30).map(str),
    st.text(max_size=6).filter(small_int_or_not_a_number),
)


def mostly(usual: st.SearchStrategy, rare: st.SearchStrategy, odds: int = 3) -> st.SearchStrategy:
    """`usual` `odds` times out of odds + 1, else `rare`. (st.one_of(a, a, b) would not do:
    it counts a repeated strategy once.)"""
    return st.integers(0, odds).flatmap(lambda i: rare if i == 0 else usual)


def value_for(action: argparse.Action) -> st.SearchStrategy[str]:
    """Mostly a value of the flag's own kind, so that the command gets past argparse and
    our own checks are what answers; sometimes anything at all."""
    if action.choices:
        fitting = st.sampled_from(sorted(action.choices))
    elif action.type is int:
        fitting = st.integers(-3, 30).map(str)
    elif action.type is float:
        fitting = st.sampled_from(["1e-6", "0.1", "0", "-1", "nan", "inf", "1e300"])
    else:
        fitting = st.sampled_from(PATHS + VALUES)
    return mostly(fitting, ANY_VALUE)


def command_line(name: str | None) -> st.SearchStrategy[list[str]]:
    """The command, usually a preset, then flags with values; now and then a stray token, so
    that argparse's own refusals are covered too."""
    flags = FLAGS[name]
    flag = st.sampled_from(sorted(flags)).flatmap(
        lambda f: (
            st.tuples(st.just(f), value_for(flags[f]))
            if flags[f].nargs != 0
            else st.tuples(st.just(f))
        )
    )
    stray = ANY_VALUE.map(lambda v: (v,))
    named = st.sampled_from(PATHS).map(lambda p: [p])
    takes_preset = any(a.dest == "preset" for a in build_parser(name)._actions)
    preset = mostly(named, st.just([])) if takes_preset else st.just([])
    rest = st.lists(mostly(flag, stray, odds=9), max_size=4)
    return st.tuples(preset, rest).map(
        lambda t: [
            *([name] if name else []),
            *t[0],
            *(token for group in t[1] for token in group),
        ]
    )


ANY_COMMAND_LINE = st.sampled_from([None, *COMMANDS]).flatmap(command_line)


def test_any_command_line_of_any_command_exits_cleanly() -> None:
    """Every command line exits cleanly, and every command got its share of the cases."""
    seen: Counter[str] = Counter()

    @settings(
        max_examples=400,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(argv=ANY_COMMAND_LINE)
    def check(argv: list[str]) -> None:
        command = argv[0] if argv and argv[0] in COMMANDS else "(app)"
        seen[command] += 1
        exits_cleanly(argv, command)

    check()
    print(f"fuzzed command lines: {seen.total()} ({dict(seen)})")
    assert set(seen) == {"(app)", *COMMANDS}, seen


def exits_cleanly(argv: list[str], command: str) -> None:
    """A known status, no traceback, nothing half-written, one line for our refusals."""
    if command == "train" and not {"--steps", "--epochs"} & set(argv):
        argv = [*argv, "--steps", "2"]  # the presets' own epochs would take seconds
    out, err = io.StringIO(), io.StringIO()
    # A fresh folder each time: an output left by one case must not change the next.
    with (
        tempfile.TemporaryDirectory(prefix="tui-nn-fuzz-") as folder,
        contextlib.chdir(folder),
        mock.patch("tui_nn.app.main.run_app", return_value=0) as app,
        mock.patch("tui_nn.serve.serve") as server,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        bad_inputs(Path(folder))
        before = set(os.listdir(folder))
        try:
            status = main(argv)
        except SystemExit as e:  # argparse's usage errors, and --help
            status = e.code
        # Nothing half-written: no temporary file is left beside the outputs.
        leftovers = [f for f in set(os.listdir(folder)) - before if f.startswith(".")]
    message = err.getvalue()
    assert status in (0, 1, 2, 3), (argv, status, message)
    assert "Traceback" not in message
    shown = message + out.getvalue()
    assert not [c for c in shown if unicodedata.category(c) in ("Cc", "Cf") and c != "\n"], shown
    assert not leftovers, leftovers
    if status == 2 and not message.startswith("usage:"):
        # Our own refusals: one line, prefixed, saying why.
        assert message.startswith("tui-nn: ") and message.count("\n") == 1, message
    if status == 0 and "--json" in argv and command != "(app)":
        json.loads(out.getvalue())  # --json output stays machine-readable whatever else is set
    if status != 0:
        # Refused: the app and the server never opened.
        assert not app.called and not server.called
