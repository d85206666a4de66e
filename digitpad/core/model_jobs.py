"""The Models side's jobs, each one function shaped `job(..., progress, stop_event)`.

Listing the library, loading a predictor, comparing models on a test set, evaluating one, and
importing, renaming and deleting models: the window runs these on a worker thread (they read
files, parse archives and may import TensorFlow, which would freeze it), and the CLI can call
the very same functions. `progress` receives `JobProgress` (a fraction and a sentence);
`stop_event` is checked between steps, and a job that sees it set raises `Cancelled` (see
`cancellation`), so "stopped" is never mistaken for "failed". Library changes are the
exception: each file is one atomic step, and a stopped import or delete returns what it did.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from digitpad.core.cancellation import Cancelled, StopSignal, raise_if_stopped
from digitpad.core.comparison import Comparison, compare_models
from digitpad.core.datasets import Dataset, load_test_set
from digitpad.core.engine import Engine, call
from digitpad.core.engine_models import Outcome, convert_files, engine_predictor
from digitpad.core.errors import DigitpadError, ModelError
from digitpad.core.evaluated_set import EvaluatedSet
from digitpad.core.evaluation import (
    Evaluation,
    evaluate,
    test_set_warnings,
)
from digitpad.core.file_cache import FileCache
from digitpad.core.inference import Predictor
from digitpad.core.inference_description import LayerInfo
from digitpad.core.library import LibraryEntry, ModelLibrary
from digitpad.core.model_file import (
    digit_input_shape,
    load_keras_model,
    read_metadata,
    read_model_archive,
)
from digitpad.core.weights_file import count_weights

if TYPE_CHECKING:
    pass

LOAD_SHARE = 0.1  # of a test-set job's progress, for reading the test set
WARM_UP_IMAGES = 256
# Images per predict call on a test set: small enough that one call (which may hold the GIL)
# never stalls the window, large enough that per-call overhead stays negligible.
EVALUATION_BATCH = 256

T = TypeVar("T")

@dataclass(frozen=True)
class JobProgress:
    fraction: float  # 0..1 of the whole job
    text: str


ProgressCallback = Callable[[JobProgress], None]


def no_progress(_update: JobProgress) -> None:
    """For callers (tests, scripts) that do not show progress."""


def count_stored_weights(path: Path) -> int:
    """A .keras file's parameter count from its weights file alone (see `count_weights`)."""
    return count_weights(path, read_model_archive(path).weights)


def predictor_cache(engine: Engine) -> FileCache[Predictor]:
    """Loaded predictors by file: using and comparing a model loads it once."""
    return FileCache(partial(_load_predictor_file, engine=engine))


def _load_predictor_file(path: Path, engine: Engine) -> Predictor:
    return load_for_the_window(path, threading.Event(), engine)


def convert(paths: Sequence[Path], stop_event: StopSignal, engine: Engine) -> list[Outcome]:
    """Each file converted anew in `engine` (see `engine_models.convert_files`), which has
    TensorFlow loaded already; the converter never holds this process' GIL."""
    outcomes: list[Outcome] = engine.run(partial(convert_files, list(paths)), no_progress, stop_event)
    return outcomes


def load_for_the_window(path: Path, stop_event: StopSignal, engine: Engine) -> Predictor:
    """`Predictor.load` without TensorFlow in this process: any conversion is done in `engine`
    (`convert`), stoppably, and a model LiteRT cannot represent is run by Keras there.

    A file with a current stored form needs neither TensorFlow nor the engine: "use for
    drawing" must not wait for TensorFlow to start.
    """
    archive = read_model_archive(path)
    if archive.converted is not None:
        try:
            return Predictor.from_converted(path, archive.metadata, archive.converted)
        except ModelError:
            pass  # a damaged stored form: the Keras weights may still be fine, convert them anew
    (outcome,) = convert([path], stop_event, engine)
    if isinstance(outcome, str):
        raise ModelError(outcome)
    if outcome is not None:
        return Predictor.from_converted(path, archive.metadata, outcome)
    return engine_predictor(path, archive.metadata, engine)


def weight_count_cache() -> FileCache[int]:
    """Parameter counts of plain Keras files, which carry no metadata to read them from."""
    return FileCache(count_stored_weights)


# ----------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class ListedModel:
    """A model file as the library views show it."""

    entry: LibraryEntry
    shipped: bool = False
    param_count: int | None = None  # from the metadata, or counted from the weights
    problem: str | None = None      # why the file cannot be used


