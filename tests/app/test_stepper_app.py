"""The stepper screen driven by keys, on Mazur's 2-2-2 network: the numbers of the slides on
screen, the answer check, apply (the trainer's weights become the trace's), iteration 2 against
an independent float64 computation, export, and snapshots at 80×24 and 120×40 in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.app.stepper import StepperResult, StepperScreen
from tui_nn.app.stepper.export import ConfirmOverwrite
from tui_nn.app.stepper.panel import StepPanel
from tui_nn.app.stepper.weights import WeightTable
from tui_nn.core import Diverged

from helpers.pilot import aio
from helpers.stepper import StepperApp, panel_text, result_line, table_text, type_text


def seed_iteration(W1, b1, W2, b2, x, d, lr):
    """One iteration of Mazur's 2-2-2 sigmoid network written out on its own."""
    sig = lambda u: 1 / (1 + np.exp(-u))  # noqa: E731
    h = sig(x @ W1 + b1)
    y = sig(h @ W2 + b2)
    E = float(np.sum(0.5 * (d - y) ** 2))
    d2 = (y - d) * y * (1 - y)
    d1 = (W2 @ d2) * h * (1 - h)
    gW2, gW1 = np.outer(h, d2), np.outer(x, d1)
    return E, gW1, gW2, W1 - lr * gW1, W2 - lr * gW2


SEED = dict(
    W1=np.array([[0.15, 0.25], [0.20, 0.30]]),
    b1=np.array([0.35, 0.35]),
    W2=np.array([[0.40, 0.50], [0.45, 0.55]]),
    b2=np.array([0.60, 0.60]),
    x=np.array([0.05, 0.10]),
    d=np.array([0.01, 0.99]),
    lr=0.5,
)


async def to_dE_dw5(pilot) -> None:
    """Two phases on (error, then backward), six steps: ∂E_total/∂w5."""
    await pilot.press("right_square_bracket", "right_square_bracket")
    for _ in range(6):
        await pilot.press("n")


@aio
async def test_dE_dw5_and_its_three_factors_at_nine_digits() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")  # the slides' 9 significant digits
        await to_dE_dw5(pilot)
        screen = app.screen
        assert screen.cursor.step.id == "backward.dW.2.0.0"
        text = panel_text(app)
        assert "= 0.082167041" in text
        lines = text.splitlines()
        for value, symbol in [
            ("0.74136507", "∂E_total/∂out_o1"),
            ("0.186815602", "∂out_o1/∂net_o1"),
            ("0.593269992", "∂net_o1/∂w5"),
        ]:
            assert any(value in li and symbol in li for li in lines), (value, symbol)
        assert "grad['W2'] = np.dot(z1.T, delta2)" in text
        # The worksheet: w5's gradient is filled in, w6's not yet.
        rows = {li.split()[0]: li for li in table_text(app).splitlines()[1:]}
        assert "0.082167041" in rows["w5"] and "0.0826676" not in rows["w6"]


@aio
async def test_default_digits_are_fewer_and_the_toggle_goes_back() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await to_dE_dw5(pilot)
        assert "= 0.082167\n" in panel_text(app) + "\n"
        await pilot.press("d", "d")
        assert app.screen.trace.digits == 6 and app.screen.cursor.step.id == "backward.dW.2.0.0"


@aio
async def test_update_of_w5_then_apply_commits_the_traces_weights() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", "g")
        await type_text(pilot, "w5+")
        await pilot.press("enter")
        screen = app.screen
        assert screen.cursor.step.id == "update.W2.0.0"
        assert "w5⁺ = w5 - η·∂E_total/∂w5" in panel_text(app)
        assert "= 0.35891648" in panel_text(app)
        trace = screen.trace
        await pilot.press("a")
        await pilot.pause()
    W2 = app.trainer.net.params["W2"]
    assert np.array_equal(W2, trace.new_params["W2"])
    assert np.array_equal(app.trainer.net.params["W1"], trace.new_params["W1"])
    assert W2[0, 0] == pytest.approx(0.35891648, abs=5e-9)
    assert app.trainer.step_count == 1
    assert app.results == [StepperResult(applied=1, lang="en")]


