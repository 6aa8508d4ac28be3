"""`tui-nn worked`: text, Japanese, JSON and Markdown output, and one-line errors for bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Trainer, load


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["worked", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_plain_text_is_the_seeds_iteration(capsys) -> None:
    status, out, err = run(capsys, "mazur-2-2-2", "--lang", "en")
    assert status == 0 and err == ""
    assert out.startswith("Worked backprop: mazur-2-2-2, iteration 1\n")
    assert (
        "  net_h1 = w1·i1 + w2·i2 + b1·1\n    = 0.15·0.05 + 0.2·0.1 + 0.35·1\n    = 0.3775\n" in out
    )
    assert "    = 0.74136507·0.186815602·0.593269992\n    = 0.082167041\n" in out
    assert "  NumPy: grad['W2'] = np.dot(z1.T, delta2)\n" in out


def test_japanese_labels_use_the_course_terms(capsys) -> None:
    status, out, _ = run(capsys, "mazur-2-2-2", "--lang", "ja")
    assert status == 0
    assert "== 1. 順伝播 ==" in out and "h1 の総入力" in out and "連鎖律による w5 の勾配" in out
    assert "= 0.35891648" in out


def test_iteration_k_is_after_k_minus_1_updates(capsys) -> None:
    status, out, _ = run(capsys, "mazur-2-2-2", "--iteration", "2", "--lang", "en")
    assert status == 0 and "iteration 2" in out
    # E after one update is 0.29102777369359933 (worked-examples.md), 9 decimals here.
    assert "E_total = E_o1 + E_o2" in out and "= 0.291027774\n" in out


def test_ascii_notation_for_terminals_that_misalign_formula_glyphs(capsys) -> None:
    status, out, _ = run(capsys, "mazur-2-2-2", "--ascii", "--lang", "en")
    assert status == 0
    assert "dE_total/dout_o1*dout_o1/dnet_o1*dnet_o1/dw5" in out
    assert not set("∂·ηΣ²⁺") & set(out)


def test_fewer_digits(capsys) -> None:
    status, out, _ = run(capsys, "mazur-2-2-2", "--digits", "4", "--lang", "en")
    assert status == 0 and "= 0.7414·0.1868·0.5933\n" in out


def numbers_only(value) -> bool:
    """True when value is a number or nested lists of numbers (None for NaN/inf is not)."""
    if isinstance(value, list):
        return all(numbers_only(v) for v in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_json_is_one_document_with_numbers_as_numbers(capsys) -> None:
    status, out, _ = run(capsys, "mazur-2-2-2", "--json", "--lang", "en")
    assert status == 0

    def refuse(name: str):
        raise AssertionError(f"{name} is not JSON")

    doc = json.loads(out, parse_constant=refuse)
    assert doc["schema"] == "tui-nn/worked/1"
    assert {
        "preset",
        "iteration",
        "view",
        "network",
        "optimizer",
        "batch",
        "loss",
        "params",
        "grads",
        "new_params",
        "steps",
        "notes",
    } <= set(doc)
    assert doc["iteration"] == 1 and doc["view"] == "scalar"
    for step in doc["steps"]:
        assert {
            "id",
            "phase",
            "kind",
            "label",
            "explanation",
            "symbol",
            "formula",
            "substituted",
            "latex",
            "result",
            "numpy",
            "factors",
            "state",
        } <= set(step)
        assert numbers_only(step["result"]), step["id"]
        assert all(numbers_only(f["value"]) for f in step["factors"])
    w5 = next(s for s in doc["steps"] if s["id"] == "backward.dW.2.0.0")
    assert [f["symbol"] for f in w5["factors"]][-1] == "∂net_o1/∂w5"
    assert w5["latex"]["substituted"] == r"0.74136507 \cdot 0.186815602 \cdot 0.593269992"
    trainer = Trainer(load("mazur-2-2-2"))
    trainer.step()
    for name, value in trainer.net.params.items():
        assert np.array_equal(np.array(doc["new_params"][name]), value)
    assert numbers_only(doc["batch"]["x"]) and doc["batch"]["indices"] == [0]


def test_markdown_report(capsys) -> None:
    status, out, _ = run(capsys, "mazur-2-2-2", "--markdown", "--lang", "ja")
    assert status == 0
    assert out.startswith("# 誤差逆伝播法の計算過程: mazur-2-2-2、1 回目の反復\n")
    assert "## 3. 逆伝播" in out and "訓練データの 1 行目(1 から数えます)" in out
    assert "シグモイド関数 (sigmoid)" in out and "確率的勾配降下法 (sgd)" in out
    assert r"E_{\mathrm{total}} = E_{o1} + E_{o2} = 0.274811083 + 0.023560026 = 0.298371109" in out


def test_one_sample_and_one_weight_of_a_bigger_network(capsys) -> None:
    status, out, _ = run(capsys, "iris", "--lang", "en")
    assert status == 0 and "Matrix view" in out and "grad['W1'] = np.dot(x.T, delta1)" in out
    status, out, _ = run(capsys, "iris", "--sample", "3", "--expand", "W2:4,1", "--lang", "en")
    assert status == 0
    assert "Gradient of w45 by the chain rule (sample 3)" in out  # W2[4, 1]: 32 + 1·8 + 4 + 1
    assert "Gradient of w45, averaged over the mini-batch" in out
    assert "New value of w45" in out and "sample 1" not in out


@pytest.mark.parametrize(
    ("args", "field", "reason"),
    [
        (["--iteration", "0"], "--iteration", "must be 1 or more"),
        (["--sample", "2"], "--sample", "choose 1 to 1, got 2"),
        (["--sample", "0"], "--sample", "choose 1 to 1, got 0"),
        (["--digits", "0"], "--digits", "between 1 and 17"),
        (["--expand", "W9:0,0"], "expand", "not a parameter or layer"),
        (["--expand", "W2:5,0"], "expand", "outside it"),
        (["--expand", "W2"], "--expand", "is not PARAM:INDICES"),
        (
            [
                "--view",
                "scalar",
                "--set",
                "train.batch_size=1",
                "--set",
                "network.layers=[2,9,9,2]",
                "--set",
                "network.weights={}",
            ],
            "view",
            "scalar view shows up to",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, args, field, reason) -> None:
    status, out, err = run(capsys, "mazur-2-2-2", *args, "--lang", "en")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("tui-nn: ")
    assert field in err and reason in err


@pytest.mark.parametrize("iteration", ["2", "5"])
def test_divergence_is_exit_3(capsys, iteration: str) -> None:
    """Iteration 2 diverges in the traced step itself, iteration 5 in the updates before it."""
    linear = ["--set", 'network.activation="identity"', "--set", 'network.output="identity"']
    status, out, err = run(
        capsys,
        "mazur-2-2-2",
        "--iteration",
        iteration,
        *linear,
        "--set",
        "train.lr=1e200",
        "--lang",
        "en",
    )
    assert status == 3 and out == "" and err.count("\n") == 1
    assert "diverged at step 2: the loss in layer 2 output" in err
