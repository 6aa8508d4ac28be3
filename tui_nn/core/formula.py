"""A safe formula of the inputs, such as the course's f(x) = 3x₀ + 2x₁.

The text is parsed with `ast` and walked by our own evaluator over a whitelist of nodes:
numbers, the inputs `x0, x1, ...` (or `x[0], x[1], ...`, as the course's code writes them),
`pi`, `e`, + - * / ** and a few NumPy functions. Nothing is ever passed to eval, so a formula
in a preset cannot run code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

import numpy as np

from tui_nn.core.errors import config_error
from tui_nn.core.limits import MAX_INPUTS

FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
}
CONSTANTS = {"pi": np.pi, "e": np.e}
BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}
MAX_LENGTH = 500
_INPUT = re.compile(r"x(\d+)$")
#: What a formula may use: a fragment of several errors, worded in the error's language.
HELP = config_error("err_formula_help", functions=", ".join(FUNCTIONS))


def _index(digits: str) -> int:
    """An input's index, below MAX_INPUTS: x99999999999 would need a column per index below it
    (and int() refuses more than 4,300 digits)."""
    if len(digits) > len(str(MAX_INPUTS)) or int(digits) >= MAX_INPUTS:
        raise config_error("err_formula_input_big", last=MAX_INPUTS - 1, name=f"x{digits[:12]}")
    return int(digits)


class Formula:
    """A compiled formula: call it with input rows x (n × k) to get one value per row."""

    def __init__(self, text: str) -> None:
        if not isinstance(text, str) or not text.strip():
            raise config_error("err_formula_text", help=HELP)
        if len(text) > MAX_LENGTH:
            raise config_error("err_formula_long", n=MAX_LENGTH)
        self.text = text
        try:
            self._tree = ast.parse(text.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            raise config_error("err_formula_syntax", text=repr(text), help=HELP) from None
        self.inputs: set[int] = set()
        self._check(self._tree)

    @property
    def n_inputs(self) -> int:
        """How many input columns the formula needs: one more than the highest index used."""
        return max(self.inputs) + 1 if self.inputs else 0

    def _check(self, node: ast.AST) -> None:
        """Reject every node outside the whitelist, before anything is computed."""
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
            self._check(node.operand)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise config_error("err_formula_number", value=repr(node.value), help=HELP)
        elif isinstance(node, ast.Name):
            self._name(node.id)
        elif isinstance(node, ast.Subscript):
            self.inputs.add(self._subscript(node))
        elif isinstance(node, ast.Call):
            self._call(node)
            self._check(node.args[0])
        else:
            raise config_error("err_formula_not_allowed", part=repr(ast.unparse(node)), help=HELP)

    def _name(self, name: str) -> None:
        m = _INPUT.match(name)
        if m:
            self.inputs.add(_index(m.group(1)))
        elif name not in CONSTANTS:
            raise config_error("err_formula_name", name=repr(name), help=HELP)

    @staticmethod
    def _subscript(node: ast.Subscript) -> int:
        index = node.slice
        ok = isinstance(node.value, ast.Name) and node.value.id == "x"
        if not ok or not isinstance(index, ast.Constant) or type(index.value) is not int:
            raise config_error("err_formula_subscript", part=repr(ast.unparse(node)))
        return _index(str(index.value))

    @staticmethod
    def _call(node: ast.Call) -> None:
        f = node.func
        if not isinstance(f, ast.Name) or f.id not in FUNCTIONS:
            raise config_error("err_formula_function", name=repr(ast.unparse(f)), help=HELP)
        if len(node.args) != 1 or node.keywords:
            raise config_error("err_formula_args", name=f.id)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """The formula's value for each row of x; ConfigError if any value is NaN or infinite."""
        if x.shape[1] < self.n_inputs:
            raise config_error(
                "err_formula_inputs", top=self.n_inputs - 1, n=x.shape[1], last=x.shape[1] - 1
            )
        with np.errstate(all="ignore"):
            y = np.broadcast_to(self._eval(self._tree, x), (len(x),)).astype(np.float64)
        if not np.isfinite(y).all():
            raise config_error("err_formula_nan", text=repr(self.text))
        return y

    def _eval(self, node: ast.AST, x: np.ndarray) -> np.ndarray | float:
        if isinstance(node, ast.BinOp):
            return BINARY[type(node.op)](self._eval(node.left, x), self._eval(node.right, x))
        if isinstance(node, ast.UnaryOp):
            return UNARY[type(node.op)](self._eval(node.operand, x))
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            m = _INPUT.match(node.id)
            return x[:, int(m.group(1))] if m else CONSTANTS[node.id]
        if isinstance(node, ast.Subscript):
            return x[:, node.slice.value]
        call: ast.Call = node  # the only node left after _check
        return FUNCTIONS[call.func.id](self._eval(call.args[0], x))
