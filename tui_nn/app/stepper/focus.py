"""What the diagram and the weight table highlight for a step, worked out from the step alone.

Three roles, as a student reads the network while computing one number:
- *current*: the unit whose value is computed, or the weight whose ∂E/∂w or update it is;
- *inputs*: what feeds that number directly (the units and weights summed into net_h1);
- *path*: where the chain rule comes back from (the units and weights between the outputs and
  the current unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui_nn.core.worked import Step

Unit = tuple[int, int]  # (layer, 0-based unit); layer 0 = the inputs
Entry = tuple[str, tuple[int, ...]]  # ("W2", (i, j)) or ("b1", (j,))

#: Step kinds about one output unit's error, whose path starts at E itself.
LOSS_KINDS = {"error_term", "error_total", "error_mean", "error_matrix", "dE_dout"}


@dataclass
class Focus:
    """Highlight roles of units, weights and layers for one step."""

    units: set[Unit] = field(default_factory=set)
    input_units: set[Unit] = field(default_factory=set)
    path_units: set[Unit] = field(default_factory=set)
    weights: set[Entry] = field(default_factory=set)
    input_weights: set[Entry] = field(default_factory=set)
    path_weights: set[Entry] = field(default_factory=set)
    loss: bool = False  # the error E is part of this step

    def unit_role(self, unit: Unit) -> str:
        """ "current", "input", "path" or "" for a unit."""
        return _role(unit, self.units, self.input_units, self.path_units)

    def weight_role(self, entry: Entry) -> str:
        return _role(entry, self.weights, self.input_weights, self.path_weights)


def _role(key, current: set, inputs: set, path: set) -> str:
    if key in current:
        return "current"
    if key in inputs:
        return "input"
    return "path" if key in path else ""


def _all_entries(param: str, layers: list[int]) -> set[Entry]:
    li = int(param[1:])
    if param[0] == "W":
        return {(param, (i, j)) for i in range(layers[li - 1]) for j in range(layers[li])}
    return {(param, (j,)) for j in range(layers[li])}


def _layer_units(li: int, layers: list[int]) -> set[Unit]:
    return {(li, j) for j in range(layers[li])}


def downstream(li: int, j: int, layers: list[int]) -> tuple[set[Unit], set[Entry]]:
    """The units and weights the chain rule passes from the outputs back to unit j of layer li."""
    L = len(layers) - 1
    units: set[Unit] = set()
    weights: set[Entry] = set()
    for m in range(li + 1, L + 1):
        units |= _layer_units(m, layers)
        if m == li + 1:
            weights |= {(f"W{m}", (j, k)) for k in range(layers[m])}
        else:
            weights |= _all_entries(f"W{m}", layers)
    return units, weights


def _incoming(li: int, j: int, layers: list[int]) -> tuple[set[Unit], set[Entry]]:
    units = _layer_units(li - 1, layers)
    weights = {(f"W{li}", (i, j)) for i in range(layers[li - 1])} | {(f"b{li}", (j,))}
    return units, weights


def focus(step: Step, layers: list[int]) -> Focus:
    """The highlight roles for `step` in a network of `layers` units per layer."""
    L = len(layers) - 1
    f = Focus(loss=step.kind in LOSS_KINDS)
    li, j = step.layer, step.unit
    if step.param is not None:
        _param_focus(f, step, layers)
    elif li is not None and j is not None:
        f.units.add((li, j))
    elif li is not None:
        f.units |= _layer_units(li, layers)
    if step.kind == "error_total" or step.kind.startswith("error_m"):
        f.input_units |= _layer_units(L, layers)
    if step.kind in ("net", "net_matrix") and li:
        if j is None:
            f.input_units |= _layer_units(li - 1, layers)
            f.input_weights |= _all_entries(f"W{li}", layers) | _all_entries(f"b{li}", layers)
        else:
            units, weights = _incoming(li, j, layers)
            f.input_units |= units
            f.input_weights |= weights
    if step.phase == "backward" and li is not None:
        _backward_path(f, step, layers)
    return f


def _param_focus(f: Focus, step: Step, layers: list[int]) -> None:
    entries = (
        {(step.param, tuple(step.index))}
        if step.index is not None
        else _all_entries(step.param, layers)
    )
    f.weights |= entries
    li = int(step.param[1:])
    if step.phase != "backward":
        return
    for _, index in entries:
        j = index[-1]
        f.units.add((li, j))
        if step.param[0] == "W":
            f.input_units.add((li - 1, index[0]))


def _backward_path(f: Focus, step: Step, layers: list[int]) -> None:
    L = len(layers) - 1
    li = step.layer
    if step.kind == "path" and step.unit is not None:
        # id "backward.path.{li}.{j}.{k}[.n…]": one path back through unit k of layer li + 1.
        k = int(step.id.split(".")[4])
        f.path_units.add((li + 1, k))
        f.path_weights.add((f"W{li + 1}", (step.unit, k)))
        units, weights = downstream(li + 1, k, layers)
        f.path_units |= units
        f.path_weights |= weights
        return
    js = [step.unit] if step.unit is not None else list(range(layers[li]))
    for j in js:
        units, weights = downstream(li, j, layers)
        f.path_units |= units
        f.path_weights |= weights
    f.loss = f.loss or li == L or bool(f.path_units)
