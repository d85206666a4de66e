"""Event-loop stalls while the Train tab trains, and what the window costs in throughput.

Runs the real TrainTab (offscreen unless QT_QPA_PLATFORM says otherwise), whose training runs in
the app's engine process (`core.engine`, as in the app; `DIGITPAD_ENGINE=thread` measures
training on a worker thread of the window's own process instead), clicks Start, and
lets a 10 ms QTimer heartbeat record when the event loop gets to run. A stall is the time
between two heartbeats beyond the 10 ms period: what a user feels as a frozen window.
The issue's goal is a p99 stall of at most 50 ms. Then the same spec is trained headless
with `digitpad.core.training.train` for the throughput comparison, in a process of its own
with no window (a second engine), so neither side shares a process with the other's TensorFlow
(whose thread pools keep spinning for a while after each run). Window and headless runs alternate
`--repeats` times, and the medians are compared, so a busy machine slows both sides alike.
This script's own process, like the app's window, never imports TensorFlow.

    .venv/bin/python benchmarks/bench_gui_training.py [--arch seed-cnn] [--epochs 2] [--repeats 21]

Single pairs scatter by 20 % on a shared machine, hence the default of 21 pairs (about 8 minutes).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("DIGITPAD_OFFLINE", "1")  # the bundled 10,000 MNIST digits: no network, same data every run

import numpy as np
from heartbeat import Heartbeat  # benchmarks/heartbeat.py: the script's folder is on sys.path
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from digitpad.core.datasets import load_dataset
from digitpad.core.engine import ChildEngine
from digitpad.core.library import ModelLibrary
from digitpad.core.training import TrainingProgress, TrainingSpec
from digitpad.core.workflows import TESTING, StageProgress
from digitpad.gui.app_state import AppState
from digitpad.gui.style import apply_theme
from digitpad.gui.train_tab import TrainTab

POLL_MS = 50
TRAINING_POLL_MS = 250  # while a throughput run trains: the app itself never polls, so the benchmark barely does


class Phases:
    """When training proper began and ended, as seen on the GUI thread: the first batch report,
    and the start of the test phase. Reports arrive in bundles (see `ProgressRelay`)."""

    def __init__(self) -> None:
        self.first_batch: float | None = None
        self.training_end: float | None = None
        self._cpu_at_first_batch = 0.0
        self.cpu_share: float | None = None  # the window's process CPU per second, while training

    def seen(self, bundle: object) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        for report in bundle if isinstance(bundle, tuple) else ():
            if isinstance(report, TrainingProgress) and self.first_batch is None:
                self.first_batch, self._cpu_at_first_batch = now, cpu
            elif (isinstance(report, StageProgress) and report.stage == TESTING and self.first_batch
                  and self.training_end is None):
                self.training_end = now
                self.cpu_share = (cpu - self._cpu_at_first_batch) / max(now - self.first_batch, 1e-9)


def wait_for(condition: Callable[[], bool], timeout_s: float, poll_ms: int = POLL_MS) -> None:
    """Run the event loop, as the app does, until `condition` holds; it is checked every
    `poll_ms`. A loop of `processEvents` calls would keep the GUI thread (and the GIL) busy
    and charge the window for the benchmark's own polling."""
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(poll_ms)
    poll.timeout.connect(lambda: loop.quit() if condition() or time.perf_counter() > deadline else None)
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("Timed out.")
        poll.start()
        loop.exec()
        poll.stop()


def describe(name: str, stalls: np.ndarray) -> str:
    if len(stalls) == 0:
        return f"{name}: no heartbeats"
    return (
        f"{name}: {len(stalls):,} heartbeats, stall median {np.median(stalls):.1f} ms, "
        f"p95 {np.percentile(stalls, 95):.1f} ms, p99 {np.percentile(stalls, 99):.1f} ms, "
        f"max {stalls.max():.1f} ms"
    )


