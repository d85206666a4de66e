"""The Models tab's Evaluate page with real clicks: one model measured on a test set, then looked at."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from digitpad.gui.models_tab import ModelsTab
from tests.gui.models_helpers import click_row

TEST_IMAGES = 200
TIMEOUT_MS = 90_000


@pytest.fixture
def test_file(tmp_path: Path, mnist) -> Path:
    x, y = mnist
    path = tmp_path / "two-hundred.npz"
    np.savez_compressed(path, x_test=x[:TEST_IMAGES], y_test=y[:TEST_IMAGES])
    return path


def choose(tab: ModelsTab, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("digitpad.gui.widgets.QFileDialog.getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    QTest.mouseClick(tab.evaluation.controls.picker.file_button, Qt.MouseButton.LeftButton)


def test_evaluate_measures_the_selected_model_and_opens_its_evaluation(
    tab: ModelsTab, test_file: Path, mnist, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tab.evaluation
    assert not page.controls.evaluate_button.isEnabled(), "nothing selected yet"
    click_row(tab, "one")
    tab.inspector.setCurrentWidget(page)
    assert page.controls.evaluate_button.isEnabled() and "“one”" in page.status.text()
    choose(tab, test_file, monkeypatch)
    with qtbot.waitSignal(page._task.finished, timeout=TIMEOUT_MS):
        QTest.mouseClick(page.controls.evaluate_button, Qt.MouseButton.LeftButton)
    y = mnist[1][:TEST_IMAGES]
    shown = page.view.evaluated()
    assert shown is not None and shown.model_name == "one"
    assert shown.evaluation.accuracy == pytest.approx(np.mean(y == 1))   # "one" answers 1 to everything
    assert len(shown.select(true=7, predicted=1)) == int(np.sum(y == 7))
    assert f"{TEST_IMAGES}" in page.status.text()
    assert not page.controls.progress.isVisible() and page.controls.evaluate_button.isEnabled()

    # Another model selected: the old result goes, the page waits for Evaluate again.
    click_row(tab, "seven")
    assert page.view.evaluated() is None and "“seven”" in page.status.text()


def test_selecting_another_model_during_an_evaluation_drops_its_result(
    tab: ModelsTab, test_file: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tab.evaluation
    click_row(tab, "one")
    choose(tab, test_file, monkeypatch)
    with qtbot.waitSignal(page._task.finished, timeout=TIMEOUT_MS):
        QTest.mouseClick(page.controls.evaluate_button, Qt.MouseButton.LeftButton)
        click_row(tab, "seven")
    assert page.view.evaluated() is None
    assert "“seven”" in page.status.text() or "cancelled" in page.status.text().lower()
