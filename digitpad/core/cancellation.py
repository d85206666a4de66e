"""How a long job learns that it should stop, and how it says that it did.

Every long core function (loading a data set, training, testing) takes a stop signal: anything
with `is_set()`, usually a `threading.Event` the window sets from the GUI thread. A job that
stops before it has something worth returning raises `Cancelled`, so callers tell "stopped on
request" apart from a failure without inspecting half-made results.
"""

from __future__ import annotations

from typing import Protocol

from digitpad.core.errors import DigitpadError


class StopSignal(Protocol):
    """What a job polls between steps; `threading.Event` is one."""

    def is_set(self) -> bool: ...


class Cancelled(DigitpadError):
    """A job stopped on request before it had a result."""


class AnyOf:
    """Set as soon as any of its signals is: one signal for code that polls one, built from
    several reasons to stop (the Stop button, closing the window)."""

    def __init__(self, *signals: StopSignal | None) -> None:
        self._signals = tuple(signal for signal in signals if signal is not None)

    def is_set(self) -> bool:
        return any(signal.is_set() for signal in self._signals)


def raise_if_stopped(stop_event: StopSignal | None, what: str) -> None:
    """Raise `Cancelled` naming `what` was under way when `stop_event` is set."""
    if stop_event is not None and stop_event.is_set():
        raise Cancelled(f"Stopped while {what}.")