@aio
async def test_apply_and_next_opens_iteration_two_as_computed_independently() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", "i")
        screen = app.screen
        assert screen.trace.iteration == 2 and screen.cursor.pos == 0
        _, _, _, W1, W2 = seed_iteration(**SEED)
        E2, _, gW2, _, W2_3 = seed_iteration(
            W1, SEED["b1"], W2, SEED["b2"], SEED["x"], SEED["d"], SEED["lr"]
        )
        await pilot.press("g")
        await type_text(pilot, "w5")
        await pilot.press("enter")
        assert result_line(app) == pytest.approx(gW2[0, 0], abs=5e-10)  # 9 decimals
        assert screen.trace.step("loss.total").result == pytest.approx(E2, rel=1e-12)
        await pilot.press("i")  # iteration 3, the course's exercise
        assert screen.trace.iteration == 3
        assert np.allclose(screen.trace.params["W2"], W2_3, rtol=1e-12)
    assert app.results == []  # still open: iterations applied in place
    assert app.trainer.step_count == 2


@aio
async def test_check_my_answer_right_and_wrong() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await to_dE_dw5(pilot)
        await pilot.press("c")
        await type_text(pilot, "0.0821670")
        await pilot.press("enter")
        assert "Right: 0.082167" in panel_text(app)
        # Again with out_h2 in the last factor: 0.74136507·0.186815602·0.596884378.
        await pilot.press("c")
        await type_text(pilot, "0.0826676")
        await pilot.press("enter")
        text = panel_text(app)
        assert "You: 0.0826676" in text
        assert "fits ∂net_o1/∂w5 = 0.596884 (that is out_h2)" in text
        recheck = [li for li in text.splitlines() if li.lstrip().startswith(">")]
        assert recheck and "∂net_o1/∂w5" in recheck[0]
        await pilot.press("n")  # the verdict belongs to its step
        assert "You:" not in panel_text(app)


@aio
async def test_quiz_hides_each_result_until_answered_then_moves_on() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", "h")
        assert "0.3775" not in panel_text(app) and "= ?" in panel_text(app)
        assert "0.3775" not in app.screen.query_one("NetworkDiagram").render().plain
        await pilot.press("c")
        await type_text(pilot, "0.3776")
        await pilot.press("enter")
        assert app.screen.cursor.step.id == "forward.u.1.0" and "= ?" in panel_text(app)
        await pilot.press("c")
        await type_text(pilot, "0.3775")
        await pilot.press("enter")
        assert app.screen.cursor.step.id == "forward.z.1.0"  # out_h1, still hidden
        assert "= ?" in panel_text(app) and "0.593269992" not in panel_text(app)
        assert "net 0.3775" in app.screen.query_one("NetworkDiagram").render().plain
        await pilot.press("p")
        assert "Right: 0.3775" in panel_text(app)


