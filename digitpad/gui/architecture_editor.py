"""The architecture editor: build a network layer by layer and see what each layer does.

Every edit re-runs `layer_stack.analyze`, pure arithmetic, so the table of output shapes and
weight counts follows each key press without TensorFlow; a mistake shows in red on the layer
that causes it and Save stays disabled until it is fixed. Saving writes Keras model JSON through
`ArchitectureStore` in the engine process (`save_architecture`: the JSON is built with Keras,
which never loads in the window's process). "Use" hands the network back to
the Train tab's form, which selects it (and a preset's training recipe).

Presets are read-only: editing one makes an unsaved copy, to be saved under a name of its own.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import architecture_store
from digitpad.core.architecture_store import PRESETS, ArchitectureStore, Preset, check_name, preset
from digitpad.core.engine import Engine, EngineJob
from digitpad.core.errors import DigitpadError
from digitpad.core.layer_stack import (
    ACTIVATIONS,
    LAYER_FIELDS,
    LAYER_KINDS,
    PADDINGS,
    Layer,
    StackAnalysis,
    analyze,
    new_layer,
    shape_text,
)
from digitpad.gui import style
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, format_count, format_percent, say
from digitpad.gui.widgets import cell, muted_label, named, set_style_property
from digitpad.gui.workers import BackgroundTask

PRESET_KEY = "preset:"
SAVED_KEY = "saved:"
DIALOG_SIZE = (900, 560)
_CONTEXT = "ArchitectureEditor"
COLUMNS = (
    QT_TRANSLATE_NOOP("ArchitectureEditor", "Layer"),
    QT_TRANSLATE_NOOP("ArchitectureEditor", "Output shape"),
    QT_TRANSLATE_NOOP("ArchitectureEditor", "Parameters"),
    QT_TRANSLATE_NOOP("ArchitectureEditor", "Problem"),
)
FIELD_LABELS = {
    "filters": QT_TRANSLATE_NOOP("ArchitectureEditor", "Filters"),
    "kernel": QT_TRANSLATE_NOOP("ArchitectureEditor", "Kernel size"),
    "pool": QT_TRANSLATE_NOOP("ArchitectureEditor", "Pool size"),
    "stride": QT_TRANSLATE_NOOP("ArchitectureEditor", "Stride"),
    "padding": QT_TRANSLATE_NOOP("ArchitectureEditor", "Padding"),
    "units": QT_TRANSLATE_NOOP("ArchitectureEditor", "Units"),
    "activation": QT_TRANSLATE_NOOP("ArchitectureEditor", "Activation"),
    "rate": QT_TRANSLATE_NOOP("ArchitectureEditor", "Rate"),
}


def preset_key(name: str) -> str:
    return PRESET_KEY + name


def saved_key(name: str) -> str:
    return SAVED_KEY + name


def figure_text(source: Preset) -> str:
    """The accuracy a preset reaches, and where that figure comes from, in the window's language."""
    accuracy = format_percent(source.accuracy)
    if source.measured_here:
        text = QCoreApplication.translate(
            "ArchitectureEditor", "Measured here: {accuracy} on 2,000 held-out MNIST digits (resources/mnist-validation-2k.npz) "
            "after {epochs} epochs on the 9,000 training digits bundled with digitpad (offline MNIST, as the Train "
            "tab reads it).")
    else:
        text = QCoreApplication.translate(
            "ArchitectureEditor", "The course reports {accuracy} on the official MNIST test set after {epochs} epochs.")
    return text.format(accuracy=accuracy, epochs=source.recipe.epochs)


