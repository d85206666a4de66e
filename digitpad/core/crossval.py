"""k-fold cross-validation: how much a training recipe's accuracy owes to the luck of one split.

The training split is dealt into K stratified folds; each fold in turn is held out while a new
model learns from the others, with `training.train` (the held-out fold is its validation data,
so the fold curves can be overlaid) and is then measured on it with `evaluation.evaluate`. The
spread of the K figures says how far one train/test split can be trusted.

Every fold starts from the same weights (`spec.seed`), so the folds differ by their data alone:
the spread is the data's, not the initialisation's. A stop ends the fold under way, which is
dropped (part of a training measures nothing), and returns the folds already finished: minutes
of finished folds are worth keeping. Keras is imported only by the training itself.

`crossval_job` is the window's job: it runs in the engine process (`digitpad.core.engine`), so it
is a module-level function whose reports and result cross a pipe; its sentences are marked for
the window to translate.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

from digitpad.core.cancellation import Cancelled, StopSignal, raise_if_stopped
from digitpad.core.datasets import Dataset, image_warnings, load_dataset
from digitpad.core.errors import DataError, DigitpadError
from digitpad.core.evaluation import Evaluation, EvaluationCancelled, evaluate
from digitpad.core.formatting import format_count
from digitpad.core.progress_relay import REPORTS_PER_SECOND, ProgressRelay
from digitpad.core.training import TrainingProgress, TrainingSpec, train
from digitpad.core.translatable import QT_TRANSLATE_NOOP, Sentence
from digitpad.core.workflows import LOADING, StageProgress, keras_predict_function

MIN_FOLDS = 2

# The window's texts made inside `crossval_job` (translated there, in the cross-validation view's context).
LOADING_TEXT = QT_TRANSLATE_NOOP("CrossvalView", "Loading the data…")
SPARSE_LABELS_NOTE = QT_TRANSLATE_NOOP(
    "CrossvalView", "Label(s) {value} have fewer images than {folds} folds: some folds did not test them."
)


@dataclass(frozen=True)
class FoldResult:
    """One fold: the model trained on the other folds, measured on this one."""

    index: int  # 1-based, as people count folds
    accuracy: float
    loss: float
    history: dict[str, list[float]]  # per epoch: loss, accuracy, val_loss, val_accuracy (on this fold)
    held_out: int  # images in this fold
    duration_s: float  # training and testing
    evaluation: Evaluation

    def to_dict(self) -> dict[str, float | int]:
        return {"fold": self.index, "accuracy": self.accuracy, "loss": self.loss}


@dataclass(frozen=True)
class FoldProgress:
    """A report of the job: a fold starting (`training` and `result` None), each of its training
    reports (`training`), and its result once measured (`result`)."""

    fold: int  # 1-based
    folds: int
    training: TrainingProgress | None = None
    result: FoldResult | None = None


CrossValidationProgress = Callable[[FoldProgress], None]
CrossValidationReport = StageProgress | FoldProgress  # what `crossval_job` reports


@dataclass(frozen=True)
class CrossValidation:
    """The folds that finished, with the mean and spread of their figures.

    Standard deviations are the population's (numpy's `std`, as scikit-learn's examples report
    cross-validation scores): the spread of these K folds, not an estimate beyond them.
    """

    folds: tuple[FoldResult, ...]
    fold_count: int  # K asked for; more than len(folds) after a stop
    spec: TrainingSpec
    data_name: str
    images: int  # the training split dealt into folds
    duration_s: float
    stopped: bool

    @property
    def accuracy_mean(self) -> float:
        return float(np.mean([fold.accuracy for fold in self.folds]))

    @property
    def accuracy_std(self) -> float:
        return float(np.std([fold.accuracy for fold in self.folds]))

    @property
    def loss_mean(self) -> float:
        return float(np.mean([fold.loss for fold in self.folds]))

    @property
    def loss_std(self) -> float:
        return float(np.std([fold.loss for fold in self.folds]))

    def accuracy_text(self) -> str:
        """"accuracy 97.1 % ± 0.4": the figure to quote, in percentage points, for the CLI and the window."""
        return f"accuracy {100 * self.accuracy_mean:.1f} % ± {100 * self.accuracy_std:.1f}"

    def loss_text(self) -> str:
        return f"loss {self.loss_mean:.4f} ± {self.loss_std:.4f}"

    def to_dict(self) -> dict[str, object]:
        return {
            "folds": [fold.to_dict() for fold in self.folds],
            "accuracy_mean": self.accuracy_mean,
            "accuracy_std": self.accuracy_std,
            "loss_mean": self.loss_mean,
            "loss_std": self.loss_std,
        }


@dataclass(frozen=True)
class FinishedCrossValidation:
    """`crossval_job`'s result: the folds that finished, and what people should know about the
    data they were dealt from (plain strings or `Sentence`s, for the window to translate)."""

    result: CrossValidation
    notes: tuple[str, ...]


def stratified_folds(y: np.ndarray, folds: int, seed: int) -> list[np.ndarray]:
    """The row indices of each of `folds` held-out folds: a partition of range(len(y)).

    The rows of each label are shuffled (seeded), the labels laid end to end, and the rows dealt
    out in turn like cards: every fold gets each label's count divided by K, give or take one,
    and every fold's size differs from another's by at most one. Each fold's rows are sorted.
    """
    y = np.asarray(y)
    if folds < MIN_FOLDS:
        raise DigitpadError(f"Cross-validation needs at least {MIN_FOLDS} folds, not {folds}.")
    if folds > len(y):
        raise DataError(f"{format_count(len(y))} images are too few for {folds} folds: each fold needs one at least.")
    rng = np.random.default_rng(seed)
    dealt = np.concatenate([rng.permutation(np.flatnonzero(y == label)) for label in np.unique(y)])
    return [np.sort(dealt[fold::folds]) for fold in range(folds)]


def sparse_labels(y: np.ndarray, folds: int) -> list[int]:
    """The labels with fewer images than folds: some folds will not test them at all."""
    labels, counts = np.unique(np.asarray(y), return_counts=True)
    return [int(label) for label, count in zip(labels, counts, strict=True) if count < folds]


def cross_validate(
    source: Dataset | str | Path,
    spec: TrainingSpec,
    folds: int,
    *,
    progress: CrossValidationProgress | None = None,
    stop_event: StopSignal | None = None,
) -> CrossValidation:
    """Train `spec` K times from scratch, each time holding out one stratified fold of the
    training split (dealt with `spec.seed`), and measure each model on the fold it never saw.

    `spec.validation_split` and `spec.early_stopping` are set aside (the result's `spec` is the
    one trained): the held-out fold is the validation data, and stopping early on it would let
    the test fold choose the model. Raises `Cancelled` when `stop_event` is set before any fold
    finished; a later stop returns the finished folds with `stopped` set.
    """
    started = time.perf_counter()
    spec = replace(spec, validation_split=0.0, early_stopping=None)
    dataset = source if isinstance(source, Dataset) else load_dataset(source, stop_event=stop_event)
    raise_if_stopped(stop_event, "loading the data")
    held_out_rows = stratified_folds(dataset.y_train, folds, spec.seed)
    results: list[FoldResult] = []
    stopped = False
    with _expected_retracing_unreported():
        for index, rows in enumerate(held_out_rows, start=1):
            if stop_event is not None and stop_event.is_set():
                stopped = True
                break
            if progress is not None:
                progress(FoldProgress(index, folds))
            result = _run_fold(dataset, spec, index, folds, rows, progress, stop_event)
            if result is None:
                stopped = True
                break
            results.append(result)
            if progress is not None:
                progress(FoldProgress(index, folds, result=result))
    if not results:
        raise Cancelled("Stopped before the first fold was finished.")
    return CrossValidation(
        folds=tuple(results),
        fold_count=folds,
        spec=spec,
        data_name=dataset.name,
        images=len(dataset.y_train),
        duration_s=time.perf_counter() - started,
        stopped=stopped,
    )


def _run_fold(
    dataset: Dataset,
    spec: TrainingSpec,
    index: int,
    folds: int,
    held_out: np.ndarray,
    progress: CrossValidationProgress | None,
    stop_event: StopSignal | None,
) -> FoldResult | None:
    """Train on every row but `held_out`, test on those; None when a stop cut the fold short."""
    started = time.perf_counter()
    training_rows = np.ones(len(dataset.y_train), dtype=bool)
    training_rows[held_out] = False
    x_test, y_test = dataset.x_train[held_out], dataset.y_train[held_out]

    def report(update: TrainingProgress) -> None:
        if progress is not None:
            progress(FoldProgress(index, folds, training=update))

    run = train(
        dataset.x_train[training_rows],
        dataset.y_train[training_rows],
        spec,
        validation_data=(x_test, y_test),
        progress=report,
        stop_event=stop_event,
    )
    if run.stopped_by_user:
        return None
    try:
        evaluation = evaluate(keras_predict_function(run.keras_model), x_test, y_test, stop_event=stop_event)
    except EvaluationCancelled:
        return None
    return FoldResult(
        index=index,
        accuracy=evaluation.accuracy,
        loss=evaluation.loss,
        history={key: [float(value) for value in values] for key, values in run.epoch_history.items()},
        held_out=len(held_out),
        duration_s=time.perf_counter() - started,
        evaluation=evaluation,
    )


class _RetracingWarnings(logging.Filter):
    """Drops TensorFlow's "N out of the last M calls ... triggered tf.function retracing" warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


