"""Teach a model one person's handwriting: fine-tune it on their digits without forgetting MNIST.

No MNIST model reads every hand, but a few dozen of a person's digits are enough to teach it
theirs, if the lesson is short and careful. `finetune` starts from a trained model (the shipped
one, or any of the library), keeps a part of the person's digits aside to measure it on, and
trains a few epochs on the rest mixed with MNIST digits it already knew, then says what was
gained on the person's held-out digits and what was lost on MNIST digits neither model trained
on. The recipe was chosen on synthetic hands (`digitpad.core.hands`) and MNIST's validation split;
benchmarks/bench_finetune.py measures it:

- Only the dense layers learn; the convolutions and batch normalization are frozen (a frozen
  BatchNormalization runs in inference mode). The features that read MNIST's strokes serve a
  person's strokes as well; what differs is which shapes mean which digit, and that is the
  dense layers' part. Training the whole network read the hands no better, forgot as much MNIST
  or more, and took twice as long; with batch normalization training too, a few hundred digits
  of one hand would replace its statistics of 55,000, and every MNIST digit would be read
  through the wrong normalisation.
- Each personal digit is drawn again from its strokes at other pen widths and slants
  (`variants` times, `strokes.stroke_variants`). Ten digits of a class then cover how the
  person varies instead of ten points of it: on the synthetic hands, 98.8% instead of 97.3%
  on the rest of the hand. Digits imported as images have no strokes and no variants: shearing
  their 28x28 image and growing or thinning its ink instead measured no gain (97.4% against
  97.3%), so it was left out.
- Replayed MNIST digits are taught the parent's own probabilities for them (distillation), not
  their labels: the model is asked to keep reading MNIST as it did, doubts included. In
  accuracy this measured the same as labels; it keeps MNIST's calibration where the shipped
  model's was (expected calibration error 0.0021 against the parent's 0.0024; 0.0028 with
  labels), which the Draw tab's "unsure" relies on.
- The personal digits weigh about a fifth of the replayed ones in all (`PERSONAL_SHARE`), the
  same for every label, so a person who drew twenty 4s and five 7s does not teach the model
  that their hand means 4. The share trades the hand against MNIST: at 0.5 the hands read
  99.0% and MNIST lost 0.31 points on average; at 0.25, 98.8% and 0.25 (worst hand 0.36); at
  0.21, 98.4% and 0.23 (worst 0.30, every hand still at 97.25% or better); at 0.18, no better.

The model's own augmentation layers (rotation, shift, zoom) still apply while it trains.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.cancellation import Cancelled, StopSignal, raise_if_stopped
from digitpad.core.datasets import BUNDLED_TEST_NAME, MNIST_CLASS_NAMES, Dataset, load_bundled_mnist, load_test_set
from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.evaluation import EvaluationCancelled, evaluate
from digitpad.core.model_file import ModelMetadata, load_keras_model, read_metadata
from digitpad.core.resources import default_model_path, validation_digits_path
from digitpad.core.strokes import Drawing, stroke_variants
from digitpad.core.tensorflow_runtime import import_tensorflow
from digitpad.core.training import (
    StopRequested,
    TrainingMonitor,
    TrainingProgress,
    TrainingRun,
    TrainingSpec,
)
from digitpad.core.translatable import QT_TRANSLATE_NOOP, Sentence
from digitpad.core.workflows import LOADING, StageProgress, TrainedModel, describe, keras_predict_function

if TYPE_CHECKING:
    import keras

PREPARING, MEASURING_BEFORE, MEASURING_AFTER = "preparing", "measuring before", "measuring after"
PERSONAL_DATA = "your held-out digits"
REPLAY_SOURCE = "bundled MNIST digits (training part)"
# MNIST digits the shipped model never trained on, for machines without Keras' MNIST test set:
# the first 2,000 of MNIST's validation split (the last 5,000 training digits), which the
# shipped model's recipe keeps out of training.
MNIST_SAMPLE_NAME = "MNIST validation sample"
MIN_PER_LABEL = 2  # one to learn from and one to measure on, for every digit
BATCH_SIZE = 64
# The personal digits' weight in all, against the replayed digits' (see `training_weights`).
PERSONAL_SHARE = 0.21

JobProgress = Callable[[StageProgress | TrainingProgress], None]


@dataclass(frozen=True)
class FineTuneSettings:
    """How a fine-tune runs; stored in the child model's lineage."""

    epochs: int = 3
    learning_rate: float = 1e-3
    replay: int = 2000  # MNIST digits replayed alongside the personal ones
    holdout_fraction: float = 0.2  # of each digit's personal examples, kept aside to measure on
    variants: int = 5  # extra drawings made from the strokes of each personal digit
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise DigitpadError(f"Fine-tuning needs at least 1 epoch, not {self.epochs}.")
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise DigitpadError(f"The learning rate must be above 0, not {self.learning_rate}.")
        if self.replay < 0:
            raise DigitpadError(f"The number of replayed MNIST digits cannot be negative ({self.replay}).")
        if not 0.0 < self.holdout_fraction < 1.0:
            raise DigitpadError(f"The held-out fraction must be above 0 and below 1, not {self.holdout_fraction}.")
        if self.variants < 0:
            raise DigitpadError(f"The number of variants per digit cannot be negative ({self.variants}).")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Score:
    """An accuracy with what it was measured on, as every accuracy digitpad shows."""

    accuracy: float
    count: int
    data: str  # "your held-out digits", "MNIST test", ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FineTuneResult:
    trained: TrainedModel  # the fine-tuned model, its metadata carrying the lineage
    personal_before: Score
    personal_after: Score
    mnist_before: Score
    mnist_after: Score
    personal_train: int  # personal digits learnt from (their variants not counted)
    personal_held_out: int
    replayed: int
    stopped: bool  # Stop ended training early; the weights learnt so far were measured

    def to_dict(self) -> dict[str, Any]:
        """The figures, as `digitpad finetune --json` prints them."""
        return {
            "personal_before": self.personal_before.to_dict(),
            "personal_after": self.personal_after.to_dict(),
            "mnist_before": self.mnist_before.to_dict(),
            "mnist_after": self.mnist_after.to_dict(),
            "personal_train": self.personal_train,
            "personal_held_out": self.personal_held_out,
            "replayed": self.replayed,
            "stopped": self.stopped,
            "epochs_completed": self.trained.run.epochs_completed,
            "training_seconds": self.trained.run.duration_s,
        }


