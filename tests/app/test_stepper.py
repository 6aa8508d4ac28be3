"""The stepper's logic without a screen: checking a typed answer against Mazur's worked example and
naming the slip, moving through a trace, finding a named unit or weight, and what a step
highlights in the network."""

from __future__ import annotations

import math
import re

import pytest

from tui_nn.app.stepper.answer import agreement, check, parse
from tui_nn.app.stepper.focus import focus
from tui_nn.app.stepper.navigate import Cursor, matches, next_match, resolve
from tui_nn.core.presets import load
from tui_nn.core.trainer import Trainer
from tui_nn.core.worked import PHASES, build_trace
from tui_nn.i18n import LANGS, catalogue

# Mazur's worked example, iteration 1: the chain rule for w5 and its three factors.
DE_DW5 = 0.082167041
DE_DOUT_O1, DOUT_DNET_O1, OUT_H1 = 0.74136507, 0.186815602, 0.593269992
OUT_H2 = 0.596884378


@pytest.fixture(scope="module")
def trace():
    return build_trace(Trainer(load("mazur-2-2-2")))


def verdict(trace, step_id: str, typed: str):
    return check(typed, trace.step(step_id), trace)


@pytest.mark.parametrize(
    ("text", "value", "digits"),
    [
        ("0.0822", 0.0822, 3),
        ("８．２２e-2", 0.0822, 3),  # typed with a Japanese IME
        ("−0.019049119", -0.019049119, 8),
        ("0,35", 0.35, 2),
        ("0.350", 0.35, 3),
        ("82.1670", 82.167, 6),
        ("０．０８２２", 0.0822, 3),  # full-width digits and point
        ("－０．０１９", -0.019, 2),  # full-width minus
        ("ー0.019", -0.019, 2),  # the IME's long-vowel mark where a minus was meant
        ("０。０８２２", 0.0822, 3),  # the IME's full stop for the point
        ("  0,0822\u3000", 0.0822, 3),  # decimal comma, spaces and an ideographic space
    ],
)
def test_parse_reads_what_students_type(text: str, value: float, digits: int) -> None:
    assert parse(text) == (pytest.approx(value), digits)


@pytest.mark.parametrize(
    "text", ["", "abc", "0.1.2", "nan", "inf", "1e999", "0x1p3", "1,2.3", "½", "0.08\x1b[2J"]
)
def test_parse_refuses_non_numbers(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "9" * 5000,
        "0." + "1" * 5000,
        "0.0821" + "6" * 5000,
        "1e400",
        "1e99999999999999999999",
        "\x1b[31m0.08\x07",
        "[bold]0.08[/]",
        "０．０８２２" * 100,
        "\u202eabc",
        "\x00",
        "0x10",
        "1/12",
    ],
)
def test_hostile_answers_get_one_line_and_an_inert_echo(trace, text: str) -> None:
    v = check(text, trace.step("backward.dW.2.0.0"), trace, {"loss.E.0": 0.5})
    for lang in LANGS:
        assert "\n" not in v.message(lang)
    assert len(v.answer) <= 40 and all(c.isprintable() for c in v.answer)
    assert v.status in ("unreadable", "wrong", "close", "too_few")


def test_a_copied_number_with_invisible_marks_is_read() -> None:
    assert parse("0.0822\u200b") == (pytest.approx(0.0822), 3)  # a zero-width space
    assert parse("\u200e−0.019") == (pytest.approx(-0.019), 2)  # a direction mark


def test_agreement_counts_leading_significant_digits() -> None:
    assert agreement(0.0822, DE_DW5) == 3
    assert agreement(0.0821, DE_DW5) == 2
    assert agreement(DE_DW5, DE_DW5) == 17


def test_the_seeds_value_is_right(trace) -> None:
    v = verdict(trace, "backward.dW.2.0.0", "0.082167041")
    assert v.status == "right" and v.key == "stepper_check_right"
    assert "0.082167041" in v.message("en")


def test_fewer_digits_are_right_to_those_digits(trace) -> None:
    v = verdict(trace, "backward.dW.2.0.0", "0.08217")
    assert v.status == "right" and v.values["n"] == "4"
    assert v.key == "stepper_check_right_to"
    assert "4 significant digits" in v.message("en")


def test_right_means_rounded_and_cut_off_digits_are_told_apart(trace) -> None:
    # ∂E/∂w5 = 0.082167041 rounds to 0.0822 and 0.08217; cut off it is 0.0821 and 0.08216.
    assert verdict(trace, "backward.dW.2.0.0", "0.0822").status == "right"
    assert verdict(trace, "backward.dW.2.0.0", "0.08217").status == "right"
    for cut in ("0.0821", "0.08216", "0.082167040"):
        v = verdict(trace, "backward.dW.2.0.0", cut)
        assert v.status == "truncated" and v.key == "stepper_check_truncated", cut
        assert "round the last digit" in v.message("en") and "四捨五入" in v.message("ja")
    assert verdict(trace, "backward.dW.2.0.0", "0.08218").status == "close"
    # w7's gradient -0.022602540 is negative: -0.02260 rounds it, and cutting off toward zero
    # happens to give the same digits; -0.02261 is neither.
    assert verdict(trace, "backward.dW.2.0.1", "-0.02260").status == "right"
    assert verdict(trace, "backward.dW.2.0.1", "-0.02261").status == "close"
    # out_h1 = 0.593269992: -0.5933 is rounded, 0.5932 cut off.
    assert verdict(trace, "forward.z.1.0", "0.5933").status == "right"
    assert verdict(trace, "forward.z.1.0", "0.5932").status == "truncated"
    # An exact value has no digits to cut: 0.3776 is not 0.3775, nor is 0.3774.
    assert verdict(trace, "forward.u.1.0", "0.3775").status == "right"
    assert verdict(trace, "forward.u.1.0", "0.3776").status != "right"
    assert verdict(trace, "forward.u.1.0", "0.3774").status not in ("right", "truncated")


def test_half_rounds_up_as_taught(trace) -> None:
    # ∂E_total/∂out_o1 = 0.7413650695...: 0.74137 (five digits, half up from ...5069).
    assert verdict(trace, "backward.dE_dout.2.0", "0.74137").status == "right"
    assert verdict(trace, "backward.dE_dout.2.0", "0.74136").status == "truncated"


def test_too_few_digits_cannot_be_judged(trace) -> None:
    assert verdict(trace, "backward.dW.2.0.0", "0.08").status == "too_few"
    # ... unless the value itself is that short: b1·1 + w1·i1 + w2·i2 = 0.3775 needs 4.
    assert verdict(trace, "update.b1", "0.35").status == "right"


def test_rounded_intermediate_values_are_close(trace) -> None:
    # 0.741·0.187·0.593 = 0.08214...: what three-digit factors give.
    v = verdict(trace, "backward.dW.2.0.0", str(0.741 * 0.187 * 0.593)[:9])
    assert v.status == "close"


def test_a_forgotten_factor_is_named(trace) -> None:
    v = verdict(trace, "backward.dW.2.0.0", f"{DE_DOUT_O1 * DOUT_DNET_O1:.9g}")
    assert v.status == "wrong" and v.key == "stepper_slip_missing_factor"
    assert v.values["factor"] == "∂net_o1/∂w5" and v.recheck == 2


def test_the_wrong_units_output_in_a_factor_is_named(trace) -> None:
    # out_h2 where out_h1 belongs: the classic slip of ∂net_o1/∂w5.
    v = verdict(trace, "backward.dW.2.0.0", f"{DE_DOUT_O1 * DOUT_DNET_O1 * OUT_H2:.9g}")
    assert v.key == "stepper_slip_factor_is" and v.recheck == 2
    assert v.values["name"] == "out_h2" and v.values["other"] == "0.596884378"
    assert "∂net_o1/∂w5" in v.message("en") and "∂net_o1/∂w5" in v.message("ja")


def test_a_wrong_sign_points_at_the_negative_factor(trace) -> None:
    # ∂E/∂w7 = (-0.217071535)·0.175510053·0.593269992 = -0.022602540
    v = verdict(trace, "backward.dW.2.0.1", "0.02260254")
    assert v.key == "stepper_slip_sign_factor" and v.recheck == 0
    assert v.values["factor_value"] == "-0.217071535"


def test_a_forgotten_bias_is_named(trace) -> None:
    # net_h1 = 0.15·0.05 + 0.2·0.1 + 0.35·1 = 0.3775; without b1: 0.0275.
    v = verdict(trace, "forward.u.1.0", "0.0275")
    assert v.key == "stepper_slip_missing_term" and v.values["term"] == "b1·1"


def test_update_slips(trace) -> None:
    # w5+ = 0.4 - 0.5·0.082167041 = 0.35891648
    assert verdict(trace, "update.W2.0.0", "0.35891648").status == "right"
    assert verdict(trace, "update.W2.0.0", "0.44108352").key == "stepper_slip_update_sign"
    v = verdict(trace, "update.W2.0.0", f"{0.4 - DE_DW5:.9g}")
    assert v.key == "stepper_slip_update_eta" and v.values["eta"] == "0.5"


def test_another_quantity_is_recognised(trace) -> None:
    v = verdict(trace, "forward.z.1.0", "0.596884378")  # out_h2 typed for out_h1
    assert v.key == "stepper_slip_other" and v.values["name"] == "out_h2"


def test_unexplained_wrong_answer_asks_to_compare_factors(trace) -> None:
    v = verdict(trace, "backward.dW.2.0.0", "0.5123")
    assert v.key == "stepper_check_wrong_factors" and v.recheck is None


def test_a_matrix_result_is_not_checked_as_one_number() -> None:
    matrix = build_trace(Trainer(load("mazur-2-2-2")), view="matrix")
    assert check("0.1", matrix.step("backward.dW.2"), matrix).status == "not_scalar"


def by_hand(substituted: str) -> float:
    """What a student's calculator gives for the formula with numbers as the screen shows it."""
    expr = substituted.replace("·", "*").replace("²", "**2").replace("½", "0.5*")
    expr = expr.replace("e^(", "exp(")
    expr = re.sub(r"([\d)])\(", r"\1*(", expr)  # out(1 - out)
    names = {"exp": math.exp, "max": max, "tanh": math.tanh}
    return eval(expr, {"__builtins__": {}}, names)  # test-only: text the trace itself wrote


@pytest.mark.parametrize("digits", [6, 9])
@pytest.mark.parametrize(
    ("preset", "iteration", "steps"),
    [("mazur-2-2-2", 2, 43), ("mazur-2-2-2", 3, 43), ("regression", 5, 148), ("xor", 2, 47)],
)
def test_working_from_the_screens_numbers_is_always_right(
    preset: str, iteration: int, steps: int, digits: int
) -> None:
    """The course's exercise: iterations 2 and 3 by hand, each step from the rounded numbers the
    screen showed for the previous ones (also a regression net with |d - y| > 1, where rounding
    grows, and XOR's first sample). Every such answer, typed to 10 digits, is judged right."""
    trainer = Trainer(load(preset))
    trainer.run(iteration - 1)
    trace = build_trace(trainer, sample=0, digits=digits)
    checked = 0
    for step in trace.steps:
        if step.kind == "frozen" or "…" in step.substituted or not isinstance(step.result, float):
            continue  # nothing to compute, or a long sum the screen shortens
        typed = f"{by_hand(step.substituted):.10g}"
        v = check(typed, step, trace)
        assert v.status == "right", (step.id, step.substituted, typed, v.key)
        checked += 1
    assert checked == steps


def test_cursor_moves_by_step_and_phase(trace) -> None:
    c = Cursor(trace.steps)
    assert not c.move(-1) and c.pos == 0
    c.move_phase(1)
    assert c.step.phase == "loss" and c.step.id == "loss.E.0"
    c.move_phase(1)
    c.move(6)
    assert c.step.id == "backward.dW.2.0.0"
    c.move_phase(-1)  # to the start of this phase first
    assert c.step.id == "backward.dE_dout.2.0"
    c.move_phase(-1)
    assert c.step.phase == "loss"
    assert c.move(10_000) and c.step.phase == "update" and c.step is trace.steps[-1]


def test_names_find_their_steps_and_cycle(trace) -> None:
    ids = [trace.steps[i].id for i in matches(trace.steps, "w5")]
    assert ids == ["backward.dW.2.0.0", "update.W2.0.0"]
    assert trace.steps[matches(trace.steps, "W5+")[0]].id == "update.W2.0.0"
    assert trace.steps[matches(trace.steps, "ｎｅｔ＿ｏ１")[0]].id == "forward.u.2.0"
    assert trace.steps[matches(trace.steps, "dE_total/dw5")[0]].id == "backward.dW.2.0.0"
    first = next_match(trace.steps, "h1", 0)
    assert trace.steps[first].id == "forward.z.1.0"  # after the current step 0 = net_h1
    assert next_match(trace.steps, "nothing", 0) is None


def test_resolve_maps_seed_names_to_numpy_indices(trace) -> None:
    # W2 = [[w5, w7], [w6, w8]]: row i = input unit, column j = the unit fed.
    assert resolve(trace, "w7") == ("W2", (0, 1))
    assert resolve(trace, "w2") == ("W1", (1, 0))
    assert resolve(trace, "h2") == ("u1", (1,))
    assert resolve(trace, "b2") == ("b2", (0,))
    assert resolve(trace, "W1[1,0]") == ("W1", (1, 0))
    assert resolve(trace, "w9") is None


def test_focus_of_a_hidden_weight_follows_the_chain_rule_back(trace) -> None:
    f = focus(trace.step("backward.dW.1.0.0"), trace.layers)  # ∂E/∂w1
    assert f.weights == {("W1", (0, 0))}
    assert f.units == {(1, 0)} and f.input_units == {(0, 0)}
    assert f.path_units == {(2, 0), (2, 1)}  # back from both outputs ...
    assert f.path_weights == {("W2", (0, 0)), ("W2", (0, 1))}  # ... through w5 and w7
    assert f.loss


def test_focus_of_a_total_input_lights_what_is_summed(trace) -> None:
    f = focus(trace.step("forward.u.1.1"), trace.layers)  # net_h2 = w3·i1 + w4·i2 + b1·1
    assert f.unit_role((1, 1)) == "current"
    assert f.input_units == {(0, 0), (0, 1)}
    assert f.input_weights == {("W1", (0, 1)), ("W1", (1, 1)), ("b1", (1,))}
    assert f.unit_role((2, 0)) == "" and not f.loss


def test_focus_of_one_path_back(trace) -> None:
    f = focus(trace.step("backward.path.1.0.1"), trace.layers)  # ∂E_o2/∂out_h1 through w7
    assert f.units == {(1, 0)}
    assert f.path_units == {(2, 1)} and f.path_weights == {("W2", (0, 1))}


def test_every_key_the_stepper_builds_is_in_the_catalogue() -> None:
    """Keys made with f-strings (bindings, phases, columns, views) escape the i18n test's scan."""
    from tui_nn.app.stepper.export import ConfirmOverwrite
    from tui_nn.app.stepper.prompt import PromptBar
    from tui_nn.app.stepper.screen import StepperScreen

    bindings = [*StepperScreen.BINDINGS, *PromptBar.BINDINGS, *ConfirmOverwrite.BINDINGS]
    keys = {f"stepper_key_{b.id}" for b in bindings}
    keys |= {f"stepper_phase_{p}" for p in PHASES}
    keys |= {f"stepper_view_{v}" for v in ("scalar", "matrix")}
    cols = ("name", "edge", "value", "grad", "new", "shape", "norm", "grad_norm", "change")
    keys |= {f"stepper_col_{c}" for c in cols}
    entries = catalogue()
    assert keys <= set(entries), sorted(keys - set(entries))
    for key in keys:
        assert all(entries[key][lang] for lang in LANGS)
