"""Hyperparameter search with KerasTuner: which learning rate, dropout, batch normalization,
optimizer and batch size suit a network on a data set, tried out instead of guessed.

`tune` wraps KerasTuner's own tuners (random search, grid search, Hyperband) around digitpad's
training: each trial builds `architectures.build_model` with the trial's values and compiles it
as `training.train` does (`compile_model`), on the same prepared images and the same seeded
validation split, so a trial's accuracy means what a training run's means. Trials are chosen on
the validation images; the best one is then measured on the data set's test split, which no
trial ever saw, and saved like a trained model (its recipe is the best trial's values).

KerasTuner's distributed mode works unchanged: the same call in a chief process (environment
`KERASTUNER_TUNER_ID=chief`, `KERASTUNER_ORACLE_IP`, `KERASTUNER_ORACLE_PORT`) serves the
trials that worker processes (`KERASTUNER_TUNER_ID=tuner0`, `tuner1`...) run, all sharing one
`directory`. Each finished trial leaves a small JSON record there, so the chief, which trains
nothing, still reports every trial with its curves, its time and the worker that ran it.

Keras and KerasTuner are imported inside the functions: the window reads these specs before
TensorFlow has loaded.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digitpad.core.atomic import atomic_write_text
from digitpad.core.cancellation import Cancelled, StopSignal, raise_if_stopped
from digitpad.core.datasets import Dataset, load_dataset
from digitpad.core.errors import DigitpadError
from digitpad.core.evaluation import Evaluation, evaluate
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import save_model
from digitpad.core.progress_relay import REPORTS_PER_SECOND, ProgressRelay
from digitpad.core.training import (
    NUM_CLASSES,
    OPTIMIZERS,
    StopRequested,
    TrainingMonitor,
    TrainingProgress,
    TrainingRun,
    TrainingSpec,
    compile_model,
    prepare_images,
    prepare_labels,
    split_validation,
)
from digitpad.core.workflows import describe, keras_predict_function

if TYPE_CHECKING:
    import keras

ALGORITHMS: tuple[str, ...] = ("random", "grid", "hyperband")
PROJECT_NAME = "digitpad-tune"
TRIAL_RECORD = "digitpad-trial.json"
OBJECTIVE = "val_accuracy"
CHIEF = "chief"
# KerasTuner gives up after this many failed trials in a row; a diverging learning rate is a
# result worth listing, so failures are reported, not fatal, unless every trial fails.
_FAILURES_TOLERATED = 1_000_000


@dataclass(frozen=True)
class SearchSpace:
    """Which hyperparameters vary and over what; the others stay at the base `TrainingSpec`'s.

    `learning_rate` is a (low, high) range sampled on a log scale; `learning_rate_factor`, when
    set, steps it by that factor (1e-4, 1e-3, 1e-2 for 10), which grid search needs. `dropout` is
    (low, high, step). `batch_norm` tries with and without. `optimizers` and `batch_sizes` are
    choices. None (False) leaves that hyperparameter at the base spec's value.
    """

    learning_rate: tuple[float, float] | None = (1e-4, 1e-2)
    learning_rate_factor: float | None = None
    dropout: tuple[float, float, float] | None = None
    batch_norm: bool = False
    optimizers: tuple[str, ...] | None = None
    batch_sizes: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.learning_rate is not None:
            low, high = self.learning_rate
            if not 0 < low < high:
                raise DigitpadError(
                    f"The learning-rate range must be two rates above 0, the lower first, not {low:g} to {high:g}."
                )
        if self.learning_rate_factor is not None and not self.learning_rate_factor > 1:
            raise DigitpadError(f"The learning-rate factor must be above 1, not {self.learning_rate_factor:g}.")
        if self.dropout is not None:
            low, high, step = self.dropout
            if not (0 <= low < high < 1 and step > 0):
                raise DigitpadError(
                    f"The dropout range must lie in [0, 1), the lower first, with a step above 0, "
                    f"not {low:g} to {high:g} by {step:g}."
                )
        if self.optimizers is not None:
            unknown = [name for name in self.optimizers if name not in OPTIMIZERS]
            if unknown or not self.optimizers:
                raise DigitpadError(f"Optimizers to try must be among {', '.join(OPTIMIZERS)}, not {unknown}.")
        if self.batch_sizes is not None and (not self.batch_sizes or min(self.batch_sizes) < 1):
            raise DigitpadError(f"Batch sizes to try must be whole numbers from 1, not {list(self.batch_sizes)}.")
        if not self.varied():
            raise DigitpadError("Choose at least one hyperparameter to vary.")

    def varied(self) -> list[str]:
        """The names of the hyperparameters that vary, as the trials report them."""
        names = []
        if self.learning_rate is not None:
            names.append("learning_rate")
        if self.dropout is not None:
            names.append("dropout")
        if self.batch_norm:
            names.append("batch_norm")
        if self.optimizers is not None:
            names.append("optimizer")
        if self.batch_sizes is not None:
            names.append("batch_size")
        return names

    def check_for(self, algorithm: str) -> None:
        """Grid search walks a finite grid: a learning-rate range needs its factor."""
        if algorithm not in ALGORITHMS:
            raise DigitpadError(f"Unknown search algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}.")
        if algorithm == "grid" and self.learning_rate is not None and self.learning_rate_factor is None:
            raise DigitpadError(
                "Grid search needs a finite grid: give the learning-rate range a factor (for example 10)."
            )

    def spec_for(self, hp: Any, base: TrainingSpec) -> TrainingSpec:
        """`base` with the values of `hp` (a `keras_tuner.HyperParameters`), declaring them on
        first use: KerasTuner learns the space from the calls made here."""
        spec = base
        if self.learning_rate is not None:
            low, high = self.learning_rate
            rate = hp.Float("learning_rate", low, high, step=self.learning_rate_factor, sampling="log")
            spec = replace(spec, learning_rate=float(rate))
        if self.optimizers is not None:
            spec = replace(spec, optimizer=str(hp.Choice("optimizer", list(self.optimizers))))
        if self.batch_sizes is not None:
            spec = replace(spec, batch_size=int(hp.Choice("batch_size", [int(size) for size in self.batch_sizes])))
        architecture = spec.architecture
        if self.dropout is not None:
            low, high, step = self.dropout
            architecture = replace(architecture, dropout=round(float(hp.Float("dropout", low, high, step=step)), 6))
        if self.batch_norm:
            architecture = replace(architecture, batch_norm=bool(hp.Boolean("batch_norm")))
        return replace(spec, architecture=architecture)


@dataclass(frozen=True)
class TrialResult:
    """One finished trial: its values, how it scored on the validation images, how it went."""

    number: int  # 1-based, in the order the oracle created the trials
    trial_id: str  # KerasTuner's
    hyperparameters: dict[str, Any]  # the varied ones (and Hyperband's epochs for the trial)
    status: str  # "completed" | "failed"
    val_accuracy: float | None  # the best epoch's (KerasTuner's score)
    val_loss: float | None  # at that same epoch
    history: dict[str, list[float]]  # per epoch: loss, accuracy, val_loss, val_accuracy
    duration_s: float
    tuner: str  # the tuner (worker) that ran it: "tuner0" outside distributed mode
    message: str = ""  # why it failed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrialResult:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class TuningProgress:
    """A trial starting (`training` and `result` None), each of its training reports, and its result."""

    trial: int  # 1-based
    trials: int  # at most this many
    hyperparameters: dict[str, Any]
    training: TrainingProgress | None = None
    result: TrialResult | None = None


@dataclass(frozen=True)
class TuningResult:
    """The trials that finished and the best of them, saved and measured on the test split."""

    trials: tuple[TrialResult, ...]
    algorithm: str
    role: str  # "single", "chief" or the worker's id
    data_name: str
    duration_s: float
    stopped: bool
    best: TrialResult | None = None  # None on a worker, and when no trial completed
    best_spec: TrainingSpec | None = None
    best_path: Path | None = None
    test_evaluation: Evaluation | None = None
    test_label: str = ""

    def to_dict(self) -> dict[str, Any]:
        """What `digitpad tune --json` prints."""
        best = None
        if self.best is not None:
            best = {
                "trial": self.best.number,
                "hyperparameters": self.best.hyperparameters,
                "val_accuracy": self.best.val_accuracy,
                "val_loss": self.best.val_loss,
                "path": None if self.best_path is None else str(self.best_path),
                "test_accuracy": None if self.test_evaluation is None else self.test_evaluation.accuracy,
                "test_data": self.test_label,
            }
        trials = [
            {key: value for key, value in trial.to_dict().items() if key != "history"} for trial in self.trials
        ]
        return {"algorithm": self.algorithm, "role": self.role, "stopped": self.stopped, "trials": trials,
                "best": best}


TuningReport = Callable[[TuningProgress], None]


def role() -> str:
    """"single", or in KerasTuner's distributed mode "chief" or this worker's id (its variables)."""
    if "KERASTUNER_ORACLE_IP" not in os.environ:
        return "single"
    missing = [name for name in ("KERASTUNER_ORACLE_PORT", "KERASTUNER_TUNER_ID") if not os.environ.get(name)]
    if missing:
        raise DigitpadError(
            f"Distributed tuning needs {' and '.join(missing)} as well as KERASTUNER_ORACLE_IP."
        )
    tuner_id = os.environ["KERASTUNER_TUNER_ID"]
    return CHIEF if CHIEF in tuner_id else tuner_id


def tune(
    source: Dataset | str | Path,
    space: SearchSpace,
    *,
    base: TrainingSpec,
    algorithm: str = "random",
    max_trials: int = 10,
    directory: str | Path | None = None,
    library: ModelLibrary | None = None,
    out: Path | None = None,
    name: str | None = None,
    progress: TuningReport | None = None,
    stop_event: StopSignal | None = None,
) -> TuningResult:
    """Search `space` around `base` (its architecture, epochs per trial, validation split and
    seed) with KerasTuner's `algorithm`, at most `max_trials` trials, and save the best model.

    Trials validate on `base.validation_split` of the training split (seeded by `base.seed`, as
    `train` does) and are ranked by their best epoch's validation accuracy. The best is rebuilt
    from KerasTuner's checkpoint of that epoch, measured on the test split, and saved to `out`
    when given, else to `library` (default: the user's) as `name` (default "tuned <arch>
    <data> <accuracy>"). With `directory` None, KerasTuner works in a temporary folder removed
    afterwards; a given one is started afresh (by the chief, in distributed mode).

    `stop_event` ends the search after the current batch: the trial under way is dropped, the
    finished ones are returned (`stopped`) and the best of them is still saved. Raises
    `Cancelled` when no trial had finished.
    """
    started = time.perf_counter()
    space.check_for(algorithm)
    if max_trials < 1:
        raise DigitpadError(f"A search needs at least 1 trial, not {max_trials}.")
    if not 0 < base.validation_split < 1:
        raise DigitpadError("Tuning chooses on validation images: set a validation split above 0.")
    if base.architecture.file is not None and (space.dropout is not None or space.batch_norm):
        raise DigitpadError(
            f"{base.architecture.name} sets its own dropout and batch normalization in its layers: "
            "vary the learning rate, optimizer or batch size instead."
        )
    here = role()
    if here != "single" and directory is None:
        raise DigitpadError("Distributed tuning needs a directory that the chief and every worker share.")
    dataset = source if isinstance(source, Dataset) else load_dataset(source, stop_event=stop_event)
    raise_if_stopped(stop_event, "loading the data")
    x = prepare_images(dataset.x_train)
    y = prepare_labels(dataset.y_train, len(x))
    x_train, y_train, validation = split_validation(x, y, base.validation_split, base.seed)

    with _working_directory(directory) as folder:
        hypermodel = _keras_tuner_classes().hypermodel(space, base, len(x_train), max_trials, progress, stop_event)
        tuner = _tuner(algorithm, hypermodel, max_trials, base, folder, here)
        stopped = False
        try:
            tuner.search(x_train, y_train, validation_data=validation, epochs=base.epochs, shuffle=True, verbose=0)
        except _keras_tuner_classes().stopped:
            stopped = True
        trials = hypermodel.results if here != CHIEF else _recorded_trials(tuner)
        if here not in ("single", CHIEF):
            return TuningResult(tuple(trials), algorithm, here, dataset.name, time.perf_counter() - started, stopped)
        completed = [trial for trial in trials if trial.status == "completed"]
        if not completed:
            if stopped:
                raise Cancelled("Stopped before the first trial was finished.")
            raise DigitpadError(f"Every trial failed; the last one: {_last_line(trials[-1].message)}"
                                if trials else "The search ran no trial.")
        best = max(completed, key=lambda trial: trial.val_accuracy or 0.0)
        best_spec = space.spec_for(tuner.oracle.get_trial(best.trial_id).hyperparameters, base)
        with warnings.catch_warnings():
            # The checkpoint holds the optimizer's state too, which a model for use does not need.
            warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
            model = tuner.load_model(tuner.oracle.get_trial(best.trial_id))
    evaluation = evaluate(keras_predict_function(model), dataset.x_test, dataset.y_test)
    run = TrainingRun(
        model=model, spec=replace(best_spec, epochs=len(best.history.get("loss", [])) or best_spec.epochs),
        batch_history={}, epoch_history=best.history, duration_s=best.duration_s, samples_per_second=0.0,
        stopped_by_user=False, stopped_early=False, epochs_completed=len(best.history.get("loss", [])),
    )
    label = name or f"tuned {best_spec.architecture.name} {dataset.name} {100 * evaluation.accuracy:.1f}"
    metadata = describe(run, dataset, evaluation, label)
    if out is not None:
        path = save_model(model, out, metadata)
    else:
        path = (library or ModelLibrary()).save(model, metadata).path
    return TuningResult(
        tuple(trials), algorithm, here, dataset.name, time.perf_counter() - started, stopped,
        best=best, best_spec=best_spec, best_path=path, test_evaluation=evaluation, test_label=dataset.test_label,
    )


def _working_directory(directory: str | Path | None) -> contextlib.AbstractContextManager[Any]:
    """KerasTuner's folder: the one given (created if needed), else a temporary one removed after."""
    if directory is None:
        return tempfile.TemporaryDirectory(prefix="digitpad-tune-")
    folder = Path(directory).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return contextlib.nullcontext(str(folder))


def _tuner(algorithm: str, hypermodel: Any, max_trials: int, base: TrainingSpec, folder: str, here: str) -> Any:
    """KerasTuner's tuner for `algorithm`. Only a single search or the chief starts the folder
    afresh: a worker wiping it would delete the trials other workers already wrote."""
    classes = _keras_tuner_classes()
    common: dict[str, Any] = {
        "hypermodel": hypermodel, "objective": OBJECTIVE, "seed": base.seed, "directory": folder,
        "project_name": PROJECT_NAME, "overwrite": here in ("single", CHIEF),
        "max_consecutive_failed_trials": _FAILURES_TOLERATED,
    }
    if algorithm == "hyperband":
        tuner = classes.hyperband(max_epochs=base.epochs, factor=3, **common)
        # Hyperband sizes its brackets from the epochs alone; the oracle's own trial cap still
        # applies when set, which keeps "at most max_trials" true for every algorithm.
        tuner.oracle.max_trials = max_trials
        return tuner
    return (classes.grid if algorithm == "grid" else classes.random)(max_trials=max_trials, **common)


def _recorded_trials(tuner: Any) -> list[TrialResult]:
    """Every trial the chief's oracle knows, from the records its workers left in the shared
    folder (an oracle's trial alone has no curves, time or worker): those without one failed."""
    results = []
    for trial_id, trial in sorted(tuner.oracle.trials.items()):
        record = Path(tuner.get_trial_dir(trial_id)) / TRIAL_RECORD
        try:
            results.append(TrialResult.from_dict(json.loads(record.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError):
            results.append(TrialResult(
                number=int(trial_id) + 1, trial_id=trial_id, hyperparameters=_shown(trial.hyperparameters.values),
                status="failed", val_accuracy=None, val_loss=None, history={}, duration_s=0.0, tuner="",
                message=trial.message or f"Trial {trial_id} left no record ({trial.status}).",
            ))
    return results


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """A trial's values as people read them: Hyperband's bookkeeping left out, its epochs kept."""
    shown = {key: value for key, value in values.items() if not key.startswith("tuner/")}
    if "tuner/epochs" in values:
        shown["epochs"] = int(values["tuner/epochs"])
    return shown


def _result(
    number: int, trial: Any, values: dict[str, Any], history: dict[str, list[float]], seconds: float, tuner: str
) -> TrialResult:
    """A trial's result, scored as KerasTuner scores it: its best epoch's validation accuracy."""
    completed = trial.status == "COMPLETED" and bool(history.get(OBJECTIVE))
    val_accuracy = val_loss = None
    if completed:
        best = int(np.argmax(history[OBJECTIVE]))
        val_accuracy = float(history[OBJECTIVE][best])
        val_loss = float(history["val_loss"][best]) if len(history.get("val_loss", [])) > best else None
    return TrialResult(
        number=number, trial_id=trial.trial_id, hyperparameters=values,
        status="completed" if completed else "failed", val_accuracy=val_accuracy, val_loss=val_loss,
        history=history, duration_s=seconds, tuner=tuner,
        message="" if completed else _last_line(trial.message or "The trial did not finish an epoch."),
    )


def _last_line(message: str) -> str:
    """A KerasTuner failure message is a traceback: its last line names the error."""
    lines = [line for line in message.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else message


@dataclass(frozen=True)
class _Classes:
    stopped: type[Exception]
    hypermodel: Callable[..., Any]
    random: Callable[..., Any]
    grid: Callable[..., Any]
    hyperband: Callable[..., Any]


@functools.cache
def _keras_tuner_classes() -> _Classes:
    """digitpad's KerasTuner classes, defined once KerasTuner (and so Keras) is imported."""
    import keras
    import keras_tuner

    from digitpad.core.architectures import build_model

    class SearchStopped(keras_tuner.errors.FatalError):
        """A stop request: fatal to KerasTuner, so it ends the search instead of failing the trial."""

    class DigitpadHyperModel(keras_tuner.HyperModel):
        """Builds `build_model` with a trial's values, compiled and fitted as `train` does."""

        def __init__(
            self, space: SearchSpace, base: TrainingSpec, sample_count: int, max_trials: int,
            progress: TuningReport | None, stop_event: StopSignal | None,
        ) -> None:
            super().__init__(name="digitpad")
            self.space, self.base, self.sample_count, self.max_trials = space, base, sample_count, max_trials
            self.progress, self.stop_event = progress, stop_event
            self.results: list[TrialResult] = []
            self.number, self.started = 0, 0.0
            self.values: dict[str, Any] = {}
            self.monitor: TrainingMonitor | None = None

        def report(self, update: TuningProgress) -> None:
            if self.progress is not None:
                self.progress(update)

        def build(self, hp: Any) -> keras.Model:
            spec = self.space.spec_for(hp, self.base)
            keras.utils.set_random_seed(spec.seed)  # every trial starts from the same first weights
            model = build_model(spec.architecture, NUM_CLASSES)
            compile_model(model, spec, steps_per_epoch=-(-self.sample_count // spec.batch_size))
            return model

        def fit(self, hp: Any, model: keras.Model, *args: Any, **kwargs: Any) -> Any:
            spec = self.space.spec_for(hp, self.base)

            def training(update: TrainingProgress) -> None:
                self.report(TuningProgress(self.number, self.max_trials, self.values, training=update))

            self.monitor = TrainingMonitor(
                model, sample_count=self.sample_count, batch_size=spec.batch_size, epochs=int(kwargs["epochs"]),
                progress=training, stop_event=self.stop_event,
            )
            kwargs["callbacks"] = [*kwargs.get("callbacks", []), self.monitor.callback()]
            try:
                return model.fit(*args, batch_size=spec.batch_size, **kwargs)
            except StopRequested as error:
                raise SearchStopped("Stopped during a trial.") from error

    class Reporting:
        """Tuner hooks: stop between trials, report each trial's start and result, and leave
        its record in the trial's folder for a chief to read."""

        hypermodel: DigitpadHyperModel

        def pre_create_trial(self) -> None:
            stop_event = self.hypermodel.stop_event
            if stop_event is not None and stop_event.is_set():
                raise SearchStopped("Stopped between trials.")

        def on_trial_begin(self, trial: Any) -> None:
            super().on_trial_begin(trial)  # type: ignore[misc]
            model = self.hypermodel
            model.number, model.values = int(trial.trial_id) + 1, _shown(trial.hyperparameters.values)
            model.started, model.monitor = time.perf_counter(), None
            model.report(TuningProgress(model.number, model.max_trials, model.values))

        def on_trial_end(self, trial: Any) -> None:
            super().on_trial_end(trial)  # type: ignore[misc]
            model = self.hypermodel
            history = {key: [float(value) for value in values]
                       for key, values in (model.monitor.epoch_history if model.monitor else {}).items()}
            result = _result(model.number, trial, model.values, history, time.perf_counter() - model.started,
                             os.environ.get("KERASTUNER_TUNER_ID", "tuner0"))
            record = Path(self.get_trial_dir(trial.trial_id)) / TRIAL_RECORD  # type: ignore[attr-defined]
            atomic_write_text(record, json.dumps(result.to_dict()))
            model.results.append(result)
            model.report(TuningProgress(model.number, model.max_trials, model.values, result=result))

    def tuner_class(base_class: type) -> type:
        return type(f"Digitpad{base_class.__name__}", (Reporting, base_class), {})

    return _Classes(
        stopped=SearchStopped,
        hypermodel=DigitpadHyperModel,
        random=tuner_class(keras_tuner.RandomSearch),
        grid=tuner_class(keras_tuner.GridSearch),
        hyperband=tuner_class(keras_tuner.Hyperband),
    )


# ----------------------------------------------------------------------------- the window's job


def relay_key(report: object) -> Hashable:
    """A trial's batches are bundled; its start and its result come alone."""
    return report.trial if isinstance(report, TuningProgress) else None


def is_urgent(report: object) -> bool:
    """A trial's start and result, and its epochs' validation points: handed on at once."""
    return isinstance(report, TuningProgress) and (report.training is None or report.training.kind == "epoch")


def tuning_job(
    source: str | Path,
    space: SearchSpace,
    base: TrainingSpec,
    algorithm: str,
    max_trials: int,
    library: ModelLibrary,
    progress: Callable[[tuple[object, ...]], None],
    stop_event: StopSignal,
    *,
    per_second: float = REPORTS_PER_SECOND,
) -> TuningResult | None:
    """The window's job (picklable, for the engine): `tune`, saving the best model into `library`
    there, its reports bundled by a `ProgressRelay` (`per_second` bundles at most). Its result
    is the `TuningResult` (the best model as the file it was saved to), or None when a stop
    came before the first trial finished."""
    relay: ProgressRelay[object] = ProgressRelay(progress, per_second=per_second, key=relay_key, urgent=is_urgent)
    try:
        return tune(source, space, base=base, algorithm=algorithm, max_trials=max_trials, library=library,
                    progress=relay, stop_event=stop_event)
    except Cancelled:
        return None
    finally:
        relay.flush()
