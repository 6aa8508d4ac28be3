"""The experiment as code: the generated NumPy script, run on its own in a subprocess, prints
the engine's per-step errors E to 1e-9, for presets covering every optimizer, loss/output
pairing, hidden activation, batch schedule, lr decay, weight decay, freezing and dtype."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Trainer, codegen_base, load
from tui_nn.core.codegen import generate_code, write_code
from tui_nn.core.codegen_base import nice_print_every
from tui_nn.core.files import ExportError

from helpers.codegen import CASES, X, engine_run, final_value, run_script


def code_shape(source: str) -> str:
    """The program without its comments and text: the AST with every string emptied."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree)


@pytest.mark.parametrize("case", sorted(CASES))
def test_script_prints_the_engines_losses(case: str, tmp_path: Path) -> None:
    preset_file = tmp_path / f"{case}.toml"
    preset_file.write_text(CASES[case], "utf-8")
    script = tmp_path / "experiment.py"
    write_code(script, Trainer(load(str(preset_file))), print_every=1)
    steps, losses, out = run_script(script)
    expected, final = engine_run(Trainer(load(str(preset_file))))
    assert len(expected) > 10
    np.testing.assert_array_equal(steps, np.arange(1, len(expected) + 1))
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)
    assert final_value(out, "training data", "E") == pytest.approx(final["train_loss"], rel=1e-9)
    if final["test_loss"] is not None:
        assert final_value(out, "test data", "E") == pytest.approx(final["test_loss"], rel=1e-9)
        assert final_value(out, "test data", "accuracy") == final["test_accuracy"]


def test_mazur_script_reproduces_the_worked_example(tmp_path: Path) -> None:
    """The worked example for 10,000 updates: E_total 0.298371109 at the start (Mazur) and
    3.510187782978859e-05 after the last update, and every E in between as the engine."""
    script = tmp_path / "mazur.py"
    write_code(script, Trainer(load("mazur-2-2-2")), print_every=1)
    _steps, losses, out = run_script(script)
    expected, _ = engine_run(Trainer(load("mazur-2-2-2")))
    assert len(losses) == 10_000
    assert losses[0] == pytest.approx(0.298371109, abs=5e-10)
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)
    assert final_value(out, "training data", "E") == pytest.approx(3.510187782978859e-05, rel=1e-9)


def test_script_reads_like_the_course(tmp_path: Path) -> None:
    """Course names and lines, NumPy only, and the worked example's weights written out."""
    source = generate_code(Trainer(load("mazur-2-2-2")), file_name="mazur.py").source
    for line in (
        "network['W1'] = np.array([",
        "[0.15, 0.25],",
        "u1 = np.dot(x, W1) + b1",
        "z1 = sigmoid(u1)",
        "y = sigmoid(u2)",
        "delta2 = (y - d) * d_sigmoid(y) / n",
        "delta1 = np.dot(delta2, W2.T) * d_sigmoid(z1)",
        "grad['W1'] = np.dot(x.T, delta1)",
        "grad['b2'] = np.sum(delta2, axis=0)",
        "network[key] -= lr * grad[key]",
        "frozen = ['b1', 'b2']",
    ):
        assert line in source, line
    tree = ast.parse(source)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"numpy", "pathlib"}


def test_japanese_comments_and_the_same_numbers(tmp_path: Path) -> None:
    preset_file = tmp_path / "p.toml"
    preset_file.write_text(CASES["softmax-relu-momentum"], "utf-8")
    trainer = Trainer(load(str(preset_file)))
    en = generate_code(trainer, lang="en", print_every=1).source
    ja = generate_code(trainer, lang="ja", print_every=1).source
    assert "# 学習率 η" in ja and "順伝播" in ja and "誤差逆伝播法" in ja
    assert "learning rate" not in ja and "学習率" not in en
    assert code_shape(en) == code_shape(ja)  # only comments and text differ
    script = tmp_path / "ja.py"
    script.write_text(ja, "utf-8")
    _, losses_ja, out = run_script(script)
    expected, _ = engine_run(Trainer(load(str(preset_file))))
    np.testing.assert_allclose(losses_ja, expected, rtol=1e-9, atol=0)
    assert "訓練データ" in out and "正答率" in out


def test_big_data_goes_to_a_companion_npz(tmp_path: Path, monkeypatch) -> None:
    preset_file = tmp_path / "p.toml"
    preset_file.write_text(CASES["tanh-leaky-adam"], "utf-8")
    monkeypatch.setattr(codegen_base, "EMBED_LIMIT", 10)
    written = write_code(tmp_path / "big.py", Trainer(load(str(preset_file))), print_every=1)
    assert [p.name for p in written] == ["big.py", "big_data.npz"]
    with np.load(written[1], allow_pickle=False) as f:
        assert sorted(f.files) == ["d_test", "d_train", "x_test", "x_train"]
        np.testing.assert_array_equal(f["x_train"], np.array(X))
    assert "[0.9, 0.1]" not in written[0].read_text("utf-8")
    _, losses, _ = run_script(written[0])
    expected, _ = engine_run(Trainer(load(str(preset_file))))
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)


def test_nice_print_every() -> None:
    assert [nice_print_every(n) for n in (0, 20, 21, 40, 41, 100, 101, 10_000, 10_001)] == [
        1,
        1,
        2,
        2,
        5,
        5,
        10,
        500,
        1000,
    ]


def test_cli_code_writes_refuses_and_forces(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["code", "mazur-2-2-2", "--set", "train.epochs=30", "--print-every", "10"]) == 0
    target = tmp_path / "mazur-2-2-2.py"
    assert f"wrote {target}\n" == capsys.readouterr().err
    steps, _losses, _ = run_script(target)
    assert list(steps) == [1, 10, 20, 30]
    target.write_text("# mine\n", "utf-8")
    assert main(["code", "mazur-2-2-2"]) == 2
    err = capsys.readouterr().err
    assert err == "tui-nn: mazur-2-2-2.py already exists; add --force to overwrite it\n"
    assert target.read_text("utf-8") == "# mine\n"
    assert main(["code", "mazur-2-2-2", "--force", "-o", "mazur-2-2-2.py"]) == 0
    assert "u1 = np.dot(x, W1) + b1" in target.read_text("utf-8")


def test_cli_code_to_stdout_in_japanese(capsys) -> None:
    assert main(["--lang", "ja", "code", "mazur-2-2-2", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('"""誤差逆伝播法 2-2-2 の例題') and "# ---- 順伝播" in out and err == ""
    compile(out, "<generated>", "exec")


def test_an_existing_script_stops_the_companion_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(codegen_base, "EMBED_LIMIT", 10)
    (tmp_path / "big.py").write_text("# mine\n", "utf-8")
    with pytest.raises(ExportError, match=r"big\.py already exists"):
        write_code(tmp_path / "big.py", Trainer(load("mazur-2-2-2")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.py"]
