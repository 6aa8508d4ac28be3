"""The wheel a user installs (pip, pipx, uv tool): its metadata says what pyproject.toml
promises, it has the console script, and the presets and translations are inside it.

Built once per run with hatchling, the project's build backend, without build isolation (so
no download); skipped when hatchling is not installed (it is in the `test` extra).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from email.message import Message
from email.parser import Parser

import pytest

from helpers import ROOT

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None, reason="hatchling is not installed"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation"]
    done = subprocess.run([*cmd, "-q", "-w", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("tui_nn-*.whl")
    with zipfile.ZipFile(built) as z:
        yield z


def metadata(wheel: zipfile.ZipFile) -> Message:
    name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    return Parser().parsestr(wheel.read(name).decode("utf-8"))


def test_metadata_says_what_the_project_promises(wheel: zipfile.ZipFile) -> None:
    meta = metadata(wheel)
    assert meta["Name"] == "tui-nn" and meta["Requires-Python"] == ">=3.11"
    classifiers = set(meta.get_all("Classifier"))
    assert {
        "Environment :: Console",
        "Intended Audience :: Education",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
        "Natural Language :: English",
        "Natural Language :: Japanese",
    } <= classifiers
    requires = meta.get_all("Requires-Dist")
    assert "textual==8.2.8" in requires  # pinned exactly: snapshots depend on it
    assert any(r.startswith("platformdirs") for r in requires)
    assert not any(r.startswith("torch") for r in requires)  # the --torch script's, not ours
    assert {"serve", "datasets", "test"} <= set(meta.get_all("Provides-Extra"))
    assert "backpropagation" in meta["Keywords"]


def test_console_script_and_package_data(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    lines = wheel.read(entry).decode("utf-8").splitlines()
    assert "[console_scripts]" in lines and "tui-nn = tui_nn.cli:main" in lines
    shipped = {p.name for p in (ROOT / "presets").glob("*.toml")}
    inside = {n.rsplit("/", 1)[1] for n in names if n.startswith("tui_nn/presets/")}
    assert shipped and shipped <= inside
    translations = {p.name for p in (ROOT / "tui_nn" / "i18n").glob("*.toml")}
    assert {n.rsplit("/", 1)[1] for n in names if n.startswith("tui_nn/i18n/")} >= translations
    assert "tui_nn/app/app.tcss" in names
    assert not any(n.startswith("tests/") for n in names)
