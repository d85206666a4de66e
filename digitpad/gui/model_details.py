"""Everything known about one model: its recipe and results, how it learnt, and its layers.

The layer list is read on a worker (see `model_jobs.read_layers`): from the archive for files
digitpad converted, so a teacher can inspect them before TensorFlow has finished loading.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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
    format_count,
    format_duration,
    format_percent,
    format_shape,
    format_size,
    metric_value,
)
from digitpad.core.model_jobs import ModelLayers
from digitpad.gui.model_table import ModelRow, format_date
from digitpad.gui.training_curves import TrainingCurves
from digitpad.gui.widgets import card, cell, muted_label, read_only_table

NO_METADATA = "No metadata: plain Keras file."
LOADING_LAYERS = "Reading the layers…"
SELECT_HINT = (
    "Select a model in the table to see how it was made, how it learnt and its layers. "
    "Select several with Ctrl+click to compare them."
)

# (key, label) of the metadata form, in reading order; each value label is named "details_<key>".
FIELDS: tuple[tuple[str, str], ...] = (
    ("architecture", "Architecture"),
    ("lineage", "Lineage"),
    ("hyperparameters", "Training"),
    ("dataset", "Dataset"),
    ("accuracy", "Test accuracy"),
    ("loss", "Test loss"),
    ("calibration", "Calibration"),
    ("macro_f1", "Macro F1"),
    ("parameters", "Parameters"),
    ("training_time", "Training time"),
    ("created", "Date"),
    ("versions", "Versions"),
    ("classes", "Classes"),
    ("file", "File"),
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
        fields["architecture"] = NO_METADATA
        return fields
    epochs_run = len(meta.history.get("loss", []))
    fields["architecture"] = describe_architecture(meta.architecture)
    fields["hyperparameters"] = describe_hyperparameters(meta.hyperparameters)
    fields["dataset"] = meta.dataset
    lineage = describe_lineage(meta.lineage) if meta.lineage else []
    fields["lineage"] = "\n".join(lineage) if lineage else "Trained from scratch"
    accuracy = metric_value(meta.test_metrics, "accuracy")
    fields["accuracy"] = "—" if accuracy is None else f"{format_percent(accuracy)} on {meta.test_label()}"
    fields["calibration"] = describe_calibration(meta.calibration)
    loss = metric_value(meta.test_metrics, "loss")
    fields["loss"] = "—" if loss is None else f"{loss:.4f}"
    f1 = metric_value(meta.test_metrics, "macro_f1")
    fields["macro_f1"] = "—" if f1 is None else f"{f1:.4f}"
    fields["training_time"] = format_duration(meta.training_seconds) + (
        f" ({epochs_run} epoch{'s' if epochs_run != 1 else ''})" if epochs_run else ""
    )
    fields["versions"] = (
        f"Keras {meta.keras_version} · TensorFlow {meta.tensorflow_version} · "
        f"preprocessing {meta.preprocess_version}"
    )
    return fields


class ModelDetails(QWidget):
    """The Details page of the Models tab, filled by `show_model`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelDetails")

        self._title = QLabel("No model selected")
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
            name = QLabel(label)
            name.setProperty("muted", True)
            form.addRow(name, value)
        form_scroll = QScrollArea()
        form_scroll.setObjectName("detailsForm")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setWidget(form_widget)
        form_card, form_layout = card("Model")
        form_layout.addWidget(form_scroll, 1)

        self.curves = TrainingCurves()
        self.curves.setObjectName("detailsCurves")
        self._no_history = muted_label("No training history is stored with this model.")
        self._no_history.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._curves_stack = QStackedWidget()
        self._curves_stack.addWidget(self.curves)
        self._curves_stack.addWidget(self._no_history)
        curves_card, curves_layout = card("How it learnt")
        curves_layout.addWidget(self._curves_stack, 1)

        self.layers = read_only_table(["Layer", "Type", "Output shape", "Params"])
        self.layers.setObjectName("detailsLayers")
        self.layers.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.layers.horizontalHeader()
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._layers_total = muted_label("")
        self._layers_total.setObjectName("detailsLayersTotal")
        self._layers_total.setAlignment(Qt.AlignmentFlag.AlignRight)
        layers_card, layers_layout = card("Layers")
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
        self._empty = EmptyState("No model selected", SELECT_HINT)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._empty)
        self._pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)
        self.show_nothing()

    def field_text(self, key: str) -> str:
        return self._fields[key].text()

    def show_nothing(self, message: str = SELECT_HINT, title: str = "No model selected") -> None:
        self._empty.title.setText(title)
        self._empty.text.setText(message)
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
            subtitle.append("comes with digitpad (read-only)")
        self._subtitle.setText(" · ".join(part for part in subtitle if part))
        notes = [problem] if problem else []
        if row.metadata is not None and row.metadata.ignored:
            notes.append("Its digitpad description had values of the wrong kind, left out: "
                         f"{', '.join(row.metadata.ignored)}.")
        self._problem.setText(" ".join(notes))
        self._problem.setVisible(bool(notes))
        for key, text in metadata_fields(row).items():
            self._fields[key].setText(text)
        if layers is not None and row.param_count is None:
            self._fields["parameters"].setText(format_count(layers.num_params))
        self._set_history(row.metadata.history if row.metadata is not None else {})
        self._set_layers(layers)
        if loading:
            self._layers_total.setText(LOADING_LAYERS)

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
            f"{len(layers)} layers · {format_count(model.num_params)} parameters" if model else ""
        )

