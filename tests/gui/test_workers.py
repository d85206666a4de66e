"""BackgroundTask: results, errors and stopping arrive on the GUI thread, and threads end."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread, Slot

from digitpad.core.errors import DataError
from digitpad.gui.workers import BackgroundTask


class Recorder(QObject):
    """A GUI-thread receiver, like the tabs: records what arrived and on which thread."""

    def __init__(self) -> None:
        super().__init__()
        self.progress: list[object] = []
        self.results: list[object] = []
        self.errors: list[str] = []
        self.threads: set[QThread] = set()

    @Slot(object)
    def on_progress(self, value: object) -> None:
        self.progress.append(value)
        self.threads.add(QThread.currentThread())

    @Slot(object)
    def on_result(self, value: object) -> None:
        self.results.append(value)
        self.threads.add(QThread.currentThread())

    @Slot(str)
    def on_error(self, message: str) -> None:
        self.errors.append(message)


def connected_task(recorder: Recorder) -> BackgroundTask:
    task = BackgroundTask()
    task.progressed.connect(recorder.on_progress)
    task.succeeded.connect(recorder.on_result)
    task.failed.connect(recorder.on_error)
    return task


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, qapp):
    recorder = Recorder()
    task = connected_task(recorder)
    worker_threads: list[threading.Thread] = []

    def work(progress, stop_event):
        worker_threads.append(threading.current_thread())
        for step in range(3):
            progress(step)
        return "done"

    with qtbot.waitSignal(task.finished, timeout=10_000):
        task.start(work)
    assert recorder.progress == [0, 1, 2]
    assert recorder.results == ["done"]
    assert recorder.threads == {qapp.thread()}
    assert worker_threads[0] is not threading.main_thread()
    assert not task.is_running()


def test_user_errors_become_their_sentence_and_bugs_a_message(qtbot):
    recorder = Recorder()
    task = connected_task(recorder)

    def bad_data(progress, stop_event):
        raise DataError("data.npz has 3 images but 2 labels.")

    with qtbot.waitSignal(task.finished, timeout=10_000):
        task.start(bad_data)

    def bug(progress, stop_event):
        raise ZeroDivisionError("division by zero")

    with qtbot.waitSignal(task.finished, timeout=10_000):
        task.start(bug)
    assert recorder.errors[0] == "data.npz has 3 images but 2 labels."
    assert "ZeroDivisionError" in recorder.errors[1]
    assert recorder.results == []


def test_stop_and_wait_ends_running_work_promptly(qtbot):
    recorder = Recorder()
    task = connected_task(recorder)
    started = threading.Event()

    def long_work(progress, stop_event):
        started.set()
        while not stop_event.wait(0.01):
            pass
        return "stopped"

    task.start(long_work)
    assert started.wait(10)
    assert task.is_running()
    begin = time.monotonic()
    assert task.stop_and_wait(10_000) is True
    assert time.monotonic() - begin < 5
    assert not task.is_running()
