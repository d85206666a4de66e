"""`finetune` on a tiny model and a tiny synthetic hand: it learns the hand, keeps MNIST, stops,
and records where the model came from."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.cancellation import Cancelled
from digitpad.core.datasets import BUNDLED_TEST_NAME
from digitpad.core.errors import DataError
from digitpad.core.finetune import (
    MEASURING_AFTER,
    MEASURING_BEFORE,
    MNIST_SAMPLE_NAME,
    PERSONAL_DATA,
    PERSONAL_SHARE,
    PREPARING,
    FineTuneResult,
    FineTuneSettings,
    class_balanced_weights,
    finetune,
    personal_training_set,
    split_personal,
    training_weights,
)
from digitpad.core.hands import hand_digits, make_hand
from digitpad.core.model_file import ModelMetadata, read_metadata, save_model
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.training import TrainingProgress, TrainingSpec, train
from digitpad.core.workflows import LOADING, StageProgress

# A hand the tiny model reads badly (its 0s, 1s, 2s and 6s are ones MNIST has few of).
HAND_SEED = 20
SETTINGS = FineTuneSettings(epochs=3, replay=1000, holdout_fraction=0.5, variants=2)


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory):
    """No Keras cache and no downloads: MNIST is measured on the shipped validation sample."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.delenv("KERAS_HOME", raising=False)
        patch.setenv("DIGITPAD_OFFLINE", "1")
        yield home


