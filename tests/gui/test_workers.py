"""BackgroundTask: results, errors and stopping arrive on the GUI thread, and threads end."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread, Slot
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from digitpad.core.cancellation import raise_if_stopped
from digitpad.core.errors import DataError
from digitpad.gui.workers import BackgroundTask, LatestTask


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


def test_result_and_progress_arrive_on_the_gui_thread(qtbot: QtBot, qapp):
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


def test_user_errors_become_their_sentence_and_bugs_a_message(qtbot: QtBot):
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


def test_stop_and_wait_ends_running_work_promptly(qtbot: QtBot):
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
    assert task.stop_and_wait() is True
    assert time.monotonic() - begin < 5
    assert not task.is_running()


def test_a_stopped_job_is_reported_as_cancelled_not_as_failed(qtbot: QtBot):
    recorder = Recorder()
    task = connected_task(recorder)
    started = threading.Event()

    def stoppable(progress, stop_event):
        started.set()
        while not stop_event.wait(0.01):
            pass
        raise_if_stopped(stop_event, "waiting")

    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        task.start(stoppable)
        assert started.wait(10)
        task.request_stop()
    qtbot.waitUntil(lambda: not task.is_running())
    assert recorder.errors == [] and recorder.results == []


def test_latest_task_delivers_only_the_latest_of_jobs_submitted_while_busy(qtbot: QtBot):
    task = LatestTask()
    recorder = Recorder()
    task.succeeded.connect(recorder.on_result)
    gate = threading.Event()
    stopped_early: list[bool] = []

    def slow(progress, stop_event):
        gate.wait(10)
        stopped_early.append(stop_event.is_set())
        raise_if_stopped(stop_event, "the first job")
        return "first"

    task.submit(slow)
    task.submit(lambda progress, stop_event: "second")   # replaced by the third before it starts
    task.submit(lambda progress, stop_event: "third")
    assert task.is_busy()
    gate.set()
    qtbot.waitUntil(lambda: not task.is_busy(), timeout=10_000)
    assert recorder.results == ["third"]
    assert stopped_early == [True], "the running job was asked to stop"


def test_latest_task_stop_and_wait_drops_waiting_jobs_and_joins(qtbot: QtBot):
    task = LatestTask()
    recorder = Recorder()
    task.succeeded.connect(recorder.on_result)
    started = threading.Event()

    def long_work(progress, stop_event):
        started.set()
        while not stop_event.wait(0.01):
            pass
        return "stopped"

    task.submit(long_work)
    task.submit(lambda progress, stop_event: "never")
    assert started.wait(10)
    task.stop_and_wait()
    QApplication.processEvents()
    assert not task.is_busy() and recorder.results == []
    task.submit(lambda progress, stop_event: "after close")
    assert not task.is_busy(), "a closed task starts nothing"
