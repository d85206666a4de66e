"""Named architectures on disk, the read-only presets, and training specs that point at them."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.architecture_store import (
    PRESETS,
    ArchitectureStore,
    builtin_layers,
    check_name,
    preset,
    save_architecture,
)
from digitpad.core.architectures import ARCHITECTURE_NAMES, ArchitectureSpec, build_model
from digitpad.core.cancellation import Cancelled
from digitpad.core.engine import ThreadEngine
from digitpad.core.errors import DigitpadError
from digitpad.core.layer_stack import CONV2D, DENSE, FLATTEN, Layer, new_layer, stack_from_json
from digitpad.core.training import TrainingSpec, summarize_architecture, train

SMALL = [Layer(CONV2D, filters=4, kernel=3, stride=2, activation="relu"), Layer(FLATTEN),
         Layer(DENSE, units=10, activation="softmax")]


def test_saved_by_name_listed_loaded_and_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = ArchitectureStore()
    assert store.root == tmp_path / "data" / "digitpad" / "architectures"
    assert store.names() == []
    path = store.save("tiny (v2)", SMALL)
    store.save("Another", [*SMALL[:1], new_layer(CONV2D), *SMALL[1:]])
    assert path == store.root / "tiny (v2).json"
    assert store.names() == ["Another", "tiny (v2)"]
    assert store.load("tiny (v2)") == SMALL
    assert sorted(p.name for p in store.root.iterdir()) == ["Another.json", "tiny (v2).json"]  # no temp files
    store.save("tiny (v2)", SMALL[1:])  # replaces
    assert store.load("tiny (v2)") == SMALL[1:]
    store.delete("Another")
    assert store.names() == ["tiny (v2)"]
    with pytest.raises(DigitpadError, match="no saved architecture named 'Another'"):
        store.delete("Another")


def test_saving_crosses_the_engine_and_stops(tmp_path: Path) -> None:
    """`save_architecture` as the editor sends it to the engine: pickled there and back."""
    store = ArchitectureStore(tmp_path / "architectures")
    reports: list[object] = []
    path = ThreadEngine().run(partial(save_architecture, store, "tiny", SMALL), reports.append, threading.Event())
    assert path == store.root / "tiny.json" and store.load("tiny") == SMALL and reports == []
    stopped = threading.Event()
    stopped.set()
    with pytest.raises(Cancelled):
        ThreadEngine().run(partial(save_architecture, store, "stopped", SMALL), reports.append, stopped)
    assert store.names() == ["tiny"]
    with pytest.raises(DigitpadError, match="cannot be saved"):
        save_architecture(store, "broken", [Layer(DENSE, units=10, activation="softmax")], reports.append,
                          threading.Event())


@pytest.mark.parametrize(("name", "message"), [
    ("", "Give the architecture a name."),
    ("../evil", "cannot be an architecture name"),
    (".hidden", "cannot be an architecture name"),
    ("x" * 61, "cannot be an architecture name"),
    ("course cnn", "is a preset's name"),
])
def test_names_are_checked(name: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(DigitpadError, match=message):
        check_name(name)
    with pytest.raises(DigitpadError, match=message):
        ArchitectureStore(tmp_path).save(name, SMALL)
    assert not list(tmp_path.iterdir())


def test_a_file_that_is_not_an_architecture_names_itself(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(DigitpadError, match=r"broken.json: This is not valid JSON"):
        ArchitectureStore(tmp_path).load("broken")


def test_a_spec_with_a_file_keeps_it_and_refuses_layer_knobs(tmp_path: Path) -> None:
    spec = ArchitectureStore(tmp_path).spec("tiny", augment=True)
    assert spec.file == str(tmp_path / "tiny.json")
    assert ArchitectureSpec.from_dict(spec.to_dict()) == spec
    assert "file" not in ArchitectureSpec().to_dict()  # named architectures' recipes read as before
    assert TrainingSpec.from_dict(TrainingSpec(architecture=spec).to_dict()).architecture == spec
    with pytest.raises(DigitpadError, match="Dropout and batch normalization apply to the named architectures"):
        ArchitectureSpec(name="tiny", file="x.json", dropout=0.2)
    with pytest.raises(DigitpadError, match="Unknown architecture 'tiny'"):
        ArchitectureSpec(name="tiny")


def test_a_saved_architecture_builds_summarizes_and_trains(tmp_path: Path, digits) -> None:
    store = ArchitectureStore(tmp_path)
    store.save("tiny", SMALL)
    model = build_model(store.spec("tiny"))
    assert model.count_params() == 3 * 3 * 4 + 4 + 13 * 13 * 4 * 10 + 10
    augmented = build_model(store.spec("tiny", augment=True))
    assert [type(layer).__name__ for layer in augmented.layers][1:4] == [
        "RandomRotation", "RandomTranslation", "RandomZoom"]
    assert augmented.count_params() == model.count_params()
    summary = summarize_architecture(store.spec("tiny"))
    assert summary.total == model.count_params()
    x, y = digits
    run = train(x, y, TrainingSpec(architecture=store.spec("tiny"), epochs=1, batch_size=8))
    assert run.epochs_completed == 1 and np.isfinite(run.epoch_history["loss"][0])
    assert run.spec.architecture.name == "tiny"


def test_presets_point_at_shipped_files_that_build() -> None:
    assert [p.name for p in PRESETS] == ["Course CNN", "Course MLP"]
    course = preset("Course CNN")
    assert course is not None and course.recipe.epochs == 30 and course.accuracy == 0.9898
    assert not course.measured_here
    assert build_model(course.spec()).count_params() == 85_146
    assert preset("nope") is None


@pytest.mark.parametrize("name", ARCHITECTURE_NAMES)
def test_editing_a_builtin_starts_from_its_layers(name: str) -> None:
    model = build_model(ArchitectureSpec(name=name))
    assert list(builtin_layers(name)) == stack_from_json(model.to_json())
