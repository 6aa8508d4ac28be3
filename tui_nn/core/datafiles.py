"""Data from files: a local CSV, the iris and digits sets shipped with tui-nn, and MNIST from
its standard IDX files. Nothing is downloaded: a missing file gets a message saying where
to put it.

Standardisation uses the mean and standard deviation of the training split only, so the test
split stays unseen; the same map is kept on the Dataset (`featurize`) for plots.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import struct
import zlib
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from tui_nn.core.checks import flag, integer, one_of, text
from tui_nn.core.csvdata import class_indices, read_table
from tui_nn.core.data import DataContext, Dataset, source, split, targets
from tui_nn.core.datasets import name_list, ratio, read_keys
from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.limits import check_bytes, check_values, file_size, open_regular
from tui_nn.core.paths import user_path

EXTRA_HINT = "pip install 'tui-nn[datasets]'"


class Standardizer:
    """x ↦ (x − mean) / std with the training split's statistics (std 0 is taken as 1)."""

    def __init__(self, x_train: np.ndarray) -> None:
        self.mean = x_train.mean(axis=0)
        std = x_train.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.std


def _extent(x: np.ndarray) -> tuple[tuple[float, float], ...]:
    """Each column's range with 5% margin, for plots over the data."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = np.maximum((hi - lo) * 0.05, 1e-9)
    return tuple((float(a - p), float(b + p)) for a, b, p in zip(lo, hi, pad, strict=True))


def table_dataset(
    x: np.ndarray,
    y: np.ndarray,
    ctx: DataContext,
    *,
    names: list[str],
    class_names: list[str] | None,
    standardize: bool,
    test_ratio: float,
    seed: int,
) -> Dataset:
    """Split (seeded), optionally standardise, and build targets: class indices when
    `class_names` is given, else values for regression."""
    x_train, y_train, x_test, y_test = split(x, y.reshape(-1, 1), test_ratio, seed)
    if class_names is None:
        d_train, d_test, n_classes = y_train.astype(np.float64), y_test.astype(np.float64), None
    else:
        d_train, n_classes = targets(y_train[:, 0].astype(np.int64), ctx.n_outputs, "data")
        d_test, _ = targets(y_test[:, 0].astype(np.int64), ctx.n_outputs, "data")
    scale = Standardizer(x_train) if standardize else None
    return Dataset(
        scale(x_train) if scale else x_train,
        d_train,
        scale(x_test) if scale else x_test,
        d_test,
        n_classes,
        names,
        class_names or [],
        raw_train=x_train if scale else None,
        raw_test=x_test if scale else None,
        featurize=scale,
        extent=_extent(x),
    )


# ---- CSV -------------------------------------------------------------------------------------


def read_csv_text(body: str, file: str, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    """Header and rows of CSV text; blank lines are skipped, ragged rows are an error."""
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [c.strip() for c in row]
            elif len(row) != len(header):
                raise config_error(
                    "err_csv_ragged",
                    n=len(row),
                    want=len(header),
                    file=file,
                    field=f"line {reader.line_num}",
                )
            else:
                rows.append([c.strip() for c in row])
    except csv.Error as e:
        raise config_error(
            "err_csv_invalid", detail=e, file=file, field=f"line {reader.line_num}"
        ) from None
    if header is None or not rows:
        raise config_error("err_csv_empty", file=file)
    return header, rows


def numeric_column(header: list[str], rows: list[list[str]], name: str, file: str) -> np.ndarray:
    """One column as float64; the first non-number names its line (1 = header)."""
    j = header.index(name)
    out = np.empty(len(rows))
    for i, row in enumerate(rows):
        try:
            out[i] = float(row[j])
        except ValueError:
            key = "err_csv_cell_empty" if not row[j] else "err_csv_cell_number"
            cell = {"column": repr(name), "value": repr(row[j])}
            raise config_error(key, **cell, file=file, field=f"data row {i + 1}") from None
        if not np.isfinite(out[i]):
            cell = {"column": repr(name), "value": repr(row[j])}
            raise config_error("err_csv_cell_finite", **cell, file=file, field=f"data row {i + 1}")
    return out


def _resolve(path: str, ctx: DataContext) -> Path:
    try:
        return user_path(path, ctx.base_dir)
    except ConfigError as e:
        raise e.located(field="data.path") from None


@source("csv")
def csv_source(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """A local CSV file with a header line; `path` is relative to the preset file."""
    k = read_keys(
        spec,
        "csv",
        {
            "path": (text, None),
            "target": (text, None),
            "features": (name_list, None),
            "task": (one_of("classification", "regression"), "classification"),
            "standardize": (flag, False),
            "delimiter": (text, ","),
            "test_ratio": (ratio, 0.2),
            "seed": (integer(0), 0),
        },
    )
    for key in ("path", "target"):
        if k[key] is None:
            raise config_error("err_csv_missing", field=f"data.{key}")
    if len(k["delimiter"]) != 1 or k["delimiter"] in '"\r\n':
        raise config_error("err_csv_delimiter", got=repr(k["delimiter"]), field="data.delimiter")
    table = read_table(
        _resolve(k["path"], ctx),
        delimiter=k["delimiter"],
        target=k["target"],
        features=k["features"],
        numeric=k["task"] == "regression",
    )
    return table_dataset(
        table.x,
        table.y,
        ctx,
        names=table.names,
        class_names=table.classes,
        standardize=k["standardize"],
        test_ratio=k["test_ratio"],
        seed=k["seed"],
    )


# ---- iris and digits: shipped files, or scikit-learn ------------------------------------------


def shipped_file(name: str) -> Path | None:
    """A data file shipped in tui_nn/datasets/, or None when it is not installed."""
    p = resources.files("tui_nn") / "datasets" / name
    return Path(str(p)) if p.is_file() else None


def _from_sklearn(loader: str):
    try:
        from sklearn import datasets as skd
    except ImportError:
        raise config_error("err_sklearn_missing", hint=EXTRA_HINT, field="data.source") from None
    return getattr(skd, loader)()


def load_iris_table() -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Iris: x (150 × 4, cm), class indices, feature names, class names."""
    path = shipped_file("iris.csv")
    if path is None:
        b = _from_sklearn("load_iris")
        names = [n.replace(" (cm)", "").replace(" ", "_") for n in b.feature_names]
        return b.data, b.target, names, list(b.target_names)
    header, rows = read_csv_text(path.read_text("utf-8"), str(path))
    x = np.stack([numeric_column(header, rows, c, str(path)) for c in header[:-1]], axis=1)
    y, classes = class_indices([r[-1] for r in rows])
    return x, y, header[:-1], classes


