"""Draw tab: draw a digit and watch the model read it while the pen moves.

Recognition runs on the GUI thread on purpose: the LiteRT `Predictor` plus preprocessing take
about a millisecond, less than handing the drawing to a thread and back. The canvas can change
hundreds of times a second, so predictions are coalesced to one per screen refresh.

A digit key or a click on a class's bar keeps the drawing in the person's own digits under that
label (`TeachPanel`), which is how digitpad learns a hand it misreads.

Three views look inside the answer, each computed on a worker because each costs more than the
prediction: "Why?" lays an explanation over the drawing once the pen is lifted
(`explanation_overlay`), "Step by step" reads the drawing after each preprocessing stage
(`preprocess_steps_view`) and "Inside the network" shows the layers' filters and feature maps
(`network_view`). The last two share a tab with the probabilities and are only fed while shown,
to spare the CPU the pen needs. Every answer carries the request it belongs to
(`_insight_serial`): one that arrives after the drawing or the model changed is dropped.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QRect, QRectF, QSignalBlocker, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSlider,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.datasets import MNIST_CLASS_NAMES
from digitpad.core.errors import DigitpadError, ImageError, NothingDrawnError
from digitpad.core.image_reading import model_input as read_as_model_input
from digitpad.core.image_reading import reads_whole_picture
from digitpad.core.inference import Predictor
from digitpad.core.library import LibraryEntry
from digitpad.core.model_jobs import LibraryListing
from digitpad.core.preprocess import preprocess
from digitpad.core.preprocess_stages import picture_geometry
from digitpad.core.reading import read_probabilities
from digitpad.gui import style
from digitpad.gui.app_state import (
    SETTINGS_BRUSH_SIZE,
    SETTINGS_IMAGE_DIR,
    SETTINGS_MODEL_DIR,
    AppState,
)
from digitpad.gui.canvas import DEFAULT_BRUSH, MAX_BRUSH, MIN_BRUSH, Canvas
from digitpad.gui.digits_service import DigitsService
from digitpad.gui.explanation_overlay import CanvasExplanation, WhyLegend, explain_drawing
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, decimal, format_count, model_accuracy_text
from digitpad.gui.network_view import NetworkView
from digitpad.gui.preprocess_steps_view import PreprocessStepsView, StagesReading, read_stages
from digitpad.gui.probability_bars import ProbabilityBars
from digitpad.gui.teach_panel import Capture, TeachPanel
from digitpad.gui.widgets import (
    RememberingFileDialog,
    caption,
    card,
    digit_pixmap,
    muted_label,
    named,
    rgba_image,
    set_style_property,
)
from digitpad.gui.workers import LatestTask

IMAGE_FILTER = QT_TRANSLATE_NOOP("DrawTab", "Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)")
MODEL_FILTER = QT_TRANSLATE_NOOP("DrawTab", "Keras models (*.keras);;All files (*)")
DEFAULT_MODEL_LABEL = QT_TRANSLATE_NOOP("DrawTab", "Default model (shipped)")
BLANK_TEXT = "–"
PREVIEW_SCALE = 5            # the 28x28 model input is shown 140x140, one block per pixel
MIN_PREDICTION_WIDTH = 180   # px: the answer's room before the layout has measured it
MIN_PREDICTION_PX = 18       # the smallest size a long answer shrinks to
PREDICTION_HEIGHT = 120
BRUSH_STEP = 2
RUNNER_UP_SHOWN_FROM = 0.15   # a second guess this likely is worth showing next to the first
DATASET_LABELS = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"}
FALLBACK_REFRESH_HZ = 60.0
SETTINGS_SHOW_WHY = "draw/showWhy"
NO_MODEL_STEPS_TEXT = QT_TRANSLATE_NOOP("DrawTab", "The steps appear once a model is loaded.")


# What the empty canvas says when the model reads pictures, not drawn digits (Fashion-MNIST).
PICTURE_MODEL_PROMPT = QT_TRANSLATE_NOOP("DrawTab", "This model reads Fashion-MNIST pictures:\nopen, drop or paste an image here.\nDrawing is for digit models.")


class DrawTab(QWidget):
    """Canvas, tools, model picker, the predicted class, probability bars and the model's view."""

    predicted = Signal(object)     # the probabilities just shown (np.ndarray (10,)), None when blank

    def __init__(self, state: AppState, digits: DigitsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawTab")
        self.setStyleSheet(style.DRAW_TAB_STYLESHEET + style.INSIGHT_STYLESHEET)
        self._state = state
        self._digits = digits
        self._canvas_serial = 0                  # bumped on every canvas change: which drawing was kept
        self._shown: np.ndarray | None = None    # the probabilities shown for the current drawing
        self._external_models: list[Path] = []   # opened from disk, not in the library
        self._read: tuple[np.ndarray, np.ndarray] | None = None   # the drawing and model input just read
        self._insight_serial = 0                 # bumped when the drawing or model changes: answers still wanted
        self._network_predictor: Predictor | None = None   # the model the network view was last given
        self._image_files = RememberingFileDialog(state.settings, SETTINGS_IMAGE_DIR)
        self._model_files = RememberingFileDialog(state.settings, SETTINGS_MODEL_DIR)

        self.canvas = Canvas()
        self.canvas.set_brush_size(state.int_setting(SETTINGS_BRUSH_SIZE, DEFAULT_BRUSH))
        self._create_actions()
        self._build()

        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.timeout.connect(self.update_prediction)
        self.canvas.imageChanged.connect(self._on_image_changed)
        self.canvas.undoAvailable.connect(self.undo_action.setEnabled)
        self.canvas.redoAvailable.connect(self.redo_action.setEnabled)
        self.canvas.brushSizeChanged.connect(self._on_brush_size_changed)
        self.canvas.loadFailed.connect(self._on_image_error)
        self.bars.classClicked.connect(self.teach.keep)
        self._why_task = LatestTask(self)
        self._why_task.succeeded.connect(self._on_explained)
        self._why_task.failed.connect(self._on_explain_failed)
        self._steps_task = LatestTask(self)
        self._steps_task.succeeded.connect(self._on_stages_read)
        self._steps_task.failed.connect(self._on_stages_failed)
        self.insight_tabs.currentChanged.connect(self._on_insight_page_changed)
        self.why_action.toggled.connect(self._on_why_toggled)
        self.why_action.setChecked(str(state.settings.value(SETTINGS_SHOW_WHY, "false")).lower() == "true")
        self.teach.promptChanged.connect(self.canvas.set_placeholder)

        state.predictorChanged.connect(self._on_predictor_changed)
        state.predictorLoadFailed.connect(self._on_predictor_load_failed)
        state.libraryListed.connect(self._on_library_listed)
        self.refresh_models()
        state.ensure_listing()
        if state.predictor is not None:
            self._on_predictor_changed(state.predictor)
        else:
            self._show_waiting()

    # ---- actions ----------------------------------------------------------------------------

    def _create_actions(self) -> None:
        def action(text: str, slot: object | None, *shortcuts: QKeySequence | QKeySequence.StandardKey | str,
                   tip: str = "") -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setToolTip(f"{tip or text} ({' / '.join(QKeySequence(s).toString() for s in shortcuts)})"
                           if shortcuts else tip or text)
            if slot is not None:
                act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.undo_action = action(self.tr("Undo"), self.canvas.undo, "Ctrl+Z", tip=self.tr("Undo the last stroke"))
        self.redo_action = action(self.tr("Redo"), self.canvas.redo, "Ctrl+Shift+Z", "Ctrl+Y", tip=self.tr("Redo"))
        self.clear_action = action(self.tr("Clear"), self.canvas.clear, "Esc", tip=self.tr("Clear the canvas"))
        self.paste_action = action(self.tr("Paste"), self.canvas.paste, QKeySequence.StandardKey.Paste,
                                   tip=self.tr("Paste an image from the clipboard"))
        self.bigger_brush_action = action(self.tr("Bigger brush"), self._on_bigger_brush, "]")
        self.smaller_brush_action = action(self.tr("Smaller brush"), self._on_smaller_brush, "[")
        self.eraser_action = action(self.tr("Eraser"), None, "E", tip=self.tr("Erase instead of drawing"))
        self.eraser_action.setCheckable(True)
        self.eraser_action.toggled.connect(self.canvas.set_eraser)   # menu, shortcut and button alike
        self.why_action = action(self.tr("Why?"), None, "W",
                                 tip=self.tr("Show what made the model give its answer, over the drawing"))
        self.why_action.setCheckable(True)
        self.open_image_action = action(self.tr("Open image…"), self.open_image_dialog, tip=self.tr("Open an image of a digit"))
        self.open_model_action = action(self.tr("Open model…"), self.open_model_dialog, tip=self.tr("Draw with a .keras model file"))
        self.keep_actions = [action(self.tr("Keep as {digit}").format(digit=digit), self._on_keep_key, str(digit),
                                    tip=self.tr("Keep this drawing in My digits as a {digit}").format(digit=digit)) for digit in range(10)]
        for digit, act in enumerate(self.keep_actions):
            act.setData(digit)
        self.keep_asked_action = action(self.tr("Keep as the digit asked for"), self._on_keep_asked, "Return", "Enter",
                                        tip=self.tr("In the guided mode, keep the drawing as the digit asked for"))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)

    def _button(self, act: QAction, name: str, text: str | None = None) -> QPushButton:
        """A push button that mirrors `act` (enabled, checked), with its own object name."""
        button = QPushButton(text or act.text())
        button.setObjectName(name)
        button.setToolTip(act.toolTip())
        button.setAccessibleName(act.text())
        button.setCheckable(act.isCheckable())
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # keep keyboard focus, and shortcuts, on the canvas
        if act.isCheckable():
            button.toggled.connect(act.setChecked)
            act.toggled.connect(button.setChecked)
        else:
            button.clicked.connect(act.trigger)
        act.changed.connect(lambda: button.setEnabled(act.isEnabled()))
        button.setEnabled(act.isEnabled())
        return button

    # ---- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setObjectName("brushSlider")
        self.brush_slider.setRange(MIN_BRUSH, MAX_BRUSH)
        self.brush_slider.setValue(self.canvas.brush_size())
        # The slider gives way first when the toolbar is short of room (French labels are longer);
        # the buttons never do: a cut "Ouvrir une image…" reads as nothing.
        self.brush_slider.setMinimumWidth(60)
        self.brush_slider.setMaximumWidth(120)
        self.brush_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.brush_slider.setToolTip(self.tr("Brush size ([ and ])"))
        self.brush_slider.valueChanged.connect(self.canvas.set_brush_size)
        self.brush_label = QLabel()
        self.brush_label.setMinimumWidth(44)
        self._on_brush_size_changed(self.canvas.brush_size())

        tools = QHBoxLayout()
        tools.setSpacing(6)   # 8 leaves French "Ouvrir une image…" a few pixels short at 1200 wide
        tools.addWidget(caption(self.tr("Brush")))
        tools.addWidget(self.brush_slider)
        tools.addSpacing(6)
        tools.addWidget(self.brush_label)
        tools.addWidget(self._button(self.eraser_action, "eraserButton"))
        # Undo and redo are arrows alone (named in their tooltips and for screen readers), which
        # leaves the toolbar room for "Why?" at the default window size.
        tools.addWidget(self._button(self.undo_action, "undoButton", "↶"))
        tools.addWidget(self._button(self.redo_action, "redoButton", "↷"))
        tools.addWidget(self._button(self.why_action, "whyButton"))
        tools.addStretch(1)
        tools.addWidget(self._button(self.open_image_action, "openImageButton", self.tr("Open image…")))
        clear = self._button(self.clear_action, "clearButton", self.tr("Clear"))
        clear.setProperty("primary", True)
        tools.addWidget(clear)
        for index in range(tools.count()):
            item = tools.itemAt(index)
            if item is not None and isinstance(button := item.widget(), QPushButton):
                button.setSizePolicy(QSizePolicy.Policy.Minimum, button.sizePolicy().verticalPolicy())

        hint = muted_label(self.tr("Draw with the mouse  ·  Esc clears  ·  [ ] brush size  ·  "
                      "drop or paste (Ctrl+V) an image onto the canvas"))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = hint
        self.why_legend = WhyLegend()
        self.why_legend.hide()
        self.teach = TeachPanel(self._digits, self._capture, self.canvas.clear)

        left, left_layout = card()
        left_layout.setContentsMargins(16, 14, 16, 12)
        left_layout.setSpacing(10)
        left_layout.addLayout(tools)
        left_layout.addWidget(self.canvas, 1)
        left_layout.addWidget(self.teach)
        left_layout.addWidget(hint)
        left_layout.addWidget(self.why_legend)

        # model picker
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setAccessibleName(self.tr("Model used for drawing"))
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(18)
        self.model_combo.activated.connect(self._on_model_picked)
        open_model = self._button(self.open_model_action, "openModelButton")
        self.model_info = muted_label("")
        self.model_info.setObjectName("modelInfo")
        model_card, model_card_layout = card(self.tr("Model"))
        model_card_layout.setContentsMargins(16, 12, 16, 12)
        model_card_layout.setSpacing(6)
        picker = QHBoxLayout()
        picker.addWidget(self.model_combo, 1)
        picker.addWidget(open_model)
        model_card_layout.addLayout(picker)
        model_card_layout.addWidget(self.model_info)

        # prediction and the model's view of the drawing
        self.prediction_label = QLabel(BLANK_TEXT)
        self.prediction_label.setObjectName("predictionLabel")
        self.prediction_label.setAccessibleName(self.tr("Predicted class"))
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.prediction_label.setMinimumHeight(PREDICTION_HEIGHT)
        self.prediction_label.setWordWrap(True)   # "Ankle boot or Sneaker?" on two lines
        self.confidence_label = QLabel(self.tr("Draw a digit"))
        self.confidence_label.setObjectName("confidenceLabel")
        self.confidence_label.setWordWrap(True)  # "Nothing to read yet: draw a bigger or darker digit"
        self.confidence_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.timing_label = muted_label("")
        self.timing_label.setObjectName("timingLabel")
        self.preview = QLabel()
        self.preview.setObjectName("modelInput")
        self.preview.setAccessibleName(self.tr("The 28 by 28 image the model sees"))
        self.preview.setFixedSize(28 * PREVIEW_SCALE, 28 * PREVIEW_SCALE)
        self.preview.setToolTip(self.tr("The 28×28 image the model actually sees: cropped, scaled to 20 px "
                                "and centred like MNIST, white ink on black."))
        self._set_preview(None)

        guess = QVBoxLayout()
        guess.setSpacing(2)
        guess.addWidget(caption(self.tr("Prediction")))
        guess.addWidget(self.prediction_label, 1)
        guess.addWidget(self.confidence_label)
        guess.addWidget(self.timing_label)
        seen = QVBoxLayout()
        seen.setSpacing(4)
        seen.addWidget(caption(self.tr("What the model sees")))
        seen.addWidget(self.preview)
        seen.addWidget(muted_label(self.tr("28 × 28 pixels")), 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addStretch(1)
        result_card, result_card_layout = card()
        result_card_layout.setContentsMargins(16, 12, 16, 12)
        result_layout = QHBoxLayout()
        result_card_layout.addLayout(result_layout)
        result_layout.addLayout(guess, 1)
        result_layout.addLayout(seen)

        self.bars = ProbabilityBars()
        self.bars.set_clickable(True, self.tr("Click a class to keep this drawing as that digit in My digits"))
        self.steps = PreprocessStepsView()
        self.network = NetworkView(engine=self._state.engine)
        self.insight_tabs = named(QTabWidget(), "insightTabs")
        self.insight_tabs.setDocumentMode(True)
        self.insight_tabs.addTab(self.bars, self.tr("Probabilities"))
        self.insight_tabs.addTab(self.steps, self.tr("Step by step"))
        self.insight_tabs.addTab(self.network, self.tr("Inside the network"))
        self.insight_tabs.setTabToolTip(0, self.tr("The probability of each class"))
        self.insight_tabs.setTabToolTip(1, self.tr("The drawing after each preprocessing step, and what the model reads then"))
        self.insight_tabs.setTabToolTip(2, self.tr("The first layer's filters and each layer's feature maps for this drawing"))
        bars_card, bars_layout = card()
        bars_layout.setContentsMargins(8, 6, 8, 8)
        bars_layout.addWidget(self.insight_tabs, 1)

        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(model_card)
        right.addWidget(result_card)
        right.addWidget(bars_card, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)
        right_widget.setFixedWidth(410)
        right.setContentsMargins(0, 0, 0, 0)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        layout.addWidget(left, 1)
        layout.addWidget(right_widget)
        self._set_prediction_text(BLANK_TEXT)

    # ---- prediction -------------------------------------------------------------------------

    def current_drawing(self) -> np.ndarray | None:
        """The canvas in MNIST polarity (ink bright on black), None when nothing is drawn."""
        if self.canvas.is_blank():
            return None
        return 255 - self.canvas.image_array()

    @Slot()
    def _on_image_changed(self) -> None:
        self._canvas_serial += 1
        self._forget_insights()
        if not self._throttle.isActive():
            self._throttle.start(self._frame_interval_ms())

    def _frame_interval_ms(self) -> int:
        screen = self.screen()
        rate = screen.refreshRate() if screen is not None else 0.0
        return max(4, round(1000.0 / (rate if rate > 1 else FALLBACK_REFRESH_HZ)))

    @Slot()
    def update_prediction(self) -> None:
        """Predict the canvas now (normally called by the per-frame throttle)."""
        self._throttle.stop()
        drawing = self.current_drawing()
        self._state.publish_drawing(drawing)
        predictor = self._state.predictor
        self._read = None
        if drawing is None:
            self._show_blank(self.tr("Draw a digit"))
            return
        try:
            start = time.perf_counter()
            # A Fashion-MNIST model reads the whole picture as it was opened, as it learnt; digit
            # models read the canvas through the digit steps.
            dataset = predictor.dataset_name if predictor is not None else ""
            picture = self._whole_picture()
            model_input = read_as_model_input(picture if picture is not None else drawing, dataset)
            probabilities = predictor.predict_prepared(model_input[np.newaxis]) if predictor is not None else None
            elapsed_ms = (time.perf_counter() - start) * 1000.0
        except NothingDrawnError:
            self._show_blank(self.tr("Nothing to read yet: draw a bigger or darker digit"))
            return
        except DigitpadError as error:
            self._show_blank(self.tr("The model could not read this drawing"))
            self._state.show_status(str(error))
            return
        self._set_preview(model_input)
        self._read = (drawing, model_input)
        if probabilities is None:
            self._show_waiting()
            return
        self._show_probabilities(np.asarray(probabilities, dtype=float).reshape(-1), elapsed_ms)
        self._request_insights()

    def _show_probabilities(self, probabilities: np.ndarray, elapsed_ms: float) -> None:
        names = self._class_names()
        reading = read_probabilities(probabilities)
        top, runner_up = names[reading.label], names[reading.runner_up]
        if reading.unsure:
            self._set_prediction_text(self.tr("{top} or {runner_up}?").format(top=top, runner_up=runner_up))
            self.confidence_label.setText(
                self.tr("Unsure: {value}% {top}, {value2}% {runner_up}").format(
                    value=decimal(reading.confidence * 100, 0), top=top,
                    value2=decimal(reading.runner_up_confidence * 100, 0), runner_up=runner_up)
            )
        else:
            self._set_prediction_text(top)
            doubt = (self.tr("  ·  or {runner_up}? {value}%").format(
                runner_up=runner_up, value=decimal(reading.runner_up_confidence * 100, 0))
                     if reading.runner_up_confidence >= RUNNER_UP_SHOWN_FROM else "")
            self.confidence_label.setText(self.tr("{value}% confident{doubt}").format(
                value=decimal(reading.confidence * 100, 1), doubt=doubt))
        self.timing_label.setText(self.tr("Read in {elapsed_ms} ms").format(elapsed_ms=decimal(elapsed_ms, 1)))
        self.bars.set_probabilities(probabilities)
        self._shown = probabilities
        self.predicted.emit(probabilities)

    def _show_blank(self, message: str) -> None:
        self._set_prediction_text(BLANK_TEXT)
        self.confidence_label.setText(message)
        self.timing_label.setText("")
        self.bars.set_probabilities(None)
        self._shown = None
        self._set_preview(None)
        self._request_insights()
        self.predicted.emit(None)

    def _show_waiting(self) -> None:
        self._set_prediction_text(BLANK_TEXT)
        self.confidence_label.setText(self.tr("Loading the model…"))
        self.bars.set_probabilities(None)
        self._request_insights()

    def _set_prediction_text(self, text: str) -> None:
        font = self.prediction_label.font()
        font.setBold(True)
        # Big for a digit; a class name ("Ankle boot", "Sandale ou Basket ?") shrinks until it
        # fits, wrapped at spaces if it must.
        size = 112 if len(text) <= 2 else 44
        area = self.prediction_label.contentsRect()
        room = QRect(0, 0, max(area.width(), MIN_PREDICTION_WIDTH), max(area.height(), PREDICTION_HEIGHT))
        while True:
            font.setPixelSize(size)
            metrics = QFontMetrics(font)
            widest_word = max(metrics.horizontalAdvance(word) for word in text.split())
            needed = metrics.boundingRect(room, Qt.TextFlag.TextWordWrap, text)
            if size <= MIN_PREDICTION_PX or (widest_word <= room.width() and needed.height() <= room.height()):
                break
            size -= 2
        self.prediction_label.setFont(font)
        self.prediction_label.setText(text)
        set_style_property(self.prediction_label, "blank", text == BLANK_TEXT)  # greyed (style.DRAW_TAB_STYLESHEET)

    def _set_preview(self, model_input: np.ndarray | None) -> None:
        # nearest neighbour: one block per model pixel
        self.preview.setPixmap(digit_pixmap(model_input, 28 * PREVIEW_SCALE, smooth=False))

    def _class_names(self) -> tuple[str, ...]:
        predictor = self._state.predictor
        return tuple(predictor.class_names) if predictor is not None else MNIST_CLASS_NAMES

    # ---- why, step by step, inside the network ------------------------------------------------

    def _request_insights(self) -> None:
        """After each prediction: ask for what the shown views need about the drawing just read."""
        self._request_why()
        self._request_steps()
        self._feed_network()

    def _request_why(self) -> None:
        """Explain the drawing on the worker once the pen is lifted: it costs tens of milliseconds
        and a map made mid-stroke would be stale before it arrived."""
        read, predictor = self._read, self._state.predictor
        if not self.why_action.isChecked():
            return
        if read is None or predictor is None or self.canvas.is_stroke_in_progress():
            self.why_legend.show_waiting(working=False)
            return
        self.why_legend.show_waiting(working=True)
        drawing, model_input = read
        geometry = None
        if reads_whole_picture(predictor.dataset_name):   # the picture as opened, or the whole canvas
            square = self.canvas.loaded_picture_square() or (0.0, 0.0, float(drawing.shape[1]))
            geometry = picture_geometry(*square)
        self._why_task.submit(partial(explain_drawing, predictor.predict_prepared, drawing, model_input,
                                      self._insight_serial, geometry=geometry))

    def _request_steps(self) -> None:
        """Read the stages on the worker while their page is shown; they are cheap enough to follow the pen."""
        predictor = self._state.predictor
        if not self.steps.isVisible():
            return
        if self._read is None:
            self.steps.show_message()
        elif predictor is None:
            self.steps.show_message(QCoreApplication.translate("DrawTab", NO_MODEL_STEPS_TEXT))
        else:
            picture = self._whole_picture()
            self._steps_task.submit(partial(read_stages, predictor.predict_prepared,
                                            picture if picture is not None else self._read[0],
                                            self._insight_serial, dataset_name=predictor.dataset_name))

    def _whole_picture(self) -> np.ndarray | None:
        """The opened picture when the model reads whole pictures (Fashion-MNIST): what it reads,
        explains and shows step by step instead of the digit steps of the canvas; else None."""
        predictor = self._state.predictor
        if predictor is None or not reads_whole_picture(predictor.dataset_name):
            return None
        return self.canvas.loaded_picture()

    def _feed_network(self) -> None:
        """Give the network view the model and the input; it works only while its page is shown."""
        predictor = self._state.predictor
        if predictor is None:
            return
        if predictor is not self._network_predictor:
            self._network_predictor = predictor
            self.network.set_model(None if self._state.is_default_model(predictor.path) else predictor.path)
        self.network.set_input(self._read[1] if self._read is not None else None)

    def _forget_insights(self) -> None:
        """The drawing or the model changed: answers on their way are for the old one."""
        self._insight_serial += 1
        self.canvas.set_overlay(None)

    @Slot(bool)
    def _on_why_toggled(self, on: bool) -> None:
        self._state.settings.setValue(SETTINGS_SHOW_WHY, on)
        self.hint.setVisible(not on)
        self.why_legend.setVisible(on)
        if on:
            self._request_why()
        else:
            self.canvas.set_overlay(None)

    @Slot(int)
    def _on_insight_page_changed(self, _index: int) -> None:
        self._request_steps()

    def showEvent(self, event: QShowEvent) -> None:
        """The steps, read only while shown, catch up with what changed while the tab was hidden."""
        super().showEvent(event)
        self._request_steps()

    @Slot(object)
    def _on_explained(self, result: object) -> None:
        if (not isinstance(result, CanvasExplanation) or result.serial != self._insight_serial
                or not self.why_action.isChecked()):
            return   # the drawing or the model changed since it was asked for, or "Why?" is off
        self.canvas.set_overlay(rgba_image(result.colours), QRectF(*result.area))
        self.why_legend.show_explanation(result, self._class_names())

    @Slot(str)
    def _on_explain_failed(self, message: str) -> None:
        self.why_legend.show_failed()
        self._state.show_status(self.tr("Cannot show why: {message}").format(message=message))

    @Slot(object)
    def _on_stages_read(self, result: object) -> None:
        if isinstance(result, StagesReading) and result.serial == self._insight_serial:
            self.steps.show_reading(result, self._class_names())

    @Slot(str)
    def _on_stages_failed(self, message: str) -> None:
        self.steps.show_message(self.tr("Cannot show the steps: {message}").format(message=message))

    # ---- keeping the drawing in My digits ----------------------------------------------------

    @Slot()
    def _on_keep_key(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.teach.keep(int(action.data()))

    @Slot()
    def _on_keep_asked(self) -> None:
        self.teach.keep_asked()

    def _capture(self) -> Capture | str:
        """The drawing and what the model read, or why there is nothing to keep."""
        drawing = self.current_drawing()
        if drawing is None:
            return self.tr("Draw a digit first, then press its key to keep it")
        try:
            model_input = preprocess(drawing)
        except NothingDrawnError:
            return self.tr("Nothing to keep yet: draw a bigger or darker digit")
        predictor = self._state.predictor
        shown = self._shown
        return Capture(
            image=model_input,
            canvas=self.canvas.image_array(),
            drawing=self.canvas.drawing(),
            serial=self._canvas_serial,
            model_name=_model_name(predictor, self._state.is_default_model(predictor.path)) if predictor else None,
            predicted=None if shown is None else int(np.argmax(shown)),
            confidence=None if shown is None else float(np.max(shown)),
        )

    # ---- model picker -----------------------------------------------------------------------

    @Slot(object)
    def _on_library_listed(self, _listing: LibraryListing) -> None:
        self.refresh_models()

    def refresh_models(self) -> None:
        """Rebuild the picker from the latest listing (read on a worker by `AppState`): the
        default, the library, and model files opened from disk."""
        listing = self._state.listing
        entries = listing.library_entries() if listing is not None else []
        library_paths = {_key(entry.path) for entry in entries}
        predictor = self._state.predictor
        if (predictor is not None and not self._state.is_default_model(predictor.path)
                and _key(predictor.path) not in library_paths
                and all(_key(path) != _key(predictor.path) for path in self._external_models)):
            self._external_models.append(predictor.path)   # opened from disk, or deleted from the library
        with QSignalBlocker(self.model_combo):
            self.model_combo.clear()
            self.model_combo.addItem(QCoreApplication.translate("DrawTab", DEFAULT_MODEL_LABEL), "")
            self.model_combo.setItemData(0, self.tr("The model shipped with digitpad, trained on MNIST."),
                                         Qt.ItemDataRole.ToolTipRole)
            for entry in entries:
                self.model_combo.addItem(entry.name, str(entry.path))
                self.model_combo.setItemData(self.model_combo.count() - 1, _entry_tooltip(entry),
                                             Qt.ItemDataRole.ToolTipRole)
            for path in self._external_models:
                if _key(path) not in library_paths:
                    self.model_combo.addItem(self.tr("{name} (file)").format(name=path.name), str(path))
                    self.model_combo.setItemData(self.model_combo.count() - 1, str(path),
                                                 Qt.ItemDataRole.ToolTipRole)
        self._select_current_model()

    def _select_current_model(self) -> None:
        predictor = self._state.predictor
        wanted = "" if predictor is None or self._state.is_default_model(predictor.path) else _key(predictor.path)
        with QSignalBlocker(self.model_combo):
            for index in range(self.model_combo.count()):
                data = self.model_combo.itemData(index)
                if (data and _key(Path(data)) == wanted) or (not data and not wanted):
                    self.model_combo.setCurrentIndex(index)
                    return

    @Slot(int)
    def _on_model_picked(self, index: int) -> None:
        data = self.model_combo.itemData(index)
        predictor = self._state.predictor
        if predictor is not None and ((not data and self._state.is_default_model(predictor.path))
                                      or (data and _key(Path(data)) == _key(predictor.path))):
            return
        self._state.load_predictor(Path(data) if data else None)

    @Slot(object)
    def _on_predictor_changed(self, predictor: Predictor) -> None:
        self.refresh_models()
        self._forget_insights()
        self.bars.set_class_names(self._class_names())
        self.model_info.setText(_predictor_summary(predictor, self._state.is_default_model(predictor.path)))
        if reads_whole_picture(predictor.dataset_name):
            self.canvas.set_placeholder(QCoreApplication.translate("DrawTab", PICTURE_MODEL_PROMPT))
        elif self.canvas.placeholder() == QCoreApplication.translate("DrawTab", PICTURE_MODEL_PROMPT):
            self.canvas.set_placeholder("")
        self.update_prediction()

    @Slot(str)
    def _on_predictor_load_failed(self, message: str) -> None:
        self._select_current_model()
        QMessageBox.warning(self, self.tr("Cannot use this model"), message)

    # ---- files ------------------------------------------------------------------------------

    @Slot()
    def open_image_dialog(self) -> None:
        path = self._image_files.open_file(self, self.tr("Open an image of a digit"), QCoreApplication.translate("DrawTab", IMAGE_FILTER))
        if path is not None:
            self.open_image_file(path)

    def open_image_file(self, path: str | Path) -> bool:
        """Put an image file on the canvas; a bad file shows a message and changes nothing."""
        try:
            self.canvas.load_image_file(path)
        except ImageError as error:
            self._on_image_error(str(error))
            return False
        self.canvas.setFocus()
        return True

    @Slot()
    def open_model_dialog(self) -> None:
        """The model is read on a worker; the picker and the prediction follow `predictorChanged`."""
        path = self._model_files.open_file(self, self.tr("Open a Keras model"), QCoreApplication.translate("DrawTab", MODEL_FILTER))
        if path is not None:
            self._state.load_predictor(path)

    @Slot(str)
    def _on_image_error(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Cannot use this image"), message)

    # ---- brush ------------------------------------------------------------------------------

    @Slot()
    def _on_bigger_brush(self) -> None:
        self.canvas.set_brush_size(self.canvas.brush_size() + BRUSH_STEP)

    @Slot()
    def _on_smaller_brush(self) -> None:
        self.canvas.set_brush_size(self.canvas.brush_size() - BRUSH_STEP)

    @Slot(int)
    def _on_brush_size_changed(self, size: int) -> None:
        with QSignalBlocker(self.brush_slider):
            self.brush_slider.setValue(size)
        self.brush_label.setText(self.tr("{size} px").format(size=size))

    def shutdown(self) -> None:
        """Join the workers and remember the brush for the next start."""
        self._throttle.stop()
        self._why_task.stop_and_wait()
        self._steps_task.stop_and_wait()
        self.network.shutdown()
        self._state.settings.setValue(SETTINGS_BRUSH_SIZE, self.canvas.brush_size())


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path)


def _entry_tooltip(entry: LibraryEntry) -> str:
    metadata = entry.metadata
    if metadata is None:
        return QCoreApplication.translate("DrawTab", "{path}\nNo digitpad metadata (a plain Keras file, or unreadable).").format(path=entry.path)
    parts = [str(metadata.architecture.get("name", "")) if metadata.architecture else "",
             DATASET_LABELS.get(metadata.dataset, metadata.dataset),
             model_accuracy_text(metadata)]
    return " · ".join(part for part in parts if part) + f"\n{entry.path}"


def _model_name(predictor: Predictor, is_default: bool) -> str:
    """The name a kept digit records for the model that read it."""
    if is_default:
        return QCoreApplication.translate("DrawTab", DEFAULT_MODEL_LABEL)
    metadata = predictor.metadata
    return metadata.name if metadata is not None and metadata.name else predictor.path.name


def _predictor_summary(predictor: Predictor, is_default: bool) -> str:
    """How the model was made, its accuracy with the data it was measured on, then its size
    and where it comes from: a line each, so the accuracy's label is never cut in two."""
    metadata = predictor.metadata
    made: list[str] = []
    accuracy = ""
    if metadata is not None:
        if metadata.architecture and metadata.architecture.get("name"):
            made.append(str(metadata.architecture["name"]))
        if metadata.dataset:
            made.append(DATASET_LABELS.get(metadata.dataset, metadata.dataset))
        accuracy = model_accuracy_text(metadata)
    origin = QCoreApplication.translate("DrawTab", "shipped with digitpad") if is_default else predictor.path.name
    size = QCoreApplication.translate("DrawTab", "{count} parameters · {origin}").format(
        count=format_count(predictor.num_params), origin=origin)
    return "\n".join(filter(None, [" · ".join(made), accuracy, size, *predictor.warnings]))
