"""KerasTuner searches on tiny data: the trials' scores against their own curves, the best
model saved with its recipe and the weights of its best epoch, stops that keep the finished
trials, grid search's finite grid, the search space's checks, and `digitpad tune` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from digitpad.commands.tune import search_space
from digitpad.core.architecture_store import preset
from digitpad.core.architectures import ArchitectureSpec
from digitpad.core.cancellation import Cancelled
from digitpad.core.datasets import MNIST_CLASS_NAMES, Dataset
from digitpad.core.engine import ThreadEngine
from digitpad.core.errors import DigitpadError
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import read_metadata
from digitpad.core.resources import bundled_mnist_path
from digitpad.core.training import TrainingSpec, prepare_images, prepare_labels, split_validation
from digitpad.core.tuning import SearchSpace, TuningProgress, TuningResult, tune, tuning_job

BASE = TrainingSpec(ArchitectureSpec("mlp"), epochs=2, batch_size=32, validation_split=0.2, seed=3)
SPACE = SearchSpace(learning_rate=(1e-3, 3e-2), optimizers=("adam", "sgd"))


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:400], data["y"][:400]
    return Dataset("digits", x[:300], y[:300], x[300:], y[300:], MNIST_CLASS_NAMES, test_name="digits test")


@pytest.fixture(scope="module")
def search(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[TuningProgress], TuningResult]:
    reports: list[TuningProgress] = []
    library = ModelLibrary(tmp_path_factory.mktemp("library"))
    result = tune(dataset, SPACE, base=BASE, max_trials=2, library=library, progress=reports.append,
                  stop_event=threading.Event())
    return reports, result


def test_each_trial_is_scored_by_its_best_epoch_and_varies_only_the_chosen_values(
    search: tuple[list[TuningProgress], TuningResult],
) -> None:
    _, result = search
    assert [trial.number for trial in result.trials] == [1, 2]
    assert not result.stopped and result.role == "single" and result.algorithm == "random"
    for trial in result.trials:
        assert trial.status == "completed" and trial.tuner == "tuner0"
        assert set(trial.hyperparameters) == {"learning_rate", "optimizer"}
        assert 1e-3 <= trial.hyperparameters["learning_rate"] <= 3e-2
        assert trial.hyperparameters["optimizer"] in ("adam", "sgd")
        history = trial.history
        assert len(history["val_accuracy"]) == len(history["val_loss"]) == BASE.epochs
        best_epoch = int(np.argmax(history["val_accuracy"]))
        assert trial.val_accuracy == history["val_accuracy"][best_epoch]
        assert trial.val_loss == history["val_loss"][best_epoch]
        assert trial.duration_s > 0
    assert result.trials[0].hyperparameters != result.trials[1].hyperparameters
    assert result.best == max(result.trials, key=lambda trial: trial.val_accuracy or 0.0)


def test_progress_reports_each_trial_start_epochs_and_result(
    search: tuple[list[TuningProgress], TuningResult],
) -> None:
    reports, result = search
    for trial in result.trials:
        mine = [report for report in reports if report.trial == trial.number]
        assert mine[0].training is None and mine[0].result is None
        assert mine[0].hyperparameters == trial.hyperparameters and mine[0].trials == 2
        epochs = [report.training for report in mine if report.training is not None and report.training.kind == "epoch"]
        assert [update.logs["val_accuracy"] for update in epochs] == trial.history["val_accuracy"]
        assert mine[-1].result == trial


def test_the_best_model_is_saved_with_its_recipe_and_the_weights_of_its_best_epoch(
    search: tuple[list[TuningProgress], TuningResult], dataset: Dataset,
) -> None:
    import keras

    _, result = search
    assert result.best is not None and result.best_path is not None and result.test_evaluation is not None
    metadata = read_metadata(result.best_path)
    assert metadata is not None
    assert metadata.hyperparameters["learning_rate"] == result.best.hyperparameters["learning_rate"]
    assert metadata.hyperparameters["optimizer"] == result.best.hyperparameters["optimizer"]
    assert metadata.hyperparameters["batch_size"] == BASE.batch_size  # not varied: the base's
    assert metadata.architecture["name"] == "mlp"
    assert metadata.history == result.best.history
    assert metadata.test_metrics["accuracy"] == result.test_evaluation.accuracy
    assert metadata.test_data == {"name": "digits test", "size": 100}
    # The file holds the best epoch's weights: on the trials' validation images it scores the
    # trial's own val_accuracy.
    x = prepare_images(dataset.x_train)
    _, _, (x_val, y_val) = split_validation(x, prepare_labels(dataset.y_train, len(x)), BASE.validation_split, BASE.seed)
    model = keras.saving.load_model(result.best_path, safe_mode=True)
    accuracy = float(np.mean(np.argmax(model.predict(x_val, verbose=0), axis=1) == y_val))
    assert accuracy == pytest.approx(result.best.val_accuracy, abs=1e-6)


def test_a_stop_during_a_trial_drops_it_and_keeps_the_finished_ones(dataset: Dataset, tmp_path: Path) -> None:
    stop = threading.Event()

    def stop_in_second_trial(report: TuningProgress) -> None:
        if report.trial == 2 and report.training is not None:
            stop.set()

    result = tune(dataset, SPACE, base=BASE, max_trials=3, library=ModelLibrary(tmp_path),
                  progress=stop_in_second_trial, stop_event=stop)
    assert result.stopped
    assert [trial.number for trial in result.trials] == [1]
    assert result.best == result.trials[0] and result.best_path is not None and result.best_path.is_file()


def test_a_stop_before_any_trial_finished_is_cancelled(dataset: Dataset, tmp_path: Path) -> None:
    stop = threading.Event()

    def stop_at_once(report: TuningProgress) -> None:
        stop.set()

    with pytest.raises(Cancelled):
        tune(dataset, SPACE, base=BASE, max_trials=2, library=ModelLibrary(tmp_path), progress=stop_at_once,
             stop_event=stop)
    assert list(tmp_path.iterdir()) == []


def test_grid_search_walks_the_whole_grid_once(dataset: Dataset, tmp_path: Path) -> None:
    space = SearchSpace(learning_rate=None, optimizers=("adam", "sgd"), batch_norm=True)
    result = tune(dataset, space, base=BASE.__class__(ArchitectureSpec("mlp"), epochs=1, batch_size=64,
                                                       validation_split=0.2),
                  algorithm="grid", max_trials=10, out=tmp_path / "best.keras")
    grid = sorted((trial.hyperparameters["optimizer"], trial.hyperparameters["batch_norm"]) for trial in result.trials)
    assert grid == [("adam", False), ("adam", True), ("sgd", False), ("sgd", True)]
    assert result.best_path == tmp_path / "best.keras" and result.best_path.is_file()


def test_hyperband_trains_brief_trials_and_stays_within_the_trial_cap(dataset: Dataset, tmp_path: Path) -> None:
    space = SearchSpace(learning_rate=(1e-3, 1e-2))
    result = tune(dataset, space, base=BASE.__class__(ArchitectureSpec("mlp"), epochs=3, batch_size=64,
                                                       validation_split=0.2),
                  algorithm="hyperband", max_trials=3, out=tmp_path / "best.keras")
    assert 1 <= len(result.trials) <= 3
    # Hyperband's first bracket trains its trials for fewer epochs than the most allowed.
    assert min(len(trial.history["val_accuracy"]) for trial in result.trials) < 3
    best = max(result.trials, key=lambda trial: trial.val_accuracy or 0.0)
    assert result.best is not None and result.best.val_accuracy == best.val_accuracy
    assert result.best_path == tmp_path / "best.keras" and result.best_path.is_file()


def test_search_space_checks() -> None:
    with pytest.raises(DigitpadError, match="at least one hyperparameter"):
        SearchSpace(learning_rate=None)
    with pytest.raises(DigitpadError, match="learning-rate range"):
        SearchSpace(learning_rate=(1e-2, 1e-4))
    with pytest.raises(DigitpadError, match="dropout range"):
        SearchSpace(dropout=(0.5, 0.2, 0.1))
    with pytest.raises(DigitpadError, match="Optimizers"):
        SearchSpace(optimizers=("adamw",))
    with pytest.raises(DigitpadError, match="Grid search needs a finite grid"):
        SearchSpace().check_for("grid")
    SearchSpace(learning_rate_factor=10).check_for("grid")
    with pytest.raises(DigitpadError, match="Unknown search algorithm"):
        SearchSpace().check_for("bayesian")


def test_a_network_with_its_own_layers_cannot_vary_dropout_or_batch_normalization(
        dataset: Dataset, tmp_path: Path) -> None:
    course = preset("Course MLP")
    assert course is not None
    base = TrainingSpec(course.spec(), epochs=1, validation_split=0.2)
    for space in (SearchSpace(dropout=(0.0, 0.4, 0.2)), SearchSpace(batch_norm=True)):
        with pytest.raises(DigitpadError, match="sets its own dropout and batch normalization"):
            tune(dataset, space, base=base, max_trials=1, out=tmp_path / "never.keras")
    assert not (tmp_path / "never.keras").exists()


def test_vary_options_read_into_the_search_space() -> None:
    assert search_space(None) == SearchSpace(learning_rate=(1e-4, 1e-2))
    space = search_space(["learning_rate=1e-5:1e-1:10", "dropout", "batch_norm", "optimizer=adam,sgd",
                          "batch-size=16,32"])
    assert space == SearchSpace(learning_rate=(1e-5, 1e-1), learning_rate_factor=10.0, dropout=(0.0, 0.5, 0.1),
                                batch_norm=True, optimizers=("adam", "sgd"), batch_sizes=(16, 32))
    assert search_space(["dropout=0.1:0.3:0.1"]).varied() == ["dropout"]
    with pytest.raises(DigitpadError, match="Cannot vary 'momentum'"):
        search_space(["momentum"])
    with pytest.raises(DigitpadError, match=r"--vary dropout=0\.1"):
        search_space(["dropout=0.1"])


def run_tune(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`digitpad tune ...` in a fresh process run from `cwd`, offline, with its own home."""
    full_env = {**os.environ, "HOME": str(cwd / "home"), "XDG_DATA_HOME": str(cwd / "home" / "data"),
                "DIGITPAD_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "3", **env}
    full_env.pop("DIGITPAD_LIBRARY", None)
    return subprocess.run([sys.executable, "-m", "digitpad", "tune", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=300)


def test_cli_json_end_to_end_saves_the_best_into_the_library_and_leaves_cwd_clean(tmp_path: Path) -> None:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"], data["y"]
    np.savez(tmp_path / "tiny.npz", x_train=x[:300], y_train=y[:300], x_test=x[300:400], y_test=y[300:400])
    done = run_tune("--data", "tiny.npz", "--arch", "mlp", "--max-trials", "2", "--epochs", "1",
                    "--vary", "learning_rate=1e-3:1e-2", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # stdout is the one JSON document, whatever KerasTuner printed
    assert len(report["trials"]) == 2
    assert all(set(trial["hyperparameters"]) == {"learning_rate"} for trial in report["trials"])
    best = report["best"]
    assert best["val_accuracy"] == max(trial["val_accuracy"] for trial in report["trials"])
    path = Path(best["path"])
    assert path.is_file() and path.parent == tmp_path / "home" / "data" / "digitpad" / "models"
    assert "trial 1/2: learning_rate=" in done.stderr
    assert sorted(item.name for item in tmp_path.iterdir()) == ["home", "tiny.npz"]  # no stray files


def test_cli_errors_are_one_line_with_exit_code_2(tmp_path: Path) -> None:
    done = run_tune("--data", "mnist", "--vary", "momentum", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "digitpad: error: Cannot vary 'momentum'; choose among learning_rate, dropout, batch_norm, optimizer, "
        "batch_size."
    ]


# --- the window's job, as the engine runs it -------------------------------------------------


@pytest.fixture(scope="module")
def digits_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:400], data["y"][:400]
    path = tmp_path_factory.mktemp("tuning_job") / "digits.npz"
    np.savez(path, x_train=x[:300], y_train=y[:300], x_test=x[300:], y_test=y[300:])
    return path


def test_the_windows_job_crosses_the_engine_and_saves_the_best_to_the_library(
    digits_file: Path, tmp_path: Path
) -> None:
    library = ModelLibrary(tmp_path / "library")
    bundles: list[tuple[object, ...]] = []
    job = partial(tuning_job, digits_file, SPACE, BASE, "random", 1, library, per_second=1000.0)
    result = ThreadEngine().run(job, bundles.append, threading.Event())
    assert isinstance(result, TuningResult) and not result.stopped
    assert len(result.trials) == 1 and result.best is not None and result.best.status == "completed"
    assert result.best.val_accuracy is not None and 0.0 <= result.best.val_accuracy <= 1.0
    assert result.best_path is not None and result.best_path.is_file()
    assert [entry.path for entry in ModelLibrary(tmp_path / "library").entries()] == [result.best_path]
    assert result.test_evaluation is not None and int(result.test_evaluation.confusion.sum()) == 100
    reports = [report for bundle in bundles for report in bundle]
    assert all(isinstance(report, TuningProgress) and report.trial == 1 for report in reports)
    assert reports[-1].result is not None  # type: ignore[attr-defined]


def test_the_windows_job_stopped_before_a_trial_finished_returns_nothing(digits_file: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    library = ModelLibrary(tmp_path / "library")
    assert tuning_job(digits_file, SPACE, BASE, "random", 1, library, lambda bundle: None, stop) is None
    assert list(library.entries()) == []
