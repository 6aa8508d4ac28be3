"""Why does my program print different numbers? Each printed value against the engine's.

The engine's numbers are those of the worked trace of one iteration (`worked.capture`): x, d,
W1, b1, …, u1, z1, …, y, E, δ_l (`delta2`), the gradients and the updated parameters. A printed
block is matched to a quantity by its label (the course's Japanese or English names), and by
shape and value when the label is missing or names another quantity. A value that matches
nothing is checked against the known slips: each slip recomputes the backward pass the wrong
way (a sign, 1/batch or ½ missing, σ′ applied to the wrong quantity, the updated weights used
too early, the course's d_mean_squared_error) and says so when its numbers are the printed ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from tui_nn.core.compare_read import Block
from tui_nn.core.errors import config_error
from tui_nn.core.safe_text import visible
from tui_nn.core.worked import Capture, capture
from tui_nn.i18n import t

SCHEMA = "tui-nn/compare/1"
#: More printed values than one iteration of a course-sized network has, many times over.
MAX_BLOCKS = 1000
#: E as the course's code computes it, −Σ d log(y + 1e-7) / N: a printed E may be either.
COURSE_E = "E (course)"
Quantities = dict[str, np.ndarray]

#: Labels, after lower-casing and removing spaces, quotes and brackets; {n} is a layer number.
LABELS: list[tuple[str, str]] = [
    (r"入力|x|input", "x"),
    (r"訓練データ|正解|正解値|教師データ|d|target", "d"),
    (r"出力|y|output", "y"),
    (r"誤差|e|loss|error", "E"),
    (r"(?:偏微分_)?de/du(\d+)|delta(\d+)|δ(\d+)", "delta{n}"),
    (r"偏微分_重み(\d+)|gradw(\d+)|dw(\d+)|grad_w(\d+)|de/dw(\d+)", "grad W{n}"),
    (r"偏微分_バイアス(\d+)|gradb(\d+)|db(\d+)|grad_b(\d+)|de/db(\d+)", "grad b{n}"),
    (r"更新後の重み(\d+)|neww(\d+)|w(\d+)\+|w(\d+)_new|updatedw(\d+)", "new W{n}"),
    (r"更新後のバイアス(\d+)|newb(\d+)|b(\d+)\+|b(\d+)_new|updatedb(\d+)", "new b{n}"),
    (r"重み(\d+)|w(\d+)", "W{n}"),
    (r"バイアス(\d+)|b(\d+)", "b{n}"),
    (r"総入力(\d+)|u(\d+)", "u{n}"),
    (r"中間層出力(\d+)|z(\d+)", "z{n}"),
]


def label_quantity(label: str, after_gradients: bool) -> str | None:
    """The quantity a label names; a weight printed after the gradients is the updated one."""
    key = re.sub(r"[\s'\"\[\]()*]", "", label).lower()
    for pattern, template in LABELS:
        if m := re.fullmatch(pattern, key):
            n = next((g for g in m.groups() if g), "")
            name = template.format(n=n)
            if after_gradients and name[0] in "Wb" and name[1:].isdigit():
                return f"new {name}"
            return name
    return None


def quantities(cap: Capture, sample: int | None = None) -> Quantities:
    """Every number of one iteration, by name; `sample` keeps that row of per-sample arrays."""
    L = len(cap.u) - 1
    q: Quantities = {"x": cap.x, "d": cap.d, "y": cap.z[L], "E": np.array(cap.loss)}
    q[COURSE_E] = np.array(cap.loss_terms.sum() / cap.batch)
    for i in range(1, L + 1):
        q[f"u{i}"], q[f"delta{i}"] = cap.u[i], cap.delta[i]
        if i < L:
            q[f"z{i}"] = cap.z[i]
    for k in cap.params:
        q[k], q[f"grad {k}"], q[f"new {k}"] = cap.params[k], cap.grads[k], cap.new_params[k]
    if sample is not None:
        rows = [k for k in q if k in ("x", "d", "y") or k[0] in "uz" or k.startswith("delta")]
        for k in rows:
            q[k] = q[k][sample : sample + 1] * (cap.batch if k.startswith("delta") else 1)
    return q


def close(block: Block, value: np.ndarray) -> tuple[bool, float | None]:
    """(every printed number within half a unit of its last digit, the largest difference)."""
    v = np.asarray(value, dtype=np.float64)
    b = block.values
    vector_like = v.size == b.size and all(a.ndim < 2 or 1 in a.shape for a in (v, b))
    if v.shape != b.shape and not vector_like:  # (1, 3) printed as [..] is the same vector
        return False, None
    diff = np.abs(block.values.reshape(-1) - v.reshape(-1))
    if not np.isfinite(diff).all():
        return False, None
    slack = block.tolerance.reshape(-1) + 1e-12 * np.abs(v.reshape(-1))
    return bool((diff <= slack).all()), float(diff.max())


@dataclass
class Match:
    label: str
    quantity: str | None
    ok: bool
    max_error: float | None
    diagnosis: str | None  # a key of the catalogue (compare_diag_*), or None
    values: dict[str, str]
    #: For a mismatch printed in the quantity's own shape: which entries match, so the
    #: stepper marks ✗ only the steps of the wrong numbers.
    entry_ok: np.ndarray | None = None


def entries_close(block: Block, value: np.ndarray) -> np.ndarray | None:
    """Entry by entry, within half a unit of the last printed digit, in the quantity's shape;
    None when the block is not printed in that shape."""
    v = np.asarray(value, dtype=np.float64)
    if block.values.shape != v.shape:
        return None
    slack = block.tolerance + 1e-12 * np.abs(v)
    return np.abs(block.values - v) <= slack


def match_block(block: Block, q: Quantities, slips: dict[str, Quantities], seen_grad: bool):
    """The quantity this block is, whether it is right, and what explains it when it is not."""
    named = label_quantity(block.label, seen_grad)
    if named in q:
        ok, err = close(block, q[named])
        if not ok and named == "E" and COURSE_E in q:  # printed with the course's log guard
            ok, err = close(block, q[COURSE_E])
        if ok:
            return Match(block.label, named, True, err, None, {})
    by_value = [k for k in q if close(block, q[k])[0] and k not in (named, COURSE_E)]
    if by_value:
        found = by_value[0]
        key = "compare_diag_label" if named else "compare_diag_found"
        return Match(block.label, found, True, close(block, q[found])[1], key, {"named": named})
    if named not in q and block.values.ndim > 0:  # an unlabelled array of a shape all its own
        same = [k for k in q if close(block, q[k])[1] is not None]
        named = same[0] if len(same) == 1 else named
    if named not in q:
        return Match(block.label, None, False, None, "compare_diag_unknown", {})
    err = close(block, q[named])[1]
    for slip, alt in slips.items():  # the labelled quantity first, then any other
        for k in sorted(alt, key=lambda k: k != named):
            if close(block, alt[k])[0]:
                found = close(block, q[k])[1] if k in q else err
                entries = entries_close(block, q[k]) if k in q else None
                return Match(block.label, k, False, found, f"compare_diag_{slip}", {}, entries)
    entries = entries_close(block, q[named])
    return Match(block.label, named, False, err, "compare_diag_none", {}, entries)


def compare_blocks(blocks: list[Block], q: Quantities, slips: dict[str, Quantities]) -> list[Match]:
    out, seen_grad = [], False
    for block in blocks:
        m = match_block(block, q, slips, seen_grad)
        seen_grad = seen_grad or bool(m.quantity and m.quantity.startswith("grad "))
        out.append(m)
    return out


def compare_text(trainer, text: str, file: str, iteration: int = 1, sample: int | None = None):
    """Every recognisable block of `text` against iteration `iteration` of the trainer's preset
    (after iteration − 1 updates); `sample` counts from 1. Raises ConfigError for bad input."""
    if iteration < 1:
        raise config_error("worked_err_iteration", value=iteration, field="--iteration")
    blocks = _blocks(text, file)
    trainer.run(iteration - 1)
    cap = capture(trainer)
    if sample is not None and not 1 <= sample <= cap.batch:
        raise config_error(
            "worked_err_sample", value=sample, iteration=iteration, n=cap.batch, field="--sample"
        )
    return compare_capture(trainer, cap, blocks, None if sample is None else sample - 1)


def _blocks(text: str, file: str) -> list[Block]:
    from tui_nn.core.compare_read import read_blocks

    blocks = read_blocks(text, most=MAX_BLOCKS)
    if not blocks:
        raise config_error("compare_err_nothing", file=file)
    if len(blocks) > MAX_BLOCKS:
        raise config_error("compare_err_too_many", most=MAX_BLOCKS, file=file)
    return blocks


def compare_capture(trainer, cap: Capture, blocks: list[Block], row: int | None = None):
    """The blocks against one captured iteration (the stepper's), leaving the trainer as is."""
    from tui_nn.core.compare_slips import slips

    known = {k: v for k, v in quantities(cap, row).items() if np.isfinite(v).all()}
    plain_sgd = trainer.optimizer.name == "sgd" and not trainer.cfg.weight_decay
    wrong = {} if trainer.forward_only else slips(cap, trainer.net, cap.lr, plain_sgd)
    if row is not None:  # the slips' δ are of the whole batch, not of one sample
        wrong = {k: _without_deltas(alt) for k, alt in wrong.items()}
    return compare_blocks(blocks, known, wrong)


def compare_trace_text(trainer, cap: Capture, text: str, file: str) -> list[Match]:
    """What the stepper's "compare with my program" runs: `text` against the trace's capture."""
    return compare_capture(trainer, cap, _blocks(text, file))


#: The step ids (prefixes) that compute each quantity, {l} its layer.
STEP_PREFIXES = {
    "u": "forward.u.{l}",
    "z": "forward.z.{l}",
    "delta": "backward.delta.{l}",
    "grad W": "backward.dW.{l}",
    "grad b": "backward.db.{l}",
    "new W": "update.W{l}",
    "new b": "update.b{l}",
}


def step_marks(step_ids: list[str], matches: list[Match], L: int) -> dict[str, bool]:
    """✓ (True) or ✗ (False) for each step whose quantity the student printed; ✗ wins."""
    marks: dict[str, bool] = {}
    for m in matches:
        if m.quantity is None:
            continue
        if m.quantity == "E":
            prefixes = ["loss.total", "loss.mean"]
        else:
            name = {"y": f"z{L}"}.get(m.quantity, m.quantity)
            kind, layer = re.fullmatch(r"(\D+?)(\d*)", name).groups()
            if kind not in STEP_PREFIXES or not layer:
                continue
            prefixes = [STEP_PREFIXES[kind].format(l=layer)]
        for sid in step_ids:
            for p in prefixes:
                if sid == p or sid.startswith(p + "."):
                    ok = _entry_ok(m, sid[len(p) + 1 :])
                    marks[sid] = marks.get(sid, True) and ok
    return marks


def _entry_ok(m: Match, index: str) -> bool:
    """Whether the entry of step index "i.j" (or "j" of a one-row array) matched; the whole
    block's verdict when entries are not known."""
    if m.entry_ok is None or not re.fullmatch(r"\d+(\.\d+)*", index):
        return m.ok
    entries = m.entry_ok[0] if m.entry_ok.ndim == 2 and len(m.entry_ok) == 1 else m.entry_ok
    at = tuple(int(i) for i in index.split("."))
    if len(at) != entries.ndim or any(i >= n for i, n in zip(at, entries.shape, strict=True)):
        return m.ok
    return bool(entries[at])


def _without_deltas(q: Quantities) -> Quantities:
    return {k: v for k, v in q.items() if not k.startswith("delta")}


def all_match(matches: list[Match]) -> bool:
    """At least one block identified, and every one identified matches (the others are only
    listed)."""
    known = [m.ok for m in matches if m.quantity is not None]
    return bool(known) and all(known)


def to_json(matches: list[Match], preset: str, iteration: int, lang: str) -> dict:
    """The "tui-nn/compare/1" document: one entry per printed block."""
    return {
        "schema": SCHEMA,
        "preset": preset,
        "iteration": iteration,
        "blocks": [
            {
                "label": m.label,
                "quantity": m.quantity,
                "ok": m.ok,
                "max_error": m.max_error,
                "diagnosis": diagnosis(m, lang),
            }
            for m in matches
        ],
    }


def diagnosis(m: Match, lang: str) -> str | None:
    if m.diagnosis is None:
        return None
    return t(m.diagnosis, lang, quantity=m.quantity, named=m.values.get("named") or "")


def to_text(matches: list[Match], lang: str) -> str:
    """One line per block (✓ or ✗, label → quantity, largest difference), then the diagnosis."""
    lines = []
    for m in matches:
        mark = "✓" if m.ok else "✗"
        err = "" if m.max_error is None else t("compare_max_error", lang, err=f"{m.max_error:.3g}")
        what = m.quantity or "?"
        lines.append(f"{mark} {visible(m.label)} → {what}{err}")
        if (d := diagnosis(m, lang)) is not None:
            lines.append(f"    {d}")
    known = [m for m in matches if m.quantity is not None]
    lines.append(t("compare_summary", lang, good=sum(m.ok for m in known), n=len(known)))
    return "\n".join(lines) + "\n"
