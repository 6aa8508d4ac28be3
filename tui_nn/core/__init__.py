"""The engine: pure NumPy, no UI imports.

What most callers need is exported here. The app and the CLI may also import a module of core by
name (each module is one idea: `core.landscape`, `core.safe_text`, ...), but a sub-package such
as `core.worked` only through its `__init__`: import-linter's contracts in pyproject.toml hold
both rules and keep core from importing textual, rich or the app."""

from tui_nn.core import datafiles, datasets  # noqa: F401  (registers the data sources)
from tui_nn.core.codegen import generate_code, write_code
from tui_nn.core.data import Dataset
from tui_nn.core.errors import ConfigError, Diverged
from tui_nn.core.export import current_preset, with_weights, write_history_csv, write_preset
from tui_nn.core.files import ExportError
from tui_nn.core.gradcheck import gradient_check
from tui_nn.core.network import GradCheck, Network, NetworkConfig
from tui_nn.core.preset_data import load_data
from tui_nn.core.presets import Preset, TrainConfig, builtin_presets, load, parse
from tui_nn.core.trainer import History, StepResult, Trainer, accuracy
from tui_nn.core.weights import load_weights, save_weights
from tui_nn.core.worked import Factor, Step, Trace, build_trace

__all__ = [
    "ConfigError",
    "Dataset",
    "Diverged",
    "ExportError",
    "Factor",
    "GradCheck",
    "History",
    "Network",
    "NetworkConfig",
    "Preset",
    "Step",
    "StepResult",
    "Trace",
    "TrainConfig",
    "Trainer",
    "accuracy",
    "build_trace",
    "builtin_presets",
    "current_preset",
    "generate_code",
    "gradient_check",
    "load",
    "load_data",
    "load_weights",
    "parse",
    "save_weights",
    "with_weights",
    "write_code",
    "write_history_csv",
    "write_preset",
]
