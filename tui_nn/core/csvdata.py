"""A CSV data file read in one pass: the numbers go straight into a flat float64 buffer, so
memory stays near 8 bytes a value (a list of Python strings per cell took 20 times the file's
size), and columns are found through a dict, so 100,000 columns cost no more than their cells.
"""

from __future__ import annotations

import csv
import io
import math
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tui_nn.core.errors import config_error
from tui_nn.core.limits import check_bytes, check_values, file_size, max_bytes, open_data

#: Columns an error message lists before it says how many more there are.
LISTED = 20


@dataclass
class Table:
    """The chosen feature columns (rows × features) and the target column: numbers for
    regression, else the label of each row as a class index with the class names."""

    names: list[str]
    x: np.ndarray
    y: np.ndarray
    classes: list[str] | None


def class_indices(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Class labels (text or numbers) as indices 0..K-1: numbers in numeric order, text in
    alphabetical order; the names are the labels as written."""
    try:
        keys: list[Any] = [float(v) for v in values]
    except ValueError:
        keys = list(values)
    names: dict[Any, str] = {}
    for k, v in zip(keys, values, strict=True):
        names.setdefault(k, v)
    order = sorted(names)
    index = {k: i for i, k in enumerate(order)}
    return np.array([index[k] for k in keys], dtype=np.int64), [names[k] for k in order]


def listed(names: list[str]) -> str:
    """At most LISTED names, then how many more (a header can have 100,000)."""
    more = len(names) - LISTED
    return ", ".join(names[:LISTED]) + (f", ... ({more:,} more)" if more > 0 else "")


def _columns(header: list[str], wanted: list[str], key: str, file: str) -> list[int]:
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name, i)  # the first of two equal names, as a search would find
    for name in wanted:
        if name not in index:
            raise config_error(
                "err_csv_no_column",
                path=file,
                name=repr(name),
                columns=listed(header),
                field=f"data.{key}",
            )
    return [index[name] for name in wanted]


def _number(cell: str, column: str, row: int, file: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        key = "err_csv_cell_empty" if not cell.strip() else "err_csv_cell_number"
        cell_of = {"column": repr(column), "value": repr(cell.strip())}
        raise config_error(key, **cell_of, file=file, field=f"data row {row}") from None
    if value - value != 0:  # inf or NaN
        cell_of = {"column": repr(column), "value": repr(cell.strip())}
        raise config_error("err_csv_cell_finite", **cell_of, file=file, field=f"data row {row}")
    return value


class _Reader:
    """Fills flat buffers row by row, and stops once the data limit would be passed. The
    target is a number per row (regression) or the index of its label in first-seen order."""

    def __init__(
        self, file: str, names: list[str], cols: list[int], target: tuple[str, int], numeric: bool
    ) -> None:
        self.file, self.names, self.cols = file, names, cols
        self.target, self.numeric = target, numeric
        self.x, self.y = array("d"), array("d")
        self.labels: dict[str, int] = {}
        self.max_values = max_bytes() // 8
        self.rows = 0

    def add(self, row: list[str], width: int, line: int) -> None:
        if len(row) != width:
            raise config_error(
                "err_csv_ragged", n=len(row), want=width, file=self.file, field=f"line {line}"
            )
        self.rows += 1
        try:
            values = [float(row[j]) for j in self.cols]
            # One sum spots an inf or NaN among them (finite values cannot overflow fsum).
            ok = math.isfinite(math.fsum(values))
        except (ValueError, OverflowError):
            ok = False
        if not ok:  # find the first bad cell and say which
            for name, j in zip(self.names, self.cols, strict=True):
                _number(row[j], name, self.rows, self.file)
        self.x.extend(values)
        name, j = self.target
        cell = row[j]
        if self.numeric:
            self.y.append(_number(cell, name, self.rows, self.file))
        else:
            self.y.append(self.labels.setdefault(cell.strip(), len(self.labels)))
        if len(self.x) + len(self.y) > self.max_values:
            check_values(len(self.x) + len(self.y), file=self.file, field="data.path")

    def table(self) -> Table:
        if not self.rows:
            raise config_error("err_csv_empty", file=self.file)
        x = np.frombuffer(self.x, dtype=np.float64).reshape(self.rows, len(self.cols))
        y = np.frombuffer(self.y, dtype=np.float64)
        if self.numeric:
            return Table(self.names, x, y, None)
        order, classes = class_indices(list(self.labels))
        return Table(self.names, x, order[y.astype(np.int64)], classes)


def read_table(
    path: Path, *, delimiter: str, target: str, features: list[str] | None, numeric: bool
) -> Table:
    """The CSV at `path` (header line, then rows; blank lines skipped, ragged rows an error)."""
    file = str(path)
    with open_data(path) as raw:
        check_bytes(file_size(raw), file=file)
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        try:
            rows = (row for row in reader if any(cell.strip() for cell in row))
            header = [c.strip() for c in next(rows, [])]
            if not header:
                raise config_error("err_csv_empty", file=file)
            names = features or [c for c in header if c != target]
            (t,) = _columns(header, [target], "target", file)
            cols = _columns(header, names, "features", file)
            fill = _Reader(file, names, cols, (target, t), numeric)
            for row in rows:
                fill.add(row, len(header), reader.line_num)
        except csv.Error as e:
            field = f"line {reader.line_num}"
            raise config_error("err_csv_invalid", detail=e, file=file, field=field) from None
        except UnicodeDecodeError as e:
            raise config_error(
                "err_data_not_utf8", path=path, detail=e, field="data.path"
            ) from None
    return fill.table()
