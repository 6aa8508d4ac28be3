"""Property tests: whatever a preset or the command line holds, the answer is either a working
experiment or one clear line naming the file, the field and the reason — never a traceback."""

from __future__ import annotations

import contextlib
import copy
import io
import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_nn.cli import main
from tui_nn.core import ConfigError, Diverged, Trainer, parse

MAZUR = Path(__file__).parents[1] / "presets" / "mazur-2-2-2.toml"
BASE = tomllib.loads(MAZUR.read_text(encoding="utf-8"))
FIELDS = [(s, k) for s in ("network", "train", "data") for k in BASE[s] if k != "weights"]
FIELDS += [
    ("train", k)
    for k in (
        "batch_size",
        "optimizer",
        "momentum",
        "weight_decay",
        "dtype",
        "lr_decay_every",
        "lr_decay_factor",
        "epochs",
        "seed",
    )
]
FIELDS += [("network", k) for k in ("init", "init_std", "seed", "leaky_slope")]

scalars = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.booleans(),
    st.sampled_from(["full", "adam", "relu", "softmax", "cross_entropy", "float32", "W1", "b9"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=12)
CASES = {"preset": 0, "cli": 0}


def check_message(err: ConfigError) -> None:
    msg = err.message
    assert msg and "\n" not in msg
    assert msg.startswith("fuzz.toml"), msg
    assert err.reason


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(FIELDS), values), min_size=1, max_size=3))
def test_any_edit_of_a_preset_loads_or_names_its_field(edits) -> None:
    CASES["preset"] += 1
    doc = copy.deepcopy(BASE)
    for (section, key), value in edits:
        doc[section][key] = value
    try:
        trainer = Trainer(parse(doc, "fuzz.toml"))
    except ConfigError as err:
        check_message(err)
        return
    try:
        for _ in range(2):
            r = trainer.step()
            assert math.isfinite(r.loss)
    except Diverged as err:
        assert "learning rate" in str(err)


@settings(max_examples=150, deadline=None)
@given(
    doc=st.dictionaries(
        st.sampled_from(["preset", "network", "data", "train", "extra"]),
        st.one_of(values, st.dictionaries(st.text(max_size=8), values, max_size=4)),
        max_size=5,
    )
)
def test_any_document_shape_gets_a_clear_answer(doc) -> None:
    CASES["preset"] += 1
    try:
        Trainer(parse(doc, "fuzz.toml"))
    except ConfigError as err:
        check_message(err)


ARGS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "train",
                "gradcheck",
                "presets",
                "mazur-2-2-2",
                "--steps",
                "--epochs",
                "--seed",
                "--set",
                "--json",
                "--save",
                "-1",
                "0",
                "3",
                "1e9",
                "x",
                "train.lr=abc",
                "train.lr=0.1",
                "network.layers=[2,0,2]",
                "=",
                "a.b.c=1",
                "/nonexistent/x.npz",
                "--samples",
                "--tolerance",
                "",
            ]
        ),
        st.text(max_size=6),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(argv=ARGS)
def test_any_command_line_exits_cleanly(argv: list[str]) -> None:
    CASES["cli"] += 1
    if not argv or argv[0] not in ("train", "gradcheck", "presets"):
        argv = ["train", *argv]  # without a command, main() would open the app
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(
                [*argv, "--steps", "2"] if argv[0] == "train" and "--epochs" not in argv else argv
            )
        except SystemExit as e:  # argparse's usage errors
            status = e.code
    assert status in (0, 1, 2, 3)
    assert "Traceback" not in err.getvalue()
    if status == 2:
        assert err.getvalue().strip(), "a failure says why"


def test_report_the_number_of_cases(request: pytest.FixtureRequest) -> None:
    """Runs last in this file: the totals appear in the test log (-rA) and the closing note."""
    if CASES["preset"] == 0:
        pytest.skip("run together with the property tests above")
    print(f"fuzzed presets: {CASES['preset']}, command lines: {CASES['cli']}")
    assert CASES["preset"] >= 400
