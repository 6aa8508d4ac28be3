"""Strings from files somebody else wrote, made safe for where they are shown or written.

A preset name, a TOML key, a CSV header cell or a class label may hold an ESC that rewrites
the terminal, a newline that fakes a second message or breaks out of a comment in generated
code, or a right-to-left override that shows text in another order than it is read.
`visible()` writes every such character as an escape (`\\x1b`, `\\n`, `\\u202e`), so what a
person sees is what the string holds. Everything else (letters of any script, punctuation,
backslashes) stays as it is.
"""

from __future__ import annotations

import re
import unicodedata

#: Control (Cc), format (Cf: bidi overrides, zero-width), surrogate (Cs), line and paragraph
#: separators (Zl, Zp): none of them shows as itself.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Longest file stem made from a preset name (file systems allow 255 bytes).
STEM_LIMIT = 100


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: object) -> str:
    """`text` with every character that would not show as itself written as an escape."""
    s = str(text)
    if s.isprintable():  # the common case, and fast: no control or format characters
        return s
    return "".join(_escape(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in s)


def file_stem(name: str) -> str:
    """A preset's name as the start of a file name that stays in the folder it is written to:
    no path separator, no leading dot or dash, at most STEM_LIMIT characters."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name)[:STEM_LIMIT]
    return stem.strip("-.") or "experiment"


def identifier(name: str) -> str:
    """`name` when it may be written into Python code as a name; ValueError otherwise."""
    if not (name.isascii() and name.isidentifier()):
        raise ValueError(f"not a Python name: {name!r}")
    return name
