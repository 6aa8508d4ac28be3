"""The last engine messages that used to be English only, now in the catalogue.

Each case goes through the entry point a student uses (`tui-nn train` on a preset whose MNIST
files are broken, `tui-nn worked` with a bad argument, the stepper, the app's session) and
checks: the English is exactly the text the engine has always printed (written out below by
hand), the Japanese is the catalogue's wording, and both name the same file and field.
"""

from __future__ import annotations

import gzip
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
from textual.app import App

from tui_nn.app import commands as cmd
from tui_nn.app import session as sess
from tui_nn.app.messages import CommandFailed
from tui_nn.app.stepper.screen import StepperScreen
from tui_nn.cli import EXIT_BAD_INPUT, main
from tui_nn.core import ConfigError, Trainer, build_trace, datafiles, load
from tui_nn.core.boundary import Model
from tui_nn.core.worked import worked_report

from helpers.pilot import aio


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def both(capsys, *argv: str) -> tuple[str, str]:
    """stderr of the same command in English and in Japanese; both are one line and exit 2."""
    errs = []
    for lang in ("en", "ja"):
        status, out, err = run(capsys, "--lang", lang, *argv)
        assert (status, out, err.count("\n")) == (EXIT_BAD_INPUT, "", 1), err
        errs.append(err)
    return errs[0], errs[1]


# ---- MNIST / IDX files ----------------------------------------------------------------------


