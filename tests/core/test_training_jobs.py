"""The window's training job: trained in the engine, handed over as a file, saved by copying it."""

from __future__ import annotations

import os
import threading
import time
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.engine import ThreadEngine
from digitpad.core.inference import Predictor
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import load_keras_model, read_model_archive
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.run_log import RunLog
from digitpad.core.trained_predictor import TrainedPredictor
from digitpad.core.training import TrainingProgress, TrainingSpec
from digitpad.core.training_jobs import SCRATCH_KEPT_S, FinishedTraining, train_job
from digitpad.core.workflows import save_to_library

TRAIN, TEST = 400, 100
SPEC = TrainingSpec(architecture=ArchitectureSpec(name="mlp"), epochs=2, batch_size=32, validation_split=0.0)


@pytest.fixture(scope="module")
def digits_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][: TRAIN + TEST], data["y"][: TRAIN + TEST]
    path = tmp_path_factory.mktemp("data") / "digits.npz"
    np.savez(path, x_train=x[:TRAIN], y_train=y[:TRAIN], x_test=x[TRAIN:], y_test=y[TRAIN:])
    return path


@pytest.fixture
def handover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "handover"
    monkeypatch.setenv("DIGITPAD_HANDOVER_DIR", str(folder))
    return folder


def test_the_job_crosses_to_the_window_as_a_file_without_keras(digits_file: Path, handover: Path,
                                                                tmp_path: Path) -> None:
    reports: list[tuple[object, ...]] = []
    finished = ThreadEngine().run(partial(train_job, digits_file, SPEC, RunLog(tmp_path / "runs"), None),
                                  reports.append, threading.Event(), threading.Event())
    assert isinstance(finished, FinishedTraining)
    trained = finished.trained
    assert trained.run.model is None  # no Keras object crossed
    assert trained.model_file is not None and trained.model_file.parent == handover
    assert len(trained.dataset.x_train) == 0 and len(trained.dataset.x_test) == TEST  # the test images came along
    # Bundles, not one message per batch: 2 epochs of 13 batches arrive in far fewer pieces.
    assert all(isinstance(bundle, tuple) for bundle in reports)
    batches = [r for bundle in reports for r in bundle if isinstance(r, TrainingProgress) and r.kind == "batch"]
    assert len(batches) == 2 * 13 and len(reports) < len(batches)
    # The file is the model that was tested: Keras on it gives the accuracy the job reported.
    with np.load(digits_file) as data:
        x_test, y_test = data["x_test"].astype(np.float32) / 255, data["y_test"]
    keras_answers = np.asarray(load_keras_model(trained.model_file).predict_on_batch(x_test[..., None]))
    assert float((keras_answers.argmax(axis=1) == y_test).mean()) == pytest.approx(trained.evaluation.accuracy)
    # Its LiteRT form came with it, so the window answers without TensorFlow, the same answers.
    assert read_model_archive(trained.model_file).converted is not None
    answering = TrainedPredictor(trained)
    np.testing.assert_allclose(answering.predict_prepared(x_test[:20]), keras_answers[:20], atol=1e-5)
    assert answering.path is None and answering.metadata.name == trained.metadata.name
    # The run is kept, as `digitpad train` keeps it.
    assert finished.recorded is not None and finished.recorded.test_accuracy == pytest.approx(trained.evaluation.accuracy)


def test_saving_a_handed_over_model_copies_it_under_its_name(digits_file: Path, handover: Path, tmp_path: Path) -> None:
    finished = ThreadEngine().run(partial(train_job, digits_file, SPEC, RunLog(tmp_path / "runs"), None),
                                  print, threading.Event(), threading.Event())
    library = ModelLibrary(tmp_path / "library")
    first = save_to_library(finished.trained, library, "mine")
    second = save_to_library(finished.trained, library, "mine")
    assert (first.name, second.name) == ("mine", "mine (2)")
    assert first.metadata is not None and first.metadata.name == "mine"
    assert first.metadata.test_metrics == finished.trained.metadata.test_metrics
    assert finished.trained.model_file is not None and finished.trained.model_file.exists()  # a copy, not a move
    x = np.random.default_rng(0).random((5, 28, 28), dtype=np.float32)
    np.testing.assert_allclose(Predictor.load(first.path).predict_prepared(x),
                               TrainedPredictor(finished.trained).predict_prepared(x), atol=1e-6)


def test_stop_before_testing_gives_nothing(digits_file: Path, handover: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    assert train_job(digits_file, SPEC, RunLog(tmp_path / "runs"), None, print, stop, threading.Event()) is None
    assert not handover.exists() or not any(handover.iterdir())


def test_the_stop_button_still_tests_and_hands_over(digits_file: Path, handover: Path, tmp_path: Path) -> None:
    end = threading.Event()

    def progress(bundle: object) -> None:
        assert isinstance(bundle, tuple)  # the relay hands on bundles
        if any(isinstance(r, TrainingProgress) and r.batch >= 3 for r in bundle):
            end.set()

    finished = train_job(digits_file, SPEC, RunLog(tmp_path / "runs"), None, progress, threading.Event(), end)
    assert finished is not None and finished.trained.run.stopped_by_user
    assert finished.trained.model_file is not None and finished.trained.model_file.exists()


def test_old_unsaved_handovers_are_swept(digits_file: Path, handover: Path, tmp_path: Path) -> None:
    handover.mkdir(parents=True)
    old, recent = handover / "old.keras", handover / "recent.keras"
    for path in (old, recent):
        path.write_bytes(b"stale")
    aged = time.time() - SCRATCH_KEPT_S - 60
    os.utime(old, (aged, aged))
    trained = train_job(digits_file, SPEC, RunLog(tmp_path / "runs"), None, print, threading.Event(),
                        threading.Event())
    assert trained is not None
    assert not old.exists() and recent.exists()
