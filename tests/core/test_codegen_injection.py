"""Generated scripts from hostile presets: every string from a preset or a CSV file (names,
descriptions, feature names, CSV header cells and class labels, the output's own name) is
text in the script, never code. Each payload, were it to escape its string or comment, would
create a marker file; the script is run in its own folder and must create none, and still
print the engine's errors E."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tui_nn.cli import main
from tui_nn.core import Trainer, codegen, codegen_base, load
from tui_nn.core.safe_text import file_stem, visible

from helpers.codegen import MARK, PAYLOADS, csv_preset, inline_preset


def run_alone(script: Path) -> list[float]:
    """Run the script in its own folder; the E values it printed."""
    done = subprocess.run(
        [sys.executable, script.name],
        cwd=script.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [float(line.split("E = ")[1]) for line in done.stdout.splitlines() if "t = " in line]


def engine_losses(preset: Path) -> np.ndarray:
    trainer = Trainer(load(str(preset)))
    trainer.run(trainer.cfg.epochs * trainer.steps_per_epoch)
    return trainer.steps.column("loss")


@pytest.mark.parametrize("kind", ["inline", "csv"])
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_no_string_from_a_preset_runs_as_code(payload, kind, tmp_path, monkeypatch) -> None:
    text = PAYLOADS[payload]
    preset = tmp_path / "evil.toml"
    make = inline_preset(text) if kind == "inline" else csv_preset(tmp_path, text)
    preset.write_text(make, "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    for lang in ("en", "ja"):
        # Without -o the script is named after the preset, cleaned, in the current folder.
        assert main(["--lang", lang, "code", str(preset), "--print-every", "1", "--force"]) == 0
        script = out / f"{file_stem(load(str(preset)).name)}.py"
        assert sorted(p.name for p in out.iterdir()) == [script.name]
        losses = run_alone(script)
        assert not list(out.rglob(f"{MARK}*")) and not list(tmp_path.rglob(f"{MARK}*"))
        np.testing.assert_allclose(losses, engine_losses(preset), rtol=1e-9, atol=0)
        source = script.read_text("utf-8")
        # The payload did reach the script, as text: the docstring reads back as the name.
        assert ast.get_docstring(ast.parse(source)).startswith(visible(text.strip()) or "x")
        if kind == "inline":
            assert f"# x: {visible(text)}" in source
        script.unlink()


@pytest.mark.parametrize("payload", ["triple-double", "newline", "double-quote", "single-quote"])
def test_the_companion_file_name_is_a_literal(payload, tmp_path, monkeypatch) -> None:
    """With -o naming the script, its data file's name (made from it) goes into the script."""
    monkeypatch.setattr(codegen_base, "EMBED_LIMIT", 2)
    preset = tmp_path / "p.toml"
    preset.write_text(inline_preset("plain"), "utf-8")
    name = PAYLOADS[payload].replace("/", "_") + ".py"
    script = tmp_path / name
    trainer = Trainer(load(str(preset)))
    written = codegen.write_code(script, trainer, print_every=1)
    assert len(written) == 2 and written[1].name == f"{script.stem}_data.npz"
    losses = run_alone(script)
    assert not list(tmp_path.rglob(f"{MARK}*"))
    np.testing.assert_allclose(losses, engine_losses(preset), rtol=1e-9, atol=0)


def test_file_stem_stays_in_the_folder() -> None:
    assert file_stem("/abs/path/x") == "abs-path-x"
    assert file_stem("../../etc/passwd") == "etc-passwd"
    assert file_stem("-rf") == "rf"
    assert file_stem("誤差逆伝播法") == "experiment"
    assert file_stem("mazur-2-2-2") == "mazur-2-2-2"
    assert len(file_stem("a" * 5000)) == 100


@pytest.mark.parametrize("payload", ["newline", "carriage-return", "triple-double"])
def test_an_exported_preset_keeps_the_name_as_text(payload, tmp_path) -> None:
    """The name goes into the exported preset's header comment too: it stays one line, and
    the file reads back with the name exactly as it was and no section of the payload's."""
    import tomllib

    from tui_nn.core.export import write_preset

    text = PAYLOADS[payload] + "\n[train]\nlr = 100\n"
    preset = tmp_path / "p.toml"
    preset.write_text(inline_preset(text), "utf-8")
    out = write_preset(tmp_path / "out.toml", load(str(preset)))[0]
    doc = tomllib.loads(out.read_text("utf-8"))
    assert doc["preset"]["name"] == text and doc["train"]["epochs"] == 5
    assert doc["train"]["lr"] == 0.1


def program_shape(source: str) -> str:
    """The program without its text and data: the AST with every string and float constant
    blanked (comments are not in the AST at all; the CSV's class order moves the one-hot
    rows). Equal shapes: the same code, whatever the texts say."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str | float):
            node.value = type(node.value)()
    return ast.dump(tree)


@pytest.mark.parametrize("generator", ["numpy", "torch"])
@pytest.mark.parametrize("kind", ["inline", "csv"])
def test_hostile_texts_leave_the_program_unchanged(generator, kind, tmp_path) -> None:
    """Both generators (the PyTorch one cannot be run here without torch): a script from a
    preset full of payloads is, past its texts, the very program of a plain preset."""
    from tui_nn.core.codegen_torch import generate_torch_code

    generate = codegen.generate_code if generator == "numpy" else generate_torch_code

    def shape(text: str, folder: Path) -> str:
        folder.mkdir()
        preset = folder / "p.toml"
        made = inline_preset(text) if kind == "inline" else csv_preset(folder, text)
        preset.write_text(made, "utf-8")
        source = generate(Trainer(load(str(preset))), lang="ja", print_every=1).source
        return program_shape(source)

    plain = shape("plain", tmp_path / "plain")
    for name, text in PAYLOADS.items():
        assert shape(text, tmp_path / name) == plain, name
