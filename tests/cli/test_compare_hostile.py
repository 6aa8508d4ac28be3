"""`tui-nn compare` and the stepper's "compare with my program" read a file a stranger may have
made: special files, a huge file, too many values, control characters, 5,000-digit numbers, deep
brackets, NUL bytes. Each gives one line naming the file (exit 2) or a plain comparison; never a
traceback, a hang or an escape sequence on the terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui_nn.cli import main
from tui_nn.core import compare_read
from tui_nn.core.compare_read import read_blocks

PRESET = "course-1_1e"


def compare(capsys, path: Path | str) -> tuple[int, str, str]:
    status = main(["compare", PRESET, str(path)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder"])
def test_special_files_are_refused_at_once(tmp_path: Path, capsys, kind: str) -> None:
    path = {"dev-zero": Path("/dev/zero"), "fifo": tmp_path / "f", "folder": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes to it: reading would wait for ever
    status, out, err = compare(capsys, path)
    assert status == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"tui-nn: {path}: ")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(compare_read, "MAX_PRINTED_MB", 1)
    path = tmp_path / "big.txt"
    path.write_text("*** 出力 ***\n[[1.0 2.0]]\n\n" + "E = 0.5\n" * 200_000, "utf-8")
    status, out, err = compare(capsys, path)
    assert status == 2 and out == "" and "1.6 MB, more than the 1 MB" in err


def test_too_many_values_stop_the_reading_early(tmp_path: Path, capsys) -> None:
    text = "".join(f"E = {i}\n" for i in range(50_000))
    assert len(read_blocks(text, most=1000)) == 1001  # not 50,000: it stops at once
    path = tmp_path / "many.txt"
    path.write_text(text, "utf-8")
    status, _out, err = compare(capsys, path)
    assert status == 2 and "more than 1000 printed values" in err and err.count("\n") == 1


def test_control_characters_in_labels_are_shown_escaped(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ctrl.txt"
    path.write_text(
        "*** \x1b[31m重み1\x1b]0;pwn\x07\u202e ***\n[[0.1 0.3 0.5]\n [0.2 0.4 0.6]]\n\n"
    )
    status, out, _err = compare(capsys, path)
    assert status == 0 and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b[31m" in out and "W1" in out


def test_long_numbers_deep_brackets_and_nul_bytes(tmp_path: Path, capsys) -> None:
    """A 5,000-digit number is read as a float (inf is not a value: it is left out); brackets
    nested 100,000 deep are not an array; NUL bytes are text like any other."""
    path = tmp_path / "odd.txt"
    path.write_bytes(
        (
            "E = " + "9" * 5000 + "\n"
            "W1 = 0." + "1" * 5000 + "\n"
            "*** W2 ***\n" + "[" * 100_000 + "1" + "]" * 100_000 + "\n\n"
            "*** y ***\n[[2.0\x00 4.0]]\n\n"
        ).encode()
    )
    status, out, err = compare(capsys, path)
    assert status == 1 and err == ""  # W1 = 0.111… is not W1: a plain mismatch
    assert "W1" in out and "W2" not in out


def test_an_empty_or_binary_file_says_what_was_expected(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bin.dat"
    path.write_bytes(bytes(range(256)) * 100)
    status, out, err = compare(capsys, path)
    assert status == 2 and out == "" and "print_vec" in err and err.count("\n") == 1
