"""The run log: runs recorded, reloaded, attached to their model, deleted; damaged records skipped
and kept; and the TensorBoard logs Keras' own callback writes for a run, read back."""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.datasets import MNIST_CLASS_NAMES, Dataset
from digitpad.core.errors import DigitpadError, StorageError
from digitpad.core.evaluation import metrics_from_probabilities
from digitpad.core.model_file import ModelMetadata
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.run_log import FINE_TUNE, RUNS_ENV, TRAINING, RunLog, default_runs_dir
from digitpad.core.training import TrainingProgress, TrainingRun, TrainingSpec, tensorboard_installed, train
from digitpad.core.workflows import TrainedModel, train_and_evaluate

SPEC = TrainingSpec(architecture=ArchitectureSpec(name="mlp"), epochs=3, batch_size=32, validation_split=0.2)


def fake_trained(
    *, history: dict[str, list[float]] | None = None, lineage: dict | None = None, name: str = "mlp digits 91.0",
    tensorboard_dir: Path | None = None,
) -> TrainedModel:
    """What a finished run hands over, without TensorFlow: the run log reads only plain fields."""
    y = np.arange(20) % 10
    probabilities = np.full((20, 10), 0.01, np.float32)
    probabilities[np.arange(20), y] = 0.91
    probabilities[0] = np.roll(probabilities[0], 1)  # one mistake: accuracy 0.95
    evaluation = metrics_from_probabilities(y, probabilities)
    run = TrainingRun(
        model=None,
        spec=SPEC,
        batch_history={"loss": [2.0, 1.0], "accuracy": [0.2, 0.5]},
        epoch_history=history if history is not None else {
            "loss": [1.5, 0.9, 0.7], "accuracy": [0.5, 0.7, 0.8], "val_loss": [1.2, 0.8, 0.75],
            "val_accuracy": [0.6, 0.75, 0.78],
        },
        duration_s=12.5,
        samples_per_second=1000.0,
        stopped_by_user=False,
        stopped_early=False,
        epochs_completed=3,
        tensorboard_dir=tensorboard_dir,
    )
    x = np.zeros((20, 28, 28), np.uint8)
    dataset = Dataset("digits", x, y.astype(np.uint8), x, y.astype(np.uint8), MNIST_CLASS_NAMES, test_name="digits test")
    metadata = ModelMetadata(name=name, lineage=lineage)
    return TrainedModel(run=run, dataset=dataset, evaluation=evaluation, metadata=metadata)


@pytest.fixture
def log(tmp_path: Path) -> RunLog:
    return RunLog(tmp_path / "runs")


# ------------------------------------------------------------------------------ recording


def test_a_recorded_run_reloads_with_every_field(log: RunLog, tmp_path: Path) -> None:
    out = tmp_path / "m.keras"
    recorded = log.record(fake_trained(tensorboard_dir=tmp_path / "tb" / "run1"), origin="cli", model_path=out)

    [reloaded] = RunLog(log.root).runs()
    assert reloaded == recorded
    assert reloaded.origin == "cli" and reloaded.kind == TRAINING and reloaded.parent is None
    assert reloaded.architecture == "mlp" and reloaded.dataset == "digits"
    assert reloaded.test_accuracy == pytest.approx(0.95) and reloaded.test_label == "digits test, 20"
    assert reloaded.history["val_accuracy"] == [0.6, 0.75, 0.78]
    assert reloaded.settings == SPEC.to_dict() and reloaded.epochs_planned == 3
    assert (reloaded.epochs_completed, reloaded.duration_s, reloaded.stopped_by_user) == (3, 12.5, False)
    assert (reloaded.model_path, reloaded.model_name) == (out, "mlp digits 91.0")
    assert reloaded.tensorboard_dir == tmp_path / "tb" / "run1"
    # One plain JSON file per run, named by its id.
    path = log.root / f"{recorded.id}.json"
    assert [p.name for p in log.root.iterdir()] == [path.name]
    data = json.loads(path.read_text())
    assert data["format"] == 1 and data["history"]["loss"] == [1.5, 0.9, 0.7]


def test_a_run_not_saved_yet_has_no_model_until_one_is_attached(log: RunLog, tmp_path: Path) -> None:
    first = log.record(fake_trained(), origin="window")
    other = log.record(fake_trained(), origin="window")
    assert first.model_path is None and first.model_name is None

    saved = log.attach_model(first.id, tmp_path / "library" / "Mine.keras", "Mine")

    reloaded = {run.id: run for run in RunLog(log.root).runs()}
    assert reloaded[first.id] == saved == replace(first, model_path=tmp_path / "library" / "Mine.keras",
                                                  model_name="Mine")
    assert reloaded[other.id] == other


def test_runs_are_listed_newest_first(log: RunLog) -> None:
    ids = [log.record(fake_trained(name=f"run {i}"), origin="window").id for i in range(4)]
    assert [run.id for run in log.runs()] == ids[::-1]
    assert len(set(ids)) == 4


