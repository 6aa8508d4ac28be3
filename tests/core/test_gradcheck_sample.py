"""gradcheck past its size: a seeded sample of entries, compared against the full numerical
gradient at the same entries, with at least one entry of every parameter; the CLI says so."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tui_nn.cli import main
from tui_nn.core import Network, NetworkConfig, gradcheck
from tui_nn.core.gradcheck import check_entries, gradient_check, sample_entries
from tui_nn.core.network import numerical_gradient


def small() -> tuple[Network, np.ndarray, np.ndarray]:
    net = Network(NetworkConfig(layers=[3, 4, 2], activation="tanh", seed=1))
    rng = np.random.default_rng(0)
    return net, rng.normal(size=(5, 3)), np.eye(2)[[0, 1, 1, 0, 1]]


def test_a_sample_is_seeded_and_reaches_every_parameter() -> None:
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,)}
    picked = sample_entries(shapes, 7, seed=3)
    assert picked == sample_entries(shapes, 7, seed=3)  # the same entries every run
    assert picked != sample_entries(shapes, 7, seed=4)
    assert set(picked) == set(shapes) and sum(map(len, picked.values())) == 7
    for name, at in picked.items():
        assert len(set(at)) == len(at) and all(
            0 <= i < n for idx in at for i, n in zip(idx, shapes[name], strict=True)
        )


def test_sampled_errors_are_those_of_the_full_check_at_the_same_entries() -> None:
    net, x, d = small()
    full = numerical_gradient(net, x, d)
    _, analytic = net.gradient(x, d)
    analytic = {k: v.copy() for k, v in analytic.items()}
    picked = sample_entries({k: v.shape for k, v in net.params.items()}, 6, seed=0)
    for c in gradient_check(net, x, d, max_entries=6, seed=0):
        where = tuple(zip(*picked[c.name], strict=True))
        diff = np.abs(analytic[c.name][where] - full[c.name][where])
        assert c.checked == len(picked[c.name]) and c.entries == net.params[c.name].size
        assert np.isclose(c.max_abs_error, diff.max(), rtol=1e-6, atol=1e-15)
        assert c.relative_error < 1e-6


def test_every_entry_while_it_fits_the_budget() -> None:
    net, x, d = small()
    assert check_entries(net, len(x)) == 26  # 3·4 + 4 + 4·2 + 2
    checks = gradient_check(net, x, d)
    assert [(c.checked, c.entries) for c in checks] == [(12, 12), (4, 4), (8, 8), (2, 2)]
    done = []
    gradient_check(net, x, d, max_entries=5, progress=lambda i, total: done.append((i, total)))
    assert done == [(i, 5) for i in range(1, 6)]


def test_the_cli_says_it_checked_a_sample(tmp_path: Path, capsys, monkeypatch) -> None:
    """Past its budget the check compares a sample and says so, in text and in JSON. The budget
    is a tenth of the real one here: the same rule, a tenth of the numerical passes."""
    budget = gradcheck.CHECK_BUDGET // 10
    monkeypatch.setattr(gradcheck, "CHECK_BUDGET", budget)
    (tmp_path / "wide.toml").write_text(
        '[network]\nlayers = [100, 2000, 1]\noutput = "identity"\nloss = "mse"\n'
        '[data]\nsource = "function"\ninputs = 100\nn = 20\n[train]\n',
        encoding="utf-8",
    )
    argv = ["--lang", "en", "gradcheck", str(tmp_path / "wide.toml")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "checked a sample of 30 of the 204,001 entries" in out
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # Two forward passes an entry over 16 samples of 204,001 parameters, within the budget.
    assert report["checked"] == budget // (2 * (16 * 204_001 + 1000 * 2)) == 30
    assert report["entries"] == 204_001 and report["ok"]
