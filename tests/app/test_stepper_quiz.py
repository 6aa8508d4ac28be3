"""Quiz mode's score sheet on Mazur's 2-2-2 example: every answer checked (step, what was
asked, the answer, the verdict) is kept, counted on screen, and `e` saves it with the
iteration as Markdown; a later answer built on the student's own wrong value is marked as
carried forward."""

from __future__ import annotations

import math

from textual.widgets import Input

from helpers.onscreen import drawn
from helpers.pilot import aio
from helpers.stepper import StepperApp, panel_text, type_text


async def answer(pilot, text: str) -> None:
    await pilot.press("c")
    if text.isascii():
        await type_text(pilot, text)
    else:  # what an IME hands the terminal in one go (the pilot has no keys for "．")
        pilot.app.screen.query_one(Input).insert_text_at_cursor(text)
    await pilot.press("enter")


@aio
async def test_quiz_keeps_a_score_sheet_and_saves_it_to_hand_in(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        await answer(pilot, "0.3776")  # net_h1 = 0.3775
        await answer(pilot, "0.3775")  # right: on to out_h1 = 0.593269992
        await answer(pilot, "0.5932")  # cut off, not rounded
        assert "Truncated, not rounded" in panel_text(app)
        await answer(pilot, "0.5933")  # right: on to net_h2 = 0.3925
        await answer(pilot, "0.4925")  # a slip the student does not see ...
        await pilot.press("n")  # ... and goes on: out_h2 from that value
        carried = 1 / (1 + math.exp(-0.4925))
        await answer(pilot, f"{carried:.6f}")
        text = panel_text(app)
        assert "exactly what your earlier net_h2 = 0.4925 leads to" in text
        assert "Score sheet: 2 of 6 answers right" in text
        await pilot.press("e")
        assert "Save the score sheet and this iteration" in drawn(app.screen)
        await pilot.press("enter")  # the name asked for: the usual one, as typed in
        await pilot.pause()
    sheet = (tmp_path / "mazur-2-2-2-iteration-1-quiz.md").read_text("utf-8")
    head, _, iteration = sheet.partition("\n---\n")
    rows = [line for line in head.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Step | What is computed | Asked | Answer given | Verdict |"
    assert len(rows) == 7  # the header and six answers, in the order given
    assert rows[1].startswith("| 1 | Total input of h1 | net\\_h1 | 0.3776 |")
    assert "| 2 |" in rows[3] and "Truncated, not rounded" in rows[3]
    assert rows[6].startswith("| 4 |") and f"{carried:.6f}" in rows[6]
    assert "net\\_h2 = 0.4925" in rows[6]
    assert "**2 of 6 answers right.**" in head
    assert "0.082167041" in iteration and "$$" in iteration  # then the iteration in full


@aio
async def test_the_sheet_in_japanese_and_a_fresh_one_each_iteration(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = StepperApp(lang="ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await answer(pilot, "０．３７７５")  # full-width, as a Japanese IME types it
        assert "1 問中 1 問正解" in panel_text(app)
        await pilot.press("e", "enter")  # the name asked for: the usual one, as typed in
        await pilot.pause()
        await pilot.press("i")  # the next iteration starts a new sheet
        await pilot.pause()
        assert "問正解" not in panel_text(app)
    sheet = (tmp_path / "mazur-2-2-2-iteration-1-quiz-ja.md").read_text("utf-8")
    assert "| ステップ | 計算する量 | 問い | 答え | 判定 |" in sheet
    assert "| 1 | " in sheet and "０．３７７５" in sheet and "正解" in sheet


def test_a_hostile_answer_stays_inert_in_the_sheet() -> None:
    from tui_nn.app.stepper.quiz import cell

    assert cell("1|2`x`<b>$x$\n# h") == "1\\|2\\`x\\`\\<b\\>\\$x\\$ \\# h"