@contextmanager
def _expected_retracing_unreported() -> Iterator[None]:
    """Keep TensorFlow quiet about the tracing that cross-validation needs.

    Every fold builds a new model, and every model's Keras step functions share one code object,
    which is what TensorFlow counts calls by: from the third fold or so it reports each new
    model's first, unavoidable tracing as "excessive retracing" and advises a fix that does not
    apply, a paragraph on the user's terminal. Only that warning is dropped, only meanwhile.
    """
    logger = logging.getLogger("tensorflow")
    quiet = _RetracingWarnings()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


# ----------------------------------------------------------------------------- the window's job


def relay_key(report: CrossValidationReport) -> Hashable:
    """A new stage or a new fold is handed on at once; a fold's batches are bundled."""
    return report.stage if isinstance(report, StageProgress) else ("fold", report.fold)


def is_urgent(report: CrossValidationReport) -> bool:
    """A fold's result and its epochs' validation points: what people wait for."""
    if not isinstance(report, FoldProgress):
        return False
    return report.result is not None or (report.training is not None and report.training.kind == "epoch")


def crossval_job(
    source: str | Path,
    spec: TrainingSpec,
    folds: int,
    progress: Callable[[tuple[CrossValidationReport, ...]], None],
    stop_event: StopSignal,
    *,
    per_second: float = REPORTS_PER_SECOND,
) -> FinishedCrossValidation | None:
    """The window's job (picklable, for the engine): load the data and cross-validate `spec` over
    `folds` folds, the reports bundled by a `ProgressRelay` (`per_second` bundles at most) so
    that only a few cross to the window each second. Its result is a `FinishedCrossValidation`
    (with `stopped` set after a stop that left finished folds), or None when the stop came
    before the first fold finished: there is nothing to show then."""
    relay: ProgressRelay[CrossValidationReport] = ProgressRelay(
        progress, per_second=per_second, key=relay_key, urgent=is_urgent
    )
    try:
        relay(StageProgress(LOADING, LOADING_TEXT, None))
        dataset = load_dataset(source, progress=partial(_loading_fraction, relay), stop_event=stop_event)
        result = cross_validate(dataset, spec, folds, progress=relay, stop_event=stop_event)
    except Cancelled:
        return None
    finally:
        relay.flush()
    notes: list[str] = [*dataset.notes, *image_warnings(dataset.x_train)]
    sparse = sparse_labels(dataset.y_train, folds)
    if sparse:
        notes.append(Sentence(SPARSE_LABELS_NOTE, value=", ".join(map(str, sparse)), folds=folds))
    return FinishedCrossValidation(result, tuple(notes))


def _loading_fraction(relay: ProgressRelay[CrossValidationReport], fraction: float) -> None:
    relay(StageProgress(LOADING, LOADING_TEXT, fraction))
