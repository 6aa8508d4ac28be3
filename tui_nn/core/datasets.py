"""Generated data sets: the 2-D problems of TensorFlow Playground, the 4-class sphere homework
of the course notes, and regression targets from a formula.

The 2-D sets follow Playground's rules so results compare with it: `noise` is the percentage
of its slider (0–50), circle and xor keep each point where it was drawn but take its label
at a jittered position (noise flips labels near the boundary), spiral moves the points, and
gauss widens its two clouds. Playground's labels +1 / −1 are classes 1 / 0 here.
Importing this module registers the sources; the file loaders live in `datafiles`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from tui_nn.core.checks import Check, integer, number, suggest, text
from tui_nn.core.data import DataContext, Dataset, source, split, targets
from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.formula import Formula
from tui_nn.core.limits import MAX_INPUTS, check_values

#: Square the 2-D problems are drawn in, as in the course's plots over [-6, 6]².
PLANE = ((-6.0, 6.0), (-6.0, 6.0))
CUBE = ((-6.0, 6.0),) * 3
PLANE_SOURCES = ("circle", "xor", "gauss", "spiral", "linear")


# ---- reading a source's keys ----------------------------------------------------------------


def read_keys(spec: dict[str, Any], name: str, keys: dict[str, tuple[Check, Any]]) -> dict:
    """The source's keys checked and with defaults filled; unknown keys are an error."""
    unknown = sorted(set(spec) - set(keys))
    if unknown:
        hint = suggest(unknown[0], keys)
        where = {"source": repr(name), "field": f"data.{unknown[0]}"}
        if hint:
            raise config_error("err_source_key_hint", hint=repr(hint), **where)
        raise config_error("err_source_key", keys=", ".join(keys), **where)
    out = {}
    for key, (check, default) in keys.items():
        if key not in spec:
            out[key] = default
            continue
        try:
            out[key] = check(spec[key])
        except ConfigError as e:
            raise e.located(field=f"data.{key}") from None
    return out


def ratio(v: Any) -> float:
    """A test share: at least 0 and below 1."""
    r = number(0, 1)(v)
    if r >= 1:
        raise config_error("err_ratio_below_1", got=f"{r:g}")
    return r


def name_list(v: Any) -> list[str]:
    if not isinstance(v, list) or not v or not all(isinstance(s, str) for s in v):
        raise config_error("err_feature_list", got=repr(v))
    return v


