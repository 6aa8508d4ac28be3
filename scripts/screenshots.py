"""Make the README's screenshots (docs/*.svg) from the app itself, so they stay true.

    python scripts/screenshots.py            # all of them, into docs/
    python scripts/screenshots.py --out DIR  # somewhere else

Each one is the real app driven headless (Textual's `App.run_test`, as the snapshot tests),
paused after an exact number of updates so the numbers are the same on every machine, and
saved with `App.export_screenshot`. A settings file of its own (TUI_NN_CONFIG in a temporary
folder) keeps the user's theme, keys and language out of them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's tui_nn, not an installed one

SIZE = (120, 40)
Drive = Callable[[Pilot], Awaitable[None]]


async def until(pilot: Pilot, cond: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.02)


def after_steps(n: int) -> Drive:
    """Load, run exactly n updates, and wait for the paused snapshot."""

    async def drive(pilot: Pilot) -> None:
        from tui_nn.app import session as cmd

        app = pilot.app
        await until(pilot, lambda: app.main.state.snapshot is not None)
        app.main.session.send(cmd.RunSteps(n))
        await until(
            pilot,
            lambda: app.main.state.snapshot.step == n and app.main.state.snapshot.state == "paused",
        )
        await pilot.pause(0.3)

    return drive


def in_stepper(moves: int) -> Drive:
    """Open the backprop stepper on the first iteration and go `moves` steps into it."""

    async def drive(pilot: Pilot) -> None:
        from tui_nn.app.stepper import StepperScreen

        app = pilot.app
        await until(pilot, lambda: app.main.state.snapshot is not None)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        for _ in range(moves):
            await pilot.press("n")
        await pilot.pause(0.3)

    return drive


#: file name -> (preset, language, how to get there)
SHOTS: dict[str, tuple[str, str, Drive]] = {
    "main-en.svg": ("circle", "en", after_steps(300)),
    "stepper-en.svg": ("mazur-2-2-2", "en", in_stepper(12)),
    "main-ja.svg": ("circle", "ja", after_steps(300)),
    "stepper-ja.svg": ("mazur-2-2-2", "ja", in_stepper(12)),
}


async def shoot(preset: str, lang: str, drive: Drive) -> str:
    from tui_nn.app.main import make_app

    app = make_app(preset, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await drive(pilot)
        return app.export_screenshot(title=f"tui-nn {preset}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    os.environ["TUI_NN_CONFIG"] = str(Path(tempfile.mkdtemp()) / "config.toml")
    from tui_nn.core.files import write_text

    args.out.mkdir(parents=True, exist_ok=True)
    for name, (preset, lang, drive) in SHOTS.items():
        svg = asyncio.run(shoot(preset, lang, drive))
        print(write_text(args.out / name, svg, overwrite=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
