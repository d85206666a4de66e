"""Closing the real window while a model trains: exit code 0, the worker joined, no Qt abort."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from digitpad.core.resources import bundled_mnist_path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from digitpad.gui import app as gui_app

data_path = sys.argv[1]
report = {}

def find_window():
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")

def start_training():
    window = find_window()
    tab = window.train_tab
    if not window.state.tensorflow_ready:
        QTimer.singleShot(100, start_training)
        return
    form = tab.form
    form.dataset_combo.setCurrentIndex(form.dataset_combo.findData(None))
    form.path_edit.setText(data_path)
    form.architecture_combo.setCurrentIndex(form.architecture_combo.findData("mlp"))
    form.epochs_spin.setValue(500)
    form.batch_size_spin.setValue(32)
    window.tabs.setCurrentWidget(tab)
    button = window.findChild(QPushButton, "trainButton")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_for_batches()

def wait_for_batches():
    window = find_window()
    points = window.train_tab.curves.train_loss_item.xData
    if points is None or len(points) < 5:
        QTimer.singleShot(50, wait_for_batches)
        return
    report["batches_seen"] = int(len(points))
    report["training_when_closed"] = window.train_tab.is_training()
    window.close()

QTimer.singleShot(0, start_training)
code = gui_app.main([])
report["exit_code"] = code
report["still_training"] = find_window().train_tab.is_training() if any(
    w.objectName() == "mainWindow" for w in QApplication.topLevelWidgets()) else False
print("REPORT " + json.dumps(report), flush=True)
sys.exit(code)
"""


def test_closing_the_window_during_training_exits_cleanly(tmp_path: Path, isolated_environment: Path) -> None:
    with np.load(bundled_mnist_path()) as data:
        np.savez(tmp_path / "digits.npz", x_train=data["x"][:3000], y_train=data["y"][:3000],
                 x_test=data["x"][3000:3300], y_test=data["y"][3000:3300])
    script = tmp_path / "close_during_training.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    result = subprocess.run([sys.executable, str(script), str(tmp_path / "digits.npz")], env=env,
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "QThread" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(lines[-1][len("REPORT "):])
    assert report["training_when_closed"] is True
    assert report["batches_seen"] >= 5
    assert report["exit_code"] == 0
    assert report["still_training"] is False