def split_classes(
    raw: np.ndarray, labels: np.ndarray, test_ratio: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seeded split of points and class indices into (raw_train, y_train, raw_test, y_test)."""
    r_train, y_train, r_test, y_test = split(raw, labels.reshape(-1, 1), test_ratio, seed)
    return r_train, y_train[:, 0], r_test, y_test[:, 0]


def class_dataset(
    parts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    ctx: DataContext,
    class_names: list[str],
    extent: tuple[tuple[float, float], ...],
    featurize: FeatureMap | None = None,
    names: list[str] | None = None,
) -> Dataset:
    """A classification Dataset from split raw points and class indices."""
    r_train, y_train, r_test, y_test = parts
    d_train, n_classes = targets(y_train.astype(np.int64), ctx.n_outputs, "data")
    d_test, _ = targets(y_test.astype(np.int64), ctx.n_outputs, "data")
    if len(class_names) > n_classes:
        raise config_error(
            "err_classes_outputs",
            n=len(class_names),
            outputs=ctx.n_outputs,
            field="data.source",
        )
    fmap = featurize or (lambda p: p)
    if names is None:
        names = featurize.names if featurize else [f"x{i + 1}" for i in range(r_train.shape[1])]
    keep_raw = featurize is not None
    return Dataset(
        fmap(r_train),
        d_train,
        fmap(r_test),
        d_test,
        n_classes,
        names,
        class_names,
        raw_train=r_train if keep_raw else None,
        raw_test=r_test if keep_raw else None,
        featurize=featurize,
        extent=extent,
    )


# ---- input features of the 2-D problems -------------------------------------------------------

FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1^2": lambda p: p[:, 0] ** 2,
    "x2^2": lambda p: p[:, 1] ** 2,
    "x1*x2": lambda p: p[:, 0] * p[:, 1],
    "sin_x1": lambda p: np.sin(p[:, 0]),
    "sin_x2": lambda p: np.sin(p[:, 1]),
}


class FeatureMap:
    """Maps 2-D points (x1, x2) to the chosen input features, in the order given."""

    def __init__(self, names: list[str]) -> None:
        for name in names:
            if name not in FEATURES:
                hint = suggest(name, FEATURES)
                where = {"name": repr(name), "field": "data.features"}
                if hint:
                    raise config_error("err_feature_hint", hint=repr(hint), **where)
                raise config_error("err_feature", choices=", ".join(FEATURES), **where)
        if len(set(names)) != len(names):
            raise config_error("err_feature_twice", field="data.features")
        self.names = list(names)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        return np.stack([FEATURES[n](points) for n in self.names], axis=1)

    def __repr__(self) -> str:
        return f"FeatureMap({self.names})"


# ---- the 2-D generators: (rng, n, noise in 0..0.5) -> (points n×2, class indices) -------------


def _halves(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


def _polar(rng: np.random.Generator, r: np.ndarray) -> np.ndarray:
    angle = rng.uniform(0, 2 * np.pi, len(r))
    return np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)


def circle_points(rng: np.random.Generator, n: int, noise: float):
    """Class 1 in the disc of radius 2.5, class 0 in the ring 3.5..5 (before label noise)."""
    n_in, n_out = _halves(n)
    radius = 5.0
    inner = _polar(rng, rng.uniform(0, radius * 0.5, n_in))
    outer = _polar(rng, rng.uniform(radius * 0.7, radius, n_out))
    p = np.concatenate([inner, outer])
    jitter = rng.uniform(-radius, radius, p.shape) * noise
    labels = (np.hypot(*(p + jitter).T) < radius * 0.5).astype(np.int64)
    return p, labels


def xor_points(rng: np.random.Generator, n: int, noise: float):
    """Uniform in [-5, 5]² pushed 0.3 away from the axes; class 1 where x1·x2 ≥ 0."""
    p = rng.uniform(-5, 5, (n, 2))
    p += np.where(p > 0, 0.3, -0.3)
    jitter = rng.uniform(-5, 5, p.shape) * noise
    q = p + jitter
    return p, (q[:, 0] * q[:, 1] >= 0).astype(np.int64)


def gauss_variance(noise: float) -> float:
    """Playground's variance of each cloud: 0.5 at noise 0 rising linearly to 4 at noise 50%."""
    return 0.5 + (4.0 - 0.5) * noise / 0.5


def gauss_points(rng: np.random.Generator, n: int, noise: float):
    """Class 1 a normal cloud around (2, 2), class 0 around (-2, -2)."""
    n1, n0 = _halves(n)
    std = np.sqrt(gauss_variance(noise))
    pos = rng.normal(2.0, std, (n1, 2))
    neg = rng.normal(-2.0, std, (n0, 2))
    return np.concatenate([pos, neg]), np.repeat([1, 0], [n1, n0])


def spiral_points(rng: np.random.Generator, n: int, noise: float):
    """Two interleaved spirals of radius 0..5 and 1.75 turns; class 1 starts at angle 0."""
    arms = []
    for count, turn in zip(_halves(n), (0.0, np.pi), strict=True):
        i = np.arange(count) / max(count, 1)
        r, t = i * 5, 1.75 * i * 2 * np.pi + turn
        arm = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        arms.append(arm + rng.uniform(-1, 1, arm.shape) * noise)
    n1, n0 = _halves(n)
    return np.concatenate(arms), np.repeat([1, 0], [n1, n0])


def linear_rule(p: np.ndarray) -> np.ndarray:
    """Class 1 above the line x2 = x1/2 + 1 (not through the origin: the bias must learn)."""
    return (p[:, 1] > 0.5 * p[:, 0] + 1.0).astype(np.int64)


def linear_points(rng: np.random.Generator, n: int, noise: float):
    """Uniform in [-5, 5]², labelled by `linear_rule` at a jittered position, as xor is."""
    p = rng.uniform(-5, 5, (n, 2))
    return p, linear_rule(p + rng.uniform(-5, 5, p.shape) * noise)


GENERATORS = {
    "circle": circle_points,
    "xor": xor_points,
    "gauss": gauss_points,
    "spiral": spiral_points,
    "linear": linear_points,
}
PLANE_KEYS: dict[str, tuple[Check, Any]] = {
    "n": (integer(2, 1_000_000), 500),
    "noise": (number(0, 50), 0.0),
    "test_ratio": (ratio, 0.5),
    "seed": (integer(0), 0),
    "features": (name_list, ["x1", "x2"]),
}


def plane_dataset(name: str, spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """One of the 2-D problems: draw, split (seeded), then map to the chosen features."""
    k = read_keys(spec, name, PLANE_KEYS)
    features = FeatureMap(k["features"])
    rng = np.random.default_rng(k["seed"])
    points, labels = GENERATORS[name](rng, k["n"], k["noise"] / 100)
    parts = split_classes(points, labels, k["test_ratio"], k["seed"])
    return class_dataset(parts, ctx, ["0", "1"], PLANE, features)


def _register_plane(name: str) -> None:
    @source(name)
    def load(spec: dict[str, Any], ctx: DataContext) -> Dataset:
        return plane_dataset(name, spec, ctx)

    load.__doc__ = f"The Playground-style {name!r} problem; keys {', '.join(PLANE_KEYS)}."


for _name in PLANE_SOURCES:
    _register_plane(_name)


# ---- the 4-class homework of the course notes ---------------------------------------------------


def sphere4_class(p: np.ndarray) -> np.ndarray:
    """Class index 0..3 (shown as 1..4) of points (x, y, z).

    Inside the sphere x² + y² + z² = 16 and above the paraboloid z = (x² + y²)/10: 0;
    inside and below: 1; outside and above: 2; outside and below: 3.
    """
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    outside = x**2 + y**2 + z**2 >= 16
    below = z <= (x**2 + y**2) / 10
    return 2 * outside.astype(np.int64) + below.astype(np.int64)


@source("sphere4")
def sphere4(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """Points uniform in the cube |x|, |y|, |z| < 6 labelled by `sphere4_class`."""
    k = read_keys(
        spec,
        "sphere4",
        {"n": (integer(4, 1_000_000), 2000), "test_ratio": (ratio, 0.2), "seed": (integer(0), 0)},
    )
    rng = np.random.default_rng(k["seed"])
    points = rng.uniform(-6, 6, (k["n"], 3))
    parts = split_classes(points, sphere4_class(points), k["test_ratio"], k["seed"])
    return class_dataset(parts, ctx, ["1", "2", "3", "4"], CUBE, names=["x", "y", "z"])


# ---- regression targets from a formula --------------------------------------------------------


def value_range(v: Any) -> tuple[float, float]:
    if not isinstance(v, list) or len(v) != 2:
        raise config_error("err_range", got=repr(v))
    lo, hi = (number()(a) for a in v)
    if not lo < hi:
        raise config_error("err_range_order", lo=f"{lo:g}", hi=f"{hi:g}")
    return lo, hi


@source("function")
def function(spec: dict[str, Any], ctx: DataContext) -> Dataset:
    """Inputs uniform in `range`, targets d = formula(x) + noise·N(0, 1) (one output)."""
    k = read_keys(
        spec,
        "function",
        {
            "formula": (text, "3*x0 + 2*x1"),
            "inputs": (integer(1, MAX_INPUTS), None),
            "n": (integer(2, 1_000_000), 1000),
            "range": (value_range, (0.0, 1.0)),
            "noise": (number(0), 0.0),
            "test_ratio": (ratio, 0.2),
            "seed": (integer(0), 0),
        },
    )
    try:
        f = Formula(k["formula"])
        n_inputs = k["inputs"] or max(f.n_inputs, 1)
        check_values(k["n"] * n_inputs, field="data.n")  # n rows of n_inputs columns
        rng = np.random.default_rng(k["seed"])
        x = rng.uniform(*k["range"], (k["n"], n_inputs))
        d = f(x) + k["noise"] * rng.standard_normal(k["n"])
    except ConfigError as e:
        raise e.located(field="data.formula") from None
    x_train, d_train, x_test, d_test = split(x, d.reshape(-1, 1), k["test_ratio"], k["seed"])
    names = [f"x{i}" for i in range(n_inputs)]  # 0-based, as the formula writes them
    return Dataset(
        x_train, d_train, x_test, d_test, None, names, [], extent=(k["range"],) * n_inputs
    )