def headless_run(data: str, spec: TrainingSpec, progress: Callable[[object], None], stop_event: threading.Event) -> float:
    """The headless side, in its own engine process: `train` on the same data, no window, no reports."""
    from digitpad.core.training import train

    dataset = load_dataset(data)
    return train(dataset.x_train, dataset.y_train, spec).samples_per_second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="seed-cnn")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--data", default="mnist")
    parser.add_argument("--repeats", type=int, default=21,
                        help="window and headless runs, alternating, for the throughput medians (0: none)")
    args = parser.parse_args(argv)

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    apply_theme(app)
    headless_engine = ChildEngine()
    print(headless_engine.warm_up(print, threading.Event()), "for the headless runs")
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        state = AppState(library=ModelLibrary(Path(scratch) / "library"), settings=settings)
        state.start_tensorflow_loading()
        wait_for(lambda: state.tensorflow_ready, 120)
        tab = TrainTab(state)
        tab.resize(1360, 860)
        tab.show()
        form = tab.form
        index = form.dataset_combo.findData(args.data)
        if index < 0:
            form.dataset_combo.setCurrentIndex(form.dataset_combo.findData(None))
            form.path_edit.setText(args.data)
        else:
            form.dataset_combo.setCurrentIndex(index)
        form.architecture_combo.setCurrentIndex(form.architecture_combo.findData(args.arch))
        form.epochs_spin.setValue(args.epochs)
        form.batch_size_spin.setValue(args.batch_size)
        form.validation_spin.setValue(10)
        form.patience_spin.setValue(0)
        form.augment_check.setChecked(False)
        wait_for(lambda: tab.summary_table.rowCount() > 0, 30)

        phases = Phases()
        tab.task.progressed.connect(phases.seen)
        heartbeat = Heartbeat()
        heartbeat.timer.start()
        started, gui_cpu_started = time.perf_counter(), time.thread_time()
        tab.train_button.click()
        wait_for(lambda: not tab.is_training(), 3600)
        ended, gui_cpu = time.perf_counter(), time.thread_time() - gui_cpu_started
        heartbeat.timer.stop()
        result = tab.result
        if result is None:
            print("Training failed:", tab.error_label.text())
            return 1
        run = result.run
        dataset = load_dataset(args.data)
        print(
            f"{args.arch}, {args.epochs} epochs, batch {args.batch_size}, on {result.dataset.name} "
            f"({len(dataset.x_train):,} training images, {len(result.dataset.x_test):,} test images), "
            f"engine: {type(state.engine).__name__}: "
            f"{len(run.batch_history['loss']):,} batches in {run.duration_s:.1f} s"
        )
        print(describe("whole run (load, train, test)", heartbeat.stalls_ms(started, ended)))
        print(describe("during training", heartbeat.stalls_ms(phases.first_batch or started, phases.training_end or ended)))
        print(f"GUI thread CPU time during the run: {gui_cpu:.2f} s of {ended - started:.1f} s "
              f"({100 * gui_cpu / (ended - started):.1f} % of one core, the 10 ms heartbeat included)")
        print(f"training throughput in the window: {run.samples_per_second:,.0f} samples/s; "
              f"test accuracy {100 * result.evaluation.accuracy:.2f} %")

        in_window: list[float] = []
        headless: list[float] = []
        window_cpu: list[float] = []  # the window's whole process, every thread, per second of training

        def train_in_window() -> None:
            watch = Phases()
            tab.task.progressed.connect(watch.seen)
            tab.train_button.click()
            wait_for(lambda: not tab.is_training(), 3600, TRAINING_POLL_MS)
            tab.task.progressed.disconnect(watch.seen)
            window_cpu.append(watch.cpu_share or float("nan"))
            assert tab.result is not None
            in_window.append(tab.result.run.samples_per_second)

        def train_headless() -> None:
            headless.append(headless_engine.run(partial(headless_run, args.data, run.spec), print, threading.Event()))

        for repeat in range(args.repeats):
            # Pairs in both orders, so neither side always runs second (warm caches, a neighbour's load).
            for step in (train_in_window, train_headless) if repeat % 2 == 0 else (train_headless, train_in_window):
                step()
        if in_window:
            ratios = np.array(in_window) / np.array(headless)
            print(f"throughput over {args.repeats} pairs, samples/s: window "
                  f"{', '.join(f'{v:,.0f}' for v in in_window)}; headless {', '.join(f'{v:,.0f}' for v in headless)}")
            print(f"median window {np.median(in_window):,.0f} samples/s, median headless "
                  f"{np.median(headless):,.0f} samples/s: window/headless = "
                  f"{np.median(in_window) / np.median(headless):.3f} (median of the pairs' ratios "
                  f"{np.median(ratios):.3f})")
            print(f"while the engine trained, the window's process (all its threads) used "
                  f"{100 * np.median(window_cpu):.1f} % of one core (median of the runs)")

        # Stop: from the click to the last batch, and to the results on screen (after testing).
        stop_phases = Phases()
        tab.task.progressed.connect(stop_phases.seen)
        form.epochs_spin.setValue(100)
        tab.train_button.click()
        wait_for(lambda: stop_phases.first_batch is not None, 600)
        first_batch = stop_phases.first_batch or time.perf_counter()
        wait_for(lambda: time.perf_counter() - first_batch > 1.0, 60)
        clicked = time.perf_counter()
        tab.stop_button.click()
        wait_for(lambda: not tab.is_training(), 600)
        shown = time.perf_counter()
        stopped = (stop_phases.training_end or shown) - clicked
        kept = tab.result is not None and tab.result.run.stopped_by_user
        print(f"Stop: training ended {1000 * stopped:.0f} ms after the click, results shown after "
              f"{1000 * (shown - clicked):.0f} ms; weights kept and tested: {kept}")
        tab.shutdown()
        state.shutdown()
        headless_engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
