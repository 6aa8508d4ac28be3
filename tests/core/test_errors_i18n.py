"""The engine's errors and warnings in English and Japanese.

A broken preset gives the same one-line message in both languages, naming the same file and
field: the English exactly as the engine has always written it (scripts read it), the Japanese
from tui_nn/i18n/errors.toml. The expected texts below are written out by hand.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

import pytest

from tui_nn.app import session as cmd
from tui_nn.app.messages import LoadFailed
from tui_nn.cli import EXIT_BAD_INPUT, EXIT_DIVERGED, main
from tui_nn.core import ConfigError, Diverged, Trainer, load
from tui_nn.core.errors import config_error
from tui_nn.i18n import catalogue

from helpers import ROOT

CORE = ROOT / "tui_nn" / "core"

#: A valid 2-2-1 preset; each case below breaks one line of it.
GOOD = """\
[network]
layers = [2, 2, 1]
activation = "sigmoid"
output = "sigmoid"
loss = "sum_squared"

[data]
source = "inline"
x = [[0.0, 1.0], [1.0, 0.0]]
d = [[1.0], [0.0]]

[train]
lr = 0.5
"""

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# (what to change in GOOD, field, English reason, a piece of the Japanese reason)
CASES = [
    (
        ("lr = 0.5", 'lr = "fast"'),
        "train.lr",
        "must be a number, got 'fast'",
        "数値にしてください (値: 'fast')",
    ),
    (
        ("lr = 0.5", "lr = 0"),
        "train.lr",
        "must be above 0, got 0",
        "0 より大きくしてください (値: 0)",
    ),
    (
        ("layers = [2, 2, 1]", "lyers = [2, 2, 1]"),
        "network.lyers",
        "unknown key; did you mean 'layers'?",
        "知らないキーです。'layers' のことですか?",
    ),
    (
        ('output = "sigmoid"', 'output = "sigmod"'),
        "network.output",
        "must be one of identity, sigmoid, softmax, relu, step, tanh, leaky_relu; got 'sigmod'"
        " (did you mean 'sigmoid'?)",
        "'sigmoid' のことですか?",
    ),
    (
        ('loss = "sum_squared"', 'loss = "cross_entropy"'),
        "network.loss",
        "loss 'cross_entropy' needs output = 'softmax' (its log needs outputs in (0, 1) "
        "that sum to 1), but output is 'sigmoid'",
        "誤差関数 'cross_entropy' には output = 'softmax' が必要です",
    ),
    (
        ("[train]\nlr = 0.5\n", ""),
        "train",
        "is missing: every preset needs a [train] section",
        "[train] セクションが必要です",
    ),
    (
        ('activation = "sigmoid"', 'activation = "sigma"'),
        "network.activation",
        "unknown hidden activation 'sigma'; choose one of step, identity, sigmoid, tanh, "
        "relu, leaky_relu",
        "中間層の活性化関数 'sigma' は知りません",
    ),
    (
        ('loss = "sum_squared"', 'loss = "sum_squared"\nweights_file = "missing.npz"'),
        "network.weights_file",
        "missing.npz: no such file",
        "missing.npz：そのファイルはありません",
    ),
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("change", "field", "english", "japanese"), CASES, ids=[c[1] for c in CASES]
)
def test_a_broken_preset_reads_the_same_in_english_and_japanese(
    tmp_path: Path, capsys, change, field: str, english: str, japanese: str
) -> None:
    old, new = change
    assert old in GOOD
    path = tmp_path / "broken.toml"
    path.write_text(GOOD.replace(old, new), "utf-8")
    status, out, err = run(capsys, "--lang", "en", "train", str(path), "--steps", "1")
    assert (status, out, err) == (EXIT_BAD_INPUT, "", f"tui-nn: {path}: {field}: {english}\n")
    status, out, err = run(capsys, "--lang", "ja", "train", str(path), "--steps", "1")
    assert status == EXIT_BAD_INPUT and out == ""
    assert err.startswith(f"tui-nn: {path}: {field}: ") and err.count("\n") == 1
    assert japanese in err and english not in err


def test_the_good_preset_trains(tmp_path: Path, capsys) -> None:
    """The cases above fail because of their one change, not because GOOD is broken."""
    path = tmp_path / "good.toml"
    path.write_text(GOOD, "utf-8")
    assert run(capsys, "--lang", "ja", "train", str(path), "--steps", "1")[0] == 0


@pytest.mark.parametrize(
    ("make", "english", "japanese"),
    [
        (
            lambda d: "mazur-2-2-3",
            "no preset of that name; did you mean 'mazur-2-2-2'?",
            "プリセット",
        ),
        (lambda d: str(d / "nope.toml"), "no such file", "そのファイルはありません"),
        (lambda d: str(d), "is a directory, not a preset file", "フォルダです"),
        (
            lambda d: (d / "bin.toml").write_bytes(b"[network]\n\xff") and str(d / "bin.toml"),
            "is not UTF-8 text (byte 10)",
            "UTF-8 のテキストではありません (10 バイト目)",
        ),
    ],
)
def test_files_and_preset_names(tmp_path: Path, capsys, make, english: str, japanese: str) -> None:
    name = make(tmp_path)
    assert run(capsys, "--lang", "en", "train", name)[2] == f"tui-nn: {name}: {english}\n"
    err = run(capsys, "--lang", "ja", "train", name)[2]
    assert err.startswith(f"tui-nn: {name}: ") and japanese in err and english not in err


def test_invalid_toml_keeps_the_parser_detail(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[network\n", "utf-8")
    en = run(capsys, "--lang", "en", "train", str(path))[2]
    ja = run(capsys, "--lang", "ja", "train", str(path))[2]
    assert en.startswith(f"tui-nn: {path}: is not valid TOML: ")
    detail = en.removeprefix(f"tui-nn: {path}: is not valid TOML: ")
    assert ja == f"tui-nn: {path}: 正しい TOML ではありません: {detail}"


def test_inline_data_errors_are_translated_when_the_trainer_is_built(tmp_path: Path) -> None:
    path = tmp_path / "rows.toml"
    path.write_text(GOOD.replace("d = [[1.0], [0.0]]", "d = [[1.0]]"), "utf-8")
    with pytest.raises(ConfigError) as caught:
        Trainer(load(str(path)))
    e = caught.value
    assert e.message == f"{path}: data.d: has 1 rows but x has 2"
    assert e.message_in("ja") == f"{path}: data.d: は 1 行ですが、x は 2 行です"


def test_divergence_in_japanese(capsys) -> None:
    """A linear network with η = 1e5 overflows within a few steps (as in the app's tests)."""
    argv = ["train", "mazur-2-2-2", "--steps", "50"]
    argv += ["--set", 'network.activation="identity"', "--set", 'network.output="identity"']
    argv += ["--set", "train.lr=1e5"]
    status, _, en = run(capsys, "--lang", "en", *argv)
    assert status == EXIT_DIVERGED and re.search(r"diverged at step \d+: the \w+ in ", en)
    status, _, ja = run(capsys, "--lang", "ja", *argv)
    assert status == EXIT_DIVERGED
    step = re.search(r"diverged at step (\d+)", en)[1]
    assert f"ステップ {step} で発散しました" in ja and "diverged" not in ja


def test_diverged_message_in_each_language() -> None:
    e = Diverged(12, "update", layer=2, param="W2")
    assert e.message_in("en") == str(e) == e.message
    assert str(e).startswith("diverged at step 12: the update in W2 became NaN or infinite.")
    assert e.message_in("ja").startswith(
        "ステップ 12 で発散しました: W2 の 更新量 が NaN か無限大になりました。"
    )
    assert (
        Diverged(3, "loss", layer=1)
        .message_in("ja")
        .startswith("ステップ 3 で発散しました: 第 1 層の出力 の 誤差 E が")
    )
    gradient = Diverged(4, "gradient", layer=2, param="W2")
    assert str(gradient).startswith("diverged at step 4: the gradient in layer 2 (W2) became")
    assert gradient.message_in("ja").startswith(
        "ステップ 4 で発散しました: 第 2 層 (W2) の 勾配 が"
    )
    assert str(Diverged(5, "loss")).startswith("diverged at step 5: the loss became NaN")
    assert Diverged(5, "loss").message_in("ja").startswith("ステップ 5 で発散しました: 誤差 E が")


def mazur_with(tmp_path: Path, **weights: str) -> Trainer:
    """mazur-2-2-2 made linear (identity everywhere), with some weight rows replaced."""
    text = Path(load("mazur-2-2-2").file).read_text(encoding="utf-8")
    text = text.replace('activation = "sigmoid"', 'activation = "identity"')
    text = text.replace('output = "sigmoid"', 'output = "identity"')
    original = {"W1": "[[0.15, 0.25], [0.20, 0.30]]", "W2": "[[0.40, 0.50], [0.45, 0.55]]"}
    for name, value in weights.items():
        text = text.replace(f"{name} = {original[name]}", f"{name} = {value}")
    path = tmp_path / "linear.toml"
    path.write_text(text, encoding="utf-8")
    return Trainer(load(str(path)))


def test_a_gradient_divergence_names_its_layer_and_parameter(tmp_path: Path) -> None:
    """W1 = 1e200, W2 = 1e-60: the hidden output z1 is about 1e200 and δ2 = y − d about 1e140,
    so E (about 1e280) and ∂E/∂W1 = xᵀ(δ2·W2ᵀ) (about 1e80) are finite while ∂E/∂W2 = z1ᵀ·δ2
    (about 1e340) overflows: the gradient of layer 2's W2."""
    huge = "[[1e200, 1e200], [1e200, 1e200]]"
    trainer = mazur_with(tmp_path, W1=huge, W2="[[1e-60, 1e-60], [1e-60, 1e-60]]")
    with pytest.raises(Diverged) as err:
        trainer.step()
    e = err.value
    assert (e.step, e.what, e.layer, e.param) == (1, "gradient", 2, "W2")
    assert "the gradient in layer 2 (W2) became NaN" in str(e)
    assert "第 2 層 (W2) の 勾配 が NaN" in e.message_in("ja")


def test_an_update_divergence_names_its_parameter() -> None:
    """η = ∞ after 40 steps of circle: W1, the first parameter, is the first non-finite update."""
    trainer = Trainer(load("circle", ["train.lr=0.05"]))
    trainer.run(40)
    trainer.cfg = replace(trainer.cfg, lr=math.inf)  # ∞: no preset may give it
    with pytest.raises(Diverged) as err:
        trainer.step()
    e = err.value
    assert (e.step, e.what, e.layer, e.param) == (41, "update", 1, "W1")
    assert "the update in W1 became NaN" in str(e) and "W1 の 更新量" in e.message_in("ja")


def test_a_loss_divergence_names_the_first_layer_whose_output_overflowed(tmp_path) -> None:
    """x = (0.05, 0.10). W1 = 1e300: z1 = x·W1 ≈ 1.5e299 is finite, z1·W2 with W2 = 1e10 (about
    3e309) is not, so layer 2's output is the first that overflowed; with W1 = 1e200 every
    output is finite (about 1e200) but E = ½Σ(y − d)² (about 1e400) overflows: only the loss."""
    big = "[[1e10, 1e10], [1e10, 1e10]]"
    trainer = mazur_with(tmp_path, W1="[[1e300, 1e300], [1e300, 1e300]]", W2=big)
    with pytest.raises(Diverged) as err:
        trainer.step()
    assert (err.value.what, err.value.layer, err.value.param) == ("loss", 2, None)
    assert "the loss in layer 2 output became NaN" in str(err.value)
    trainer = mazur_with(tmp_path, W1="[[1e200, 1e200], [1e200, 1e200]]")
    with pytest.raises(Diverged) as err:
        trainer.step()
    assert (err.value.what, err.value.layer, err.value.param) == ("loss", None, None)
    assert "diverged at step 1: the loss became NaN" in str(err.value)


def test_the_step_warning_in_both_languages(tmp_path: Path, capsys) -> None:
    path = tmp_path / "step.toml"
    path.write_text(GOOD.replace('activation = "sigmoid"', 'activation = "step"'), "utf-8")
    en = run(capsys, "--lang", "en", "train", str(path), "--steps", "1")[2]
    assert "tui-nn: warning: a step activation has derivative 0 everywhere" in en
    ja = run(capsys, "--lang", "ja", "train", str(path), "--steps", "1")[2]
    assert "tui-nn: 警告: ステップ関数の微分はどこでも 0" in ja and "derivative" not in ja


def test_located_keeps_the_key_and_values() -> None:
    e = config_error("err_number", got="'x'").located(file="a.toml", field="train.lr")
    assert e.message == "a.toml: train.lr: must be a number, got 'x'"
    assert e.message_in("ja") == "a.toml: train.lr: 数値にしてください (値: 'x')"
    assert (e.key, e.values) == ("err_number", {"got": "'x'"})


def test_a_nested_reason_is_shown_in_the_same_language() -> None:
    inner = config_error("err_nonempty_finite")
    e = config_error("err_in_file", name="w.npz", reason=inner, field="network.weights_file")
    assert e.message == "network.weights_file: w.npz: must be non-empty and finite"
    assert e.message_in("ja") == "network.weights_file: w.npz：空でない有限の値にしてください"


@pytest.mark.parametrize(
    ("key", "values"),
    [("err_number", {}), ("err_at_least", {"lo": 1}), ("no_such_key", {"got": 1})],
)
def test_a_key_with_missing_values_falls_back_to_english(key: str, values: dict) -> None:
    e = ConfigError("must be a number, got 'x'", field="train.lr", key=key, values=values)
    assert e.message_in("ja") == e.message == "train.lr: must be a number, got 'x'"


def test_an_error_without_a_key_is_english_in_every_language() -> None:
    e = ConfigError("some reason", file="f.toml")
    assert e.message_in("ja") == e.message == "f.toml: some reason"


def engine_keys() -> set[str]:
    """Every err_/warn_ catalogue key written as a string anywhere in the engine, including
    keys chosen by a condition (`key = "err_above" if ... else "err_at_least"`)."""
    literal = re.compile(r"""["']((?:err|warn)_[a-z0-9_]+)["']""")
    return {k for p in CORE.rglob("*.py") for k in literal.findall(p.read_text("utf-8"))}


def test_every_engine_key_is_in_the_catalogue_and_every_entry_is_used() -> None:
    used = engine_keys()
    assert {"err_above", "err_at_least", "err_one_of_hint", "warn_step_no_gradient"} <= used
    assert not sorted(used - set(catalogue())), "keys used in tui_nn/core but not catalogued"
    errors_toml = {
        k for k in catalogue() if k.startswith(("err_", "warn_"))
    }  # errors.toml's own keys
    assert not sorted(errors_toml - used), "errors.toml entries nothing in the engine uses"


def test_the_app_session_words_a_failed_load_in_the_app_language() -> None:
    posted: list[object] = []
    session = cmd.TrainingSession(posted.append, lang=lambda: "ja")
    preset = load("mazur-2-2-2", ["data.x=[[0.05, 0.10, 0.2]]"])
    session._load(preset)  # on the caller's thread: the worker loop is not needed here
    (failed,) = [m for m in posted if isinstance(m, LoadFailed)]
    assert failed.reason.startswith(f"{preset.file}: data: 入力データは 3 列 (x1, x2, x3)")


@pytest.mark.parametrize(
    ("data", "english", "japanese"),
    [
        (
            'source = "function"\nformula = "foo(x0)"',
            "data.formula: 'foo' is not a known function; use numbers, x0, x1, ...",
            "data.formula: 'foo' という関数は知りません。使えるのは数値、x0, x1, ...",
        ),
        (
            'source = "xor"\nnoize = 0.1',
            "data.noize: unknown key for source 'xor'; did you mean 'noise'?",
            "data.noize: source 'xor' では知らないキーです。'noise' のことですか?",
        ),
        (
            'source = "xor"\nfeatures = ["x1", "x1"]',
            "data.features: names a feature twice",
            "data.features: に同じ特徴量が 2 回書かれています",
        ),
    ],
)
def test_generated_data_errors(tmp_path: Path, data: str, english: str, japanese: str) -> None:
    path = tmp_path / "gen.toml"
    head, _, _ = GOOD.partition('source = "inline"')
    path.write_text(head + data + "\n\n[train]\nlr = 0.5\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        Trainer(load(str(path)))
    assert caught.value.message.startswith(f"{path}: {english}")
    assert caught.value.message_in("ja").startswith(f"{path}: {japanese}")


def test_data_file_errors(tmp_path: Path) -> None:
    """A CSV with a word in a number column, and an MNIST folder that does not exist."""
    (tmp_path / "d.csv").write_text("a,b,y\n1,2,0\n3,oops,1\n", "utf-8")
    path = tmp_path / "csv.toml"
    head, _, _ = GOOD.partition('source = "inline"')
    data = 'source = "csv"\npath = "d.csv"\ntarget = "y"\n'
    path.write_text(head + data + "\n[train]\nlr = 0.5\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        Trainer(load(str(path)))
    csv = tmp_path / "d.csv"
    assert caught.value.message == f"{csv}: data row 2: column 'b': 'oops' is not a number"
    assert (
        caught.value.message_in("ja") == f"{csv}: data row 2: 列 'b': 'oops' は数値ではありません"
    )
    preset = load("mnist", [f'data.path="{tmp_path / "none"}"'])
    with pytest.raises(ConfigError) as caught:
        Trainer(preset)
    assert f"data.path: MNIST files missing in {tmp_path / 'none'} (no such folder): " in str(
        caught.value
    )
    ja = caught.value.message_in("ja")
    assert f"data.path: {tmp_path / 'none'} (そのフォルダはありません) に MNIST" in ja
