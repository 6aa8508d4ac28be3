"""Moving through a trace: a step or a phase at a time, or straight to a named unit or weight."""

from __future__ import annotations

import re
import unicodedata

from tui_nn.app.stepper.notation import plain
from tui_nn.core.worked import Names, Step, Trace


class Cursor:
    """A position in a list of steps."""

    def __init__(self, steps: list[Step], pos: int = 0) -> None:
        self.steps = steps
        self.pos = max(0, min(pos, len(steps) - 1))

    @property
    def step(self) -> Step:
        return self.steps[self.pos]

    def move(self, delta: int) -> bool:
        """Go `delta` steps on (or back); False when already at that end."""
        new = max(0, min(self.pos + delta, len(self.steps) - 1))
        moved, self.pos = new != self.pos, new
        return moved

    def phases(self) -> list[str]:
        """The phases of these steps, in order."""
        return list(dict.fromkeys(s.phase for s in self.steps))

    def phase_start(self, phase: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.phase == phase)

    def move_phase(self, delta: int) -> bool:
        """To the first step of the next (delta=1) or previous (delta=-1) phase."""
        phases = self.phases()
        here = phases.index(self.step.phase)
        start = self.phase_start(phases[here])
        if delta < 0 and self.pos > start:
            # Back to the start of this phase first, as a book's "previous section" does.
            target = here
        else:
            target = max(0, min(here + delta, len(phases) - 1))
        new = self.phase_start(phases[target])
        moved, self.pos = new != self.pos, new
        return moved


def normalize(text: str) -> str:
    """Full-width letters and digits as ASCII, no spaces, lower case: what a student types."""
    text = unicodedata.normalize("NFKC", text).replace("−", "-")
    return "".join(text.split()).lower()


def _names_of(step: Step) -> set[str]:
    names = {step.id.lower(), step.subject.lower()}
    for ascii_only in (False, True):
        names.add(normalize(plain(step.symbol, ascii_only)))
    if step.phase == "update" and step.kind == "update":
        names.add(step.subject.lower() + "+")
    return names


def matches(steps: list[Step], query: str) -> list[int]:
    """Indices of the steps a typed name (w5, h1, net_o1, w5+, E_total, a step id) refers to."""
    q = normalize(query)
    if not q:
        return []
    return [i for i, s in enumerate(steps) if q in _names_of(s)]


def next_match(steps: list[Step], query: str, pos: int) -> int | None:
    """The first match after `pos`, wrapping around, so typing the same name again cycles."""
    found = matches(steps, query)
    if not found:
        return None
    return next((i for i in found if i > pos), found[0])


_INDEXED = re.compile(r"^([wbu])(\d+)\[(\d+)(?:,(\d+))?\]$")


def resolve(trace: Trace, query: str) -> tuple[str, tuple[int, ...]] | None:
    """The (param, index) a name stands for, for `expand`: w5 -> ("W2", (0, 0)),
    b1 -> ("b1", (0,)), h1 -> ("u1", (0,)), also W2[0,1] in NumPy's 0-based indexing."""
    q = normalize(query)
    m = _INDEXED.match(q)
    if m:
        kind, li, a, b = m.groups()
        index = (int(a),) if b is None else (int(a), int(b))
        return (kind.upper() if kind == "w" else kind) + li, index
    names = Names(trace.layers, trace.params, trace.frozen)
    L = len(trace.layers) - 1
    for li in range(1, L + 1):
        n_in, n_out = trace.layers[li - 1], trace.layers[li]
        for j in range(n_out):
            if names.unit(li, j).lower() == q:
                return f"u{li}", (j,)
            if names.bias(li, j).text.lower() == q:
                return f"b{li}", (j,)
            for i in range(n_in):
                if names.weight(li, i, j).text.lower() == q:
                    return f"W{li}", (i, j)
    return None
