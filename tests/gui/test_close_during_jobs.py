"""Closing the window while the Models side works: the jobs stop, every thread is joined.

The autouse fixture in conftest fails any test that leaves a BackgroundTask running or a Python
thread alive, so these tests only have to close at the worst moment and check what is left.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from digitpad.core.inference import Predictor
from digitpad.core.inference_description import ConvertedModel
from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import ModelMetadata
from digitpad.gui.app_state import AppState
from digitpad.gui.main_window import MainWindow
from tests.gui.models_helpers import click_row, compare, settle

SLOW_BATCH_S = 0.2


@pytest.fixture
def window(qtbot: QtBot, library: ModelLibrary, shipped: Path, tmp_path: Path) -> MainWindow:
    state = AppState(library=library, settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    main_window = MainWindow(state)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.tabs.setCurrentWidget(main_window.models_tab)
    settle(main_window.models_tab)
    return main_window


def test_closing_during_a_comparison_stops_it_at_the_next_batch(
    window: MainWindow, tmp_path: Path, mnist: tuple[np.ndarray, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    x, y = mnist
    source = tmp_path / "big-test.npz"
    np.savez(source, x_test=x[:5000], y_test=y[:5000])  # 40 slow batches: 8 s unless stopped
    tab = window.models_tab
    compare(tab, "one", "seven")
    tab.compare.set_test_source(source)
    started = threading.Event()
    original = Predictor.predict_prepared

    def slow(predictor: Predictor, batch: np.ndarray) -> np.ndarray:
        if len(batch) > 1:  # the live panels' single drawings stay fast
            started.set()
            time.sleep(SLOW_BATCH_S)
        return original(predictor, batch)

    monkeypatch.setattr(Predictor, "predict_prepared", slow)
    QTest.mouseClick(tab.compare.evaluate_button, Qt.MouseButton.LeftButton)
    assert started.wait(30)
    began = time.monotonic()
    window.close()
    assert time.monotonic() - began < 5 * SLOW_BATCH_S + 1.0, "closing waits for one batch, not the whole job"
    assert not tab.compare.is_evaluating()
    assert tab.compare.results.rowCount() == 0


def test_closing_during_a_model_load_waits_for_it_and_ignores_its_result(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = window.models_tab
    state = window.state
    before = state.predictor
    loading = threading.Event()
    release = threading.Event()
    original = Predictor.from_converted  # "one" carries its LiteRT form: this is its load

    def gated(path: Path, metadata: ModelMetadata | None, converted: ConvertedModel) -> Predictor:
        loading.set()
        assert release.wait(30)
        return original(path, metadata, converted)

    monkeypatch.setattr(Predictor, "from_converted", staticmethod(gated))
    click_row(tab, "one")
    QTest.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)  # a load that cannot be interrupted
    assert loading.wait(30)
    opener = threading.Timer(0.3, release.set)
    opener.start()
    window.close()
    opener.join()
    assert release.is_set(), "closing joined the load instead of leaving it running"
    assert not state.is_loading_model() and not tab.is_busy()
    assert state.predictor is before, "a result that arrives after closing is ignored"


def _record(calls: list[str], name: str, shutdown: Callable[[], None]) -> None:
    calls.append(name)
    shutdown()


def test_about_to_quit_and_close_both_shut_down_once(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    tabs = (window.draw_tab, window.train_tab, window.models_tab)
    for tab in tabs:
        monkeypatch.setattr(tab, "shutdown", partial(_record, calls, tab.objectName(), tab.shutdown))
    window.shutdown()  # as `aboutToQuit` does
    window.close()
    assert sorted(calls) == sorted(tab.objectName() for tab in tabs)
