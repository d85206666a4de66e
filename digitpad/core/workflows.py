"""Load, train, test, describe: the one job behind `digitpad train`, the Train tab and the
default-model recipe, so that every saved model carries the same metadata and every caller
stops the same way.

The job reports through one `progress` callable: `StageProgress` for the phases without
batches (loading the data, building the model, testing) and the training's own
`TrainingProgress` per batch and epoch. It polls two stop signals: `stop_event` abandons the
job in any phase (`Cancelled`), `end_training` ends training after the current batch and
still tests the weights learnt so far (a Stop button).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digitpad.core.cancellation import AnyOf, Cancelled, StopSignal, raise_if_stopped
from digitpad.core.datasets import Dataset, load_dataset
from digitpad.core.evaluation import Evaluation, EvaluationCancelled, evaluate
from digitpad.core.library import LibraryEntry, ModelLibrary
from digitpad.core.model_file import ModelMetadata, save_model
from digitpad.core.preprocess import PREPROCESS_VERSION
from digitpad.core.training import TrainingProgress, TrainingRun, TrainingSpec, check_tensorboard, train
from digitpad.core.translatable import QT_TRANSLATE_NOOP, Sentence

if TYPE_CHECKING:
    import keras


LOADING, BUILDING, TESTING = "loading", "building", "testing"
_SOURCE_LABEL_LENGTH = 60


@dataclass(frozen=True)
class StageProgress:
    """A phase without batches, with a sentence for people and its fraction done if known."""

    stage: str  # LOADING | BUILDING | TESTING
    text: str
    fraction: float | None


JobProgress = Callable[[StageProgress | TrainingProgress], None]


@dataclass(frozen=True)
class TrainedModel:
    """A model trained and tested. In the process that trained it `run.model` holds it; once
    handed over to the window (`training_jobs.hand_over`) it is the file `model_file` instead."""

    run: TrainingRun
    dataset: Dataset
    evaluation: Evaluation
    metadata: ModelMetadata
    model_file: Path | None = None


def keras_predict_function(model: keras.Model) -> Callable[[np.ndarray], np.ndarray]:
    """Keras' fastest batch call, shaped like `Predictor.predict_prepared`."""

    def predict(x: np.ndarray) -> np.ndarray:
        batch = np.asarray(x, dtype=np.float32).reshape(len(x), 28, 28, 1)
        return np.asarray(model.predict_on_batch(batch))

    return predict


def default_name(run: TrainingRun, dataset: Dataset, evaluation: Evaluation, architecture: str | None = None) -> str:
    """What a model is called until someone names it: "seed-cnn mnist 98.7"."""
    return f"{architecture or run.spec.architecture.name} {dataset.name} {100 * evaluation.accuracy:.1f}"


def describe(
    run: TrainingRun, dataset: Dataset, evaluation: Evaluation, name: str, architecture: dict[str, Any] | None = None
) -> ModelMetadata:
    """The description saved with the model; `architecture` replaces the spec's for a network
    built from a file ({"name": ..., "file": ...})."""
    import keras
    import tensorflow as tf

    return ModelMetadata(
        name=name,
        architecture=architecture or run.spec.architecture.to_dict(),
        dataset=dataset.name,
        hyperparameters=run.spec.to_dict(),
        history={key: [float(v) for v in values] for key, values in run.epoch_history.items()},
        test_metrics=evaluation.to_dict(),
        preprocess_version=PREPROCESS_VERSION,
        keras_version=keras.__version__,
        tensorflow_version=tf.__version__,
        param_count=int(run.keras_model.count_params()),
        training_seconds=float(run.duration_s),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        class_names=list(dataset.class_names),
        test_data=dataset.test_data,
    )


