"""tui-nn: a neural-network trainer in the terminal that shows every number of backprop."""

__version__ = "0.1.0"
