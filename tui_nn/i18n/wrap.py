"""Line breaking for prose in either language, measured in terminal cells.

Japanese has no spaces: a terminal's own wrapping cuts it wherever the line ends, mid-word
(「3-16\\n-16-4 の tanh +\\nソフトマックス」). Here Japanese breaks between phrases (文節) as BudouX
finds them, and any text breaks at its spaces; only a piece wider than the whole line is cut.
Widths count East-Asian wide characters as two cells, as terminals draw them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Scripts whose text is broken into phrases: kana, CJK ideographs, full-width forms.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_SPACES = re.compile(r"(\s+)")
#: Never the first character of a line (行頭禁則), never the last (行末禁則).
_NOT_FIRST = set("、。，．：；！？）」』ー")
_NOT_LAST = set("(（「『[")
#: A line may also break after Japanese punctuation, inside a phrase BudouX kept whole.
_AFTER_PUNCTUATION = re.compile(r"(?<=[、。，．：；！？）」』])(?=.)")


def cells(text: str) -> int:
    """Terminal cells `text` takes: two for a wide or full-width character, none for a
    combining mark, one otherwise."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


@cache
def _parser():
    import budoux  # loaded on first use: start-up does not pay for its model

    return budoux.load_default_japanese_parser()


#: Never broken inside: the course's terms (BudouX splits some, 学習率減|衰) and a number with
#: its counter (3|次元).
_WHOLE = re.compile(
    r"学習率減衰|誤差逆伝播法|確率的勾配降下法|勾配消失問題|中間層出力|活性化関数|誤差関数|"
    r"シグモイド関数|ソフトマックス関数|交差エントロピー|二乗誤差|訓練データ|テストデータ|"
    r"ミニバッチ|正答率|決定境界|恒等写像|[0-9０-９]+(?:次元|クラス|層|個|回|ユニット|ノード|つ)"
)


def _breaks(paragraph: str) -> list[int]:
    """Offsets where a line may break: between BudouX's phrases and after punctuation."""
    offsets, at = set(), 0
    for phrase in _parser().parse(paragraph):
        at += len(phrase)
        offsets.add(at)
    offsets |= {m.start() for m in _AFTER_PUNCTUATION.finditer(paragraph)}
    inside = {i for m in _WHOLE.finditer(paragraph) for i in range(m.start() + 1, m.end())}
    n = len(paragraph)
    kinsoku = {
        i
        for i in offsets
        if 0 < i < n and (paragraph[i - 1] in _NOT_LAST or paragraph[i] in _NOT_FIRST)
    }
    return sorted(offsets - inside - kinsoku - {0, n})


def pieces(paragraph: str) -> list[str]:
    """The paragraph cut where a line may break: at spaces (kept with the piece before them),
    and between the phrases of Japanese text."""
    cuts = _breaks(paragraph) if _JAPANESE.search(paragraph) else []
    phrases = [paragraph[a:b] for a, b in zip([0, *cuts], [*cuts, len(paragraph)], strict=True)]
    out: list[str] = []
    for phrase in phrases:
        parts = _SPACES.split(phrase)
        for i, part in enumerate(parts):
            # A space inside a phrase breaks before Latin text, not before Japanese: the
            # particle of 「3-16-16-4 の」 stays with its number.
            glue = part.isspace() or (i > 0 and _JAPANESE.match(part) is not None)
            if part and glue and out:
                out[-1] += part
            elif part:
                out.append(part)
    return out


def _cut(piece: str, width: int) -> list[str]:
    """A piece wider than a line, in lines of at most `width` cells."""
    lines, line = [], ""
    for ch in piece:
        if line and cells(line + ch) > width:
            carry = ""
            if ch in _NOT_FIRST:  # take down the last character that may start a line
                k = 1
                while k < len(line) and line[-k] in _NOT_FIRST:
                    k += 1
                carry = line[-k:] if k < len(line) else ""
            lines.append(line[: len(line) - len(carry)])
            line = carry
        line += ch
    return [*lines, line]


def wrap_paragraph(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece in pieces(paragraph):
        if cells(line + piece.rstrip()) <= width:
            line += piece
            continue
        if line.strip():
            lines.append(line.rstrip())
        parts = _cut(piece.rstrip(), width) if cells(piece.rstrip()) > width else [piece]
        lines += [part.rstrip() for part in parts[:-1]]
        line = parts[-1]
    return [*lines, line.rstrip()]


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells (at least one cell), its own line breaks kept."""
    width = max(1, width)
    return [line for paragraph in text.split("\n") for line in wrap_paragraph(paragraph, width)]
