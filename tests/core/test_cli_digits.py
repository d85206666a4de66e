"""`digitpad digits list/import/export` end to end, in subprocesses, without TensorFlow."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.resources import bundled_mnist_path

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGITPAD_DIGITS": str(store), "DIGITPAD_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "digitpad", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=60)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store" / "digits.sqlite"


@pytest.fixture
def npz(tmp_path: Path) -> Path:
    """20 MNIST digits, the fourth with the impossible label 12."""
    with np.load(bundled_mnist_path()) as data:
        x, y = data["x"][:20], data["y"][:20].astype(np.int64)
    y[3] = 12
    path = tmp_path / "mine.npz"
    np.savez(path, x=x, y=y)
    return path


def test_list_an_empty_store_as_json(store: Path) -> None:
    result = run_cli("digits", "list", "--json", store=store)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"total": 0, "per_label": {str(d): 0 for d in range(10)}, "path": str(store)}


def test_import_list_and_export_in_every_format(store: Path, npz: Path, tmp_path: Path) -> None:
    result = run_cli("digits", "import", str(npz), store=store)
    assert result.returncode == 0, result.stderr
    assert "Added 19 digit(s)" in result.stdout
    assert "mine.npz entry 3: label 12 is not a digit 0-9" in result.stderr

    listed = json.loads(run_cli("digits", "list", "--json", store=store).stdout)
    with np.load(npz) as data:
        y = data["y"]
    expected = {str(d): int(np.count_nonzero(np.delete(y, 3) == d)) for d in range(10)}
    assert listed == {"total": 19, "per_label": expected, "path": str(store)}

    table = run_cli("digits", "list", store=store)
    assert table.returncode == 0 and "19 digit(s)" in table.stdout
    counts_line = next(line for line in table.stdout.splitlines() if line.strip().startswith("count"))
    assert [int(n) for n in counts_line.split()[1:]] == [expected[str(d)] for d in range(10)]

    assert run_cli("digits", "export", "--out", str(tmp_path / "out.npz"), store=store).returncode == 0
    with np.load(tmp_path / "out.npz") as data:
        assert data["x"].shape == (19, 28, 28) and data["y"].tolist() == np.delete(y, 3).tolist()
    result = run_cli("digits", "export", "--out", str(tmp_path / "pngs"), store=store)
    assert result.returncode == 0 and "Exported 19 digit(s)" in result.stdout
    assert len(list((tmp_path / "pngs").glob("*/*.png"))) == 19
    assert run_cli("digits", "export", "--out", str(tmp_path / "idx"), "--format", "idx", store=store).returncode == 0
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


@pytest.mark.parametrize(
    "args",
    [("digits", "import", "/nonexistent/folder"), ("digits", "export", "--out", "/nonexistent-digits.npz")],
)
def test_errors_are_one_line_and_exit_2(store: Path, args: tuple[str, ...]) -> None:
    result = run_cli(*args, store=store)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digitpad: error: ")


def test_a_store_from_a_newer_digitpad_is_one_line_and_untouched(store: Path) -> None:
    store.parent.mkdir()
    connection = sqlite3.connect(store)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    content = store.read_bytes()
    result = run_cli("digits", "list", store=store)
    assert result.returncode == 2 and "newer digitpad" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.read_bytes() == content


def test_a_damaged_store_is_set_aside_with_a_note(store: Path) -> None:
    store.parent.mkdir()
    store.write_bytes(b"definitely not sqlite" * 50)
    result = run_cli("digits", "list", "--json", store=store)
    assert result.returncode == 0 and json.loads(result.stdout)["total"] == 0
    assert "was moved to" in result.stderr and "damaged" in result.stderr
    assert any(p.name.startswith("digits.sqlite.damaged-") for p in store.parent.iterdir())


def test_digits_commands_never_import_tensorflow(store: Path, npz: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from digitpad.cli import main\n"
        f"assert main(['digits', 'import', {str(npz)!r}]) == 0\n"
        "assert main(['digits', 'list', '--json']) == 0\n"
        f"assert main(['digits', 'export', '--out', {str(tmp_path / 'x.npz')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'PySide6', 'h5py')))\n"
    )
    env = {**os.environ, "DIGITPAD_DIGITS": str(store)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_an_import_where_every_file_is_bad_exits_2_and_lists_them(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    (folder / "3").mkdir(parents=True)
    (folder / "3" / "broken.png").write_bytes(b"not a png")
    result = run_cli("digits", "import", str(folder), store=store)
    assert result.returncode == 2
    assert "Added 0 digit(s)" in result.stdout and "broken.png" in result.stderr
    listed = json.loads(run_cli("digits", "list", "--json", store=store).stdout)
    assert listed["total"] == 0
