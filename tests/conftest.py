"""Shared fixtures. Tests run from any directory; presets are found through the engine.

Tests live in tests/core, tests/app, tests/cli and tests/serve, by the package they test; what
several of them share is in the tests/helpers package (`from helpers.pilot import aio, until`),
including the checks on what the screen draws (a text field on top and in view, its label
whole): `from helpers.onscreen import assert_typing_visible, every_size_and_language`.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

#: Each test gets a settings file of its own that does not exist yet (TUI_NN_CONFIG): the
#: user's own settings never change a test, and one test's never change the next one's. Set in
#: a hook, not a fixture, so Hypothesis tests and the app processes tests start inherit it.
CONFIG_ROOT = Path(tempfile.mkdtemp(prefix="tui-nn-test-config-"))
_config_numbers = itertools.count()
os.environ["TUI_NN_CONFIG"] = str(CONFIG_ROOT / "session.toml")


def pytest_runtest_setup(item: pytest.Item) -> None:
    os.environ["TUI_NN_CONFIG"] = str(CONFIG_ROOT / f"{next(_config_numbers)}" / "config.toml")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A filtered run that selects nothing is not a failure of the code under test.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK
    shutil.rmtree(CONFIG_ROOT, ignore_errors=True)
