"""Everything known about one model: its recipe and results, how it learnt, and its layers.

The layer list is read on a worker (see `model_jobs.read_layers`): from the archive for files
digitpad converted, so a teacher can inspect them before TensorFlow has finished loading.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.formatting import (
    MISSING,
    describe_architecture,
    describe_calibration,
    describe_hyperparameters,
    describe_lineage,
    format_shape,
    metric_value,
)
from digitpad.core.model_jobs import ModelLayers
from digitpad.gui.i18n import (
    QT_TRANSLATE_NOOP,
    decimal,
    format_count,
    format_duration,
    format_percent,
    format_size,
    test_set_text,
)
from digitpad.gui.model_table import ModelRow, format_date
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.widgets import card, cell, muted_label, read_only_table

# Translated where shown (`QCoreApplication.translate("ModelDetails", …)`); the English texts are the keys.
NO_METADATA = QT_TRANSLATE_NOOP("ModelDetails", "No metadata: plain Keras file.")
LOADING_LAYERS = QT_TRANSLATE_NOOP("ModelDetails", "Reading the layers…")
SELECT_HINT = QT_TRANSLATE_NOOP(
    "ModelDetails",
    "Select a model in the table to see how it was made, how it learnt and its layers. "
    "Select several with Ctrl+click to compare them.")

# (key, label) of the metadata form, in reading order; each value label is named "details_<key>".
FIELDS: tuple[tuple[str, str], ...] = (
    ("architecture", QT_TRANSLATE_NOOP("ModelDetails", "Architecture")),
    ("lineage", QT_TRANSLATE_NOOP("ModelDetails", "Lineage")),
    ("hyperparameters", QT_TRANSLATE_NOOP("ModelDetails", "Training")),
    ("dataset", QT_TRANSLATE_NOOP("ModelDetails", "Dataset")),
    ("accuracy", QT_TRANSLATE_NOOP("ModelDetails", "Test accuracy")),
    ("loss", QT_TRANSLATE_NOOP("ModelDetails", "Test loss")),
    ("calibration", QT_TRANSLATE_NOOP("ModelDetails", "Calibration")),
    ("macro_f1", QT_TRANSLATE_NOOP("ModelDetails", "Macro F1")),
    ("parameters", QT_TRANSLATE_NOOP("ModelDetails", "Parameters")),
    ("training_time", QT_TRANSLATE_NOOP("ModelDetails", "Training time")),
    ("created", QT_TRANSLATE_NOOP("ModelDetails", "Date")),
    ("versions", QT_TRANSLATE_NOOP("ModelDetails", "Versions")),
    ("classes", QT_TRANSLATE_NOOP("ModelDetails", "Classes")),
    ("file", QT_TRANSLATE_NOOP("ModelDetails", "File")),
)


class EmptyState(QWidget):
    """A centred title and explanation where a page has nothing to show yet."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setObjectName("emptyStateTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = muted_label(text)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setFixedWidth(560)  # a fixed width lets the wrapped text report its true height
        centred = QHBoxLayout()  # not an alignment flag: that would ignore the wrapped text's height
        centred.addStretch(1)
        centred.addWidget(self.text)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addLayout(centred)
        layout.addStretch(2)


def metadata_fields(row: ModelRow) -> dict[str, str]:
    """The form's text for one model; plain Keras files get what the file alone can tell."""
    fields = {key: "—" for key, _ in FIELDS}
    fields["parameters"] = format_count(row.param_count)
    fields["file"] = f"{row.path}  ({format_size(row.file_size)})"
    fields["classes"] = ", ".join(row.class_names)
    fields["created"] = format_date(row.date)
    meta = row.metadata
    if row.problem is not None and meta is None:
        fields["classes"] = "—"
        return fields
    if meta is None:
        fields["architecture"] = QCoreApplication.translate("ModelDetails", NO_METADATA)
        return fields
    epochs_run = len(meta.history.get("loss", []))
    fields["architecture"] = describe_architecture(meta.architecture)
    fields["hyperparameters"] = describe_hyperparameters(meta.hyperparameters)
    fields["dataset"] = meta.dataset
    lineage = describe_lineage(meta.lineage) if meta.lineage else []
    fields["lineage"] = "\n".join(lineage) if lineage else QCoreApplication.translate("ModelDetails", "Trained from scratch")
    accuracy = metric_value(meta.test_metrics, "accuracy")
    fields["accuracy"] = "—" if accuracy is None else QCoreApplication.translate(
        "ModelDetails", "{accuracy} on {test_set}").format(accuracy=format_percent(accuracy), test_set=test_set_text(meta))
    fields["calibration"] = describe_calibration(meta.calibration)
    loss = metric_value(meta.test_metrics, "loss")
    fields["loss"] = "—" if loss is None else decimal(loss, 4)
    f1 = metric_value(meta.test_metrics, "macro_f1")
    fields["macro_f1"] = "—" if f1 is None else decimal(f1, 4)
    epochs = (QCoreApplication.translate("ModelDetails", " (1 epoch)") if epochs_run == 1
              else QCoreApplication.translate("ModelDetails", " ({epochs} epochs)").format(epochs=format_count(epochs_run))
              if epochs_run else "")
    fields["training_time"] = format_duration(meta.training_seconds) + epochs
    fields["versions"] = (
        QCoreApplication.translate("ModelDetails", "Keras {keras_version} · TensorFlow {tensorflow_version} · preprocessing {preprocess_version}").format(keras_version=meta.keras_version, tensorflow_version=meta.tensorflow_version, preprocess_version=meta.preprocess_version)
    )
    return fields


