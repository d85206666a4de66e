"""The shipped model's recipe, on a tiny slice: reproducible, calibrated, honestly labelled."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.calibration import with_temperature
from digitpad.core.datasets import MNIST_CLASS_NAMES, Dataset, load_mnist_training_set
from digitpad.core.default_model import (
    RECIPE,
    VALIDATION_NAME,
    build_training_set,
    make_default_model,
)
from digitpad.core.evaluation import metrics_from_probabilities
from digitpad.core.inference import Predictor
from digitpad.core.model_file import read_metadata, save_model
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.workflows import TrainedModel, keras_predict_function

TINY = replace(
    RECIPE,
    training=replace(RECIPE.training, epochs=1, batch_size=64),
    stroke_copies=40,
    style_digits=38,
    scans=30,
    bold=20,
)


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    with np.load(bundled_mnist_path()) as data:
        return data["x"][:500], data["y"][:500]


@pytest.fixture(scope="module")
def trained_twice(digits):
    x, y = digits
    return [make_default_model(x, y, TINY, validation_size=100) for _ in range(2)]


def test_the_recipe_gives_the_same_weights_with_the_same_seed(trained_twice) -> None:
    first, second = (t.run.model.get_weights() for t in trained_twice)
    assert len(first) == len(second) > 0
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_training_set_adds_each_kind_of_digit(digits) -> None:
    x, y = digits
    x_train, y_train = build_training_set(x, y, TINY, np.random.default_rng(0))
    assert len(x_train) == len(x) + TINY.stroke_copies + TINY.style_digits + TINY.scans + TINY.bold == len(y_train)
    np.testing.assert_array_equal(x_train[: len(x)], x)
    assert x_train.dtype == np.uint8 and set(np.unique(y_train)) == set(range(10))


def test_the_temperature_is_baked_into_the_output_layer(trained_twice, digits) -> None:
    trained = trained_twice[0]
    calibration = trained.metadata.calibration
    temperature = calibration["temperature"]
    assert temperature > 0 and temperature != pytest.approx(1.0)
    # Undoing the temperature on the saved model's output gives back the uncalibrated model,
    # whose calibration error was recorded as ece_before.
    x_val, y_val = digits[0][-100:], digits[1][-100:]
    calibrated = keras_predict_function(trained.run.model)(x_val.astype(np.float32) / 255)
    from digitpad.core.calibration import expected_calibration_error

    assert expected_calibration_error(calibrated, y_val) == pytest.approx(calibration["ece_after"], abs=1e-6)
    raw = with_temperature(calibrated, 1 / temperature)
    assert expected_calibration_error(raw, y_val) == pytest.approx(calibration["ece_before"], abs=1e-4)
    assert calibration["ece_after"] <= calibration["ece_before"] + 1e-9


def test_the_stored_figure_names_the_validation_split(trained_twice, tmp_path: Path) -> None:
    trained = trained_twice[0]
    path = save_model(trained.run.model, tmp_path / "default.keras", trained.metadata)
    metadata = read_metadata(path)
    assert metadata is not None
    assert metadata.test_data == {"name": VALIDATION_NAME, "size": 100}
    assert metadata.test_label() == f"{VALIDATION_NAME}, 100"
    assert metadata.accuracy_text().endswith(f"on {VALIDATION_NAME}, 100")
    assert metadata.calibration["fitted_on"] == f"{VALIDATION_NAME}, 100"
    assert metadata.hyperparameters["lr_schedule"] == "cosine"
    # The NumPy runtime reads the calibrated weights like Keras does.
    x = np.random.default_rng(0).random((4, 28, 28), dtype=np.float32)
    np.testing.assert_allclose(
        Predictor.load(path).predict_prepared(x), keras_predict_function(trained.run.model)(x), atol=1e-5
    )


def test_the_training_set_file_is_read_in_its_order(tmp_path: Path, digits) -> None:
    x, y = digits
    np.savez(tmp_path / "keras-layout.npz", x_train=x, y_train=y, x_test=x[:5], y_test=y[:5])
    np.savez(tmp_path / "plain.npz", x=x, y=y)
    for name in ("keras-layout.npz", "plain.npz"):
        x_read, y_read = load_mnist_training_set(tmp_path / name)
        np.testing.assert_array_equal(x_read, x)
        np.testing.assert_array_equal(y_read, y)


def test_the_command_refuses_bad_output_and_missing_data_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from digitpad import cli
    from digitpad.core import default_model

    monkeypatch.setenv("DIGITPAD_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(default_model, "make_default_model", lambda *a, **k: pytest.fail("trained anyway"))
    (tmp_path / "file").write_text("a file, not a folder")
    for argv, message in (
        (["--out", str(tmp_path / "model.h5")], "must end in .keras"),
        (["--out", str(tmp_path)], "must end in .keras"),
        (["--out", str(tmp_path / "file" / "model.keras")], "is not a folder"),
        (["--out", str(tmp_path / "model.keras")], "not available (DIGITPAD_OFFLINE is set)"),
        (["--out", str(tmp_path / "model.keras"), "--epochs", "0"], "at least 1 epoch"),
    ):
        assert cli.main(["default-model", *argv]) == cli.EXIT_USER_ERROR
        error = capsys.readouterr().err
        assert error.startswith("digitpad: error: ") and message in error


def test_the_command_trains_the_recipe_and_saves_what_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`digitpad default-model` hands the recipe, with its --epochs, to `make_default_model` and
    saves the result where --out says; a fake recipe keeps this test to a second."""
    from digitpad import cli
    from digitpad.core import default_model
    from digitpad.core.training import train
    from digitpad.core.workflows import describe

    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:5_300], data["y"][:5_300]
    np.savez(tmp_path / "mnist.npz", x_train=x, y_train=y)
    seen: dict[str, object] = {}

    def tiny_recipe(x_all, y_all, recipe, *, progress=None, **_ignored):
        seen["epochs"], seen["digits"] = recipe.training.epochs, len(y_all)
        spec = replace(recipe.training, architecture=replace(recipe.training.architecture, name="mlp", augment=False,
                                                             batch_norm=False, dropout=0.0), batch_size=256)
        run = train(x_all[:300], y_all[:300], spec, progress=progress)
        evaluation = metrics_from_probabilities(y_all[-100:], keras_predict_function(run.model)(x_all[-100:] / 255))
        dataset = Dataset("mnist", x_all[:300], y_all[:300], x_all[-100:], y_all[-100:], MNIST_CLASS_NAMES,
                          test_name=VALIDATION_NAME)
        metadata = replace(describe(run, dataset, evaluation, "tiny"),
                           calibration={"temperature": 1.0, "ece_before": 0.1, "ece_after": 0.05})
        return TrainedModel(run=run, dataset=dataset, evaluation=evaluation, metadata=metadata)

    monkeypatch.setattr(default_model, "make_default_model", tiny_recipe)
    out = tmp_path / "made.keras"
    assert cli.main(["default-model", "--mnist", str(tmp_path / "mnist.npz"), "--out", str(out), "--epochs", "1"]) == 0
    assert seen == {"epochs": 1, "digits": 5_300}
    metadata = read_metadata(out)
    assert metadata is not None and metadata.name == "tiny"
    captured = capsys.readouterr()
    assert "Training on 300 MNIST digits plus 10,000 re-drawn" in captured.err
    assert captured.out.startswith(f"{out}: 101,770 parameters, trained 1 epochs")
    assert "temperature 1.000, calibration error 0.1000 -> 0.0500." in captured.out
