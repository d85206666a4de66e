"""Import TensorFlow and Keras off the GUI thread.

Importing them takes several seconds, longer than the whole budget for showing the window, and
nothing on the Draw tab needs them (the LiteRT `Predictor` answers in under a millisecond). The
app therefore shows its window first and runs this function on a `BackgroundTask`; training and
evaluation wait for `AppState.tensorflowReady`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from digitpad.core import tensorflow_runtime
from digitpad.core.model_jobs import TENSORFLOW_IMPORT_LOCK


def import_tensorflow(progress: Callable[[object], None], stop_event: threading.Event) -> str:
    """Import both libraries once and say which versions are now in use.

    An import cannot be interrupted, so `stop_event` is ignored: closing the window simply
    waits for the import to end before joining the thread. Model loads, which may import
    TensorFlow too, wait for it (see `TENSORFLOW_IMPORT_LOCK`).
    """
    with TENSORFLOW_IMPORT_LOCK:
        return tensorflow_runtime.import_tensorflow()
