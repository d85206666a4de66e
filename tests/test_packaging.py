"""A non-editable install must carry the shipped model and data inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_contains_the_resources_and_the_console_script(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), "--quiet"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("digitpad-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    assert "digitpad/resources/default-model.keras" in names
    assert "digitpad/resources/mnist-train-10k.npz" in names
    assert "digitpad/core/inference.py" in names and "digitpad/gui/app.py" in names
    assert not any(name.startswith("digitpad/resources/screenshots") for name in names)
    assert "digitpad = digitpad.cli:main" in scripts
