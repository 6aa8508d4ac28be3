"""One fully connected layer, u = z_prev · W + b, z = f(u), in the row-vector convention.

`forward` keeps what `backward` needs (z_prev, u, z); `backward` takes δ = ∂E/∂u of this
layer, stores ∂E/∂W = z_prevᵀ δ and ∂E/∂b = Σ_n δ, and returns ∂E/∂z_prev = δ Wᵀ.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core.activations import Activation


class Dense:
    def __init__(
        self,
        index: int,
        W: np.ndarray,
        b: np.ndarray,
        f: Activation,
        dW: np.ndarray | None = None,
        db: np.ndarray | None = None,
    ) -> None:
        self.index = index  # 1 for W1/b1, as in the course
        self.W = W
        self.b = b
        self.f = f
        self.z_prev: np.ndarray | None = None
        self.u: np.ndarray | None = None
        self.z: np.ndarray | None = None
        self.delta: np.ndarray | None = None
        # Gradients are written into these buffers (views of the network's flat `grad`).
        self.dW = np.zeros_like(W) if dW is None else dW
        self.db = np.zeros_like(b) if db is None else db

    def forward(self, z_prev: np.ndarray) -> np.ndarray:
        self.z_prev = z_prev
        self.u = z_prev @ self.W + self.b
        self.z = self.f.forward(self.u)
        return self.z

    def backward(self, delta: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        self.delta = delta
        np.matmul(self.z_prev.T, delta, out=self.dW)
        np.add.reduce(delta, axis=0, out=self.db)
        # The first layer's input is data: its gradient is never used, so skip the matmul.
        return delta @ self.W.T if need_input_grad else None
