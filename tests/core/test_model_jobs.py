"""The Models side's jobs, headless: what they return, what they cache, and that they stop.

Two tiny Keras models are built once per module (TensorFlow is imported once): one saved by
digitpad (with its description and converted form) and one plain Keras file.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import model_jobs
from digitpad.core.cancellation import Cancelled
from digitpad.core.engine import ThreadEngine
from digitpad.core.file_cache import FileCache
from digitpad.core.inference import Predictor
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import ModelMetadata
from digitpad.core.model_jobs import JobProgress

DENSE_PARAMS = 28 * 28 * 10 + 10
ENGINE = ThreadEngine()  # conversions and Keras, in this process as the window would have them in its engine


@dataclass(frozen=True)
class Files:
    saved: Path    # digitpad's own file: description and converted form inside
    plain: Path    # a plain Keras file: no description, no converted form


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    import keras

    root = tmp_path_factory.mktemp("model-jobs")

    def tiny(seed: int) -> keras.Model:
        keras.utils.set_random_seed(seed)
        return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                 keras.layers.Dense(10, activation="softmax")])

    saved = ModelLibrary(root / "made").save(tiny(1), ModelMetadata(name="saved", param_count=DENSE_PARAMS))
    plain = root / "plain.keras"
    tiny(2).save(plain)
    return Files(Path(saved.path), plain)


@pytest.fixture
def library(tmp_path: Path, files: Files) -> ModelLibrary:
    root = tmp_path / "library"
    root.mkdir()
    shutil.copy2(files.saved, root / "saved.keras")
    shutil.copy2(files.plain, root / "plain.keras")
    return ModelLibrary(root)


class Progress:
    def __init__(self) -> None:
        self.updates: list[JobProgress] = []

    def __call__(self, update: JobProgress) -> None:
        self.updates.append(update)


def stopped() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


# ----------------------------------------------------------------------------- listing


def test_list_models_describes_every_file_and_counts_plain_weights_once(
    library: ModelLibrary, files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    (library.root / "garbage.keras").write_bytes(b"not a model")
    counted: list[Path] = []
    real_count = model_jobs.count_stored_weights

    def counting(path: Path) -> int:
        counted.append(path)
        return real_count(path)

    monkeypatch.setattr(model_jobs, "count_stored_weights", counting)
    weights = model_jobs.weight_count_cache()
    progress = Progress()
    listing = model_jobs.list_models(library, files.saved, progress, threading.Event(), weight_counts=weights)
    again = model_jobs.list_models(library, files.saved, progress, threading.Event(), weight_counts=weights)

    by_name = {(model.entry.name, model.shipped): model for model in listing.models}
    assert listing.models[0].shipped and listing.library_count == 3
    assert by_name[("plain", False)].param_count == DENSE_PARAMS
    assert by_name[("saved", False)].param_count == DENSE_PARAMS and by_name[("saved", False)].problem is None
    assert "garbage.keras" in (by_name[("garbage", False)].problem or "")
    assert sorted(path.name for path in counted) == ["garbage.keras", "plain.keras"], "each file read once"
    assert [model.param_count for model in again.models] == [model.param_count for model in listing.models]
    assert progress.updates[-1].fraction == 1.0


def test_list_models_stops_when_asked(library: ModelLibrary) -> None:
    with pytest.raises(Cancelled):
        model_jobs.list_models(library, None, model_jobs.no_progress, stopped())


# ----------------------------------------------------------------------------- predictors


def test_load_predictor_is_cached_until_the_file_changes(library: ModelLibrary) -> None:
    cache = model_jobs.predictor_cache(ENGINE)
    path = library.root / "saved.keras"
    first = model_jobs.load_predictor(path, model_jobs.no_progress, threading.Event(), cache=cache, engine=ENGINE)
    assert model_jobs.load_predictor(path, model_jobs.no_progress, threading.Event(), cache=cache, engine=ENGINE) is first
    assert cache.peek(path) is first
    shutil.copy2(library.root / "plain.keras", path)  # same name, other model
    assert cache.peek(path) is None
    assert model_jobs.load_predictor(path, model_jobs.no_progress, threading.Event(), cache=cache, engine=ENGINE) is not first


def test_load_predictor_stops_before_reading(library: ModelLibrary) -> None:
    cache = model_jobs.predictor_cache(ENGINE)
    path = library.root / "saved.keras"
    with pytest.raises(Cancelled):
        model_jobs.load_predictor(path, model_jobs.no_progress, stopped(), cache=cache, engine=ENGINE)
    assert cache.peek(path) is None


def test_a_corrupt_file_fails_once_and_the_error_is_remembered(tmp_path: Path) -> None:
    path = tmp_path / "broken.keras"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    reads: list[Path] = []

    def read(file: Path) -> int:
        reads.append(file)
        return model_jobs.count_stored_weights(file)

    cache = FileCache(read)
    for _ in range(2):
        with pytest.raises(model_jobs.ModelError, match=r"broken\.keras"):
            cache.get(path)
    assert len(reads) == 1


def test_read_layers_of_a_plain_file_does_not_convert_it(
    files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digitpad.core import conversion

    def no_conversion(*args: object, **kwargs: object) -> None:
        raise AssertionError("browsing must not convert")

    monkeypatch.setattr(conversion, "convert", no_conversion)
    for path in (files.plain, files.saved):
        layers = model_jobs.read_layers(path, ENGINE)
        assert [layer.kind for layer in layers.layers] == ["Flatten", "Dense"]
        assert layers.num_params == DENSE_PARAMS
        assert layers.layers[-1].params == DENSE_PARAMS


def test_describe_layers_prefers_a_loaded_predictor(files: Files) -> None:
    predictors = model_jobs.predictor_cache(ENGINE)
    predictor = predictors.get(files.saved)
    layers = model_jobs.describe_layers(files.saved, model_jobs.no_progress, threading.Event(),
                                        cache=FileCache(_never_read), predictors=predictors)
    assert layers == model_jobs.ModelLayers.of(predictor)


def _never_read(path: Path) -> model_jobs.ModelLayers:
    raise AssertionError(f"{path} was read again")


# ----------------------------------------------------------------------------- test sets


class FixedPredictor(Predictor):
    """Answers a fixed label per image; can stop the job after its first batch.

    A Predictor for the jobs without a model behind it: it sets only what they read (path,
    num_params, metadata, predict_prepared), so it skips Predictor.__init__.
    `warm_up`: the comparison first runs every model once on a few images, ignored here.
    """

    def __init__(self, path: Path, labels: np.ndarray, stop_after_first: threading.Event | None = None,
                 *, warm_up: bool = True) -> None:
        self.path = path
        self.num_params = 10
        self.metadata = None
        self._labels = labels
        self._seen = 0
        self._stop = stop_after_first
        self._warm_up = warm_up

    def predict_prepared(self, x: np.ndarray) -> np.ndarray:
        if self._warm_up:
            self._warm_up = False
            labels = np.zeros(len(x), int)
        else:
            labels = self._labels[self._seen:self._seen + len(x)]
            self._seen += len(x)
        if self._stop is not None and self._seen:
            self._stop.set()
        probabilities = np.full((len(x), 10), 0.01, np.float32)
        probabilities[np.arange(len(x)), labels] = 0.91
        return probabilities


@pytest.fixture
def test_set(tmp_path: Path) -> tuple[Path, np.ndarray]:
    y = np.arange(600) % 10
    path = tmp_path / "test.npz"
    np.savez(path, x_test=np.zeros((600, 28, 28), np.uint8), y_test=y)
    return path, y


def test_compare_on_test_set_measures_every_model_on_the_same_images(
    tmp_path: Path, test_set: tuple[Path, np.ndarray]
) -> None:
    source, y = test_set
    right = FixedPredictor(tmp_path / "right.keras", y)
    wrong_on_sevens = FixedPredictor(tmp_path / "half.keras", np.where(y == 7, 1, y))
    progress = Progress()
    outcome = model_jobs.compare_on_test_set(source, [right, wrong_on_sevens], ["right", "half"],
                                             progress, threading.Event())
    accuracies = [result.evaluation.accuracy for result in outcome.comparison.results]
    assert accuracies == [pytest.approx(1.0), pytest.approx(0.9)]
    assert outcome.comparison.right_wrong.tolist() == [[0, 60], [0, 0]]
    assert outcome.comparison.image_count == 600
    sevens_read_as_ones = outcome.evaluated(1).select(true=7, predicted=1)
    assert len(sevens_read_as_ones) == 60 and set(y[sevens_read_as_ones]) == {7}
    assert outcome.evaluated(0).select(shown="mistakes").size == 0
    assert outcome.evaluated(1).model_name == "half"
    fractions = [update.fraction for update in progress.updates]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)


def test_compare_on_test_set_stops_between_batches(tmp_path: Path, test_set: tuple[Path, np.ndarray]) -> None:
    source, y = test_set
    stop = threading.Event()
    first = FixedPredictor(tmp_path / "first.keras", y, stop_after_first=stop)
    second = FixedPredictor(tmp_path / "second.keras", y)
    with pytest.raises(Cancelled):
        model_jobs.compare_on_test_set(source, [first, second], ["first", "second"],
                                       model_jobs.no_progress, stop)
    assert second._seen == 0, "the second model never ran"


def test_evaluate_on_test_set_scores_one_model_and_stops(tmp_path: Path, test_set: tuple[Path, np.ndarray]) -> None:
    source, y = test_set
    outcome = model_jobs.evaluate_on_test_set(source, FixedPredictor(tmp_path / "m.keras", np.where(y == 3, 4, y), warm_up=False),
                                              model_jobs.no_progress, threading.Event())
    assert outcome.evaluation.accuracy == pytest.approx(0.9)
    assert "600" in outcome.test_label
    assert outcome.test_data["size"] == 600
    mistakes = outcome.evaluated.select(shown="mistakes")
    assert len(mistakes) == 60 and set(outcome.evaluated.labels[mistakes]) == {3}
    assert set(outcome.evaluated.predicted[mistakes]) == {4}
    with pytest.raises(Cancelled):
        model_jobs.evaluate_on_test_set(source, FixedPredictor(tmp_path / "m.keras", y, warm_up=False),
                                        model_jobs.no_progress, stopped())


def test_evaluate_model_file_loads_the_shipped_model_once_and_measures_it(tmp_path: Path) -> None:
    from digitpad.core.resources import default_model_path, validation_digits_path

    data = np.load(validation_digits_path())
    source = tmp_path / "digits.npz"
    np.savez(source, x_test=data["x"][:300], y_test=data["y"][:300])
    cache = model_jobs.predictor_cache(ENGINE)
    first = model_jobs.evaluate_model_file(default_model_path(), source, model_jobs.no_progress, threading.Event(),
                                           cache=cache, engine=ENGINE)
    again = model_jobs.evaluate_model_file(default_model_path(), source, model_jobs.no_progress, threading.Event(),
                                           cache=cache, engine=ENGINE)
    assert again.predictor is first.predictor, "the second evaluation reuses the loaded model"
    assert first.outcome.evaluation.accuracy > 0.95
    assert first.outcome.evaluated.labels.tolist() == data["y"][:300].tolist()
    assert first.outcome.evaluation.accuracy == pytest.approx(float(np.mean(first.outcome.evaluated.predicted == data["y"][:300])))


# ----------------------------------------------------------------------------- library changes


def test_import_models_keeps_the_good_files_and_explains_the_bad(
    tmp_path: Path, files: Files, library: ModelLibrary
) -> None:
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a model")
    outcome = model_jobs.import_models(library, [files.plain, broken], model_jobs.no_progress, threading.Event(), ENGINE)
    assert [entry.name for entry in outcome.imported] == ["plain (2)"]
    assert len(outcome.failures) == 1 and "broken.keras" in outcome.failures[0]
    assert not (library.root / "broken.keras").exists()
    stopped_outcome = model_jobs.import_models(library, [files.plain], model_jobs.no_progress, stopped(), ENGINE)
    assert stopped_outcome.imported == () and not (library.root / "plain (3).keras").exists()


def test_rename_and_delete_models(library: ModelLibrary) -> None:
    entry = model_jobs.rename_model(library, "saved", "renamed", model_jobs.no_progress, threading.Event())
    assert entry.name == "renamed" and not (library.root / "saved.keras").exists()
    outcome = model_jobs.delete_models(library, ["plain", "missing", "renamed"], model_jobs.no_progress,
                                       threading.Event())
    assert outcome.deleted == ("plain",)
    assert outcome.failure is not None and "missing" in outcome.failure
    assert (library.root / "renamed.keras").exists(), "deleting stops at the first failure"
    assert model_jobs.delete_models(library, ["renamed"], model_jobs.no_progress, stopped()).deleted == ()
    assert (library.root / "renamed.keras").exists()