def finetune(
    parent: str | Path | None,
    x: np.ndarray,
    y: np.ndarray,
    drawings: Sequence[Drawing | None],
    settings: FineTuneSettings = FineTuneSettings(),
    *,
    progress: JobProgress | None = None,
    stop_event: StopSignal | None = None,
) -> FineTuneResult:
    """Fine-tune the model at `parent` (None: the shipped one) on personal digits.

    `x` are the digits as model input (N, 28, 28) floats in 0..1 (or uint8), `y` their labels,
    `drawings` their strokes (None for a digit imported as an image). Every digit 0-9 needs at
    least `MIN_PER_LABEL` examples (DataError otherwise). `stop_event` set before training
    raises `Cancelled`; set during training, it ends training after the current batch and the
    weights learnt so far are measured and returned (`stopped`), as the Train tab's Stop does.
    """
    report = progress or _ignore
    started = time.perf_counter()
    x, y = _checked_digits(x, y, drawings)
    train_rows, held_rows = split_personal(y, settings.holdout_fraction, settings.seed)
    path = Path(parent) if parent is not None else default_model_path()

    report(StageProgress(LOADING, f"Loading {path.stem}…", None))
    import_tensorflow()
    model = load_keras_model(path)
    parent_metadata = read_metadata(path)
    raise_if_stopped(stop_event, "loading the model")

    rng = np.random.default_rng(settings.seed)
    preparing = (Sentence(QT_TRANSLATE_NOOP(
                     "Progress", "Drawing {count} of your digits again at other pens and slants…"), count=len(train_rows))
                 if settings.variants
                 else Sentence(QT_TRANSLATE_NOOP("Progress", "Preparing your digits…")))
    report(StageProgress(PREPARING, preparing, 0.0))
    personal_x, personal_y = personal_training_set(
        x[train_rows], y[train_rows], [drawings[i] for i in train_rows], settings.variants, rng,
        progress=lambda fraction: report(StageProgress(PREPARING, preparing, fraction)), stop_event=stop_event,
    )
    replay_x, replay_y = _replay_sample(settings.replay, rng)
    mnist = mnist_held_out(stop_event)
    raise_if_stopped(stop_event, "preparing the digits")

    predict = keras_predict_function(model)
    measuring = Sentence(QT_TRANSLATE_NOOP(
        "Progress", "Measuring {model} on {test_set} and on your held-out digits…"),
        model=path.stem, test_set=mnist.test_label)
    report(StageProgress(MEASURING_BEFORE, measuring, 0.0))
    try:
        mnist_before = evaluate(predict, mnist.x_test, mnist.y_test, stop_event=stop_event,
                                progress=lambda f: report(StageProgress(MEASURING_BEFORE, measuring, f)))
    except EvaluationCancelled as error:
        raise Cancelled("Stopped while measuring the model before fine-tuning.") from error
    personal_before = _accuracy(predict, x[held_rows], y[held_rows])
    # What the parent says of each replayed digit is what the child is taught to keep saying.
    replay_targets = predict(replay_x) if len(replay_x) else np.empty((0, 10), np.float32)
    raise_if_stopped(stop_event, "measuring the model")

    inputs = np.concatenate((personal_x, replay_x))
    targets = np.concatenate((np.eye(10, dtype=np.float32)[personal_y], replay_targets.astype(np.float32)))
    weights = training_weights(personal_y, len(replay_x))
    spec = TrainingSpec(
        architecture=_architecture(parent_metadata),
        learning_rate=settings.learning_rate,
        epochs=settings.epochs,
        batch_size=BATCH_SIZE,
        validation_split=0.0,
        seed=settings.seed,
    )
    run = fit_personal(model, inputs, targets, weights, spec, progress=report, stop_event=stop_event)

    after = Sentence(QT_TRANSLATE_NOOP(
        "Progress", "Measuring the fine-tuned model on {test_set} and on your held-out digits…"),
        test_set=mnist.test_label)
    report(StageProgress(MEASURING_AFTER, after, 0.0))
    # Not stoppable: Stop during training asks for these very figures.
    evaluation = evaluate(keras_predict_function(run.keras_model), mnist.x_test, mnist.y_test,
                          progress=lambda f: report(StageProgress(MEASURING_AFTER, after, f)))
    personal_after = _accuracy(keras_predict_function(run.keras_model), x[held_rows], y[held_rows])

    scores = {
        "personal_before": Score(personal_before, len(held_rows), PERSONAL_DATA),
        "personal_after": Score(personal_after, len(held_rows), PERSONAL_DATA),
        "mnist_before": Score(mnist_before.accuracy, len(mnist.y_test), str(mnist.test_data["name"])),
        "mnist_after": Score(evaluation.accuracy, len(mnist.y_test), str(mnist.test_data["name"])),
    }
    parent_name = parent_metadata.name if parent_metadata is not None else path.stem
    dataset = Dataset(
        "mnist + your digits",
        np.concatenate((_as_uint8(personal_x), _as_uint8(replay_x))),
        np.concatenate((personal_y, replay_y)).astype(np.uint8),
        mnist.x_test,
        mnist.y_test,
        MNIST_CLASS_NAMES,
        notes=mnist.notes,
        test_name=mnist.test_name,
    )
    lineage = {
        "parent": parent_name,
        "parent_file": path.name,
        "parent_sha256": _sha256(path),
        "personal_digits": len(train_rows),
        "personal_held_out": len(held_rows),
        "personal_variants": len(personal_x) - len(train_rows),
        "replayed_digits": len(replay_x),
        "replayed_from": REPLAY_SOURCE,
        "settings": settings.to_dict(),
        "stopped": run.stopped_by_user,
        "seconds": time.perf_counter() - started,
        **{key: score.to_dict() for key, score in scores.items()},
    }
    metadata = replace(
        describe(run, dataset, evaluation, f"{parent_name} + my hand"),
        architecture=parent_metadata.architecture if parent_metadata is not None else {},
        # The child inherits the parent's weights, so whatever the parent trained on it has seen.
        seen_test_sets=list(parent_metadata.seen_test_sets) if parent_metadata is not None else [],
        lineage=lineage,
    )
    return FineTuneResult(
        trained=TrainedModel(run=run, dataset=dataset, evaluation=evaluation, metadata=metadata),
        personal_train=len(train_rows),
        personal_held_out=len(held_rows),
        replayed=len(replay_x),
        stopped=run.stopped_by_user,
        **scores,
    )


