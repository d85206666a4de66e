"""Export parity per format: each artefact, run by its own runtime, answers as digitpad does."""

from __future__ import annotations

import argparse
import json
import threading
from functools import partial
from pathlib import Path

import keras
import numpy as np
import pytest

from digitpad.commands import export as export_command
from digitpad.core import export
from digitpad.core.cancellation import Cancelled
from digitpad.core.engine import ThreadEngine
from digitpad.core.errors import DigitpadError, StorageError
from digitpad.core.export import EXPORT_FORMATS, TOLERANCE, ExportFormat, ExportResult, export_job, export_model
from digitpad.core.inference import Predictor
from digitpad.core.model_file import ModelMetadata, save_model
from digitpad.core.model_jobs import JobProgress
from tests.core.test_cli import run_cli

L = keras.layers
IMAGES = 64
OUT_NAMES: dict[ExportFormat, str] = {"onnx": "model.onnx", "litert": "model.tflite", "saved-model": "saved"}


def build_augmented_bn(head_activation: str | None) -> keras.Model:
    """digitpad's hard case: in-graph augmentation (built with `training=True` recorded) in front
    of batch normalisation whose statistics are far from 0/1, so a graph traced in training mode
    answers differently; `head_activation` None gives a logits head that export must softmax."""
    inputs = keras.Input((28, 28, 1))
    x = L.RandomRotation(0.1, fill_mode="constant")(inputs)
    x = L.RandomTranslation(0.1, 0.1, fill_mode="constant")(x)
    x = L.Conv2D(4, 3, strides=2)(x)
    x = L.BatchNormalization()(x)
    x = L.ReLU()(x)
    x = L.Flatten()(x)
    x = L.Dropout(0.3)(x)
    model = keras.Model(inputs, L.Dense(10, activation=head_activation)(x))
    rng = np.random.default_rng(0)
    for weight in model.weights:
        shape, path = tuple(weight.shape), weight.path
        if path.endswith("moving_mean"):
            value = rng.normal(2.0, 1.0, shape)
        elif path.endswith("moving_variance"):
            value = rng.uniform(2.0, 4.0, shape)
        else:
            value = rng.normal(0.0, 1.0 / np.sqrt(max(np.prod(shape[:-1]), 1)), shape)
        weight.assign(value.astype(np.float32))
    return model


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("models")
    # Saved as digitpad saves (its LiteRT form stored), so that loading them converts nothing.
    return {
        head: save_model(build_augmented_bn(activation), folder / f"{head}.keras", ModelMetadata(name=head))
        for head, activation in (("softmax", "softmax"), ("logits", None))
    }


def validation_digits(count: int) -> np.ndarray:
    from digitpad.core.resources import validation_digits_path

    with np.load(validation_digits_path()) as data:
        return data["x"][:count].astype(np.float32) / 255.0


def run_artefact(format: ExportFormat, path: Path, x: np.ndarray) -> np.ndarray:
    """The artefact run here by its runtime, independently of the module's own check."""
    batch = x[..., None]
    if format == "onnx":
        import onnxruntime

        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return np.asarray(session.run(None, {session.get_inputs()[0].name: batch})[0])
    if format == "litert":
        from ai_edge_litert.interpreter import Interpreter

        interpreter = Interpreter(model_path=str(path))
        (source,), (target,) = interpreter.get_input_details(), interpreter.get_output_details()
        interpreter.resize_tensor_input(source["index"], list(batch.shape))
        interpreter.allocate_tensors()
        interpreter.set_tensor(source["index"], batch)
        interpreter.invoke()
        return np.array(interpreter.get_tensor(target["index"]))
    import tensorflow as tf

    loaded = tf.saved_model.load(str(path))  # held: its variables die with it, even mid-call
    return loaded.serve(tf.constant(batch)).numpy()


