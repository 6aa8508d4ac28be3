"""The README's screenshots are the ones scripts/screenshots.py makes, and each is there."""

from __future__ import annotations

import importlib.util
import re

from helpers import ROOT


def test_every_screenshot_is_made_by_the_script_and_shown_in_the_readme() -> None:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    readme = set(re.findall(r"\(docs/([\w-]+\.svg)\)", (ROOT / "README.md").read_text("utf-8")))
    assert readme == set(script.SHOTS)
    for name in readme:
        svg = (ROOT / "docs" / name).read_text("utf-8")
        assert svg.startswith("<svg") and "tui-nn" in svg
