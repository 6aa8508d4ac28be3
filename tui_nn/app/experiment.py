"""The experiment being tuned in the app: the preset's TOML document, changed field by field.

Every change goes through the engine's own parser, so an impossible combination is refused with
the engine's ConfigError (field and reason), never fixed silently. When a change makes part of
the document meaningless (explicit weights of a resized layer, constants of the previous
optimizer), `propose` drops that part and says so in `notes`, which the screen shows before the
change is applied. The document is also what a "save as preset" export can write.
"""

from __future__ import annotations

import copy
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from tui_nn.core import Preset, Trainer, parse
from tui_nn.core.errors import config_error
from tui_nn.core.network import DEFAULT_STD
from tui_nn.core.optimizers import OPTIMIZERS
from tui_nn.core.presets import apply_overrides, parse_toml, seed_overrides

#: Fields the running trainer takes from its next step (Trainer.LIVE_FIELDS, the optimizer's
#: constants by name, and the app's own pace); everything else rebuilds it.
LIVE = frozenset(
    {
        *(f"train.{f}" for f in Trainer.LIVE_FIELDS - {"constants"}),
        *(f"train.{c}" for o in OPTIMIZERS.values() for c in o.defaults),
        "view.pace",
    }
)
#: A note for the screen: a catalogue key and its placeholder values.
Note = tuple[str, dict[str, str]]


def parse_text(text: str) -> Any:
    """A value typed by the student, read as TOML (0.1, 32, "full", [2, 3]); a bare word is text.
    Raises ConfigError for what TOML reads but Python cannot hold (5,000 digits, deep nesting)."""
    text = text.strip()
    try:
        return parse_toml(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


#: Longest layer spec read; a network of more layers would not fit the engine's size limit.
MAX_SPEC = 400


def parse_layers(text: str, n_in: int, n_out: int) -> list[int]:
    """The sizes in a typed layer spec: "2-8-8-2", "2 8 8 2", "2, 8, 8, 2" or "[2, 8, 8, 2]",
    also in full-width characters. The data fixes the first and the last; raises ConfigError."""
    plain = unicodedata.normalize("NFKC", text).strip().strip("[]").replace("\u2212", "-")
    parts = [p for p in re.split(r"[-,\s]+", plain) if p]
    example = f"{n_in}-8-8-{n_out}"
    numbers = all(p.isascii() and p.isdigit() for p in parts)
    if len(text) > MAX_SPEC or len(parts) < 2 or not numbers:
        raise config_error("app_layers_bad", field="network.layers", example=example)
    layers = [int(p) for p in parts]
    if layers[0] != n_in or layers[-1] != n_out:
        raise config_error(
            "app_layers_ends", field="network.layers", n_in=n_in, n_out=n_out, example=example
        )
    return layers


@dataclass
class Proposal:
    """A validated change, not yet applied."""

    preset: Preset
    changes: dict[str, Any]
    notes: list[Note] = field(default_factory=list)

    @property
    def needs_reset(self) -> bool:
        """True when the network must be rebuilt (new initial weights, training restarts)."""
        return any(k not in LIVE for k in self.changes)


class Experiment:
    """The current preset and its document; `propose` validates, `commit` adopts."""

    def __init__(self, preset: Preset) -> None:
        self.preset = preset

    def value(self, key: str) -> Any:
        """The effective value of `section.name` (defaults filled in), for display."""
        p = self.preset
        section, name = key.split(".", 1)
        if key == "network.init_std":
            return p.network.init_std or DEFAULT_STD.get(p.network.init)
        if section == "network":
            return getattr(p.network, name)
        if section == "view":
            return getattr(p, name)
        if name in OPTIMIZERS[p.train.optimizer].defaults:
            return p.train.constants.get(name, OPTIMIZERS[p.train.optimizer].defaults[name])
        return getattr(p.train, name)

    @property
    def given_weights(self) -> list[str]:
        """Names of the initial parameters the preset writes out (W1, b1, ...)."""
        return sorted(self.preset.network.weights)

    def propose(self, changes: dict[str, Any]) -> Proposal:
        """Apply `changes` ({"train.lr": 0.1, "seed": 3, ...}) to a copy; raises ConfigError."""
        doc = copy.deepcopy(self.preset.raw)
        notes: list[Note] = []
        for key, value in changes.items():
            if key == "seed":
                doc = apply_overrides(doc, seed_overrides(doc, value), self.preset.file)
                if any(n.startswith("W") for n in self.given_weights):
                    notes.append(
                        ("app_note_seed_weights_given", {"names": ", ".join(self.given_weights)})
                    )
                continue
            section, name = key.split(".", 1)
            table = doc.setdefault(section, {})
            if key == "train.optimizer" and value != table.get("optimizer", "sgd"):
                notes += _drop_constants(table, value)
            table[name] = value
            if key in ("network.layers", "network.init", "network.init_std"):
                self._inline_weights_file(doc)
                notes += _drop_weights(doc, all_of_them=key != "network.layers")
        preset = parse(doc, self.preset.file, self.preset.path)
        return Proposal(preset, dict(changes), _unique(notes))

    def _inline_weights_file(self, doc: dict[str, Any]) -> None:
        """Weights from a `weights_file` become an inline table, so the ones that no longer fit
        can be dropped one by one like weights written in the preset."""
        net = doc.get("network", {})
        if net.pop("weights_file", None) is not None:
            net["weights"] = {k: v.tolist() for k, v in self.preset.network.weights.items()}

    def commit(self, proposal: Proposal) -> None:
        self.preset = proposal.preset

    def keep_data(self, data: dict[str, Any]) -> None:
        """The [data] section as the running trainer has it now (points added by hand)."""
        self.preset = replace(self.preset, data=data, raw={**self.preset.raw, "data": data})


def _unique(notes: list[Note]) -> list[Note]:
    out: list[Note] = []
    for n in notes:
        if n not in out:
            out.append(n)
    return out


def _drop_constants(train: dict[str, Any], optimizer: str) -> list[Note]:
    keep = OPTIMIZERS[optimizer].defaults if optimizer in OPTIMIZERS else {}
    known = ("momentum", "eps", "rho", "beta1", "beta2")
    dropped = [k for k in known if k in train and k not in keep]
    for k in dropped:
        del train[k]
    return [("app_note_constants_dropped", {"names": ", ".join(dropped)})] if dropped else []


def _drop_weights(doc: dict[str, Any], all_of_them: bool) -> list[Note]:
    """Explicit initial weights that no longer fit the layers (or all, for a new init scheme)."""
    net = doc.get("network", {})
    given = net.get("weights", {})
    layers = net.get("layers", [])
    dropped = []
    for name in list(given):
        i = int(name[1:]) if name[1:].isdigit() else 0
        fits = 1 <= i < len(layers) and np.shape(given[name]) == (
            (layers[i - 1], layers[i]) if name[0] == "W" else (layers[i],)
        )
        if all_of_them or not fits:
            del given[name]
            dropped.append(name)
    notes: list[Note] = []
    if dropped:
        notes.append(("app_note_weights_dropped", {"names": ", ".join(sorted(dropped))}))
    train = doc.get("train", {})
    names = {f"{p}{i}" for i in range(1, len(layers)) for p in "Wb"}
    frozen = [p for p in train.get("freeze", []) if p not in names]
    if frozen:
        train["freeze"] = [p for p in train["freeze"] if p in names]
        notes.append(("app_note_freeze_dropped", {"names": ", ".join(frozen)}))
    return notes
