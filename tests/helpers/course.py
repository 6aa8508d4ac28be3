"""The course's printed output, computed here by an independent NumPy program."""

from __future__ import annotations

import numpy as np

W1 = np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])
B1 = np.array([0.1, 0.2, 0.3])
W2 = np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]])
B2 = np.array([0.1, 0.2])


def print_vec(label: str, vec) -> str:
    """The course's print_vec: the label between ***, the value as print() shows it, a blank."""
    return f"*** {label} ***\n{vec}\n\n"


def notebook_1_2(slip: str | None = None) -> str:
    """The course's notebook 1_2 (2-3-2 ReLU, softmax, cross-entropy), with an optional slip."""
    x, d, lr = np.array([[1.0, 5.0]]), np.array([[0.0, 1.0]]), 0.01
    u1 = x @ W1 + B1
    z1 = np.maximum(u1, 0)
    u2 = z1 @ W2 + B2
    y = np.exp(u2) / np.exp(u2).sum()
    loss = -np.sum(d * np.log(y + 1e-7))
    delta2 = (y - d) if slip != "sign" else (d - y)
    new_w2 = W2 - lr * (z1.T @ delta2)
    back = new_w2 if slip == "early_update" else W2
    if slip == "sigma_prime":  # d_sigmoid(z1) in a ReLU network, as in the course's 1_3
        s = 1 / (1 + np.exp(-z1))
        delta1 = (delta2 @ back.T) * s * (1 - s)
    else:
        delta1 = (delta2 @ back.T) * (u1 > 0)
    out = print_vec("重み1", W1) + print_vec("バイアス1", B1) + print_vec("総入力1", u1)
    out += print_vec("中間層出力1", z1) + print_vec("出力", y) + print_vec("訓練データ", d)
    out += print_vec("誤差", loss) + print_vec("偏微分_dE/du2", delta2)
    out += print_vec("偏微分_dE/du2", delta1)  # 1_2 prints δ1 under the δ2 label
    out += print_vec("偏微分_重み1", x.T @ delta1) + print_vec("偏微分_バイアス1", delta1.sum(0))
    out += print_vec("偏微分_重み2", z1.T @ delta2)
    out += print_vec("重み1", W1 - lr * (x.T @ delta1))  # after the update
    return out