@dataclass(frozen=True)
class LibraryListing:
    models: tuple[ListedModel, ...]      # the shipped default first, then the library, newest first
    library_count: int
    problem: str | None = None           # the library folder itself could not be read
    root: Path = field(default_factory=Path)

    def library_entries(self) -> list[LibraryEntry]:
        return [model.entry for model in self.models if not model.shipped]


def list_models(
    library: ModelLibrary,
    shipped_path: Path | None,
    progress: ProgressCallback,
    stop_event: threading.Event,
    *,
    weight_counts: FileCache[int] | None = None,
) -> LibraryListing:
    """Every model with what the table shows: metadata, and for plain Keras files the weights
    counted from the file (cached in `weight_counts` when given)."""
    progress(JobProgress(0.0, "Reading the model library…"))
    listed: list[ListedModel] = []
    if shipped_path is not None and shipped_path.is_file():
        listed.append(_shipped(shipped_path))
    problem = None
    try:
        entries = library.entries()
    except DigitpadError as error:
        entries, problem = [], f"Cannot read the model library: {error}"
    counts = weight_counts if weight_counts is not None else weight_count_cache()
    for done, entry in enumerate(entries):
        raise_if_stopped(stop_event, "reading the model library")
        listed.append(_with_parameter_count(entry, counts))
        progress(JobProgress((done + 1) / len(entries), "Reading the model library…"))
    counts.forget_missing()
    return LibraryListing(tuple(listed), len(entries), problem, library.root)


def _shipped(path: Path) -> ListedModel:
    info = path.stat()
    try:
        metadata = read_metadata(path)
    except DigitpadError:
        metadata = None
    entry = LibraryEntry(
        name=metadata.name if metadata is not None else path.stem,
        path=path,
        metadata=metadata,
        file_size=info.st_size,
        modified=datetime.fromtimestamp(info.st_mtime).astimezone(),
    )
    return ListedModel(entry, shipped=True, param_count=(metadata.param_count or None) if metadata else None)


def _with_parameter_count(entry: LibraryEntry, counts: FileCache[int]) -> ListedModel:
    """Plain Keras files carry no metadata, but their weights say how many there are; a file
    that cannot be read is marked with the reason instead."""
    if entry.metadata is not None and entry.metadata.param_count:
        return ListedModel(entry, param_count=entry.metadata.param_count)
    try:
        return ListedModel(entry, param_count=counts.get(Path(entry.path)))
    except DigitpadError as error:
        return ListedModel(entry, problem=str(error))


# ----------------------------------------------------------------------------- predictors


def load_predictor(
    path: Path,
    progress: ProgressCallback,
    stop_event: threading.Event,
    *,
    engine: Engine,
    cache: FileCache[Predictor] | None = None,
) -> Predictor:
    """The model at `path`, ready to predict; conversions and Keras run in `engine` if given.

    A file without an embedded fast-path model may import TensorFlow, which takes seconds and
    cannot be interrupted, which is why this only ever runs on a worker thread.
    """
    raise_if_stopped(stop_event, f"loading {path.name}")
    progress(JobProgress(0.0, f"Loading {path.name}…"))
    if cache is not None and (cached := cache.peek(path)) is not None:
        return cached

    def load(file: Path) -> Predictor:
        return load_for_the_window(file, stop_event, engine)

    predictor = cache.get(path, load) if cache is not None else load(path)
    progress(JobProgress(1.0, f"Loaded {path.name}."))
    return predictor


def load_predictors(
    paths: Sequence[Path],
    progress: ProgressCallback,
    stop_event: threading.Event,
    *,
    engine: Engine,
    cache: FileCache[Predictor] | None = None,
) -> list[Predictor]:
    """Every model, in order; the first that cannot be loaded raises."""
    predictors = []
    for done, path in enumerate(paths):
        predictors.append(load_predictor(path, no_progress, stop_event, cache=cache, engine=engine))
        progress(JobProgress((done + 1) / len(paths), f"Loaded {path.name}."))
    return predictors


@dataclass(frozen=True)
class ModelLayers:
    """What the Details page lists: the layers and the number of weights."""

    layers: tuple[LayerInfo, ...]
    num_params: int

    @classmethod
    def of(cls, predictor: Predictor) -> ModelLayers:
        return cls(tuple(predictor.layers), predictor.num_params)


def read_layers(path: Path, engine: Engine) -> ModelLayers:
    """A model file's layers, without converting it.

    A file digitpad converted keeps the listing in its archive. Any other file is loaded by
    Keras, but not converted (conversion waits until the model is used), in `engine`, so that
    the window's process never imports TensorFlow merely because someone browses the library.
    """
    archive = read_model_archive(path)
    if archive.converted is not None:
        return ModelLayers(tuple(archive.converted.description.layers), archive.converted.description.num_params)
    layers: ModelLayers = call(engine, keras_layers, path)
    return layers


