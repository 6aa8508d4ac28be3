"""Presets: one TOML file describes one experiment, validated field by field.

Every problem becomes one ConfigError naming the file, the field (`train.lr`) and the reason.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tui_nn.core.activations import OUTPUT
from tui_nn.core.checks import (
    Check,
    activation_spec,
    adam_beta,
    batch,
    flag,
    int_list,
    integer,
    name_list,
    nesting,
    number,
    one_of,
    suggest,
    text,
)
from tui_nn.core.conventions import SAMPLINGS, check_train_conventions
from tui_nn.core.errors import ConfigError, config_error
from tui_nn.core.limits import read_regular
from tui_nn.core.losses import LOSSES, REDUCTIONS
from tui_nn.core.network import BIAS_INITS, INITS, NetworkConfig
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.paths import user_path
from tui_nn.core.train_config import TrainConfig
from tui_nn.core.weights import parse_weights, weights_from_file


@dataclass
class Preset:
    name: str
    network: NetworkConfig
    data: dict[str, Any]
    train: TrainConfig
    name_ja: str = ""
    description: str = ""
    description_ja: str = ""
    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    #: How messages name this preset: its path, or what the caller called it.
    origin: str = ""
    pace: str = "max"

    @property
    def file(self) -> str:
        return self.origin or (str(self.path) if self.path else self.name)

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path(".")


#: [view] pace, for the app (the CLI checks it): full speed, an epoch or update a frame, 1/s.
PACES = ("max", "epoch", "step", "slow")
#: Deepest nesting of arrays and tables in a preset ([network.weights] W1 is 4 levels).
MAX_DEPTH = 32

SCHEMA: dict[str, dict[str, Check]] = {
    "preset": {"name": text, "name_ja": text, "description": text, "description_ja": text},
    "view": {"pace": one_of(*PACES)},
    "network": {
        "layers": int_list,
        "activation": activation_spec,
        "output": one_of(*OUTPUT),
        "loss": one_of(*LOSSES),
        "init": one_of(*INITS),
        "bias_init": one_of(*BIAS_INITS),
        "relu_grad_at_zero": integer(0, 1),
        "init_std": number(0, open_lo=True),
        "seed": integer(0),
        "leaky_slope": number(0, 1),
        "weights_file": text,
    },
    "train": {
        "optimizer": one_of(*OPTIMIZERS),
        "lr": number(0, open_lo=True),
        "batch_size": batch,
        "epochs": integer(1),
        "steps": integer(0),
        "shuffle": flag,
        "seed": integer(0),
        "lr_decay_every": integer(0),
        "lr_decay_factor": number(0, 1, open_lo=True),
        "weight_decay": number(0),
        "freeze": name_list,
        "dtype": one_of("float64", "float32"),
        "eval_every": integer(0),
        "reduction": one_of(*REDUCTIONS),
        "sampling": one_of(*SAMPLINGS),
        "eval_train": one_of("all", "batch"),
        # optimizer constants (eps = 0 only for adagrad and rmsprop: see _train_config)
        "momentum": number(0, 1),
        "eps": number(0),
        "eps_in_sqrt": flag,
        "rho": number(0, 1),
        "beta1": adam_beta,
        "beta2": adam_beta,
    },
}
CONSTANTS = ("momentum", "eps", "rho", "beta1", "beta2", "eps_in_sqrt")


def _check_keys(section: str, table: Any, file: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise config_error("err_table", section=section, file=file, field=section)
    allowed = SCHEMA[section]
    out = {}
    for key, value in table.items():
        where = f"{section}.{key}"
        if section == "network" and key == "weights":
            continue
        if key not in allowed:
            hint = suggest(key, allowed)
            if hint:
                raise config_error("err_unknown_key_hint", hint=repr(hint), file=file, field=where)
            keys = ", ".join(allowed)
            raise config_error("err_unknown_key", keys=keys, file=file, field=where)
        try:
            out[key] = allowed[key](value)
        except ConfigError as e:
            raise e.located(file=file, field=where) from None
    return out


def parse(doc: dict[str, Any], file: str = "<preset>", path: Path | None = None) -> Preset:
    """Validate a preset document (already parsed from TOML) and build the Preset."""
    _check_sections(doc, file)
    meta = _check_keys("preset", doc.get("preset", {}), file)
    net = _check_keys("network", doc["network"], file)
    train = _check_keys("train", doc["train"], file)
    if not isinstance(doc["data"], dict):
        raise config_error("err_table", section="data", file=file, field="data")
    if "layers" not in net:
        raise config_error("err_missing_layers", file=file, field="network.layers")
    dtype = train.pop("dtype", "float64")
    net["reduction"] = train.get("reduction", "mean")
    cfg = _network_config(net, doc["network"].get("weights", {}), dtype, path, file)
    tc = _train_config(train, dtype, cfg, file)
    return Preset(
        name=meta.get("name") or (path.stem if path else "preset"),
        network=cfg,
        data=dict(doc["data"]),
        train=tc,
        name_ja=meta.get("name_ja", ""),
        description=meta.get("description", ""),
        description_ja=meta.get("description_ja", ""),
        path=path,
        raw=doc,
        origin=file,
        pace=_check_keys("view", doc.get("view", {}), file).get("pace", "max"),
    )


def _check_sections(doc: dict[str, Any], file: str) -> None:
    """Known sections only, and [network], [data] and [train] all there."""
    if nesting(doc) > MAX_DEPTH:  # a document built in Python: repr() of it would recurse
        raise config_error("err_toml_deep", depth=MAX_DEPTH, file=file)
    for section in doc:
        if section not in (*SCHEMA, "data"):
            raise config_error(
                "err_unknown_section",
                sections=", ".join([*SCHEMA, "data"]),
                file=file,
                field=section,
            )
    for section in ("network", "data", "train"):
        if section not in doc:
            raise config_error("err_missing_section", section=section, file=file, field=section)


def _network_config(
    net: dict[str, Any], weights: Any, dtype: str, path: Path | None, file: str
) -> NetworkConfig:
    """The checked [network] fields with their starting weights, inline or from an .npz."""
    given = parse_weights(weights, file)
    weights_file = net.pop("weights_file", None)
    if weights_file is not None:
        given = weights_from_file(weights_file, given, path, file)
    cfg = NetworkConfig(dtype=dtype, weights=given, **net)
    try:
        cfg.validate()
    except ConfigError as e:
        if weights_file is not None and (e.field or "").startswith("weights."):
            name = f"{weights_file}: {e.field[len('weights.') :]}"
            raise config_error(
                "err_named", name=name, reason=e, file=file, field="network.weights_file"
            ) from None
        raise ConfigError(
            e.reason, file=file, field=f"network.{e.field}", key=e.key, values=e.values
        ) from None
    return cfg


def _train_config(train: dict[str, Any], dtype: str, cfg: NetworkConfig, file: str) -> TrainConfig:
    constants = {k: train.pop(k) for k in CONSTANTS if k in train}
    tc = TrainConfig(dtype=dtype, constants=constants, **train)
    check_train_conventions(tc, set(train), file)
    allowed = [*OPTIMIZERS[tc.optimizer].defaults, *OPTIMIZERS[tc.optimizer].flags]
    for k in constants:
        if k not in allowed:
            raise config_error(
                "err_not_constant",
                optimizer=tc.optimizer,
                constants=", ".join(allowed) or "none",
                file=file,
                field=f"train.{k}",
            )
    names = cfg.param_names()
    for p in tc.freeze:
        if p not in names:
            raise config_error(
                "err_freeze_name",
                name=repr(p),
                names=", ".join(names),
                file=file,
                field="train.freeze",
            )
    return tc


def builtin_dirs() -> list[Path]:
    """Where shipped presets live: inside the installed package, or the repository's presets/."""
    dirs = []
    packaged = resources.files("tui_nn") / "presets"
    if packaged.is_dir():
        dirs.append(Path(str(packaged)))
    repo = Path(__file__).resolve().parents[2] / "presets"
    if repo.is_dir():
        dirs.append(repo)
    return dirs


