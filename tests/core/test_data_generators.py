"""Generated data: the Playground 2-D sets, input features, the sphere4 homework and formulas.

Expected values come from the definitions (TensorFlow Playground's dataset rules, the course's
homework text, the formula itself), never from running the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tui_nn.core import ConfigError
from tui_nn.core.data import DataContext
from tui_nn.core.datasets import FeatureMap, gauss_variance, sphere4_class
from tui_nn.core.formula import Formula
from tui_nn.core.preset_data import load_data

PLANE = ("circle", "xor", "gauss", "spiral", "linear")


def make(source: str, n_outputs: int = 1, n_inputs: int | None = None, **keys):
    return load_data({"source": source, **keys}, DataContext(n_outputs, n_inputs))


def all_points(data) -> tuple[np.ndarray, np.ndarray]:
    """Raw points and class indices of train and test together."""
    p = np.concatenate([data.points("train"), data.points("test")])
    d = np.concatenate([data.d_train, data.d_test])
    return p, (d[:, 0] > 0.5).astype(int) if d.shape[1] == 1 else d.argmax(axis=1)


# ---- sizes, balance, seeds ------------------------------------------------------------------


@pytest.mark.parametrize("source", PLANE)
def test_sizes_and_split(source: str) -> None:
    data = make(source, n=301, test_ratio=0.3, seed=4)
    assert len(data.x_train) + len(data.x_test) == 301
    assert len(data.x_test) == round(301 * 0.3)
    assert data.n_classes == 2 and data.class_names == ["0", "1"]
    assert data.extent == ((-6.0, 6.0), (-6.0, 6.0))


@pytest.mark.parametrize("source", ["circle", "gauss", "spiral"])
def test_half_and_half_sets_are_exactly_balanced(source: str) -> None:
    _, y = all_points(make(source, n=301, seed=2))
    assert sorted(np.bincount(y).tolist()) == [150, 151]


def test_xor_and_linear_balance_follow_their_areas() -> None:
    # xor: the quadrants split [-5, 5]² in half; linear: the area of [-5, 5]² above
    # x2 = x1/2 + 1 is ∫(5 − x1/2 − 1) dx1 over [-5, 5] = 40 of 100.
    _, y = all_points(make("xor", n=4000, seed=1))
    assert abs(y.mean() - 0.5) < 0.03
    _, y = all_points(make("linear", n=4000, seed=1))
    assert abs(y.mean() - 0.40) < 0.03


@pytest.mark.parametrize("source", PLANE)
def test_same_seed_same_data_other_seed_other_data(source: str) -> None:
    a, b, c = (make(source, n=100, noise=10, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.d_test, b.d_test)
    assert not np.array_equal(a.x_train, c.x_train)


# ---- noise 0: every label agrees with the defining rule ---------------------------------------


def test_circle_noise_0_labels_are_inside_radius_2_5() -> None:
    p, y = all_points(make("circle", n=1000, noise=0, seed=3))
    r = np.hypot(p[:, 0], p[:, 1])
    np.testing.assert_array_equal(y, (r < 2.5).astype(int))
    assert r[y == 1].max() < 2.5 and r[y == 0].min() >= 3.5 and r.max() <= 5


def test_xor_noise_0_labels_are_the_sign_of_x1_x2_with_padding() -> None:
    p, y = all_points(make("xor", n=1000, noise=0, seed=3))
    np.testing.assert_array_equal(y, (p[:, 0] * p[:, 1] >= 0).astype(int))
    assert np.abs(p).min() >= 0.3 and np.abs(p).max() <= 5.3


def test_linear_noise_0_labels_are_above_the_line() -> None:
    p, y = all_points(make("linear", n=1000, noise=0, seed=3))
    np.testing.assert_array_equal(y, (p[:, 1] > p[:, 0] / 2 + 1).astype(int))


def test_spiral_noise_0_points_lie_on_their_arm() -> None:
    # Playground: r = i/n·5, t = 1.75·(i/n)·2π + Δ, point = r·(sin t, cos t); Δ = 0 for class 1
    # and π for class 0. So t follows from r, and the point must be exactly there.
    p, y = all_points(make("spiral", n=400, noise=0, seed=0))
    r = np.hypot(p[:, 0], p[:, 1])
    t = 1.75 * (r / 5) * 2 * np.pi + np.where(y == 1, 0.0, np.pi)
    np.testing.assert_allclose(p, np.stack([r * np.sin(t), r * np.cos(t)], axis=1), atol=1e-12)


def test_gauss_clouds_have_playground_variance() -> None:
    assert gauss_variance(0.0) == 0.5 and gauss_variance(0.5) == 4.0
    for noise, var in ((0, 0.5), (50, 4.0)):
        p, y = all_points(make("gauss", n=20000, noise=noise, seed=1))
        np.testing.assert_allclose(p[y == 1].mean(axis=0), [2, 2], atol=0.1)
        np.testing.assert_allclose(p[y == 0].mean(axis=0), [-2, -2], atol=0.1)
        np.testing.assert_allclose(p[y == 1].var(axis=0), [var, var], rtol=0.05)


@pytest.mark.parametrize("source", ["circle", "xor", "linear"])
def test_noise_flips_labels_near_the_boundary(source: str) -> None:
    """At noise 30% each coordinate moves by at most 0.3·5 = 1.5 before labelling, so a label
    can only differ from the clean rule within that reach of the boundary: |r − 2.5| ≤ 1.5√2
    for the circle, min(|x1|, |x2|) ≤ 1.5 for xor, |x2 − x1/2 − 1| ≤ 1.5 + 1.5/2 for linear."""
    rule, reach = {
        "circle": (lambda p: np.hypot(p[:, 0], p[:, 1]) < 2.5, 1.5 * math.sqrt(2)),
        "xor": (lambda p: p[:, 0] * p[:, 1] >= 0, 1.5),
        "linear": (lambda p: p[:, 1] > p[:, 0] / 2 + 1, 2.25),
    }[source]
    distance = {
        "circle": lambda p: np.abs(np.hypot(p[:, 0], p[:, 1]) - 2.5),
        "xor": lambda p: np.abs(p).min(axis=1),
        "linear": lambda p: np.abs(p[:, 1] - p[:, 0] / 2 - 1),
    }[source]
    p, y = all_points(make(source, n=2000, noise=30, seed=1))
    wrong = y != rule(p)
    assert 0.02 < wrong.mean() < 0.5
    assert distance(p[wrong]).max() <= reach
    p, y = all_points(make(source, n=2000, noise=0, seed=1))
    assert (y == rule(p)).all()  # no noise: no flips


# ---- features -----------------------------------------------------------------------------------


def test_features_of_a_known_point() -> None:
    f = FeatureMap(["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2"])
    np.testing.assert_allclose(
        f(np.array([[2.0, -3.0]])), [[2, -3, 4, 9, -6, math.sin(2), math.sin(-3)]]
    )


def test_chosen_features_become_the_inputs_and_raw_points_are_kept() -> None:
    data = make("circle", n=50, seed=0, features=["x1*x2", "x1^2"])
    raw = data.points("train")
    np.testing.assert_allclose(data.x_train, np.stack([raw[:, 0] * raw[:, 1], raw[:, 0] ** 2], 1))
    np.testing.assert_allclose(data.inputs(raw), data.x_train)
    assert data.feature_names == ["x1*x2", "x1^2"]


@pytest.mark.parametrize(
    ("keys", "field", "reason"),
    [
        ({"features": ["x1", "x3"]}, "data.features", "unknown feature 'x3'"),
        ({"features": ["x1", "x1"]}, "data.features", "twice"),
        ({"features": []}, "data.features", "non-empty list"),
        ({"noise": 60}, "data.noise", "at most 50"),
        ({"n": 1}, "data.n", "at least 2"),
        ({"test_ratio": 1}, "data.test_ratio", "below 1"),
        ({"noize": 3}, "data.noize", "did you mean 'noise'"),
        # A prefix of a key is a hint too (the same rule as the preset's own keys).
        ({"test": 0.2}, "data.test", "did you mean 'test_ratio'"),
        ({"features": ["sinx"]}, "data.features", "did you mean 'sin_x"),
    ],
)
def test_bad_keys_name_the_field(keys: dict, field: str, reason: str) -> None:
    with pytest.raises(ConfigError) as e:
        make("circle", **keys)
    assert e.value.field == field and reason in e.value.reason


def test_input_size_must_equal_the_number_of_features() -> None:
    with pytest.raises(ConfigError) as e:
        make("circle", n_inputs=2, features=["x1", "x2", "x1*x2"])
    assert "3 columns (x1, x2, x1*x2)" in e.value.reason and "first layer has 2" in e.value.reason


# ---- sphere4 ----------------------------------------------------------------------------------


def homework_class(x: float, y: float, z: float) -> int:
    """The homework text, one point at a time: classes 1..4."""
    inside = x * x + y * y + z * z < 16
    above = z > (x * x + y * y) / 10
    if inside:
        return 1 if above else 2
    return 3 if above else 4


def test_sphere4_hand_points() -> None:
    pts = np.array([[0, 0, 1], [0, 0, -1], [0, 0, 5], [5, 0, 0], [3, 0, 0.5], [3, 0, 1.0]])
    # (3, 0, 0.5): inside (9.25 < 16), below z = 0.9; (3, 0, 1.0): inside, above.
    np.testing.assert_array_equal(sphere4_class(pts) + 1, [1, 2, 3, 4, 2, 1])


def test_sphere4_labels_match_the_definition() -> None:
    data = make("sphere4", n_outputs=4, n=3000, seed=5)
    p, y = all_points(data)
    assert np.abs(p).max() < 6 and p.shape[1] == 3
    expected = [homework_class(*map(float, row)) for row in p]
    np.testing.assert_array_equal(y + 1, expected)
    assert data.class_names == ["1", "2", "3", "4"] and data.feature_names == ["x", "y", "z"]
    assert sorted(set(expected)) == [1, 2, 3, 4]


def test_sphere4_needs_four_outputs() -> None:
    with pytest.raises(ConfigError) as e:
        make("sphere4", n_outputs=2)
    assert "class 3" in e.value.reason


# ---- function and formulas --------------------------------------------------------------------


def test_function_without_noise_is_the_formula() -> None:
    data = make("function", formula="3*x0 + 2*x1", n=200, seed=1)
    for x, d in ((data.x_train, data.d_train), (data.x_test, data.d_test)):
        np.testing.assert_allclose(d[:, 0], 3 * x[:, 0] + 2 * x[:, 1], rtol=0, atol=1e-12)
    assert data.x_train.min() >= 0 and data.x_train.max() < 1 and data.n_classes is None


def test_function_noise_is_its_standard_deviation() -> None:
    data = make("function", formula="x[0]", n=20000, noise=0.5, range=[-5, 5], seed=2)
    residual = data.d_train[:, 0] - data.x_train[:, 0]
    assert abs(residual.std() - 0.5) < 0.02 and data.x_train.min() >= -5


@pytest.mark.parametrize(
    ("text", "x", "want"),
    [
        ("3*x0 + 2*x1", [1.5, -2.0], 0.5),
        ("3 * x[0] + 2 * x[1]", [1.0, 1.0], 5.0),
        ("-x0**2 / 4", [3.0, 0.0], -2.25),
        ("sin(pi*x0) + exp(0) + sqrt(abs(x1)) + log(e) + tanh(0) + cos(0) + tan(0)", [0.5, -4], 6),
    ],
)
def test_formula_values(text: str, x: list[float], want: float) -> None:
    assert Formula(text)(np.array([x]))[0] == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "x0.__class__",
        "(lambda: 1)()",
        "[x0 for x0 in range(3)]",
        "'text'",
        "y + 1",
        "x[0:1]",
        "x[-1]",
        "open('f')",
        "sin(x0, x1)",
        "1 if x0 else 2",
        "x0 < 1",
        "",
        "3*",
    ],
)
def test_unsafe_or_bad_formulas_are_refused(text: str) -> None:
    with pytest.raises(ConfigError):
        Formula(text)


def test_formula_errors_name_the_field() -> None:
    with pytest.raises(ConfigError) as e:
        make("function", formula="sqrt(x0 - 5)")
    assert e.value.field == "data.formula" and "NaN or infinity" in e.value.reason
    with pytest.raises(ConfigError) as e:
        make("function", formula="x0 + x2", inputs=2)
    assert e.value.field == "data.formula" and "x2" in e.value.reason
