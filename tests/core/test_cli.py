"""The `digitpad` command end to end, in subprocesses, on a tiny model trained by the CLI itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from digitpad.core.reading import UNSURE_BELOW
from digitpad.core.resources import bundled_mnist_path

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "DIGITPAD_OFFLINE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    env.pop("DIGITPAD_LIBRARY", None)
    return subprocess.run(
        [sys.executable, "-m", "digitpad", *args],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # paths, and the list of image paths
    """A small dataset file, two models trained through the CLI, and a few digit images."""
    root = tmp_path_factory.mktemp("cli")
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"], data["y"]
    tiny = root / "tiny.npz"
    np.savez(tiny, x_train=x[:1500], y_train=y[:1500], x_test=x[1500:1800], y_test=y[1500:1800])
    test_only = root / "test-only.npz"
    np.savez(test_only, x_test=x[1800:2000], y_test=y[1800:2000])
    images: list[Path] = []
    for index in range(3):
        path = root / f"digit{index}-{int(y[2000 + index])}.png"
        # Black ink on white, small in a corner of a bigger canvas, as a person's scan would be.
        canvas = np.full((200, 260), 255, np.uint8)
        digit = np.array(Image.fromarray(255 - x[2000 + index]).resize((84, 84), Image.Resampling.BICUBIC))
        canvas[10:94, 20:104] = digit
        Image.fromarray(canvas).save(path)
        images.append(path)
    blank = root / "blank.png"
    Image.fromarray(np.full((50, 50), 255, np.uint8)).save(blank)
    home = root / "home"
    home.mkdir()
    models: dict[str, Path] = {}
    for arch in ("mlp", "seed-cnn"):
        out = root / f"{arch}.keras"
        result = run_cli("train", "--data", str(tiny), "--arch", arch, "--epochs", "2",
                         "--batch-size", "32", "--out", str(out), home=home)
        assert result.returncode == 0, result.stderr
        models[arch] = out
    return {"root": root, "tiny": tiny, "test_only": test_only, "home": home, "blank": blank,
            "images": images, **models}


def test_train_prints_a_line_per_epoch_and_saves_a_loadable_model(workspace):
    from digitpad.core.inference import Predictor
    from digitpad.core.model_file import read_metadata

    metadata = read_metadata(workspace["mlp"])
    assert metadata is not None
    assert metadata.architecture["name"] == "mlp"
    assert len(metadata.history["loss"]) == 2
    assert metadata.param_count == 101_770
    assert 0.5 < metadata.test_metrics["accuracy"] <= 1.0
    assert Predictor.load(workspace["mlp"]).num_params == 101_770


def test_train_records_the_run_and_writes_tensorboard_logs(workspace, tmp_path):
    from digitpad.core.run_log import RunLog

    home, out, logs = tmp_path / "home", tmp_path / "mlp.keras", tmp_path / "tb"
    result = run_cli("train", "--data", str(workspace["tiny"]), "--arch", "mlp", "--epochs", "2",
                     "--out", str(out), "--tensorboard", str(logs), home=home)
    assert result.returncode == 0, result.stderr
    (run_folder,) = logs.iterdir()
    assert list(run_folder.rglob("events.out.tfevents.*")), "Keras' callback wrote its event files"
    assert f"TensorBoard logs in {run_folder}" in result.stderr
    (recorded,) = RunLog(home / "data" / "digitpad" / "runs").runs()
    assert recorded.origin == "cli" and recorded.model_path == out and recorded.tensorboard_dir == run_folder
    assert recorded.architecture == "mlp" and len(recorded.history["loss"]) == 2
    assert f"Test accuracy {recorded.test_accuracy:.2%}" in result.stdout


def test_train_arch_file_trains_your_own_network_and_names_it(workspace, tmp_path):
    import keras

    from digitpad.core.inference import Predictor
    from digitpad.core.model_file import read_metadata

    network = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                                keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    arch = tmp_path / "tiny-conv.json"
    arch.write_text(network.to_json())
    out = tmp_path / "mine.keras"
    result = run_cli("train", "--data", str(workspace["tiny"]), "--arch-file", str(arch), "--epochs", "1",
                     "--out", str(out), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    metadata = read_metadata(out)
    assert metadata is not None and metadata.architecture == {"name": "tiny-conv", "file": str(arch.resolve())}
    assert Predictor.load(out).num_params == network.count_params() == 4 * 10 + 26 * 26 * 4 * 10 + 10
    mixed = run_cli("train", "--data", str(workspace["tiny"]), "--arch-file", str(arch), "--dropout", "0.2",
                    "--out", str(tmp_path / "no.keras"), home=tmp_path / "home")
    assert mixed.returncode == 2 and "an architecture file holds its own layers" in mixed.stderr
    both = run_cli("train", "--arch", "mlp", "--arch-file", str(arch), "--out", str(tmp_path / "no.keras"),
                   home=tmp_path / "home")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_train_arch_takes_a_preset_or_a_saved_architecture_by_name(workspace, tmp_path):
    from digitpad.core.architecture_store import ArchitectureStore, preset
    from digitpad.core.layer_stack import DENSE, FLATTEN, Layer
    from digitpad.core.model_file import read_metadata

    home = tmp_path / "home"
    out = tmp_path / "course.keras"
    result = run_cli("train", "--data", str(workspace["tiny"]), "--arch", "Course MLP", "--epochs", "1",
                     "--out", str(out), home=home)
    assert result.returncode == 0, result.stderr
    metadata = read_metadata(out)
    course = preset("Course MLP")
    assert metadata is not None and course is not None
    assert metadata.architecture["name"] == "Course MLP" and metadata.architecture["file"] == str(course.path)
    assert metadata.param_count == 101_770
    # One saved in the window's editor (here through its store, where the window saves it).
    store = ArchitectureStore(home / "data" / "digitpad" / "architectures")
    store.save("narrow mlp", [Layer(FLATTEN), Layer(DENSE, units=16, activation="relu"),
                              Layer(DENSE, units=10, activation="softmax")])
    saved = run_cli("train", "--data", str(workspace["tiny"]), "--arch", "narrow mlp", "--epochs", "1",
                    "--out", str(tmp_path / "narrow.keras"), home=home)
    assert saved.returncode == 0, saved.stderr
    narrow = read_metadata(tmp_path / "narrow.keras")
    assert narrow is not None and narrow.architecture["name"] == "narrow mlp"
    assert narrow.param_count == 784 * 16 + 16 + 16 * 10 + 10
    unknown = run_cli("train", "--data", str(workspace["tiny"]), "--arch", "resnet", "--out",
                      str(tmp_path / "no.keras"), home=home)
    assert unknown.returncode == 2
    assert "No architecture is called 'resnet'" in unknown.stderr and "narrow mlp" in unknown.stderr
    mixed = run_cli("train", "--data", str(workspace["tiny"]), "--arch", "Course MLP", "--batch-norm", "--out",
                    str(tmp_path / "no.keras"), home=home)
    assert mixed.returncode == 2 and "sets its own dropout and batch normalization" in mixed.stderr


def test_evaluate_json_matches_the_models_own_predictions(workspace):
    from digitpad.core.inference import Predictor

    result = run_cli("evaluate", "--model", str(workspace["mlp"]), "--data", str(workspace["test_only"]),
                     "--json", home=workspace["home"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    with np.load(workspace["test_only"]) as data:
        x, y = data["x_test"], data["y_test"]
    predicted = Predictor.load(workspace["mlp"]).predict_prepared(x.astype(np.float32) / 255).argmax(axis=1)
    assert report["accuracy"] == pytest.approx(float((predicted == y).mean()))
    confusion = np.array(report["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 200
    assert len(report["per_class"]) == 10
    assert {"precision", "recall", "f1"} <= set(report["per_class"][0])


def test_evaluate_text_report_names_accuracy(workspace):
    result = run_cli("evaluate", "--model", str(workspace["mlp"]), "--data", str(workspace["tiny"]),
                     home=workspace["home"])
    assert result.returncode == 0, result.stderr
    assert "accuracy" in result.stdout and "confusion" in result.stdout


def test_evaluate_report_folder_agrees_with_the_json(workspace, tmp_path):
    import html
    import re

    out = tmp_path / "report"
    result = run_cli("evaluate", "--model", str(workspace["mlp"]), "--data", str(workspace["test_only"]),
                     "--json", "--report", str(out), home=workspace["home"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # stdout stays one JSON document
    assert f"Report written to {out / 'index.html'}" in result.stderr
    with np.load(workspace["test_only"]) as data:
        y = data["y_test"]
    mistakes = report["misclassified"]
    assert len(mistakes) == round((1 - report["accuracy"]) * len(y))
    assert all(y[m["index"]] == m["true"] and m["true"] != m["predicted"] for m in mistakes)
    confidences = [m["confidence"] for m in mistakes]
    assert confidences == sorted(confidences, reverse=True)
    page = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert f"{100 * report['accuracy']:.2f}" in page
    for picture in re.findall(r'src="([^"]+\.png)"', page):
        assert (out / picture).stat().st_size > 0
    assert {"confusion.png", "mistakes.png"} <= {path.name for path in out.glob("*.png")}
    with Image.open(out / "confusion.png") as picture:
        assert min(picture.size) >= 200


def test_explain_json_gives_the_input_and_an_aligned_saliency_map(workspace, tmp_path):
    from digitpad.core.imageio import read_image
    from digitpad.core.inference import Predictor
    from digitpad.core.preprocess import preprocess

    images = [*map(str, workspace["images"]), str(workspace["blank"])]
    result = run_cli("explain", "--model", str(workspace["seed-cnn"]), "--json", "--out", str(tmp_path),
                     *images, home=workspace["home"])
    assert result.returncode == 2, "the blank image is an error, the others are explained"
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == images
    assert "error" in lines[-1] and "nothing drawn" in lines[-1]["error"]
    predictor = Predictor.load(workspace["seed-cnn"])
    for line, path in zip(lines[:-1], workspace["images"], strict=True):
        model_input = np.array(line["input"], dtype=np.float32)
        saliency = np.array(line["saliency"], dtype=np.float32)
        assert model_input.shape == saliency.shape == (28, 28)
        np.testing.assert_allclose(model_input, preprocess(read_image(path)), atol=1e-6)
        assert line["label"] == int(predictor.predict_prepared(model_input[None]).argmax())
        ink = model_input > 0.3
        # the evidence lies on the strokes, not on the empty background around them
        assert np.abs(saliency[ink]).mean() > 3 * np.abs(saliency[~ink]).mean()
        with Image.open(tmp_path / f"{path.stem}-explained.png") as overlay:
            assert overlay.size[0] >= 28 * 4


def test_explain_text_draws_the_map_in_the_terminal(workspace):
    result = run_cli("explain", "--model", str(workspace["mlp"]), str(workspace["images"][0]), home=workspace["home"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{workspace['images'][0]}: ")
    assert len(lines) == 1 + 28 and all(len(line) == 2 + 1 + 28 + 1 for line in lines[1:])


def test_predict_json_one_line_per_image(workspace):
    result = run_cli("predict", "--model", str(workspace["seed-cnn"]), "--json",
                     *map(str, workspace["images"]), home=workspace["home"])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(p) for p in workspace["images"]]
    for line in lines:
        assert len(line["probabilities"]) == 10
        assert sum(line["probabilities"]) == pytest.approx(1.0, abs=1e-4)
        assert line["label"] == int(np.argmax(line["probabilities"]))
        assert line["confidence"] == pytest.approx(max(line["probabilities"]), abs=1e-5)
        second = int(np.argsort(line["probabilities"])[-2])
        assert line["runner_up"] == second and line["runner_up"] != line["label"]
        assert line["runner_up_confidence"] == pytest.approx(line["probabilities"][second], abs=1e-5)
        assert line["unsure"] is (line["confidence"] < UNSURE_BELOW)


def test_predict_notes_a_model_that_rescales_its_own_input(workspace, tmp_path):
    import keras

    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Flatten()(keras.layers.Rescaling(1 / 255)(inputs))
    path = tmp_path / "rescaled.keras"
    keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x)).save(path)
    result = run_cli("predict", "--model", str(path), "--json", str(workspace["images"][0]), home=workspace["home"])
    assert result.returncode == 0, result.stderr
    assert "digitpad: note: This model rescales its own input" in result.stderr
    assert json.loads(result.stdout)["file"] == str(workspace["images"][0])  # stdout stays JSON


def test_predict_reports_a_blank_image_instead_of_guessing(workspace):
    result = run_cli("predict", "--model", str(workspace["mlp"]), str(workspace["blank"]), home=workspace["home"])
    assert result.returncode == 2
    assert "nothing drawn" in result.stderr


def test_compare_counts_pairwise_disagreements(workspace):
    from digitpad.core.inference import Predictor

    result = run_cli("compare", str(workspace["mlp"]), str(workspace["seed-cnn"]),
                     "--data", str(workspace["test_only"]), "--json", home=workspace["home"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    with np.load(workspace["test_only"]) as data:
        x, y = data["x_test"].astype(np.float32) / 255, data["y_test"]
    right = [Predictor.load(workspace[a]).predict_prepared(x).argmax(axis=1) == y for a in ("mlp", "seed-cnn")]
    pairs = {(p["model"], p["other"]): p["right_where_other_wrong"] for p in report["pairwise"]}
    assert pairs[("mlp", "seed-cnn")] == int((right[0] & ~right[1]).sum())
    assert pairs[("seed-cnn", "mlp")] == int((right[1] & ~right[0]).sum())
    names = [m["name"] for m in report["models"]]
    assert names == ["mlp", "seed-cnn"]
    for model in report["models"]:
        assert {"accuracy", "loss", "parameters", "file_size", "ms_per_image", "per_class_accuracy"} <= set(model)
        assert len(model["per_class_accuracy"]) == 10


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("evaluate", "--model", "/nonexistent/model.keras"), "model.keras"),
        (("predict", "--model", "__CORRUPT__", "x.png"), "corrupt.keras"),
        (("evaluate", "--data", "/nonexistent/data.npz"), "data.npz"),
        (("predict", "/nonexistent/digit.png"), "digit.png"),
    ],
)
def test_errors_exit_2_with_one_line_and_no_traceback(workspace, args, needle):
    corrupt = workspace["root"] / "corrupt.keras"
    corrupt.write_bytes(b"this is not a zip file")
    args = tuple(str(corrupt) if a == "__CORRUPT__" else a for a in args)
    result = run_cli(*args, home=workspace["home"])
    assert result.returncode == 2
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("digitpad:")]
    assert len(error_lines) == 1 and needle in error_lines[0]
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(workspace):
    result = run_cli("--debug", "evaluate", "--model", "/nonexistent/model.keras", home=workspace["home"])
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_models_lists_the_library(workspace, tmp_path):
    from digitpad.core.inference import Predictor
    from digitpad.core.library import ModelLibrary

    home = tmp_path / "home"
    library = ModelLibrary(home / "data" / "digitpad" / "models")
    library.import_file(workspace["mlp"])
    result = run_cli("models", "--json", home=home)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [entry["name"] for entry in listed] == ["mlp"]
    assert listed[0]["metadata"]["param_count"] == Predictor.load(workspace["mlp"]).num_params
    assert listed[0]["metadata"]["test_data"] == {"name": "tiny.npz test", "size": 300}
    plain = run_cli("models", home=home)
    assert "on tiny.npz test, 300" in plain.stdout


def test_evaluating_on_digits_a_model_trained_on_says_so(workspace, tmp_path):
    """The shipped model trained on the bundled digits: its figure there must not pass as a test."""
    import zipfile

    from digitpad.core.datasets import BUNDLED_TEST_NAME

    marked = tmp_path / "marked.keras"
    with zipfile.ZipFile(workspace["mlp"]) as original, zipfile.ZipFile(marked, "w") as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "digitpad.json":
                metadata = json.loads(data)
                metadata["seen_test_sets"] = [BUNDLED_TEST_NAME]
                data = json.dumps(metadata).encode()
            copy.writestr(item, data)
    result = run_cli("evaluate", "--model", str(marked), "--data", "mnist", "--json", home=workspace["home"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["test_data"] == {"name": BUNDLED_TEST_NAME, "size": 1000}
    assert any("was trained on the digits of bundled held-out MNIST" in w for w in report["warnings"])
    assert "was trained on the digits of bundled held-out MNIST" in result.stderr
    unmarked = run_cli("evaluate", "--model", str(workspace["mlp"]), "--data", "mnist", "--json",
                       home=workspace["home"])
    assert not any("was trained on" in w for w in json.loads(unmarked.stdout)["warnings"])


def test_models_import_rename_delete_match_the_models_tab(workspace, tmp_path):
    home = tmp_path / "home"
    imported = run_cli("models", "import", str(workspace["mlp"]), "--name", "digits", home=home)
    assert imported.returncode == 0, imported.stderr
    again = run_cli("models", "import", str(workspace["mlp"]), "--name", "digits", home=home)
    assert "as “digits (2)”" in again.stdout
    renamed = run_cli("models", "rename", "digits (2)", "second", home=home)
    assert renamed.returncode == 0 and "to “second”" in renamed.stdout
    taken = run_cli("models", "rename", "second", "digits", home=home)
    assert taken.returncode == 2 and taken.stderr.strip().endswith("already exists in the library; choose another name.")
    hidden = run_cli("models", "rename", "second", "other\u200b", home=home)
    assert hidden.returncode == 2 and "invisible" in hidden.stderr
    deleted = run_cli("models", "delete", "digits", home=home)
    assert deleted.returncode == 0
    missing = run_cli("models", "delete", "digits", home=home)
    assert missing.returncode == 2 and "There is no model named “digits”" in missing.stderr
    listed = json.loads(run_cli("models", "--json", home=home).stdout)
    assert [entry["name"] for entry in listed] == ["second"]
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a model")
    refused = run_cli("models", "import", str(broken), home=home)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1


def test_train_checks_its_output_before_training(workspace, tmp_path):
    (tmp_path / "a-file").write_text("x")
    result = run_cli("train", "--data", str(workspace["tiny"]), "--arch", "mlp", "--epochs", "50",
                     "--out", str(tmp_path / "a-file" / "model.keras"), home=workspace["home"])
    assert result.returncode == 2
    assert "is not a folder" in result.stderr and "epoch" not in result.stderr


def test_json_output_stays_strict_json_when_numbers_are_not_finite():
    from digitpad.commands.common import json_text as _json

    text = _json({"loss": float("nan"), "history": [1.0, float("inf"), -float("inf")], "name": "x"})
    assert json.loads(text, parse_constant=lambda name: pytest.fail(f"bare {name}")) == {
        "loss": None, "history": [1.0, None, None], "name": "x"}