def idx(a: np.ndarray) -> bytes:
    """An IDX file as the format describes it: 0, 0, type 0x08, ndim, big-endian sizes, bytes."""
    return bytes([0, 0, 0x08, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + a.tobytes()


def mnist_preset(tmp_path: Path, **broken: bytes) -> Path:
    """A preset on a folder of four 2×2-pixel MNIST files; `broken` replaces some of them."""
    folder = tmp_path / "m"
    folder.mkdir()
    files = {
        "train-images-idx3-ubyte": idx(np.zeros((3, 2, 2), np.uint8)),
        "train-labels-idx1-ubyte": idx(np.array([0, 1, 2], np.uint8)),
        "t10k-images-idx3-ubyte": idx(np.zeros((1, 2, 2), np.uint8)),
        "t10k-labels-idx1-ubyte": idx(np.array([3], np.uint8)),
    }
    for name, raw in files.items():
        (folder / name).write_bytes(broken.get(name.split("-idx")[0].replace("-", "_"), raw))
    preset = tmp_path / "mnist.toml"
    preset.write_text(
        '[network]\nlayers = [4, 10]\noutput = "softmax"\nloss = "cross_entropy"\n\n'
        f'[data]\nsource = "mnist"\npath = "{folder}"\n\n[train]\nlr = 0.1\n',
        "utf-8",
    )
    return preset


TRUNCATED_GZIP = gzip.compress(idx(np.zeros(4, np.uint8)))[:-6]


def gzip_detail() -> str:
    """What Python's gzip says about TRUNCATED_GZIP (the message quotes it in both languages)."""
    try:
        gzip.decompress(TRUNCATED_GZIP)
    except (OSError, EOFError) as e:
        return str(e)
    raise AssertionError("the truncated gzip stream decompressed")


@pytest.mark.parametrize(
    ("part", "raw", "english", "japanese"),
    [
        (
            "train_images",
            b"PK\x03\x04" + b"\0" * 20,
            "is not an IDX file (it must start with two zero bytes, a type code and the "
            "number of dimensions)",
            "は IDX ファイルではありません (IDX ファイルは 0 のバイト 2 つ、型のコード、"
            "次元数で始まります)",
        ),
        (
            "train_images",
            bytes([0, 0, 8, 3, 0, 0]),
            "is cut short inside its header (3 dimensions)",
            "はヘッダーの途中で切れています (3 次元)",
        ),
        (
            "train_images",
            idx(np.zeros((2, 3), np.uint8))[:-1],  # 2 × 3 = 6 bytes wanted, 5 left
            "has 5 bytes of data but its header (2, 3) needs 6",
            "のデータは 5 バイトですが、ヘッダーの形 (2, 3) では 6 バイト必要です",
        ),
        (
            "train_images",
            idx(np.zeros((2, 2, 2), np.uint8)),  # 2 images for the 3 labels
            "images (2, 2, 2) and labels (3,) do not match (want N×rows×cols and N)",
            "画像 (2, 2, 2) と正解ラベル (3,) の形が合いません (画像は N×行×列、"
            "正解ラベルは N 個が必要です)",
        ),
        (
            "train_labels",
            idx(np.array([0, 10, 2], np.uint8)),
            "has labels outside 0..9",
            "に 0..9 以外の正解ラベルがあります",
        ),
    ],
    ids=["not-idx", "cut-short", "size", "shapes", "labels"],
)
def test_broken_mnist_files(
    tmp_path: Path, capsys, part: str, raw: bytes, english: str, japanese: str
) -> None:
    preset = mnist_preset(tmp_path, **{part: raw})
    # The shape mismatch is reported on the images, the labels on the labels file.
    named = "train-labels-idx1-ubyte" if part == "train_labels" else "train-images-idx3-ubyte"
    file = tmp_path / "m" / named
    en, ja = both(capsys, "train", str(preset), "--steps", "1")
    assert en == f"tui-nn: {file}: {english}\n"
    assert ja == f"tui-nn: {file}: {japanese}\n"


def test_the_good_mnist_folder_trains(tmp_path: Path, capsys) -> None:
    """The cases above fail because of their one broken file, not because the folder is bad."""
    preset = mnist_preset(tmp_path)
    assert run(capsys, "--lang", "ja", "train", str(preset), "--steps", "1")[0] == 0


def test_a_broken_gzip_keeps_pythons_detail_in_both_languages(tmp_path: Path, capsys) -> None:
    preset = mnist_preset(tmp_path)
    file = tmp_path / "m" / "train-images-idx3-ubyte.gz"
    file.write_bytes(TRUNCATED_GZIP)  # the reader looks for the plain name first: remove it
    (tmp_path / "m" / "train-images-idx3-ubyte").unlink()
    detail = gzip_detail()
    en, ja = both(capsys, "train", str(preset), "--steps", "1")
    assert en == f"tui-nn: {file}: is a broken gzip file ({detail})\n"
    assert ja == f"tui-nn: {file}: は壊れた gzip ファイルです ({detail})\n"


def test_no_shipped_file_and_no_scikit_learn(monkeypatch, capsys) -> None:
    monkeypatch.setattr(datafiles, "shipped_file", lambda name: None)
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    where = f"tui-nn: {load('iris').file}: data.source: "
    en, ja = both(capsys, "train", "iris", "--steps", "1")
    assert en == (
        f"{where}the data file of this source is not installed and scikit-learn is missing; "
        "install the extra: pip install 'tui-nn[datasets]'\n"
    )
    assert ja == (
        f"{where}この source のデータファイルがインストールされておらず、"
        "scikit-learn もありません。"
        "追加の依存パッケージをインストールしてください: pip install 'tui-nn[datasets]'\n"
    )


# ---- tui-nn worked and the worked trace -------------------------------------------------------

#: A 2-9-9-2 net on the worked example's data; the preset freezes b1 and b2, so the update changes
#: W1 (2·9) + W2 (9·9) + W3 (9·2) + b3 (2) = 119 numbers, more than the scalar view's 48.
BIG = ["--set", "network.layers=[2,9,9,2]", "--set", "network.weights={}"]


@pytest.mark.parametrize(
    ("args", "english", "japanese"),
    [
        (
            ["--expand", "W9:0,0"],
            "expand: 'W9' is not a parameter or layer of this network; use W1..W2, b1..b2 or "
            "u1..u2",
            "expand: 'W9' はこのネットワークのパラメータでも層でもありません。W1..W2、b1..b2、"
            "u1..u2 のどれかを指定してください",
        ),
        (
            ["--expand", "W2:5,0"],
            "expand: W2 has shape (2, 2); index (5, 0) is outside it",
            "expand: W2 の形は (2, 2) です。添字 (5, 0) はその範囲の外です",
        ),
        (
            ["--view", "scalar", *BIG],
            "view: the scalar view shows up to 48 weights for up to 4 samples; this iteration "
            "has 119 weights and 1 samples: use the matrix view, pick one sample, or expand one "
            "weight",
            "view: スカラー表示で示せるのは重み 48 個、サンプル 4 個までです。この反復"
            "には重みが 119 個、サンプルが 1 個あります: 行列表示を使うか、サンプルを 1 つ選ぶか、"
            "重みを 1 つ選んで展開してください",
        ),
        (
            ["--digits", "0"],
            "--digits: must be between 1 and 17, got 0",
            "--digits: 1 から 17 の間で指定してください。指定値: 0",
        ),
    ],
    ids=["not-a-parameter", "outside", "scalar-too-big", "digits"],
)
def test_worked_arguments(capsys, args: list[str], english: str, japanese: str) -> None:
    en, ja = both(capsys, "worked", "mazur-2-2-2", *args)
    assert en == f"tui-nn: {english}\n"
    assert ja == f"tui-nn: {japanese}\n"


@pytest.mark.parametrize(
    ("kwargs", "english", "japanese"),
    [
        (
            {"view": "diagonal"},
            "view: unknown view 'diagonal'; choose one of auto, scalar, matrix",
            "view: 表示 'diagonal' は知りません。auto, scalar, matrix から選んでください",
        ),
        (
            {"digits": 18},
            "digits: must be between 1 and 17, got 18",
            "digits: 1 から 17 の間で指定してください。指定値: 18",
        ),
        (
            {"sample": 3},  # the worked example's mini-batch is its one sample
            "sample: sample 3 is not in this batch of 1 (choose 0 to 0)",
            "sample: サンプル 3 はこのミニバッチ (1 個) にありません (0 から 0 を選んでください)",
        ),
    ],
    ids=["view", "digits", "sample"],
)
def test_build_trace_arguments(kwargs: dict, english: str, japanese: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_trace(Trainer(load("mazur-2-2-2")), **kwargs)
    assert caught.value.message == english
    assert caught.value.message_in("ja") == japanese


def test_the_worked_report_keeps_english_reasons_whatever_it_prints_in() -> None:
    """The report's language is for its text; the error's .reason stays English (scripts read
    it) and is shown in Japanese by message_in, as every other engine error."""
    with pytest.raises(ConfigError) as caught:
        worked_report(Trainer(load("mazur-2-2-2")), iteration=0, lang="ja")
    e = caught.value
    assert e.message == "--iteration: must be 1 or more (1 is the first update), got 0"
    assert e.message_in("ja") == "--iteration: 1 以上を指定してください(1 が最初の更新)。指定値: 0"


class StepperHost(App):
    """Opens the stepper in Japanese on sample 3 of the worked example's one-sample batch."""

    def on_mount(self) -> None:
        self.push_screen(StepperScreen(Trainer(load("mazur-2-2-2")), "ja", 3))


@aio
async def test_the_stepper_says_why_in_japanese() -> None:
    app = StepperHost()
    async with app.run_test(size=(80, 24)):
        text = str(app.screen.query_one("#stepper-problem").render())
    assert "サンプル 3 はこのミニバッチ (1 個) にありません (0 から 0 を選んでください)" in text
    assert "not in this batch" not in text


# ---- the decision boundary and the app's session ----------------------------------------------


def test_the_boundary_of_4_d_data() -> None:
    t = Trainer(load("iris"))  # 4 measurements per flower
    with pytest.raises(ConfigError) as caught:
        Model.of(t.net, t.data)
    e = caught.value
    assert e.message == "the decision boundary needs 2-D or 3-D points; this data has 4 inputs"
    assert (
        e.message_in("ja")
        == "決定境界を描けるのは 2 次元か 3 次元の点だけです。このデータの入力は 4 個です"
    )


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("en", "train.seed: is not a setting that can change during a run; these can: "),
        ("ja", "train.seed: は学習の途中で変更できる設定ではありません。途中で変更できるのは "),
    ],
)
def test_a_setting_the_session_cannot_change_live(lang: str, reason: str) -> None:
    posted: list[object] = []
    session = sess.TrainingSession(posted.append, lang=lambda: lang)
    session._load(load("mazur-2-2-2"))  # on this thread: the worker loop is not needed here
    session._obey(cmd.SetTrain("seed", 3))
    (failed,) = [m.reason for m in posted if isinstance(m, CommandFailed)]
    assert failed.startswith(f"{load('mazur-2-2-2').file}: {reason}")
    assert "batch_size, constants, epochs, eval_every, lr" in failed
