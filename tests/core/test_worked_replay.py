"""The worked trace's update is the trainer's own: its updated parameters and optimizer state
are the weights and state `Trainer.step()` leaves, bit for bit, for every optimizer and form;
and the trace is a record of copies, which later training does not touch."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tui_nn.core import Trainer, parse
from tui_nn.core.layers import Dense
from tui_nn.core.network import Network
from tui_nn.core.optimizers import Optimizer
from tui_nn.core.worked import build_trace, expand

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


def reachable(obj, seen=None):
    """Every object a trace reaches through its fields and attributes, lists, tuples, dicts."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    yield obj
    if dataclasses.is_dataclass(obj):
        children = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
    elif isinstance(obj, dict):
        children = [*obj.keys(), *obj.values()]
    elif isinstance(obj, list | tuple):
        children = list(obj)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        children = list(vars(obj).values())
    else:
        children = []
    for child in children:
        yield from reachable(child, seen)


def test_a_trace_is_plain_data_that_shares_no_memory_with_the_engine() -> None:
    t = trainer("adam", {}, "float64")
    t.run(2)
    trace = build_trace(t, view="scalar")
    objects = list(reachable(trace))
    assert not [o for o in objects if isinstance(o, Trainer | Network | Dense | Optimizer)]
    engine = [t.net.theta, t.net.grad, *t.optimizer._flat.values(), *t.data.__dict__.values()]
    engine += [a for layer in t.net.layers for a in vars(layer).values()]
    arrays = [o for o in objects if isinstance(o, np.ndarray)]
    assert any(a is trace.capture.state_after["m"]["W1"] for a in arrays)  # the walk goes deep
    for a in arrays:
        assert not any(isinstance(e, np.ndarray) and np.shares_memory(a, e) for e in engine)


def test_expanding_a_trace_later_needs_nothing_of_the_trainer() -> None:
    t = trainer("momentum", {}, "float64")
    trace = build_trace(t, view="matrix")
    first = [(s.id, s.substituted, s.result) for s in expand(trace, "W2", 2, 1)]
    t.run(3)  # the network, the optimizer's state and η move on; the trace keeps its iteration
    t.configure(optimizer="adam")
    again = [(s.id, s.substituted, s.result) for s in expand(trace, "W2", 2, 1)]
    assert again == first
    assert "update.W2.2.1.v" in [i for i, _, _ in first]  # momentum's state term