class ModelDetails(QWidget):
    """The Details page of the Models tab, filled by `show_model`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelDetails")

        self._title = QLabel(self.tr("No model selected"))
        self._title.setObjectName("detailsTitle")
        self._subtitle = muted_label("")
        self._subtitle.setObjectName("detailsSubtitle")
        self._problem = QLabel()
        self._problem.setObjectName("detailsProblem")
        self._problem.setWordWrap(True)
        self._problem.hide()

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(7)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._fields: dict[str, QLabel] = {}
        for key, label in FIELDS:
            value = QLabel("—")
            value.setObjectName(f"details_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self._fields[key] = value
            name = QLabel(self.tr(label))
            name.setProperty("muted", True)
            form.addRow(name, value)
        form_scroll = QScrollArea()
        form_scroll.setObjectName("detailsForm")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(form_widget)
        form_card, form_layout = card(self.tr("Model"))
        form_layout.addWidget(form_scroll, 1)

        self.curves = TrainingCurves()
        self.curves.setObjectName("detailsCurves")
        self._no_history = muted_label(self.tr("No training history is stored with this model."))
        self._no_history.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._curves_stack = QStackedWidget()
        self._curves_stack.addWidget(self.curves)
        self._curves_stack.addWidget(self._no_history)
        curves_card, curves_layout = card(self.tr("How it learnt"))
        curves_layout.addWidget(self._curves_stack, 1)

        self.layers = read_only_table([self.tr("Layer"), self.tr("Type"), self.tr("Output shape"), self.tr("Params")])
        self.layers.setObjectName("detailsLayers")
        self.layers.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.layers.horizontalHeader()
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._layers_total = muted_label("")
        self._layers_total.setObjectName("detailsLayersTotal")
        self._layers_total.setAlignment(Qt.AlignmentFlag.AlignRight)
        layers_card, layers_layout = card(self.tr("Layers"))
        layers_layout.addWidget(self.layers, 1)
        layers_layout.addWidget(self._layers_total)

        body = QHBoxLayout()
        body.setSpacing(10)
        body.addWidget(form_card, 4)
        body.addWidget(curves_card, 5)
        body.addWidget(layers_card, 5)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 8, 0, 0)
        content_layout.addWidget(self._title)
        content_layout.addWidget(self._subtitle)
        content_layout.addWidget(self._problem)
        content_layout.addLayout(body, 1)
        self._empty = EmptyState(self.tr("No model selected"), self.tr(SELECT_HINT))
        self._pages = QStackedWidget()
        self._pages.addWidget(self._empty)
        self._pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)
        self.show_nothing()

    def field_text(self, key: str) -> str:
        return self._fields[key].text()

    def show_nothing(self, message: str = SELECT_HINT, title: str = QT_TRANSLATE_NOOP("ModelDetails", "No model selected")) -> None:
        """Show the empty page; the defaults are the English keys of their translations."""
        self._empty.title.setText(self.tr(title))
        self._empty.text.setText(self.tr(message))
        self._pages.setCurrentWidget(self._empty)
        self.curves.clear()
        self._set_layers(None)

    def show_model(
        self, row: ModelRow, layers: ModelLayers | None, problem: str | None = None, *, loading: bool = False
    ) -> None:
        """`problem` is why the file could not be loaded; what the listing knows is still shown.
        `loading`: the layers are being read on a worker and will follow."""
        self._pages.setCurrentIndex(1)
        self._title.setText(row.display_name)
        subtitle = [row.architecture, row.dataset if row.metadata else "", format_date(row.date)]
        if row.shipped:
            subtitle.append(self.tr("comes with digitpad (read-only)"))
        self._subtitle.setText(" · ".join(part for part in subtitle if part))
        notes = [problem] if problem else []
        if row.metadata is not None and row.metadata.ignored:
            notes.append(self.tr("Its digitpad description had values of the wrong kind, left out: {ignored}.").format(ignored=', '.join(row.metadata.ignored)))
        self._problem.setText(" ".join(notes))
        self._problem.setVisible(bool(notes))
        for key, text in metadata_fields(row).items():
            self._fields[key].setText(text)
        if layers is not None and row.param_count is None:
            self._fields["parameters"].setText(format_count(layers.num_params))
        self._set_history(row.metadata.history if row.metadata is not None else {})
        self._set_layers(layers)
        if loading:
            self._layers_total.setText(self.tr(LOADING_LAYERS))

    def _set_history(self, history: dict[str, list[float]]) -> None:
        if any(history.values()):
            self.curves.set_history(history)
            self._curves_stack.setCurrentWidget(self.curves)
        else:
            self.curves.clear()
            self._curves_stack.setCurrentWidget(self._no_history)

    def _set_layers(self, model: ModelLayers | None) -> None:
        layers = model.layers if model is not None else ()
        self.layers.setRowCount(len(layers))
        for row, layer in enumerate(layers):
            cells = (layer.name, layer.kind, format_shape(layer.output_shape) or MISSING, format_count(layer.params))
            for column, text in enumerate(cells):
                self.layers.setItem(row, column, cell(text, right=column == 3, tooltip=text))
        self._layers_total.setText(
            self.tr("{layers} layers · {num_params} parameters").format(layers=len(layers), num_params=format_count(model.num_params)) if model else ""
        )

