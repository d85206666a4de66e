"""`digitpad finetune` end to end, in a subprocess: the stored digits of a tiny synthetic hand,
a tiny parent model, and the figures it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.digit_store import DIGITS_ENV, DigitStore
from digitpad.core.hands import hand_digits, make_hand
from digitpad.core.inference import Predictor
from digitpad.core.model_file import ModelMetadata, read_metadata, save_model
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.training import TrainingSpec, train

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, home: Path, store: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        DIGITS_ENV: str(store),
        "DIGITPAD_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    env.pop("DIGITPAD_LIBRARY", None)
    env.pop("KERAS_HOME", None)
    return subprocess.run([sys.executable, "-m", "digitpad", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=300)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny MLP parent, and a store holding six digits of each label of a synthetic hand."""
    root = tmp_path_factory.mktemp("finetune-cli")
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:2000], data["y"][:2000]
    spec = TrainingSpec(ArchitectureSpec("mlp"), epochs=2, batch_size=64, validation_split=0.0)
    parent = save_model(train(x, y, spec).model, root / "tiny.keras",
                        ModelMetadata(name="tiny", architecture=spec.architecture.to_dict()))
    images, labels, drawings = hand_digits(make_hand(20), 6, np.random.default_rng(1))
    store_path = root / "digits.sqlite"
    with DigitStore.open(store_path) as store:
        for image, label, drawing in zip(images, labels, drawings, strict=True):
            store.add(int(label), image, drawing=drawing)
    home = root / "home"
    home.mkdir()
    return {"root": root, "parent": parent, "store": store_path, "home": home}


def test_json_reports_before_and_after_and_the_model_keeps_its_lineage(workspace) -> None:
    out = workspace["root"] / "mine.keras"
    result = run_cli("finetune", "--from", str(workspace["parent"]), "--out", str(out), "--epochs", "2", "--json",
                     home=workspace["home"], store=workspace["store"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["personal_train"], report["personal_held_out"]) == (50, 10)
    assert report["personal_before"]["data"] == "your held-out digits" and report["personal_before"]["count"] == 10
    assert report["mnist_before"] == {"accuracy": pytest.approx(report["mnist_before"]["accuracy"]),
                                      "count": 2000, "data": "MNIST validation sample"}
    assert report["epochs_completed"] == 2 and report["stopped"] is False
    assert report["personal_after"]["accuracy"] > report["personal_before"]["accuracy"]
    metadata = read_metadata(out)
    assert metadata is not None and metadata.name == "mine"
    assert metadata.lineage is not None and metadata.lineage == report["lineage"]
    assert metadata.lineage["parent"] == "tiny" and metadata.lineage["settings"]["epochs"] == 2
    assert Predictor.load(out).engine == "litert"  # saved with its LiteRT form, as every model is


def test_text_output_names_the_data_and_counts(workspace) -> None:
    out = workspace["root"] / "text.keras"
    result = run_cli("finetune", "--from", str(workspace["parent"]), "--out", str(out), "--epochs", "1",
                     home=workspace["home"], store=workspace["store"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Fine-tuned tiny on 50 of your digits and 2,000 replayed MNIST digits")
    assert lines[1].lstrip().startswith("your held-out digits (10)") and "->" in lines[1]
    assert lines[2].lstrip().startswith("MNIST validation sample (2,000)")
    assert out.is_file()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--from", "no such model"), "No model named “no such model”"),
        (("--out", "{root}/a-file/x.keras"), "is not a folder"),
        (("--out", "wrong-suffix.h5"), ".keras"),
    ],
)
def test_errors_exit_2_with_one_line(workspace, args, needle) -> None:
    (workspace["root"] / "a-file").write_text("x")
    full = ["finetune", "--out", str(workspace["root"] / "never.keras"), *(a.format(root=workspace["root"]) for a in args)]
    result = run_cli(*full, home=workspace["home"], store=workspace["store"])
    assert result.returncode == 2
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1  # checked before training
    assert not (workspace["root"] / "never.keras").exists()


def test_too_few_stored_digits_exit_2_before_training(workspace) -> None:
    empty = workspace["root"] / "empty.sqlite"
    result = run_cli("finetune", "--from", str(workspace["parent"]), "--out", str(workspace["root"] / "x.keras"),
                     home=workspace["home"], store=empty)
    assert result.returncode == 2
    assert "at least 2 of each digit" in result.stderr and len(result.stderr.strip().splitlines()) == 1
