"""A model just trained, answering the way a loaded one does, before anyone saves it.

After a run the Train tab shows the new model's evaluation at once, with explanations of its
answers and a report to save. Those need what a `Predictor` offers (answers for prepared
images, the description, the layers). The model reaches the window as the file the engine
handed it over in (`training_jobs.hand_over`), with its LiteRT form; this wrapper loads that
file on first use, on the worker that uses it, and keeps the run's own description, so
`path` stays None until the model is saved to the library.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from digitpad.core.errors import ModelError
from digitpad.core.inference import Predictor
from digitpad.core.inference_description import LayerInfo
from digitpad.core.model_file import ModelMetadata
from digitpad.core.workflows import TrainedModel


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
    """`trained`'s handed-over file behind a `Predictor`'s interface; `path` is None (not saved yet)."""

    def __init__(self, trained: TrainedModel) -> None:
        if trained.model_file is None:
            raise ModelError("This model has not been handed over as a file yet.")
        self._trained = trained
        self._model_file = trained.model_file
        self._lock = threading.Lock()
        self._predictor: Predictor | None = None

    @property
    def metadata(self) -> ModelMetadata:
        return self._trained.metadata

    @property
    def path(self) -> Path | None:
        return None

    @property
    def num_params(self) -> int:
        return int(self._trained.metadata.param_count)

    @property
    def layers(self) -> list[LayerInfo]:
        return self._loaded().layers

    def predict_prepared(self, x: np.ndarray) -> np.ndarray:
        """(N, classes) for float images (N, 28, 28) in [0, 1], as `Predictor.predict_prepared`."""
        return self._loaded().predict_prepared(np.asarray(x, dtype=np.float32))

    def _loaded(self) -> Predictor:
        with self._lock:
            if self._predictor is None:
                self._predictor = Predictor.load(self._model_file)
            return self._predictor
