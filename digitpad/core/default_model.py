"""The recipe that makes `resources/default-model.keras` from the full MNIST training set, run by

    digitpad default-model [--mnist FILE.npz] [--out resources/default-model.keras]

Without `--mnist` the 60,000 training digits come from Keras' MNIST download (or its cache);
offline, pass an `.npz` holding them in the official order (`x`/`y` or `x_train`/`y_train`).
The last 5,000 are the validation split: the recipe was chosen on them, the temperature is
fitted on them and the stored accuracy is measured on them; the model never trains on them.
The official test set is used by nobody here.

Besides the 55,000 MNIST digits, the model learns what MNIST has few of (see
`digitpad.core.synthetic_digits`): re-drawn pens from half to three times MNIST's width, digits
drawn from strokes in the styles people use outside the US (continental 1s, crossed 7s, closed 4s,
straight 9s), and coarse scans. Keras' rotation, shift and zoom layers jitter all of them.
Everything is seeded, and TensorFlow's ops are made deterministic, so the same command gives the
same weights on the same machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.calibration import expected_calibration_error, fit_temperature
from digitpad.core.datasets import (
    BUNDLED_TEST_NAME,
    MNIST_CLASS_NAMES,
    Dataset,
)
from digitpad.core.evaluation import metrics_from_probabilities
from digitpad.core.preprocess import vary_stroke_width
from digitpad.core.synthetic_digits import bold_strokes, low_resolution, style_digits
from digitpad.core.tensorflow_runtime import import_tensorflow
from digitpad.core.training import TrainingProgress, TrainingSpec, train
from digitpad.core.workflows import TrainedModel, describe, keras_predict_function

if TYPE_CHECKING:
    import keras

VALIDATION_SIZE = 5_000
VALIDATION_NAME = "MNIST validation split"


@dataclass(frozen=True)
class Recipe:
    """How the shipped model is trained: the Keras settings and how many extra digits of each kind."""

    training: TrainingSpec
    stroke_copies: int  # MNIST digits drawn through `vary_stroke_width` (about half get a new pen)
    style_digits: int  # drawings from stroke templates, all styles in turn
    scans: int  # MNIST digits as coarse scans
    bold: int  # MNIST digits with their ink grown 1-3 pixels (felt-tips, bold labels)


RECIPE = Recipe(
    training=TrainingSpec(
        architecture=ArchitectureSpec(
            name="digitpad-cnn", dropout=0.25, batch_norm=True, augment=True,
            rotation=0.04, shift=0.1, zoom=0.1,
        ),
        optimizer="adam",
        learning_rate=2e-3,
        lr_schedule="cosine",
        epochs=15,
        batch_size=128,
        validation_split=0.0,
        seed=0,
    ),
    stroke_copies=10_000,
    style_digits=12_000,
    scans=10_000,
    bold=10_000,
)


def build_training_set(
    x: np.ndarray, y: np.ndarray, recipe: Recipe, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST's digits plus the recipe's re-drawn, styled and scanned ones, uint8 (N, 28, 28)."""
    stroke_rows = rng.choice(len(x), min(recipe.stroke_copies, len(x)), replace=False)
    scan_rows = rng.choice(len(x), min(recipe.scans, len(x)), replace=False)
    bold_rows = rng.choice(len(x), min(recipe.bold, len(x)), replace=False)
    styled_x, styled_y, _ = style_digits(recipe.style_digits, rng)
    images = (x, vary_stroke_width(x[stroke_rows], rng), styled_x, low_resolution(x[scan_rows], rng),
              bold_strokes(x[bold_rows], rng))
    labels = (y, y[stroke_rows], styled_y, y[scan_rows], y[bold_rows])
    return np.concatenate(images), np.concatenate(labels).astype(np.uint8)


def scale_output_logits(model: keras.Model, temperature: float) -> None:
    """Divide the softmax layer's logits by `temperature`, in its weights: (W x + b) / T.

    Every runtime that reads the model then gives calibrated probabilities with no extra step.
    """
    output = model.layers[-1]
    kernel, bias = output.get_weights()
    output.set_weights([kernel / temperature, bias / temperature])


def make_default_model(
    x: np.ndarray,
    y: np.ndarray,
    recipe: Recipe = RECIPE,
    *,
    name: str = "digitpad default",
    validation_size: int = VALIDATION_SIZE,
    progress: Callable[[TrainingProgress], None] | None = None,
    stop_event: threading.Event | None = None,
) -> TrainedModel:
    """Train on all but the last `validation_size` digits, calibrate and measure on those."""
    import_tensorflow()
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    x_fit, y_fit = x[:-validation_size], y[:-validation_size]
    x_val, y_val = x[-validation_size:], y[-validation_size:]
    rng = np.random.default_rng(recipe.training.seed)
    x_train, y_train = build_training_set(x_fit, y_fit, recipe, rng)
    dataset = Dataset(
        "mnist", x_train, y_train, x_val, y_val, MNIST_CLASS_NAMES, test_name=VALIDATION_NAME
    )
    run = train(x_train, y_train, recipe.training, validation_data=(x_val, y_val),
                progress=progress, stop_event=stop_event)
    predict = keras_predict_function(run.keras_model)
    raw = predict(x_val.astype(np.float32) / 255)
    temperature = fit_temperature(raw, y_val)
    scale_output_logits(run.keras_model, temperature)
    calibrated = predict(x_val.astype(np.float32) / 255)
    evaluation = metrics_from_probabilities(y_val, calibrated)
    metadata = replace(
        describe(run, dataset, evaluation, name),
        calibration={
            "temperature": temperature,
            "fitted_on": dataset.test_label,
            "ece_before": expected_calibration_error(raw, y_val),
            "ece_after": expected_calibration_error(calibrated, y_val),
        },
        # The bundled 10,000 are the first digits of the training set, all within the 55,000.
        seen_test_sets=[BUNDLED_TEST_NAME],
    )
    return TrainedModel(run=run, dataset=dataset, evaluation=evaluation, metadata=metadata)