def split_personal(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, held-out rows): of each label's n digits, round(n * fraction) are held
    out, at least one and never all; chosen at random, seeded, so a rerun measures the same ones."""
    rng = np.random.default_rng(seed)
    train: list[np.ndarray] = []
    held: list[np.ndarray] = []
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        count = min(len(rows) - 1, max(1, round(len(rows) * fraction)))
        held.append(rows[:count])
        train.append(rows[count:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(held))


def personal_training_set(
    x: np.ndarray,
    y: np.ndarray,
    drawings: Sequence[Drawing | None],
    variants: int,
    rng: np.random.Generator,
    *,
    progress: Callable[[float], None] | None = None,
    stop_event: StopSignal | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The digits themselves followed by `variants` new drawings of each digit that has its
    strokes: float32 (N, 28, 28) and their labels. A digit imported as an image has no variants
    (see the module's docstring)."""
    images = [x]
    labels = [y]
    if variants:
        for index, drawing in enumerate(drawings):
            raise_if_stopped(stop_event, "preparing the digits")
            if drawing is not None:
                images.append(stroke_variants(drawing, rng, variants))
                labels.append(np.full(variants, y[index]))
            if progress is not None:
                progress((index + 1) / len(x))
    return np.concatenate(images).astype(np.float32), np.concatenate(labels).astype(np.int64)


