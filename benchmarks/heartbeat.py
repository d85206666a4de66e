"""A Qt timer heartbeat, shared by the GUI benchmarks: how long the event loop was kept waiting.

A precise 10 ms timer records when the event loop gets to run it; a stall is the time between
two beats beyond the 10 ms period, which is what a user feels as a frozen window.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer

HEARTBEAT_MS = 10


class Heartbeat:
    """Timestamps of a precise 10 ms timer; the gaps between them are the loop's latency."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._on_beat)

    def _on_beat(self) -> None:
        self.times.append(time.perf_counter())

    def stalls_ms(self, start: float, end: float) -> np.ndarray:
        """Each gap in [start, end] beyond the period, the edges counted as beats: a freeze
        that begins at `start` or lasts until `end` is not missed."""
        times = np.array([start, *(t for t in self.times if start <= t <= end), end])
        return np.maximum(np.diff(times) * 1000 - HEARTBEAT_MS, 0.0)
