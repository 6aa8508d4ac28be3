"""The 2-2-2 sigmoid example of Mazur's worked example, number by number, through the engine."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import Trainer, load


@pytest.fixture
def trainer() -> Trainer:
    return Trainer(load("mazur-2-2-2"))


def test_forward_values_match_the_slides(trainer: Trainer) -> None:
    x, _, _ = trainer.peek_batch()
    y = trainer.net.forward(x)
    hidden, output = trainer.net.layers
    # net_h1, net_h2 and out_h1, out_h2 as printed in the slides
    np.testing.assert_allclose(hidden.u[0], [0.3775, 0.3925], atol=1e-12)
    np.testing.assert_allclose(hidden.z[0], [0.593269992, 0.596884378], atol=5e-10)
    np.testing.assert_allclose(output.u[0], [1.105905967, 1.2249214], atol=5e-8)
    np.testing.assert_allclose(y[0], [0.75136507, 0.772928465], atol=5e-9)


def test_errors_match_the_slides(trainer: Trainer) -> None:
    x, d, _ = trainer.peek_batch()
    y = trainer.net.forward(x)
    terms = trainer.net.loss.terms(y, d)[0]
    np.testing.assert_allclose(terms, [0.274811083, 0.023560026], atol=5e-10)
    assert trainer.net.loss.value(y, d) == pytest.approx(0.298371109, abs=5e-10)


def test_every_partial_derivative_matches_the_slides(trainer: Trainer) -> None:
    x, d, _ = trainer.peek_batch()
    _, grads = trainer.net.gradient(x, d)
    # ∂E/∂w5 = 0.74136507 · 0.186815602 · 0.593269992 = 0.082167041 (W2[0, 0] is w5)
    assert grads["W2"][0, 0] == pytest.approx(0.082167041, abs=5e-10)
    # ∂E/∂w1 = 0.036350306 · 0.241300709 · 0.05 = 0.000438568 (W1[0, 0] is w1)
    assert grads["W1"][0, 0] == pytest.approx(0.000438568, abs=5e-10)
    # δ of the output layer: ∂E/∂net_o1 = 0.74136507 · 0.186815602 = 0.138498562
    assert trainer.net.layers[1].delta[0, 0] == pytest.approx(0.138498562, abs=5e-10)


def test_all_eight_updated_weights_match_the_slides(trainer: Trainer) -> None:
    trainer.step()
    W1, W2 = trainer.net.params["W1"], trainer.net.params["W2"]
    # W1 = [[w1, w3], [w2, w4]], W2 = [[w5, w7], [w6, w8]]
    np.testing.assert_allclose(W1, [[0.149780716, 0.24975114], [0.19956143, 0.29950229]], atol=5e-9)
    np.testing.assert_allclose(
        W2, [[0.35891648, 0.511301270], [0.408666186, 0.561370121]], atol=5e-9
    )
    # the worked example never updates its biases
    np.testing.assert_array_equal(trainer.net.params["b1"], [0.35, 0.35])
    np.testing.assert_array_equal(trainer.net.params["b2"], [0.60, 0.60])


def test_error_after_1_and_10000_updates(trainer: Trainer) -> None:
    x, d, _ = trainer.peek_batch()
    trainer.step()
    assert trainer.net.loss_value(x, d) == pytest.approx(0.29102777369359933, rel=1e-12)
    trainer.run(9998)
    assert trainer.net.loss_value(x, d) == pytest.approx(3.510854812251261e-05, rel=1e-9)
    trainer.step()
    assert trainer.net.loss_value(x, d) == pytest.approx(3.510187782978859e-05, rel=1e-9)
    np.testing.assert_allclose(trainer.net.forward(x)[0], [0.01591362, 0.98406427], atol=5e-9)


def test_reset_restores_the_exact_initial_state(trainer: Trainer) -> None:
    first = trainer.step().loss
    trainer.run(5)
    trainer.reset()
    for name, value in trainer.initial.items():
        np.testing.assert_array_equal(trainer.net.params[name], value)
    assert trainer.step_count == 0
    assert trainer.step().loss == first
