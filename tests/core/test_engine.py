"""The engine process: jobs, reports, results, stops and failures cross to it and back."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from digitpad.core.cancellation import Cancelled, StopSignal, raise_if_stopped
from digitpad.core.engine import ChildEngine, EngineError, EngineJob, ThreadEngine, default_engine
from digitpad.core.errors import ModelError

# ---- jobs: module-level, so they can be pickled by name -------------------------------------


def count_to(limit: int, progress: Callable[[Any], None], stop_event: StopSignal) -> dict[str, int]:
    for value in range(1, limit + 1):
        progress(value)
    return {"limit": limit, "pid": os.getpid()}


def wait_for_stop(progress: Callable[[Any], None], stop_event: StopSignal) -> str:
    progress("started")
    while True:
        raise_if_stopped(stop_event, "waiting")
        time.sleep(0.01)


def wait_for_end(progress: Callable[[Any], None], stop_event: StopSignal, end: StopSignal) -> str:
    progress("started")
    while not end.is_set():
        raise_if_stopped(stop_event, "waiting")
        time.sleep(0.01)
    return "ended, kept"


def refuse(progress: Callable[[Any], None], stop_event: StopSignal) -> None:
    raise ModelError("Cannot load broken.keras: it is not a Keras model.")


def divide(progress: Callable[[Any], None], stop_event: StopSignal) -> float:
    return 1 / 0


def die(code: int, progress: Callable[[Any], None], stop_event: StopSignal) -> None:
    os._exit(code)


def sleep_then(seconds: float, answer: str, progress: Callable[[Any], None], stop_event: StopSignal) -> str:
    time.sleep(seconds)
    return answer


def keras_version(progress: Callable[[Any], None], stop_event: StopSignal) -> tuple[str, bool]:
    import keras

    return keras.__version__, "PySide6" in sys.modules


def warn_twice(progress: Callable[[Any], None], stop_event: StopSignal) -> None:
    import logging

    logging.getLogger("tensorflow").warning("5 out of the last 5 calls triggered tf.function retracing")
    logging.getLogger("digitpad.core.library").warning("Could not note the run")


def unpicklable_result(progress: Callable[[Any], None], stop_event: StopSignal) -> object:
    return threading.Lock()


# ---- the child process --------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine() -> Iterator[ChildEngine]:
    child = ChildEngine()
    yield child
    child.close()


def test_warm_up_imports_tensorflow_in_the_child_not_here(engine: ChildEngine) -> None:
    versions = engine.warm_up(print, threading.Event())
    assert versions.startswith("TensorFlow ") and "Keras " in versions
    version, has_qt = engine.run(keras_version, print, threading.Event())
    assert versions.endswith(version)
    assert not has_qt  # jobs are core functions: the child never loads the window's libraries


def test_reports_arrive_in_order_then_the_result(engine: ChildEngine) -> None:
    reports: list[int] = []
    result = engine.run(partial(count_to, 200), reports.append, threading.Event())
    assert reports == list(range(1, 201))
    assert result["limit"] == 200
    assert result["pid"] != os.getpid()


def test_a_stop_reaches_the_job_and_raises_cancelled(engine: ChildEngine) -> None:
    stop = threading.Event()
    started = threading.Event()
    threading.Timer(0.3, stop.set).start()
    with pytest.raises(Cancelled, match="waiting"):
        engine.run(wait_for_stop, lambda report: started.set(), stop)
    assert started.is_set()


def test_an_extra_event_reaches_the_job_as_its_own_argument(engine: ChildEngine) -> None:
    end = threading.Event()
    threading.Timer(0.3, end.set).start()
    job = EngineJob(engine, wait_for_end, (end,))
    assert job(print, threading.Event()) == "ended, kept"


def test_digitpad_errors_keep_their_type_and_sentence(engine: ChildEngine) -> None:
    with pytest.raises(ModelError, match="it is not a Keras model"):
        engine.run(refuse, print, threading.Event())


def test_unexpected_errors_keep_their_type(engine: ChildEngine, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ZeroDivisionError):
        engine.run(divide, print, threading.Event())
    assert "1 / 0" in caplog.text  # the child's traceback is logged here


def test_a_result_that_cannot_cross_is_an_error_not_a_hang(engine: ChildEngine) -> None:
    with pytest.raises(TypeError, match="lock"):
        engine.run(unpicklable_result, print, threading.Event())


def test_a_job_that_cannot_be_sent_is_refused_at_once(engine: ChildEngine) -> None:
    with pytest.raises(TypeError, match="cannot be sent"):
        engine.run(lambda progress, stop: None, print, threading.Event())


def test_jobs_run_side_by_side(engine: ChildEngine) -> None:
    answers: list[str] = []
    slow = threading.Thread(target=lambda: answers.append(engine.run(partial(sleep_then, 1.0, "slow"), print,
                                                                       threading.Event())))
    slow.start()
    time.sleep(0.1)
    answers.append(engine.run(partial(sleep_then, 0.0, "quick"), print, threading.Event()))
    slow.join()
    assert answers == ["quick", "slow"]


def test_a_dead_engine_is_reported_then_started_again() -> None:
    engine = ChildEngine()
    try:
        with pytest.raises(EngineError, match="exit code 3"):
            engine.run(partial(die, 3), print, threading.Event())
        assert engine.run(partial(count_to, 1), print, threading.Event())["limit"] == 1
    finally:
        engine.close()


def test_the_terminal_gets_digitpad_warnings_not_tensorflow_chatter(capfd: pytest.CaptureFixture[str]) -> None:
    engine = ChildEngine()  # started inside the test, so its output is captured here
    try:
        engine.run(warn_twice, print, threading.Event())
    finally:
        engine.close()
    err = capfd.readouterr().err
    assert "digitpad engine: WARNING: Could not note the run" in err
    assert "retracing" not in err


def test_close_ends_the_child_and_refuses_new_jobs() -> None:
    engine = ChildEngine()
    pid = engine.run(partial(count_to, 1), print, threading.Event())["pid"]
    engine.close()
    assert not _alive(pid)
    with pytest.raises(Cancelled):
        engine.run(partial(count_to, 1), print, threading.Event())


def test_the_child_ends_when_the_window_process_is_killed(tmp_path: Any) -> None:
    script = (
        "import threading, functools, time\n"
        "from digitpad.core.engine import ChildEngine\n"
        "from tests.core.test_engine import count_to\n"
        "engine = ChildEngine()\n"
        "print(engine.run(functools.partial(count_to, 1), str, threading.Event())['pid'], flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              cwd=os.getcwd(), env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 20
    while _alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child_pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, only not yet collected
        return stat.read().split()[2] != "Z"


# ---- the same protocol in this process --------------------------------------------------------


def test_the_thread_engine_pickles_like_the_child() -> None:
    engine = ThreadEngine()
    reports: list[int] = []
    assert engine.run(partial(count_to, 3), reports.append, threading.Event())["pid"] == os.getpid()
    assert reports == [1, 2, 3]
    with pytest.raises(TypeError, match="cannot be sent"):
        engine.run(lambda progress, stop: None, print, threading.Event())
    with pytest.raises(TypeError):
        engine.run(unpicklable_result, print, threading.Event())


def test_the_environment_chooses_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGITPAD_ENGINE", "thread")
    assert isinstance(default_engine(), ThreadEngine)
    monkeypatch.setenv("DIGITPAD_ENGINE", "")
    assert isinstance(default_engine(), ChildEngine)
