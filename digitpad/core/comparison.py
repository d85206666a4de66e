"""Several models on the same test images: the numbers behind `digitpad compare` and the Models tab.

Besides each model's own metrics, the interesting question when comparing is *where* they
differ, so the pairwise matrix counts the images one model gets right and the other wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from digitpad.core.cancellation import StopSignal
from digitpad.core.evaluation import Evaluation, evaluate


class ComparablePredictor(Protocol):
    path: Path
    num_params: int

    def predict_prepared(self, x: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class ModelResult:
    name: str
    path: Path
    num_params: int
    file_size: int
    evaluation: Evaluation

    @property
    def per_class_accuracy(self) -> list[float]:
        """Recall of each class, which is what "accuracy on the 7s" means to a user."""
        return [metrics.recall for metrics in self.evaluation.per_class]


@dataclass(frozen=True)
class Comparison:
    results: tuple[ModelResult, ...]
    right_wrong: np.ndarray  # [i, j]: images model i gets right and model j gets wrong
    image_count: int

    def to_dict(self) -> dict:
        names = [result.name for result in self.results]
        return {
            "image_count": self.image_count,
            "models": [
                {
                    "name": result.name,
                    "path": str(result.path),
                    "accuracy": result.evaluation.accuracy,
                    "loss": result.evaluation.loss,
                    "macro_f1": result.evaluation.macro_f1,
                    "parameters": result.num_params,
                    "file_size": result.file_size,
                    "ms_per_image": _ms(result.evaluation.seconds_per_image),
                    "per_class_accuracy": result.per_class_accuracy,
                }
                for result in self.results
            ],
            "pairwise": [
                {
                    "model": names[i],
                    "other": names[j],
                    "right_where_other_wrong": int(self.right_wrong[i, j]),
                }
                for i in range(len(names))
                for j in range(len(names))
                if i != j
            ],
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000.0


def unique_names(paths: Sequence[Path]) -> list[str]:
    """File stems, made distinct with their parent folder when two models share a name."""
    stems = [path.stem for path in paths]
    return [
        f"{path.parent.name}/{path.stem}" if stems.count(path.stem) > 1 else path.stem
        for path in paths
    ]


def correct_mask(evaluation: Evaluation, image_count: int) -> np.ndarray:
    """Which images a model got right, recovered from its (complete) list of mistakes."""
    correct = np.ones(image_count, dtype=bool)
    correct[[mistake.index for mistake in evaluation.misclassified]] = False
    return correct


def right_wrong_matrix(correct: Sequence[np.ndarray]) -> np.ndarray:
    """[i, j] = images model i gets right and model j gets wrong."""
    stacked = np.stack(correct)  # (models, N)
    return (stacked[:, None, :] & ~stacked[None, :, :]).sum(axis=2).astype(np.int64)


def compare_models(
    predictors: Sequence[ComparablePredictor],
    x: np.ndarray,
    y: np.ndarray,
    *,
    progress: Callable[[float], None] | None = None,
    stop_event: StopSignal | None = None,
    batch_size: int = 1024,
) -> Comparison:
    """Evaluate every model on the same (x, y); progress runs from 0 to 1 over all of them.

    Raises `EvaluationCancelled` (a `Cancelled`) when `stop_event` is set before the end.
    """
    y = np.asarray(y)
    names = unique_names([predictor.path for predictor in predictors])
    results: list[ModelResult] = []
    for index, (name, predictor) in enumerate(zip(names, predictors, strict=True)):
        def model_progress(fraction: float, index: int = index) -> None:
            if progress is not None:
                progress((index + fraction) / len(predictors))

        evaluation = evaluate(
            predictor.predict_prepared, x, y, progress=model_progress, stop_event=stop_event,
            batch_size=batch_size,
        )
        path = Path(predictor.path)
        results.append(
            ModelResult(
                name=name,
                path=path,
                num_params=predictor.num_params,
                file_size=path.stat().st_size if path.exists() else 0,
                evaluation=evaluation,
            )
        )
    matrix = right_wrong_matrix([correct_mask(result.evaluation, len(y)) for result in results])
    return Comparison(results=tuple(results), right_wrong=matrix, image_count=len(y))
