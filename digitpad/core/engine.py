"""The window's TensorFlow lives in a child process: the engine.

Two goals could not be met with TensorFlow in the window's own process. Importing it holds
Python's GIL for a quarter of a second at a time (extension modules initialise with the GIL
held, whatever thread imports them), so the window froze while it loaded; and a training run
on a worker thread shares the GIL with the event loop, so the window trained ~8 % slower than
`digitpad train`. A child process has a GIL of its own. The window starts it once, it imports
TensorFlow while people draw (drawing uses LiteRT and needs none), and every job that needs
TensorFlow (training, tuning, fine-tuning, the learning-rate sweep, Keras' view inside a
network, export) runs there, on a thread of its own, so several can run at once.

A job is a picklable callable: a module-level core function, usually bound to its arguments
with `functools.partial`, called as `work(progress, stop_event, *extra_events)`, the shape
`BackgroundTask` runs. Its progress reports and its result come back pickled, so neither may
hold a Keras object: a trained model comes back as the file it was saved to. Stopping sets the
job's event in the child; the child ends when the window closes it, or by itself when the
window's process is gone (its end of the pipe closes), so a `kill -9` leaves nothing behind.

`ThreadEngine` runs the same jobs on the caller's thread in this process, pickling each job,
report and result on the way exactly as the child would: the GUI tests use it, so a job that
could not cross to the child fails there too, without paying a TensorFlow import per test.
`DIGITPAD_ENGINE=thread` selects it for the app as well (a platform where processes cannot be
spawned).
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from typing import Any, Protocol

from digitpad.core.cancellation import Cancelled, StopSignal
from digitpad.core.errors import DigitpadError

log = logging.getLogger(__name__)

ENGINE_VARIABLE = "DIGITPAD_ENGINE"   # "thread": run jobs in this process (see ThreadEngine)
POLL_SECONDS = 0.05                   # how often a waiting caller looks at its stop events
QUIT_GRACE_SECONDS = 10.0             # how long a closing window lets the child's jobs stop

Progress = Callable[[Any], None]
EngineWork = Callable[..., Any]       # work(progress, stop_event, *extra_events) -> result


class EngineError(DigitpadError):
    """The engine could not run a job: its process could not start, or it died mid-way."""


class Engine(Protocol):
    """Where the window's TensorFlow jobs run: `ChildEngine` (the app) or `ThreadEngine`."""

    def warm_up(self, progress: Progress, stop_event: StopSignal) -> str:
        """Start the engine and wait until TensorFlow is imported there; the versions in use."""
        ...

    def run(self, work: EngineWork, progress: Progress, stop_event: StopSignal, *extra_events: StopSignal) -> Any:
        """Run `work` there and wait for its result; its reports reach `progress` meanwhile."""
        ...

    def close(self) -> None:
        """Stop every job and end the engine; called once, when the window closes."""
        ...


@dataclass(frozen=True)
class EngineJob:
    """`work` bound to an engine, in the shape `BackgroundTask.start` takes: (progress, stop_event).

    `extra_events` are further stop signals the job polls, such as a Stop button that ends
    training but still tests what was learnt; they reach the job after its own stop event.
    """

    engine: Engine
    work: EngineWork
    extra_events: tuple[StopSignal, ...] = ()

    def __call__(self, progress: Progress, stop_event: StopSignal) -> Any:
        return self.engine.run(self.work, progress, stop_event, *self.extra_events)


@dataclass(frozen=True)
class ShortJob:
    """A short core function that reports nothing and cannot be stopped, as engine work:
    `ShortJob(summarize_architecture, (spec,))` calls `summarize_architecture(spec)` there."""

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()

    def __call__(self, progress: Progress, stop_event: StopSignal, *extra_events: StopSignal) -> Any:
        return self.function(*self.args)


def call(engine: Engine, function: Callable[..., Any], *args: Any, stop_event: StopSignal | None = None) -> Any:
    """`function(*args)` run in `engine` (a `ShortJob`), its result here; what the window's model
    jobs use for one Keras step. `stop_event` abandons the wait (and the job, between steps)."""
    return engine.run(ShortJob(function, args), _ignore_report, stop_event or threading.Event())


def _ignore_report(_report: Any) -> None:
    """A short job reports nothing."""


def default_engine() -> Engine:
    """The child process, unless `DIGITPAD_ENGINE=thread` asks for this process."""
    if os.environ.get(ENGINE_VARIABLE, "").strip().lower() == "thread":
        return ThreadEngine()
    return ChildEngine()


# ----------------------------------------------------------------------------- in this process


def _round_trip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value))


