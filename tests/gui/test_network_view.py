"""The "Inside the network" page: grids for a tiny CNN and an MLP, computed in the engine (here
`ThreadEngine`, which pickles the job and its picture as the engine process would), each file loaded once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from digitpad.core import network_inside
from digitpad.core.engine import ThreadEngine
from digitpad.core.file_cache import FileCache
from digitpad.core.network_inside import map_levels, weight_levels
from digitpad.gui.network_view import FILTERS, NetworkView
from tests.core.test_network_inside import VERTICAL_EDGE, by_hand, square, tiny_cnn, tiny_mlp

WAIT_MS = 60_000
LEFT = Qt.MouseButton.LeftButton


@dataclass(frozen=True)
class Files:
    cnn: Path
    other_cnn: Path   # the same layers, other weights
    mlp: Path
    broken: Path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    root = tmp_path_factory.mktemp("network-models")
    tiny_cnn().save(root / "cnn.keras")
    other = tiny_cnn()
    kernel, bias = other.get_layer("conv").get_weights()
    other.get_layer("conv").set_weights([2 * kernel, bias])
    other.save(root / "other.keras")
    tiny_mlp(16).save(root / "mlp.keras")
    (root / "broken.keras").write_bytes(b"not a model")
    return Files(root / "cnn.keras", root / "other.keras", root / "mlp.keras", root / "broken.keras")


@dataclass
class Calls:
    loads: list[Path]
    map_threads: list[threading.Thread]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Counts model file loads and records the thread every feature-map pass runs on, with the
    engine's cache of models emptied (it outlives a view, as the engine process does)."""
    recorded = Calls([], [])
    real_load, real_maps = network_inside.load_keras_model, network_inside.feature_maps

    def load(path: Path) -> object:
        recorded.loads.append(path)
        return real_load(path)

    def maps(model: object, x: np.ndarray) -> list[network_inside.FeatureMaps]:
        recorded.map_threads.append(threading.current_thread())
        return real_maps(model, x)

    monkeypatch.setattr(network_inside, "load_keras_model", load)
    monkeypatch.setattr(network_inside, "feature_maps", maps)
    monkeypatch.setattr(network_inside, "MODELS", FileCache(network_inside.load_model))
    return recorded


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[NetworkView]:
    widget = NetworkView(engine=ThreadEngine())
    qtbot.addWidget(widget)
    widget.resize(400, 330)   # the room the Draw tab's right column gives it
    yield widget
    widget.shutdown()


def show(qtbot: QtBot, view: NetworkView) -> None:
    view.show()
    qtbot.waitExposed(view)


def settle(qtbot: QtBot, view: NetworkView) -> None:
    qtbot.waitUntil(lambda: not view.is_busy() and view.picture() is not None, timeout=WAIT_MS)


def choices(view: NetworkView) -> list[str]:
    return [view.layer_choice.itemText(i) for i in range(view.layer_choice.count())]


def test_a_cnn_shows_its_filters_then_each_layers_maps_with_real_clicks(
    qtbot: QtBot, view: NetworkView, files: Files, calls: Calls
) -> None:
    show(qtbot, view)
    view.set_model(files.cnn)
    settle(qtbot, view)
    assert choices(view) == ["What conv looks for (3 filters)", "conv: 3 maps of 26×26", "pool: 3 maps of 13×13"]
    assert view.shown_key() == FILTERS and not view.previous_button.isEnabled()
    levels = view.grid.tile_levels()
    assert levels is not None and levels.shape == (3, 3, 3)
    np.testing.assert_array_equal(levels[0], weight_levels(VERTICAL_EDGE[None])[0])
    assert "3 filters of 3×3" in view.explanation.text()

    qtbot.mouseClick(view.next_button, LEFT)
    assert view.shown_key() == "conv"
    assert view.grid.tile_count() == 0 and view.grid.placeholder() == "Draw a digit to see how conv responds to it."

    x = square(8, 6, 10)
    view.set_input(x)
    qtbot.waitUntil(lambda: view.grid.tile_count() == 3, timeout=WAIT_MS)
    conv, pool = by_hand(tiny_cnn(), x)
    np.testing.assert_array_equal(view.grid.tile_levels(), map_levels(conv))
    assert "slides over the drawing" in view.explanation.text()

    qtbot.mouseClick(view.next_button, LEFT)
    assert view.shown_key() == "pool" and not view.next_button.isEnabled()
    np.testing.assert_array_equal(view.grid.tile_levels(), map_levels(pool))
    qtbot.mouseClick(view.previous_button, LEFT)
    assert view.shown_key() == "conv"

    # The tiles fill the page without scrolling: three 26x26 maps get large, square tiles inside the grid.
    rects = view.grid.tile_rects()
    assert len(rects) == 3 and all(r.width() == r.height() >= 60 for r in rects)
    assert all(view.grid.rect().contains(r) for r in rects)

    # Loading and every feature-map pass ran on the worker, never on the GUI thread.
    assert calls.map_threads and threading.main_thread() not in calls.map_threads
    assert calls.loads == [files.cnn]


