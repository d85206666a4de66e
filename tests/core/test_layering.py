"""The engine stays Qt-free, and the fast path stays free of TensorFlow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import digitpad

CORE = Path(digitpad.__file__).parent / "core"
ALL_CORE_MODULES = sorted(f"digitpad.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")
FAST_PATH_MODULES = [
    "digitpad",
    "digitpad.core.preprocess",
    "digitpad.core.inference",
    "digitpad.core.datasets",
    "digitpad.core.library",
    "digitpad.core.evaluation",
    "digitpad.core.comparison",
    "digitpad.console",
]


def imported_after(modules: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_core_imports_without_qt():
    loaded = imported_after(ALL_CORE_MODULES)
    assert "digitpad.core.training" in loaded  # the list really covers the engine
    assert not {m for m in loaded if m.split(".")[0] in {"PySide6", "pyqtgraph", "shiboken6"}}


def test_fast_path_imports_without_tensorflow():
    loaded = imported_after(FAST_PATH_MODULES)
    assert "digitpad.core.inference" in loaded
    assert not {m for m in loaded if m.split(".")[0] in {"tensorflow", "keras", "PySide6", "pyqtgraph"}}


def test_no_core_source_mentions_qt():
    offenders = [p.name for p in CORE.glob("*.py") if "PySide6" in p.read_text() or "pyqtgraph" in p.read_text()]
    assert offenders == []
