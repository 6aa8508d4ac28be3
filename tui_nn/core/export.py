"""What leaves the app besides the weights (`weights`): the training history (.csv) and the
current experiment as a preset (.toml). The standalone Python script is in `codegen`.

Every writer goes through `files.write_atomic`, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tui_nn.core.errors import ConfigError
from tui_nn.core.files import check_free, write_text
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.safe_text import visible
from tui_nn.core.weights import save_weights
from tui_nn.i18n import t

if TYPE_CHECKING:
    from tui_nn.core.network import NetworkConfig
    from tui_nn.core.presets import Preset
    from tui_nn.core.train_config import TrainConfig
    from tui_nn.core.trainer import Trainer


def with_weights(
    preset: Preset, params: dict[str, np.ndarray], *, source: str | None = None
) -> Preset:
    """The preset with these starting weights (all of them replace the preset's own).

    Raises ConfigError naming the parameter when a name or shape does not fit the layers;
    `source` (e.g. the .npz the weights came from) is the file the message names.
    """
    weights = {k: np.asarray(v, dtype=np.float64).copy() for k, v in params.items()}
    network = replace(preset.network, weights=weights)
    try:
        network.validate()
    except ConfigError as e:
        raise ConfigError(
            e.reason, file=source or preset.file, field=e.field, key=e.key, values=e.values
        ) from None
    return replace(preset, network=network)


# ---- history ----------------------------------------------------------------------------


def history_table(trainer: Trainer, *, per_step: bool = False) -> tuple[list[str], np.ndarray]:
    """Columns and rows of the trainer's evaluations (or of every update when `per_step`).

    Evaluation rows: step, epoch, lr, train_loss, train_accuracy, test_loss, test_accuracy,
    grad_norm_W1, ...; per-step rows: step, epoch, lr, loss, grad_norm_W1, ... The CLI
    evaluates once more after its last update; a repeated row for the same step is dropped.
    """
    hist = trainer.steps if per_step else trainer.evals
    rows = hist.rows()
    if len(rows):
        keep = np.ones(len(rows), dtype=bool)
        keep[:-1] = rows[1:, 0] != rows[:-1, 0]  # keep the later of two rows for one step
        rows = rows[keep]
    return list(hist.columns), rows


def history_csv(trainer: Trainer, *, per_step: bool = False) -> str:
    """The history as CSV text: full-precision numbers, an empty cell where there is none."""
    columns, rows = history_table(trainer, per_step=per_step)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(columns)
    for row in rows:
        out.writerow([_cell(name, v) for name, v in zip(columns, row, strict=True)])
    return buf.getvalue()


def _cell(column: str, v: float) -> str:
    if math.isnan(v):
        return ""
    return str(int(v)) if column == "step" else repr(float(v))


def write_history_csv(
    path: Path | str, trainer: Trainer, *, per_step: bool = False, overwrite: bool = False
) -> Path:
    """Write `history_csv` atomically."""
    return write_text(path, history_csv(trainer, per_step=per_step), overwrite=overwrite)


# ---- presets as TOML --------------------------------------------------------------------


def current_preset(trainer: Trainer, *, trained_weights: bool = False) -> Preset:
    """The experiment as it is now: the preset with the trainer's (possibly tuned) settings,
    and, when `trained_weights`, the weights reached so far as its starting weights."""
    preset = replace(trainer.preset, train=trainer.cfg)
    if trained_weights:
        preset = with_weights(preset, trainer.net.params)
    return preset


def preset_document(
    preset: Preset, *, weights_file: str | None = None, data_dir: Path | None = None
) -> dict[str, dict[str, Any]]:
    """The preset as a TOML document (nested dicts) that `presets.parse` reads back.

    Starting weights go in [network.weights] unless `weights_file` names an .npz holding them.
    `data_dir`: the folder the TOML will be written to; [data] paths that name files relative
    to the preset's own folder are rewritten relative to it.
    """
    meta = {
        "name": preset.name,
        "name_ja": preset.name_ja,
        "description": preset.description,
        "description_ja": preset.description_ja,
    }
    data = dict(preset.data)
    if data_dir is not None:
        data = {k: _rebase(v, preset.base_dir, data_dir) for k, v in data.items()}
    return {
        "preset": {k: v for k, v in meta.items() if v},
        "network": _network_table(preset.network, weights_file),
        "data": data,
        "train": _train_table(preset.train),
        **({"view": {"pace": preset.pace}} if preset.pace != "max" else {}),
    }


def _network_table(net: NetworkConfig, weights_file: str | None) -> dict[str, Any]:
    network: dict[str, Any] = {
        "layers": list(net.layers),
        "activation": net.activation,
        "output": net.output,
        "loss": net.loss,
        "init": net.init,
        "seed": net.seed,
        "leaky_slope": net.leaky_slope,
    }
    if net.init_std is not None:
        network["init_std"] = net.init_std
    # The course's conventions, written only when chosen, so other exports stay as they were.
    network.update(_chosen(net, bias_init="zeros", relu_grad_at_zero=0))
    if weights_file:
        network["weights_file"] = weights_file
    elif net.weights:
        network["weights"] = {k: np.asarray(v).tolist() for k, v in net.weights.items()}
    return network


def _train_table(tr: TrainConfig) -> dict[str, Any]:
    return {
        "optimizer": tr.optimizer,
        "lr": tr.lr,
        "batch_size": tr.batch_size,
        # The run's length: its steps when the preset gives them, else its epochs.
        **({"steps": tr.steps} if tr.steps else {"epochs": tr.epochs}),
        "shuffle": tr.shuffle,
        "seed": tr.seed,
        "lr_decay_every": tr.lr_decay_every,
        "lr_decay_factor": tr.lr_decay_factor,
        "weight_decay": tr.weight_decay,
        "freeze": list(tr.freeze),
        "dtype": tr.dtype,
        "eval_every": tr.eval_every,
        **_chosen(tr, reduction="mean", sampling="", eval_train="all"),
        # Every constant, defaults included, so the student sees what there is to tune.
        **OPTIMIZERS[tr.optimizer].defaults,
        **tr.constants,
    }


def _chosen(cfg: Any, **defaults: Any) -> dict[str, Any]:
    """The settings of `cfg` that differ from their defaults."""
    return {k: getattr(cfg, k) for k, v in defaults.items() if getattr(cfg, k) != v}


def _rebase(value: Any, old: Path, new: Path) -> Any:
    """A relative path that names a file next to the old preset, made relative to `new`."""
    if not isinstance(value, str) or not value or Path(value).is_absolute():
        return value
    target = old / value
    if not target.is_file():
        return value
    return os.path.relpath(target.resolve(), new.resolve())


def preset_toml(
    preset: Preset,
    *,
    weights_file: str | None = None,
    data_dir: Path | None = None,
    lang: str = "en",
) -> str:
    """The preset as TOML text, with a header comment saying where it came from."""
    doc = preset_document(preset, weights_file=weights_file, data_dir=data_dir)
    # visible(): a newline in the name would end the comment and start TOML of its own.
    header = f"# {visible(t('export_preset_header', lang, name=preset.name))}\n\n"
    return header + dumps_toml(doc)


def write_preset(
    path: Path | str,
    preset: Preset,
    *,
    weights_npz: bool = False,
    overwrite: bool = False,
    lang: str = "en",
) -> list[Path]:
    """Write the preset as TOML; with `weights_npz`, its starting weights go to a companion
    `<name>.npz` next to it (for big networks) instead of inline. Returns the files written."""
    path = Path(path)
    folder = path.parent
    written = []
    npz_name = None
    if weights_npz and preset.network.weights:
        npz_name = path.with_suffix(".npz").name
        check_free(path, folder / npz_name, overwrite=overwrite)
        written.append(save_weights(folder / npz_name, preset.network.weights, overwrite=overwrite))
    text = preset_toml(preset, weights_file=npz_name, data_dir=folder, lang=lang)
    written.insert(0, write_text(path, text, overwrite=overwrite))
    return written


# ---- a small TOML writer for the preset schema -------------------------------------------


def dumps_toml(doc: dict[str, dict[str, Any]]) -> str:
    """Tables of scalars, lists and inline tables; a nested dict under a table becomes a
    sub-table ([network.weights]). Floats are written with repr, which reads back exactly."""
    parts = []
    for name, table in doc.items():
        parts.append(_table(name, table))
    return "\n".join(parts)


def _table(name: str, table: dict[str, Any]) -> str:
    lines = [f"[{name}]"]
    subs = []
    for key, value in table.items():
        if isinstance(value, dict) and value:
            subs.append(_table(f"{name}.{_key(key)}", value))
        else:
            lines.append(f"{_key(key)} = {toml_value(value)}")
    return "\n".join(lines) + "\n" + "".join("\n" + s for s in subs)


def _key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
    return key if bare else toml_string(key)


def toml_string(s: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    out = []
    for c in s:
        if c in escapes:
            out.append(escapes[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def toml_value(v: Any) -> str:
    """One TOML value: bool, int, float (repr, exact), string, list or inline table."""
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return repr(f)
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list | tuple | np.ndarray):
        items = [toml_value(x) for x in v]
        if any(isinstance(x, list | tuple | np.ndarray) for x in v):
            return "[\n    " + ",\n    ".join(items) + ",\n]" if items else "[]"
        return "[" + ", ".join(items) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")
