"""The stepper's "compare with my program": o asks for the file, each step is marked ✓ or ✗ against
what the student's program printed, and the prompt is seen whole at both sizes and languages."""

from __future__ import annotations

from pathlib import Path

from tui_nn.app.stepper.bars import StepList
from tui_nn.app.stepper.panel import StepPanel
from tui_nn.i18n import t

from helpers.course import notebook_1_2
from helpers.onscreen import assert_typing_visible, every_size_and_language
from helpers.pilot import aio
from helpers.stepper import StepperApp


@every_size_and_language
@aio
async def test_compare_prompt_shows_its_label_and_the_path_typed(lang, size) -> None:
    app = StepperApp(lang, preset="course-1_2")
    async with app.run_test(size=size) as pilot:
        await pilot.press("o", *"my.txt")
        await assert_typing_visible(pilot, "my.txt", t("stepper_prompt_compare", lang))


async def compare(pilot, name: str) -> None:
    """Type the file's name (relative to the working folder: the test runs in its tmp_path,
    so a few keys, not the 60 of an absolute path, each waited on by Pilot) and Enter."""
    await pilot.press("o", *name, "enter")
    await pilot.pause()


@aio
async def test_each_step_is_marked_against_the_students_program(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    right, wrong = tmp_path / "right.txt", tmp_path / "wrong.txt"
    right.write_text(notebook_1_2(), "utf-8")
    wrong.write_text(notebook_1_2("sigma_prime"), "utf-8")
    app = StepperApp("en", preset="course-1_2")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await compare(pilot, right.name)
        marks = screen.marks
        assert marks and all(marks.values())
        assert {"forward.u.1.0", "loss.total", "backward.delta.1.2", "backward.dW.1.1.2"} <= set(
            marks
        )
        assert "✓ net_h1 = 1.2" in str(screen.query_one(StepList).render())
        assert "same number" in str(screen.query_one(StepPanel).render())
        await compare(pilot, wrong.name)  # δ1 with d_sigmoid(z1): δ1, ∂E/∂W1, ∂E/∂b1 and W1⁺ differ
        bad = {k for k, ok in screen.marks.items() if not ok}
        assert "backward.delta.1.0" in bad and "backward.dW.1.0.0" in bad
        assert screen.marks["backward.delta.2.0"] and screen.marks["forward.z.2.1"]
        assert app.trainer.step_count == 0  # comparing never moves the trainer


@aio
async def test_a_file_it_cannot_use_is_one_notice(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.txt").write_text("", "utf-8")
    app = StepperApp("en", preset="course-1_2")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for name in ("empty.txt", "missing.txt", "."):
            await compare(pilot, name)
            assert screen.marks == {}
        assert app.screen is screen
