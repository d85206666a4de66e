"""Model files with embedded metadata, and the library folder that holds them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest

from digitpad.core.errors import ModelError, StorageError
from digitpad.core.inference import Predictor
from digitpad.core.library import LibraryEntry, ModelLibrary, default_library_dir
from digitpad.core.model_file import (
    INFERENCE_ENTRY,
    LITERT_ENTRY,
    ModelMetadata,
    load_keras_model,
    read_metadata,
    read_model_archive,
    save_model,
)

L = keras.layers


def tiny_cnn(trained: bool = True) -> keras.Model:
    """Conv, batch norm, pooling, dense; one training step leaves Adam's state on the model."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input((28, 28, 1))
    x = L.Conv2D(4, 3, activation="relu")(inputs)
    x = L.BatchNormalization()(x)
    x = L.MaxPooling2D(2)(x)
    outputs = L.Dense(10, activation="softmax")(L.Flatten()(x))
    model = keras.Model(inputs, outputs)
    if trained:
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        x_train = np.random.default_rng(0).random((32, 28, 28, 1), dtype=np.float32)
        model.fit(x_train, np.arange(32) % 10, batch_size=32, epochs=1, verbose=0)
    return model


def metadata(name: str = "my model") -> ModelMetadata:
    return ModelMetadata(
        name=name,
        architecture={"name": "tiny", "batch_norm": True},
        dataset="mnist",
        hyperparameters={"epochs": 1, "learning_rate": 0.001},
        history={"loss": [2.3, 1.1], "accuracy": [0.1, 0.6]},
        test_metrics={"accuracy": 0.61, "loss": 1.2},
        preprocess_version="test-1",
        keras_version=keras.__version__,
        tensorflow_version="2.x",
        param_count=2026,
        training_seconds=1.5,
        created="2025-01-02T03:04:05+00:00",
        class_names=[str(d) for d in range(10)],
    )


def embedded_name(path: Path) -> str:
    """The name in a model file's embedded description, which must be there."""
    found = read_metadata(path)
    assert found is not None, f"{path} has no embedded description"
    return found.name


@pytest.fixture(scope="module")
def model() -> keras.Model:
    return tiny_cnn()


@pytest.fixture(scope="module")
def x() -> np.ndarray:
    return np.random.default_rng(1).random((6, 28, 28, 1), dtype=np.float32)


@pytest.fixture
def library(tmp_path: Path) -> ModelLibrary:
    return ModelLibrary(tmp_path / "library")


