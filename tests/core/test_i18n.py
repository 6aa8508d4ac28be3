"""The catalogue of user-facing text, across every catalogue file: each key has non-empty English
and Japanese, the same {placeholders} in both, Japanese that is really translated, and every
key the code asks for exists. Plus: the locale picks the language, and --lang changes the CLI."""

from __future__ import annotations

import re
import string
import tomllib
from importlib import resources

import pytest

from tui_nn.cli import main
from tui_nn.i18n import LANGS, catalogue, default_lang, t

from helpers import ROOT

#: Keys whose Japanese is rightly the same as the English (symbols, names, formulas).
#: Add a key here only when the course itself writes it the same way in Japanese.
SAME_IN_BOTH = {
    "worked_numpy",  # a name
    # optimizers known by their authors' names in both languages
    "term_adagrad",
    "term_rmsprop",
    "term_adam",
    # the optimizers' constants as the preset and the formulas name them
    "app_field_eps",
    "app_field_rho",
    "app_field_beta1",
    "app_field_beta2",
    "app_picker_path_placeholder",  # an example file name
    "app_where_param",  # a parameter's name (W1, b2) where a run diverged
    "err_data_special",  # a file name, then its reason worded in the language
}

PACKAGE = ROOT / "tui_nn"


def catalogue_files() -> dict[str, dict]:
    folder = resources.files("tui_nn.i18n")
    return {
        e.name: tomllib.loads(e.read_text("utf-8"))
        for e in folder.iterdir()
        if e.name.endswith(".toml")
    }


def placeholders(text: str) -> set[str]:
    """The {names} of a format string; raises ValueError on a stray brace."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def entries() -> list[tuple[str, str, dict]]:
    return [(f, k, v) for f, doc in catalogue_files().items() for k, v in doc.items()]


def test_catalogue_files_exist_and_keys_are_unique() -> None:
    files = catalogue_files()
    assert {"cli.toml", "export.toml"} <= set(files)
    seen: dict[str, str] = {}
    for name, doc in files.items():
        for key in doc:
            assert key not in seen, f"{key} is in both {seen[key]} and {name}"
            seen[key] = name
    assert set(catalogue()) == set(seen)


@pytest.mark.parametrize(("file", "key", "entry"), entries(), ids=lambda v: str(v)[:40])
def test_every_key_is_complete_in_both_languages(file: str, key: str, entry) -> None:
    where = f"{file}: [{key}]"
    assert isinstance(entry, dict), f"{where} must be a table with en and ja"
    assert set(entry) == set(LANGS), f"{where} has {sorted(entry)}, wants exactly en and ja"
    for lang in LANGS:
        assert isinstance(entry[lang], str) and entry[lang].strip(), f"{where}.{lang} is empty"
    try:
        en, ja = placeholders(entry["en"]), placeholders(entry["ja"])
    except ValueError as e:
        pytest.fail(f"{where}: {e} (write braces only around placeholder names)")
    assert en == ja, f"{where}: placeholders {sorted(en)} in en but {sorted(ja)} in ja"
    if key not in SAME_IN_BOTH:
        assert entry["ja"] != entry["en"], f"{where}: ja is the English text, untranslated"
    values = {name: "X" for name in en}
    for lang in LANGS:
        assert t(key, lang, **values)


def keys_used_in_code() -> set[str]:
    """Literal keys of t("..."), and of the wrappers tr, c, section, ExportError and
    config_error, in the package (keys built with f-strings are not seen)."""
    call = re.compile(
        r"""\b(?:t|tr|c|section|ExportError|config_error)\(\s*["']([a-z]+_[A-Za-z0-9_]+)["']\s*[,)]"""
    )
    return {m for p in PACKAGE.rglob("*.py") for m in call.findall(p.read_text("utf-8"))}


def test_every_key_the_code_asks_for_exists() -> None:
    used = keys_used_in_code()
    assert {"cli_exists", "code_sec_forward", "export_exists"} <= used  # the scan finds them
    missing = sorted(used - set(catalogue()))
    assert not missing, f"keys used in code but missing from the catalogue: {missing}"


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, "ja"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"LC_MESSAGES": "ja_JP", "LANG": "C"}, "ja"),
    ],
)
def test_the_locale_chooses_the_language(monkeypatch, env: dict[str, str], lang: str) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert default_lang() == lang


def test_lang_changes_the_cli_and_defaults_to_the_locale(capsys, monkeypatch) -> None:
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    assert main(["train", "mazur-2-2-2", "--steps", "1"]) == 0
    ja = capsys.readouterr().out
    assert "訓練データ 誤差 0.291028  正答率 1" in ja and "ステップ" in ja
    assert main(["train", "mazur-2-2-2", "--steps", "1", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert "train loss 0.291028  accuracy 1" in en
    assert main(["--lang=en", "gradcheck", "mazur-2-2-2"]) == 0
    assert "max relative error" in capsys.readouterr().out
    assert main(["gradcheck", "mazur-2-2-2"]) == 0
    assert "最大相対誤差" in capsys.readouterr().out


def test_help_is_translated(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["train", "--help", "--lang", "ja"])
    out = capsys.readouterr().out
    assert "画面なしでプリセットを学習する" in out and "上書きする" in out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "code", "--help"])
    assert "standalone NumPy script" in capsys.readouterr().out
