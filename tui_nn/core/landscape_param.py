"""One parameter of the network named as the course writes it (W1[0, 1], b2[0]), with its
layer and its place in the flat vector θ: what a landscape is drawn over."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Param:
    """One parameter of the network: W1[0, 1] is name "W1", index (0, 1) (0-based, as NumPy)."""

    name: str
    index: tuple[int, ...]
    layer: int  # 1 for W1 and b1, as in the course
    flat: int  # its position in the network's flat vector θ

    @property
    def label(self) -> str:
        return label_of(self.name, self.index)

    @property
    def is_weight(self) -> bool:
        return self.name[0] == "W"


def flat_position(layers: list[int], layer: int, weight: bool, index: tuple[int, ...]) -> int:
    """Where W_l[i, j] or b_l[j] sits in θ = (W1, b1, W2, b2, ...), each row by row."""
    offset = sum(a * b + b for a, b in pairwise(layers[:layer]))
    n_in, n_out = layers[layer - 1], layers[layer]
    if weight:
        return offset + index[0] * n_out + index[1]
    return offset + n_in * n_out + index[0]


def label_of(name: str, index: tuple[int, ...]) -> str:
    """How the course and the dialogs write a parameter: W1[0,1], b2[0]."""
    return f"{name}[{','.join(map(str, index))}]"