def class_balanced_weights(y: np.ndarray) -> np.ndarray:
    """Per-digit weights that give every label the same total, averaging 1."""
    counts = np.bincount(y, minlength=10).astype(np.float32)
    present = np.count_nonzero(counts)
    return (len(y) / (present * counts[y])).astype(np.float32)


def training_weights(personal_y: np.ndarray, replayed: int) -> np.ndarray:
    """Sample weights for the personal digits (labels `personal_y`, variants included) followed
    by `replayed` MNIST digits: the personal ones weigh `PERSONAL_SHARE` of the replayed ones in
    all, the same for every label; the mean weight is 1, so the learning rate means what it says."""
    personal = class_balanced_weights(personal_y)
    if replayed:
        personal *= PERSONAL_SHARE * replayed / len(personal_y)
    weights = np.concatenate((personal, np.ones(replayed, np.float32)))
    return (weights * (len(weights) / weights.sum())).astype(np.float32)


def fit_personal(
    model: keras.Model,
    x: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    spec: TrainingSpec,
    *,
    progress: Callable[[TrainingProgress], None] | None = None,
    stop_event: StopSignal | None = None,
) -> TrainingRun:
    """Fit the dense layers of `model` (a trained one) to soft `targets` (N, 10), everything
    else frozen, reporting and stopping as `training.train` does."""
    import keras

    began = time.perf_counter()
    keras.utils.set_random_seed(spec.seed)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    was_trainable = [layer.trainable for layer in model.layers]
    for layer in model.layers:
        # A frozen BatchNormalization runs in inference mode in Keras 3: its statistics stay MNIST's.
        # A model without dense layers of its own (a nested one) learns in all but those.
        layer.trainable = layer in dense or (not dense and not isinstance(layer, keras.layers.BatchNormalization))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=spec.learning_rate),
        loss=keras.losses.CategoricalCrossentropy(),
        metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
    )
    monitor = TrainingMonitor(model, sample_count=len(x), batch_size=spec.batch_size, epochs=spec.epochs,
                       progress=progress, stop_event=stop_event)
    with contextlib.suppress(StopRequested):  # Stop: the weights reached so far stay in the model
        model.fit(x[..., None], targets, sample_weight=weights, batch_size=spec.batch_size, epochs=spec.epochs,
                  shuffle=True, callbacks=[monitor.callback()], verbose=0)
    for layer, trainable in zip(model.layers, was_trainable, strict=True):
        layer.trainable = trainable  # saved as the parent was, so a later fine-tune starts alike
    return monitor.run(spec, began)


