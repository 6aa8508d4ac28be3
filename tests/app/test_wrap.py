"""Japanese prose breaks between phrases (BudouX), never mid-word, and every line fits its width
in terminal cells; English breaks as textwrap does. Used by the preset descriptions, banners,
the stepper's explanations, the preset picker and the CLI's --help."""

from __future__ import annotations

import re
import textwrap

import pytest

from tui_nn.app.main import make_app
from tui_nn.app.screens.confirm import ConfirmScreen
from tui_nn.app.widgets.about import PresetAbout
from tui_nn.app.widgets.prose import ProseParagraph
from tui_nn.cli import main
from tui_nn.core import builtin_presets
from tui_nn.core.presets import read_toml
from tui_nn.i18n import catalogue, t
from tui_nn.i18n.wrap import cells, wrap

from helpers.onscreen import drawn
from helpers.pilot import aio, loaded

SPHERE4 = (
    "4クラス分類の宿題：3次元空間で球の内外と放物面の上下を分類。"
    "3-16-16-4 の tanh + ソフトマックス、学習率減衰つき。"
)


def japanese_texts() -> list[str]:
    """Every Japanese description of a shipped preset and every Japanese catalogue text."""
    presets = [read_toml(p)["preset"].get("description_ja", "") for p in builtin_presets().values()]
    return [s for s in presets + [e["ja"] for e in catalogue().values() if "ja" in e] if s]


def test_cells_count_wide_characters_twice() -> None:
    assert cells("あa") == 3 and cells("ＡＢ") == 4 and cells("e\u0301") == 1 and cells("") == 0


def test_a_description_breaks_between_phrases() -> None:
    assert wrap(SPHERE4, 30) == [
        "4クラス分類の宿題：3次元空間で",
        "球の内外と放物面の上下を分類。",
        "3-16-16-4 の tanh",
        "+ ソフトマックス、",
        "学習率減衰つき。",
    ]


@pytest.mark.parametrize("width", [8, 13, 20, 27, 36, 50, 77])
def test_every_line_fits_and_nothing_is_lost(width: int) -> None:
    for text in japanese_texts():
        lines = wrap(text, width)
        assert all(cells(line) <= width for line in lines), (text, lines)
        # Only spaces at a break go: the characters read the same, in order.
        assert "".join("".join(lines).split()) == "".join(text.split())
        for line in lines[1:]:
            assert not line[:1] or line[0] not in "、。，．：；！？）」』", (text, lines)
        for line in lines:
            assert not line.endswith(("(", "（", "「")), (text, lines)


@pytest.mark.parametrize("width", range(6, 41))
def test_the_courses_terms_are_never_broken(width: int) -> None:
    text = "学習率減衰と勾配消失問題を確率的勾配降下法で見る。3次元の訓練データ。"
    joined = "\n".join(wrap(text, width))
    for term in ["学習率減衰", "勾配消失問題", "確率的勾配降下法", "3次元", "訓練データ"]:
        if cells(term) + 2 <= width:  # room for the term and a 。 that may not start a line
            assert term in joined, (width, joined)


def test_english_breaks_as_textwrap_does() -> None:
    text = "The total input u is the weighted sum of the unit's inputs plus its bias."
    for width in range(10, 60):
        assert wrap(text, width) == textwrap.wrap(text, width)
    assert wrap("a\n\nb", 5) == ["a", "", "b"]  # the text's own breaks stay
    assert wrap("supercalifragilistic", 6) == ["superc", "alifra", "gilist", "ic"]


@aio
async def test_the_preset_panel_shows_its_description_broken_between_phrases() -> None:
    app = make_app("sphere4", lang="ja")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        about = app.main.query_one(PresetAbout)
        await pilot.pause()
        shown = [line.rstrip() for line in drawn(app.screen, about.content_region).splitlines()]
        assert shown == wrap(about.text, about.content_size.width)  # name, description, data
        described = wrap(SPHERE4, about.content_size.width)
        start = shown.index(described[0])
        assert shown[start : start + len(described)] == described


def test_cli_help_in_japanese_fits_the_terminal(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        main(["worked", "--help", "--lang", "ja"])
    out = capsys.readouterr().out
    assert out and all(cells(line) <= 60 for line in out.splitlines()), out
    assert re.search(r"^\s+--set train\.lr=0\.1\n\s+\(繰り返し指定可\)$", out, re.M), out


@aio
async def test_help_paragraphs_break_between_phrases() -> None:
    app = make_app("mazur-2-2-2", lang="ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("f1")
        await pilot.pause()
        paragraphs = list(app.screen.query(ProseParagraph))
        assert paragraphs
        for p in paragraphs:
            width = p.content_size.width
            assert p.render().plain.split("\n") == wrap(p.source_content.plain, width)
        shown = drawn(app.screen)
        # Textual broke this one as 「…理由\nを表示します」: the phrase 理由を stays whole.
        assert "理由を" in shown and "理由\n" not in shown.replace(" ", "").replace("│", "")


@aio
async def test_the_confirm_question_breaks_between_phrases() -> None:
    """The rebuild question in Japanese: Textual broke 「…ここまでの学習は失\nわれます。」."""
    app = make_app(None, lang="ja")
    body = t("app_confirm_rebuild", "ja")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ConfirmScreen(t("app_confirm_title", "ja"), body))
        await pilot.pause()
        shown = app.screen.query_one(".dialog-help")
        lines = [line.rstrip() for line in drawn(app.screen, shown.content_region).splitlines()]
        assert lines == wrap(body, shown.content_size.width)
        assert lines == ["ネットワークを初期値から作り直します。ここまでの学習は", "失われます。"]
