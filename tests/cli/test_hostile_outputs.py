"""Hostile places for every output `tui-nn` writes (`train --save`, `train --history`,
`code -o`): a device, a FIFO, a symlink, a folder, a read-only folder, a missing folder. Each
is refused before any training, in one line, even with --force, and nothing there changes;
`-` (standard output) still works. An output that fails after training does not stop the
others, and SIGTERM in the middle of a save leaves no hidden partial file. Each case runs in
a child with memory and time limits (tests/limited.py)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pytest

import tui_nn.core.weights
from tui_nn.core.files import ExportError

from helpers.limited import run_cli

OUTPUTS = {
    "save": ["train", "mazur-2-2-2", "--steps", "5", "--save"],
    "history": ["train", "mazur-2-2-2", "--steps", "5", "--history"],
    "code": ["code", "mazur-2-2-2", "-o"],
}


def read_only_folder(tmp: Path) -> Path | None:
    """A folder this process cannot create files in (root ignores modes: then /sys, if so)."""
    if os.geteuid() != 0:
        d = tmp / "read-only"
        d.mkdir()
        d.chmod(0o500)
        return d
    try:
        os.close(os.open("/sys/.tui-nn-probe", os.O_WRONLY | os.O_CREAT | os.O_EXCL))
    except OSError:
        return Path("/sys")
    os.unlink("/sys/.tui-nn-probe")
    return None


def state(d: Path) -> dict[str, tuple]:
    """Every entry of the folder: its kind, size and time, and where a symlink points."""
    out = {}
    for p in d.iterdir():
        st = p.lstat()
        out[p.name] = (st.st_mode, st.st_size, st.st_mtime_ns, p.is_symlink() and os.readlink(p))
    return out


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "mine.txt").write_text("kept", "utf-8")
    (tmp_path / "link").symlink_to("mine.txt")
    (tmp_path / "null-link").symlink_to("/dev/null")
    (tmp_path / "folder").mkdir()
    found = {
        "/dev/null": Path("/dev/null"),
        "fifo": tmp_path / "fifo",
        "symlink": tmp_path / "link",
        "symlink to /dev/null": tmp_path / "null-link",
        "folder": tmp_path / "folder",
        "missing folder": tmp_path / "missing" / "out",
    }
    ro = read_only_folder(tmp_path)
    if ro is not None:
        found["read-only folder"] = ro / "out"
    return found


WORDS = {
    "/dev/null": "not a regular file",
    "fifo": "not a regular file",
    "symlink": "not a regular file",
    "symlink to /dev/null": "not a regular file",
    "folder": "is a folder",
    "missing folder": "does not exist",
    "read-only folder": "cannot write here",
}


@pytest.mark.parametrize("output", OUTPUTS)
def test_every_output_refuses_every_bad_place_before_work(places, tmp_path, output) -> None:
    null = os.stat("/dev/null")
    for name, target in places.items():
        before = state(tmp_path)
        r = run_cli([*OUTPUTS[output], str(target), "--force"], tmp_path)
        assert r.refused(), (name, r)
        assert WORDS[name] in r.lines[0] and str(target) in r.lines[0], (name, r.lines)
        assert state(tmp_path) == before, name
    assert (tmp_path / "mine.txt").read_text("utf-8") == "kept"
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev) == (null.st_mode, null.st_rdev)


def test_a_read_only_save_is_found_before_training_and_nothing_is_written(places, tmp_path):
    if "read-only folder" not in places:
        pytest.skip("no folder here refuses new files to this user")
    argv = ["train", "xor", "--steps", "100000", "--history", "h.csv"]
    r = run_cli([*argv, "--save", str(places["read-only folder"])], tmp_path)
    assert r.refused() and r.seconds < 10  # 100,000 steps would take far longer
    assert not (tmp_path / "h.csv").exists()


def test_stdout_is_still_the_dash(tmp_path: Path) -> None:
    r = run_cli(["code", "mazur-2-2-2", "-o", "-"], tmp_path)
    assert r.status == 0 and "import numpy as np" in r.out
    r = run_cli(["train", "mazur-2-2-2", "--steps", "2", "--history", "-"], tmp_path)
    assert r.status == 0 and r.out.splitlines()[0].startswith("step,epoch,lr")


def test_an_output_that_fails_after_training_does_not_stop_the_others(monkeypatch, tmp_path):
    """The disk refuses the weights after training (here: the writer fails as a full disk
    would): the history is still written, the failure said in one line, status 2."""

    def full_disk(path, params, *, overwrite=False):
        raise ExportError("export_cannot_write", path=path, reason="No space left on device")

    monkeypatch.setattr("tui_nn.cli.train.save_weights", full_disk)
    argv = ["train", "mazur-2-2-2", "--steps", "3", "--save", "w.npz", "--history", "h.csv"]
    r = run_cli(argv, tmp_path)  # the child is forked with the failing writer
    failed = [line for line in r.lines if line.startswith("tui-nn:")]
    assert r.status == 2 and failed == ["tui-nn: w.npz: cannot write (No space left on device)"]
    assert "Traceback" not in r.err
    rows = (tmp_path / "h.csv").read_text("utf-8").splitlines()
    assert rows[0].startswith("step,") and rows[-1].startswith("3,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv"]


def test_sigterm_during_a_save_removes_the_partial_file(monkeypatch, tmp_path: Path) -> None:
    """SIGTERM arrives while the weights are half written: the run ends with 128 + 15 and
    neither the hidden temporary file nor a half file is left, as after ctrl+c."""
    real = np.savez

    def half_then_term(f, **arrays):
        f.write(b"PK\x03\x04 half an archive")
        f.flush()
        os.kill(os.getpid(), signal.SIGTERM)
        real(f, **arrays)

    monkeypatch.setattr(tui_nn.core.weights.np, "savez", half_then_term)
    r = run_cli(["train", "mazur-2-2-2", "--steps", "2", "--save", "w.npz"], tmp_path)
    assert r.status == 128 + signal.SIGTERM and "Traceback" not in r.err
    assert list(tmp_path.iterdir()) == []
