"""Reading an .npz archive that somebody else may have written, without trusting its sizes.

`np.load` allocates each array at the shape its header declares before reading a byte, and
inflates members as large as they claim; an archive of a few kilobytes can declare a shape of
2**40 or inflate to gigabytes of zeros. Here every member's declared shape must match its
stored size, and both must fit the data limit, before anything is read. Nothing is unpickled.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from typing import IO

import numpy as np
from numpy.lib import format as npy

from tui_nn.core.errors import config_error
from tui_nn.core.limits import check_bytes, check_values, file_size, open_regular

#: The dtypes a weight may have: signed and unsigned integers, and floats.
NUMERIC_KINDS = "iuf"


def read_npz(path: Path | str) -> dict[str, np.ndarray]:
    """The arrays of the .npz at `path` by name (member name without .npy), read-only views.

    Raises ConfigError (file = path): not a regular file, not an .npz, a member that is not
    .npy or whose header does not match its size, Python objects, non-numbers, over the limit.
    """
    file = str(path)
    with open_regular(path) as f:
        check_bytes(file_size(f), file=file)
        if f.read(4) != b"PK\x03\x04":  # an .npz is a zip archive of .npy files
            raise config_error("err_not_npz", file=file)
        f.seek(0)
        try:
            with zipfile.ZipFile(f) as z:
                infos = z.infolist()
                check_bytes(sum(i.file_size for i in infos), file=file)
                return {_name(i.filename, file): _member(z, i, file) for i in infos}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
            raise config_error("err_not_npz", file=file) from None
        except NotImplementedError:  # a compression method zipfile does not know
            raise config_error("err_not_npz", file=file) from None


def _name(member: str, file: str) -> str:
    if not member.endswith(".npy"):
        raise config_error("err_npz_member", name=repr(member), file=file)
    return member[: -len(".npy")]


def _member(z: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> np.ndarray:
    name = _name(info.filename, file)
    with z.open(info) as m:
        shape, fortran, dtype = _header(m, name, file)
        count = math.prod(shape)
        check_values(count, file=file)  # as float64, which the weights become
        want = m.tell() + count * dtype.itemsize
        if want != info.file_size:
            raise config_error(
                "err_npz_member_size",
                name=name,
                shape=shape,
                want=want,
                n=info.file_size,
                file=file,
            )
        body = m.read(count * dtype.itemsize)
    return np.frombuffer(body, dtype).reshape(shape, order="F" if fortran else "C")


def _header(m: IO[bytes], name: str, file: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    """Shape, Fortran order and dtype from the .npy header, read before any data."""
    try:
        version = npy.read_magic(m)
        read = {(1, 0): npy.read_array_header_1_0, (2, 0): npy.read_array_header_2_0}[version]
        shape, fortran, dtype = read(m)
        if any(n < 0 for n in shape):
            raise ValueError(shape)
    except (ValueError, KeyError, EOFError, SyntaxError, TypeError):
        raise config_error("err_npz_member_header", name=name, file=file) from None
    if dtype.hasobject:
        raise config_error("err_npz_objects", file=file)
    if dtype.kind not in NUMERIC_KINDS:
        raise config_error("err_npz_dtype", name=name, dtype=dtype, file=file)
    return tuple(int(n) for n in shape), bool(fortran), dtype
