"""How good a model is on labelled images: loss, accuracy, confusion matrix, per-class scores.

NumPy only, so it serves digitpad's predictor and Keras models alike and can be imported
before TensorFlow has loaded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from digitpad.core.cancellation import Cancelled, StopSignal
from digitpad.core.datasets import Dataset, image_warnings
from digitpad.core.errors import DataError, DigitpadError, ModelError
from digitpad.core.model_file import ModelMetadata

# Keras' backend epsilon: clipping by it makes the loss equal to what Keras reports in training.
EPSILON = 1e-7


class EvaluationCancelled(Cancelled):
    """The user stopped an evaluation before every image was predicted."""

    def __init__(self) -> None:
        super().__init__("Evaluation cancelled.")


@dataclass(frozen=True)
class ClassMetrics:
    label: int
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Misclassified:
    index: int
    true: int
    predicted: int
    confidence: float  # probability the model gave its (wrong) prediction


@dataclass(frozen=True)
class Evaluation:
    """Metrics of one model on one set of images.

    `misclassified` lists every mistake, most confident first, so callers can both show the
    worst ones and recover which images were right.
    """

    loss: float
    accuracy: float
    confusion: np.ndarray  # (classes, classes) int64, rows = true label, columns = predicted
    per_class: tuple[ClassMetrics, ...]
    macro_precision: float
    macro_recall: float
    macro_f1: float
    misclassified: tuple[Misclassified, ...]
    seconds_per_image: float | None = None
    # (N, classes) what the model answered for each image, for galleries and reports; not in `to_dict`.
    probabilities: np.ndarray | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "loss": self.loss,
            "confusion": self.confusion.tolist(),
            "per_class": [
                {
                    "label": metrics.label,
                    "precision": metrics.precision,
                    "recall": metrics.recall,
                    "f1": metrics.f1,
                    "support": metrics.support,
                }
                for metrics in self.per_class
            ],
            "macro_precision": self.macro_precision,
            "macro_recall": self.macro_recall,
            "macro_f1": self.macro_f1,
            "misclassified": [
                {
                    "index": mistake.index,
                    "true": mistake.true,
                    "predicted": mistake.predicted,
                    "confidence": mistake.confidence,
                }
                for mistake in self.misclassified
            ],
            "seconds_per_image": self.seconds_per_image,
        }


def metrics_from_probabilities(
    y_true: np.ndarray, probabilities: np.ndarray, class_count: int = 10
) -> Evaluation:
    """Score predicted class probabilities (N, class_count) against integer labels (N,).

    The loss is Keras' categorical cross-entropy (rows renormalised, clipped to
    [1e-7, 1 - 1e-7]). Macro averages run over the classes that occur as a label or a
    prediction, as scikit-learn does, so a test set without some class is not penalised for it.
    """
    y = np.asarray(y_true)
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != class_count:
        raise ModelError(
            f"The model gave predictions of shape {p.shape}; expected (N, {class_count})."
        )
    if y.shape != (len(p),):
        raise DataError(f"Expected {len(p)} labels for {len(p)} predictions, got shape {y.shape}.")
    if len(y) == 0:
        raise DataError("There are no images to evaluate.")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= class_count:
        raise DataError(f"Labels must be whole numbers from 0 to {class_count - 1}.")
    y = y.astype(np.int64)
    rows = np.arange(len(y))

    normalised = p / p.sum(axis=1, keepdims=True)
    true_probability = np.clip(normalised[rows, y], EPSILON, 1.0 - EPSILON)
    loss = float(-np.log(true_probability).mean())

    predicted = p.argmax(axis=1)
    confusion = np.bincount(y * class_count + predicted, minlength=class_count**2).reshape(
        class_count, class_count
    )
    hits = np.diag(confusion)
    support = confusion.sum(axis=1)
    predicted_count = confusion.sum(axis=0)
    precision = _ratio(hits, predicted_count)
    recall = _ratio(hits, support)
    f1 = _ratio(2.0 * precision * recall, precision + recall)
    present = (support > 0) | (predicted_count > 0)

    wrong = np.flatnonzero(predicted != y)
    confidence = p[wrong, predicted[wrong]]
    order = np.lexsort((wrong, -confidence))  # most confident first, ties by index
    return Evaluation(
        loss=loss,
        accuracy=float(hits.sum() / len(y)),
        confusion=confusion.astype(np.int64),
        per_class=tuple(
            ClassMetrics(
                label=label,
                precision=float(precision[label]),
                recall=float(recall[label]),
                f1=float(f1[label]),
                support=int(support[label]),
            )
            for label in range(class_count)
        ),
        macro_precision=float(precision[present].mean()),
        macro_recall=float(recall[present].mean()),
        macro_f1=float(f1[present].mean()),
        misclassified=tuple(
            Misclassified(
                index=int(wrong[i]),
                true=int(y[wrong[i]]),
                predicted=int(predicted[wrong[i]]),
                confidence=float(confidence[i]),
            )
            for i in order
        ),
        probabilities=p.astype(np.float32),
    )


def evaluate(
    predict_batch: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 1024,
    progress: Callable[[float], None] | None = None,
    stop_event: StopSignal | None = None,
) -> Evaluation:
    """Predict (N,28,28) images in batches and score them.

    `predict_batch` receives float32 (n,28,28) in [0,1] (uint8 images are scaled by 1/255) and
    returns (n,10) probabilities. `progress` gets the fraction done after every batch;
    `seconds_per_image` times the predictions only. Raises `EvaluationCancelled` when
    `stop_event` is set before the last batch.
    """
    x = np.asarray(x)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise DataError(f"Images to evaluate must have shape (N, 28, 28), not {x.shape}.")
    if len(x) == 0:
        raise DataError("There are no images to evaluate.")
    if batch_size < 1:
        raise DigitpadError(f"The batch size must be at least 1, not {batch_size}.")
    scale = np.float32(1.0 / 255.0) if x.dtype == np.uint8 else np.float32(1.0)
    outputs: list[np.ndarray] = []
    predicting = 0.0
    for start in range(0, len(x), batch_size):
        if stop_event is not None and stop_event.is_set():
            raise EvaluationCancelled()
        batch = x[start : start + batch_size].astype(np.float32) * scale
        began = time.perf_counter()
        output = np.asarray(predict_batch(batch))
        predicting += time.perf_counter() - began
        if output.ndim != 2 or len(output) != len(batch):
            raise ModelError(
                f"The model gave predictions of shape {output.shape} for {len(batch)} images."
            )
        outputs.append(output)
        if progress is not None:
            progress(min(start + batch_size, len(x)) / len(x))
    probabilities = np.concatenate(outputs)
    evaluation = metrics_from_probabilities(y, probabilities, probabilities.shape[1])
    return replace(evaluation, seconds_per_image=predicting / len(x))


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise division that gives 0 where the denominator is 0 (zero_division=0)."""
    result = np.zeros(np.shape(denominator), dtype=np.float64)
    np.divide(numerator, denominator, out=result, where=np.asarray(denominator) > 0)
    return result


def test_set_warnings(dataset: Dataset, metadata: Iterable[ModelMetadata | None]) -> list[str]:
    """What a reader of an evaluation on `dataset` must know: the data set's own notes (offline
    fallbacks, skipped files) and, for each model that trained on these very digits, a warning."""
    warnings = [*dataset.notes, *image_warnings(dataset.x_test)]
    for meta in metadata:
        warning = meta.seen_warning(dataset.test_name) if meta is not None else None
        if warning:
            warnings.append(warning)
    return warnings
