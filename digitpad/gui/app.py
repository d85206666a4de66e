"""Start the desktop app: the window first, everything slow afterwards.

Nothing imported here pulls in TensorFlow, so the window appears in about a second. Once the
event loop runs, `AppState.start` loads the model for drawing (LiteRT, no TensorFlow, a fraction of a
second) and then starts the engine process, which imports TensorFlow for training and the other
Keras jobs (see `core.engine`); the window's own process never does.
"""

from __future__ import annotations

import gc
import logging
import signal
import sys

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from digitpad.gui.app_state import AppState
from digitpad.gui.i18n import chosen_language, install_language
from digitpad.gui.main_window import MainWindow
from digitpad.gui.style import apply_theme
from digitpad.gui.system_libraries import install_hint, missing_packages

ORGANIZATION = "digitpad"
APPLICATION = "digitpad"
SIGNAL_POLL_MS = 250


def main(argv: list[str] | None = None) -> int:
    """Run the app until its window closes and return the exit code (0 on a normal close).

    `argv` holds the arguments after the program name (default `sys.argv[1:]`); Qt's own
    options such as `-platform offscreen` are honoured. An existing QApplication (a test, an
    embedding script) is reused, and its event loop is run until the window closes.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="digitpad: %(levelname)s: %(message)s")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        missing = missing_packages(arguments)
        if missing:
            print(f"digitpad: error: {install_hint(missing)}", file=sys.stderr)
            return 1
        app = QApplication([sys.argv[0] if sys.argv and sys.argv[0] else APPLICATION, *arguments])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setQuitOnLastWindowClosed(True)
    apply_theme(app)
    # Before any widget exists: Qt translates a text when the widget showing it is made.
    install_language(app, chosen_language(QSettings(ORGANIZATION, APPLICATION)))

    state = AppState()
    window = MainWindow(state)
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    QTimer.singleShot(0, state.start)

    # Ctrl+C in the terminal closes the window the normal way; Python only sees the signal when
    # the interpreter runs, hence the idle timer.
    previous_handler = signal.signal(signal.SIGINT, lambda *_: window.close())
    wake_up = QTimer()
    wake_up.timeout.connect(lambda: None)
    wake_up.start(SIGNAL_POLL_MS)
    # Python's cycle collector may run inside any allocation, including one Qt makes while it
    # holds its signal-connection lock; freeing a QObject there (pyqtgraph's plots own parentless
    # menus) deadlocks the window. Collect only from the event loop, once a second, instead.
    collector = GarbageCollector(interval=1.0)
    try:
        code = app.exec()
    finally:
        collector.timer.stop()
        gc.enable()
        wake_up.stop()
        signal.signal(signal.SIGINT, previous_handler)
        window.shutdown()
        app.aboutToQuit.disconnect(window.shutdown)
    return int(code)