def test_a_fine_tune_is_recorded_with_its_parent_and_settings(log: RunLog) -> None:
    lineage = {"parent": "Shipped", "settings": {"epochs": 3, "replay": 2000}, "stopped": False}
    history = {"loss": [0.4, 0.3], "accuracy": [0.9, 0.93], "val_loss": [], "val_accuracy": []}
    recorded = log.record(fake_trained(history=history, lineage=lineage), origin="window")
    [reloaded] = log.runs()
    assert reloaded == recorded
    assert (reloaded.kind, reloaded.parent) == (FINE_TUNE, "Shipped")
    assert reloaded.settings["fine_tune"] == {"epochs": 3, "replay": 2000}
    assert reloaded.history["val_loss"] == []


def test_non_finite_values_are_written_as_strict_json(log: RunLog) -> None:
    history = {"loss": [1.0, math.inf], "accuracy": [0.1, 0.2], "val_loss": [math.nan, 0.5], "val_accuracy": [0.1, 0.2]}
    recorded = log.record(fake_trained(history=history), origin="cli")
    text = (log.root / f"{recorded.id}.json").read_text()

    def reject(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    assert json.loads(text, parse_constant=reject)["history"]["val_loss"] == [None, 0.5]
    [reloaded] = log.runs()
    assert math.isnan(reloaded.history["val_loss"][0]) and math.isnan(reloaded.history["loss"][1])
    assert reloaded.history["val_loss"][1] == 0.5


def test_deleting_forgets_only_those_runs_and_keeps_their_models(log: RunLog, tmp_path: Path) -> None:
    model = tmp_path / "kept.keras"
    model.write_bytes(b"model")
    runs = [log.record(fake_trained(), origin="cli", model_path=model) for _ in range(3)]
    log.delete([runs[0].id, runs[2].id, "20000101-000000-abcdef"])  # an id already gone is fine
    assert [run.id for run in log.runs()] == [runs[1].id]
    assert model.read_bytes() == b"model"


def test_ids_cannot_reach_outside_the_folder(log: RunLog, tmp_path: Path) -> None:
    victim = tmp_path / "victim.json"
    victim.write_text("{}")
    for bad in ("../victim", "", ".hidden", "a/b"):
        with pytest.raises(ValueError):
            log.delete([bad])
    assert victim.exists()
    with pytest.raises(ValueError):
        log.record(fake_trained(), origin="somewhere")


def test_an_unknown_run_is_a_sentence(log: RunLog, tmp_path: Path) -> None:
    with pytest.raises(DigitpadError, match="no longer recorded"):
        log.attach_model("20000101-000000-abcdef", tmp_path / "m.keras", "m")


def test_an_empty_or_missing_folder_has_no_runs(tmp_path: Path) -> None:
    assert RunLog(tmp_path / "never-created").runs() == []
    assert not (tmp_path / "never-created").exists()


# ---------------------------------------------------------------------------- robustness


def test_damaged_records_are_skipped_with_a_warning_and_left_on_disk(
    log: RunLog, caplog: pytest.LogCaptureFixture
) -> None:
    good = log.record(fake_trained(), origin="cli")
    template = json.loads((log.root / f"{good.id}.json").read_text())
    damaged = {
        "20240101-000000-000001.json": json.dumps(template)[:80],  # cut short by a crash of an older writer
        "20240101-000000-000002.json": "[1, 2, 3]",
        "20240101-000000-000003.json": json.dumps({**template, "history": {"loss": ["a lot"]}}),
        "20240101-000000-000004.json": json.dumps({**template, "created": "yesterday"}),
        "20240101-000000-000005.json": json.dumps({**template, "epochs_completed": "3"}),
        "20240101-000000-000006.json": json.dumps({k: v for k, v in template.items() if k != "origin"}),
        "20240101-000000-000007.json": b"\xff\xfe not text".decode("latin-1"),
    }
    for name, text in damaged.items():
        (log.root / name).write_text(text, encoding="utf-8")
    # An interrupted save's temporary file is not a record at all.
    (log.root / ".20240101-000000-000008.0123abcd.tmp.json").write_text("{")

    with caplog.at_level(logging.WARNING, logger="digitpad.core.run_log"):
        assert [run.id for run in log.runs()] == [good.id]
    warned = "\n".join(record.getMessage() for record in caplog.records)
    for name in damaged:
        assert name in warned
    assert ".tmp.json" not in warned
    assert all((log.root / name).exists() for name in damaged)


def test_a_write_that_fails_half_way_leaves_no_record(
    log: RunLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = log.record(fake_trained(), origin="cli")
    original = Path.write_text

    def half_then_full_disk(self: Path, text: str, *args, **kwargs) -> int:
        original(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half_then_full_disk)
    with pytest.raises(StorageError, match="No space left"):
        log.record(fake_trained(), origin="cli")
    monkeypatch.undo()
    assert [p.name for p in log.root.iterdir()] == [f"{kept.id}.json"]
    assert log.runs() == [kept]


def test_a_folder_that_cannot_be_made_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="Cannot record the run"):
        RunLog(blocker / "runs").record(fake_trained(), origin="cli")


def test_the_default_folder_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RUNS_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_runs_dir() == tmp_path / "home" / ".local" / "share" / "digitpad" / "runs"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert default_runs_dir() == tmp_path / "home" / ".local" / "share" / "digitpad" / "runs"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_runs_dir() == tmp_path / "data" / "digitpad" / "runs"
    assert RunLog().root == tmp_path / "data" / "digitpad" / "runs"
    monkeypatch.setenv(RUNS_ENV, str(tmp_path / "elsewhere"))
    assert RunLog().root == tmp_path / "elsewhere"


# ---------------------------------------------------------------- real runs, TensorBoard


@pytest.fixture(scope="module")
def digits() -> Dataset:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:520], data["y"][:520]
    return Dataset("digits", x[:320], y[:320], x[320:], y[320:], MNIST_CLASS_NAMES)


