"""`train_and_evaluate`, the one job behind `digitpad train` and the Train tab, run headless.

Each stop test sets the event from the job's own progress callback at a known point, so the
test knows exactly how far the job may go after it: one batch, one image, one test batch.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.cancellation import Cancelled
from digitpad.core.datasets import MNIST_CLASS_NAMES, Dataset
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.training import TrainingProgress, TrainingSpec
from digitpad.core.workflows import (
    BUILDING,
    LOADING,
    TESTING,
    StageProgress,
    TrainedModel,
    save_to_library,
    train_and_evaluate,
)

TRAIN, TEST = 320, 2100  # 10 batches of 32; three evaluation batches of 1024
SPEC = TrainingSpec(architecture=ArchitectureSpec(name="mlp"), epochs=2, batch_size=32, validation_split=0.0)
PROMPT_S = 5.0  # "promptly": far below a second run of the job would take, far above one batch


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][: TRAIN + TEST], data["y"][: TRAIN + TEST]
    return Dataset("digits", x[:TRAIN], y[:TRAIN], x[TRAIN:], y[TRAIN:], MNIST_CLASS_NAMES)


class Recorder:
    """Keeps every report; `stop_when(condition)` sets `event` at the first report it holds for."""

    def __init__(self) -> None:
        self.reports: list[StageProgress | TrainingProgress] = []
        self.event = threading.Event()
        self.stopped_at: float | None = None
        self._condition = lambda _report: False

    def stop_when(self, condition) -> Recorder:
        self._condition = condition
        return self

    def __call__(self, report: StageProgress | TrainingProgress) -> None:
        self.reports.append(report)
        if not self.event.is_set() and self._condition(report):
            self.event.set()
            self.stopped_at = time.perf_counter()

    def stages(self) -> list[str]:
        return [r.stage for r in self.reports if isinstance(r, StageProgress)]

    def batches(self) -> list[TrainingProgress]:
        return [r for r in self.reports if isinstance(r, TrainingProgress) and r.kind == "batch"]


def test_a_whole_run_reports_each_phase_and_describes_the_model(dataset: Dataset) -> None:
    recorder = Recorder()
    trained = train_and_evaluate(dataset, SPEC, progress=recorder, stop_event=threading.Event())
    assert isinstance(trained, TrainedModel) and trained.dataset is dataset
    assert len(recorder.batches()) == 2 * TRAIN // 32
    assert [r.epoch for r in recorder.reports if isinstance(r, TrainingProgress) and r.kind == "epoch"] == [1, 2]
    stages = recorder.stages()
    assert stages[0] == BUILDING and set(stages[1:]) == {TESTING}  # a Dataset needs no loading
    assert int(trained.evaluation.confusion.sum()) == TEST
    assert trained.metadata.name == f"mlp digits {100 * trained.evaluation.accuracy:.1f}"
    assert trained.metadata.test_data == {"name": "digits test", "size": TEST}
    assert trained.evaluation.accuracy > 0.5


def test_a_source_is_loaded_first_with_its_own_progress(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "digits.npz"
    np.savez(path, x_train=dataset.x_train, y_train=dataset.y_train, x_test=dataset.x_test, y_test=dataset.y_test)
    recorder = Recorder()
    trained = train_and_evaluate(path, SPEC, name="mine", progress=recorder)
    loading = [r for r in recorder.reports if isinstance(r, StageProgress) and r.stage == LOADING]
    assert loading[0].fraction is None and loading[-1].fraction == 1.0
    assert loading[0].text.startswith("Loading ") and loading[0].text.endswith("digits.npz…")
    assert recorder.stages().index(BUILDING) > recorder.stages().index(LOADING)
    assert trained.metadata.name == "mine"
    np.testing.assert_array_equal(trained.dataset.y_test, dataset.y_test)


def test_a_stop_while_loading_ends_before_any_training(dataset: Dataset, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    for index in range(40):
        label_folder = folder / str(index % 10)
        label_folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(255 - dataset.x_train[index]).save(label_folder / f"{index}.png")
    recorder = Recorder().stop_when(
        lambda r: isinstance(r, StageProgress) and r.stage == LOADING and (r.fraction or 0) >= 0.25
    )
    with pytest.raises(Cancelled, match="reading the images"):
        train_and_evaluate(folder, SPEC, progress=recorder, stop_event=recorder.event)
    fractions = [r.fraction for r in recorder.reports if isinstance(r, StageProgress) and r.fraction is not None]
    assert max(fractions) == 0.25  # not one image read after the stop
    assert BUILDING not in recorder.stages() and not recorder.batches()


def test_a_stop_while_training_abandons_the_run_after_the_current_batch(dataset: Dataset) -> None:
    recorder = Recorder().stop_when(lambda r: isinstance(r, TrainingProgress) and r.batch == 3)
    with pytest.raises(Cancelled, match="training"):
        train_and_evaluate(dataset, SPEC, progress=recorder, stop_event=recorder.event)
    assert recorder.stopped_at is not None and time.perf_counter() - recorder.stopped_at < PROMPT_S
    assert len(recorder.batches()) == 3
    assert TESTING not in recorder.stages()


def test_ending_training_early_still_tests_the_weights_learnt(dataset: Dataset) -> None:
    recorder = Recorder().stop_when(lambda r: isinstance(r, TrainingProgress) and r.batch == 4)
    trained = train_and_evaluate(dataset, SPEC, progress=recorder, end_training=recorder.event)
    assert trained.run.stopped_by_user and len(trained.run.batch_history["loss"]) == 4
    assert trained.run.epochs_completed == 0
    assert int(trained.evaluation.confusion.sum()) == TEST  # every test image, not a part


def test_ending_training_before_it_began_leaves_nothing_to_test(dataset: Dataset) -> None:
    end_training = threading.Event()
    recorder = Recorder().stop_when(lambda r: isinstance(r, StageProgress) and r.stage == BUILDING)
    end_training.set()
    with pytest.raises(Cancelled):
        train_and_evaluate(dataset, SPEC, progress=recorder, end_training=end_training)
    assert not recorder.batches() and TESTING not in recorder.stages()


def test_a_stop_while_testing_ends_after_the_current_test_batch(dataset: Dataset) -> None:
    recorder = Recorder().stop_when(
        lambda r: isinstance(r, StageProgress) and r.stage == TESTING and (r.fraction or 0) > 0
    )
    with pytest.raises(Cancelled, match="testing"):
        train_and_evaluate(dataset, SPEC, progress=recorder, stop_event=recorder.event)
    testing = [r.fraction for r in recorder.reports if isinstance(r, StageProgress) and r.stage == TESTING]
    assert testing == [0.0, pytest.approx(1024 / TEST)]  # the first of three batches, then no more


def test_saving_to_the_library_describes_the_model_under_its_new_name(dataset: Dataset, tmp_path: Path) -> None:
    from digitpad.core.library import ModelLibrary

    trained = train_and_evaluate(dataset, replace(SPEC, epochs=1))
    library = ModelLibrary(tmp_path / "library")
    first = save_to_library(trained, library, "digits")
    second = save_to_library(trained, library, "digits")
    assert (first.name, second.name) == ("digits", "digits (2)")
    assert first.metadata is not None and second.metadata is not None
    assert (first.metadata.name, second.metadata.name) == ("digits", "digits (2)")
    assert first.metadata.test_metrics["accuracy"] == pytest.approx(trained.evaluation.accuracy)
    assert first.metadata.history["loss"] == pytest.approx(trained.run.epoch_history["loss"])
