"""Conversions and Keras-only models, done in the engine for the window.

The window's process never imports TensorFlow (see `core.engine`). Two things about model files
still need it: converting a file that carries no LiteRT form (a plain Keras file being used,
compared or imported), and running a model LiteRT cannot represent at all. The engine already
has TensorFlow loaded, so it converts in a second or so instead of the several seconds a fresh
conversion process spends importing TensorFlow; and a Keras-only model is kept loaded there,
each prediction crossing the pipe (a few milliseconds), so the window draws with it without
TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np

from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.engine import Engine, call
from digitpad.core.errors import DigitpadError
from digitpad.core.file_cache import FileCache
from digitpad.core.inference import Predictor
from digitpad.core.inference_description import ConvertedModel, InferenceDescription
from digitpad.core.model_file import ModelMetadata, digit_input_shape, load_keras_model

# What the engine says of each file: its LiteRT form, None when LiteRT cannot represent the
# model (Keras runs it), or the sentence of the ModelError that refused the file.
Outcome = ConvertedModel | None | str



def convert_files(paths: Sequence[Path], progress: Callable[[object], None], stop_event: StopSignal) -> list[Outcome]:
    """One outcome per file, each loaded by Keras in safe mode and converted anew (the LiteRT
    form a file brings along is never trusted); stoppable between files. An engine job."""
    outcomes: list[Outcome] = []
    for path in paths:
        raise_if_stopped(stop_event, f"converting {Path(path).name}")
        try:
            outcomes.append(Predictor.load(Path(path), use_stored_conversion=False).converted)
        except DigitpadError as error:
            outcomes.append(str(error))
    return outcomes


def keras_description(path: Path) -> InferenceDescription:
    """What a Keras-only model is (layers, input shape, output kind), as its `Predictor` says it."""
    return _keras_predictor(path).description


def keras_forward(path: Path, x: np.ndarray) -> np.ndarray:
    """The model's probabilities for prepared images, from the model kept loaded in the engine."""
    return _keras_predictor(path).forward(x)


def engine_predictor(path: Path, metadata: ModelMetadata | None, engine: Engine) -> Predictor:
    """A `Predictor` for a model LiteRT cannot represent, whose every answer comes from Keras in
    `engine`. Its description is read there once, now."""
    description: InferenceDescription = call(engine, keras_description, path)
    return Predictor(path=path, metadata=metadata, description=description,
                     forward=partial(_forward_in, engine, path), engine="keras", converted=None)


class _KerasModel:
    """A Keras-only model as the engine keeps it: its description and its inference call."""

    def __init__(self, path: Path) -> None:
        from digitpad.core import conversion  # imports Keras: only ever in the engine

        model = load_keras_model(path)
        input_shape = digit_input_shape(path.name, [tuple(tensor.shape[1:]) for tensor in model.inputs])
        self.description = conversion.describe(model, input_shape)
        graph = conversion.inference_model(model)
        self.forward: Callable[[np.ndarray], np.ndarray] = (
            lambda x: np.asarray(graph.predict_on_batch(x), dtype=np.float32))


# In the engine: Keras-only models by file, loaded again only when the file changes.
_MODELS: FileCache[_KerasModel] = FileCache(_KerasModel)


def _keras_predictor(path: Path) -> _KerasModel:
    return _MODELS.get(Path(path))


def _forward_in(engine: Engine, path: Path, x: np.ndarray) -> np.ndarray:
    answers: np.ndarray = call(engine, keras_forward, path, np.asarray(x, dtype=np.float32))
    return answers
