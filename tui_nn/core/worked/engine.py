"""The engine's numbers for one batch: what `Trainer.step()` would compute, kept as copies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tui_nn.core.errors import Diverged
from tui_nn.core.network import Network, flat_views
from tui_nn.core.worked.model import Capture

if TYPE_CHECKING:
    from tui_nn.core.trainer import Trainer


def capture(trainer: Trainer) -> Capture:
    """Run the engine on the next batch and keep every value it computes (the trainer is unchanged).

    The forward pass, δ and the gradients (with weight decay) come from `trainer.gradients`, the
    call `trainer.step()` makes; the update is the one `trainer.step()` runs, the optimizer's
    `update` on the network's flat gradient, done by a copy of the optimizer to a copy of θ.
    """
    x, d, idx = trainer.peek_batch()
    if trainer.forward_only:
        return _forward_capture(trainer, x, d, idx)
    with np.errstate(over="ignore", invalid="ignore"):
        cap = _backprop_capture(trainer, x, d, idx)
        _replay_update(trainer, cap)
        # ∂E/∂W before weight decay is added (the gradients above include λW when it is on).
        raw = trainer.net.gradient(x, d)[1] if trainer.cfg.weight_decay else cap.grads
        cap.dW = {k: v.copy() for k, v in raw.items()}
    return cap


def _forward_values(net: Network, x: np.ndarray, d: np.ndarray, idx: np.ndarray) -> dict:
    """Copies of the batch and of every layer's u and z (z of layer 0 is x) after `net.forward`."""
    return {
        "x": np.array(x),
        "d": np.array(d),
        "indices": np.array(idx),
        "u": [None, *(layer.u.copy() for layer in net.layers)],
        "z": [np.array(x), *(layer.z.copy() for layer in net.layers)],
    }


def _backprop_capture(trainer: Trainer, x: np.ndarray, d: np.ndarray, idx: np.ndarray) -> Capture:
    """Forward, loss and backward of the batch, as `trainer.step()` runs them."""
    net = trainer.net
    loss, grads = trainer.gradients(x, d)
    if not np.isfinite(loss):
        bad = (lay.index for lay in net.layers if not np.isfinite(lay.z).all())
        raise Diverged(trainer.step_count + 1, "loss", layer=next(bad, None))
    return Capture(
        **_forward_values(net, x, d, idx),
        delta=[None, *(layer.delta.copy() for layer in net.layers)],
        dW={},
        grads={k: v.copy() for k, v in grads.items()},
        loss_terms=net.loss.terms(net.layers[-1].z, d),
        loss=loss,
        params={k: v.copy() for k, v in net.params.items()},
        new_params={},
        state_before=trainer.optimizer.copy().state,
        state_after={},
        t=trainer.optimizer.t + 1,
        lr=trainer.lr,
    )


def _replay_update(trainer: Trainer, cap: Capture) -> None:
    """The new parameters and optimizer state: `trainer.step()`'s own update call, on copies."""
    opt, theta = trainer.optimizer.copy(), trainer.net.theta.copy()
    opt.update(theta, trainer.net.grad.copy(), cap.lr, trainer.step_count + 1)
    cap.new_params = {k: v.copy() for k, v in flat_views(theta, opt.layout).items()}
    cap.state_after = opt.state


def _forward_capture(trainer: Trainer, x: np.ndarray, d: np.ndarray, idx: np.ndarray) -> Capture:
    """The forward pass alone, for a preset without targets: no error, gradient or update."""
    net = trainer.net
    with np.errstate(over="ignore", invalid="ignore"):
        net.forward(x)
    params = {k: v.copy() for k, v in net.params.items()}
    # NaN, never 0: a gradient the stepper or a script reads by mistake must not look computed.
    unknown = {k: np.full_like(v, np.nan) for k, v in params.items()}
    return Capture(
        **_forward_values(net, x, d, idx),
        delta=[None] * (len(net.layers) + 1),
        dW=unknown,
        grads=unknown,
        loss_terms=np.full_like(d, np.nan),
        loss=float("nan"),
        params=params,
        new_params=params,
        state_before={},
        state_after={},
        t=trainer.optimizer.t + 1,
        lr=trainer.lr,
    )
