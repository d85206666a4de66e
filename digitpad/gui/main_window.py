"""The main window: four tabs, a menu, a status bar that says what is loading.

It owns the order of shutdown: every tab stops and joins its worker threads, then the shared
state joins its own (model loading, waiting for TensorFlow) and ends the engine process, then
the settings are written, so
closing the window mid-training still exits cleanly with code 0.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray, QProcess, QSize, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from digitpad import __version__
from digitpad.gui import i18n
from digitpad.gui.app_state import SETTINGS_GEOMETRY, AppState
from digitpad.gui.digits_service import DigitsService
from digitpad.gui.draw_tab import DrawTab
from digitpad.gui.models_tab import ModelsTab
from digitpad.gui.my_digits_tab import MyDigitsTab
from digitpad.gui.train_tab import TrainTab

DEFAULT_SIZE = QSize(1200, 760)
MINIMUM_SIZE = QSize(960, 640)

# The command that starts the window again after a language change (the same Python, the same install).
RESTART_ARGUMENTS = ["-m", "digitpad", "gui"]


class MainWindow(QMainWindow):
    """Draw, Train, Models and My digits tabs sharing one `AppState` and one `DigitsService`."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("digitpad"))   # the program's name, the same in every language
        self.setMinimumSize(MINIMUM_SIZE)
        self.state = state
        self._shut_down = False
        self.digits = DigitsService(parent=self)
        self.digits.notice.connect(self._on_digits_notice)
        self.digits.start()

        self.draw_tab = DrawTab(state, self.digits)
        self.train_tab = TrainTab(state)
        self.train_tab.setObjectName("trainTab")
        self.models_tab = ModelsTab(state)
        self.models_tab.setObjectName("modelsTab")
        self.my_digits_tab = MyDigitsTab(state, self.digits)
        self.my_digits_tab.setObjectName("myDigitsTab")
        self.my_digits_tab.drawRequested.connect(self._on_draw_requested)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.draw_tab, self.tr("Draw"))
        self.tabs.addTab(self.train_tab, self.tr("Train"))
        self.tabs.addTab(self.models_tab, self.tr("Models"))
        self.tabs.addTab(self.my_digits_tab, self.tr("My digits"))
        self.tabs.setTabToolTip(0, self.tr("Draw a digit and see what the model reads"))
        self.tabs.setTabToolTip(1, self.tr("Train a new model and watch it learn"))
        self.tabs.setTabToolTip(2, self.tr("Your saved models: details, and comparisons"))
        self.tabs.setTabToolTip(3, self.tr("The digits you kept: correct them, and fine-tune a model on your hand"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)

        self.tensorflow_status = QLabel()
        self.tensorflow_status.setObjectName("tensorflowStatus")
        self.statusBar().addPermanentWidget(self.tensorflow_status)
        self._show_tensorflow_state(state.tensorflow_ready, self.tr("TensorFlow ready") if state.tensorflow_ready
                                    else self.tr("Loading TensorFlow…"))
        state.statusMessage.connect(self._on_status_message)
        state.tensorflowReady.connect(self._on_tensorflow_ready)
        state.tensorflowFailed.connect(self._on_tensorflow_failed)

        self._build_menus()
        self._restore_settings()

    # ---- menus ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        open_image = self._window_action(self.tr("Open &image…"), self._on_open_image, QKeySequence.StandardKey.Open)
        open_model = self._window_action(self.tr("Open &model…"), self._on_open_model, "Ctrl+Shift+O")
        quit_action = self._window_action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addActions([open_image, open_model])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        draw = self.draw_tab
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addActions([draw.undo_action, draw.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([draw.paste_action, draw.clear_action])
        edit_menu.addSeparator()
        edit_menu.addActions([draw.eraser_action, draw.smaller_brush_action, draw.bigger_brush_action])

        self._build_settings_menu()

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = self._window_action(self.tr("&About digitpad"), self._on_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)

    def _build_settings_menu(self) -> None:
        """Settings → Language: System, English, Français (each language named in itself)."""
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        language_menu = settings_menu.addMenu(self.tr("&Language"))
        language_menu.setObjectName("languageMenu")
        self.language_actions = QActionGroup(self)
        self.language_actions.setExclusive(True)
        chosen = i18n.chosen_language(self.state.settings)
        for choice, text in ((i18n.SYSTEM, self.tr("System")), (i18n.ENGLISH, "English"),
                             (i18n.FRENCH, "Français")):
            action = language_menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(choice == chosen)
            action.setData(choice)
            self.language_actions.addAction(action)
        self.language_actions.triggered.connect(self._on_language_chosen)

    @Slot(QAction)
    def _on_language_chosen(self, action: QAction) -> None:
        """Save the choice; Qt made every label in the old language, so offer to restart."""
        choice = str(action.data())
        i18n.choose_language(self.state.settings, choice)
        if i18n.resolve_language(choice) == i18n.installed_language():
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Language"),
                          self.tr("The new language shows when digitpad starts again."), parent=self)
        restart = box.addButton(self.tr("Restart now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is restart and self.close():
            QProcess.startDetached(sys.executable, RESTART_ARGUMENTS)

    def _window_action(self, text: str, slot: object,
                       shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @Slot()
    def _on_open_image(self) -> None:
        self.tabs.setCurrentWidget(self.draw_tab)
        self.draw_tab.open_image_dialog()

    @Slot()
    def _on_open_model(self) -> None:
        self.tabs.setCurrentWidget(self.draw_tab)
        self.draw_tab.open_model_dialog()

    @Slot()
    def _on_about(self) -> None:
        QMessageBox.about(self, self.tr("About digitpad"), self.tr(
            '<h2 style="margin-bottom: 4px">digitpad {version}</h2>'
            "<p>Draw a digit and watch a neural network read it; train your own models and compare them.</p>"
            "<p><b>Data</b><br>"
            "MNIST handwritten digits by Yann LeCun, Corinna Cortes and Christopher J.&nbsp;C. Burges, "
            'licensed under <a href="https://creativecommons.org/licenses/by-sa/3.0/">CC BY-SA 3.0</a>.<br>'
            "Fashion-MNIST by Han Xiao, Kashif Rasul and Roland Vollgraf (Zalando Research), MIT licence.</p>"
            "<p><b>Built with</b> TensorFlow and Keras, LiteRT, NumPy, Pillow, Qt for Python (PySide6) "
            "and pyqtgraph.</p>").format(version=__version__))

    # ---- status -----------------------------------------------------------------------------

    @Slot(str, int)
    def _on_status_message(self, text: str, timeout_ms: int) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    @Slot()
    def _on_tensorflow_ready(self) -> None:
        self._show_tensorflow_state(True, self.tr("TensorFlow ready"))

    @Slot(str)
    def _on_tensorflow_failed(self, message: str) -> None:
        self._show_tensorflow_state(False, self.tr("TensorFlow unavailable"))
        self.tensorflow_status.setToolTip(message)

    def _show_tensorflow_state(self, ready: bool, text: str) -> None:
        self.tensorflow_status.setText(("●  " if ready else "○  ") + text)

    @Slot(int)
    @Slot()
    def _on_draw_requested(self) -> None:
        self.tabs.setCurrentWidget(self.draw_tab)

    @Slot(str)
    def _on_digits_notice(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Your digits"), message)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.draw_tab:
            self.draw_tab.canvas.setFocus()   # the Draw tab's shortcuts follow keyboard focus

    # ---- settings and shutdown --------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self.state.settings.value(SETTINGS_GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(DEFAULT_SIZE)
        self.draw_tab.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def shutdown(self) -> None:
        """Stop and join every background thread and save the settings; safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        self.state.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        for tab in (self.draw_tab, self.train_tab, self.models_tab, self.my_digits_tab):
            tab.shutdown()
        self.digits.shutdown()
        self.state.shutdown()
        self.state.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        event.accept()