def builtin_presets() -> dict[str, Path]:
    """Shipped presets by name (the file name without .toml), sorted."""
    found: dict[str, Path] = {}
    for d in builtin_dirs():
        for p in sorted(d.glob("*.toml")):
            found.setdefault(p.stem, p)
    return dict(sorted(found.items()))


def resolve(name_or_path: str) -> Path:
    """A preset name from presets/ or a path to a .toml file."""
    try:
        p = user_path(name_or_path)
        is_dir, exists = p.is_dir(), p.exists()
    except ConfigError as e:
        raise e.located(file=name_or_path) from None
    except OSError as e:  # a folder on the way that may not be entered
        raise config_error("err_unreadable", why=e.strerror, file=name_or_path) from None
    if p.suffix == ".toml" or exists or "/" in name_or_path:
        if is_dir:
            raise config_error("err_is_dir", file=name_or_path)
        if not exists:
            raise config_error("err_no_file", file=name_or_path)
        return p
    shipped = builtin_presets()
    if name_or_path in shipped:
        return shipped[name_or_path]
    hint = suggest(name_or_path, shipped)
    if hint:
        raise config_error("err_no_preset_hint", hint=repr(hint), file=name_or_path)
    raise config_error("err_no_preset", shipped=", ".join(shipped), file=name_or_path)


