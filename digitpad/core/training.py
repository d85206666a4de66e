"""Train a model from a `TrainingSpec`: one plain function shared by the CLI and the Train tab.

`train` is `model.fit` plus one light callback that records the history, reports progress and
honours a stop request. The callback reads only the logs Keras has already turned into Python
floats, so it adds no device synchronisation and keeps throughput at bare `fit` speed
(benchmarks/bench_training.py measures it). Keras is imported inside functions so that specs
can be built and stored before TensorFlow has loaded.

With a `tensorboard_dir`, Keras' own `TensorBoard` callback also writes the run's logs, each run
in a folder of its own, for people who already read their runs in TensorBoard.
"""

from __future__ import annotations

import importlib.util
import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digitpad.core.architectures import ArchitectureSpec, LayerSummary, build_model, summarize
from digitpad.core.cancellation import StopSignal
from digitpad.core.errors import DataError, DigitpadError, ModelError, StorageError

if TYPE_CHECKING:
    import keras

OPTIMIZERS: tuple[str, ...] = ("adam", "sgd", "rmsprop")
# "cosine" anneals the rate to a hundredth of its start over the run, so the last epochs settle
# into a minimum instead of bouncing around it; the shipped model's recipe uses it.
LR_SCHEDULES: tuple[str, ...] = ("constant", "cosine")
COSINE_FINAL_FRACTION = 0.01
NUM_CLASSES = 10
BATCH_KEYS: tuple[str, ...] = ("loss", "accuracy")
EPOCH_KEYS: tuple[str, ...] = ("loss", "accuracy", "val_loss", "val_accuracy")