def train_and_evaluate(
    source: Dataset | str | Path,
    spec: TrainingSpec,
    *,
    name: str | None = None,
    progress: JobProgress | None = None,
    stop_event: StopSignal | None = None,
    end_training: StopSignal | None = None,
    tensorboard_dir: str | Path | None = None,
    build: Callable[[], keras.Model] | None = None,
    architecture: dict[str, Any] | None = None,
) -> TrainedModel:
    """Load `source` (unless it is already a `Dataset`), train on its training split, then
    measure on the test split the model never saw.

    Raises `Cancelled` when `stop_event` is set in any phase, and when `end_training` is set
    before training began (there would be nothing to test). `name` defaults to `default_name`.
    With `tensorboard_dir`, the run also writes TensorBoard logs into a folder of its own there
    (`training.tensorboard_run_dir`); whether it can is checked before the data is loaded.
    """
    report = progress or _ignore
    if tensorboard_dir is not None:
        check_tensorboard(tensorboard_dir)
    if isinstance(source, Dataset):
        dataset = source
    else:
        loading = Sentence(QT_TRANSLATE_NOOP("Progress", "Loading {source}…"),
                           source=_source_label(source))
        report(StageProgress(LOADING, loading, None))
        dataset = load_dataset(
            source, progress=partial(_report_stage, report, LOADING, loading), stop_event=stop_event
        )
    raise_if_stopped(stop_event, "loading the data")
    raise_if_stopped(end_training, "loading the data")
    report(StageProgress(BUILDING, Sentence(QT_TRANSLATE_NOOP("Progress", "Building the model…")),
                         None))
    run = train(
        dataset.x_train,
        dataset.y_train,
        spec,
        progress=progress,
        stop_event=AnyOf(stop_event, end_training),
        tensorboard_dir=tensorboard_dir,
        build=build,
    )
    raise_if_stopped(stop_event, "training")
    testing = Sentence(QT_TRANSLATE_NOOP("Progress", "Testing on {count} images it has never seen…"),
                       count=len(dataset.x_test))
    report(StageProgress(TESTING, testing, 0.0))
    try:
        evaluation = evaluate(
            keras_predict_function(run.keras_model),
            dataset.x_test,
            dataset.y_test,
            progress=partial(_report_stage, report, TESTING, testing),
            stop_event=stop_event,
        )
    except EvaluationCancelled as error:
        raise Cancelled("Stopped while testing.") from error
    label = str(architecture["name"]) if architecture else None
    metadata = describe(run, dataset, evaluation, name or default_name(run, dataset, evaluation, label), architecture)
    return TrainedModel(run=run, dataset=dataset, evaluation=evaluation, metadata=metadata)


def save_to_library(trained: TrainedModel, library: ModelLibrary, name: str) -> LibraryEntry:
    """Save a trained model to `library` as `name` ("name (2)" when taken), its description
    otherwise kept whole (a fine-tune's lineage, a calibration). A model in memory is converted
    for the fast path; one handed over as a file is copied, its LiteRT form with it. A worker's job."""
    if trained.model_file is not None:
        return library.adopt(trained.model_file, name)
    return library.save(trained.run.keras_model, replace(trained.metadata, name=name))


def train_evaluate_save(
    source: Dataset | str | Path,
    spec: TrainingSpec,
    out: Path,
    *,
    progress: JobProgress | None = None,
    stop_event: threading.Event | None = None,
    tensorboard_dir: str | Path | None = None,
    build: Callable[[], keras.Model] | None = None,
    architecture: dict[str, Any] | None = None,
) -> TrainedModel:
    """`train_and_evaluate`, then save the model under `out`, named after the file."""
    trained = train_and_evaluate(
        source, spec, name=out.stem, progress=progress, stop_event=stop_event, tensorboard_dir=tensorboard_dir,
        build=build, architecture=architecture,
    )
    save_model(trained.run.keras_model, out, trained.metadata)
    return trained


def _report_stage(report: JobProgress, stage: str, text: str, fraction: float) -> None:
    report(StageProgress(stage, text, fraction))


def _source_label(source: str | Path) -> str:
    """A data source short enough for one line: long paths keep their informative end."""
    text = str(source)
    if len(text) < _SOURCE_LABEL_LENGTH:
        return text
    return "…" + text[-(_SOURCE_LABEL_LENGTH - 2):]


def _ignore(_report: StageProgress | TrainingProgress) -> None:
    """The progress of a caller that does not watch."""
