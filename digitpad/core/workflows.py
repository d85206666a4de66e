"""Train, evaluate on the test split, describe: the sequence shared by the CLI, the window and
the default-model recipe, so that every saved model carries the same metadata."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from digitpad.core.datasets import Dataset
from digitpad.core.evaluation import Evaluation, evaluate
from digitpad.core.model_file import ModelMetadata, save_model
from digitpad.core.preprocess import PREPROCESS_VERSION
from digitpad.core.training import TrainingProgress, TrainingRun, TrainingSpec, train


@dataclass(frozen=True)
class TrainedModel:
    run: TrainingRun
    evaluation: Evaluation
    metadata: ModelMetadata


def keras_predict_function(model) -> Callable[[np.ndarray], np.ndarray]:
    """Keras' fastest batch call, shaped like `Predictor.predict_prepared`."""

    def predict(x: np.ndarray) -> np.ndarray:
        batch = np.asarray(x, dtype=np.float32).reshape(len(x), 28, 28, 1)
        return np.asarray(model.predict_on_batch(batch))

    return predict


def describe(run: TrainingRun, dataset: Dataset, evaluation: Evaluation, name: str) -> ModelMetadata:
    import keras
    import tensorflow as tf

    return ModelMetadata(
        name=name,
        architecture=run.spec.architecture.to_dict(),
        dataset=dataset.name,
        hyperparameters=run.spec.to_dict(),
        history={key: [float(v) for v in values] for key, values in run.epoch_history.items()},
        test_metrics=evaluation.to_dict(),
        preprocess_version=PREPROCESS_VERSION,
        keras_version=keras.__version__,
        tensorflow_version=tf.__version__,
        param_count=int(run.model.count_params()),
        training_seconds=float(run.duration_s),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        class_names=list(dataset.class_names),
        test_data=dataset.test_data,
    )


def train_and_evaluate(
    dataset: Dataset,
    spec: TrainingSpec,
    *,
    name: str,
    progress: Callable[[TrainingProgress], None] | None = None,
    stop_event: threading.Event | None = None,
) -> TrainedModel:
    """Train on the training split, then measure on the test split the model never saw."""
    run = train(dataset.x_train, dataset.y_train, spec, progress=progress, stop_event=stop_event)
    evaluation = evaluate(keras_predict_function(run.model), dataset.x_test, dataset.y_test)
    return TrainedModel(run=run, evaluation=evaluation, metadata=describe(run, dataset, evaluation, name))


def train_evaluate_save(
    dataset: Dataset,
    spec: TrainingSpec,
    out: Path,
    *,
    progress: Callable[[TrainingProgress], None] | None = None,
    stop_event: threading.Event | None = None,
) -> TrainedModel:
    trained = train_and_evaluate(dataset, spec, name=out.stem, progress=progress, stop_event=stop_event)
    save_model(trained.run.model, out, trained.metadata)
    return trained
