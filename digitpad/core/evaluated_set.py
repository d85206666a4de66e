"""One model's evaluation together with the images behind it.

An `Evaluation` is the numbers; people also want to see the digits: the gallery of test
predictions, the cell of the confusion matrix they clicked, the most confident mistakes in a
report. `EvaluatedSet` keeps the images, labels and answers side by side and answers the
gallery's questions ("the 7s read as 1", "every mistake") the same way for the window and the
report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from digitpad.core.errors import DataError
from digitpad.core.evaluation import Evaluation

Shown = Literal["all", "mistakes", "correct"]


@dataclass(frozen=True)
class EvaluatedSet:
    """`evaluation` of `model_name` on `images` (N, 28, 28), uint8 (0 = background) or floats
    in [0, 1], with their integer `labels`; `evaluation.probabilities` holds the answers."""

    evaluation: Evaluation
    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    test_label: str  # what the images are, for titles: "MNIST test set (10,000 images)"
    model_name: str
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        probabilities = self.evaluation.probabilities
        if probabilities is None:
            raise DataError("This evaluation kept no answers per image; evaluate again.")
        if len(self.images) != len(self.labels) or len(self.labels) != len(probabilities):
            raise DataError(
                f"{len(self.images)} images, {len(self.labels)} labels and {len(probabilities)} answers do not match."
            )

    @property
    def probabilities(self) -> np.ndarray:
        """(N, classes) float32."""
        probabilities = self.evaluation.probabilities
        assert probabilities is not None  # checked in __post_init__
        return probabilities

    @property
    def predicted(self) -> np.ndarray:
        return np.asarray(self.probabilities.argmax(axis=1), dtype=np.int64)

    @property
    def confidence(self) -> np.ndarray:
        """The probability of each image's answer."""
        return np.asarray(self.probabilities.max(axis=1), dtype=np.float32)

    def image(self, index: int) -> np.ndarray:
        """Image `index` as float32 (28, 28) in [0, 1], the model's input."""
        image = np.asarray(self.images[index])
        return image.astype(np.float32) / np.float32(255.0) if image.dtype == np.uint8 else image.astype(np.float32)

    def select(self, *, true: int | None = None, predicted: int | None = None, shown: Shown = "all") -> np.ndarray:
        """Indices of the images with that label and that answer (None: any), in gallery order:
        mistakes first, most confident first (the ones worth a look), then right answers, least
        confident first; ties by index."""
        labels, answers, confidence = np.asarray(self.labels), self.predicted, self.confidence
        keep = np.ones(len(labels), dtype=bool)
        if true is not None:
            keep &= labels == true
        if predicted is not None:
            keep &= answers == predicted
        wrong = answers != labels
        if shown == "mistakes":
            keep &= wrong
        elif shown == "correct":
            keep &= ~wrong
        indices = np.flatnonzero(keep)
        # lexsort: the last key sorts first. Mistakes (0) before right answers (1); within
        # mistakes higher confidence first, within right answers lower confidence first.
        is_right = (~wrong[indices]).astype(np.int8)
        order_key = np.where(is_right == 0, -confidence[indices], confidence[indices])
        return indices[np.lexsort((indices, order_key, is_right))]