@aio
async def test_escape_cancels_the_prompt_and_then_closes() -> None:
    app = StepperApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "5", "escape")
        assert app.screen.query_one("PromptBar").display is False or not app.screen.query_one(
            "PromptBar"
        ).has_class("-active")
        assert isinstance(app.screen, StepperScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [StepperResult(applied=0, lang="en")]
    assert app.trainer.step_count == 0


@aio
async def test_an_iteration_that_cannot_be_built_says_why_and_closes() -> None:
    app = StepperApp(sample=3)  # the worked example's batch has one sample
    async with app.run_test(size=(80, 24)) as pilot:
        problem = app.screen.query_one("#stepper-problem")
        assert problem.display and "sample 3 is not in this batch of 1" in str(problem.render())
        await pilot.press("a", "c", "n")  # nothing to apply, check or walk
        assert app.trainer.step_count == 0 and isinstance(app.screen, StepperScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [StepperResult(applied=0, lang="en")]


@aio
async def test_a_chosen_sample_of_a_mini_batch() -> None:
    app = StepperApp(preset="xor", sample=2)  # the third row of XOR's batch of four
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert {s.sample for s in screen.trace.steps if s.phase == "forward"} == {2}
        x = screen.trace.x[2]
        assert f"i1 {x[0]:g}" in screen.query_one("NetworkDiagram").render().plain
        assert screen.query_one("NetworkDiagram").border_title == "Network, sample 3 of 4"
        await pilot.press("a")
    assert app.trainer.step_count == 1


@aio
async def test_language_toggle_relabels_panel_and_keys() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await to_dE_dw5(pilot)
        await pilot.press("l")
        screen = app.screen
        assert screen.query_one(StepPanel).border_title == "連鎖律による w5 の勾配"
        assert "各因子" in panel_text(app)
        footer = {b.binding.description for b in screen.active_bindings.values() if b.binding.show}
        assert {"答え合わせ", "次へ", "English"} <= footer and "Check" not in footer
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [StepperResult(applied=0, lang="ja")]


@aio
async def test_ascii_notation_spells_out_every_formula_glyph() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await to_dE_dw5(pilot)
        await pilot.press("x")
        text = panel_text(app)
        assert "dE_total/dw5 = dE_total/dout_o1*dout_o1/dnet_o1*dnet_o1/dw5" in text
        assert not any(ch in text for ch in "∂·η²→")
        await pilot.press("g")
        await type_text(pilot, "w5+")
        await pilot.press("enter")
        assert "w5+ = w5 - eta*dE_total/dw5" in panel_text(app)


@aio
async def test_matrix_view_and_expanding_one_weight() -> None:
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        screen = app.screen
        assert screen.trace.view == "matrix"
        await pilot.press("g")
        await type_text(pilot, "w6")
        await pilot.press("enter")
        assert screen.expanded == "w6"
        ids = [s.id for s in screen.cursor.steps]
        assert "backward.dW.2.1.0" in ids and "update.W2.1.0" in ids
        await pilot.press("escape")  # back to the whole iteration, still open
        assert screen.expanded is None and isinstance(app.screen, StepperScreen)


@aio
async def test_export_writes_markdown_and_asks_before_overwriting(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = StepperApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", "enter")  # the usual name, already typed
        path = tmp_path / "mazur-2-2-2-iteration-1.md"
        text = path.read_text("utf-8")
        assert "0.082167041" in text and "$$" in text  # the slides' digits, LaTeX for homework
        path.write_text("my notes", "utf-8")
        await pilot.press("e", "enter")
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("n")
        assert path.read_text("utf-8") == "my notes"
        await pilot.press("e", "enter", "y")
        await pilot.pause()
        assert path.read_text("utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary left


@aio
async def test_narrow_terminal_stacks_diagram_and_panel() -> None:
    app = StepperApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_dE_dw5(pilot)
        screen = app.screen
        diagram, panel = screen.query_one("NetworkDiagram"), screen.query_one(StepPanel)
        assert diagram.region.bottom <= panel.region.y  # stacked, not side by side
        assert panel.region.bottom <= 23 and screen.has_class("-narrow")
        await pilot.press("w")
        assert screen.query_one(WeightTable).display and not diagram.display


async def at_dE_dw5_nine_digits(pilot) -> None:
    await pilot.press("d")
    await to_dE_dw5(pilot)
    pilot.app.clear_notifications()  # the "9 digits" notice would time out mid-snapshot


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_at_dE_dw5(snap_compare, lang: str, size: tuple[int, int]) -> None:
    """∂E_total/∂w5 = 0.74136507·0.186815602·0.593269992 = 0.082167041 at 9 digits: o1 lit as
    the current unit and h1 as its input, E_total on the path; w5's row lit with its gradient
    filled in and later gradients '?'. At 80×24 the network sits above the step panel and the
    weight table is hidden (key w); at 120×40 they are side by side with the outline of steps."""
    assert snap_compare(StepperApp(lang), terminal_size=size, run_before=at_dE_dw5_nine_digits)


@pytest.mark.parametrize(
    ("lang", "opening"),
    [
        ("en", "Cannot apply this parameter update: "),
        ("ja", "このパラメータ更新は適用できません: "),
    ],
)
@aio
async def test_an_update_that_diverges_is_not_applied_and_says_so(lang, opening) -> None:
    """The trainer refuses the update (a non-finite W2): the stepper stays on the iteration,
    nothing is applied, and the notice says why in the stepper's language."""
    app = StepperApp(lang)
    refused = Diverged(1, "update", layer=2, param="W2")

    def step() -> None:
        raise refused

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.trainer.step = step
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StepperScreen) and app.screen.applied == 0
        (notice,) = [n.message for n in app._notifications]
    assert notice == opening + refused.message_in(lang)