@pytest.mark.parametrize("head", ["softmax", "logits"])
@pytest.mark.parametrize("format", EXPORT_FORMATS)
def test_each_export_answers_as_digitpad_does(
    format: ExportFormat, head: str, models: dict[str, Path], tmp_path: Path
) -> None:
    updates: list[JobProgress] = []
    out = tmp_path / "exports" / OUT_NAMES[format]  # a folder that does not exist yet is made
    result = export_model(models[head], format, out, images=IMAGES, progress=updates.append)

    assert result.out == out and result.model == models[head] and result.format == format
    assert result.images == IMAGES
    assert result.max_abs_difference <= TOLERANCE
    assert result.within_tolerance
    assert result.bytes > 1000
    assert [update.fraction for update in updates] == sorted(update.fraction for update in updates)
    assert updates[-1].fraction == 1.0
    assert [item.name for item in out.parent.iterdir()] == [out.name]  # no temporary left behind

    x = validation_digits(IMAGES)
    exported = run_artefact(format, out, x)
    expected = Predictor.load(models[head]).predict_prepared(x)
    assert expected.std() > 0.01  # not saturated: the comparison means something
    np.testing.assert_allclose(exported, expected, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(exported.sum(axis=1), 1.0, atol=1e-5)  # probabilities, even from logits


def test_the_check_catches_a_graph_traced_in_training_mode(
    models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keras' SavedModel exporter calls the graph without `training=False`; unwrapped, the
    recorded `training=True` of the augmentation puts batch norm in training mode, and the
    check must say so with a large difference."""
    from digitpad.core.conversion import inference_model

    monkeypatch.setattr(export, "_inference_graph", lambda model, _shape: inference_model(model))
    result = export_model(models["softmax"], "saved-model", tmp_path / "raw", images=IMAGES)
    assert result.max_abs_difference > 1e-2
    assert not result.within_tolerance


def test_a_file_format_needs_its_suffix_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"must end in \.tflite"):
        export_model(None, "litert", tmp_path / "model.onnx")
    assert list(tmp_path.iterdir()) == []


def test_a_saved_model_never_replaces_an_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(StorageError, match="already exists"):
        export_model(None, "saved-model", folder)
    assert [item.name for item in folder.iterdir()] == ["notes.txt"]


def test_a_missing_package_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "_installed", lambda module: module != "onnxruntime")
    assert export.missing_packages("onnx") == ["onnxruntime"]
    assert export.missing_packages("litert") == []
    with pytest.raises(DigitpadError, match=r"pip install onnxruntime$"):
        export_model(None, "onnx", tmp_path / "model.onnx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("format", ["litert", "saved-model"])
def test_a_stopped_export_writes_nothing(format: ExportFormat, models: dict[str, Path], tmp_path: Path) -> None:
    stop = threading.Event()

    def stop_once_exporting(update: JobProgress) -> None:
        if update.text.startswith("Exporting"):
            stop.set()

    with pytest.raises(Cancelled):
        export_model(models["softmax"], format, tmp_path / OUT_NAMES[format], progress=stop_once_exporting,
                     stop_event=stop)
    assert list(tmp_path.iterdir()) == []


def test_the_command_prints_one_json_object_or_two_lines(
    models: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    export_command.register(parser.add_subparsers(dest="command"))
    out = tmp_path / "model.tflite"
    command = ["export", "--model", str(models["logits"]), "--format", "litert", "--out", str(out)]

    args = parser.parse_args([*command, "--json"])
    assert args.handler(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"model", "format", "out", "max_abs_difference", "images", "bytes"}
    assert printed["out"] == str(out) and printed["format"] == "litert"
    assert printed["bytes"] == out.stat().st_size
    assert printed["images"] == export.CHECK_IMAGES
    assert 0 <= printed["max_abs_difference"] <= TOLERANCE

    args = parser.parse_args(command)  # the same file again: replaced
    assert args.handler(args) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith(f"Exported logits.keras as LiteRT to {out} (")
    assert second.startswith(f"On {export.CHECK_IMAGES} validation digits, its probabilities differ")


# ----------------------------------------------------------------------------- end to end (once cli.py registers it)


def test_cli_exports_as_json_and_refuses_in_one_line(models: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "model.onnx"
    result = run_cli("export", "--model", str(models["softmax"]), "--format", "onnx", "--out", str(out), "--json",
                     home=tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    printed = json.loads(line)
    assert printed["max_abs_difference"] <= TOLERANCE
    assert printed["bytes"] == out.stat().st_size

    refused = run_cli("export", "--format", "saved-model", "--out", str(tmp_path), home=tmp_path)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.strip().splitlines()[-1] == (
        f"digitpad: error: Cannot export to {tmp_path}: it already exists; a SavedModel needs a new or empty folder."
    )


def test_the_export_job_crosses_the_engine_and_stops(models: dict[str, Path], tmp_path: Path) -> None:
    """`export_job` as the window sends it to the engine: pickled there and back with its reports."""
    reports: list[object] = []
    out = tmp_path / "engine.tflite"
    result = ThreadEngine().run(partial(export_job, models["softmax"], "litert", out), reports.append,
                                threading.Event())
    assert isinstance(result, ExportResult) and result.out == out and out.is_file()
    assert result.format == "litert" and result.images == export.CHECK_IMAGES and result.bytes == out.stat().st_size
    assert result.within_tolerance and result.model == models["softmax"]
    assert all(isinstance(report, JobProgress) for report in reports) and reports[-1].fraction == 1.0  # type: ignore[attr-defined]
    stopped = threading.Event()
    stopped.set()
    with pytest.raises(Cancelled):
        ThreadEngine().run(partial(export_job, models["softmax"], "litert", tmp_path / "stopped.tflite"),
                           reports.append, stopped)
    assert not (tmp_path / "stopped.tflite").exists()
