"""One model's evaluation to click through: scores, confusion heatmap, per-class table, gallery.

The numbers say how good a model is; the images say why. Every part leads to the images behind
it: a cell of the confusion matrix or a row of the per-class table filters the gallery to those
images, and a tile shows the model's probabilities and which pixels drove its answer. The
explanation runs the model many times, so it is computed on a worker (`LatestTask`: clicking
tile after tile never queues a backlog), as is writing the shareable report.
The same view serves the Train tab's results, a model's details and each model of a comparison.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.evaluated_set import EvaluatedSet
from digitpad.core.evaluation import ClassMetrics
from digitpad.core.explanation import Explanation, explain, saliency_rgba
from digitpad.core.report import write_report
from digitpad.core.trained_predictor import AnsweringModel
from digitpad.gui import style
from digitpad.gui.confusion_heatmap import ConfusionHeatmap
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, accuracy_text, decimal, format_count, format_percent
from digitpad.gui.prediction_gallery import PredictionGallery
from digitpad.gui.probability_bars import ProbabilityBars
from digitpad.gui.widgets import (
    TABLE_ROW_HEIGHT,
    RememberingFileDialog,
    card,
    digit_pixmap,
    make_read_only,
    muted_label,
    named,
    rgba_image,
)
from digitpad.gui.workers import BackgroundTask, LatestTask

SETTINGS_REPORT_DIR = "paths/report_dir"
SAMPLE_SIZE = 100
# The image's panel is as wide as its two pictures; its wrapped texts get that width fixed so
# they report their true height and never widen the panel.
SAMPLE_PANEL_WIDTH = 2 * SAMPLE_SIZE + 8
PLACEHOLDER = QT_TRANSLATE_NOOP("EvaluationView", "No evaluation to show yet.")
PICK_A_TILE = QT_TRANSLATE_NOOP("EvaluationView", "Click an image to see the model's probabilities and which pixels drove its answer.")
NO_PREDICTOR = QT_TRANSLATE_NOOP("EvaluationView", "No explanation: the model behind this evaluation is not loaded.")
EXPLAINING = QT_TRANSLATE_NOOP("EvaluationView", "Working out which pixels mattered…")
COLUMNS = (QT_TRANSLATE_NOOP("EvaluationView", "Class"), QT_TRANSLATE_NOOP("EvaluationView", "Precision"), QT_TRANSLATE_NOOP("EvaluationView", "Recall"), "F1", QT_TRANSLATE_NOOP("EvaluationView", "Images"))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
METRICS_ROLE = Qt.ItemDataRole.UserRole + 2


_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class ExplainedSample:
    """A worker's explanation, tagged with what it explains so a late one can be recognised."""

    generation: int
    sample: int
    explanation: Explanation


def explain_sample(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray, sample: int, generation: int,
                   progress: Callable[[Any], None], stop_event: threading.Event) -> ExplainedSample:
    """The worker's job: explain the model's answer on one test image."""
    return ExplainedSample(generation, sample, explain(predict, x))


def save_report(folder: Path, evaluated: EvaluatedSet, predictor: AnsweringModel | None,
                progress: Callable[[Any], None], stop_event: threading.Event) -> Path:
    """The worker's job: write the report, with the model's summary when the model is loaded."""
    return write_report(
        folder, evaluated,
        metadata=predictor.metadata if predictor is not None else None,
        layers=predictor.layers if predictor is not None else None,
        num_params=predictor.num_params if predictor is not None else None,
        progress=progress, stop_event=stop_event,
    )


def report_folder(chosen: Path, model_name: str) -> Path:
    """Where the report goes: the chosen folder when it is empty or holds an earlier report,
    else a new folder in it named after the model, so index.html and its pictures never end up
    scattered among someone's documents."""
    if not chosen.is_dir() or (chosen / "index.html").exists() or not any(chosen.iterdir()):
        return chosen
    name = re.sub(r"[^\w.-]+", "-", model_name).strip("-.") or "model"
    return chosen / f"report-{name}"


def overlay_pixmap(x: np.ndarray, saliency: np.ndarray, size: int) -> QPixmap:
    """The digit as people write it with the explanation's colours over it, the same colour
    map as the report's and the canvas's PNGs (`saliency_rgba`)."""
    pixmap = digit_pixmap(x, size, paper=True, smooth=False)
    overlay = rgba_image(saliency_rgba(saliency, size))
    painter = QPainter(pixmap)
    painter.drawImage(pixmap.rect(), overlay)
    painter.end()
    return pixmap


