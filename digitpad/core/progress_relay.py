"""Progress reports from a worker, bundled so the GUI thread gets a few a second, not thousands.

A core job may report after every batch or image: hundreds of times a second. Each report
sent as its own queued Qt signal costs the GUI thread an event, a slot call and usually a
redraw, and the worker the GIL while it posts them, so the window would slow the very job it
shows. `ProgressRelay` sits on the worker between the job's `progress` callable and the
signal: it collects reports and hands them on as one tuple at most `per_second` times a second.

Nothing is lost: every report is in some bundle, in order, so a view can draw every batch's
loss, or read only the newest counters (`bundle[-1]`). A report whose `key` differs from the
previous one (a new stage: loading, then training, then testing) and an `urgent` one (the end
of an epoch) are handed on at once, so what people see never lags a change of phase. The
last reports of a job are sent by `flush`, which the job's wrapper calls when it ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Report = TypeVar("Report")

DEFAULT_PER_SECOND = 10.0  # what people can follow; more only costs the GUI thread


REPORTS_PER_SECOND = 5  # bundles a job hands the window a second; the progress text changes as often


def _never(_report: object) -> bool:
    return False


class ProgressRelay(Generic[Report]):
    """Call it with each report (on the worker); `emit` gets tuples of reports, in order."""

    def __init__(
        self,
        emit: Callable[[tuple[Report, ...]], None],
        *,
        per_second: float = DEFAULT_PER_SECOND,
        key: Callable[[Report], Hashable] = type,
        urgent: Callable[[Report], bool] = _never,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second <= 0:
            raise ValueError(f"per_second must be positive, not {per_second}")
        self._emit = emit
        self._interval = 1.0 / per_second
        self._key = key
        self._urgent = urgent
        self._clock = clock
        self._pending: list[Report] = []
        self._last_key: Hashable | None = None
        self._started = False
        self._last_emit = 0.0

    def __call__(self, report: Report) -> None:
        key = self._key(report)
        changed = not self._started or key != self._last_key
        if changed:
            self.flush()  # the previous stage ends with its own last report
        self._started = True
        self._last_key = key
        self._pending.append(report)
        if changed or self._urgent(report) or self._clock() - self._last_emit >= self._interval:
            self.flush()

    def flush(self) -> None:
        """Hand on whatever is waiting now; call it once the job has ended."""
        if self._pending:
            bundle, self._pending = tuple(self._pending), []
            self._last_emit = self._clock()
            self._emit(bundle)
