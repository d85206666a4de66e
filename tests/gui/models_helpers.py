"""Tiny models and real-click helpers shared by the Models-tab tests (fixtures: conftest.py).

"seven" always answers 7 and "one" always answers 1: their output biases outweigh a small
random kernel, so the probabilities still depend on the drawing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from digitpad.core.library import ModelLibrary
from digitpad.core.model_file import ModelMetadata
from digitpad.gui.model_table import COLUMNS, DATASET, NAME
from digitpad.gui.models_tab import ModelsTab

CTRL = Qt.KeyboardModifier.ControlModifier

SEVEN_HISTORY = {
    "loss": [0.9, 0.45, 0.31],
    "accuracy": [0.71, 0.86, 0.9],
    "val_loss": [0.6, 0.4, 0.35],
    "val_accuracy": [0.8, 0.87, 0.89],
}
CREATED = "2025-03-04T05:06:07+00:00"


@dataclass(frozen=True)
class TinyModels:
    seven: Path      # library file "seven": always answers 7, test accuracy 97.31 % in its metadata
    one: Path        # library file "one": always answers 1, test accuracy 11.35 %
    plain: Path      # a plain Keras file (no digitpad metadata) answering 7 as well
    param_count: int


def tiny_model(keras, favourite: int, seed: int):
    """Flatten + Dense 10 whose output bias makes `favourite` win on any image, while the small
    random kernel still makes the probabilities depend on the drawing."""
    rng = np.random.default_rng(seed)
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    bias = np.zeros(10, np.float32)
    bias[favourite] = 12.0
    kernel = rng.normal(0.0, 0.002, (784, 10)).astype(np.float32)
    model.layers[-1].set_weights([kernel, bias])
    return model


def tiny_metadata(keras, tf, name: str, model, accuracy: float, history: dict) -> ModelMetadata:
    return ModelMetadata(
        name=name,
        architecture={"name": "mlp", "dropout": 0.25, "batch_norm": False, "augment": True,
                      "rotation": 0.04, "shift": 0.1, "zoom": 0.1},
        dataset="mnist",
        hyperparameters={"optimizer": "adam", "learning_rate": 0.001, "epochs": 3, "batch_size": 32,
                         "validation_split": 0.1, "early_stopping": None, "seed": 0},
        history=history,
        test_metrics={"accuracy": accuracy, "loss": 0.1234, "macro_f1": 0.9701},
        preprocess_version="1",
        keras_version=keras.__version__,
        tensorflow_version=tf.__version__,
        param_count=int(model.count_params()),
        training_seconds=75.0,
        created=CREATED,
        class_names=[str(d) for d in range(10)],
        # "one" is left as files from before digitpad named the test data.
        test_data={"name": "MNIST test", "size": 10_000} if name == "seven" else {},
        calibration={"temperature": 1.24, "fitted_on": "MNIST validation split, 5,000",
                     "ece_before": 0.0085, "ece_after": 0.006} if name == "seven" else {},
        # "one" was fine-tuned from "seven" on a person's digits.
        lineage=None if name == "seven" else {
            "parent": "seven", "personal_digits": 40, "personal_variants": 0, "replayed_digits": 500,
            "personal_before": {"accuracy": 0.5, "count": 10, "data": "your held-out digits"},
            "personal_after": {"accuracy": 0.9, "count": 10, "data": "your held-out digits"},
        },
    )


def build_tiny_models(root: Path) -> TinyModels:
    """Built once per session; a second test module reuses the files already on disk."""
    models = TinyModels(root / "seven.keras", root / "one.keras", root / "plain" / "plain.keras", 7850)
    if models.plain.is_file():
        return models
    import keras
    import tensorflow as tf

    library = ModelLibrary(root)
    seven = tiny_model(keras, 7, seed=1)
    library.save(seven, tiny_metadata(keras, tf, "seven", seven, 0.9731, SEVEN_HISTORY))
    one = tiny_model(keras, 1, seed=2)
    library.save(one, tiny_metadata(keras, tf, "one", one, 0.1135, {}))
    models.plain.parent.mkdir()
    tiny_model(keras, 7, seed=3).save(models.plain)
    assert seven.count_params() == models.param_count
    return models


def settle(tab: ModelsTab, timeout_s: float = 90.0) -> None:
    """Let the tab's workers finish what the last click started (listing, loading, renaming)."""
    deadline = time.monotonic() + timeout_s
    QTest.qWait(1)
    while tab.is_busy():
        assert time.monotonic() < deadline, "the Models tab stayed busy"
        QTest.qWait(5)


def table_texts(tab: ModelsTab) -> dict[str, list[str]]:
    """Shown rows by name: the text of every column, as the user reads it."""
    model = tab.table.model()
    rows = {}
    for r in range(model.rowCount()):
        cells = [model.index(r, c).data() for c in range(len(COLUMNS))]
        rows[cells[NAME].replace("●", "").strip()] = cells
    return rows


def row_of(tab: ModelsTab, name: str) -> int:
    model = tab.table.model()
    for r in range(model.rowCount()):
        if model.index(r, NAME).data().replace("●", "").strip() == name:
            return r
    raise AssertionError(f"{name} is not in the table: {list(table_texts(tab))}")


def cell_center(tab: ModelsTab, row: int, column: int = NAME) -> QPoint:
    return tab.table.visualRect(tab.table.model().index(row, column)).center()


def click_row(tab: ModelsTab, name: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              column: int = DATASET) -> None:
    QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, modifier, cell_center(tab, row_of(tab, name), column))
    settle(tab)


def click(tab: ModelsTab, button: QPushButton) -> None:
    """A real click on one of the tab's buttons, then wait for the work it started."""
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(tab)


def click_header(tab: ModelsTab, column: int) -> None:
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))


def library_files(library: ModelLibrary) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(library.root.iterdir())}


def compare(tab: ModelsTab, *names: str) -> None:
    """Selects the models with clicks (table sorted by name, so panels come in that order)."""
    tab.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    click_row(tab, names[0])
    for name in names[1:]:
        click_row(tab, name, CTRL)
    assert tab.compare_button.isEnabled()
    QTest.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)
    settle(tab)