def load_digits_table() -> tuple[np.ndarray, np.ndarray]:
    """Digits: x (1797 × 64, pixel values 0..16), the digit of each row."""
    path = shipped_file("digits.csv.gz")
    if path is None:
        b = _from_sklearn("load_digits")
        return b.data, b.target
    _, rows = read_csv_text(gzip.decompress(path.read_bytes()).decode("ascii"), str(path))
    table = np.array(rows, dtype=np.float64)
    return table[:, :-1], table[:, -1].astype(np.int64)


SPLIT_KEYS = {"test_ratio": (ratio, 0.2), "seed": (integer(0), 0)}


@source("iris")
def iris(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """Fisher's iris: 4 measurements in cm, 3 species; standardised by default."""
    k = read_keys(spec, "iris", {**SPLIT_KEYS, "standardize": (flag, True)})
    x, y, names, classes = load_iris_table()
    return table_dataset(
        x,
        y,
        ctx,
        names=names,
        class_names=classes,
        standardize=k["standardize"],
        test_ratio=k["test_ratio"],
        seed=k["seed"],
    )


@source("digits")
def digits(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """8×8 handwritten digits, pixels scaled from 0..16 to 0..1 (or standardised)."""
    k = read_keys(spec, "digits", {**SPLIT_KEYS, "standardize": (flag, False)})
    x, y = load_digits_table()
    names = [f"p{r}{c}" for r in range(8) for c in range(8)]
    return table_dataset(
        x / 16.0,
        y,
        ctx,
        names=names,
        class_names=[str(i) for i in range(10)],
        standardize=k["standardize"],
        test_ratio=k["test_ratio"],
        seed=k["seed"],
    )


# ---- MNIST from IDX files -----------------------------------------------------------------------

IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (gzipped or not) as an array of the shape its header gives. The declared
    size is checked against the data limit before the data is read, and a gzip stream is
    inflated only up to that size plus one byte, so a bomb stops early."""
    file = str(path)
    with open_regular(path) as f:
        check_bytes(file_size(f), file=file)
        gzipped = f.read(2) == b"\x1f\x8b"
        f.seek(0)
        try:
            return _idx_body(gzip.GzipFile(fileobj=f) if gzipped else f, file)
        except (OSError, EOFError, zlib.error) as e:
            if not gzipped:
                raise config_error("err_unreadable", why=e, file=file) from None
            raise config_error("err_idx_gzip", detail=e, file=file) from None


def _idx_body(f: BinaryIO, file: str) -> np.ndarray:
    magic = f.read(4)
    if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] not in IDX_TYPES:
        raise config_error("err_idx_start", file=file)
    ndim = magic[3]
    head = f.read(4 * ndim)
    if len(head) < 4 * ndim:
        raise config_error("err_idx_cut", ndim=ndim, file=file)
    dims = struct.unpack(f">{ndim}I", head)
    dtype = np.dtype(IDX_TYPES[magic[2]])
    want = math.prod(dims) * dtype.itemsize  # Python ints: no overflow to 0
    # A zero among the sizes makes no data, but the others must still fit: (0, 2**31, 2**31)
    # is no shape NumPy can make.
    check_bytes(math.prod(max(n, 1) for n in dims) * dtype.itemsize, file=file)
    body = f.read(want + 1)
    if len(body) != want:
        n = len(body) if len(body) < want else f"more than {want}"
        raise config_error("err_idx_size", n=n, dims=dims, want=want, file=file)
    return np.frombuffer(body, dtype).reshape(dims)


MNIST_FILES = {
    "train_x": "train-images-idx3-ubyte",
    "train_y": "train-labels-idx1-ubyte",
    "test_x": "t10k-images-idx3-ubyte",
    "test_y": "t10k-labels-idx1-ubyte",
}


def find_mnist(folder: Path) -> dict[str, Path]:
    """The four MNIST files in `folder` (or its MNIST/raw), gzipped or not."""
    found = {}
    for key, stem in MNIST_FILES.items():
        dotted = stem.replace("-idx", ".idx")
        for d in (folder, folder / "MNIST" / "raw"):
            for name in (stem, stem + ".gz", dotted, dotted + ".gz"):
                if key not in found and (d / name).is_file():
                    found[key] = d / name
    missing = [MNIST_FILES[k] + ".gz" for k in MNIST_FILES if k not in found]
    if missing:
        key = "err_mnist_missing" if folder.is_dir() else "err_mnist_no_folder"
        raise config_error(key, folder=folder, files=", ".join(missing), field="data.path")
    return found


def _mnist_part(
    files: dict[str, Path], part: str, limit: int | None
) -> tuple[np.ndarray, np.ndarray]:
    x, y = read_idx(files[f"{part}_x"]), read_idx(files[f"{part}_y"])
    if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
        raise config_error("err_mnist_shapes", x=x.shape, y=y.shape, file=str(files[f"{part}_x"]))
    if not np.issubdtype(y.dtype, np.integer):  # 0.7 would become class 0 without a word
        raise config_error("err_mnist_label_type", dtype=y.dtype.name, file=str(files[f"{part}_y"]))
    if y.size and (y.min() < 0 or y.max() > 9):
        raise config_error("err_mnist_labels", file=str(files[f"{part}_y"]))
    if part == "train" and len(x) == 0:
        raise config_error("err_mnist_empty", file=str(files["train_x"]))
    n = len(x) if limit is None else min(limit, len(x))
    check_values(x[:n].size, file=str(files[f"{part}_x"]))
    # Not reshape(n, -1): NumPy cannot infer the -1 for 0 images.
    pixels = x[:n].reshape(n, x.shape[1] * x.shape[2]).astype(np.float64)
    pixels /= 255.0  # in place: one float64 copy of the images, not two
    return pixels, y[:n].astype(np.int64)


@source("mnist")
def mnist(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """MNIST from the four IDX files at `path`; pixels scaled to 0..1; the first n_train /
    n_test images when given."""
    k = read_keys(
        spec,
        "mnist",
        {"path": (text, None), "n_train": (integer(1), None), "n_test": (integer(0), None)},
    )
    if k["path"] is None:
        raise config_error("err_mnist_path", field="data.path")
    files = find_mnist(_resolve(k["path"], ctx))
    x_train, y_train = _mnist_part(files, "train", k["n_train"])
    x_test, y_test = _mnist_part(files, "test", k["n_test"])
    d_train, n_classes = targets(y_train, ctx.n_outputs, "data")
    d_test, _ = targets(y_test, ctx.n_outputs, "data")
    names = [f"pixel{i}" for i in range(x_train.shape[1])]
    return Dataset(x_train, d_train, x_test, d_test, n_classes, names, [str(i) for i in range(10)])
