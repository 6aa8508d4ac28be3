"""The experiment as a notebook: `tui-nn code PRESET --notebook` writes nbformat-4 JSON whose
code cells, run in order in a fresh interpreter, print the engine's errors E to 1e-9, with a
Markdown cell of formulas per stage in the student's language; strings from a hostile preset
stay text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Trainer, codegen_base, load
from tui_nn.core.compare_read import read_blocks
from tui_nn.core.notebook import STAGES, write_notebook

from helpers.codegen import (
    CASES,
    LINE,
    MARK,
    PAYLOADS,
    csv_preset,
    engine_run,
    final_value,
    inline_preset,
)


def read(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def cells_of(nb: dict, kind: str) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def validate(path: Path) -> None:
    """Against nbformat's own schema, when nbformat is installed (an optional test dependency)."""
    try:
        import nbformat
    except ImportError:
        return
    nbformat.validate(nbformat.read(str(path), as_version=4))


def run_cells(path: Path) -> tuple[np.ndarray, str]:
    """The notebook's code cells, concatenated in order, run in its folder: (E values, output)."""
    program = "\n\n".join(cells_of(read(path), "code")) + "\n"
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = [LINE.match(line) for line in done.stdout.splitlines()]
    return np.array([float(m.group(2)) for m in lines if m]), done.stdout


@pytest.mark.parametrize(
    "case", ["softmax-relu-momentum", "tanh-leaky-adam", "identity-mse-nesterov-f32"]
)
def test_notebook_prints_the_engines_losses(case: str, tmp_path: Path) -> None:
    preset = tmp_path / f"{case}.toml"
    preset.write_text(CASES[case], "utf-8")
    path = tmp_path / "experiment.ipynb"
    assert write_notebook(path, Trainer(load(str(preset))), print_every=1) == [path]
    losses, out = run_cells(path)
    expected, final = engine_run(Trainer(load(str(preset))))
    assert len(expected) > 10
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)
    assert final_value(out, "training data", "E") == pytest.approx(final["train_loss"], rel=1e-9)
    printed = {b.label: b for b in read_blocks(out)}
    initial = Trainer(load(str(preset))).initial
    for name, value in initial.items():
        block = printed[name]
        assert np.all(np.abs(block.values - value) <= block.tolerance), name


def test_mazur_notebook_in_japanese_from_the_command_line(tmp_path: Path, monkeypatch) -> None:
    """Without -o: PRESET.ipynb in the current folder; E_total 0.298371109 at the start."""
    monkeypatch.chdir(tmp_path)
    args = ["--lang", "ja", "code", "mazur-2-2-2", "--notebook", "--print-every", "1"]
    assert main(args) == 0
    path = tmp_path / "mazur-2-2-2.ipynb"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    losses, out = run_cells(path)
    expected, _ = engine_run(Trainer(load("mazur-2-2-2")))
    assert losses[0] == pytest.approx(0.298371109, abs=5e-10)
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)
    assert final_value(out, "訓練データ", "E") == pytest.approx(3.510187782978859e-05, rel=1e-9)
    # The initial parameters, printed as the course's print_vec prints them (Mazur's values).
    printed = {b.label: b.values.ravel().tolist() for b in read_blocks(out)}
    assert printed["重み1"] == [0.15, 0.25, 0.2, 0.3] and printed["バイアス1"] == [0.35, 0.35]
    assert printed["重み2"] == [0.4, 0.5, 0.45, 0.55] and printed["バイアス2"] == [0.6, 0.6]
    markdown = "\n".join(cells_of(read(path), "markdown"))
    for text in ("## 順伝播", "## 誤差逆伝播法", "## 学習のループ", "W ← W − η g"):
        assert text in markdown, text
    assert "Forward propagation" not in markdown


def test_big_data_goes_to_the_companion_npz(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(codegen_base, "EMBED_LIMIT", 2)
    preset = tmp_path / "p.toml"
    preset.write_text(CASES["sigmoid-bce-rmsprop"], "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = ["code", str(preset), "--notebook", "--print-every", "1", "-o", str(out / "nb.ipynb")]
    assert main(args) == 0
    assert sorted(p.name for p in out.iterdir()) == ["nb.ipynb", "nb_data.npz"]
    assert "__file__" not in "".join(cells_of(read(out / "nb.ipynb"), "code"))
    losses, _ = run_cells(out / "nb.ipynb")
    expected, _ = engine_run(Trainer(load(str(preset))))
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)


def test_the_json_has_nbformat_4_structure(tmp_path: Path) -> None:
    path = tmp_path / "m.ipynb"
    write_notebook(path, Trainer(load("mazur-2-2-2")))
    nb = read(path)
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5
    assert nb["metadata"]["kernelspec"]["language"] == "python"
    assert nb["metadata"]["language_info"]["name"] == "python"
    for cell in nb["cells"]:
        assert cell["cell_type"] in ("markdown", "code") and cell["metadata"] == {}
        assert isinstance(cell["source"], list) and all(isinstance(s, str) for s in cell["source"])
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert len({c["id"] for c in nb["cells"]}) == len(nb["cells"])
    markdown = cells_of(nb, "markdown")
    # The preset's title, then one per stage (the update of sgd has no code of its own) but the
    # forward-only one.
    assert len(markdown) == 1 + len(STAGES) - 1
    assert markdown[1].startswith("## Settings") and markdown[-1].startswith("## Result")
    assert r"u_l = z_{l-1} W_l + b_l" in markdown[4] and "y = z_2" in markdown[4]
    assert r"\frac{1}{2} \sum_{k} (y_{nk} - d_{nk})^2" in markdown[5]


def test_the_json_validates_against_the_nbformat_schema(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    path = tmp_path / "m.ipynb"
    write_notebook(path, Trainer(load("mazur-2-2-2")), lang="ja")
    nbformat.validate(nbformat.read(str(path), as_version=4))


def test_notebook_and_torch_together_are_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["code", "mazur-2-2-2", "--notebook", "--torch"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--notebook" in err and "--torch" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["inline", "csv"])
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_no_string_from_a_preset_runs_in_the_notebook(payload, kind, tmp_path) -> None:
    preset = tmp_path / "evil.toml"
    make = inline_preset if kind == "inline" else lambda p: csv_preset(tmp_path, p)
    preset.write_text(make(PAYLOADS[payload]), "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    path = out / "evil.ipynb"
    assert main(["code", str(preset), "--notebook", "--print-every", "1", "-o", str(path)]) == 0
    validate(path)
    losses, _ = run_cells(path)
    assert not list(tmp_path.rglob(f"{MARK}*"))
    expected, _ = engine_run(Trainer(load(str(preset))))
    np.testing.assert_allclose(losses, expected, rtol=1e-9, atol=0)
    # The name is the title's one line, whatever line breaks it held.
    name = cells_of(read(path), "markdown")[0].split("\n\n")[0]
    assert name.startswith("# ") and len(name.splitlines()) == 1


def test_preset_text_shows_in_markdown_as_written_never_as_html(tmp_path: Path) -> None:
    preset = tmp_path / "p.toml"
    text = inline_preset("plain").replace(
        'name = "plain"', 'name = "<img src=x onerror=alert(1)> & *b*"'
    )
    preset.write_text(text, "utf-8")
    path = tmp_path / "p.ipynb"
    write_notebook(path, Trainer(load(str(preset))))
    validate(path)
    title = cells_of(read(path), "markdown")[0].split("\n\n")[0]
    assert title == "# &lt;img src=x onerror=alert(1)&gt; &amp; *b*"