def test_each_model_file_is_loaded_once_not_per_drawing(
    qtbot: QtBot, view: NetworkView, files: Files, calls: Calls
) -> None:
    show(qtbot, view)
    view.set_model(files.cnn)
    for offset in range(4):
        view.set_input(square(4 + offset, 5, 9))
        settle(qtbot, view)
    view.set_model(files.mlp)
    settle(qtbot, view)
    view.set_model(files.cnn)
    settle(qtbot, view)
    picture = view.picture()
    assert picture is not None and picture.model_path == files.cnn
    np.testing.assert_allclose(picture.maps[0].maps, by_hand(tiny_cnn(), square(7, 5, 9))[0], atol=1e-5)
    assert sorted(calls.loads) == sorted([files.cnn, files.mlp])


def test_an_mlp_shows_its_first_layer_weights_and_says_why_there_are_no_maps(
    qtbot: QtBot, view: NetworkView, files: Files
) -> None:
    show(qtbot, view)
    view.set_model(files.mlp)
    view.set_input(square(3, 3, 12))
    settle(qtbot, view)
    assert choices(view) == ["What hidden looks for (16 units)"]
    assert not view.layer_choice.isEnabled() and not view.next_button.isEnabled()
    assert "multilayer perceptron" in view.explanation.text()
    levels = view.grid.tile_levels()
    assert levels is not None and levels.shape == (16, 28, 28)
    kernel = tiny_mlp(16).get_layer("hidden").get_weights()[0]
    np.testing.assert_array_equal(levels, weight_levels(kernel.T.reshape(16, 28, 28)))


def test_nothing_runs_while_hidden_and_the_latest_drawing_is_shown_once_visible(
    qtbot: QtBot, view: NetworkView, files: Files, calls: Calls
) -> None:
    view.set_model(files.cnn)
    view.set_input(square(2, 2, 6))
    view.set_input(square(12, 10, 8))
    qtbot.wait(50)
    assert not view.is_busy() and view.picture() is None and calls.loads == [] and calls.map_threads == []
    show(qtbot, view)
    settle(qtbot, view)
    picture = view.picture()
    assert picture is not None
    np.testing.assert_allclose(picture.maps[0].maps, by_hand(tiny_cnn(), square(12, 10, 8))[0], atol=1e-5)


def test_a_drawing_that_changes_while_maps_are_computed_ends_with_the_latest(
    qtbot: QtBot, view: NetworkView, files: Files
) -> None:
    show(qtbot, view)
    view.set_model(files.cnn)
    settle(qtbot, view)
    qtbot.mouseClick(view.next_button, LEFT)
    for offset in range(6):   # faster than the worker answers: older results are dropped
        view.set_input(square(2 + 2 * offset, 4, 7))
    settle(qtbot, view)
    qtbot.wait(50)
    np.testing.assert_array_equal(view.grid.tile_levels(), map_levels(by_hand(tiny_cnn(), square(12, 4, 7))[0]))
    view.set_input(None)
    qtbot.waitUntil(lambda: view.grid.tile_count() == 0, timeout=WAIT_MS)
    assert view.grid.placeholder().startswith("Draw a digit")


def test_the_layer_picked_stays_picked_for_a_model_with_the_same_layers(
    qtbot: QtBot, view: NetworkView, files: Files
) -> None:
    show(qtbot, view)
    view.set_model(files.cnn)
    view.set_input(square(8, 6, 10))
    settle(qtbot, view)
    qtbot.mouseClick(view.next_button, LEFT)
    qtbot.mouseClick(view.next_button, LEFT)
    view.set_model(files.other_cnn)
    qtbot.waitUntil(lambda: (p := view.picture()) is not None and p.model_path == files.other_cnn, timeout=WAIT_MS)
    assert view.shown_key() == "pool"
    picture = view.picture()
    assert picture is not None and picture.filters is not None
    np.testing.assert_array_equal(picture.filters.weights[0], 2 * VERTICAL_EDGE)  # the other model's own


def test_a_broken_file_is_explained_and_the_next_model_still_shows(
    qtbot: QtBot, view: NetworkView, files: Files
) -> None:
    show(qtbot, view)
    view.set_model(files.cnn)
    settle(qtbot, view)
    assert view.grid.tile_count() == 3
    view.set_model(files.broken)
    qtbot.waitUntil(lambda: view.explanation.text().startswith("Cannot look inside this model"), timeout=WAIT_MS)
    assert view.layer_choice.count() == 0 and view.grid.tile_count() == 0 and view.picture() is None
    view.set_model(files.cnn)
    settle(qtbot, view)
    assert view.layer_choice.count() == 3 and view.grid.tile_count() == 3


def test_after_shutdown_nothing_more_is_computed(qtbot: QtBot, view: NetworkView, files: Files, calls: Calls) -> None:
    show(qtbot, view)
    view.shutdown()
    view.set_model(files.cnn)
    view.set_input(square(2, 2, 6))
    qtbot.wait(50)
    assert not view.is_busy() and calls.loads == []
