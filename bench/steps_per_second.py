"""Steps per second of tui-nn against PyTorch on CPU, measured in the same run.

    python bench/steps_per_second.py [--seconds 2]

Prints one row per benchmark net and dtype with the ratio tui-nn / PyTorch (PyTorch is
skipped, with a note, when it is not installed: `pip install torch==2.13.0`), and the share
of this machine's matrix-multiply peak that tui-nn reaches on the largest net.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from tui_nn.core import Dataset, Trainer, parse

NETS = [  # (name, layers, hidden activation, batch)
    ("2-8-8-2 tanh", [2, 8, 8, 2], "tanh", 10),
    ("4-10-3 sigmoid", [4, 10, 3], "sigmoid", 16),
    ("784-256-128-10 relu", [784, 256, 128, 10], "relu", 128),
]


def make_data(layers: list[int], n: int, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, layers[0]))
    d = np.eye(layers[-1])[rng.integers(0, layers[-1], n)]
    return Dataset(x, d, x[:0], d[:0], layers[-1])


def make_trainer(layers: list[int], act: str, batch: int, dtype: str, n: int) -> Trainer:
    doc = {
        "network": {
            "layers": layers,
            "activation": act,
            "output": "softmax",
            "loss": "cross_entropy",
            "init": "he",
        },
        "data": {"source": "inline", "x": [[0.0] * layers[0]], "labels": [0]},
        "train": {
            "optimizer": "sgd",
            "lr": 0.01,
            "batch_size": batch,
            "dtype": dtype,
            # evaluation is not part of a step; keep it out of the timing
            "eval_every": 10**9,
        },
    }
    return Trainer(parse(doc, "bench"), make_data(layers, n))


def rate(step, seconds: float) -> float:
    """Steps per second of `step()`, after a warm-up, over about `seconds`."""
    for _ in range(20):
        step()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(10):
            step()
        n += 10
    return n / elapsed


def torch_stepper(layers: list[int], act: str, batch: int, dtype: str, n: int):
    import torch

    torch.manual_seed(0)
    tdtype = getattr(torch, dtype)
    acts = {"tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU}
    mods: list[torch.nn.Module] = []
    for i in range(len(layers) - 1):
        mods.append(torch.nn.Linear(layers[i], layers[i + 1]))
        if i < len(layers) - 2:
            mods.append(acts[act]())
    model = torch.nn.Sequential(*mods).to(tdtype)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    data = make_data(layers, n)
    x = torch.tensor(data.x_train, dtype=tdtype)
    y = torch.tensor(data.d_train.argmax(1))
    gen = np.random.default_rng(0)
    state = {"order": gen.permutation(n), "pos": 0}

    def step() -> None:
        if state["pos"] >= n:
            state["order"], state["pos"] = gen.permutation(n), 0
        idx = torch.from_numpy(state["order"][state["pos"] : state["pos"] + batch])
        state["pos"] += batch
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()

    return step


def gemm_peak(dtype: str, size: int = 1024, seconds: float = 1.0) -> float:
    """FLOP/s of a square matrix multiply in NumPy: the machine's practical peak."""
    a = np.ones((size, size), dtype=dtype)
    r = rate(lambda: a @ a, seconds)
    return r * 2 * size**3


def flops_per_step(layers: list[int], batch: int) -> float:
    """Forward u = zW + b, backward zᵀδ and δWᵀ (none for the input layer)."""
    pairs = list(itertools.pairwise(layers))
    forward = sum(2 * batch * a * b for a, b in pairs)
    return 3 * forward - 2 * batch * pairs[0][0] * pairs[0][1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = ap.parse_args()
    try:
        import torch

        torch_version = torch.__version__
        print(f"PyTorch {torch_version}, threads {torch.get_num_threads()}")
    except ImportError:
        torch_version = None
        print("PyTorch is not installed: only tui-nn is measured (pip install torch==2.13.0)")
    print(f"NumPy {np.__version__}")
    print(f"{'net':<22} {'dtype':<8} {'batch':>5} {'tui-nn/s':>10} {'torch/s':>10} {'ratio':>7}")
    for name, layers, act, batch in NETS:
        for dtype in ("float64", "float32"):
            n = 60 * batch
            ours = rate(make_trainer(layers, act, batch, dtype, n).step, args.seconds)
            theirs = (
                rate(torch_stepper(layers, act, batch, dtype, n), args.seconds)
                if torch_version
                else float("nan")
            )
            print(
                f"{name:<22} {dtype:<8} {batch:>5} {ours:>10.0f} {theirs:>10.0f} "
                f"{ours / theirs:>6.2f}x"
            )
            if layers[0] == 784:
                share = ours * flops_per_step(layers, batch) / gemm_peak(dtype)
                print(f"{'':<22} {dtype:<8} share of NumPy GEMM peak: {share:.0%}")


if __name__ == "__main__":
    main()
