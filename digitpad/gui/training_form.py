"""The Train tab's settings: which data, which network, how to train it.

The form only reads and writes widgets; it turns them into the engine's specs on request and
remembers them in QSettings, so the tab itself deals with running, not with forty widgets.
Its "Find…" button opens the learning-rate finder on the form's own data and network, and the
rate that comes back lands in the Learning rate field; the tab need not know the finder exists.
Likewise "Edit…" opens the architecture editor; the architecture list holds the built-ins, the
course's presets and the user's saved networks, and whichever is chosen becomes the spec's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.architecture_store import (
    PRESETS,
    ArchitectureStore,
    Recipe,
    builtin_layers,
    load_layers,
    preset,
)
from digitpad.core.architectures import (
    ARCHITECTURE_DESCRIPTIONS,
    ARCHITECTURE_NAMES,
    ArchitectureSpec,
)
from digitpad.core.engine import ThreadEngine
from digitpad.core.errors import DigitpadError
from digitpad.core.lr_finder import LrFinderRequest
from digitpad.core.run_log import default_tensorboard_dir
from digitpad.core.training import OPTIMIZERS, TrainingSpec, tensorboard_installed
from digitpad.gui.architecture_editor import (
    PRESET_KEY,
    SAVED_KEY,
    ArchitectureEditor,
    figure_text,
    preset_key,
    saved_key,
)
from digitpad.gui.i18n import QT_TRANSLATE_NOOP, say
from digitpad.gui.lr_finder_dialog import LrFinderDialog
from digitpad.gui.widgets import named

if TYPE_CHECKING:
    from digitpad.gui.app_state import AppState

SETTINGS_GROUP = "training"
_CONTEXT = "TrainingForm"
# Combo entries: label shown, source passed to `load_dataset` (None: the path field decides).
DATASETS: tuple[tuple[str, str | None], ...] = (
    (QT_TRANSLATE_NOOP("TrainingForm", "MNIST handwritten digits"), "mnist"),
    (QT_TRANSLATE_NOOP("TrainingForm", "Fashion-MNIST clothing"), "fashion-mnist"),
    (QT_TRANSLATE_NOOP("TrainingForm", "File or folder…"), None),
)
LEARNING_RATES = (*(m * 10.0**e for e in range(-6, 0) for m in (1.0, 2.0, 5.0)), 1.0)
OPTIMIZER_LABELS = {
    "adam": QT_TRANSLATE_NOOP("TrainingForm", "Adam"),
    "sgd": QT_TRANSLATE_NOOP("TrainingForm", "SGD (momentum 0.9)"),
    "rmsprop": QT_TRANSLATE_NOOP("TrainingForm", "RMSprop"),
}
ARCHITECTURE_LABELS = {
    "mlp": QT_TRANSLATE_NOOP("TrainingForm", "MLP (dense)"),
    "seed-cnn": QT_TRANSLATE_NOOP("TrainingForm", "Seed CNN (small)"),
    "digitpad-cnn": QT_TRANSLATE_NOOP("TrainingForm", "digitpad CNN (best)"),
}
DATA_FILE_FILTER = QT_TRANSLATE_NOOP("TrainingForm", "Digit datasets (*.npz *.gz *ubyte);;All files (*)")
FILE_KEY = "file:"  # an architecture file outside the store, from a spec the form was given


def _translate(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class LogSpinBox(QDoubleSpinBox):
    """Learning rates live on a log scale: the arrows walk 1, 2, 5, 10, 20... and typing accepts
    any value, also in scientific notation (3e-4). The number is shown with the locale's decimal
    sign (French "0,001"); typing accepts it or a point, so "0.001" works in every language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(8)
        self.setRange(LEARNING_RATES[0], LEARNING_RATES[-1])

    def stepBy(self, steps: int) -> None:
        value = self.value()
        for _ in range(abs(steps)):
            if steps > 0:
                value = next((v for v in LEARNING_RATES if v > value * 1.001), value)
            else:
                value = next((v for v in reversed(LEARNING_RATES) if v < value * 0.999), value)
        self.setValue(value)

    def textFromValue(self, value: float) -> str:
        return f"{value:g}".replace(".", self.locale().decimalPoint())

    def valueFromText(self, text: str) -> float:
        value = self._parse(text)
        return self.value() if value is None else value

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        value = self._parse(text)
        if value is None:
            return QValidator.State.Intermediate, text, position
        in_range = self.minimum() <= value <= self.maximum()
        state = QValidator.State.Acceptable if in_range else QValidator.State.Intermediate
        return state, text, position

    def _parse(self, text: str) -> float | None:
        """The number typed, with either decimal sign (a rate has no thousands to group)."""
        try:
            return float(text.strip().replace(self.locale().decimalPoint(), ".").replace(",", "."))
        except ValueError:
            return None


