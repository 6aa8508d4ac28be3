"""The Markdown report renders: parsed as CommonMark with $$ math and tables (markdown-it-py, as
GitHub and Jupyter read it), every formula is LaTeX that KaTeX accepts (balanced braces and
environments, known commands only), and it names no internal document.

Numbers: Mazur's worked example (w5 = 0.4, ∂E_total/∂w5 = 0.082167041, w5⁺ = 0.35891648).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from tui_nn.cli import main
from tui_nn.core import Trainer, build_trace, load
from tui_nn.core.worked import render_markdown
from tui_nn.core.worked.markdown import display_math, rendered_width

#: Every command the report may use; all are in KaTeX's supported list.
KATEX = {
    r"\frac", r"\partial", r"\mathrm", r"\cdot", r"\eta", r"\left", r"\right", r"\begin",
    r"\end", r"\sqrt", r"\hat", r"\sum", r"\dots", r"\times", r"\delta", r"\max", r"\log",
    r"\lfloor", r"\rfloor", r"\le", r"\text", r"\lambda", r"\mu", r"\rho", r"\beta",
    r"\epsilon", r"\varepsilon", r"\odot", r"\sigma", r"\tanh", r"\exp", r"\\",
}  # fmt: skip
ENVIRONMENTS = {"aligned", "pmatrix", "cases"}
INTERNAL = re.compile(r"seed[ -]?0\d\d|資料|seeds/|\bissue\b", re.I)


def trace_of(preset: str, iteration: int = 1, sample: int | None = None):
    trainer = Trainer(load(preset))
    trainer.run(iteration - 1)
    return trainer, build_trace(trainer, sample, "auto", 9)


def katex_problems(tex: str) -> list[str]:
    """What KaTeX would refuse or draw wrongly; empty when the formula is fine."""
    problems = []
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            problems.append("a } without its {")
    if depth:
        problems.append("unbalanced braces")
    problems += [f"unknown {c}" for c in re.findall(r"\\[A-Za-z]+|\\\\", tex) if c not in KATEX]
    begins = re.findall(r"\\begin\{(\w+)\}", tex)
    if begins != re.findall(r"\\end\{(\w+)\}", tex)[::-1] or set(begins) - ENVIRONMENTS:
        problems.append(f"environments {begins}")
    if "&" in tex and "aligned" not in begins and "pmatrix" not in begins and "cases" not in begins:
        problems.append("& outside an environment")
    if re.search(r"\d \* \d| \* ", tex):
        problems.append("* for a product")
    return problems


def parse(md: str):
    return MarkdownIt("commonmark").use(dollarmath_plugin).enable("table").parse(md)


CASES = [("mazur-2-2-2", 1, None), ("mazur-2-2-2", 3, None), ("iris", 1, 2), ("circle", 1, None)]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("preset", "iteration", "sample"), CASES)
def test_every_formula_is_katex_math_and_no_dollar_is_left_as_text(
    preset: str, iteration: int, sample: int | None, lang: str
) -> None:
    _, trace = trace_of(preset, iteration, sample)
    md = render_markdown(trace, lang)
    tokens = parse(md)
    maths = [tok.content for tok in tokens if tok.type == "math_block"]
    assert len(maths) == sum(1 for s in trace.steps if s.symbol_tex)
    for tex in maths:
        assert katex_problems(tex) == [], tex
    inline = [c.content for tok in tokens if tok.children for c in tok.children]
    assert not any("$$" in text for text in inline)
    assert not INTERNAL.search(md), INTERNAL.search(md)


def test_names_products_and_long_chains_as_a_report_writes_them() -> None:
    _, trace = trace_of("mazur-2-2-2")
    md = render_markdown(trace, "en")
    for piece in [
        r"\mathrm{net}_{h1}",
        r"\mathrm{out}_{o1}",
        r"E_{\mathrm{total}}",
        r"\mathrm{target}_{o1}",
        r"0.74136507 \cdot 0.186815602 \cdot 0.593269992",
    ]:
        assert piece in md, piece
    # The chain rule for w5 is too long for one line: one "= …" per line, aligned on "=".
    chain = md[md.index(r"\frac{\partial E_{\mathrm{total}}}{\partial w_5} &=") :]
    lines = chain[: chain.index(r"\end{aligned}")].splitlines()
    assert [line.count("&=") for line in lines] == [1, 1, 1]
    assert lines[-1] == "&= 0.082167041" and all(x.endswith(r" \\") for x in lines[:-1])
    # A short one stays on one line.
    assert "\n$$\nE_{\\mathrm{total}} = E_{o1} + E_{o2} = 0.274811083 + 0.023560026" in md


def test_the_table_lists_every_parameter_before_and_after_the_update() -> None:
    trainer, trace = trace_of("mazur-2-2-2")
    md = render_markdown(trace, "en")
    table = next(i for i, tok in enumerate(parse(md)) if tok.type == "table_open")
    rows = [line for line in md[md.index("| parameter") :].splitlines() if line.startswith("| $")]
    assert len(rows) == 10 and table  # w1..w8, then the frozen b1, b2
    assert "| $w_5$ | 0.4 | 0.082167041 | 0.35891648 |" in rows
    assert "| $w_1$ | 0.15 | 0.000438568 | 0.149780716 |" in rows
    assert rows[-2:] == ["| $b_1$ | 0.35 | — | 0.35 |", "| $b_2$ | 0.6 | — | 0.6 |"]
    trainer.step()  # the new values are the engine's own after one update
    w2 = trainer.net.params["W2"]
    for name, value in [("w_5", w2[0, 0]), ("w_6", w2[1, 0]), ("w_7", w2[0, 1]), ("w_8", w2[1, 1])]:
        row = next(r for r in rows if r.startswith(f"| ${name}$"))
        assert float(row.split("|")[4]) == pytest.approx(value, abs=1e-9)


def test_a_big_network_lists_the_first_rows_and_says_how_many_more() -> None:
    _, trace = trace_of("digits")
    md = render_markdown(trace, "en")
    count = sum(int(np.prod(v.shape)) for v in trace.capture.params.values())
    assert f"and {count - 120} more parameters" in md


def test_rendered_width_counts_a_fraction_once_and_scripts_at_half() -> None:
    assert rendered_width(r"\frac{abcd}{ab}") == 4
    assert rendered_width(r"x_{12}") == 2
    assert rendered_width(r"\mathrm{out}_{o1} \cdot 2") == 3 + 1 + 1 + 1 + 1  # out o1 · 2, spaces
    assert display_math(["a", "b", "c"]) == ["$$", "a = b = c", "$$"]


def test_samples_are_counted_from_1_as_the_sample_flag_is(capsys) -> None:
    assert main(["worked", "iris", "--sample", "3", "--json", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sample"] == 3
    assert {s["sample"] for s in doc["steps"]} <= {None, 3}
    assert doc["batch"]["rows"] == [i + 1 for i in doc["batch"]["indices"]]
    _, trace = trace_of("iris", 1, 3)
    rows = ", ".join(str(i + 1) for i in trace.batch_indices[:8])
    assert f"training data rows {rows}, … (counted from 1)" in render_markdown(trace, "en")
