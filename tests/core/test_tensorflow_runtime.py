"""TensorFlow's C++ start-up lines go to a log file, not to the user's terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_tensorflow_loads_without_native_lines_on_stderr(tmp_path: Path) -> None:
    code = (
        "import sys; from digitpad.core.tensorflow_runtime import import_tensorflow, startup_log_path; "
        "print(import_tensorflow()); print(startup_log_path()); print('after the import', file=sys.stderr)"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    versions, log_path = result.stdout.splitlines()[-2:]
    assert versions.startswith("TensorFlow ") and ", Keras " in versions
    assert result.stderr.strip() == "after the import", "only Python's own message, once fd 2 is back"
    assert Path(log_path) == tmp_path / "digitpad" / "tensorflow-startup.log"
    assert Path(log_path).is_file()
