"""The clickable evaluation: heatmap cells, table rows and filters choose the gallery's images,
a tile shows its probabilities and an explanation made on a worker, and Save report writes one.

The evaluations are built from real MNIST digits with chosen answers, so every test knows
exactly which images each click must show.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from digitpad.core.datasets import FASHION_CLASS_NAMES, MNIST_CLASS_NAMES
from digitpad.core.evaluated_set import EvaluatedSet
from digitpad.core.evaluation import metrics_from_probabilities
from digitpad.core.explanation import Explanation
from digitpad.core.inference import Predictor
from digitpad.gui import evaluation_view
from digitpad.gui.confusion_heatmap import cell_text
from digitpad.gui.evaluation_view import NO_PREDICTOR, EvaluationView, overlay_pixmap, report_folder
from digitpad.gui.prediction_gallery import describe_selection
from digitpad.gui.widgets import TABLE_ROW_HEIGHT, RememberingFileDialog

LEFT = Qt.MouseButton.LeftButton
SAMPLES = 150
WAIT_S = 60.0


class Answers:
    """Which images the fake model gets wrong: (index, answer, confidence)."""

    def __init__(self, labels: np.ndarray) -> None:
        sevens = np.flatnonzero(labels == 7)
        threes = np.flatnonzero(labels == 3)
        ones = np.flatnonzero(labels == 1)
        self.seven_as_one = [(int(sevens[0]), 1, 0.90), (int(sevens[1]), 1, 0.60), (int(sevens[2]), 1, 0.75)]
        self.three_as_five = [(int(threes[0]), 5, 0.80)]
        self.one_as_seven = [(int(ones[0]), 7, 0.55)]
        self.mistakes = self.seven_as_one + self.three_as_five + self.one_as_seven


def probabilities_for(labels: np.ndarray, mistakes: list[tuple[int, int, float]]) -> np.ndarray:
    """Right answers with confidences from 0.5 to 0.99 (all different), except `mistakes`."""
    count = len(labels)
    confidence = np.linspace(0.5, 0.99, count)[np.random.default_rng(0).permutation(count)]
    answers = labels.astype(np.int64).copy()
    for index, answer, sure in mistakes:
        answers[index], confidence[index] = answer, sure
    probabilities = np.repeat(((1.0 - confidence) / 9.0)[:, None], 10, axis=1)
    probabilities[np.arange(count), answers] = confidence
    return probabilities.astype(np.float32)


def make_evaluated(images: np.ndarray, labels: np.ndarray, mistakes: list[tuple[int, int, float]],
                   class_names: tuple[str, ...] = MNIST_CLASS_NAMES, warnings: tuple[str, ...] = ()) -> EvaluatedSet:
    evaluation = metrics_from_probabilities(labels, probabilities_for(labels, mistakes))
    return EvaluatedSet(evaluation, images, labels, class_names, f"the first {len(labels)} digits", "tiny-model",
                        warnings)


@pytest.fixture
def digits(mnist: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    x, y = mnist
    return x[:SAMPLES], y[:SAMPLES].astype(np.int64)


@pytest.fixture
def answers(digits: tuple[np.ndarray, np.ndarray]) -> Answers:
    return Answers(digits[1])


@pytest.fixture
def evaluated(digits: tuple[np.ndarray, np.ndarray], answers: Answers) -> EvaluatedSet:
    return make_evaluated(*digits, answers.mistakes)


@pytest.fixture
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[EvaluationView]:
    widget = EvaluationView(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(widget)
    widget.resize(1000, 620)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def settle(view: EvaluationView) -> None:
    deadline = time.monotonic() + WAIT_S
    QTest.qWait(1)
    while view.is_busy():
        assert time.monotonic() < deadline, "the evaluation view stayed busy"
        QTest.qWait(5)
    QTest.qWait(1)


def click_cell(qtbot: QtBot, view: EvaluationView, true: int, predicted: int) -> None:
    qtbot.mouseClick(view.heatmap.viewport(), LEFT, pos=view.heatmap.cell_center(true, predicted))


def click_tile(qtbot: QtBot, view: EvaluationView, row: int) -> None:
    qtbot.mouseClick(view.gallery.view.viewport(), LEFT, pos=view.gallery.tile_rect(row).center())


def table_column(view: EvaluationView, column: int) -> list[str]:
    model = view.per_class_table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


# ---------------------------------------------------------------- heatmap → gallery


def test_clicking_a_cell_shows_exactly_its_images_and_says_so(qtbot: QtBot, view: EvaluationView,
                                                               evaluated: EvaluatedSet, answers: Answers):
    view.show_evaluation(evaluated, None)
    with qtbot.waitSignal(view.cellSelected, timeout=2000) as signal:
        click_cell(qtbot, view, 7, 1)
    assert signal.args == [7, 1]
    by_confidence = sorted(answers.seven_as_one, key=lambda mistake: -mistake[2])
    assert view.gallery.shown_indices().tolist() == [index for index, _, _ in by_confidence]
    assert view.gallery.summary.text() == "3 images of 7 read as 1 · most confident first."
    assert view.heatmap.selected_cell() == (7, 1)
    assert view.gallery.current_filter() == (7, 1, "all")

    click_cell(qtbot, view, 3, 3)   # the diagonal: the 3s read right, least confident first
    labels, predicted, confidence = evaluated.labels, evaluated.predicted, evaluated.confidence
    right_threes = np.flatnonzero((labels == 3) & (predicted == 3))
    shown = view.gallery.shown_indices()
    assert sorted(shown.tolist()) == right_threes.tolist()
    assert np.all(np.diff(confidence[shown]) >= 0)
    assert "read right" in view.gallery.summary.text()


def test_the_heatmap_writes_counts_or_row_percentages(qtbot: QtBot, view: EvaluationView,
                                                      evaluated: EvaluatedSet):
    view.show_evaluation(evaluated, None)
    confusion = evaluated.evaluation.confusion
    sevens = int(confusion[7].sum())
    texts = view.heatmap.cell_texts()
    assert texts[7][1] == "3" and texts[7][7] == str(sevens - 3) and texts[7][2] == ""
    qtbot.mouseClick(view.row_percent_button, LEFT)
    assert view.heatmap.mode() == "row"
    expected = 100 * 3 / sevens
    assert view.heatmap.cell_texts()[7][1] == (f"{expected:.1f}" if expected < 9.95 else f"{expected:.0f}")
    assert view.heatmap.cell_texts()[7][7] == f"{100 * (sevens - 3) / sevens:.0f}"
    qtbot.mouseClick(view.counts_button, LEFT)
    assert view.heatmap.cell_texts()[7][1] == "3"


def test_row_percentages_never_round_a_part_of_a_row_to_0_or_100():
    assert [cell_text(count, 209, "row") for count in (0, 1, 10, 208, 209)] == ["", "0.5", "4.8", "99.5", "100"]
    assert cell_text(1, 10_000, "row") == "<0.1" and cell_text(9_999, 10_000, "row") == "99.9"
    assert cell_text(1_135, 1_200, "counts") == "1,135" and cell_text(0, 5, "counts") == ""


# ---------------------------------------------------------------- gallery filters


def test_gallery_filters_by_true_class_answer_and_verdict(qtbot: QtBot, view: EvaluationView,
                                                          evaluated: EvaluatedSet, answers: Answers):
    view.show_evaluation(evaluated, None)
    gallery = view.gallery
    mistakes_first = [index for index, _, _ in sorted(answers.mistakes, key=lambda mistake: -mistake[2])]
    assert gallery.shown_indices()[: len(mistakes_first)].tolist() == mistakes_first
    assert len(gallery.shown_indices()) == SAMPLES

    gallery.shown_combo.setCurrentIndex(gallery.shown_combo.findData("mistakes"))
    assert gallery.shown_indices().tolist() == mistakes_first
    assert gallery.summary.text() == "5 mistakes · most confident first."

    gallery.true_combo.setCurrentIndex(gallery.true_combo.findData(7))
    assert gallery.shown_indices().tolist() == [index for index, _, _ in
                                               sorted(answers.seven_as_one, key=lambda mistake: -mistake[2])]
    assert view.heatmap.selected_cell() is None     # a whole row is not one cell

    gallery.shown_combo.setCurrentIndex(gallery.shown_combo.findData("correct"))
    sevens_right = np.flatnonzero((evaluated.labels == 7) & (evaluated.predicted == 7))
    assert sorted(gallery.shown_indices().tolist()) == sevens_right.tolist()

    gallery.shown_combo.setCurrentIndex(gallery.shown_combo.findData("all"))
    gallery.true_combo.setCurrentIndex(0)   # Any
    gallery.predicted_combo.setCurrentIndex(gallery.predicted_combo.findData(7))
    read_as_seven = np.flatnonzero(evaluated.predicted == 7)
    assert sorted(gallery.shown_indices().tolist()) == read_as_seven.tolist()
    assert gallery.shown_indices()[0] == answers.one_as_seven[0][0]   # the one mistake first

    gallery.true_combo.setCurrentIndex(gallery.true_combo.findData(3))
    gallery.predicted_combo.setCurrentIndex(gallery.predicted_combo.findData(5))
    assert gallery.shown_indices().tolist() == [answers.three_as_five[0][0]]
    assert view.heatmap.selected_cell() == (3, 5)   # the filters name one cell: it is outlined
    gallery.predicted_combo.setCurrentIndex(gallery.predicted_combo.findData(8))
    assert gallery.shown_indices().tolist() == []
    assert gallery.summary.text() == "No images of 3 read as 8."


def test_tiles_say_true_arrow_answer_and_confidence(view: EvaluationView, evaluated: EvaluatedSet,
                                                    answers: Answers):
    view.show_evaluation(evaluated, None)
    model = view.gallery.model
    first = model.index(0)
    assert model.data(first) == "7 → 1\n90 %"
    assert model.data(first, Qt.ItemDataRole.ForegroundRole) is not None    # mistakes in red
    pixmap = model.data(first, Qt.ItemDataRole.DecorationRole)
    corner = pixmap.toImage().pixelColor(1, 1)
    assert corner.red() > 180 and corner.green() < 90       # a red frame
    right_row = len(answers.mistakes)
    assert model.data(model.index(right_row), Qt.ItemDataRole.ForegroundRole) is None


# ---------------------------------------------------------------- per-class table


def test_per_class_table_sorts_and_a_row_filters_the_gallery(qtbot: QtBot, view: EvaluationView,
                                                             evaluated: EvaluatedSet):
    view.show_evaluation(evaluated, None)
    assert table_column(view, 0) == [str(digit) for digit in range(10)]
    recall = {metrics.label: metrics.recall for metrics in evaluated.evaluation.per_class}
    header = view.per_class_table.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(2) + header.sectionSize(2) // 2, header.height() // 2)
    for _ in range(2):   # one click sorts by recall, the next reverses it
        qtbot.mouseClick(header.viewport(), LEFT, pos=position)
        shown = [recall[int(name)] for name in table_column(view, 0)]
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert header.sortIndicatorSection() == 2
        assert shown == sorted(recall.values(), reverse=descending)
        assert table_column(view, 0)[-1 if descending else 0] == "7"   # three 7s misread: the worst recall

    row = table_column(view, 0).index("3")
    table = view.per_class_table
    cell = table.visualRect(table.model().index(row, 1)).center()
    qtbot.mouseClick(table.viewport(), LEFT, pos=cell)
    assert view.gallery.current_filter() == (3, None, "all")
    assert sorted(view.gallery.shown_indices().tolist()) == np.flatnonzero(evaluated.labels == 3).tolist()


# ---------------------------------------------------------------- one image


def test_a_tile_shows_its_probabilities_and_an_explanation_made_on_a_worker(
        qtbot: QtBot, view: EvaluationView, evaluated: EvaluatedSet, predictor: Predictor,
        monkeypatch: pytest.MonkeyPatch):
    threads: list[threading.Thread] = []
    real_explain = evaluation_view.explain

    def recording_explain(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> Explanation:
        threads.append(threading.current_thread())
        return real_explain(predict, x)

    monkeypatch.setattr(evaluation_view, "explain", recording_explain)
    view.show_evaluation(evaluated, predictor)
    with qtbot.waitSignal(view.sampleSelected, timeout=2000) as signal:
        click_tile(qtbot, view, 2)
    sample = int(view.gallery.shown_indices()[2])   # the third most confident mistake: a 7 read as 1
    assert signal.args == [sample]
    assert view.selected_sample() == sample
    shown = view.bars.probabilities()
    assert shown is not None
    np.testing.assert_allclose(shown, evaluated.probabilities[sample], atol=1e-6)
    assert view.sample_title.text().startswith(f"Image {sample}: 7, read as 1")
    settle(view)
    assert threads and all(thread is not threading.main_thread() for thread in threads)
    assert not view.explanation_image.pixmap().isNull()
    answer = int(predictor.predict_prepared(evaluated.image(sample)[None])[0].argmax())
    assert f"towards {answer}" in view.explanation_note.text()


def test_only_the_latest_tile_is_explained(qtbot: QtBot, view: EvaluationView, evaluated: EvaluatedSet,
                                          predictor: Predictor, monkeypatch: pytest.MonkeyPatch):
    """Clicking on while an explanation is under way: the late one is dropped, the last shown."""
    first_may_finish = threading.Event()
    calls: list[int] = []

    def gated_explain(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> Explanation:
        calls.append(len(calls))
        if len(calls) == 1:
            first_may_finish.wait(WAIT_S)
        saliency = (x - 0.5).astype(np.float32)
        return Explanation(label=len(calls) - 1, probabilities=np.full(10, 0.1, np.float32), saliency=saliency,
                           method="test")

    monkeypatch.setattr(evaluation_view, "explain", gated_explain)
    view.show_evaluation(evaluated, predictor)
    click_tile(qtbot, view, 0)
    click_tile(qtbot, view, 3)
    first_may_finish.set()
    settle(view)
    assert len(calls) == 2
    assert "towards 1" in view.explanation_note.text()   # the second call's label, not the first's
    second = int(view.gallery.shown_indices()[3])
    expected = overlay_pixmap(evaluated.image(second), evaluated.image(second) - 0.5, evaluation_view.SAMPLE_SIZE)
    assert view.explanation_image.pixmap().toImage() == expected.toImage()


def test_without_a_model_the_explanation_says_why(qtbot: QtBot, view: EvaluationView, evaluated: EvaluatedSet):
    view.show_evaluation(evaluated, None)
    click_tile(qtbot, view, 0)
    assert view.explanation_note.text() == NO_PREDICTOR
    assert view.explanation_image.pixmap().isNull()
    assert not view.is_busy()


# ---------------------------------------------------------------- report


def test_save_report_writes_index_html_and_offers_to_open_it(qtbot: QtBot, view: EvaluationView,
                                                             evaluated: EvaluatedSet, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    chosen = tmp_path / "reports"
    chosen.mkdir()
    (chosen / "notes.txt").write_text("someone's file")   # not empty: the report gets its own folder
    monkeypatch.setattr(RememberingFileDialog, "open_folder", lambda self, parent, title: chosen)
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    view.show_evaluation(evaluated, None)
    qtbot.mouseClick(view.save_button, LEFT)
    assert not view.save_button.isEnabled()
    settle(view)
    folder = chosen / "report-tiny-model"
    index = folder / "index.html"
    assert index.is_file() and (folder / "confusion.png").is_file()
    assert "tiny-model" in index.read_text(encoding="utf-8")
    assert view.report_status.isVisible() and str(folder) in view.report_status.text()
    assert view.save_button.isEnabled()
    link = QUrl.fromLocalFile(str(index)).toString()
    assert f'href="{link}"' in view.report_status.text()
    view.report_status.linkActivated.emit(link)
    assert [url.toLocalFile() for url in opened] == [str(index)]


def test_report_folder_keeps_a_report_together(tmp_path: Path):
    assert report_folder(tmp_path / "new", "cnn") == tmp_path / "new"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report_folder(empty, "cnn v2") == empty
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "index.html").write_text("")
    (earlier / "confusion.png").write_text("")
    assert report_folder(earlier, "cnn") == earlier
    busy = tmp_path / "documents"
    busy.mkdir()
    (busy / "letter.odt").write_text("")
    assert report_folder(busy, "my cnn / v2") == busy / "report-my-cnn-v2"


# ---------------------------------------------------------------- names, layout, states


def test_fashion_class_names_everywhere(qtbot: QtBot, view: EvaluationView, digits: tuple[np.ndarray, np.ndarray],
                                        answers: Answers):
    evaluated = make_evaluated(*digits, answers.mistakes, class_names=FASHION_CLASS_NAMES)
    view.show_evaluation(evaluated, None)
    combo = view.gallery.true_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Any", *FASHION_CLASS_NAMES]
    assert view.gallery.model.data(view.gallery.model.index(0)) == "Sneaker\n→ Trouser\n90 %"
    assert table_column(view, 0) == list(FASHION_CLASS_NAMES)
    assert view.bars.class_names() == FASHION_CLASS_NAMES
    click_cell(qtbot, view, 7, 1)
    assert view.gallery.summary.text() == "3 images of Sneaker read as Trouser · most confident first."
    width = view.gallery.fontMetrics().horizontalAdvance("→ T-shirt/top")
    assert view.gallery.tile_rect(0).width() >= width   # long names are not cut


@pytest.mark.parametrize("size", [(1000, 620), (900, 600)])
def test_every_panel_fits_whole(qtbot: QtBot, view: EvaluationView, evaluated: EvaluatedSet,
                                size: tuple[int, int]):
    view.show_evaluation(evaluated, None)
    view.resize(*size)
    QTest.qWait(20)
    assert view.width() == size[0] and view.height() == size[1]
    table = view.per_class_table
    last = table.rowViewportPosition(9) + table.rowHeight(9)
    assert table.rowViewportPosition(0) == 0 and last <= table.viewport().height()
    assert table.rowHeight(0) == TABLE_ROW_HEIGHT
    header = table.horizontalHeader()
    for column in range(1, 5):   # numeric headings whole
        text = table.model().headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(text)
    assert view.heatmap.height() >= 150 and view.gallery.view.height() >= 200
    assert view.bars.height() >= 180


def test_warnings_and_headline(view: EvaluationView, digits: tuple[np.ndarray, np.ndarray], answers: Answers):
    evaluated = make_evaluated(*digits, answers.mistakes, warnings=("The model was trained on these digits.",))
    view.show_evaluation(evaluated, None)
    assert view.accuracy_label.text() == f"{100 * (SAMPLES - 5) / SAMPLES:.2f} %"
    assert view.details_label.text() == f"tiny-model tested on the first {SAMPLES} digits: 5 of {SAMPLES} wrong."
    assert view.warnings_label.isVisible() and "trained on these digits" in view.warnings_label.text()


def test_clear_goes_back_to_the_placeholder_and_a_new_evaluation_resets_filters(
        qtbot: QtBot, view: EvaluationView, evaluated: EvaluatedSet):
    view.show_evaluation(evaluated, None)
    click_cell(qtbot, view, 7, 1)
    view.clear()
    assert view.stack.currentIndex() == 0 and view.evaluated() is None
    assert len(view.gallery.shown_indices()) == 0
    view.show_evaluation(evaluated, None)
    assert view.gallery.current_filter() == (None, None, "all")
    assert view.heatmap.selected_cell() is None and view.selected_sample() is None
    # The heatmap still draws its cells after a clear (a plot's own `clear` would drop its items).
    image = view.heatmap.grab().toImage()
    diagonal = view.heatmap.cell_center(3, 3)
    colour = image.pixelColor(diagonal)
    assert colour.red() < 230 and colour.blue() > colour.red() + 20, "the diagonal cell is tinted blue, not blank"
    click_cell(qtbot, view, 7, 1)
    assert view.heatmap.selected_cell() == (7, 1)


def test_describe_selection_sentences():
    names = MNIST_CLASS_NAMES
    assert describe_selection(names, 2000, None, None, "all") == "2,000 images · mistakes first."
    assert describe_selection(names, 1, 7, 1, "all") == "1 image of 7 read as 1."
    assert describe_selection(names, 0, None, None, "mistakes") == "No mistakes."
    assert describe_selection(names, 40, 2, None, "correct") == "40 right answers of 2 · least confident first."