@dataclass(frozen=True)
class TrainingSpec:
    """The hyperparameters of one training run; stored with the model so it can be reproduced."""

    architecture: ArchitectureSpec = field(default_factory=ArchitectureSpec)
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    epochs: int = 5
    batch_size: int = 64
    validation_split: float = 0.1
    early_stopping: int | None = None
    seed: int = 0
    lr_schedule: str = "constant"

    def __post_init__(self) -> None:
        # Settings arrive from the GUI, the CLI and model files: fail with a readable sentence
        # here rather than with a Keras traceback minutes into a run.
        if self.optimizer not in OPTIMIZERS:
            raise DigitpadError(
                f"Unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}."
            )
        if not self.learning_rate > 0.0:
            raise DigitpadError(f"The learning rate must be above 0, not {self.learning_rate}.")
        if self.epochs < 1:
            raise DigitpadError(f"Training needs at least 1 epoch, not {self.epochs}.")
        if self.batch_size < 1:
            raise DigitpadError(f"The batch size must be at least 1, not {self.batch_size}.")
        if not 0.0 <= self.validation_split < 1.0:
            raise DigitpadError(
                f"The validation split must be at least 0 and below 1, not {self.validation_split}."
            )
        if self.lr_schedule not in LR_SCHEDULES:
            raise DigitpadError(
                f"Unknown learning-rate schedule {self.lr_schedule!r}; choose one of {', '.join(LR_SCHEDULES)}."
            )
        if self.early_stopping is not None and self.early_stopping < 1:
            raise DigitpadError(
                f"Early stopping patience must be at least 1 epoch, not {self.early_stopping}."
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingSpec:
        """Rebuild from `to_dict` output; unknown keys are ignored so newer files still load."""
        defaults = cls()
        try:
            patience = data.get("early_stopping", defaults.early_stopping)
            return cls(
                architecture=ArchitectureSpec.from_dict(data.get("architecture") or {}),
                optimizer=str(data.get("optimizer", defaults.optimizer)),
                learning_rate=float(data.get("learning_rate", defaults.learning_rate)),
                epochs=int(data.get("epochs", defaults.epochs)),
                batch_size=int(data.get("batch_size", defaults.batch_size)),
                validation_split=float(data.get("validation_split", defaults.validation_split)),
                early_stopping=None if patience is None else int(patience),
                seed=int(data.get("seed", defaults.seed)),
                lr_schedule=str(data.get("lr_schedule", defaults.lr_schedule)),
            )
        except (TypeError, ValueError, AttributeError) as error:
            raise DigitpadError(f"The training settings are malformed: {error}.") from error


@dataclass(frozen=True)
class TrainingProgress:
    """One report, after every batch and after every completed epoch."""

    kind: str  # "batch" | "epoch"
    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based within the epoch
    batches_per_epoch: int
    logs: dict[str, float]  # Keras' running epoch means; val_* only at epoch end
    samples_per_second: float  # within the current epoch, validation excluded
    seconds_left: float | None  # None until there is a second batch to time


@dataclass
class TrainingRun:
    """The trained model and how training went.

    `batch_history` holds Keras' running mean of the epoch so far after each batch;
    `epoch_history` one value per completed epoch (val_* lists stay empty without validation).
    `samples_per_second` counts time spent on training batches only, not validation.
    """

    model: keras.Model | None  # None once handed over to the window: the model is then a file
    spec: TrainingSpec
    batch_history: dict[str, list[float]]
    epoch_history: dict[str, list[float]]
    duration_s: float
    samples_per_second: float
    stopped_by_user: bool
    stopped_early: bool
    epochs_completed: int
    tensorboard_dir: Path | None = None  # this run's own TensorBoard log folder, when it wrote one

    @property
    def keras_model(self) -> keras.Model:
        """The model in memory; only the process that trained it has it (see `training_jobs`)."""
        if self.model is None:
            raise ModelError("This model was handed over as a file; load the file to use it.")
        return self.model


@dataclass(frozen=True)
class ModelSummary:
    """A network's layers and weight counts, before any training: what the Train tab lists."""

    name: str
    layers: tuple[LayerSummary, ...]
    trainable: int  # fewer than `total` with batch normalization, whose moving statistics are not trained

    @property
    def total(self) -> int:
        return sum(layer.params for layer in self.layers)


def summarize_architecture(spec: ArchitectureSpec) -> ModelSummary:
    """Build the network `spec` describes (no training; Keras takes a few tens of ms) to list it."""
    model = build_model(spec, NUM_CLASSES)
    trainable = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
    return ModelSummary(spec.name, tuple(summarize(model)), trainable)


def prepare_images(x: np.ndarray) -> np.ndarray:
    """Dataset images (uint8 0-255, or floats already in [0,1]) as model input (N,28,28,1) float32."""
    x = np.asarray(x)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise DataError(f"Training images must have shape (N, 28, 28), not {x.shape}.")
    if x.dtype == np.uint8:
        return (x.astype(np.float32) / np.float32(255.0))[..., None]
    return x.astype(np.float32, copy=False)[..., None]


def prepare_labels(y: np.ndarray, count: int) -> np.ndarray:
    y = np.asarray(y)
    if y.shape != (count,):
        raise DataError(f"Expected {count} labels for {count} images, got an array of shape {y.shape}.")
    if not np.issubdtype(y.dtype, np.integer) or (count and (y.min() < 0 or y.max() >= NUM_CLASSES)):
        raise DataError(f"Labels must be whole numbers from 0 to {NUM_CLASSES - 1}.")
    return y.astype(np.int32)


def compile_model(model: keras.Model, spec: TrainingSpec, steps_per_epoch: int = 1) -> None:
    """Attach optimizer, loss and metric: shared with the benchmark so both sides train alike.

    `steps_per_epoch` sizes the cosine schedule, which needs the run's length in batches.
    """
    import keras

    rate: float | keras.optimizers.schedules.LearningRateSchedule = spec.learning_rate
    if spec.lr_schedule == "cosine":
        rate = keras.optimizers.schedules.CosineDecay(
            spec.learning_rate, decay_steps=spec.epochs * steps_per_epoch, alpha=COSINE_FINAL_FRACTION
        )
    if spec.optimizer == "adam":
        optimizer = keras.optimizers.Adam(learning_rate=rate)
    elif spec.optimizer == "rmsprop":
        optimizer = keras.optimizers.RMSprop(learning_rate=rate)
    else:
        # Plain SGD crawls at the learning rates users try first; momentum is the usual default.
        optimizer = keras.optimizers.SGD(learning_rate=rate, momentum=0.9)
    model.compile(
        optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )


def train(
    x_train: np.ndarray,
    y_train: np.ndarray,
    spec: TrainingSpec,
    *,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    progress: Callable[[TrainingProgress], None] | None = None,
    stop_event: StopSignal | None = None,
    tensorboard_dir: str | Path | None = None,
    build: Callable[[], keras.Model] | None = None,
) -> TrainingRun:
    """Build and fit `spec.architecture` on the images (or the network `build` makes: an
    architecture file's, whose layers replace the spec's architecture settings).

    Validation uses `validation_data` when given, else a seeded random `spec.validation_split`
    of the images. Setting `stop_event` ends training after the current batch and keeps the
    weights reached. With early stopping, the weights of the epoch with the lowest validation
    loss are restored when training ends, however it ends. With `tensorboard_dir`, Keras'
    `TensorBoard` callback logs the run in a new folder inside it (`tensorboard_run_dir`).
    """
    import keras

    started = time.perf_counter()
    x = prepare_images(x_train)
    y = prepare_labels(y_train, len(x))
    if validation_data is not None:
        x_val = prepare_images(validation_data[0])
        validation = (x_val, prepare_labels(validation_data[1], len(x_val)))
    elif spec.validation_split > 0.0:
        x, y, validation = split_validation(x, y, spec.validation_split, spec.seed)
    else:
        validation = None
    if len(x) == 0:
        raise DataError("There are no training images.")
    if spec.early_stopping is not None and validation is None:
        raise DigitpadError(
            "Early stopping needs validation images: set a validation split above 0."
        )

    keras.utils.set_random_seed(spec.seed)  # before building: the first weights are seeded too
    model = build() if build is not None else build_model(spec.architecture, NUM_CLASSES)
    compile_model(model, spec, steps_per_epoch=-(-len(x) // spec.batch_size))
    monitor = TrainingMonitor(
        model,
        sample_count=len(x),
        batch_size=spec.batch_size,
        epochs=spec.epochs,
        progress=progress,
        stop_event=stop_event,
    )
    callbacks: list[keras.callbacks.Callback] = [monitor.callback()]
    early_stopping = None
    if spec.early_stopping is not None:
        early_stopping = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=spec.early_stopping, restore_best_weights=True
        )
        callbacks.append(early_stopping)
    log_dir = None
    if tensorboard_dir is not None:
        # Its summaries reach the files as they are written: a stopped run keeps its epochs' logs.
        log_dir = tensorboard_run_dir(tensorboard_dir, spec)
        callbacks.append(keras.callbacks.TensorBoard(log_dir=str(log_dir)))

    try:
        model.fit(
            x,
            y,
            batch_size=spec.batch_size,
            epochs=spec.epochs,
            validation_data=validation,
            shuffle=True,
            callbacks=callbacks,
            verbose=0,
        )
    except StopRequested:
        # The weights reached so far stay in the model; with early stopping, the best ones.
        if early_stopping is not None and early_stopping.best_weights is not None:
            model.set_weights(early_stopping.best_weights)
    return monitor.run(
        spec,
        started,
        stopped_early=early_stopping is not None and early_stopping.stopped_epoch > 0,
        tensorboard_dir=log_dir,
    )


def tensorboard_installed() -> bool:
    """Whether the `tensorboard` package Keras' callback writes with is there; found without
    importing it, so the window can grey out its TensorBoard option before TensorFlow loads."""
    return importlib.util.find_spec("tensorboard") is not None


def check_tensorboard(root: str | Path) -> Path:
    """`root`, created if needed, once it is sure TensorBoard logs can be written there.

    TensorFlow no longer brings the `tensorboard` package, and without it Keras' callback fails
    at the end of the first epoch: callers check first (the CLI before loading its data), so a
    missing package or an unwritable folder is one sentence before any work, not a traceback after.
    """
    if not tensorboard_installed():
        raise DigitpadError(
            "Writing TensorBoard logs needs the tensorboard package, which is not installed "
            "(pip install tensorboard)."
        )
    folder = Path(root).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _log_folder_error(folder, error) from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(f"Cannot write TensorBoard logs to {folder}: the folder cannot be written to.")
    return folder


def tensorboard_run_dir(root: str | Path, spec: TrainingSpec) -> Path:
    """A new folder inside `root` for one run's logs, named by its local start time and
    architecture ("20250101-120301-digitpad-cnn", as Keras' examples name theirs), so that
    `tensorboard --logdir root` lists every run beside the others instead of mixing them."""
    folder = check_tensorboard(root)
    base = f"{datetime.now():%Y%m%d-%H%M%S}-{spec.architecture.name}"
    attempt = 1
    while True:
        candidate = folder / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            candidate.mkdir()
        except FileExistsError:  # another run started in the same second
            attempt += 1
        except OSError as error:
            raise _log_folder_error(candidate, error) from error
        else:
            return candidate


def _log_folder_error(folder: Path, error: OSError) -> StorageError:
    return StorageError(f"Cannot write TensorBoard logs to {folder}: {(error.strerror or str(error)).rstrip('.')}.")


class StopRequested(Exception):
    """Raised from the batch callback to leave `model.fit` at once on a user's stop."""


class TrainingDiverged(DigitpadError):
    """The loss stopped being a number: the weights are garbage, so nothing should be saved."""


def split_validation(
    x: np.ndarray, y: np.ndarray, fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """(x_train, y_train, (x_val, y_val)) holding out a random `fraction` of the images.

    Random rather than Keras' "last rows" so a sorted dataset still validates on every class;
    seeded so that a spec always validates on the same images.
    """
    held_out = max(1, round(len(x) * fraction))
    if held_out >= len(x):
        raise DataError(
            f"{len(x)} images are too few to hold out {fraction:.0%} for validation."
        )
    order = np.random.default_rng(seed).permutation(len(x))
    train_rows, validation_rows = order[held_out:], order[:held_out]
    return x[train_rows], y[train_rows], (x[validation_rows], y[validation_rows])


class TrainingMonitor:
    """Keras callback hooks that record history, report progress and honour the stop event.

    Runs on every batch, so it only appends floats and reads the clock.
    """

    def __init__(
        self,
        model: keras.Model,
        *,
        sample_count: int,
        batch_size: int,
        epochs: int,
        progress: Callable[[TrainingProgress], None] | None,
        stop_event: StopSignal | None,
    ) -> None:
        self._model = model
        self._sample_count = sample_count
        self._batch_size = batch_size
        self._epochs = epochs
        self._batches_per_epoch = -(-sample_count // batch_size)
        self._progress = progress
        self._stop_event = stop_event
        self.batch_history: dict[str, list[float]] = {key: [] for key in BATCH_KEYS}
        self.epoch_history: dict[str, list[float]] = {key: [] for key in EPOCH_KEYS}
        self.stopped_by_user = False
        self.epochs_completed = 0
        self._epoch = 0
        self._batch = 0
        self._epoch_started = 0.0
        self._last_batch_end = 0.0
        self._batches_done = 0
        self._first_batch_end = 0.0
        self._training_seconds = 0.0
        self._samples_done = 0

    def epoch_begin(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        self._epoch = epoch + 1
        self._batch = 0
        self._epoch_started = self._last_batch_end = time.perf_counter()

    def batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        now = time.perf_counter()
        self._batch += 1
        self._batches_done += 1
        if self._batches_done == 1:
            self._first_batch_end = now
        self._last_batch_end = now
        logs = logs or {}
        for key in BATCH_KEYS:
            self.batch_history[key].append(logs.get(key, float("nan")))
        loss = logs.get("loss")
        if loss is not None and not math.isfinite(loss):
            raise TrainingDiverged(
                f"Training diverged: the loss became {loss} in epoch {self._epoch}, batch {self._batch}, "
                "so the model was not kept. Try a lower learning rate."
            )
        if self._progress is not None:
            self._progress(self._report("batch", logs, now))
        if self._stop_event is not None and self._stop_event.is_set():
            self.stopped_by_user = True
            # Not `model.stop_training`: Keras would still run the epoch's validation pass
            # (over a second for a CNN), and Stop must answer within one batch.
            raise StopRequested

    def epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        epoch_samples = min(self._batch * self._batch_size, self._sample_count)
        self._training_seconds += self._last_batch_end - self._epoch_started
        self._samples_done += epoch_samples
        if self._batch < self._batches_per_epoch:
            return  # interrupted by a stop request: its numbers cover part of an epoch only
        self.epochs_completed += 1
        logs = logs or {}
        for key in EPOCH_KEYS:
            if key in logs:
                self.epoch_history[key].append(logs[key])
        if self._progress is not None:
            self._progress(self._report("epoch", logs, time.perf_counter()))

    def samples_per_second(self) -> float:
        return self._samples_done / self._training_seconds if self._training_seconds > 0 else 0.0

    def callback(self) -> keras.callbacks.Callback:
        """The hooks as the Keras callback `model.fit` takes."""
        import keras

        return keras.callbacks.LambdaCallback(
            on_epoch_begin=self.epoch_begin, on_train_batch_end=self.batch_end, on_epoch_end=self.epoch_end
        )

    def run(
        self, spec: TrainingSpec, started: float, *, stopped_early: bool = False, tensorboard_dir: Path | None = None
    ) -> TrainingRun:
        """What the fit that these hooks watched produced, from `started` (perf_counter) on."""
        return TrainingRun(
            model=self._model,
            spec=spec,
            batch_history=self.batch_history,
            epoch_history=self.epoch_history,
            duration_s=time.perf_counter() - started,
            samples_per_second=self.samples_per_second(),
            stopped_by_user=self.stopped_by_user,
            stopped_early=stopped_early,
            epochs_completed=self.epochs_completed,
            tensorboard_dir=tensorboard_dir,
        )

    def _report(self, kind: str, logs: dict[str, float], now: float) -> TrainingProgress:
        epoch_samples = min(self._batch * self._batch_size, self._sample_count)
        elapsed = self._last_batch_end - self._epoch_started
        remaining = self._epochs * self._batches_per_epoch - self._batches_done
        if remaining == 0:
            seconds_left: float | None = 0.0
        elif self._batches_done > 1:
            # Timed from the end of the first batch, which also paid for graph tracing;
            # validation passes fall inside the span and so are included in the estimate.
            seconds_left = (now - self._first_batch_end) / (self._batches_done - 1) * remaining
        else:
            seconds_left = None
        return TrainingProgress(
            kind=kind,
            epoch=self._epoch,
            epochs=self._epochs,
            batch=self._batch,
            batches_per_epoch=self._batches_per_epoch,
            logs=dict(logs),
            samples_per_second=epoch_samples / elapsed if elapsed > 0 else 0.0,
            seconds_left=seconds_left,
        )