def epoch_scalars(folder: Path, tag: str) -> list[float]:
    """The values Keras' TensorBoard callback logged under `tag` in the event files of `folder`, by step."""
    import tensorflow as tf
    from tensorflow.python.summary.summary_iterator import summary_iterator

    points = [
        (event.step, float(tf.make_ndarray(value.tensor)))
        for path in sorted(folder.glob("events.out.tfevents.*"))
        for event in summary_iterator(str(path))
        for value in event.summary.value
        if value.tag == tag
    ]
    return [value for _, value in sorted(points)]


def test_a_real_run_writes_tensorboard_logs_and_is_recorded(digits: Dataset, log: RunLog, tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    assert tensorboard_installed()
    root = tmp_path / "tensorboard"
    trained = train_and_evaluate(digits, SPEC, tensorboard_dir=root)

    run_dir = trained.run.tensorboard_dir
    assert run_dir is not None and run_dir.parent == root and run_dir.name.endswith("-mlp")
    assert list((run_dir / "train").glob("events.out.tfevents.*"))
    assert list((run_dir / "validation").glob("events.out.tfevents.*"))
    history = trained.run.epoch_history
    np.testing.assert_allclose(epoch_scalars(run_dir / "train", "epoch_loss"), history["loss"], rtol=1e-5)
    np.testing.assert_allclose(epoch_scalars(run_dir / "validation", "epoch_accuracy"), history["val_accuracy"],
                               rtol=1e-5)

    recorded = log.record(trained, origin="window")
    [reloaded] = RunLog(log.root).runs()
    assert reloaded == recorded
    assert reloaded.tensorboard_dir == run_dir
    assert reloaded.history == {key: [float(v) for v in values] for key, values in history.items()}
    assert reloaded.test_accuracy == pytest.approx(trained.evaluation.accuracy)
    assert reloaded.test_label == "digits test, 200"

    # A second run into the same folder gets a folder of its own: TensorBoard shows them side by side.
    again = train(digits.x_train, digits.y_train, replace(SPEC, epochs=1), tensorboard_dir=root)
    assert again.tensorboard_dir is not None and again.tensorboard_dir != run_dir
    assert sorted(path.name for path in root.iterdir()) == sorted([run_dir.name, again.tensorboard_dir.name])


def test_a_stopped_run_still_flushes_the_epochs_it_logged(digits: Dataset, tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    stop = threading.Event()

    def stop_in_second_epoch(report: TrainingProgress) -> None:
        if report.kind == "batch" and report.epoch == 2 and report.batch == 2:
            stop.set()

    run = train(digits.x_train, digits.y_train, SPEC, progress=stop_in_second_epoch, stop_event=stop,
                tensorboard_dir=tmp_path / "tb")
    assert run.stopped_by_user and run.epochs_completed == 1
    assert run.tensorboard_dir is not None
    assert epoch_scalars(run.tensorboard_dir / "train", "epoch_loss") == pytest.approx(run.epoch_history["loss"])


def test_without_the_tensorboard_package_the_job_fails_before_loading_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # what find_spec sees when it is not installed
    assert not tensorboard_installed()
    with pytest.raises(DigitpadError, match="needs the tensorboard package"):
        # The source does not exist: loading it first would have been a DataError.
        train_and_evaluate(tmp_path / "no-such-data.npz", SPEC, tensorboard_dir=tmp_path / "tb")
    assert not (tmp_path / "tb").exists()


def test_an_unwritable_tensorboard_folder_fails_before_loading_data(tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="Cannot write TensorBoard logs"):
        train_and_evaluate(tmp_path / "no-such-data.npz", SPEC, tensorboard_dir=blocker / "tb")


def test_listing_runs_never_imports_tensorflow(log: RunLog) -> None:
    """The window lists runs while TensorFlow is still loading, so the run log must not need it."""
    log.record(fake_trained(), origin="window")
    code = (
        "import sys; from pathlib import Path; from digitpad.core.run_log import RunLog; "
        f"assert len(RunLog(Path({str(log.root)!r})).runs()) == 1; "
        "assert not {'tensorflow', 'keras'} & set(sys.modules), 'TensorFlow was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
