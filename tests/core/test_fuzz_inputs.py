"""Property tests: whatever a preset holds, the answer is either a working experiment or one
clear line naming the file, the field and the reason — never a traceback. (The command line
has its own in tests/cli/test_fuzz_cli.py.)"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_nn.core import ConfigError, Diverged, Trainer, load, parse
from tui_nn.core.activations import HIDDEN, OUTPUT
from tui_nn.core.losses import LOSSES
from tui_nn.core.network import INITS
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.safe_text import visible

from helpers import ROOT

MAZUR = ROOT / "presets" / "mazur-2-2-2.toml"
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
FIELDS += [("data", "feature_names"), ("data", "labels_test"), ("train", "beta1")]

scalars = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.booleans(),
    st.sampled_from(["full", "adam", "relu", "softmax", "cross_entropy", "float32", "W1", "b9"]),
    # What a hostile file holds: numbers as text, dates, integers past a float's range, control
    # characters and markup, arrays nested far deeper than any preset.
    st.sampled_from(["0.6", "1e3", "true", "\x1b[2J", "[bold", "[/]", "a\nb", "\u202e"]),
    st.sampled_from([dt.date(1979, 5, 27), dt.time(7, 32), dt.datetime(1979, 5, 27, 7, 32)]),
    st.sampled_from([10**400, -(10**400)]),
    st.integers(40, 3000).map(lambda n: functools.reduce(lambda v, _: [v], range(n), 0.5)),
)
wild = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=12)
# Values that fit the field (names from the engine itself, small numbers, shapes): with these
# many cases get past validation, so the training path is fuzzed as well as the error path.
NUMBERS = [0.0, 1e-3, 0.1, 0.5, 0.9, 1.0, 2]
FITTING = {
    "activation": HIDDEN,
    "output": OUTPUT,
    "loss": list(LOSSES),
    "optimizer": list(OPTIMIZERS),
    "init": INITS,
    "dtype": ["float32", "float64"],
    "batch_size": [1, 2, "full"],
    "shuffle": [True, False],
    "layers": [[2, 2], [2, 3, 2], [2, 4, 4, 2]],
    "freeze": [[], ["b1"], ["W1", "b2"]],
    "source": ["inline"],
    "x": [[[0.05, 0.1]], [[0.0, 1.0], [1.0, 0.0]]],
    "d": [[[0.01, 0.99]], [[1.0, 0.0], [0.0, 1.0]]],
    **{k: [0, 1, 3, 10] for k in ("epochs", "seed", "lr_decay_every")},
    **{
        k: NUMBERS
        for k in ("lr", "momentum", "weight_decay", "lr_decay_factor", "init_std", "leaky_slope")
    },
}


def value_for(field: tuple[str, str]) -> st.SearchStrategy:
    fitting = FITTING.get(field[1])
    if not fitting:
        return wild
    # One wild value in four, the others fitting.
    return st.integers(0, 3).flatmap(lambda i: wild if i == 0 else st.sampled_from(fitting))


#: The generators are not so wild that nothing gets past validation: of the edited and of the
#: damaged presets a sixth at least reach a working trainer (about a third in practice).
TRAINED = 1 / 6

edit = st.sampled_from(FIELDS).flatmap(lambda f: st.tuples(st.just(f), value_for(f)))


def check_message(err: ConfigError) -> None:
    msg = err.message
    assert msg and "\n" not in msg
    assert visible(msg) == msg  # nothing a terminal would not show as itself
    assert msg.startswith("fuzz.toml"), msg
    assert err.reason


def assert_fuzzed(tally: Counter[str], examples: int, trained: float = 0.0) -> None:
    """Most examples ran (not rejected by the strategies), and at least the share `trained` of
    them reached a working trainer, so that training is fuzzed too, not only the checks."""
    print(f"fuzzed presets: {tally['cases']}, of which built a trainer: {tally['trained']}")
    assert tally["cases"] >= 0.85 * examples, tally
    assert tally["trained"] >= trained * tally["cases"], tally


def test_any_edit_of_a_preset_loads_or_names_its_field() -> None:
    tally: Counter[str] = Counter()

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(edits=st.lists(edit, min_size=1, max_size=3))
    def check(edits) -> None:
        tally["cases"] += 1
        tally["trained"] += edited_preset_trains_or_names_its_field(edits)

    check()
    assert_fuzzed(tally, 400, trained=TRAINED)


def edited_preset_trains_or_names_its_field(edits) -> bool:
    """Whether the edited preset built a trainer (then it trains two steps or diverges)."""
    doc = copy.deepcopy(BASE)
    for (section, key), value in edits:
        doc[section][key] = value
    try:
        trainer = Trainer(parse(doc, "fuzz.toml"))
    except ConfigError as err:
        check_message(err)
        return False
    try:
        for _ in range(2):
            r = trainer.step()
            assert math.isfinite(r.loss)
    except Diverged as err:
        assert "learning rate" in str(err)
    return True


@settings(max_examples=150, deadline=None)
@given(
    doc=st.dictionaries(
        st.sampled_from(["preset", "network", "data", "train", "extra"]),
        st.one_of(wild, st.dictionaries(st.text(max_size=8), wild, max_size=4)),
        max_size=5,
    )
)
def test_any_document_shape_gets_a_clear_answer(doc) -> None:
    try:
        Trainer(parse(doc, "fuzz.toml"))
    except ConfigError as err:
        check_message(err)


def test_any_starting_weight_loads_or_names_it() -> None:
    """Weights given as text, true/false, dates or deep arrays are refused, never converted."""
    tally: Counter[str] = Counter()

    @settings(max_examples=150, deadline=None)
    @given(name=st.sampled_from(["W1", "b1", "W2", "b2", "W3", "x"]), value=wild)
    def check(name, value) -> None:
        tally["cases"] += 1
        tally["trained"] += weight_loads_or_is_named(name, value)

    check()
    assert_fuzzed(tally, 150)


def weight_loads_or_is_named(name: str, value: object) -> bool:
    """Whether the weight was taken (then as numbers only), or else its message is clear."""
    doc = copy.deepcopy(BASE)
    doc["network"]["weights"][name] = value
    try:
        Trainer(parse(doc, "fuzz.toml"))
    except ConfigError as err:
        check_message(err)
        return False
    leaves = np.asarray(doc["network"]["weights"][name], dtype=object).ravel()
    assert all(type(v) in (int, float) for v in leaves), value
    return True


MAZUR_BYTES = MAZUR.read_bytes()


@st.composite
def damaged_preset(draw: st.DrawFn) -> bytes:
    """The worked example's file with a few byte-level edits: cut, inserted or replaced
    bytes (stray quotes, brackets, newlines, NUL, invalid UTF-8), or bytes from nowhere."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    data = bytearray(MAZUR_BYTES)
    toml_bits = st.sampled_from(
        [b'"', b"'", b"[", b"]", b"=", b",", b"\n", b"#", b"-", b"1e999", b"9" * 4400, b"[" * 3000]
    )
    ascii_bits = st.text(alphabet=[chr(c) for c in range(32, 127)], min_size=1, max_size=4)
    not_utf8 = st.sampled_from([b"\x00", b"\xff\xfe", b"\xe3\x81", b"\x80"])
    junk = st.one_of(toml_bits, toml_bits, ascii_bits.map(str.encode), not_utf8)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "insert", "replace"]))
        if kind == "cut":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(junk)
        else:
            piece = draw(junk)
            data[at : at + len(piece)] = piece
    return bytes(data)


def test_any_damaged_preset_file_loads_or_names_the_file(tmp_path: Path) -> None:
    tally: Counter[str] = Counter()
    path = tmp_path / "fuzz.toml"

    @settings(max_examples=300, deadline=None)
    @given(content=damaged_preset())
    def check(content: bytes) -> None:
        tally["cases"] += 1
        path.write_bytes(content)
        try:
            Trainer(load(str(path)))
            tally["trained"] += 1
        except ConfigError as err:
            assert err.message.startswith(f"{path}: "), err.message
            assert err.reason and "\n" not in err.message

    check()
    assert_fuzzed(tally, 300, trained=TRAINED)
