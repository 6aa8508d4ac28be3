"""What several test modules share: driving the app (`pilot`), the stepper host (`stepper`), the
export dialog host (`export`), the boundary host (`boundary`), the worker thread (`worker`),
generated-code cases (`codegen`), data files written to the format (`files`), the course's
printed output (`course`), checks on what the screen draws (`onscreen`) and a CLI run under
memory and CPU limits (`limited`). Test modules import from here, never from each other."""

from __future__ import annotations

from pathlib import Path

#: The repository's root (this file is tests/helpers/__init__.py).
ROOT = Path(__file__).resolve().parents[2]
