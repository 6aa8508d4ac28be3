"""How the main screen changes the experiment: edit dialogs, validation by the engine's parser,
confirmation before the network is rebuilt, and live commands for lr, optimizer, batch size...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.screen import Screen

from tui_nn.app import commands as cmd
from tui_nn.app.experiment import Proposal, parse_layers, parse_text
from tui_nn.app.screens.confirm import ConfirmScreen
from tui_nn.app.screens.edit import EditField, EditScreen, _explain
from tui_nn.app.screens.run_state import RunState
from tui_nn.app.widgets.architecture import ArchitecturePanel
from tui_nn.app.widgets.banner import Banner
from tui_nn.app.widgets.hyperparams import CHOICES, HyperPanel, short_name
from tui_nn.app.widgets.rows import RowsPanel
from tui_nn.core import ConfigError, Preset
from tui_nn.core.activations import HIDDEN, OUTPUT
from tui_nn.core.losses import LOSSES
from tui_nn.core.optimizers import OPTIMIZERS


class Editing:
    """Everything between "Enter on a row" and the command to the worker, and loading a preset
    (the change that rebuilds everything)."""

    def __init__(self, screen: Screen, state: RunState, send: Callable[[object], None]) -> None:
        self.screen, self.state, self.send = screen, state, send

    def load(self, preset: Preset) -> None:
        """A new network from `preset` (the worker answers TrainerLoaded or LoadFailed)."""
        self.screen.query_one(Banner).clear()
        self.send(cmd.Load(preset))

    def tr(self, key: str, /, **values: object) -> str:
        return self.screen.tr(key, **values)  # type: ignore[attr-defined]

    def ask(self, title: str, help_text: str, fields: list[EditField], check: Callable) -> None:
        """The edit dialog; what `check` proposes is applied when the student confirms."""
        self.screen.app.push_screen(EditScreen(title, help_text, fields, check), self.apply)

    def handle(self, message: Message) -> None:
        """A side panel's request: edit a row, type the network, add or remove a layer."""
        if self.state.experiment is None:
            return
        if isinstance(message, ArchitecturePanel.AddLayer):
            self.add_layer(message.position, message.units, message.activation)
        elif isinstance(message, ArchitecturePanel.RemoveLayer):
            self.remove_layer(message.index)
        elif isinstance(message, ArchitecturePanel.EditNetwork):
            self.edit_network()
        elif isinstance(message, RowsPanel.Edit) and isinstance(message.panel, HyperPanel):
            self.edit_field(message.row)
        elif isinstance(message, RowsPanel.Edit):
            self.edit_layer(message.row)

    def show_panels(self) -> None:
        """The experiment in the side panels."""
        exp, info = self.state.experiment, self.state.info
        if exp is None or info is None:
            return
        self.screen.query_one(ArchitecturePanel).show(exp.preset.network, info.n_params)
        self.screen.query_one(HyperPanel).show(exp)

    # ---- the dialogs -----------------------------------------------------------------------

    def edit_field(self, key: str) -> None:
        exp = self.state.experiment
        name = short_name(key)
        current = exp.preset.network.seed if key == "seed" else exp.value(key)
        choices = CHOICES.get(key, ())
        help_text = self.tr(f"app_field_{name}_help")
        if not HyperPanel.is_live(key):
            help_text += "\n" + self.tr("app_edit_resets")

        def check(values: dict[str, str]) -> Proposal:
            value = values[key] if choices else parse_text(values[key])
            return exp.propose({key: value})

        field = EditField(key, self.tr(f"app_field_{name}"), _text(current), choices)
        self.ask(self.tr(f"app_field_{name}"), help_text, [field], check)

    def edit_layer(self, row: str) -> None:
        net = self.state.experiment.preset.network
        if row == "input":
            self.screen.query_one(Banner).say("app_arch_input_fixed", n=net.layers[0])
        elif row in ("output", "loss"):
            fields = [
                EditField("network.output", self.tr("app_arch_output_act"), net.output, OUTPUT),
                EditField("network.loss", self.tr("app_arch_loss"), net.loss, tuple(LOSSES)),
            ]
            title, help_text = self.tr("app_arch_output"), self.tr("app_arch_output_help")
            self.ask(title, help_text, fields, lambda values: self.state.experiment.propose(values))
        else:
            self.edit_hidden(int(row.split("-")[1]))

    def edit_hidden(self, i: int) -> None:
        """Hidden layer `i`: its units and its activation."""
        net = self.state.experiment.preset.network
        fields = [
            EditField("units", self.tr("app_arch_units"), str(net.layers[i])),
            EditField(
                "activation", self.tr("app_arch_activation"), net.hidden_activations[i - 1], HIDDEN
            ),
        ]

        def check(values: dict[str, str]) -> Proposal:
            layers, acts = list(net.layers), list(net.hidden_activations)
            layers[i] = parse_text(values["units"])
            acts[i - 1] = values["activation"]
            return self.state.experiment.propose(
                {"network.layers": layers, "network.activation": acts}
            )

        title, help_text = self.tr("app_arch_hidden", i=i), self.tr("app_arch_hidden_help")
        self.ask(title, help_text, fields, check)

    def edit_network(self) -> None:
        """Every layer typed at once (2-8-8-2), and one activation for every hidden layer."""
        net = self.state.experiment.preset.network
        keep = self.tr("app_arch_keep_each")
        acts = set(net.hidden_activations)
        fields = [
            EditField("layers", self.tr("app_arch_layers"), "-".join(map(str, net.layers))),
            EditField(
                "activation",
                self.tr("app_arch_every_hidden"),
                acts.pop() if len(acts) == 1 else keep,
                (keep, *HIDDEN),
            ),
        ]

        def check(values: dict[str, str]) -> Proposal:
            layers = parse_layers(values["layers"], net.layers[0], net.layers[-1])
            n, act = len(layers) - 2, values["activation"]
            acts = [act] * n if act != keep else _kept(net.hidden_activations, n)
            return self.state.experiment.propose(
                {"network.layers": layers, "network.activation": acts}
            )

        self.ask(self.tr("app_arch_network"), self.tr("app_arch_network_help"), fields, check)

    # ---- changes without a dialog ----------------------------------------------------------

    def add_layer(self, position: int, units: int, activation: str) -> None:
        net = self.state.experiment.preset.network
        layers, acts = list(net.layers), list(net.hidden_activations)
        # Positions are counted when the key is pressed; a burst of presses may outrun them.
        position = min(max(position, 1), len(layers) - 1)
        layers.insert(position, units)
        acts.insert(position - 1, activation)
        self.propose({"network.layers": layers, "network.activation": acts})

    def remove_layer(self, index: int) -> None:
        net = self.state.experiment.preset.network
        layers, acts = list(net.layers), list(net.hidden_activations)
        if not 1 <= index <= len(layers) - 2:
            return  # a second press for a layer the first one removed already
        del layers[index]
        del acts[index - 1]
        self.propose({"network.layers": layers, "network.activation": acts})

    def propose(self, changes: dict[str, Any]) -> None:
        """Validate and apply a change that did not come through a dialog."""
        if self.state.experiment is None:
            return
        try:
            proposal = self.state.experiment.propose(changes)
        except ConfigError as e:
            self.screen.query_one(Banner).say("app_command_failed", error=True, reason=_explain(e))
            return
        self.apply(proposal)

    # ---- applying --------------------------------------------------------------------------

    def apply(self, proposal: Proposal | None) -> None:
        """Live changes go to the running trainer; the others rebuild it after a confirmation
        (needed when there is training to lose, or when the change drops part of the preset)."""
        if proposal is None:
            return
        if not proposal.needs_reset:
            self.state.experiment.commit(proposal)
            self.send_live(proposal)
            self.show_panels()
            return
        snapshot = self.state.snapshot
        if not proposal.notes and not (snapshot and snapshot.step):
            self.rebuild(proposal)
            return
        lines = [self.tr("app_confirm_rebuild")] + [self.tr(k, **v) for k, v in proposal.notes]
        self.screen.app.push_screen(
            ConfirmScreen(self.tr("app_confirm_title"), "\n".join(lines)),
            lambda yes: self.rebuild(proposal) if yes else None,
        )

    def rebuild(self, proposal: Proposal) -> None:
        self.state.experiment.commit(proposal)
        self.show_panels()
        self.load(proposal.preset)

    def send_live(self, proposal: Proposal) -> None:
        train = proposal.preset.train
        for key in proposal.changes:
            name = short_name(key)
            if key == "view.pace":
                self.send(cmd.SetPace(proposal.preset.pace))
            elif name == "optimizer" or name in OPTIMIZERS[train.optimizer].defaults:
                self.send(cmd.SetOptimizer(train.optimizer, dict(train.constants)))
            else:
                self.send(cmd.SetTrain(name, getattr(train, name)))


def _kept(acts: list[str], n: int) -> list[str]:
    """Each of `n` hidden layers keeps its activation; added ones take the last one's."""
    return (acts + [acts[-1] if acts else "sigmoid"] * n)[:n]


def _text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
