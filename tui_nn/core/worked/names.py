"""The names of units, weights and biases in the formulas, as the course writes them.

For networks with at most one hidden layer Mazur's names (inputs i1.., hidden h1.., outputs
o1.., weights w1..wN numbered layer by layer, for each unit j of the layer, for each input i).
With two or more hidden layers: hidden unit j of layer l is h{l}_{j}, and the weight from unit i
of layer l−1 to unit j of layer l is w{l}_{ji} (the course's w_ji^(l)). Biases: b1 for a whole
layer when its biases are frozen and equal (as Mazur's), else b{l}_{j}.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.worked.expr import F, sub


def error_symbol(batch: int, n: int | None) -> F:
    """E_total for a batch of one (as Mazur's), E_n of sample n, or E for the batch mean."""
    if batch == 1:
        return F("E_total", r"E_{\mathrm{total}}")
    return F("E", "E") if n is None else F(f"E_{n + 1}", sub("E", str(n + 1)))


class Names:
    """Names of units, weights and biases: Mazur's for ≤ 1 hidden layer, layer-indexed beyond."""

    def __init__(self, layers: list[int], params: dict[str, np.ndarray], frozen: list[str]) -> None:
        self.layers = layers
        self.L = len(layers) - 1
        self.deep = self.L > 2
        self.wide = max(layers) > 9
        # The numbering w1..wN runs on across the layers.
        self.offset = np.cumsum([0, *(layers[i] * layers[i + 1] for i in range(self.L))])
        # A layer's biases share one name (b1, as Mazur's do) when they are equal and frozen:
        # then they are one number that never changes.
        self.shared = {
            li: f"b{li}" in frozen and bool(np.all(params[f"b{li}"] == params[f"b{li}"].flat[0]))
            for li in range(1, self.L + 1)
        }

    def _unit(self, li: int, j: int) -> tuple[str, str]:
        if li == 0:
            return f"i{j + 1}", f"i{j + 1}"
        if li == self.L:
            return f"o{j + 1}", f"o{j + 1}"
        if self.deep:
            return f"h{li}_{j + 1}", f"h{li},{j + 1}"
        return f"h{j + 1}", f"h{j + 1}"

    def unit(self, li: int, j: int) -> str:
        return self._unit(li, j)[0]

    def net(self, li: int, j: int) -> F:
        text, tex = self._unit(li, j)
        return F(f"net_{text}", rf"\mathrm{{net}}_{{{tex}}}")

    def out(self, li: int, j: int) -> F:
        """out_h1, or the input i1 itself for l = 0 (∂net_h1/∂w1 = i1)."""
        text, tex = self._unit(li, j)
        if li == 0:
            return F(text, sub(text[0], text[1:]))
        return F(f"out_{text}", rf"\mathrm{{out}}_{{{tex}}}")

    def target(self, k: int) -> F:
        return F(f"target_o{k + 1}", rf"\mathrm{{target}}_{{o{k + 1}}}")

    def weight(self, li: int, i: int, j: int) -> F:
        """The weight from unit i of layer l−1 to unit j of layer l, W_l[i, j]."""
        if self.deep:
            ji = f"{j + 1},{i + 1}" if self.wide else f"{j + 1}{i + 1}"
            return F(f"w{li}_{ji}", f"w^{{({li})}}_{{{ji}}}")
        k = int(self.offset[li - 1]) + j * self.layers[li - 1] + i + 1
        return F(f"w{k}", sub("w", str(k)))

    def bias(self, li: int, j: int) -> F:
        if self.shared[li]:
            return F(f"b{li}", sub("b", str(li)))
        if self.deep:
            return F(f"b{li}_{j + 1}", f"b^{{({li})}}_{{{j + 1}}}")
        return F(f"b{li}_{j + 1}", f"b_{{{li},{j + 1}}}")

    def param_entry(self, name: str, index: tuple[int, ...]) -> F:
        li = int(name[1:])
        return self.weight(li, *index) if name[0] == "W" else self.bias(li, index[0])