def keras_layers(path: Path) -> ModelLayers:
    """The layers of a model file as Keras loads it: an engine job."""
    from digitpad.core import conversion  # imports Keras

    model = load_keras_model(path)
    input_shape = digit_input_shape(path.name, [tuple(tensor.shape[1:]) for tensor in model.inputs])
    description = conversion.describe(model, input_shape)
    return ModelLayers(tuple(description.layers), description.num_params)


def layers_cache(engine: Engine) -> FileCache[ModelLayers]:
    """Layer listings by file, for browsing the library; Keras files are read in `engine`."""
    return FileCache(partial(read_layers, engine=engine))


def describe_layers(
    path: Path,
    progress: ProgressCallback,
    stop_event: threading.Event,
    *,
    cache: FileCache[ModelLayers],
    predictors: FileCache[Predictor] | None = None,
) -> ModelLayers:
    """The job behind selecting a model: its layers, from a loaded predictor when there is one."""
    raise_if_stopped(stop_event, f"reading {path.name}")
    predictor = predictors.peek(path) if predictors is not None else None
    if predictor is not None:
        return ModelLayers.of(predictor)
    progress(JobProgress(0.0, f"Reading {path.name}…"))
    return cache.get(path)


# ----------------------------------------------------------------------------- test sets


@dataclass(frozen=True)
class TestSetComparison:
    comparison: Comparison
    test_label: str
    warnings: tuple[str, ...]
    dataset: Dataset  # the images behind the figures, for each model's evaluation view

    def evaluated(self, index: int) -> EvaluatedSet:
        """Model `index`'s evaluation with the test images, for its evaluation view."""
        result = self.comparison.results[index]
        return evaluated_set(self.dataset, result.evaluation, result.name, self.warnings)


@dataclass(frozen=True)
class TestSetEvaluation:
    evaluation: Evaluation
    test_label: str
    warnings: tuple[str, ...]
    evaluated: EvaluatedSet
    test_data: dict[str, str | int]  # {"name", "size"}, as models record what they were measured on


def evaluated_set(dataset: Dataset, evaluation: Evaluation, model_name: str, warnings: Sequence[str] = ()) -> EvaluatedSet:
    """`evaluation` of the model on `dataset`'s test images, with those images."""
    return EvaluatedSet(
        evaluation=evaluation,
        images=dataset.x_test,
        labels=dataset.y_test,
        class_names=tuple(dataset.class_names),
        test_label=dataset.test_label,
        model_name=model_name,
        warnings=tuple(warnings),
    )


def compare_on_test_set(
    source: str | Path,
    predictors: Sequence[Predictor],
    names: Sequence[str],
    progress: ProgressCallback,
    stop_event: threading.Event,
) -> TestSetComparison:
    """Read the test set, then run every model on the same images."""
    dataset = _read_test_set(source, progress, stop_event)
    x, y = dataset.x_test, dataset.y_test

    def model_progress(fraction: float) -> None:
        index = min(int(fraction * len(names)), len(names) - 1)
        text = f"Evaluating {names[index]} ({index + 1} of {len(names)}) on {len(y):,} images…"
        progress(JobProgress(LOAD_SHARE + (1 - LOAD_SHARE) * fraction, text))

    model_progress(0.0)
    warm_up = x[:WARM_UP_IMAGES].astype(np.float32) / np.float32(255.0)  # datasets are uint8
    for predictor in predictors:  # so that the first model's ms / image does not pay for cold caches
        raise_if_stopped(stop_event, "evaluating")
        predictor.predict_prepared(warm_up)
    comparison = compare_models(predictors, x, y, progress=model_progress, stop_event=stop_event,
                                batch_size=EVALUATION_BATCH)
    warnings = test_set_warnings(dataset, (predictor.metadata for predictor in predictors))
    return TestSetComparison(comparison, dataset.test_label, tuple(warnings), dataset)


def evaluate_on_test_set(
    source: str | Path,
    predictor: Predictor,
    progress: ProgressCallback,
    stop_event: threading.Event,
) -> TestSetEvaluation:
    """One model on a test set (`digitpad evaluate`)."""
    dataset = _read_test_set(source, progress, stop_event)
    text = f"Evaluating {predictor.path.name} on {len(dataset.y_test):,} images…"
    evaluation = evaluate(
        predictor.predict_prepared, dataset.x_test, dataset.y_test, stop_event=stop_event, batch_size=EVALUATION_BATCH,
        progress=lambda f: progress(JobProgress(LOAD_SHARE + (1 - LOAD_SHARE) * f, text)),
    )
    warnings = test_set_warnings(dataset, [predictor.metadata])
    name = predictor.metadata.name if predictor.metadata is not None and predictor.metadata.name else predictor.path.stem
    return TestSetEvaluation(evaluation, dataset.test_label, tuple(warnings),
                             evaluated_set(dataset, evaluation, name, warnings), dataset.test_data)