def _payload(work: EngineWork) -> bytes:
    """`work` pickled for the engine; TypeError, saying so, when it cannot be (a lambda, a lock)."""
    try:
        return pickle.dumps(work)
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        raise TypeError(f"This job cannot be sent to the engine: {error}") from error


class ThreadEngine:
    """The engine's protocol on the caller's thread: every job, report and result is pickled and
    unpickled on its way, as it would be to and from the child."""

    def warm_up(self, progress: Progress, stop_event: StopSignal) -> str:
        from digitpad.core.tensorflow_runtime import import_tensorflow

        return import_tensorflow()

    def run(self, work: EngineWork, progress: Progress, stop_event: StopSignal, *extra_events: StopSignal) -> Any:
        job: EngineWork = pickle.loads(_payload(work))
        return _round_trip(job(partial(_relay_pickled, progress), stop_event, *extra_events))

    def close(self) -> None:
        """Nothing to end: each job ran on its caller's thread, which its owner joins."""


def _relay_pickled(progress: Progress, report: Any) -> None:
    progress(_round_trip(report))


# ----------------------------------------------------------------------------- the child process


class ChildEngine:
    """One child process, started on first use and again after it died; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()          # the fields below, and sending on the pipe
        self._connection: Connection | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        self._reader: threading.Thread | None = None   # reads the pipe; the only one to join the child
        self._jobs: dict[int, queue.Queue[tuple[Any, ...]]] = {}
        self._job_ids = itertools.count(1)
        self._ready = threading.Event()
        self._versions: str | None = None
        self._start_problem: str | None = None
        self._closed = False

    def warm_up(self, progress: Progress, stop_event: StopSignal) -> str:
        with self._lock:
            self._ensure_child()
            ready = self._ready
        while not ready.wait(POLL_SECONDS):
            if stop_event.is_set():
                raise Cancelled("Stopped while starting TensorFlow.")
        if self._versions is None:
            raise EngineError(f"TensorFlow could not be started: {self._start_problem}")
        return self._versions

    def run(self, work: EngineWork, progress: Progress, stop_event: StopSignal, *extra_events: StopSignal) -> Any:
        payload = _payload(work)
        inbox: queue.Queue[tuple[Any, ...]] = queue.Queue()
        with self._lock:
            self._ensure_child()
            job_id = next(self._job_ids)
            self._jobs[job_id] = inbox
            self._send(("run", job_id, payload, len(extra_events)))
        events = (stop_event, *extra_events)
        forwarded = [False] * len(events)
        try:
            while True:
                for index, event in enumerate(events):
                    if not forwarded[index] and event.is_set():
                        forwarded[index] = True
                        with self._lock:
                            self._send(("set", job_id, index))
                try:
                    message = inbox.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    continue
                kind = message[0]
                if kind == "progress":
                    progress(message[2])
                elif kind == "done":
                    return message[2]
                elif kind == "failed":
                    raise _raised(message[2], message[3])
                else:  # "gone": the child died or was ended
                    if stop_event.is_set():
                        raise Cancelled("Stopped.")
                    raise EngineError(f"The engine stopped unexpectedly (exit code {message[2]}); try again.")
        finally:
            with self._lock:
                self._jobs.pop(job_id, None)

    def close(self) -> None:
        """Ask the child to stop its jobs and end; a child that does not end in time is killed
        (unlike a thread, a process can be ended safely)."""
        with self._lock:
            self._closed = True
            child, connection, reader = self._child, self._connection, self._reader
            if connection is not None:
                with suppress(EngineError):  # already gone
                    self._send(("quit",))
        if child is None or reader is None:
            return
        reader.join(QUIT_GRACE_SECONDS)  # the reader ends once the child has exited and been joined
        if reader.is_alive():
            log.warning("The engine did not stop within %.0f s; ending it.", QUIT_GRACE_SECONDS)
            child.kill()
            reader.join()
        if connection is not None:
            connection.close()

    # ---- internals (called with self._lock held) ----------------------------------------------

    def _ensure_child(self) -> None:
        if self._closed:
            raise Cancelled("The window is closing.")
        if self._connection is not None:
            return
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
        ours, theirs = context.Pipe(duplex=True)
        # Daemonic: should the window end without closing it, Python's exit ends it too.
        child = context.Process(target=serve, args=(theirs,), name="digitpad-engine", daemon=True)
        try:
            child.start()
        except OSError as error:
            raise EngineError(f"The engine process could not start: {error.strerror or error}.") from error
        finally:
            theirs.close()
        self._child, self._connection = child, ours
        self._ready, self._versions, self._start_problem = threading.Event(), None, None
        self._reader = threading.Thread(target=self._read, args=(ours, child, self._ready),
                                        name="digitpad-engine-reader", daemon=True)
        self._reader.start()

    def _send(self, message: tuple[Any, ...]) -> None:
        if self._connection is None:
            raise EngineError("The engine is not running.")
        try:
            self._connection.send(message)
        except OSError as error:
            raise EngineError(f"The engine stopped unexpectedly ({error.strerror or error}); try again.") from error

    def _read(self, connection: Connection, child: multiprocessing.process.BaseProcess, ready: threading.Event) -> None:
        """The reader thread: hands each message to the job it is for, until the pipe closes."""
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                break
            if message[0] == "ready":
                self._versions = message[1]
                ready.set()
            elif message[0] == "unready":
                self._start_problem = message[1]
                ready.set()
            else:
                inbox = self._jobs.get(message[1])  # one dict read: atomic, and never blocks on a sender
                if inbox is not None:
                    inbox.put(message)
        child.join()
        with self._lock:
            if self._connection is connection:
                self._connection, self._child = None, None
            waiting = list(self._jobs.items())
        if not ready.is_set():
            self._start_problem = f"the engine process ended (exit code {child.exitcode})"
            ready.set()
        for job_id, inbox in waiting:
            inbox.put(("gone", job_id, child.exitcode))


def _raised(error: BaseException | None, trace: str) -> BaseException:
    """What the caller raises for a job that failed in the child: the job's own exception when
    it could cross the pipe, with the child's traceback logged for anything unexpected."""
    if isinstance(error, DigitpadError):
        return error
    log.error("An engine job failed:\n%s", trace)
    if isinstance(error, Exception):
        return error
    return RuntimeError(trace.strip().splitlines()[-1] if trace.strip() else "unknown error")


