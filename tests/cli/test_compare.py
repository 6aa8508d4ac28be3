"""`tui-nn compare PRESET FILE`: a student's printed numbers, written here by an independent NumPy
program in the course's print_vec style, right and with each known slip."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import EXIT_BAD_INPUT, main

from helpers.course import notebook_1_2, print_vec


def compare(capsys, tmp_path: Path, text: str, *args: str) -> tuple[int, dict]:
    path = tmp_path / "out.txt"
    path.write_text(text, "utf-8")
    preset = args[0] if args else "course-1_2"
    status = main(["compare", preset, str(path), "--json", *args[1:]])
    out, err = capsys.readouterr()
    assert err == ""
    doc = json.loads(out)
    assert doc["schema"] == "tui-nn/compare/1"
    return status, {(b["label"], b["quantity"]): b for b in doc["blocks"]}


def test_the_notebooks_own_output_matches(capsys, tmp_path: Path) -> None:
    status, blocks = compare(capsys, tmp_path, notebook_1_2())
    assert status == 0
    assert all(b["ok"] for b in blocks.values())
    assert set(b["quantity"] for b in blocks.values()) >= {"W1", "u1", "z1", "y", "E", "delta1"}
    label = blocks[("偏微分_dE/du2", "delta1")]  # the values are δ1, whatever the label says
    assert "delta1" in label["diagnosis"] and "delta2" in label["diagnosis"]
    assert blocks[("重み1", "new W1")]["ok"]  # W1 printed after the gradients is the update
    assert blocks[("誤差", "E")]["max_error"] < 1e-6  # the course's log(y + 1e-7) guard


@pytest.mark.parametrize(
    ("slip", "quantity", "words"),
    [
        ("sign", "delta2", "sign"),
        ("sigma_prime", "delta1", "d_sigmoid(z)"),
        ("early_update", "delta1", "too early"),
    ],
)
def test_each_slip_is_named(capsys, tmp_path: Path, slip: str, quantity: str, words: str) -> None:
    status, blocks = compare(capsys, tmp_path, notebook_1_2(slip))
    assert status == 1
    wrong = [b for b in blocks.values() if not b["ok"]]
    hit = [b for b in wrong if b["quantity"] == quantity]
    assert hit and words in hit[0]["diagnosis"], wrong
    assert hit[0]["max_error"] > 1e-4


def test_half_missing_and_the_course_d_mean_squared_error(capsys, tmp_path: Path) -> None:
    # course-1_1e: y = (1.02, 2.29), d = (2, 4), half_mse over K = 2 outputs.
    y, d = np.array([[1.02, 2.29]]), np.array([[2.0, 4.0]])
    text = print_vec("誤差", np.mean(np.square(d - y))) + print_vec("delta2", y - d)
    status, blocks = compare(capsys, tmp_path, text, "course-1_1e")
    assert status == 1
    assert "½ is missing" in blocks[("誤差", "E")]["diagnosis"]
    assert "d_mean_squared_error" in blocks[("delta2", "delta2")]["diagnosis"]


def test_batch_missing_and_iteration(capsys, tmp_path: Path) -> None:
    preset = tmp_path / "p.toml"
    preset.write_text(
        '[network]\nlayers = [2, 1]\noutput = "identity"\n'
        "[network.weights]\nW1 = [[0.5], [-0.5]]\nb1 = [0.0]\n"
        "[data]\nx = [[1.0, 2.0], [0.5, -1.0]]\nd = [[1.0], [1.0]]\n"
        '[train]\nlr = 0.1\nbatch_size = "full"\nshuffle = false\n',
        "utf-8",
    )
    x, d = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[1.0], [1.0]])
    w = np.array([[0.5], [-0.5]])
    summed = x.T @ (x @ w - d)  # no 1/batch
    status, blocks = compare(capsys, tmp_path, f"grad W1 = {summed.tolist()}\n", str(preset))
    assert status == 1 and "1/batch" in blocks[("grad W1", "grad W1")]["diagnosis"]
    w2 = w - 0.1 * summed / 2  # the second iteration's u1 = x·W1⁺ + b1⁺
    b2 = -0.1 * (x @ w - d).sum() / 2
    text = f"u1 = {(x @ w2 + b2).tolist()}\n"
    assert compare(capsys, tmp_path, text, str(preset), "--iteration", "2")[0] == 0
    assert compare(capsys, tmp_path, text, str(preset))[0] == 1


def test_nothing_identified_is_not_a_match(capsys, tmp_path: Path) -> None:
    status, blocks = compare(capsys, tmp_path, "*** 出力合計 ***\n1.0\n\n")
    assert status == 1 and [b["quantity"] for b in blocks.values()] == [None]


def test_text_report_in_both_languages(capsys, tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text(notebook_1_2("sign") + "*** \x1b[31mred ***\n1.5\n\n", "utf-8")
    assert main(["compare", "course-1_2", str(path)]) == 1
    out = capsys.readouterr().out
    assert "✗ 偏微分_dE/du2 → delta2" in out and "sign is flipped" in out
    assert "\x1b" not in out and "\\x1b[31mred" in out  # a label's control characters, escaped
    assert main(["--lang", "ja", "compare", "course-1_2", str(path)]) == 1
    assert "符号が逆です" in capsys.readouterr().out


def test_bad_input_is_one_line(capsys, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "huge.txt").write_text("E = " + "9" * 5000 + "\n*** W1 ***\n[[[1]]]\n\n", "utf-8")
    (tmp_path / "many.txt").write_text("".join(f"E = {i}.5\n" for i in range(200_000)), "utf-8")
    (tmp_path / "deep.txt").write_text("*** W1 ***\n" + "[" * 5000 + "1" + "]" * 5000 + "\n")
    cases = [
        "/dev/zero",
        str(fifo),
        str(tmp_path),
        str(tmp_path / "missing.txt"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "junk.bin"),
        str(tmp_path / "huge.txt"),
        str(tmp_path / "many.txt"),
        str(tmp_path / "deep.txt"),
    ]
    for case in cases:
        assert main(["compare", "course-1_2", case]) == EXIT_BAD_INPUT, case
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and err.startswith("tui-nn: "), (case, err)
    capsys.readouterr()
    main(["compare", "course-1_2", str(tmp_path / "empty.txt")])
    assert "print_vec" in capsys.readouterr().err  # says what was expected