def read_toml(path: Path) -> dict[str, Any]:
    # Only a regular file, and at most MAX_PRESET_MB: never /dev/zero, a FIFO or a folder.
    raw = read_regular(path, preset=True, folder_key="err_is_dir")
    try:
        return parse_toml(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise config_error("err_not_utf8", byte=e.start, file=str(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise config_error("err_not_toml", detail=e, file=str(path)) from None
    except ConfigError as e:
        raise e.located(file=str(path)) from None


def parse_toml(text: str) -> dict[str, Any]:
    """tomllib.loads, with what it lets escape as ValueError (an integer of more than 4,300
    digits) or RecursionError (arrays thousands deep) as a ConfigError, and at most
    MAX_DEPTH levels of arrays and tables (NumPy takes 32 dimensions at most)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except ValueError as e:  # Python's own limit on int(), which tomllib does not catch
        if "digits" not in str(e):
            raise config_error("err_not_toml", detail=e) from None
        raise config_error("err_toml_digits") from None
    except RecursionError:
        raise config_error("err_toml_deep", depth=MAX_DEPTH) from None
    if nesting(doc) > MAX_DEPTH:
        raise config_error("err_toml_deep", depth=MAX_DEPTH)
    return doc


def apply_overrides(doc: dict[str, Any], overrides: list[str], file: str) -> dict[str, Any]:
    """`section.key=value` settings from the command line; values are read as TOML."""
    for item in overrides:
        key, sep, value = item.partition("=")
        parts = key.strip().split(".")
        if not sep or len(parts) < 2 or not all(parts):
            raise config_error("err_set_form", item=repr(item), file=file)
        try:
            parsed = parse_toml(f"v = {value.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            parsed = value.strip()  # a bare word such as adam is meant as text
        except ConfigError as e:
            raise e.located(file=file, field=key.strip()) from None
        table = doc
        for p in parts[:-1]:
            table = table.setdefault(p, {})
            if not isinstance(table, dict):
                raise config_error("err_set_not_section", item=repr(item), name=p, file=file)
        table[parts[-1]] = parsed
    return doc


def seed_overrides(doc: dict[str, Any], seed: int) -> list[str]:
    """One seed for the initial weights, the shuffling, and generated data (the data only when
    its source takes a seed): the overrides that set it in `doc`."""
    seeds = [f"network.seed={seed}", f"train.seed={seed}"]
    if isinstance(doc.get("data"), dict) and "seed" in doc["data"]:
        seeds.append(f"data.seed={seed}")
    return seeds


def load(
    name_or_path: str, overrides: list[str] | None = None, *, seed: int | None = None
) -> Preset:
    """Read, override and validate a preset; raises ConfigError with file, field and reason.
    `seed`, applied after the overrides, replaces every seed (see `seed_overrides`)."""
    path = resolve(name_or_path)
    doc = read_toml(path)
    if overrides:
        doc = apply_overrides(doc, overrides, str(path))
    if seed is not None:
        doc = apply_overrides(doc, seed_overrides(doc, seed), str(path))
    return parse(doc, str(path), path)