@pytest.fixture(scope="module")
def parent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLP with batch normalization trained briefly on 3,000 bundled MNIST digits."""
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:3000], data["y"][:3000]
    spec = TrainingSpec(ArchitectureSpec("mlp", batch_norm=True), epochs=3, batch_size=64, validation_split=0.0)
    run = train(x, y, spec)
    metadata = ModelMetadata(name="tiny", architecture=spec.architecture.to_dict(), seen_test_sets=[BUNDLED_TEST_NAME])
    return save_model(run.model, tmp_path_factory.mktemp("parent") / "tiny.keras", metadata)


@pytest.fixture(scope="module")
def hand() -> tuple[np.ndarray, np.ndarray, list]:
    return hand_digits(make_hand(HAND_SEED), 8, np.random.default_rng(0))


@pytest.fixture(scope="module")
def result(offline, parent: Path, hand) -> tuple[FineTuneResult, list]:
    reports: list = []
    x, y, drawings = hand
    return finetune(parent, x, y, drawings, SETTINGS, progress=reports.append), reports


def test_it_learns_the_hand_and_replay_keeps_mnist(result) -> None:
    outcome, _ = result
    assert (outcome.personal_train, outcome.personal_held_out, outcome.replayed) == (40, 40, 1000)
    assert outcome.personal_before.data == PERSONAL_DATA
    assert outcome.personal_before.count == outcome.personal_after.count == 40
    assert outcome.personal_before.accuracy < 0.8
    assert outcome.personal_after.accuracy >= outcome.personal_before.accuracy + 0.15
    assert outcome.mnist_before.data == MNIST_SAMPLE_NAME and outcome.mnist_before.count == 2000
    assert outcome.mnist_before.accuracy > 0.85
    assert outcome.mnist_after.accuracy >= outcome.mnist_before.accuracy - 0.02
    assert not outcome.stopped


def test_progress_goes_through_every_stage_and_every_batch(result) -> None:
    outcome, reports = result
    stages = [r.stage for r in reports if isinstance(r, StageProgress)]
    assert stages[0] == LOADING
    order = [LOADING, PREPARING, MEASURING_BEFORE, MEASURING_AFTER]
    assert [stage for i, stage in enumerate(stages) if i == 0 or stages[i - 1] != stage] == order
    batches = [r for r in reports if isinstance(r, TrainingProgress) and r.kind == "batch"]
    epochs = [r for r in reports if isinstance(r, TrainingProgress) and r.kind == "epoch"]
    # 40 digits, 2 variants each, and 1,000 replayed: 1,120 in batches of 64.
    assert batches[0].batches_per_epoch == 18 and len(batches) == 3 * 18
    assert [r.epoch for r in epochs] == [1, 2, 3]
    assert outcome.trained.run.epoch_history["accuracy"] == [r.logs["accuracy"] for r in epochs]


def test_lineage_is_saved_and_read_back(result, tmp_path: Path) -> None:
    outcome, _ = result
    metadata = outcome.trained.metadata
    lineage = metadata.lineage
    assert lineage is not None
    assert lineage["parent"] == "tiny" and len(lineage["parent_sha256"]) == 64
    assert (lineage["personal_digits"], lineage["replayed_digits"]) == (40, 1000)
    assert lineage["settings"] == SETTINGS.to_dict()
    assert lineage["personal_after"]["accuracy"] == outcome.personal_after.accuracy
    assert metadata.seen_test_sets == [BUNDLED_TEST_NAME]  # inherited with the weights
    assert metadata.test_label() == f"{MNIST_SAMPLE_NAME}, 2,000"
    path = save_model(outcome.trained.run.model, tmp_path / "child.keras", metadata)
    read = read_metadata(path)
    assert read is not None and read.lineage == lineage and read.ignored == []


def test_files_without_lineage_or_with_a_bad_one_still_read() -> None:
    assert ModelMetadata.from_dict({"name": "old"}).lineage is None
    bad = ModelMetadata.from_dict({"name": "odd", "lineage": {"parent": "\x1b[2Jx"}})
    assert bad.lineage is None and bad.ignored == ["lineage"]
    listed = ModelMetadata.from_dict({"name": "odd", "lineage": [1, 2]})
    assert listed.lineage is None and listed.ignored == ["lineage"]


def test_stop_during_training_keeps_and_measures_what_was_learnt(offline, parent: Path, hand) -> None:
    stop = threading.Event()

    def report(update: object) -> None:
        if isinstance(update, TrainingProgress) and update.kind == "batch" and update.batch == 2:
            stop.set()

    x, y, drawings = hand
    outcome = finetune(parent, x, y, drawings, SETTINGS, progress=report, stop_event=stop)
    assert outcome.stopped and outcome.trained.run.epochs_completed == 0
    assert len(outcome.trained.run.batch_history["loss"]) == 2
    assert outcome.personal_after.count == 40
    assert outcome.trained.metadata.lineage is not None and outcome.trained.metadata.lineage["stopped"] is True


def test_stop_before_training_cancels(offline, parent: Path, hand) -> None:
    stop = threading.Event()

    def report(update: object) -> None:
        if isinstance(update, StageProgress) and update.stage == PREPARING:
            stop.set()

    x, y, drawings = hand
    with pytest.raises(Cancelled):
        finetune(parent, x, y, drawings, SETTINGS, progress=report, stop_event=stop)


def test_too_few_digits_are_refused_before_anything_loads(hand) -> None:
    x, y, drawings = hand
    keep = (y != 3) & (y != 7)
    with pytest.raises(DataError, match=r"at least 2 of each digit.*: 3, 7"):
        finetune(Path("/nonexistent.keras"), x[keep], y[keep], [d for d, k in zip(drawings, keep, strict=True) if k])
    one_each = np.arange(10)
    with pytest.raises(DataError, match="draw more of: 0, 1, 2"):
        finetune(None, x[one_each], y[one_each], [drawings[i] for i in one_each])


def test_the_held_out_part_is_stratified_seeded_and_never_a_whole_label() -> None:
    y = np.array([0] * 10 + [1] * 2 + [2] * 5)
    train_rows, held = split_personal(y, 0.2, seed=0)
    assert np.bincount(y[held]).tolist() == [2, 1, 1]
    assert np.bincount(y[train_rows]).tolist() == [8, 1, 4]
    assert set(train_rows) | set(held) == set(range(len(y))) and not set(train_rows) & set(held)
    again, _ = split_personal(y, 0.2, seed=0)
    assert again.tolist() == train_rows.tolist()


def test_each_label_weighs_the_same_and_personal_digits_their_share() -> None:
    y = np.array([4] * 20 + [7] * 5)
    weights = class_balanced_weights(y)
    assert weights[y == 4].sum() == pytest.approx(weights[y == 7].sum())
    assert weights.mean() == pytest.approx(1.0)
    mixed = training_weights(y, 100)
    assert mixed.shape == (125,) and mixed.mean() == pytest.approx(1.0)
    assert mixed[:25].sum() == pytest.approx(PERSONAL_SHARE * mixed[25:].sum())
    assert mixed[:20].sum() == pytest.approx(mixed[20:25].sum())
    assert training_weights(y, 0) == pytest.approx(weights)



def test_variants_are_drawn_from_strokes_and_imported_images_have_none(hand) -> None:
    x, y, drawings = hand
    images, labels = personal_training_set(x[:3], y[:3], [drawings[0], None, drawings[2]], 4,
                                           np.random.default_rng(0))
    assert images.shape == (3 + 2 * 4, 28, 28) and images.dtype == np.float32
    assert labels.tolist() == [*y[:3].tolist(), *[y[0]] * 4, *[y[2]] * 4]
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert all(np.abs(variant - x[0]).mean() > 0.005 for variant in images[3:7])
