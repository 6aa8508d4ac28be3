"""Data from files: CSV, IDX / MNIST (on small files the tests write), iris and digits.

The IDX writer here follows the format description (two zero bytes, type code 0x08, the number
of dimensions, big-endian sizes, then the bytes), independently of the reader under test.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np
import pytest

from tui_nn.core import ConfigError, Trainer, datafiles, load
from tui_nn.core.data import DataContext
from tui_nn.core.datafiles import read_idx
from tui_nn.core.preset_data import load_data

from helpers.files import idx_bytes, write_idx, write_mnist

IRIS = "a,b,species\n1,10,setosa\n2,20,virginica\n3,30,setosa\n4,40,versicolor\n5,50,setosa\n"


def csv_data(tmp_path: Path, body: str, n_outputs: int = 3, **keys):
    (tmp_path / "t.csv").write_text(body, encoding="utf-8")
    spec = {"source": "csv", "path": "t.csv", **keys}
    return load_data(spec, DataContext(n_outputs, base_dir=tmp_path, file="p.toml"))


def csv_error(tmp_path: Path, body: str, **keys) -> ConfigError:
    with pytest.raises(ConfigError) as e:
        csv_data(tmp_path, body, **keys)
    return e.value


# ---- CSV ----------------------------------------------------------------------------------------


def test_csv_string_labels_in_alphabetical_order(tmp_path: Path) -> None:
    data = csv_data(tmp_path, IRIS, target="species", test_ratio=0)
    assert data.class_names == ["setosa", "versicolor", "virginica"]
    assert data.feature_names == ["a", "b"]
    # test_ratio 0 keeps every row; rows are shuffled, so match each x to its label.
    by_a = {row[0]: d.argmax() for row, d in zip(data.x_train, data.d_train, strict=True)}
    assert by_a == {1: 0, 2: 2, 3: 0, 4: 1, 5: 0}


def test_csv_numeric_labels_in_numeric_order(tmp_path: Path) -> None:
    body = "x,y\n1,10\n2,2\n3,1\n4,2.0\n"
    data = csv_data(tmp_path, body, target="y", test_ratio=0)
    assert data.class_names == ["1", "2", "10"]  # 2 and 2.0 are one class, named as first seen
    by_x = {row[0]: d.argmax() for row, d in zip(data.x_train, data.d_train, strict=True)}
    assert by_x == {1: 2, 2: 1, 3: 0, 4: 1}


def test_csv_standardises_with_training_statistics_only(tmp_path: Path) -> None:
    rows = "\n".join(f"{i},{i * i},{i % 2}" for i in range(40))
    data = csv_data(
        tmp_path,
        f"u,v,c\n{rows}\n",
        n_outputs=2,
        target="c",
        standardize=True,
        test_ratio=0.25,
        seed=3,
    )
    raw = data.points("train")
    np.testing.assert_allclose(data.x_train, (raw - raw.mean(0)) / raw.std(0))
    np.testing.assert_allclose(data.x_train.mean(0), 0, atol=1e-12)
    raw_test = data.points("test")
    np.testing.assert_allclose(data.x_test, (raw_test - raw.mean(0)) / raw.std(0))
    assert len(data.x_test) == 10


def test_csv_regression_and_chosen_features(tmp_path: Path) -> None:
    data = csv_data(
        tmp_path,
        "p,q,r\n1,2,3.5\n4,5,6.5\n",
        n_outputs=1,
        target="r",
        features=["q"],
        task="regression",
        test_ratio=0,
    )
    pairs = sorted(zip(data.x_train[:, 0], data.d_train[:, 0], strict=True))
    assert pairs == [(2.0, 3.5), (5.0, 6.5)] and data.n_classes is None


def test_csv_split_is_seeded(tmp_path: Path) -> None:
    rows = "\n".join(f"{i},{i % 3}" for i in range(30))
    a, b, c = (csv_data(tmp_path, f"x,c\n{rows}\n", target="c", seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert not np.array_equal(a.x_test, c.x_test)


def test_csv_path_is_relative_to_the_preset_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    rows = "\n".join(f"{i / 10},{-i / 10},{int(i > 10)}" for i in range(20))
    (tmp_path / "sub" / "pts.csv").write_text(f"x1,x2,label\n{rows}\n")
    preset = tmp_path / "p.toml"
    preset.write_text(
        '[network]\nlayers = [2, 1]\n[data]\nsource = "csv"\npath = "sub/pts.csv"\n'
        'target = "label"\n[train]\nlr = 0.5\n'
    )
    trainer = Trainer(load(str(preset)))
    assert trainer.n_train == 16 and trainer.data.class_names == ["0", "1"]


@pytest.mark.parametrize(
    ("body", "keys", "where", "reason"),
    [
        ("a,b\n1,2\n3\n", {}, "line 3", "has 1 values but the header has 2"),
        ("a,b\n1,2\nx,4\n", {}, "data row 2", "column 'a': 'x' is not a number"),
        ("a,b\n1,2\n,4\n", {}, "data row 2", "is empty"),
        ("a,b\n1,2\nnan,4\n", {}, "data row 2", "not finite"),
        ("a,b\n", {}, None, "has no data"),
        ("", {}, None, "has no data"),
    ],
)
def test_broken_csv_names_line_and_reason(tmp_path, body, keys, where, reason) -> None:
    e = csv_error(tmp_path, body, target="b", **keys)
    assert e.file.endswith("t.csv") and e.field == where and reason in e.reason


def test_csv_unknown_columns_and_missing_keys(tmp_path: Path) -> None:
    e = csv_error(tmp_path, IRIS, target="kind")
    assert e.field == "data.target" and "no column 'kind'" in e.reason and "species" in e.reason
    e = csv_error(tmp_path, IRIS, target="species", features=["a", "z"])
    assert e.field == "data.features" and "'z'" in e.reason
    e = csv_error(tmp_path, IRIS)
    assert e.field == "data.target" and "missing" in e.reason
    e = csv_error(tmp_path, IRIS, target="species", task="clustering")
    assert e.field == "data.task"


def test_csv_file_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        load_data(
            {"source": "csv", "path": "none.csv", "target": "y"},
            DataContext(2, base_dir=tmp_path, file="p.toml"),
        )
    assert (
        e.value.file == "p.toml"
        and e.value.field == "data.path"
        and "cannot be read" in e.value.reason
    )
    (tmp_path / "t.csv").write_bytes(b"a,b\n\xff\xfe,1\n")
    with pytest.raises(ConfigError) as e:
        load_data(
            {"source": "csv", "path": "t.csv", "target": "b"}, DataContext(2, base_dir=tmp_path)
        )
    assert "not UTF-8" in e.value.reason


def test_csv_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes("\ufeffa,c\n1,0\n\n2,1\n".encode())
    data = load_data(
        {"source": "csv", "path": "t.csv", "target": "c", "test_ratio": 0},
        DataContext(2, base_dir=tmp_path),
    )
    assert data.feature_names == ["a"] and len(data.x_train) == 2


def test_too_many_classes_for_the_outputs(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        csv_data(tmp_path, IRIS, n_outputs=2, target="species", test_ratio=0)
    assert "class 2" in e.value.reason and "2 outputs" in e.value.reason


# ---- IDX and MNIST ----------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_round_trip(tmp_path: Path, gz: bool) -> None:
    a = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "f", a, gz)
    np.testing.assert_array_equal(read_idx(tmp_path / "f"), a)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x00\x00\x08", "not an IDX file"),
        (b"PK\x03\x04" + b"\0" * 20, "not an IDX file"),
        (b"\x00\x00\x07\x01" + b"\0" * 8, "not an IDX file"),
        (bytes([0, 0, 8, 3, 0, 0]), "cut short inside its header"),
        (
            idx_bytes(np.zeros((2, 3), np.uint8))[:-1],
            "has 5 bytes of data but its header (2, 3) needs 6",
        ),
        (gzip.compress(idx_bytes(np.zeros(4, np.uint8)), mtime=0)[:-6], "broken gzip"),
    ],
)
def test_broken_idx_files(tmp_path: Path, raw: bytes, reason: str) -> None:
    (tmp_path / "f").write_bytes(raw)
    with pytest.raises(ConfigError) as e:
        read_idx(tmp_path / "f")
    assert reason in e.value.reason and e.value.file == str(tmp_path / "f")


def test_mnist_from_idx_files(tmp_path: Path) -> None:
    images, labels = write_mnist(tmp_path / "m", side=4)
    data = load_data({"source": "mnist", "path": str(tmp_path / "m")}, DataContext(10))
    assert data.x_train.shape == (12, 16) and data.x_test.shape == (5, 16)
    np.testing.assert_allclose(data.x_train[3], images[3].ravel() / 255)
    np.testing.assert_array_equal(data.d_test.argmax(1), labels[12:])
    assert data.class_names == [str(i) for i in range(10)]


def test_mnist_limits_and_other_layouts(tmp_path: Path) -> None:
    write_mnist(tmp_path / "MNIST" / "raw", side=4, gz=False, dotted=True)
    data = load_data(
        {"source": "mnist", "path": str(tmp_path), "n_train": 5, "n_test": 2}, DataContext(10)
    )
    assert len(data.x_train) == 5 and len(data.x_test) == 2


def test_mnist_missing_files_say_what_to_put_where(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        load_data({"source": "mnist", "path": "nowhere"}, DataContext(10, base_dir=tmp_path))
    assert e.value.field == "data.path" and "no such folder" in e.value.reason
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "train-images-idx3-ubyte.gz").write_bytes(b"")
    with pytest.raises(ConfigError) as e:
        load_data({"source": "mnist", "path": "m"}, DataContext(10, base_dir=tmp_path))
    assert "t10k-labels-idx1-ubyte.gz" in e.value.reason
    assert (
        "train-images-idx3-ubyte.gz" not in e.value.reason and "never downloads" in e.value.reason
    )


def test_mnist_mismatched_counts(tmp_path: Path) -> None:
    write_mnist(tmp_path, side=4)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(3, np.uint8), True)
    with pytest.raises(ConfigError) as e:
        load_data({"source": "mnist", "path": str(tmp_path)}, DataContext(10))
    assert "do not match" in e.value.reason


def test_mnist_preset_trains_on_small_files(tmp_path: Path) -> None:
    write_mnist(tmp_path, n_train=30, n_test=10)
    trainer = Trainer(load("mnist", [f'data.path="{tmp_path}"']))
    first = trainer.evaluate()["train_loss"]
    trainer.run(20)
    assert trainer.data.n_inputs == 784 and trainer.evaluate()["train_loss"] < first


def test_mnist_preset_without_files_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        Trainer(load("mnist", [f'data.path="{tmp_path / "x"}"']))
    assert e.value.file.endswith("mnist.toml") and e.value.field == "data.path"


# ---- iris and digits ----------------------------------------------------------------------------


def test_iris_shipped_file() -> None:
    data = load_data({"source": "iris", "test_ratio": 0, "standardize": False}, DataContext(3))
    assert data.x_train.shape == (150, 4)
    assert data.class_names == ["setosa", "versicolor", "virginica"]
    assert np.bincount(data.d_train.argmax(1)).tolist() == [50, 50, 50]
    # Fisher's table: the first flower is 5.1, 3.5, 1.4, 0.2 (setosa); column means (cm).
    assert [5.1, 3.5, 1.4, 0.2] in data.x_train.tolist()
    np.testing.assert_allclose(data.x_train.mean(0), [5.8433, 3.0573, 3.758, 1.1993], atol=1e-3)


def test_digits_shipped_file() -> None:
    data = load_data({"source": "digits", "test_ratio": 0.2}, DataContext(10))
    assert len(data.x_train) + len(data.x_test) == 1797 and data.n_inputs == 64
    x = np.concatenate([data.x_train, data.x_test])
    assert x.min() == 0 and x.max() == 1  # pixel counts 0..16 scaled by 1/16
    assert len(data.x_test) == round(1797 * 0.2)


def test_shipped_files_match_scikit_learn() -> None:
    skd = pytest.importorskip("sklearn.datasets")
    x, y, _, names = datafiles.load_iris_table()
    b = skd.load_iris()
    np.testing.assert_allclose(x, b.data)
    np.testing.assert_array_equal(y, b.target)
    assert names == list(b.target_names)
    x, y = datafiles.load_digits_table()
    b = skd.load_digits()
    np.testing.assert_array_equal(x, b.data)
    np.testing.assert_array_equal(y, b.target)


def test_missing_file_and_missing_extra_name_the_extra(monkeypatch) -> None:
    monkeypatch.setattr(datafiles, "shipped_file", lambda name: None)
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    for source, n in (("iris", 3), ("digits", 10)):
        with pytest.raises(ConfigError) as e:
            load_data({"source": source}, DataContext(n, file="p.toml"))
        assert "tui-nn[datasets]" in e.value.reason and e.value.file == "p.toml"
