"""Data files written from the format's description (IDX: two zero bytes, type code 0x08, the
number of dimensions, big-endian sizes, then the bytes), independently of the reader under test."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np


def idx_bytes(a: np.ndarray) -> bytes:
    return (
        bytes([0, 0, 0x08, a.ndim])
        + struct.pack(f">{a.ndim}I", *a.shape)
        + a.astype(">u1").tobytes()
    )


def write_idx(path: Path, a: np.ndarray, gz: bool) -> None:
    raw = idx_bytes(a)
    path.write_bytes(gzip.compress(raw) if gz else raw)


def write_mnist(
    folder: Path,
    n_train: int = 12,
    n_test: int = 5,
    side: int = 28,
    gz: bool = True,
    dotted: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n_train + n_test, side, side), dtype=np.uint8)
    labels = np.arange(n_train + n_test, dtype=np.uint8) % 10
    parts = {"train": slice(0, n_train), "t10k": slice(n_train, None)}
    for part, sl in parts.items():
        for kind, a, dims in (("images", images[sl], 3), ("labels", labels[sl], 1)):
            name = f"{part}-{kind}-idx{dims}-ubyte"
            if dotted:
                name = name.replace("-idx", ".idx")
            write_idx(folder / (name + (".gz" if gz else "")), a, gz)
    return images, labels
