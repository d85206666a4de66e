"""Start TensorFlow, Keras and LiteRT without their C++ start-up lines reaching the user's terminal.

TensorFlow's native code writes lines such as "oneDNN custom operations are on" and "failed
call to cuInit" straight to file descriptor 2 while it loads, before TF_CPP_MIN_LOG_LEVEL is
even read: they alarm people and bury digitpad's own messages. During the import (and the
device scan that triggers the CUDA probe) descriptor 2 is pointed at a log file instead, kept
for anyone who needs the detail. Python's own messages in those seconds land there too.

The import also holds Python's GIL: loading TensorFlow's 1.1 GB native library alone froze the
window's other thread for ~0.5 s in one piece. On Linux that library is loaded first by calling
the C library's `dlopen` through ctypes, which releases the GIL; the import then finds it
loaded. The longest freeze during the import drops to ~0.15 s (benchmarks/bench_gui_stalls.py).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_LOCK = threading.Lock()
# TensorFlow's own native libraries, the bulk of its import: preloaded without the GIL.
NATIVE_LIBRARIES = ("libtensorflow_framework.so.2", "libtensorflow_cc.so.2")


def startup_log_path() -> Path:
    """$XDG_STATE_HOME/digitpad/tensorflow-startup.log (default ~/.local/state/...)."""
    state_home = os.environ.get("XDG_STATE_HOME")
    base = Path(state_home) if state_home and os.path.isabs(state_home) else Path.home() / ".local" / "state"
    return base / "digitpad" / "tensorflow-startup.log"


def import_tensorflow() -> str:
    """Import both libraries (once) and say which versions are in use."""
    with _LOCK:
        if "tensorflow" not in sys.modules:
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
            with _native_stderr_to(startup_log_path(), mode="wb"):  # the last start-up is worth reading
                _preload_native_libraries()
                import tensorflow

                tensorflow.config.list_physical_devices()  # the CUDA probe logs here
        import keras
        import tensorflow

    return f"TensorFlow {tensorflow.__version__}, Keras {keras.__version__}"


def _preload_native_libraries() -> None:
    """dlopen TensorFlow's native libraries with the GIL released (Linux); anything unexpected
    (another platform or layout, a failed load) leaves the plain import to do it."""
    spec = importlib.util.find_spec("tensorflow")
    if not sys.platform.startswith("linux") or spec is None or spec.origin is None:
        return
    try:
        libc = ctypes.CDLL(None)
        dlopen = libc.dlopen  # a foreign call: ctypes releases the GIL while it runs
    except (OSError, AttributeError):
        return
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    folder = Path(spec.origin).parent
    for name in NATIVE_LIBRARIES:
        library = folder / name
        if library.is_file():
            dlopen(os.fsencode(library), os.RTLD_LAZY | os.RTLD_LOCAL)


@contextmanager
def quiet_native_start() -> Iterator[None]:
    """For a native library's first use, such as LiteRT's first interpreter ("INFO: Created
    TensorFlow Lite XNNPACK delegate for CPU."): its lines are added to the start-up log.

    Never waits: while TensorFlow is being imported on another thread (the window's first
    drawing may come then), descriptor 2 already points at the log, and is left alone.
    """
    if not _LOCK.acquire(blocking=False):
        yield
        return
    try:
        with _native_stderr_to(startup_log_path(), mode="ab"):
            yield
    finally:
        _LOCK.release()


@contextmanager
def _native_stderr_to(log_path: Path, mode: str) -> Iterator[None]:
    """Point file descriptor 2 at `log_path` (opened with `mode`) for the duration; left alone if
    the log cannot be opened, since seeing the lines beats failing to start."""
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = log_path.open(mode)  # closed by the `with` below, after descriptor 2 is restored
    except OSError:
        yield
        return
    with log:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(log.fileno(), 2)
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