class PowerOfTwoSpinBox(QSpinBox):
    """Batch sizes: arrows double and halve, typing still accepts any size."""

    def stepBy(self, steps: int) -> None:
        value = self.value()
        for _ in range(abs(steps)):
            value = value * 2 if steps > 0 else max(1, value // 2)
        self.setValue(value)


class TrainingForm(QWidget):
    """Dataset, architecture and optimisation settings; emits `architectureChanged` whenever the
    model's layers would change, so the tab can refresh the layer summary.

    With `state`, the learning-rate finder's "Find…" button waits for TensorFlow as Start does;
    without it (a form on its own) the button stays disabled. `store` holds the saved
    architectures (by default the user's). `shutdown` joins a running sweep or save.
    """

    architectureChanged = Signal()

    def __init__(self, parent: QWidget | None = None, *, state: AppState | None = None,
                 store: ArchitectureStore | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingForm")
        self._state = state
        self._tensorflow_error = ""
        self.store = store if store is not None else ArchitectureStore()
        self._file_spec: ArchitectureSpec | None = None  # the FILE_KEY entry's network, when there is one
        self.lr_finder: LrFinderDialog | None = None
        self.editor: ArchitectureEditor | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self._build_data_group())
        layout.addWidget(self._build_model_group())
        layout.addWidget(self._build_training_group())
        layout.addStretch(1)
        self.set_spec(TrainingSpec())
        self._on_dataset_changed()
        self._on_architecture_changed()
        self._on_validation_changed()
        if state is not None:
            state.tensorflowReady.connect(self._on_tensorflow_ready)
            state.tensorflowFailed.connect(self._on_tensorflow_failed)
        self._update_find_button()

    # ------------------------------------------------------------------ layout

    def _build_data_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("DATA"))
        form = QFormLayout(group)
        self.dataset_combo = named(QComboBox(), "datasetCombo")
        for label, source in DATASETS:
            self.dataset_combo.addItem(_translate(label), source)
        self.dataset_combo.setToolTip(self.tr(
            "MNIST and Fashion-MNIST are downloaded once by Keras; offline, digitpad uses the "
            "10,000 MNIST digits it ships with."
        ))
        self.dataset_combo.currentIndexChanged.connect(self._on_dataset_changed)
        form.addRow(self.tr("Dataset"), self.dataset_combo)

        self.path_edit = named(QLineEdit(), "datasetPathEdit")
        self.path_edit.setPlaceholderText(self.tr(".npz file, IDX folder or folder of digit images"))
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(self._update_find_button)
        self.path_edit.setToolTip(self.tr(
            "A .npz file (x_train/y_train/x_test/y_test or x/y), a folder of IDX files, or a "
            "folder with one subfolder of images per label 0-9."
        ))
        browse = named(QToolButton(), "datasetBrowseButton")
        browse.setText(self.tr("Browse…"))
        browse.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(browse)
        menu.addAction(self.tr("Dataset file (.npz, IDX)…"), self._on_choose_file)
        menu.addAction(self.tr("Folder (IDX files or images in 0-9 subfolders)…"), self._on_choose_folder)
        browse.setMenu(menu)
        self._path_row = QWidget()
        row = QHBoxLayout(self._path_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(self._path_row)
        return group

    def _build_model_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("MODEL"))
        form = QFormLayout(group)
        self.architecture_combo = named(QComboBox(), "architectureCombo")
        # Saved names can be long; the settings column must not widen for them (the popup does).
        self.architecture_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.architecture_combo.setMinimumContentsLength(12)
        self.architecture_combo.currentIndexChanged.connect(self._on_architecture_changed)
        self.edit_architecture_button = named(QPushButton(self.tr("Edit…")), "editArchitectureButton")
        self.edit_architecture_button.setToolTip(self.tr(
            "Open the architecture editor on this network: add, remove and change layers, see each "
            "layer's output shape and weights, and save it under a name of your own."))
        self.edit_architecture_button.clicked.connect(self._on_edit_architecture_clicked)
        form.addRow(self.tr("Architecture"), _with_button(self.architecture_combo, self.edit_architecture_button))
        self.description_label = named(QLabel(), "architectureDescription")
        self.description_label.setWordWrap(True)
        self.description_label.setProperty("muted", True)
        form.addRow(self.description_label)

        self.dropout_spin = named(QDoubleSpinBox(), "dropoutSpin")
        self.dropout_spin.setDecimals(2)
        self.dropout_spin.setSingleStep(0.05)
        self.dropout_spin.setRange(0.0, 0.8)
        self.dropout_spin.setSpecialValueText(self.tr("off"))
        form.addRow(self.tr("Dropout"), self.dropout_spin)
        self.batch_norm_check = named(QCheckBox(self.tr("Batch normalization")), "batchNormCheck")
        self.augment_check = named(QCheckBox(self.tr("Augment: rotate, shift, zoom")), "augmentCheck")
        self.augment_check.setToolTip(self.tr(
            "Show the network slightly rotated, shifted and zoomed digits while it trains; "
            "slower per epoch but more robust to how people draw."
        ))
        form.addRow(self.batch_norm_check)
        form.addRow(self.augment_check)
        for signal in (self.dropout_spin.valueChanged, self.batch_norm_check.toggled, self.augment_check.toggled):
            signal.connect(self._on_layer_setting_changed)
        self._fill_architectures(ARCHITECTURE_NAMES[-1])
        return group

    def _build_training_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("TRAINING"))
        form = QFormLayout(group)
        self.epochs_spin = named(QSpinBox(), "epochsSpin")
        self.epochs_spin.setRange(1, 500)
        form.addRow(self.tr("Epochs"), self.epochs_spin)
        self.batch_size_spin = named(PowerOfTwoSpinBox(), "batchSizeSpin")
        self.batch_size_spin.setRange(1, 8192)
        form.addRow(self.tr("Batch size"), self.batch_size_spin)
        self.optimizer_combo = named(QComboBox(), "optimizerCombo")
        for name in OPTIMIZERS:
            self.optimizer_combo.addItem(_translate(OPTIMIZER_LABELS[name]) if name in OPTIMIZER_LABELS else name, name)
        form.addRow(self.tr("Optimizer"), self.optimizer_combo)
        self.learning_rate_spin = named(LogSpinBox(), "learningRateSpin")
        self.find_rate_button = named(QPushButton(self.tr("Find…")), "findLearningRateButton")
        self.find_rate_button.clicked.connect(self._on_find_rate_clicked)
        form.addRow(self.tr("Learning rate"), _with_button(self.learning_rate_spin, self.find_rate_button))
        self.validation_spin = named(QSpinBox(), "validationSplitSpin")
        self.validation_spin.setRange(0, 50)
        self.validation_spin.setSuffix(self.tr(" %"))
        self.validation_spin.setSpecialValueText(self.tr("none"))
        self.validation_spin.setToolTip(self.tr("Share of the training data held back to draw the validation curve."))
        self.validation_spin.valueChanged.connect(self._on_validation_changed)
        form.addRow(self.tr("Validation"), self.validation_spin)
        self.patience_spin = named(QSpinBox(), "patienceSpin")
        self.patience_spin.setRange(0, 100)
        self.patience_spin.setSuffix(self.tr(" epochs"))
        self.patience_spin.setSpecialValueText(self.tr("off"))
        form.addRow(self.tr("Early stopping"), self.patience_spin)
        self.seed_spin = named(QSpinBox(), "seedSpin")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(self.tr("The same seed, data and settings give the same model."))
        form.addRow(self.tr("Random seed"), self.seed_spin)
        self.tensorboard_check = named(QCheckBox(self.tr("Write TensorBoard logs")), "tensorboardCheck")
        self.tensorboard_check.setToolTip(self.tr(
            "Also log every run with Keras' TensorBoard callback, for people who already use TensorBoard "
            "(`tensorboard --logdir FOLDER`). digitpad keeps its own record of runs either way."
        ))
        self.tensorboard_edit = named(QLineEdit(str(default_tensorboard_dir())), "tensorboardEdit")
        self.tensorboard_edit.setToolTip(self.tr("Each run writes its own subfolder here."))
        self.tensorboard_edit.setMinimumWidth(80)  # a long path must not widen the settings column
        self.tensorboard_button = named(QPushButton(self.tr("Folder…")), "tensorboardFolderButton")
        self.tensorboard_button.clicked.connect(self._on_choose_tensorboard_folder)
        self.tensorboard_check.toggled.connect(self._on_tensorboard_toggled)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.tensorboard_edit, 1)
        folder_row.addWidget(self.tensorboard_button)
        form.addRow(self.tensorboard_check)
        form.addRow(folder_row)
        self._tensorboard_available = tensorboard_installed()
        if not self._tensorboard_available:
            self.tensorboard_check.setEnabled(False)
            self.tensorboard_check.setToolTip(self.tr("Needs the tensorboard package: pip install tensorboard"))
        self._on_tensorboard_toggled(False)
        return group

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_dataset_changed(self) -> None:
        self._path_row.setVisible(self.dataset_combo.currentData() is None)
        self._update_find_button()

    @Slot()
    def _on_architecture_changed(self) -> None:
        key = str(self.architecture_combo.currentData())
        from_file = key not in ARCHITECTURE_NAMES
        if key.startswith(PRESET_KEY) and (source := preset(key.removeprefix(PRESET_KEY))) is not None:
            description = figure_text(source)
        elif from_file:
            description = self.tr("Your own network, from {file}.").format(file=self._file_of(key))
        else:
            description = say(ARCHITECTURE_DESCRIPTIONS.get(key, ""))
        self.description_label.setText(description)
        # A network of one's own holds its dropout and normalization layers itself.
        for widget in (self.dropout_spin, self.batch_norm_check):
            widget.setEnabled(not from_file)
        self.dropout_spin.setToolTip(
            self.tr("This network's own layers say where it drops units out; edit it to change them.") if from_file
            else self.tr("Fraction of hidden units switched off at random during training."))
        self.batch_norm_check.setToolTip(
            self.tr("This network's own layers say where it normalizes; edit it to change them.") if from_file
            else self.tr("Normalize each layer's output over the batch, before its activation."))
        self.architectureChanged.emit()

    def _fill_architectures(self, select: str) -> None:
        """List the built-ins, the presets and the saved networks (and the FILE_KEY entry when
        the form was given such a spec), then select `select` if it is there."""
        combo = self.architecture_combo
        combo.blockSignals(True)
        combo.clear()
        for name in ARCHITECTURE_NAMES:
            combo.addItem(_translate(ARCHITECTURE_LABELS[name]) if name in ARCHITECTURE_LABELS else name, name)
        combo.insertSeparator(combo.count())
        for source in PRESETS:
            combo.addItem(self.tr("{name} (preset)").format(name=source.name), preset_key(source.name))
            combo.setItemData(combo.count() - 1, figure_text(source), Qt.ItemDataRole.ToolTipRole)
        saved = self.store.names()
        if saved:
            combo.insertSeparator(combo.count())
        for name in saved:
            combo.addItem(name, saved_key(name))
        if self._file_spec is not None and self._file_spec.file is not None:
            combo.addItem(self._file_spec.name, FILE_KEY + self._file_spec.file)
        index = combo.findData(select)
        combo.setCurrentIndex(index if index >= 0 else combo.findData(ARCHITECTURE_NAMES[-1]))
        combo.blockSignals(False)

    def _file_of(self, key: str) -> str:
        """The architecture file behind a preset, saved or FILE_KEY entry."""
        if key.startswith(PRESET_KEY) and (source := preset(key.removeprefix(PRESET_KEY))) is not None:
            return str(source.path)
        if key.startswith(SAVED_KEY):
            return str(self.store.path(key.removeprefix(SAVED_KEY)))
        return key.removeprefix(FILE_KEY)

    @Slot()
    def _on_edit_architecture_clicked(self) -> None:
        if self.editor is not None:
            return
        # A form without the app's state (a test, an embedding) has no engine: Keras runs here then.
        engine = self._state.engine if self._state is not None else ThreadEngine()
        editor = ArchitectureEditor(self.store, self, engine=engine)
        key = str(self.architecture_combo.currentData())
        try:
            if key.startswith(PRESET_KEY):
                editor.open_preset(key.removeprefix(PRESET_KEY))
            elif key.startswith(SAVED_KEY):
                editor.open_saved(key.removeprefix(SAVED_KEY))
            else:
                layers = builtin_layers(key) if key in ARCHITECTURE_NAMES else load_layers(Path(self._file_of(key)))
                editor.open_layers(list(layers), self.tr("Copy of {name} (unsaved)").format(
                    name=self.architecture_combo.currentText()))
        except DigitpadError as error:  # a saved file edited by hand into something else
            editor.open_layers([], self.tr("New network"))
            editor.status_label.setText(str(error))
        editor.setWindowModality(Qt.WindowModality.WindowModal)
        editor.saved.connect(self._on_architecture_saved)
        editor.deleted.connect(self._on_architecture_deleted)
        editor.chosen.connect(self._on_architecture_chosen)
        editor.finished.connect(self._on_editor_closed)
        self.editor = editor
        editor.open()

    @Slot(str)
    def _on_architecture_saved(self, name: str) -> None:
        current = str(self.architecture_combo.currentData())
        self._fill_architectures(current)
        if current == saved_key(name):  # the chosen network's layers changed: refresh its summary
            self._on_architecture_changed()

    @Slot(str)
    def _on_architecture_deleted(self, name: str) -> None:
        current = str(self.architecture_combo.currentData())
        self._fill_architectures(current)  # a deleted choice falls back to the default network
        if current == saved_key(name):
            self._on_architecture_changed()

    @Slot(str)
    def _on_architecture_chosen(self, key: str) -> None:
        """"Use" in the editor: select the network, and for a preset its training recipe."""
        self._fill_architectures(key)
        if key.startswith(PRESET_KEY) and (source := preset(key.removeprefix(PRESET_KEY))) is not None:
            self.apply_recipe(source.recipe)
        self._on_architecture_changed()

    @Slot(int)
    def _on_editor_closed(self, _result: int) -> None:
        if self.editor is not None:
            self.editor.shutdown()
            self.editor.deleteLater()
            self.editor = None

    def apply_recipe(self, recipe: Recipe) -> None:
        self._select(self.optimizer_combo, recipe.optimizer)
        self.learning_rate_spin.setValue(recipe.learning_rate)
        self.epochs_spin.setValue(recipe.epochs)
        self.batch_size_spin.setValue(recipe.batch_size)
        self.validation_spin.setValue(round(100 * recipe.validation_split))

    @Slot()
    def _on_layer_setting_changed(self) -> None:
        self.architectureChanged.emit()

    @Slot()
    def _on_validation_changed(self) -> None:
        has_validation = self.validation_spin.value() > 0
        self.patience_spin.setEnabled(has_validation)
        self.patience_spin.setToolTip(
            self.tr("Stop when validation loss has not improved for this many epochs, keeping the best weights.")
            if has_validation
            else self.tr("Early stopping watches the validation loss: set a validation share first.")
        )

    @Slot()
    def _on_choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a dataset file"), self._start_dir(),
                                              _translate(DATA_FILE_FILTER))
        if path:
            self.path_edit.setText(path)

    @Slot()
    def _on_choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose a dataset folder"), self._start_dir())
        if path:
            self.path_edit.setText(path)

    @Slot(bool)
    def _on_tensorboard_toggled(self, on: bool) -> None:
        self.tensorboard_edit.setEnabled(on)
        self.tensorboard_button.setEnabled(on)

    @Slot()
    def _on_choose_tensorboard_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder for TensorBoard logs"), self.tensorboard_edit.text())
        if path:
            self.tensorboard_edit.setText(path)

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self._update_find_button()

    @Slot(str)
    def _on_tensorflow_failed(self, message: str) -> None:
        self._tensorflow_error = self.tr("TensorFlow could not be loaded, so no rate can be found: {reason}").format(
            reason=message)
        self._update_find_button()

    @Slot()
    def _on_find_rate_clicked(self) -> None:
        request = self.learning_rate_request()
        if request is None or self.lr_finder is not None or self._state is None:
            return
        # Window-modal: while it sweeps, the settings it read cannot change and training cannot start.
        dialog = LrFinderDialog(request, self, engine=self._state.engine)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.rateChosen.connect(self._on_rate_chosen)
        dialog.finished.connect(self._on_lr_finder_closed)
        self.lr_finder = dialog
        dialog.open()
        dialog.start()

    @Slot(float)
    def _on_rate_chosen(self, rate: float) -> None:
        self.learning_rate_spin.setValue(rate)

    @Slot(int)
    def _on_lr_finder_closed(self, _result: int) -> None:
        if self.lr_finder is not None:
            self.lr_finder.deleteLater()
            self.lr_finder = None

    def _update_find_button(self) -> None:
        ready = self._state is not None and self._state.tensorflow_ready
        has_data = self.source() is not None
        self.find_rate_button.setEnabled(ready and has_data)
        if self._tensorflow_error:
            tip = self._tensorflow_error
        elif not ready:
            tip = self.tr("TensorFlow is still loading; the learning-rate finder is ready in a few seconds.")
        elif not has_data:
            tip = self.tr("Choose a dataset file or folder first.")
        else:
            tip = self.tr("Train a fresh network for a few hundred batches while its learning rate grows, "
                          "and suggest a rate from how its loss falls (a learning-rate range test).")
        self.find_rate_button.setToolTip(tip)

    def _start_dir(self) -> str:
        current = Path(self.path_edit.text().strip()).expanduser()
        return str(current if current.is_dir() else current.parent) if self.path_edit.text().strip() else str(Path.home())

    # ------------------------------------------------------------------ values

    def source(self) -> str | None:
        """What `load_dataset` should read; None while "File or folder…" has no path yet."""
        named = self.dataset_combo.currentData()
        if named is not None:
            return named
        path = self.path_edit.text().strip()
        return str(Path(path).expanduser()) if path else None

    def tensorboard_dir(self) -> Path | None:
        """Where Keras' TensorBoard callback should log, or None when the box is unchecked."""
        text = self.tensorboard_edit.text().strip()
        if not (self.tensorboard_check.isChecked() and self._tensorboard_available):
            return None
        return Path(text).expanduser() if text else default_tensorboard_dir()

    def learning_rate_request(self) -> LrFinderRequest | None:
        """The finder's sweep for this data, network, optimizer, batch size and seed; None while
        there is no data to sweep on."""
        source = self.source()
        if source is None:
            return None
        return LrFinderRequest(
            source=source,
            architecture=self.architecture_spec(),
            optimizer=self.optimizer_combo.currentData(),
            batch_size=self.batch_size_spin.value(),
            seed=self.seed_spin.value(),
            title=self.tr("{network} with {optimizer}").format(network=self.architecture_combo.currentText(),
                                                                optimizer=self.optimizer_combo.currentText()),
        )

    def shutdown(self) -> None:
        """Stop and join a running learning-rate sweep or architecture save; the Train tab calls
        this when it closes."""
        if self.lr_finder is not None:
            self.lr_finder.shutdown()
        if self.editor is not None:
            self.editor.shutdown()

    def architecture_spec(self) -> ArchitectureSpec:
        """The chosen network; a preset or saved one is its architecture file, augmentation in front."""
        key = str(self.architecture_combo.currentData())
        augment = self.augment_check.isChecked()
        if key in ARCHITECTURE_NAMES:
            return ArchitectureSpec(
                name=key,
                dropout=round(self.dropout_spin.value(), 2),
                batch_norm=self.batch_norm_check.isChecked(),
                augment=augment,
            )
        name = self.architecture_combo.currentText() if key.startswith(FILE_KEY) else key.split(":", 1)[1]
        return ArchitectureSpec(name=name, file=self._file_of(key), augment=augment)

    def _select_architecture(self, spec: ArchitectureSpec) -> None:
        """Select the entry for `spec`: a built-in, a preset or saved network with its file, or
        else an entry of its own for the file."""
        if spec.file is None:
            self._fill_architectures(spec.name)
            return
        candidates = [preset_key(spec.name), *([saved_key(spec.name)] if spec.name in self.store.names() else [])]
        key = next((k for k in candidates if self._file_of(k) == spec.file), None)
        if key is None:
            self._file_spec = spec
            key = FILE_KEY + spec.file
        self._fill_architectures(key)

    def training_spec(self) -> TrainingSpec:
        """The full recipe; raises DigitpadError with a readable sentence for impossible values."""
        validation = self.validation_spin.value() / 100.0
        patience = self.patience_spin.value()
        return TrainingSpec(
            architecture=self.architecture_spec(),
            optimizer=self.optimizer_combo.currentData(),
            learning_rate=self.learning_rate_spin.value(),
            epochs=self.epochs_spin.value(),
            batch_size=self.batch_size_spin.value(),
            validation_split=validation,
            early_stopping=patience if patience > 0 and validation > 0 else None,
            seed=self.seed_spin.value(),
        )

    def set_spec(self, spec: TrainingSpec) -> None:
        """Fill the widgets from a spec; `TrainingSpec()` gives the engine's defaults."""
        self._select_architecture(spec.architecture)
        self.dropout_spin.setValue(spec.architecture.dropout)
        self.batch_norm_check.setChecked(spec.architecture.batch_norm)
        self.augment_check.setChecked(spec.architecture.augment)
        self.epochs_spin.setValue(spec.epochs)
        self.batch_size_spin.setValue(spec.batch_size)
        self._select(self.optimizer_combo, spec.optimizer)
        self.learning_rate_spin.setValue(spec.learning_rate)
        self.validation_spin.setValue(round(100 * spec.validation_split))
        self.patience_spin.setValue(spec.early_stopping or 0)
        self.seed_spin.setValue(spec.seed)

    # ------------------------------------------------------------------ persistence

    def save_settings(self, settings: QSettings) -> None:
        settings.beginGroup(SETTINGS_GROUP)
        try:
            settings.setValue("dataset", self.dataset_combo.currentIndex())
            settings.setValue("path", self.path_edit.text())
            settings.setValue("architecture", self.architecture_combo.currentData())
            settings.setValue("dropout", self.dropout_spin.value())
            settings.setValue("batch_norm", self.batch_norm_check.isChecked())
            settings.setValue("augment", self.augment_check.isChecked())
            settings.setValue("epochs", self.epochs_spin.value())
            settings.setValue("batch_size", self.batch_size_spin.value())
            settings.setValue("optimizer", self.optimizer_combo.currentData())
            settings.setValue("learning_rate", self.learning_rate_spin.value())
            settings.setValue("validation_percent", self.validation_spin.value())
            settings.setValue("patience", self.patience_spin.value())
            settings.setValue("seed", self.seed_spin.value())
            settings.setValue("tensorboard", self.tensorboard_check.isChecked())
            settings.setValue("tensorboard_dir", self.tensorboard_edit.text())
        finally:
            settings.endGroup()

    def load_settings(self, settings: QSettings) -> None:
        """Restore what was last used; missing or garbled keys keep the current values."""
        settings.beginGroup(SETTINGS_GROUP)
        try:
            self.dataset_combo.setCurrentIndex(self._int(settings, "dataset", self.dataset_combo.currentIndex()))
            self.path_edit.setText(str(settings.value("path", self.path_edit.text()) or ""))
            self._fill_architectures(str(settings.value("architecture", self.architecture_combo.currentData())))
            self.dropout_spin.setValue(self._float(settings, "dropout", self.dropout_spin.value()))
            self.batch_norm_check.setChecked(self._bool(settings, "batch_norm", self.batch_norm_check.isChecked()))
            self.augment_check.setChecked(self._bool(settings, "augment", self.augment_check.isChecked()))
            self.epochs_spin.setValue(self._int(settings, "epochs", self.epochs_spin.value()))
            self.batch_size_spin.setValue(self._int(settings, "batch_size", self.batch_size_spin.value()))
            self._select(self.optimizer_combo, str(settings.value("optimizer", "")))
            self.learning_rate_spin.setValue(self._float(settings, "learning_rate", self.learning_rate_spin.value()))
            self.validation_spin.setValue(self._int(settings, "validation_percent", self.validation_spin.value()))
            self.patience_spin.setValue(self._int(settings, "patience", self.patience_spin.value()))
            self.seed_spin.setValue(self._int(settings, "seed", self.seed_spin.value()))
            self.tensorboard_check.setChecked(self._bool(settings, "tensorboard", self.tensorboard_check.isChecked()))
            self.tensorboard_edit.setText(str(settings.value("tensorboard_dir", self.tensorboard_edit.text()) or ""))
        finally:
            settings.endGroup()
        self._on_architecture_changed()

    @staticmethod
    def _select(combo: QComboBox, data: str) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    # QSettings hands back strings from INI files and native types elsewhere; accept both.
    @staticmethod
    def _int(settings: QSettings, key: str, default: int) -> int:
        try:
            return int(str(settings.value(key, default)))
        except (TypeError, ValueError):
            return default

    @staticmethod
    def _float(settings: QSettings, key: str, default: float) -> float:
        try:
            return float(str(settings.value(key, default)))
        except (TypeError, ValueError):
            return default

    @staticmethod
    def _bool(settings: QSettings, key: str, default: bool) -> bool:
        value = settings.value(key, default)
        return value if isinstance(value, bool) else str(value).lower() in {"true", "1"}


def _with_button(field: QWidget, button: QPushButton) -> QHBoxLayout:
    """A form row's field with its button beside it (the field takes the room left)."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(button)
    return row
