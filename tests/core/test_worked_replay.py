"""The worked trace's update is the trainer's own: its updated parameters and optimizer state
are the weights and state `Trainer.step()` leaves, bit for bit, for every optimizer and form."""

from __future__ import annotations

import numpy as np
import pytest

from tui_nn.core import Trainer, parse
from tui_nn.core.worked import build_trace

#: (optimizer, constants): each rule, Adam's ε inside the root, and ε = 0 where it is allowed.
FORMS = [
    ("sgd", {}),
    ("momentum", {}),
    ("nesterov", {"momentum": 0.8}),
    ("adagrad", {}),
    ("adagrad", {"eps": 0.0}),
    ("rmsprop", {}),
    ("rmsprop", {"eps": 0.0}),
    ("adam", {}),
    ("adam", {"eps_in_sqrt": True}),
]


def trainer(optimizer: str, constants: dict, dtype: str) -> Trainer:
    """A 2-3-2 sigmoid network on four inline samples, batches of two, η halved every update,
    weight decay on, b2 frozen: every part of the update path in play."""
    rng = np.random.default_rng(7)
    doc = {
        "network": {"layers": [2, 3, 2], "activation": "sigmoid", "output": "sigmoid"},
        "data": {
            "source": "inline",
            "x": rng.uniform(-1, 1, (4, 2)).round(3).tolist(),
            "d": rng.uniform(0, 1, (4, 2)).round(3).tolist(),
        },
        "train": {
            "optimizer": optimizer,
            **constants,
            "lr": 0.5,
            "batch_size": 2,
            "shuffle": False,
            "lr_decay_every": 1,
            "lr_decay_factor": 0.5,
            "weight_decay": 0.01,
            "freeze": ["b2"],
            "dtype": dtype,
        },
    }
    return Trainer(parse(doc))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("optimizer", "constants"), FORMS, ids=[f"{o}{c}" for o, c in FORMS])
def test_trace_update_is_the_next_step_bit_for_bit(optimizer, constants, dtype) -> None:
    t = trainer(optimizer, constants, dtype)
    for _ in range(4):  # state and η_t change from one iteration to the next
        trace = build_trace(t, view="matrix")
        assert trace.lr == 0.5 * 0.5**t.step_count
        t.step()
        for name, value in t.net.params.items():
            assert trace.new_params[name].dtype == value.dtype
            assert trace.new_params[name].tobytes() == value.tobytes(), name
        for key, per in t.optimizer.state.items():
            for name, value in per.items():
                assert trace.capture.state_after[key][name].tobytes() == value.tobytes()
        assert t.net.params["b2"].tobytes() == t.initial["b2"].tobytes()


def test_building_a_trace_leaves_the_trainers_optimizer_as_it_was() -> None:
    t = trainer("adam", {}, "float64")
    t.run(2)
    before = {k: {n: v.copy() for n, v in per.items()} for k, per in t.optimizer.state.items()}
    build_trace(t)
    assert t.optimizer.t == 2
    for key, per in t.optimizer.state.items():
        for name, value in per.items():
            assert np.array_equal(value, before[key][name])
