"""How the main screen changes the experiment: edit dialogs, validation by the engine's parser,
confirmation before the network is rebuilt, and live commands for lr, optimizer, batch size...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_nn.app import session as cmd
from tui_nn.app.experiment import Proposal, parse_layers, parse_text
from tui_nn.app.screens.confirm import ConfirmScreen
from tui_nn.app.screens.edit import EditField, EditScreen, _explain
from tui_nn.app.widgets.architecture import ArchitecturePanel
from tui_nn.app.widgets.banner import Banner
from tui_nn.app.widgets.hyperparams import CHOICES, HyperPanel, short_name
from tui_nn.app.widgets.rows import RowsPanel
from tui_nn.core import ConfigError
from tui_nn.core.activations import HIDDEN, OUTPUT
from tui_nn.core.losses import LOSSES
from tui_nn.core.optimizers import OPTIMIZERS

if TYPE_CHECKING:
    from tui_nn.app.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


class EditFlows(_Base):
    """Mixin of MainScreen: everything between "Enter on a row" and the command to the worker."""

    def on_rows_panel_edit(self, message: RowsPanel.Edit) -> None:
        if self.experiment is None:
            return
        if isinstance(message.panel, HyperPanel):
            self.edit_field(message.row)
        else:
            self.edit_layer(message.row)

    def edit_field(self, key: str) -> None:
        exp = self.experiment
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
        self.app.push_screen(
            EditScreen(self.tr(f"app_field_{name}"), help_text, [field], check), self.apply_edit
        )

    def edit_layer(self, row: str) -> None:
        net = self.experiment.preset.network
        if row == "input":
            self.query_one(Banner).say("app_arch_input_fixed", n=net.layers[0])
            return
        if row in ("output", "loss"):
            fields = [
                EditField("network.output", self.tr("app_arch_output_act"), net.output, OUTPUT),
                EditField("network.loss", self.tr("app_arch_loss"), net.loss, tuple(LOSSES)),
            ]
            title, help_key = self.tr("app_arch_output"), "app_arch_output_help"
        else:
            i = int(row.split("-")[1])
            fields = [
                EditField("units", self.tr("app_arch_units"), str(net.layers[i])),
                EditField(
                    "activation",
                    self.tr("app_arch_activation"),
                    net.hidden_activations[i - 1],
                    HIDDEN,
                ),
            ]
            title, help_key = self.tr("app_arch_hidden", i=i), "app_arch_hidden_help"

        def check(values: dict[str, str]) -> Proposal:
            if row in ("output", "loss"):
                return self.experiment.propose(values)
            layers, acts = list(net.layers), list(net.hidden_activations)
            layers[i] = parse_text(values["units"])
            acts[i - 1] = values["activation"]
            return self.experiment.propose({"network.layers": layers, "network.activation": acts})

        self.app.push_screen(EditScreen(title, self.tr(help_key), fields, check), self.apply_edit)

    def on_architecture_panel_edit_network(self, message: ArchitecturePanel.EditNetwork) -> None:
        """Every layer typed at once (2-8-8-2), and one activation for every hidden layer."""
        if self.experiment is None:
            return
        net = self.experiment.preset.network
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
            return self.experiment.propose({"network.layers": layers, "network.activation": acts})

        title, help_text = self.tr("app_arch_network"), self.tr("app_arch_network_help")
        self.app.push_screen(EditScreen(title, help_text, fields, check), self.apply_edit)

    def on_architecture_panel_add_layer(self, message: ArchitecturePanel.AddLayer) -> None:
        net = self.experiment.preset.network
        layers, acts = list(net.layers), list(net.hidden_activations)
        # Positions are counted when the key is pressed; a burst of presses may outrun them.
        position = min(max(message.position, 1), len(layers) - 1)
        layers.insert(position, message.units)
        acts.insert(position - 1, message.activation)
        self.propose({"network.layers": layers, "network.activation": acts})

    def on_architecture_panel_remove_layer(self, message: ArchitecturePanel.RemoveLayer) -> None:
        net = self.experiment.preset.network
        layers, acts = list(net.layers), list(net.hidden_activations)
        if not 1 <= message.index <= len(layers) - 2:
            return  # a second press for a layer the first one removed already
        del layers[message.index]
        del acts[message.index - 1]
        self.propose({"network.layers": layers, "network.activation": acts})

    def propose(self, changes: dict[str, Any]) -> None:
        """Validate and apply a change that did not come through a dialog."""
        try:
            proposal = self.experiment.propose(changes)
        except ConfigError as e:
            self.query_one(Banner).say("app_command_failed", error=True, reason=_explain(e))
            return
        self.apply_edit(proposal)

    def apply_edit(self, proposal: Proposal | None) -> None:
        """Live changes go to the running trainer; the others rebuild it after a confirmation
        (needed when there is training to lose, or when the change drops part of the preset)."""
        if proposal is None:
            return
        if not proposal.needs_reset:
            self.experiment.commit(proposal)
            self.send_live(proposal)
            self.show_panels()
            return
        if not proposal.notes and not (self.snapshot and self.snapshot.step):
            self.rebuild(proposal)
            return
        lines = [self.tr("app_confirm_rebuild")] + [self.tr(k, **v) for k, v in proposal.notes]
        self.app.push_screen(
            ConfirmScreen(self.tr("app_confirm_title"), "\n".join(lines)),
            lambda yes: self.rebuild(proposal) if yes else None,
        )

    def rebuild(self, proposal: Proposal) -> None:
        self.experiment.commit(proposal)
        self.show_panels()
        self.load(proposal.preset)

    def send_live(self, proposal: Proposal) -> None:
        train = proposal.preset.train
        for key in proposal.changes:
            name = short_name(key)
            if key == "view.pace":
                self.session.send(cmd.SetPace(proposal.preset.pace))
            elif name == "optimizer" or name in OPTIMIZERS[train.optimizer].defaults:
                self.session.send(cmd.SetOptimizer(train.optimizer, dict(train.constants)))
            else:
                self.session.send(cmd.SetTrain(name, getattr(train, name)))


def _kept(acts: list[str], n: int) -> list[str]:
    """Each of `n` hidden layers keeps its activation; added ones take the last one's."""
    return (acts + [acts[-1] if acts else "sigmoid"] * n)[:n]


def _text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
