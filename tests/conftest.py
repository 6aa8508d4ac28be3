"""Shared fixtures. Tests run from any directory; presets are found through the engine.

Checks on what the screen draws (a text field on top and in view, its label whole) live in
tests/onscreen.py: `from onscreen import assert_typing_visible, every_size_and_language`.
"""

from __future__ import annotations

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A filtered run that selects nothing is not a failure of the code under test.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK
