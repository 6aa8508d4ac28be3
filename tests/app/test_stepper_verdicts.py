"""Verdicts a teacher would give on Mazur's 2-2-2 example: error carried forward from the
student's own earlier answer, and the classic slips followed through the iteration (the
updated weights used going back, σ′ taken at out, the ½ of E dropped), each against numbers
computed here on their own in float64."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tui_nn.app.stepper.answer import check
from tui_nn.app.stepper.flow import Flow
from tui_nn.core.errors import ConfigError
from tui_nn.core.presets import builtin_presets, load
from tui_nn.core.trainer import Trainer
from tui_nn.core.worked import build_trace

X, D = np.array([0.05, 0.10]), np.array([0.01, 0.99])
W1 = np.array([[0.15, 0.25], [0.20, 0.30]])  # rows: i1, i2; columns: h1, h2
W2 = np.array([[0.40, 0.50], [0.45, 0.55]])  # rows: h1, h2; columns: o1, o2
B1, B2, ETA = 0.35, 0.60, 0.5


def sig(u):
    return 1 / (1 + np.exp(-u))


def forward(w1=W1, w2=W2, net_h=None):
    """Mazur's forward pass; `net_h` replaces the hidden total inputs (a student's slip)."""
    net_h = X @ w1 + B1 if net_h is None else net_h
    h = sig(net_h)
    y = sig(h @ w2 + B2)
    return h, y, float(np.sum(0.5 * (D - y) ** 2))


def gradients(w2_back=W2, dsig=lambda z: z * (1 - z), dE=lambda y: y - D):
    """∂E/∂W1 and ∂E/∂W2, with the weights used going back, σ′ and ∂E/∂out as given."""
    h, y, _ = forward()
    d2 = dE(y) * dsig(y)
    d1 = (w2_back @ d2) * dsig(h)
    return np.outer(X, d1), np.outer(h, d2)


@pytest.fixture(scope="module")
def trace():
    return build_trace(Trainer(load("mazur-2-2-2")))


def judge(trace, step_id: str, value: float, earlier: dict[str, float] | None = None):
    return check(f"{value:.9g}", trace.step(step_id), trace, earlier)


# ---- the flow itself ------------------------------------------------------------------------


@pytest.mark.parametrize("preset", [p for p in builtin_presets() if p != "mnist"])
def test_the_flow_recomputes_every_step_of_every_scalar_trace(preset: str) -> None:
    try:
        trainer = Trainer(load(preset))
        trainer.run(2)
    except ConfigError:
        pytest.skip("nothing to train (a forward-only exercise)")
    trace = build_trace(trainer, sample=0)
    if trace.view != "scalar":
        return
    run = Flow(trace).run()
    for s in trace.steps:
        assert math.isclose(run.values[s.id], float(s.result), rel_tol=1e-12, abs_tol=1e-15)


def test_a_changed_total_input_flows_to_the_error_as_computed_by_hand(trace) -> None:
    # net_h1 mistyped as 0.3875: out_h1, both outputs and E_total follow from it.
    run = Flow(trace).run(given={"forward.u.1.0": 0.3875})
    h, y, E = forward(net_h=np.array([0.3875, 0.3925]))
    assert run.values["forward.z.1.0"] == pytest.approx(h[0], abs=1e-15)
    assert run.values["forward.z.2.1"] == pytest.approx(y[1], abs=1e-15)
    assert run.values["loss.total"] == pytest.approx(E, abs=1e-15)
    assert "forward.u.1.0" in run.ancestors("loss.total")
    assert "forward.u.1.1" in run.ancestors("loss.total")
    assert "forward.u.1.0" not in run.ancestors("forward.z.1.1")


# ---- error carried forward ------------------------------------------------------------------


def test_a_later_answer_from_the_students_own_earlier_value_is_carried_forward(trace) -> None:
    # The student wrote ∂E_total/∂out_o1 = out_o1 = 0.75136507 (the target left out), then
    # multiplied correctly: 0.75136507 · out_o1(1 - out_o1) · out_h1.
    h, y, _ = forward()
    wrong = float(y[0])
    then = wrong * y[0] * (1 - y[0]) * h[0]
    earlier = {"backward.dE_dout.2.0": wrong}
    v = judge(trace, "backward.dW.2.0.0", then, earlier)
    assert v.status == "carried" and v.key == "stepper_check_carried"
    assert v.values["earlier"] == "∂E_total/∂out_o1 = 0.75136507"
    assert v.recheck == 0  # the panel marks the factor that came from it
    assert "method is right" in v.message("en") and "∂E_total/∂out_o1" in v.message("ja")
    # The same number without that history is just wrong.
    assert judge(trace, "backward.dW.2.0.0", then).status != "carried"
    # ... and w5⁺ from that gradient is carried too, through the earlier answer it rests on.
    w5 = 0.4 - ETA * then
    assert judge(trace, "update.W2.0.0", w5, earlier).values["earlier"].startswith("∂E_total")


def test_carried_forward_through_the_whole_forward_pass(trace) -> None:
    _, _, E = forward(net_h=np.array([0.3875, 0.3925]))
    v = judge(trace, "loss.total", E, {"forward.u.1.0": 0.3875})
    assert v.status == "carried" and v.values["earlier"] == "net_h1 = 0.3875"


def test_an_earlier_value_the_step_does_not_use_is_not_blamed(trace) -> None:
    # E_o2 wrong earlier; ∂E/∂w5 only involves o1: a wrong answer there is not carried.
    _, y, _ = forward()
    v = judge(trace, "backward.dW.2.0.0", 0.0712345, {"loss.E.1": 0.5})
    assert v.status != "carried"
    # The right answer stays right whatever came before.
    assert judge(trace, "forward.z.2.0", float(y[0]), {"forward.u.1.0": 0.3875}).status == "right"


# ---- classic slips, followed through the iteration ------------------------------------------


def test_updated_output_weights_used_going_back(trace) -> None:
    new_w2 = W2 - ETA * gradients()[1]
    assert new_w2[0, 0] == pytest.approx(0.35891648, abs=5e-9)  # w5⁺ of the slides
    g1, _ = gradients(w2_back=new_w2)
    # The path back through w5: δ_o1 · w5⁺ instead of δ_o1 · w5.
    v = judge(trace, "backward.path.1.0.0", 0.138498562 * new_w2[0, 0])
    assert v.key == "stepper_classic_new_weights" and v.values["weight"] == "w5"
    assert v.recheck == 1  # ∂net_o1/∂out_h1, which is w5
    assert v.values["new"] == "0.35891648" and v.values["old"] == "0.4"
    # Two steps on, ∂E/∂w1 and ∂E/∂w3 name the first path that went wrong for their unit.
    v = judge(trace, "backward.dW.1.0.0", g1[0, 0])
    assert v.key == "stepper_classic_new_weights" and v.values["step"] == "∂E_o1/∂out_h1"
    v = judge(trace, "backward.dW.1.0.1", g1[0, 1])
    assert v.values["step"] == "∂E_o1/∂out_h2" and v.values["weight"] == "w6"
    assert "w5⁺" not in v.message("en") and "w6⁺ = 0.408666186" in v.message("en")


def test_the_updated_weights_slip_gives_the_misprinted_error_after_one_update(trace) -> None:
    """Copies of the example that print E = 0.291027924 after one update used w5⁺..w8⁺ in
    the hidden deltas: the slip's w1⁺..w4⁺, put back into the network, give exactly that."""
    run = Flow(trace).run(slip="new_weights")
    new_w1 = np.array([[run.values[f"update.W1.{i}.{j}"] for j in range(2)] for i in range(2)])
    new_w2 = W2 - ETA * gradients()[1]
    assert forward(new_w1, new_w2)[2] == pytest.approx(0.291027924, abs=5e-10)
    v = judge(trace, "update.W1.0.0", new_w1[0, 0])
    assert v.key == "stepper_classic_new_weights"


def test_sigma_prime_taken_at_out_instead_of_net(trace) -> None:
    h, y, _ = forward()
    at_out = sig(y[0]) * (1 - sig(y[0]))
    v = judge(trace, "backward.dout_dnet.2.0", at_out)
    assert v.key == "stepper_classic_sigma_of_out" and v.values["step"] == "∂out_o1/∂net_o1"
    # Everywhere downstream: ∂E/∂w5 with that σ′, and ∂E/∂w1 with it at every unit.
    v = judge(trace, "backward.dW.2.0.0", (y[0] - D[0]) * at_out * h[0])
    assert v.key == "stepper_classic_sigma_of_out" and v.values["step"] == "∂out_o1/∂net_o1"
    assert v.recheck == 1
    g1, _ = gradients(dsig=lambda z: sig(z) * (1 - sig(z)))
    v = judge(trace, "backward.dW.1.0.0", g1[0, 0])
    assert v.key == "stepper_classic_sigma_of_out" and "σ′" in v.message("ja")


def test_the_half_of_E_dropped(trace) -> None:
    _, y, _ = forward()
    v = judge(trace, "loss.E.0", (D[0] - y[0]) ** 2)
    assert v.key == "stepper_classic_half" and v.values["step"] == "E_o1"
    v = judge(trace, "backward.dE_dout.2.0", 2 * (y[0] - D[0]))
    assert v.key == "stepper_classic_half" and v.values["step"] == "∂E_total/∂out_o1"
    g1, _ = gradients(dE=lambda y: 2 * (y - D))
    v = judge(trace, "backward.dW.1.1.1", g1[1, 1])
    assert v.key == "stepper_classic_half" and v.values["step"] == "∂E_total/∂out_o1"


def test_eta_forgotten_and_the_update_added_name_the_update(trace) -> None:
    # With η = 0.5, w − ∂E/∂w is also what the dropped ½ gives: at an update, η is named.
    g = gradients()[1][0, 0]
    assert judge(trace, "update.W2.0.0", 0.4 - g).key == "stepper_slip_update_eta"
    assert judge(trace, "update.W2.0.0", 0.4 + ETA * g).key == "stepper_slip_update_sign"