# ----------------------------------------------------------------------------- in the child


def serve(connection: Connection) -> None:
    """The child's main loop: TensorFlow imported on a thread while messages are read here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is the window's to handle
    logging.basicConfig(level=logging.WARNING, format="digitpad engine: %(levelname)s: %(message)s")
    # TensorFlow's own Python warnings ("5 out of the last 5 calls ... triggered tf.function
    # retracing" after a few trainings) say nothing a person can act on; its errors still show.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    send_lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with send_lock:
            connection.send(message)

    imported = threading.Event()
    threading.Thread(target=_import_tensorflow, args=(send, imported), daemon=True).start()
    jobs: dict[int, tuple[threading.Event, ...]] = {}
    threads: list[threading.Thread] = []
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            os._exit(0)  # the window's process is gone: nobody wants the results
        if message[0] == "run":
            _, job_id, payload, extra = message
            events = tuple(threading.Event() for _ in range(1 + extra))
            jobs[job_id] = events
            thread = threading.Thread(target=_run_job, args=(job_id, payload, events, send, imported),
                                      name=f"digitpad-engine-job-{job_id}", daemon=True)
            threads = [alive for alive in threads if alive.is_alive()] + [thread]
            thread.start()
        elif message[0] == "set":
            _, job_id, index = message
            if job_id in jobs:
                jobs[job_id][index].set()
        else:  # "quit"
            for events in jobs.values():
                events[0].set()
            for thread in threads:
                thread.join()
            connection.close()
            # At once: a TensorFlow import may still be running on its thread, and the
            # interpreter's usual clean-up would wait for it or tear it down mid-way.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)


def _import_tensorflow(send: Callable[[tuple[Any, ...]], None], imported: threading.Event) -> None:
    from digitpad.core.tensorflow_runtime import import_tensorflow

    try:
        send(("ready", import_tensorflow()))
    except Exception as error:  # every job will say what is missing; the window says it once
        send(("unready", f"{type(error).__name__}: {error}"))
    finally:
        imported.set()


def _run_job(job_id: int, payload: bytes, events: tuple[threading.Event, ...],
             send: Callable[[tuple[Any, ...]], None], imported: threading.Event) -> None:
    """One job on its own thread; its end is always reported, whatever happens."""
    try:
        imported.wait()  # a job that loads a model must not race the import of TensorFlow
        work: EngineWork = pickle.loads(payload)
        result = work(partial(_send_progress, send, job_id), *events)
        send(("done", job_id, result))
    except BaseException as error:
        trace = traceback.format_exc()
        with suppress(OSError, ValueError):  # the window is gone
            send(("failed", job_id, _portable(error), trace))


def _send_progress(send: Callable[[tuple[Any, ...]], None], job_id: int, report: Any) -> None:
    send(("progress", job_id, report))


def _portable(error: BaseException) -> BaseException | None:
    """`error` if it survives pickling (digitpad's errors do), else None (the traceback says it)."""
    try:
        return pickle.loads(pickle.dumps(error))
    except Exception:
        return None
