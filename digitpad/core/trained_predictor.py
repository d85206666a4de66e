"""A model just trained, answering the way a loaded one does, before anyone saves it.

After a run the Train tab shows the new model's evaluation at once, with explanations of its
answers and a report to save. Those need what a `Predictor` offers (answers for prepared
images, the description, the layers), but the model exists only as Keras objects until it is
saved and converted. This wrapper gives the same face to the Keras model. Every method runs
Keras, so like a `Predictor` it is used on worker threads only.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from digitpad.core.inference_description import LayerInfo
from digitpad.core.model_file import ModelMetadata
from digitpad.core.workflows import TrainedModel, keras_predict_function


class AnsweringModel(Protocol):
    """What explanations and reports need of a model: a `Predictor` or a `TrainedPredictor`."""

    @property
    def metadata(self) -> ModelMetadata | None: ...

    @property
    def layers(self) -> list[LayerInfo]: ...

    @property
    def num_params(self) -> int: ...

    @property
    def path(self) -> Path | None: ...

    def predict_prepared(self, x: np.ndarray) -> np.ndarray: ...


class TrainedPredictor:
    """`trained`'s Keras model behind a `Predictor`'s interface; `path` is None (not saved yet)."""

    def __init__(self, trained: TrainedModel) -> None:
        self._trained = trained
        self._predict = keras_predict_function(trained.run.model)

    @property
    def metadata(self) -> ModelMetadata:
        return self._trained.metadata

    @property
    def path(self) -> Path | None:
        return None

    @property
    def num_params(self) -> int:
        return int(self._trained.metadata.param_count)

    @cached_property
    def layers(self) -> list[LayerInfo]:
        from digitpad.core.conversion import layer_listing  # imports Keras

        return layer_listing(self._trained.run.model)

    def predict_prepared(self, x: np.ndarray) -> np.ndarray:
        """(N, classes) for float images (N, 28, 28) in [0, 1], as `Predictor.predict_prepared`."""
        return self._predict(np.asarray(x, dtype=np.float32))
