"""Conversions and Keras-only models done in the engine, so the window never imports TensorFlow."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from digitpad.core import conversion, model_jobs
from digitpad.core.cancellation import Cancelled
from digitpad.core.engine import ChildEngine, ThreadEngine
from digitpad.core.engine_models import convert_files
from digitpad.core.errors import ModelError
from digitpad.core.inference_description import ConvertedModel
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import load_keras_model


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain Keras file (no LiteRT form inside): a small CNN with random weights."""
    import keras

    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    path = tmp_path_factory.mktemp("models") / "plain cnn.keras"
    model.save(path)
    return path


@pytest.fixture
def images() -> np.ndarray:
    return np.random.default_rng(0).random((6, 28, 28), dtype=np.float32)


class CountingEngine(ThreadEngine):
    """The thread engine, counting the jobs it ran."""

    def __init__(self) -> None:
        self.jobs = 0

    def run(self, work: Callable[..., Any], progress: Callable[[Any], None], stop_event: Any, *extra: Any) -> Any:
        self.jobs += 1
        return super().run(work, progress, stop_event, *extra)


def refuse_conversion(*args: object, **kwargs: object) -> None:
    raise ModelError("LiteRT cannot run this model (a test said so).")


def keras_answers(path: Path, images: np.ndarray) -> np.ndarray:
    return np.asarray(load_keras_model(path).predict_on_batch(images[..., None]))


def test_a_plain_file_is_converted_in_the_engine(plain: Path, images: np.ndarray) -> None:
    engine = CountingEngine()
    predictor = model_jobs.load_for_the_window(plain, threading.Event(), engine)
    assert engine.jobs == 1 and predictor.engine == "litert"
    np.testing.assert_allclose(predictor.predict_prepared(images), keras_answers(plain, images), atol=1e-5)


def test_a_model_litert_cannot_take_answers_from_keras_in_the_engine(
        plain: Path, images: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conversion, "convert", refuse_conversion)
    engine = CountingEngine()
    predictor = model_jobs.load_for_the_window(plain, threading.Event(), engine)
    assert predictor.engine == "keras" and predictor.converted is None
    assert predictor.num_params == 4 * 9 + 4 + 13 * 13 * 4 * 10 + 10  # described by Keras, there
    jobs = engine.jobs
    answers = predictor.predict_prepared(images)
    assert engine.jobs == jobs + 1  # every answer is a job in the engine
    np.testing.assert_allclose(answers, keras_answers(plain, images), atol=1e-5)
    np.testing.assert_allclose(predictor.predict(np.pad(np.ones((20, 4)), ((4, 4), (12, 12))) * 255).sum(), 1.0,
                               atol=1e-5)


def test_importing_a_keras_only_model_checks_it_in_the_engine(
        plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conversion, "convert", refuse_conversion)
    engine = CountingEngine()
    outcome = model_jobs.import_models(ModelLibrary(tmp_path / "library"), [plain], model_jobs.no_progress,
                                       threading.Event(), engine)
    assert outcome.failures == ()
    (entry,) = outcome.imported
    assert entry.name == "plain cnn" and entry.path.exists()
    assert engine.jobs == 2  # converting (refused), then the import itself


def test_convert_files_keeps_each_outcome_and_stops_between_files(plain: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a zip")
    converted, refusal = convert_files([plain, broken], print, threading.Event())
    assert isinstance(converted, ConvertedModel)
    assert isinstance(refusal, str) and "broken.keras" in refusal
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        convert_files([plain], print, stop)


@pytest.fixture(scope="module")
def child() -> Iterator[ChildEngine]:
    engine = ChildEngine()
    yield engine
    engine.close()


def test_the_engine_process_converts_for_the_window(child: ChildEngine, plain: Path, images: np.ndarray) -> None:
    (outcome,) = child.run(partial(convert_files, [plain]), print, threading.Event())
    assert isinstance(outcome, ConvertedModel)
    predictor = model_jobs.load_for_the_window(plain, threading.Event(), child)
    assert predictor.engine == "litert"
    np.testing.assert_allclose(predictor.predict_prepared(images), keras_answers(plain, images), atol=1e-5)
