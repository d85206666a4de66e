"""The engine stays Qt-free, and the fast path stays free of TensorFlow."""

from __future__ import annotations

import os
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
    "digitpad.core.strokes",
    "digitpad.core.digit_store",
    "digitpad.core.digit_exchange",
    "digitpad.core.guided_teaching",
    "digitpad.core.digit_reading",
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


def lint_imports(config: Path, cwd: Path, pythonpath: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("lint-imports")), str(config), "--no-cache"]
    env = {**os.environ, "PYTHONPATH": pythonpath} if pythonpath else None
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


def test_import_contracts_are_kept() -> None:
    root = Path(digitpad.__file__).parent.parent
    result = lint_imports(root / "pyproject.toml", root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_import_contracts_catch_a_core_module_importing_the_window(tmp_path: Path) -> None:
    """The same contracts, on a copy of the package layout whose engine imports the window."""
    root = Path(digitpad.__file__).parent.parent
    config = (root / "pyproject.toml").read_text()
    contracts = config[config.index("[tool.importlinter]") :].replace("digitpad", "fakepad")
    (tmp_path / "setup.toml").write_text(contracts)
    for package in ("fakepad", "fakepad/commands", "fakepad/core", "fakepad/gui", "fakepad/console"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "fakepad" / "cli.py").write_text("")
    (tmp_path / "fakepad" / "core" / "jobs.py").write_text("import fakepad.gui.window\n")
    (tmp_path / "fakepad" / "gui" / "window.py").write_text("")
    result = lint_imports(tmp_path / "setup.toml", tmp_path, pythonpath=str(tmp_path))
    assert result.returncode != 0
    assert "The engine never imports the window, the console or Qt BROKEN" in result.stdout
    assert "fakepad.core.jobs -> fakepad.gui.window" in result.stdout