def mnist_held_out(stop_event: StopSignal | None = None) -> Dataset:
    """MNIST digits to measure forgetting on: Keras' MNIST test set when it is cached or can be
    downloaded, else the shipped sample of MNIST's validation split. Never the bundled digits'
    test part: the shipped model trained on all 10,000 bundled digits."""
    dataset = load_test_set("mnist", stop_event=stop_event)
    if dataset.test_name != BUNDLED_TEST_NAME:
        return dataset
    with np.load(validation_digits_path()) as data:
        x, y = data["x"], data["y"]
    note = f"MNIST's test set is not available offline: measured on the {len(y):,}-digit {MNIST_SAMPLE_NAME}."
    return Dataset("mnist", np.empty((0, 28, 28), np.uint8), np.empty((0,), np.uint8), x, y,
                   MNIST_CLASS_NAMES, notes=(note,), test_name=MNIST_SAMPLE_NAME)


def _checked_digits(
    x: np.ndarray, y: np.ndarray, drawings: Sequence[Drawing | None]
) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise DataError(f"Personal digits must be 28x28 images, not an array of shape {x.shape}.")
    if y.shape != (len(x),) or len(drawings) != len(x):
        raise DataError(f"Expected one label and one drawing for each of the {len(x)} digits.")
    if len(y) and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() > 9):
        raise DataError("Labels of personal digits must be whole numbers from 0 to 9.")
    counts = np.bincount(y.astype(np.int64), minlength=10) if len(y) else np.zeros(10, np.int64)
    short = [str(label) for label in range(10) if counts[label] < MIN_PER_LABEL]
    if short:
        raise DataError(
            f"Fine-tuning needs at least {MIN_PER_LABEL} of each digit (one to learn from, one to measure "
            f"on); draw more of: {', '.join(short)}."
        )
    pixels = _as_float(x)
    return pixels, y.astype(np.int64)


def _as_float(x: np.ndarray) -> np.ndarray:
    if x.dtype == np.uint8:
        return x.astype(np.float32) / np.float32(255.0)
    return np.clip(x.astype(np.float32), 0.0, 1.0)


def _as_uint8(x: np.ndarray) -> np.ndarray:
    return np.round(np.clip(x, 0.0, 1.0) * 255).astype(np.uint8)


def _replay_sample(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`count` MNIST digits from the bundled set's training part (`REPLAY_SOURCE`), float32
    (N, 28, 28) and labels: digits the shipped model trained on, so replaying them teaches it
    nothing new about MNIST, only to keep what it knew."""
    if count == 0:
        return np.empty((0, 28, 28), np.float32), np.empty((0,), np.int64)
    bundled = load_bundled_mnist()
    rows = rng.choice(len(bundled.x_train), min(count, len(bundled.x_train)), replace=False)
    return _as_float(bundled.x_train[rows]), bundled.y_train[rows].astype(np.int64)


def _accuracy(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.argmax(predict(x), axis=1) == y))


def _architecture(metadata: ModelMetadata | None) -> ArchitectureSpec:
    """The parent's architecture spec when it has a readable one; the run's record needs one."""
    try:
        return ArchitectureSpec.from_dict(metadata.architecture if metadata is not None else {})
    except DigitpadError:
        return ArchitectureSpec()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _ignore(_report: StageProgress | TrainingProgress) -> None:
    """The progress of a caller that does not watch."""