class PerClassModel(QAbstractTableModel):
    """Precision, recall, F1 and support per class; `SORT_ROLE` gives the raw numbers so the
    sort is numeric, and the class column sorts by class index."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ClassMetrics, ...] = ()
        self._names: tuple[str, ...] = ()

    def set_metrics(self, rows: tuple[ClassMetrics, ...], names: tuple[str, ...]) -> None:
        self.beginResetModel()
        self._rows, self._names = rows, names
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("EvaluationView", COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        metrics, column = self._rows[index.row()], index.column()
        values = (metrics.label, metrics.precision, metrics.recall, metrics.f1, metrics.support)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self._names[metrics.label]
            # Precision and recall as fractions like F1's, so the four numeric columns stay narrow.
            return format_count(metrics.support) if column == 4 else decimal(values[column], 3)
        if role == SORT_ROLE:
            return values[column]
        if role == METRICS_ROLE:
            return metrics
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            name = self._names[metrics.label]
            return (self.tr("Precision: of the images read as {name}, the share really {name}.\nRecall: of the {support} images of {name}, the share read right.\nClick to see them.").format(name=name, support=format_count(metrics.support)))
        return None


class EvaluationView(QWidget):
    """`show_evaluation(evaluated, predictor)` fills it; `clear()` goes back to the placeholder;
    `shutdown()` joins its workers (call it when the window closes)."""

    cellSelected = Signal(int, int)   # true class, predicted class: a confusion cell was clicked
    sampleSelected = Signal(int)      # index of the test image picked in the gallery

    def __init__(self, parent: QWidget | None = None, *, settings: QSettings | None = None,
                 placeholder: str = PLACEHOLDER) -> None:
        """`settings` remembers the report folder (default: digitpad's own settings)."""
        super().__init__(parent)
        self.setObjectName("evaluationView")
        self.setStyleSheet(style.EVALUATION_STYLESHEET)
        settings = settings if settings is not None else QSettings("digitpad", "digitpad")
        self._report_files = RememberingFileDialog(settings, SETTINGS_REPORT_DIR)
        self._evaluated: EvaluatedSet | None = None
        self._predictor: AnsweringModel | None = None
        self._sample: int | None = None
        self._generation = 0     # bumped per evaluation shown, so a late explanation is recognised
        self._explain_task = LatestTask(self)
        self._explain_task.succeeded.connect(self._on_explained)
        self._explain_task.failed.connect(self._on_explain_failed)
        self._report_task = BackgroundTask(self)
        self._report_task.progressed.connect(self._on_report_progress)
        self._report_task.succeeded.connect(self._on_report_saved)
        self._report_task.failed.connect(self._on_report_failed)
        self._report_task.finished.connect(self._on_report_finished)

        self.stack = named(QStackedWidget(), "evaluationStack")
        empty = named(QLabel(QCoreApplication.translate("EvaluationView", placeholder)), "evaluationPlaceholder")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        self.stack.addWidget(empty)
        self.stack.addWidget(self._build_results())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # ---- building ---------------------------------------------------------------------------

    def _build_results(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._build_headline())
        self.warnings_label = named(QLabel(), "evaluationWarnings")
        self.warnings_label.setWordWrap(True)
        layout.addWidget(self.warnings_label)
        self.report_status = named(muted_label(""), "reportStatus")
        self.report_status.setOpenExternalLinks(False)
        self.report_status.linkActivated.connect(self._on_report_link)
        self.report_status.setVisible(False)
        layout.addWidget(self.report_status)

        self.split = named(QSplitter(Qt.Orientation.Horizontal), "evaluationSplit")
        for pane in (self._build_confusion_card(), self._build_gallery_card(), self._build_sample_card()):
            self.split.addWidget(pane)
        self.split.setChildrenCollapsible(False)
        for position, stretch in enumerate((3, 4, 0)):
            self.split.setStretchFactor(position, stretch)
        # Relative widths to start with (the image's panel would otherwise take its bars' wide
        # size hint from the gallery); Qt scales them to the space there is.
        self.split.setSizes([350, 390, 260])
        layout.addWidget(self.split, 1)
        return page

    def _build_headline(self) -> QHBoxLayout:
        scores = QGridLayout()
        scores.setHorizontalSpacing(24)
        scores.setVerticalSpacing(0)
        self.accuracy_label = named(QLabel(), "evaluationAccuracy")
        self.loss_label = named(QLabel(), "evaluationLoss")
        self.f1_label = named(QLabel(), "evaluationMacroF1")
        for column, (text, value) in enumerate(((self.tr("accuracy"), self.accuracy_label),
                                                (self.tr("loss"), self.loss_label),
                                                (self.tr("macro F1"), self.f1_label))):
            scores.addWidget(value, 0, column, Qt.AlignmentFlag.AlignBottom)
            scores.addWidget(muted_label(text), 1, column)
        self.details_label = named(muted_label(""), "evaluationDetails")
        self.save_button = named(QPushButton(self.tr("Save report…")), "saveReportButton")
        self.save_button.setToolTip(self.tr("Write this evaluation as a web page with its pictures, to share or print."))
        self.save_button.clicked.connect(self._on_save_report)
        headline = QHBoxLayout()
        headline.setSpacing(24)
        headline.addLayout(scores)
        headline.addWidget(self.details_label, 1)
        headline.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        return headline

    def _build_confusion_card(self) -> QFrame:
        """The heatmap and the per-class table take turns in one card, each with the card's whole
        height: at the window's default size, stacked, the heatmap would be a strip."""
        frame, layout = card()
        matrix_page = QWidget()
        matrix_layout = QVBoxLayout(matrix_page)
        matrix_layout.setContentsMargins(0, 6, 0, 0)
        header = QHBoxLayout()
        header.addWidget(muted_label(self.tr("Rows: the true class. Click a cell to see its images.")), 1)
        self.counts_button = named(QToolButton(), "countsButton")
        self.row_percent_button = named(QToolButton(), "rowPercentButton")
        for button, text, tip in ((self.counts_button, self.tr("Counts"), self.tr("Write the number of images in each cell.")),
                                  (self.row_percent_button, self.tr("Row %"), self.tr("Write each cell's share of its true class."))):
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setAutoExclusive(True)
            header.addWidget(button)
        self.counts_button.setChecked(True)
        self.row_percent_button.toggled.connect(self._on_mode_toggled)
        matrix_layout.addLayout(header)
        self.heatmap = ConfusionHeatmap()
        self.heatmap.cellClicked.connect(self._on_cell_clicked)
        matrix_layout.addWidget(self.heatmap, 1)
        self.class_pages = named(QTabWidget(), "classPages")
        self.class_pages.setDocumentMode(True)
        self.class_pages.addTab(matrix_page, self.tr("Confusion matrix"))
        self.class_pages.addTab(self._build_table(), self.tr("Per class"))
        layout.addWidget(self.class_pages, 1)
        return frame

    def _build_table(self) -> QTableView:
        self.per_class = PerClassModel(self)
        self.per_class_proxy = QSortFilterProxyModel(self)
        self.per_class_proxy.setSourceModel(self.per_class)
        self.per_class_proxy.setSortRole(SORT_ROLE)
        table = self.per_class_table = named(QTableView(), "perClassTable")
        table.setModel(self.per_class_proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        make_read_only(table, selectable=True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for narrow in (0, 3):   # the names as long as they are, "F1" short: room for "Precision"
            header.setSectionResizeMode(narrow, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setToolTip(self.tr("Click a class to see its images in the gallery; click a heading to sort."))
        table.clicked.connect(self._on_class_clicked)
        return table

    def _build_gallery_card(self) -> QFrame:
        frame, layout = card(self.tr("Test images"))
        self.gallery = PredictionGallery()
        self.gallery.sampleSelected.connect(self._on_sample_selected)
        self.gallery.filterChanged.connect(self._on_gallery_filter_changed)
        layout.addWidget(self.gallery, 1)
        return frame

    def _build_sample_card(self) -> QFrame:
        """The picked image: what it is and what the model answered, the image beside its
        explanation, and the model's probabilities below."""
        frame, card_layout = card(self.tr("Selected image"))
        # A short window (the Models tab's Evaluate page) scrolls this card rather than
        # squeezing its pictures and bars on top of each other.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        scroll = named(QScrollArea(), "sampleScroll")
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        card_layout.addWidget(scroll, 1)
        self.sample_title = named(QLabel(QCoreApplication.translate("EvaluationView", PICK_A_TILE)), "sampleTitle")
        self.sample_title.setWordWrap(True)
        self.sample_title.setFixedWidth(SAMPLE_PANEL_WIDTH)
        layout.addWidget(self.sample_title)
        pictures = QGridLayout()
        pictures.setHorizontalSpacing(4)
        pictures.setVerticalSpacing(2)
        self.sample_image = named(QLabel(), "sampleImage")
        self.explanation_image = named(QLabel(), "sampleExplanation")
        for column, (label, text) in enumerate(((self.sample_image, self.tr("the image")),
                                                (self.explanation_image, self.tr("what drove the answer")))):
            label.setFixedSize(SAMPLE_SIZE + 2, SAMPLE_SIZE + 2)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            pictures.addWidget(label, 0, column)
            pictures.addWidget(muted_label(text), 1, column)
        layout.addLayout(pictures)
        self.explanation_note = named(muted_label(""), "explanationNote")
        self.explanation_note.setFixedWidth(SAMPLE_PANEL_WIDTH)
        layout.addWidget(self.explanation_note)
        self.bars = ProbabilityBars()
        self.bars.setMinimumSize(SAMPLE_PANEL_WIDTH, 180)
        layout.addWidget(self.bars, 1)
        return frame

    # ---- public API -------------------------------------------------------------------------

    def show_evaluation(self, evaluated: EvaluatedSet, predictor: AnsweringModel | None) -> None:
        """Show `evaluated`; `predictor` (the model that made it, or None when it is not loaded)
        explains single images and describes the model in the report."""
        self._generation += 1
        self._evaluated, self._predictor, self._sample = evaluated, predictor, None
        evaluation = evaluated.evaluation
        self.accuracy_label.setText(accuracy_text(evaluation.accuracy))
        self.loss_label.setText(decimal(evaluation.loss, 4))
        self.f1_label.setText(decimal(evaluation.macro_f1, 4))
        wrong = len(evaluation.misclassified)
        self.details_label.setText(
            self.tr("{model_name} tested on {test_label}: {wrong} of {value} wrong.").format(model_name=evaluated.model_name, test_label=evaluated.test_label, wrong=format_count(wrong), value=format_count(len(evaluated.labels)))
        )
        self.warnings_label.setText("\n".join(f"⚠ {warning}" for warning in evaluated.warnings))
        self.warnings_label.setVisible(bool(evaluated.warnings))
        self.report_status.setVisible(False)
        self.heatmap.set_confusion(evaluation.confusion, evaluated.class_names)
        self.per_class.set_metrics(evaluation.per_class, evaluated.class_names)
        self._fit_table_rows()
        self.bars.set_class_names(evaluated.class_names)
        self.gallery.set_evaluated(evaluated)
        self._show_no_sample()
        self.save_button.setEnabled(not self._report_task.is_running())
        self.stack.setCurrentIndex(1)

    def clear(self) -> None:
        """Back to the placeholder; a late explanation of the old evaluation is ignored."""
        self._generation += 1
        self._evaluated, self._predictor, self._sample = None, None, None
        self.heatmap.clear_confusion()
        self.per_class.set_metrics((), ())
        self.gallery.set_evaluated(None)
        self._show_no_sample()
        self.stack.setCurrentIndex(0)

    def evaluated(self) -> EvaluatedSet | None:
        return self._evaluated

    def selected_sample(self) -> int | None:
        return self._sample

    def is_busy(self) -> bool:
        """An explanation or a report is still being made (tests wait for this to end)."""
        return self._explain_task.is_busy() or self._report_task.is_running()

    def shutdown(self) -> None:
        """Stop and join the workers; nothing arrives afterwards."""
        self._explain_task.stop_and_wait()
        self._report_task.stop_and_wait()

    # ---- confusion matrix and table ---------------------------------------------------------

    @Slot(int, int)
    def _on_cell_clicked(self, true: int, predicted: int) -> None:
        self.gallery.set_filter(true, predicted, "all")
        self.cellSelected.emit(true, predicted)

    @Slot(bool)
    def _on_mode_toggled(self, row_percent: bool) -> None:
        self.heatmap.set_mode("row" if row_percent else "counts")

    @Slot(QModelIndex)
    def _on_class_clicked(self, index: QModelIndex) -> None:
        metrics: ClassMetrics = self.per_class_proxy.data(index, METRICS_ROLE)
        self.gallery.set_filter(metrics.label, None, "all")

    @Slot()
    def _on_gallery_filter_changed(self) -> None:
        """The heatmap outlines the cell the gallery shows, whichever way it was chosen."""
        true, predicted, _shown = self.gallery.current_filter()
        self.heatmap.select_cell((true, predicted) if true is not None and predicted is not None else None)

    # ---- one image --------------------------------------------------------------------------

    @Slot(int)
    def _on_sample_selected(self, sample: int) -> None:
        evaluated = self._evaluated
        if evaluated is None:
            return
        self._sample = sample
        names = evaluated.class_names
        true, answer = int(evaluated.labels[sample]), int(evaluated.predicted[sample])
        probabilities = evaluated.probabilities[sample]
        verdict = self.tr("read right") if true == answer else self.tr("read as {value}").format(value=names[answer])
        sure = format_percent(float(probabilities[answer]), 1).replace(" ", "\N{NO-BREAK SPACE}")
        self.sample_title.setText(self.tr("Image {sample}: {value}, {verdict} ({sure})").format(sample=sample, value=names[true], verdict=verdict, sure=sure))
        x = evaluated.image(sample)
        self.sample_image.setPixmap(digit_pixmap(x, SAMPLE_SIZE, paper=True, smooth=False))
        self.bars.set_probabilities(probabilities)
        self.explanation_image.clear()
        if self._predictor is None:
            self.explanation_note.setText(QCoreApplication.translate("EvaluationView", NO_PREDICTOR))
        else:
            self.explanation_note.setText(QCoreApplication.translate("EvaluationView", EXPLAINING))
            self._explain_task.submit(
                partial(explain_sample, self._predictor.predict_prepared, x, sample, self._generation))
        self.sampleSelected.emit(sample)

    @Slot(object)
    def _on_explained(self, result: object) -> None:
        evaluated = self._evaluated
        if (not isinstance(result, ExplainedSample) or evaluated is None
                or (result.generation, result.sample) != (self._generation, self._sample)):
            return  # the user has moved on
        explanation = result.explanation
        self.explanation_image.setPixmap(
            overlay_pixmap(evaluated.image(result.sample), explanation.saliency, SAMPLE_SIZE))
        self.explanation_note.setText(
            self.tr("Warm: pixels that pushed the model towards {value}; cool: pixels that held it back ({method}).").format(value=evaluated.class_names[explanation.label], method=explanation.method)
        )

    @Slot(str)
    def _on_explain_failed(self, message: str) -> None:
        self.explanation_note.setText(self.tr("No explanation: {message}").format(message=message))

    def _fit_table_rows(self) -> None:
        """Every class row shows whole."""
        table = self.per_class_table
        rows = self.per_class_proxy.rowCount()
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + rows * TABLE_ROW_HEIGHT
                               + 2 * table.frameWidth())

    def _show_no_sample(self) -> None:
        self.sample_title.setText(QCoreApplication.translate("EvaluationView", PICK_A_TILE))
        self.sample_image.setPixmap(digit_pixmap(None, SAMPLE_SIZE, paper=True))
        self.explanation_image.clear()
        self.explanation_note.setText("")
        self.bars.set_probabilities(None)

    # ---- the report -------------------------------------------------------------------------

    @Slot()
    def _on_save_report(self) -> None:
        evaluated = self._evaluated
        if evaluated is None or self._report_task.is_running():
            return
        chosen = self._report_files.open_folder(self, self.tr("Choose a folder for the report"))
        if chosen is None:
            return
        folder = report_folder(chosen, evaluated.model_name)
        self.save_button.setEnabled(False)
        self._set_report_status(self.tr("Writing the report…"))
        self._report_task.start(partial(save_report, folder, evaluated, self._predictor))

    @Slot(object)
    def _on_report_progress(self, fraction: object) -> None:
        if isinstance(fraction, float | int):
            self._set_report_status(self.tr("Writing the report… {value}").format(value=format_percent(float(fraction), 0)))

    @Slot(object)
    def _on_report_saved(self, index: object) -> None:
        page = Path(str(index))
        folder_url = QUrl.fromLocalFile(str(page.parent)).toString()
        page_url = QUrl.fromLocalFile(str(page)).toString()
        self._set_report_status(
            self.tr('Report saved in <a href="{folder_url}">{parent}</a> · <a href="{page_url}">Open it</a>').format(folder_url=folder_url, parent=page.parent, page_url=page_url))

    @Slot(str)
    def _on_report_failed(self, message: str) -> None:
        self._set_report_status(self.tr("⚠ The report was not saved: {message}").format(message=message))

    @Slot()
    def _on_report_finished(self) -> None:
        self.save_button.setEnabled(self._evaluated is not None)

    @Slot(str)
    def _on_report_link(self, url: str) -> None:
        QDesktopServices.openUrl(QUrl(url))

    def _set_report_status(self, text: str) -> None:
        self.report_status.setText(text)
        self.report_status.setVisible(True)