class ArchitectureEditor(QDialog):
    """Edits one layer stack. `open_preset`, `open_saved` and `open_layers` choose what it shows.

    `saved` and `deleted` carry a name just written or removed (the form refreshes its list);
    `chosen` carries the form's key ("preset:Course CNN", "saved:my net") when "Use" is clicked.
    `shutdown` joins a running save. `engine` runs the save: the window's (`AppState.engine`);
    without one (an editor on its own), this process.
    """

    saved = Signal(str)
    deleted = Signal(str)
    chosen = Signal(str)

    def __init__(self, store: ArchitectureStore, parent: QWidget | None = None, *, engine: Engine) -> None:
        super().__init__(parent)
        self.setObjectName("architectureEditor")
        self._engine = engine
        self.setWindowTitle(self.tr("Architecture editor — digitpad"))
        self.setStyleSheet(style.ARCHITECTURE_EDITOR_STYLESHEET)
        self.resize(*DIALOG_SIZE)
        self.store = store
        self.layers: list[Layer] = []
        self.analysis: StackAnalysis = analyze([])
        self.preset: Preset | None = None  # the read-only preset shown, until it is edited
        self.saved_name: str | None = None  # the name the stack was loaded from or last saved as
        self.dirty = False
        self._saving_name: str | None = None  # what the running save writes
        self._origin = ""
        self._filling = False  # while the fields are set from a layer, their signals are not edits

        self.save_task = BackgroundTask(self)
        self.save_task.succeeded.connect(self._on_save_succeeded)
        self.save_task.failed.connect(self._on_save_failed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addLayout(self._build_header())
        self.figure_label = named(muted_label(""), "architectureFigure")
        layout.addWidget(self.figure_label)
        body = QHBoxLayout()
        body.addLayout(self._build_table(), 3)
        body.addWidget(self._build_fields(), 1)
        layout.addLayout(body, 1)
        self.summary_label = named(QLabel(), "architectureSummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        layout.addLayout(self._build_buttons())
        self.open_layers([], self.tr("New network"))

    # ------------------------------------------------------------------ layout

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title_label = named(QLabel(), "architectureTitle")
        row.addWidget(self.title_label, 1)
        row.addWidget(QLabel(self.tr("Name")))
        self.name_edit = named(QLineEdit(), "architectureNameEdit")
        self.name_edit.setPlaceholderText(self.tr("Name to save it as"))
        self.name_edit.textChanged.connect(self._on_name_changed)
        row.addWidget(self.name_edit)
        self.new_button = named(QToolButton(), "newArchitectureButton")
        self.new_button.setText(self.tr("New…"))
        self.new_button.setToolTip(self.tr("Start a new network from a preset or from nothing."))
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.new_button)
        for source in PRESETS:
            menu.addAction(self.tr("From {preset}").format(preset=source.name)).setData(source.name)
        menu.addAction(self.tr("Empty")).setData("")
        menu.triggered.connect(self._on_new_triggered)
        self.new_button.setMenu(menu)
        row.addWidget(self.new_button)
        return row

    def _build_table(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.table = named(QTableWidget(0, len(COLUMNS)), "layerTable")
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate(_CONTEXT, text) for text in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for index in range(3):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        column.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = named(QToolButton(), "addLayerButton")
        self.add_button.setText(self.tr("Add layer"))
        self.add_button.setToolTip(self.tr("Insert a layer below the selected one."))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        for kind in LAYER_KINDS:
            menu.addAction(kind).setData(kind)
        menu.triggered.connect(self._on_add_triggered)
        self.add_button.setMenu(menu)
        self.remove_button = named(QPushButton(self.tr("Remove")), "removeLayerButton")
        self.up_button = named(QPushButton(self.tr("Move up")), "moveLayerUpButton")
        self.down_button = named(QPushButton(self.tr("Move down")), "moveLayerDownButton")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.up_button.clicked.connect(self._on_up_clicked)
        self.down_button.clicked.connect(self._on_down_clicked)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        return column

    def _build_fields(self) -> QGroupBox:
        self.fields_group = named(QGroupBox(self.tr("LAYER")), "layerFields")
        self.fields_form = QFormLayout(self.fields_group)
        self.fields_hint = muted_label(self.tr("Select a layer to change it."))
        self.fields_form.addRow(self.fields_hint)
        self.field_widgets: dict[str, QWidget] = {}
        for name in ("filters", "units"):
            self.field_widgets[name] = self._spin(name, 1, 4096)
        for name in ("kernel", "pool", "stride"):
            self.field_widgets[name] = self._spin(name, 1, 28)
        for name, choices in (("padding", PADDINGS), ("activation", ACTIVATIONS)):
            combo = named(QComboBox(), f"{name}Combo")
            for choice in choices:
                combo.addItem(choice, choice)
            combo.currentIndexChanged.connect(self._on_field_changed)
            self.field_widgets[name] = combo
        rate = named(QDoubleSpinBox(), "rateSpin")
        rate.setRange(0.0, 0.95)
        rate.setSingleStep(0.05)
        rate.setDecimals(2)
        rate.valueChanged.connect(self._on_field_changed)
        self.field_widgets["rate"] = rate
        for name, widget in self.field_widgets.items():
            self.fields_form.addRow(QCoreApplication.translate(_CONTEXT, FIELD_LABELS[name]), widget)
        self.field_widgets["padding"].setToolTip(self.tr(
            "valid: the window stays inside the image, which shrinks; same: the image is padded with zeros "
            "so that, with stride 1, it keeps its size."))
        return self.fields_group

    def _spin(self, name: str, low: int, high: int) -> QSpinBox:
        spin = named(QSpinBox(), f"{name}Spin")
        spin.setRange(low, high)
        spin.valueChanged.connect(self._on_field_changed)
        return spin

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status_label = named(QLabel(), "architectureStatus")
        self.status_label.setWordWrap(True)
        row.addWidget(self.status_label, 1)
        self.save_button = named(QPushButton(self.tr("Save")), "saveArchitectureButton")
        self.save_as_button = named(QPushButton(self.tr("Save as…")), "saveArchitectureAsButton")
        self.delete_button = named(QPushButton(self.tr("Delete…")), "deleteArchitectureButton")
        self.delete_button.setToolTip(self.tr("Delete this saved architecture; models trained with it keep their layers."))
        self.use_button = named(QPushButton(self.tr("Use")), "useArchitectureButton")
        self.close_button = named(QPushButton(self.tr("Close")), "closeArchitectureButton")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.save_as_button.clicked.connect(self._on_save_as_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.use_button.clicked.connect(self._on_use_clicked)
        self.close_button.clicked.connect(self.reject)
        for button in (self.delete_button, self.save_button, self.save_as_button, self.use_button, self.close_button):
            row.addWidget(button)
        return row

    # ------------------------------------------------------------------ what it shows

    def open_preset(self, name: str) -> None:
        source = preset(name)
        if source is None:
            raise DigitpadError(f"There is no preset named {name!r}.")
        self._show(list(source.layers), source, None, "")

    def open_saved(self, name: str) -> None:
        """Show the saved architecture `name`; a file the editor cannot show raises DigitpadError."""
        self._show(self.store.load(name), None, name, name)

    def open_layers(self, layers: list[Layer], title: str) -> None:
        """Show an unsaved stack (a copy of a built-in, a new network) under `title`."""
        self._show(list(layers), None, None, "")
        self.dirty = bool(layers)
        self.title_label.setText(title)
        self._refresh_buttons()

    def _show(self, layers: list[Layer], source: Preset | None, saved_name: str | None, name: str) -> None:
        self.layers, self.preset, self.saved_name, self.dirty = layers, source, saved_name, False
        self._origin = source.name if source is not None else name  # what "Save as…" suggests a copy of
        self.name_edit.blockSignals(True)
        self.name_edit.setText(name)
        self.name_edit.blockSignals(False)
        self.status_label.clear()
        self._update_title()
        self._refresh(select=0 if layers else None)

    def _update_title(self) -> None:
        if self.preset is not None:
            title = self.tr("{name} — preset, read-only: edit it to make your own copy").format(name=self.preset.name)
        elif self.saved_name is not None:
            title = (self.tr("{name} (unsaved changes)").format(name=self.saved_name) if self.dirty
                     else self.saved_name)
        else:
            title = self.title_label.text() or self.tr("New network")
        self.title_label.setText(title)
        self.figure_label.setText(figure_text(self.preset) if self.preset is not None else "")
        self.figure_label.setVisible(self.preset is not None)

    def key(self) -> str | None:
        """The form's key for what is shown, when it can be trained as it is (saved, unchanged)."""
        if self.dirty:
            return None
        if self.preset is not None:
            return preset_key(self.preset.name)
        return saved_key(self.saved_name) if self.saved_name is not None else None

    # ------------------------------------------------------------------ table and fields

    def _refresh(self, select: int | None = None) -> None:
        """Re-run the arithmetic and redraw every row; `select` picks a layer row afterwards."""
        self.analysis = analyze(self.layers)
        current = self.selected_index() if select is None else select
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.layers) + 1)
        self._set_row(0, self.tr("Input (28x28 grey image)"), "28x28x1", "0", "")
        for index, row in enumerate(self.analysis.rows, start=1):
            self._set_row(index, row.layer.describe(), shape_text(row.output_shape),
                          "?" if row.params is None else format_count(row.params), row.problem or "")
        self.table.resizeRowsToContents()
        if current is not None and 0 <= current < len(self.layers):
            self.table.selectRow(current + 1)
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)
        self._on_selection_changed()
        total = self.analysis.total_params
        if self.analysis.ok:
            summary = self.tr("{layers} layers, {params} parameters. No mistakes.").format(
                layers=len(self.layers), params=format_count(total))
        else:
            count = len(self.analysis.problems)
            template = (self.tr("One mistake to fix before saving: {first}") if count == 1
                        else self.tr("{count} mistakes to fix before saving, the first: {first}"))
            summary = template.format(
                count=count,
                first=say(self.analysis.problems[0]))  # the fixed ones are marked
        self.summary_label.setText(summary)
        set_style_property(self.summary_label, "kind", "ok" if self.analysis.ok else "error")
        self._refresh_buttons()

    def _set_row(self, row: int, layer: str, shape: str, params: str, problem: str) -> None:
        items = (cell(layer), cell(shape, right=True), cell(params, right=True), cell(problem, tooltip=problem))
        for column, item in enumerate(items):
            if problem:
                item.setForeground(QBrush(QColor(style.ERROR_TEXT)))
                item.setBackground(QBrush(QColor(style.ERROR_SOFT)))
            if row == 0:
                item.setFlags(Qt.ItemFlag.NoItemFlags)  # the input is not a layer one can select
            self.table.setItem(row, column, item)

    def selected_index(self) -> int | None:
        """The selected layer's index in `layers` (the table's row 0 is the input)."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() - 1 if rows and rows[0].row() > 0 else None

    def select_layer(self, index: int) -> None:
        self.table.selectRow(index + 1)

    @Slot()
    def _on_selection_changed(self) -> None:
        index = self.selected_index()
        layer = self.layers[index] if index is not None else None
        shown = LAYER_FIELDS[layer.kind] if layer is not None else ()
        self._filling = True
        for name, widget in self.field_widgets.items():
            self.fields_form.setRowVisible(widget, name in shown)
            if layer is None or name not in shown:
                continue
            value = getattr(layer, name)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QSpinBox | QDoubleSpinBox):
                widget.setValue(value)
        self._filling = False
        if layer is None:
            self.fields_hint.setText(self.tr("Select a layer to change it."))
        elif not shown:
            self.fields_hint.setText(self.tr("{kind} has nothing to set.").format(kind=layer.kind))
        else:
            self.fields_hint.setText(layer.kind)
        self._refresh_buttons()

    @Slot()
    def _on_field_changed(self) -> None:
        index = self.selected_index()
        if self._filling or index is None:
            return
        layer = self.layers[index]
        values: dict[str, object] = {}
        for name in LAYER_FIELDS[layer.kind]:
            widget = self.field_widgets[name]
            if isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            elif isinstance(widget, QSpinBox | QDoubleSpinBox):
                values[name] = widget.value()
        changed = replace(layer, **values)  # type: ignore[arg-type]
        if changed != layer:
            self.layers[index] = changed
            self._edited(index)

    def _edited(self, select: int | None) -> None:
        """After any change: a preset becomes an unsaved copy, the arithmetic runs again."""
        if self.preset is not None:
            self.title_label.setText(self.tr("Copy of {name} (unsaved)").format(name=self.preset.name))
            self.preset = None
        self.dirty = True
        self.status_label.clear()
        self._update_title()
        self._refresh(select=select)

    @Slot(object)
    def _on_add_triggered(self, action: object) -> None:
        kind = str(action.data())  # type: ignore[attr-defined]
        index = self.selected_index()
        position = len(self.layers) if index is None else index + 1
        self.layers.insert(position, new_layer(kind))
        self._edited(position)

    @Slot()
    def _on_remove_clicked(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        del self.layers[index]
        self._edited(min(index, len(self.layers) - 1) if self.layers else None)

    @Slot()
    def _on_up_clicked(self) -> None:
        self._move(-1)

    @Slot()
    def _on_down_clicked(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        index = self.selected_index()
        if index is None or not 0 <= index + step < len(self.layers):
            return
        self.layers[index], self.layers[index + step] = self.layers[index + step], self.layers[index]
        self._edited(index + step)

    @Slot(object)
    def _on_new_triggered(self, action: object) -> None:
        name = str(action.data())  # type: ignore[attr-defined]
        if name:
            self.open_preset(name)
        else:
            self.open_layers([], self.tr("New network"))

    # ------------------------------------------------------------------ saving and using

    def _name_problem(self) -> str | None:
        try:
            check_name(self.name_edit.text())
        except DigitpadError as error:
            return str(error)
        return None

    def _refresh_buttons(self) -> None:
        index = self.selected_index()
        self.remove_button.setEnabled(index is not None)
        self.up_button.setEnabled(index is not None and index > 0)
        self.down_button.setEnabled(index is not None and index < len(self.layers) - 1)
        saving = self._saving_name is not None
        name_problem = self._name_problem()
        changed = self.dirty or self.name_edit.text().strip() != (self.saved_name or "")
        can_save = self.analysis.ok and not saving and self.preset is None
        self.save_button.setEnabled(can_save and changed and name_problem is None)
        self.save_as_button.setEnabled(self.analysis.ok and not saving)
        if not self.analysis.ok:
            tip = self.tr("Fix the mistakes shown in red first.")
        elif self.preset is not None:
            tip = self.tr("Presets are read-only: use Save as… to keep a copy under your own name.")
        elif name_problem is not None:
            tip = name_problem
        else:
            tip = self.tr("Save as {file}").format(file=str(self.store.path(self.name_edit.text())))
        self.save_button.setToolTip(tip)
        self.delete_button.setEnabled(self.saved_name is not None and not saving)
        self.use_button.setEnabled(self.key() is not None and not saving)
        self.use_button.setToolTip(
            self.tr("Train this network: the form selects it.") if self.key() is not None
            else self.tr("Save the network first, then use it."))

    @Slot(str)
    def _on_name_changed(self, _text: str) -> None:
        self._refresh_buttons()

    @Slot()
    def _on_save_clicked(self) -> None:
        self.save_as(self.name_edit.text())

    @Slot()
    def _on_save_as_clicked(self) -> None:
        """Ask for a new name in a small window (window-modal, so tests and people alike can
        answer it), then save under it."""
        dialog = named(QInputDialog(self), "saveAsDialog")
        dialog.setWindowTitle(self.tr("Save architecture as"))
        dialog.setLabelText(self.tr("Name:"))
        base = self.name_edit.text().strip() or self._origin or self.tr("My network")
        dialog.setTextValue(self.tr("{name} copy").format(name=base))
        dialog.textValueSelected.connect(self._on_save_as_name)
        dialog.finished.connect(dialog.deleteLater)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()

    @Slot(str)
    def _on_save_as_name(self, name: str) -> None:
        self.name_edit.setText(name.strip())
        self.save_as(name)

    def save_as(self, name: str) -> None:
        """Save the stack as `name` on a worker; another saved architecture of that name is
        replaced only after the user agrees."""
        try:
            name = check_name(name)
        except DigitpadError as error:
            self._show_status(str(error), error=True)
            return
        if name != self.saved_name and self.store.exists(name):
            answer = QMessageBox.question(
                self, self.tr("Replace architecture?"),
                self.tr("An architecture named {name} exists already. Replace it?").format(name=name))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._saving_name = name
        self._show_status(self.tr("Saving {name}…").format(name=name))
        self.save_task.start(EngineJob(self._engine, partial(architecture_store.save_architecture, self.store, name,
                                                             list(self.layers))))
        self._refresh_buttons()

    @Slot(object)
    def _on_save_succeeded(self, path: object) -> None:
        name, self._saving_name = self._saving_name, None
        self.saved_name, self.preset, self.dirty = name, None, False
        self._update_title()
        self._show_status(self.tr("Saved as {path}").format(path=str(path)))
        self._refresh_buttons()
        self.saved.emit(name)

    @Slot(str)
    def _on_save_failed(self, message: str) -> None:
        self._saving_name = None
        self._show_status(self.tr("Not saved: {reason}").format(reason=message), error=True)
        self._refresh_buttons()

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        set_style_property(self.status_label, "kind", "error" if error else "")

    @Slot()
    def _on_delete_clicked(self) -> None:
        """Ask first, in a window-modal box (answered by its signal, so nothing blocks)."""
        if self.saved_name is None:
            return
        box = named(QMessageBox(self), "deleteArchitectureBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete architecture?"))
        box.setText(self.tr("Delete the saved architecture {name}?").format(name=self.saved_name))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(self._on_delete_answered)
        box.finished.connect(box.deleteLater)
        box.open()

    @Slot(int)
    def _on_delete_answered(self, answer: int) -> None:
        name = self.saved_name
        if answer != QMessageBox.StandardButton.Yes or name is None:
            return
        try:
            self.store.delete(name)
        except DigitpadError as error:
            self._show_status(str(error), error=True)
            return
        self.open_layers(list(self.layers), self.tr("Copy of {name} (unsaved)").format(name=name))
        self._show_status(self.tr("Deleted {name}.").format(name=name))
        self.deleted.emit(name)

    @Slot()
    def _on_use_clicked(self) -> None:
        key = self.key()
        if key is not None:
            self.chosen.emit(key)
            self.accept()

    def shutdown(self) -> None:
        """Join a running save (the file is written atomically, so waiting is short)."""
        self.save_task.stop_and_wait()
