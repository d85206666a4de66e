"""DigitsService: the window's digit store on its own thread, answering with queued signals.

Each test opens a store in its own temporary folder, waits for the signals a tab would wait
for, and checks the file itself afterwards with a second `DigitStore`, so what the service
says and what is on disk cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QThread, SignalInstance
from pytestqt.qtbot import QtBot

from digitpad.core.digit_store import DigitStore, StoredDigit
from digitpad.core.strokes import Drawing, PenStroke
from digitpad.gui.digits_service import DigitsService, empty_counts

TIMEOUT_MS = 10_000


def image(seed: int) -> np.ndarray:
    """A distinct 28x28 model input per seed."""
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def counts(**per_label: int) -> dict[int, int]:
    expected = empty_counts()
    for label, count in per_label.items():
        expected[int(label.removeprefix("d"))] = count
    return expected


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "digits.sqlite"


@pytest.fixture
def service(qtbot: QtBot, path: Path) -> Iterator[DigitsService]:
    digits = DigitsService(path)
    with qtbot.waitSignal(digits.opened, timeout=TIMEOUT_MS) as opened:
        digits.start()
    assert opened.args == [empty_counts()]
    yield digits
    digits.shutdown()


class Recorder:
    """The arguments of every emission of one signal, in order (pytest-qt cannot name PySide6's)."""

    def __init__(self, signal: SignalInstance) -> None:
        self.calls: list[tuple[Any, ...]] = []
        signal.connect(self._record)

    def _record(self, *args: Any) -> None:
        self.calls.append(args)


def add(qtbot: QtBot, service: DigitsService, label: int, seed: int = 0, **kwargs: object) -> int:
    """Add one digit and return its id, once the service has said so."""
    added = Recorder(service.digitAdded)
    with qtbot.waitSignals([service.digitAdded, service.changed], timeout=TIMEOUT_MS):
        service.add(label, image(seed), **kwargs)  # type: ignore[arg-type]
    ((digit_id, added_label),) = added.calls
    assert added_label == label
    return int(digit_id)


def listing(qtbot: QtBot, service: DigitsService) -> list[StoredDigit]:
    with qtbot.waitSignal(service.listed, timeout=TIMEOUT_MS) as listed:
        service.list_digits()
    return list(listed.args[0])


def test_add_stores_everything_it_was_given_on_the_worker_and_answers_on_the_gui_thread(
    qtbot: QtBot, service: DigitsService, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_threads: list[QThread] = []
    original_add = DigitStore.add

    def recording_add(self: DigitStore, *args: Any, **kwargs: Any) -> int:
        store_threads.append(QThread.currentThread())
        return original_add(self, *args, **kwargs)

    monkeypatch.setattr(DigitStore, "add", recording_add)
    worker_threads: list[QThread] = []
    service.digitAdded.connect(lambda *_: worker_threads.append(QThread.currentThread()))
    drawing = Drawing((PenStroke(((10.0, 10.0, 0.0), (200.0, 250.0, 0.3)), 18.0),))
    canvas = np.full((280, 280), 255, np.uint8)

    digit_id = add(qtbot, service, 4, drawing=drawing, canvas=canvas, source="drawn",
                   model_name="seven", predicted=7, confidence=0.8)

    assert service.counts() == counts(d4=1)
    assert len(store_threads) == 1 and store_threads[0] is not QThread.currentThread()
    assert worker_threads == [QThread.currentThread()]  # the public signal is re-emitted on the GUI thread
    (stored,) = listing(qtbot, service)
    assert (stored.id, stored.label, stored.drawing, stored.model_name, stored.predicted) == (
        digit_id, 4, drawing, "seven", 7)
    np.testing.assert_allclose(stored.image, image(0), atol=1 / 255)
    service.shutdown()
    with DigitStore.open(path) as store:
        assert store.counts() == counts(d4=1)
        assert store.canvas_image(digit_id) is not None


def test_delete_hands_back_the_digits_and_restore_puts_them_back_under_their_ids(
    qtbot: QtBot, service: DigitsService
) -> None:
    ids = [add(qtbot, service, label, seed=label) for label in (1, 1, 2)]

    recorded = Recorder(service.deleted)
    with qtbot.waitSignals([service.deleted, service.changed], timeout=TIMEOUT_MS):
        service.delete(ids[:2])
    ((deleted,),) = recorded.calls
    assert sorted(digit.id for digit in deleted) == ids[:2]
    assert service.counts() == counts(d2=1)

    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS):
        service.restore(deleted)
    assert service.counts() == counts(d1=2, d2=1)
    assert sorted(digit.id for digit in listing(qtbot, service)) == ids


def test_relabel_moves_the_counts(qtbot: QtBot, service: DigitsService) -> None:
    ids = [add(qtbot, service, 9, seed=seed) for seed in range(3)]
    with qtbot.waitSignal(service.changed, timeout=TIMEOUT_MS) as changed:
        service.relabel(ids[:2], 4)
    assert changed.args == [counts(d4=2, d9=1)]
    assert {digit.id: digit.label for digit in listing(qtbot, service)} == {ids[0]: 4, ids[1]: 4, ids[2]: 9}


def test_requests_run_in_the_order_they_were_made(qtbot: QtBot, service: DigitsService) -> None:
    """A delete and its immediate undo, made without waiting, cannot overtake each other."""
    digit_id = add(qtbot, service, 3)
    deleted: list[list[StoredDigit]] = []
    service.deleted.connect(deleted.append)
    service.delete([digit_id])
    qtbot.waitUntil(lambda: bool(deleted), timeout=TIMEOUT_MS)
    service.restore(deleted[0])
    service.relabel([digit_id], 5)
    with qtbot.waitSignal(service.listed, timeout=TIMEOUT_MS) as listed:
        service.list_digits()
    assert [(digit.id, digit.label) for digit in listed.args[0]] == [(digit_id, 5)]


def test_requests_made_before_start_run_once_the_store_is_open(qtbot: QtBot, path: Path) -> None:
    service = DigitsService(path)
    service.add(2, image(1))
    service.add(7, image(2))
    try:
        with qtbot.waitSignals([service.opened, service.changed, service.changed], timeout=TIMEOUT_MS):
            service.start()
        assert service.counts() == counts(d2=1, d7=1)
    finally:
        service.shutdown()


def test_a_bad_digit_is_one_sentence_and_nothing_is_lost(qtbot: QtBot, service: DigitsService) -> None:
    add(qtbot, service, 1)
    with qtbot.waitSignal(service.failed, timeout=TIMEOUT_MS) as failed:
        service.add(12, image(3))
    message = failed.args[0]
    assert "0 to 9" in message and "\n" not in message
    with qtbot.waitSignal(service.failed, timeout=TIMEOUT_MS) as failed:
        service.add(3, np.zeros((5, 5), np.float32))
    assert "28x28" in failed.args[0]
    assert service.counts() == counts(d1=1)
    assert len(listing(qtbot, service)) == 1


def test_a_damaged_file_is_set_aside_and_said_so(qtbot: QtBot, path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, and it is long enough to look like a header" * 20)
    service = DigitsService(path)
    notices = Recorder(service.notice)
    try:
        with qtbot.waitSignals([service.notice, service.opened], timeout=TIMEOUT_MS):
            service.start()
    finally:
        service.shutdown()
    ((notice,),) = notices.calls
    assert isinstance(notice, str)
    set_aside = [p for p in path.parent.iterdir() if p.name.startswith("digits.sqlite.damaged-")]
    assert len(set_aside) == 1
    assert str(set_aside[0]) in notice and "damaged" in notice
    assert set_aside[0].read_bytes().startswith(b"this is not a database")


def test_a_store_that_cannot_open_fails_every_request_with_the_reason(qtbot: QtBot, tmp_path: Path) -> None:
    blocker_file = tmp_path / "a-file"
    blocker_file.write_text("not a folder")
    service = DigitsService(blocker_file / "digits.sqlite")
    try:
        with qtbot.waitSignal(service.failed, timeout=TIMEOUT_MS) as failed:
            service.start()
        reason = failed.args[0]
        assert "Your digits cannot be kept" in reason
        with qtbot.waitSignal(service.failed, timeout=TIMEOUT_MS) as failed:
            service.add(1, image(1))
        assert failed.args[0] == reason
        assert not service.is_open()
    finally:
        service.shutdown()


def test_shutdown_writes_what_was_asked_for_then_joins_the_thread(qtbot: QtBot, service: DigitsService,
                                                                   path: Path) -> None:
    for seed in range(20):
        service.add(seed % 10, image(seed))   # not waited for: still queued when the window closes
    service.shutdown()
    assert not service.is_running()
    with DigitStore.open(path) as store:
        assert store.total() == 20
    service.add(1, image(99))   # after shutdown: ignored, no thread to run it
    assert not service.is_running()


def test_import_and_export_through_the_service(qtbot: QtBot, service: DigitsService, tmp_path: Path) -> None:
    x = (np.random.default_rng(5).random((12, 28, 28)) * 255).astype(np.uint8)
    y = np.arange(12) % 10
    source = tmp_path / "mine.npz"
    np.savez(source, x=x, y=y)
    with qtbot.waitSignal(service.imported, timeout=TIMEOUT_MS) as imported:
        service.import_from(source)
    report = imported.args[0]
    assert (report.added, report.skipped) == (12, [])
    assert service.total() == 12

    out = tmp_path / "out.npz"
    with qtbot.waitSignal(service.exported, timeout=TIMEOUT_MS) as exported:
        service.export_to(out)
    assert (exported.args[0].count, exported.args[0].path) == (12, out)
    with np.load(out) as data:
        np.testing.assert_array_equal(data["y"], y)
