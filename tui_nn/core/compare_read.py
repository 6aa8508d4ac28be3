"""Reading what a student's program printed: the course's `print_vec` blocks and `name = value`.

`print_vec(text, vec)` in the course's notebooks prints `*** text ***`, then the array as NumPy
prints it (possibly over several lines), then a blank line. Plain lines `name = value` and
`name: value` are read too. Each value keeps the number of digits it was printed with, so it is
compared at the precision the student saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tui_nn.core.errors import config_error
from tui_nn.core.limits import MB, file_size, open_regular

#: A number as Python or NumPy prints it (1, -0.5, 1.5e-07, 3., nan and inf are not numbers here).
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
HEADER = re.compile(r"^\s*\*{3}\s*(.*?)\s*\*{3}\s*$")
ASSIGN = re.compile(r"^\s*([^=:\s][^=:]{0,80}?)\s*[=:]\s*(\S.*)$")
#: More numbers than this in one block and it is not what the course's examples print.
MAX_VALUES = 100_000
MAX_LABEL = 80
#: What one iteration of a course-sized network prints is a few kilobytes; a bigger file is
#: not a program's output for one iteration (and would cost seconds and memory to scan).
MAX_PRINTED_MB = 4


def read_printed(path: Path | str) -> str:
    """The text of a regular file of at most MAX_PRINTED_MB (undecodable bytes replaced);
    raises ConfigError naming the file for a special file, a folder or a bigger file."""
    limit = MAX_PRINTED_MB * MB
    with open_regular(path) as f:
        raw = f.read(limit + 1) if file_size(f) <= limit else b""
        size = max(file_size(f), len(raw))
    if size > limit:
        mb = f"{size / MB:,.1f}"
        raise config_error("compare_err_too_big", size=mb, most=MAX_PRINTED_MB, file=str(path))
    return raw.decode("utf-8", errors="replace")


@dataclass
class Block:
    """One printed value: its label, the numbers, and half a unit in the last printed digit."""

    label: str
    values: np.ndarray
    tolerance: np.ndarray
    line: int  # 1-based line of the label


def _tolerance(token: str) -> float:
    """Half a unit in the last digit `token` was printed with (0.5 for an integer)."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def parse_array(text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """A scalar, a 1-D or a 2-D array as NumPy prints it; None for anything else."""
    text = text.strip()
    if not text or "..." in text or len(text) > 40 * MAX_VALUES:
        return None
    depth = len(text) - len(text.lstrip("["))
    if depth > 2 or text.count("[") != text.count("]"):
        return None
    rows = re.findall(r"\[([^\[\]]*)\]", text) if depth == 2 else [text.strip("[]")]
    parsed = [NUMBER.findall(r) for r in rows]
    leftover = re.sub(NUMBER, "", re.sub(r"[\[\],\s]", " ", text)).strip()
    if leftover or not parsed or not parsed[0] or len({len(r) for r in parsed}) != 1:
        return None
    if sum(len(r) for r in parsed) > MAX_VALUES:
        return None
    values = np.array([[float(v) for v in r] for r in parsed])
    tol = np.array([[_tolerance(v) for v in r] for r in parsed])
    if not np.isfinite(values).all():
        return None
    if depth == 0 and values.size == 1:
        return values.reshape(()), tol.reshape(())
    if depth < 2:
        return values.reshape(-1), tol.reshape(-1)
    return values, tol


def read_blocks(text: str, most: int | None = None) -> list[Block]:
    """Every print_vec block and every `name = value` line that holds numbers, in order;
    with `most`, it stops after most + 1 of them (enough to say there are too many)."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines) and (most is None or len(blocks) <= most):
        if m := HEADER.match(lines[i]):
            body, j = [], i + 1
            while j < len(lines) and lines[j].strip():
                body.append(lines[j])
                j += 1
            if (arr := parse_array("\n".join(body))) is not None:
                blocks.append(Block(m[1][:MAX_LABEL], *arr, i + 1))
            i = j
            continue
        if (m := ASSIGN.match(lines[i])) and (found := _assignment(lines, i, m[2])) is not None:
            arr, end = found
            blocks.append(Block(m[1].strip()[:MAX_LABEL], *arr, i + 1))
            i = end
            continue
        i += 1
    return blocks


def _assignment(lines: list[str], i: int, value: str):
    """The value of `name = value`, following an array's lines until its brackets close."""
    body, j = [value], i + 1
    while sum(b.count("[") - b.count("]") for b in body) > 0:
        if j >= len(lines) or j - i > 1000:
            return None
        body.append(lines[j])
        j += 1
    arr = parse_array("\n".join(body))
    return (arr, j) if arr is not None else None