def weight_groups(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5"))) as store:
        return list(store)


# ----------------------------------------------------------------------------- metadata and files


def test_metadata_round_trips_through_a_dict() -> None:
    original = metadata()
    assert ModelMetadata.from_dict(json.loads(json.dumps(original.to_dict()))) == original
    assert ModelMetadata.from_dict({**original.to_dict(), "added_in_a_later_version": 1}) == original
    assert ModelMetadata.from_dict({"name": "old"}).class_names == [str(d) for d in range(10)]
    with pytest.raises(ValueError):
        ModelMetadata.from_dict({"dataset": "mnist"})


def test_a_test_accuracy_always_names_its_data_and_size() -> None:
    named = ModelMetadata(name="a", dataset="mnist", test_metrics={"accuracy": 0.99123},
                          test_data={"name": "MNIST test", "size": 10_000})
    assert named.test_label() == "MNIST test, 10,000"
    assert named.accuracy_text() == "99.12% on MNIST test, 10,000"
    # Files from before the data set was recorded: named from the dataset, sized from per-class support.
    older = ModelMetadata(name="b", dataset="mnist", test_metrics={
        "accuracy": 0.5, "per_class": [{"label": 0, "support": 600}, {"label": 1, "support": 400}]})
    assert older.test_label() == "mnist test split, 1,000"
    assert ModelMetadata(name="c").test_label() == "an unnamed test set"
    assert ModelMetadata(name="c").accuracy_text() == ""
    assert ModelMetadata(name="d", test_metrics={"accuracy": True}).accuracy_text() == ""


def test_default_library_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("DIGITPAD_LIBRARY", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_library_dir() == tmp_path / ".local" / "share" / "digitpad" / "models"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert default_library_dir() == tmp_path / ".local" / "share" / "digitpad" / "models"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_library_dir() == tmp_path / "data" / "digitpad" / "models"
    monkeypatch.setenv("DIGITPAD_LIBRARY", str(tmp_path / "mine"))
    assert default_library_dir() == tmp_path / "mine"
    assert ModelLibrary().root == tmp_path / "mine"


def test_save_model_embeds_metadata_and_drops_optimizer_state(model: keras.Model, x: np.ndarray, tmp_path: Path) -> None:
    plain = tmp_path / "plain.keras"
    model.save(plain)
    assert "optimizer" in weight_groups(plain)
    path = save_model(model, tmp_path / "described.keras", metadata())
    assert path == tmp_path / "described.keras"
    assert read_metadata(path) == metadata()
    assert "optimizer" not in weight_groups(path)
    with zipfile.ZipFile(path) as archive:
        assert "compile_config" not in json.loads(archive.read("config.json"))
    assert path.stat().st_size < plain.stat().st_size
    loaded = keras.saving.load_model(path, safe_mode=True)  # plain Keras still reads it
    np.testing.assert_allclose(loaded.predict_on_batch(x), model.predict_on_batch(x), atol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["described.keras", "plain.keras"]


def test_save_model_replaces_an_existing_file(model: keras.Model, tmp_path: Path) -> None:
    path = save_model(model, tmp_path / "m.keras", metadata("first"))
    save_model(model, path, metadata("second"))
    assert embedded_name(path) == "second"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist().count("digitpad.json") == 1


def test_save_model_needs_the_keras_suffix(model: keras.Model, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"must end in \.keras"):
        save_model(model, tmp_path / "model.h5", metadata())


def test_read_metadata_of_plain_damaged_and_missing_files(model: keras.Model, tmp_path: Path) -> None:
    plain = tmp_path / "plain.keras"
    model.save(plain)
    assert read_metadata(plain) is None
    malformed = tmp_path / "malformed.keras"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(malformed, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("digitpad.json", "{not json")
    assert read_metadata(malformed) is None  # the model itself is fine
    with pytest.raises(ModelError, match="does not exist"):
        read_metadata(tmp_path / "missing.keras")
    (tmp_path / "noise.keras").write_bytes(b"\x00" * 100)
    with pytest.raises(ModelError, match="not a zip"):
        read_metadata(tmp_path / "noise.keras")


def test_listing_and_reading_metadata_need_no_tensorflow(model: keras.Model, tmp_path: Path) -> None:
    save_model(model, tmp_path / "lib" / "a.keras", metadata("a"))
    code = (
        "import sys\n"
        "from digitpad.core.library import ModelLibrary\n"
        f"entries = ModelLibrary({str(tmp_path / 'lib')!r}).entries()\n"
        "print(entries[0].metadata.name, sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'h5py')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["a", "[]"]


# ----------------------------------------------------------------------------- load_keras_model


def test_load_keras_model_reads_plain_and_described_files(model: keras.Model, x: np.ndarray, tmp_path: Path) -> None:
    plain = tmp_path / "plain.keras"
    model.save(plain)
    described = save_model(model, tmp_path / "described.keras", metadata())
    for path in (plain, described):
        np.testing.assert_allclose(load_keras_model(path).predict_on_batch(x), model.predict_on_batch(x), atol=1e-6)


def test_load_keras_model_refuses_lambda_layers(tmp_path: Path) -> None:
    inputs = keras.Input((28, 28, 1))
    outputs = L.Dense(10, activation="softmax")(L.Flatten()(L.Lambda(lambda t: t * 2.0)(inputs)))
    path = tmp_path / "lambda.keras"
    keras.Model(inputs, outputs).save(path)
    with pytest.raises(ModelError, match=r"Refusing to load .*lambda\.keras.*Lambda layer"):
        load_keras_model(path)


def test_load_keras_model_refuses_bad_files(model: keras.Model, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        load_keras_model(tmp_path / "missing.keras")
    noise = tmp_path / "noise.keras"
    noise.write_bytes(os.urandom(2000))
    with pytest.raises(ModelError, match="not a zip"):
        load_keras_model(noise)
    inputs = keras.Input((32, 32, 3))
    wrong = tmp_path / "wrong.keras"
    keras.Model(inputs, L.Dense(10)(L.Flatten()(inputs))).save(wrong)
    with pytest.raises(ModelError, match=r"wrong\.keras expects input \(32, 32, 3\)"):
        load_keras_model(wrong)
    broken = tmp_path / "broken.keras"
    model.save(broken)
    with zipfile.ZipFile(broken) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(broken, "w") as target:
        for name, data in entries.items():
            target.writestr(name, b'{"class_name": "Nonsense", "config": {}}' if name == "config.json" else data)
    with pytest.raises(ModelError, match=r"Cannot load .*broken\.keras"):
        load_keras_model(broken)


# ----------------------------------------------------------------------------- the library


def test_library_round_trip(library: ModelLibrary, model: keras.Model, x: np.ndarray) -> None:
    assert library.entries() == []  # the folder does not even exist yet
    entry = library.save(model, metadata("round trip"))
    assert isinstance(entry, LibraryEntry)
    assert (entry.name, entry.path) == ("round trip", library.root / "round trip.keras")
    assert entry.file_size == entry.path.stat().st_size
    assert entry.modified.tzinfo is not None
    [listed] = library.entries()
    assert listed.metadata == metadata("round trip")
    assert library.path_for("round trip") == entry.path
    expected = model.predict_on_batch(x)
    np.testing.assert_allclose(load_keras_model(entry.path).predict_on_batch(x), expected, atol=1e-6)
    np.testing.assert_allclose(Predictor.load(entry.path).predict_prepared(x), expected, atol=1e-5)

    modified = entry.path.stat().st_mtime_ns
    renamed = library.rename("round trip", "  renamed ")
    assert renamed.name == "renamed"
    assert renamed.metadata == metadata("renamed")  # the embedded name follows
    assert embedded_name(renamed.path) == "renamed"
    assert renamed.path.stat().st_mtime_ns == modified  # renaming is not a new model
    assert not entry.path.exists()
    assert [e.name for e in library.entries()] == ["renamed"]
    np.testing.assert_allclose(load_keras_model(renamed.path).predict_on_batch(x), expected, atol=1e-6)

    library.delete("renamed")
    assert library.entries() == []
    assert list(library.root.iterdir()) == []


def test_names_are_made_unique(library: ModelLibrary, model: keras.Model) -> None:
    names = [library.save(model, metadata("digits")).name for _ in range(3)]
    assert names == ["digits", "digits (2)", "digits (3)"]
    assert library.save(model, metadata("digits (2)")).name == "digits (4)"
    assert embedded_name(library.path_for("digits (3)")) == "digits (3)"
    assert sorted(e.name for e in library.entries()) == ["digits", "digits (2)", "digits (3)", "digits (4)"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "empty"), ("   ", "empty"), ("a/b", "slash"), ("a\\b", "slash"), ("..", "dot"), (".hidden", "dot"),
     ("two\nlines", "control"), ("x" * 300, "too long"), ("x" * 236, "too long"), ("other\u200b", "invisible"),
     ("\u202egnp.exe", "invisible"), ("bell\x85ring", "control")],
)
def test_bad_names_are_refused(library: ModelLibrary, model: keras.Model, name: str, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        library.save(model, metadata(name))
    library.save(model, metadata("good"))
    with pytest.raises(StorageError, match=message):
        library.rename("good", name)
    with pytest.raises(StorageError, match=message):
        library.path_for(name)
    assert [e.name for e in library.entries()] == ["good"]


def test_rename_and_delete_problems(library: ModelLibrary, model: keras.Model) -> None:
    library.save(model, metadata("one"))
    library.save(model, metadata("two"))
    with pytest.raises(StorageError, match="already exists"):
        library.rename("one", "two")
    with pytest.raises(StorageError, match="no model named “ghost”"):
        library.rename("ghost", "three")
    with pytest.raises(StorageError, match="no model named “ghost”"):
        library.delete("ghost")
    assert library.rename("one", "one").name == "one"
    assert sorted(e.name for e in library.entries()) == ["one", "two"]


def test_entries_list_newest_first_and_survive_junk(library: ModelLibrary, model: keras.Model) -> None:
    old = library.save(model, metadata("old"))
    new = library.save(model, metadata("new"))
    os.utime(old.path, (1_000_000_000, 1_000_000_000))
    os.utime(new.path, (1_500_000_000, 1_500_000_000))
    (library.root / "corrupt.keras").write_bytes(b"PK\x03\x04 not really a zip")
    os.utime(library.root / "corrupt.keras", (1_200_000_000, 1_200_000_000))
    (library.root / ".new.1234.tmp.keras").write_bytes(b"left by a crash")
    (library.root / "notes.txt").write_text("not a model")
    (library.root / "folder.keras").mkdir()
    entries = library.entries()
    assert [e.name for e in entries] == ["new", "corrupt", "old"]
    assert entries[1].metadata is None
    library.delete("corrupt")  # a damaged file can still be removed
    library.rename("old", "older")  # and renaming never needs the model to load


def test_import_plain_keras_file(library: ModelLibrary, model: keras.Model, x: np.ndarray, tmp_path: Path) -> None:
    source = tmp_path / "downloaded.keras"
    model.save(source)
    entry = library.import_file(source)
    assert (entry.name, entry.metadata) == ("downloaded", None)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(entry.path) as copy:
        for name in original.namelist():  # Keras' own entries are copied byte for byte
            assert copy.read(name) == original.read(name)
        assert set(copy.namelist()) - set(original.namelist()) == {LITERT_ENTRY, INFERENCE_ENTRY}
    assert library.import_file(source).name == "downloaded (2)"
    predictor = Predictor.load(entry.path)
    assert predictor.engine == "litert"
    np.testing.assert_allclose(predictor.predict_prepared(x), model.predict_on_batch(x), atol=1e-5)


def test_an_import_never_keeps_the_litert_form_a_file_brought_along(
    library: ModelLibrary, model: keras.Model, x: np.ndarray, tmp_path: Path
) -> None:
    """A file from elsewhere may pair its weights with a LiteRT form of some other model (its
    digest forged to match): the library converts the weights Keras loaded, whatever it brought."""
    honest = save_model(model, tmp_path / "honest.keras", metadata("honest"))
    other = keras.models.clone_model(model)  # same shapes, fresh random weights
    liar = save_model(other, tmp_path / "liar.keras", metadata("liar"))
    with zipfile.ZipFile(honest) as good, zipfile.ZipFile(liar) as bad:
        forged_description = json.loads(bad.read(INFERENCE_ENTRY))
        forged_description["weights_sha256"] = json.loads(good.read(INFERENCE_ENTRY))["weights_sha256"]
        forged = {**{n: good.read(n) for n in good.namelist()}, LITERT_ENTRY: bad.read(LITERT_ENTRY)}
        forged[INFERENCE_ENTRY] = json.dumps(forged_description).encode()
    source = tmp_path / "forged.keras"
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in forged.items():
            archive.writestr(name, data)
    assert not np.allclose(Predictor.load(source).predict_prepared(x), model.predict_on_batch(x), atol=1e-3)
    entry = library.import_file(source)
    np.testing.assert_allclose(Predictor.load(entry.path).predict_prepared(x), model.predict_on_batch(x), atol=1e-5)


def test_import_described_file_takes_the_file_name(library: ModelLibrary, model: keras.Model, tmp_path: Path) -> None:
    source = save_model(model, tmp_path / "from a friend.keras", metadata("friend's name"))
    entry = library.import_file(source)
    assert entry.name == "from a friend"
    assert entry.metadata == metadata("from a friend")
    assert embedded_name(source) == "friend's name"  # the original is untouched


def test_import_refuses_unusable_files(library: ModelLibrary, tmp_path: Path) -> None:
    inputs = keras.Input((28, 28, 1))
    lambda_model = keras.Model(inputs, L.Dense(10)(L.Flatten()(L.Lambda(lambda t: -t)(inputs))))
    lambda_model.save(tmp_path / "lambda.keras")
    five_classes = keras.Model(inputs, L.Dense(5, activation="softmax")(L.Flatten()(inputs)))
    five_classes.save(tmp_path / "five.keras")
    (tmp_path / "noise.keras").write_bytes(os.urandom(500))
    with pytest.raises(ModelError, match="Lambda"):
        library.import_file(tmp_path / "lambda.keras")
    with pytest.raises(ModelError, match="has 5 outputs"):
        library.import_file(tmp_path / "five.keras")
    with pytest.raises(ModelError, match="not a zip"):
        library.import_file(tmp_path / "noise.keras")
    with pytest.raises(ModelError, match="does not exist"):
        library.import_file(tmp_path / "missing.keras")
    assert library.entries() == []


# ----------------------------------------------------------------------------- hostile descriptions


def _with_description(source: Path, target: Path, raw: bytes) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            copy.writestr(item, raw if item.filename == "digitpad.json" else original.read(item))
    return target


def test_every_metadata_field_has_a_kind_check() -> None:
    from dataclasses import fields as dataclass_fields

    from digitpad.core.model_file import _FIELD_CHECKS

    assert set(_FIELD_CHECKS) == {f.name for f in dataclass_fields(ModelMetadata)} - {"name", "ignored"}


def test_values_of_the_wrong_kind_are_left_out_and_named() -> None:
    data = {**metadata().to_dict(), "architecture": "cnn", "test_metrics": [0.9], "param_count": True,
            "history": {"loss": ["a lot"]}, "class_names": [1, 2]}
    parsed = ModelMetadata.from_dict(data)
    assert sorted(parsed.ignored) == ["architecture", "class_names", "history", "param_count", "test_metrics"]
    assert parsed.architecture == {} and parsed.test_metrics == {} and parsed.param_count == 0
    assert parsed.dataset == "mnist" and parsed.training_seconds == 1.5, "good values are kept"
    assert parsed.accuracy_text() == "" and parsed.test_label() == "mnist test split"
    assert "ignored" not in parsed.to_dict(), "the note is never written back"


@pytest.mark.parametrize("names", [
    [str(d) for d in range(9)] + ["\x1b[2J\x1b[31mpwned"],
    [str(d) for d in range(9)] + ["nine\u202e"],
    [str(d) for d in range(9)] + ["x" * 41],
    [str(d) for d in range(9)] + [""],
], ids=["ansi-escape", "bidi-mark", "too-long", "empty"])
def test_class_names_that_would_garble_a_screen_are_left_out(names: list[str]) -> None:
    parsed = ModelMetadata.from_dict({**metadata().to_dict(), "class_names": names})
    assert parsed.ignored == ["class_names"]
    assert parsed.class_names == [str(d) for d in range(10)]
    fashion = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    assert ModelMetadata.from_dict({**metadata().to_dict(), "class_names": fashion}).class_names == fashion


def test_a_library_lists_models_with_bad_descriptions(model: keras.Model, library: ModelLibrary, tmp_path: Path) -> None:
    saved = library.save(model, metadata("good")).path
    wrong_kinds = json.dumps({**metadata("odd").to_dict(), "architecture": "cnn", "test_metrics": [1]}).encode()
    _with_description(saved, library.root / "odd.keras", wrong_kinds)
    _with_description(saved, library.root / "deep.keras", b'{"name": "deep", "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    _with_description(saved, library.root / "nested.keras",
                      ("{\"name\": \"nested\", \"architecture\": {\"a\": " + "[" * 20 + "1" + "]" * 20 + "}}").encode())
    entries = {entry.name: entry for entry in library.entries()}
    assert set(entries) == {"good", "odd", "deep", "nested"}
    assert entries["odd"].metadata is not None and entries["odd"].metadata.ignored == ["architecture", "test_metrics"]
    assert entries["deep"].metadata is None and entries["nested"].metadata is None
    for name in ("odd", "deep", "nested"):
        assert Predictor.load(entries[name].path).predict_prepared(np.zeros((1, 28, 28), np.float32)).shape == (1, 10)


def test_entries_are_capped_while_they_are_decompressed(model: keras.Model, library: ModelLibrary,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from digitpad.core import model_file as model_file_module

    path = library.save(model, metadata("capped")).path
    monkeypatch.setitem(model_file_module.MAX_ENTRY_BYTES, "config.json", 64)
    with pytest.raises(ModelError, match=r"config\.json is over 64 bytes"):
        read_model_archive(path)



# ----------------------------------------------------------------------------- races and leftovers


def test_the_longest_accepted_name_can_be_saved(library: ModelLibrary, model: keras.Model) -> None:
    longest = "x" * (255 - len(".0123abcd.tmp.keras") - 1)
    assert library.save(model, metadata(longest)).name == longest


def test_a_name_taken_while_saving_gives_the_next_name_and_keeps_the_other_model(
    library: ModelLibrary, model: keras.Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process saves "same" between this save's check and its final step."""
    from digitpad.core import atomic

    library.root.mkdir(parents=True)
    intruder = library.path_for("same")
    real_link = os.link
    calls: list[str] = []

    def link_after_the_other_process(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        calls.append(str(target))
        if len(calls) == 1:
            intruder.write_bytes(b"the other process's model")
        real_link(source, target)

    monkeypatch.setattr(atomic.os, "link", link_after_the_other_process)
    entry = library.save(model, metadata("same"))
    assert entry.name == "same (2)" and embedded_name(entry.path) == "same (2)"
    assert intruder.read_bytes() == b"the other process's model"
    assert [Path(c).name for c in calls] == ["same.keras", "same (2).keras"]
    assert not [p for p in library.root.iterdir() if p.name.startswith(".")], "no temporary file is left"


def test_a_rename_onto_a_name_taken_meanwhile_is_refused(
    library: ModelLibrary, model: keras.Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digitpad.core import atomic

    library.save(model, metadata("mine"))
    real_link = os.link

    def link_after_the_other_process(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        Path(target).write_bytes(b"theirs")
        real_link(source, target)

    monkeypatch.setattr(atomic.os, "link", link_after_the_other_process)
    with pytest.raises(StorageError, match="already exists"):
        library.rename("mine", "theirs")
    assert library.path_for("theirs").read_bytes() == b"theirs"
    assert embedded_name(library.path_for("mine")) == "mine"


_CLAIM = """
import os, sys
from pathlib import Path
from digitpad.core.atomic import atomic_path
try:
    with atomic_path(sys.argv[1], exclusive=True) as temporary:
        Path(temporary).write_bytes(str(os.getpid()).encode())
    print("saved", os.getpid())
except FileExistsError:
    print("taken", os.getpid())
"""


def test_exclusive_saves_from_several_processes_never_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "same.keras"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    workers = [subprocess.Popen([sys.executable, "-c", _CLAIM, str(target)], stdout=subprocess.PIPE, text=True, env=env)
               for _ in range(6)]
    outcomes = [worker.communicate(timeout=120)[0].split() for worker in workers]
    saved = [pid for what, pid in outcomes if what == "saved"]
    assert len(saved) == 1 and len(outcomes) == 6
    assert target.read_bytes() == saved[0].encode(), "the file is the winner's, whole"
    assert [p.name for p in tmp_path.iterdir()] == ["same.keras"]


def test_leftovers_of_killed_saves_are_swept_once_old(library: ModelLibrary, model: keras.Model) -> None:
    library.save(model, metadata("kept"))
    old = library.root / ".kept.0123abcd.tmp.keras"
    fresh = library.root / ".kept.89abcdef.tmp.keras"
    other = library.root / ".notes.keras"
    for path in (old, fresh, other):
        path.write_bytes(b"partial")
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    assert [e.name for e in library.entries()] == ["kept"]
    assert not old.exists(), "an hour-old temporary file is a killed save's"
    assert fresh.exists(), "a save may still be writing this one"
    assert other.exists(), "only digitpad's temporary names are touched"


def test_a_file_whose_name_is_not_utf8_can_be_renamed_and_deleted(library: ModelLibrary, model: keras.Model) -> None:
    saved = library.save(model, metadata("plain")).path
    raw = os.fsencode(library.root) + b"/caf\xe9 latin-1.keras"
    os.rename(saved, raw)
    (entry,) = library.entries()
    assert entry.name == "caf\udce9 latin-1"
    renamed = library.rename(entry.name, "café")
    assert renamed.name == "café" and embedded_name(renamed.path) == "café"
    os.rename(renamed.path, raw)
    library.delete(library.entries()[0].name)
    assert library.entries() == []


def test_an_imported_model_with_a_bomb_inside_is_copied_without_inflating_it(
    library: ModelLibrary, model: keras.Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digitpad.core import model_file as model_file_module

    source = save_model(model, tmp_path / "bomb.keras", metadata("bomb"))
    with zipfile.ZipFile(source, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("assets/padding.bin", b"\0" * 5_000_000)
    monkeypatch.setattr(model_file_module, "DEFAULT_MAX_ENTRY_BYTES", 1_000_000)
    with pytest.raises(ModelError, match=r"padding\.bin is over 1,000,000 bytes"):
        model_file_module.archive_entries(source)
    entry = library.import_file(source)
    assert entry.name == "bomb" and entry.path.read_bytes() == source.read_bytes()


def test_an_import_onto_a_name_taken_meanwhile_gets_the_next_name(
    library: ModelLibrary, model: keras.Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digitpad.core import atomic

    source = save_model(model, tmp_path / "digits.keras", metadata("digits"))
    library.root.mkdir(parents=True)
    real_link = os.link

    def link_after_the_other_process(source_path: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target).name == "digits.keras":
            Path(target).write_bytes(b"theirs")
        real_link(source_path, target)

    monkeypatch.setattr(atomic.os, "link", link_after_the_other_process)
    entry = library.import_file(source)
    assert entry.name == "digits (2)" and embedded_name(entry.path) == "digits (2)"
    assert library.path_for("digits").read_bytes() == b"theirs"