@dataclass(frozen=True)
class ModelEvaluation:
    """A model file measured on a test set, with the loaded model, which explains single answers."""

    predictor: Predictor
    outcome: TestSetEvaluation


def evaluate_model_file(
    path: Path,
    source: str | Path,
    progress: ProgressCallback,
    stop_event: threading.Event,
    *,
    engine: Engine,
    cache: FileCache[Predictor] | None = None,
) -> ModelEvaluation:
    """The job behind a model's Evaluate page: load it (from `cache` when it was), then measure it."""
    predictor = load_predictor(path, progress, stop_event, engine=engine, cache=cache)
    return ModelEvaluation(predictor, evaluate_on_test_set(source, predictor, progress, stop_event))


def _read_test_set(source: str | Path, progress: ProgressCallback, stop_event: threading.Event) -> Dataset:
    text = "Reading the test set…"
    progress(JobProgress(0.0, text))
    dataset = load_test_set(source, progress=lambda f: progress(JobProgress(LOAD_SHARE * f, text)),
                            stop_event=stop_event)
    raise_if_stopped(stop_event, "reading the test set")
    return dataset


# ----------------------------------------------------------------------------- library changes


@dataclass(frozen=True)
class ImportOutcome:
    imported: tuple[LibraryEntry, ...]
    failures: tuple[str, ...]  # one sentence per file that could not be imported


def import_models(
    library: ModelLibrary,
    paths: Sequence[Path],
    progress: ProgressCallback,
    stop_event: threading.Event,
    engine: Engine,
) -> ImportOutcome:
    """Copy each file into the library after checking digitpad can use it; a bad file is
    reported and skipped, the others still come in. Stopping keeps those already imported.

    All files are converted in one go, in `engine` (`convert`); each then comes in as one
    atomic step.
    """
    imported: list[LibraryEntry] = []
    failures: list[str] = []
    progress(JobProgress(0.0, f"Checking {', '.join(path.name for path in paths)}…"))
    try:
        outcomes = convert(paths, stop_event, engine)
    except Cancelled:
        return ImportOutcome((), ())
    except DigitpadError as error:  # the converter itself failed: no file was checked
        return ImportOutcome((), (str(error),))
    for done, (path, outcome) in enumerate(zip(paths, outcomes, strict=True)):
        if stop_event.is_set():
            break
        progress(JobProgress(done / len(paths), f"Importing {path.name}…"))
        try:
            if isinstance(outcome, str):
                raise ModelError(outcome)
            if outcome is None:  # LiteRT cannot represent it: Keras checks it, in the engine
                entry: LibraryEntry = call(engine, library.import_file, path, stop_event=stop_event)
                imported.append(entry)
            else:
                imported.append(library.import_file(path, converted=outcome))
        except DigitpadError as error:
            failures.append(str(error))
        except OSError as error:
            failures.append(f"Cannot read {path}: {error.strerror or error}.")
    return ImportOutcome(tuple(imported), tuple(failures))


def rename_model(
    library: ModelLibrary, name: str, new_name: str, progress: ProgressCallback, stop_event: threading.Event
) -> LibraryEntry:
    """Rename one model (its file and embedded name); one atomic step, so never stopped half-way."""
    progress(JobProgress(0.0, f"Renaming {name}…"))
    try:
        return library.rename(name, new_name)
    except OSError as error:
        raise ModelError(f"Cannot rename {name}: {error.strerror or error}.") from error


@dataclass(frozen=True)
class DeleteOutcome:
    deleted: tuple[str, ...]
    failure: str | None  # why the first model that could not be deleted stayed (the rest were not tried)


def delete_models(
    library: ModelLibrary, names: Sequence[str], progress: ProgressCallback, stop_event: threading.Event
) -> DeleteOutcome:
    """Delete models in order, stopping at the first failure or when asked."""
    deleted: list[str] = []
    for done, name in enumerate(names):
        if stop_event.is_set():
            break
        progress(JobProgress(done / len(names), f"Deleting {name}…"))
        try:
            library.delete(name)
        except DigitpadError as error:
            return DeleteOutcome(tuple(deleted), str(error))
        except OSError as error:
            return DeleteOutcome(tuple(deleted), f"Cannot delete {name}: {error.strerror or error}.")
        deleted.append(name)
    return DeleteOutcome(tuple(deleted), None)

