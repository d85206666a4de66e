"""Converting model files in a child process, for the window.

The LiteRT converter holds Python's GIL for about 0.2 s at a time (measured by
benchmarks/bench_gui_stalls.py), so converting on a worker thread would still freeze the window
whenever a model file from elsewhere is compared, used or imported. A child process has a GIL of
its own: it imports TensorFlow (a few seconds), loads each file with Keras in safe mode and
converts it, and sends back the LiteRT forms. Stopping ends the child at once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.errors import DigitpadError, ModelError
from digitpad.core.inference_description import ConvertedModel

# How often the parent looks at its stop event while the child works.
POLL_SECONDS = 0.05

# What the child says of each file: its LiteRT form, None when LiteRT cannot represent the
# model (Keras will run it), or the sentence of the ModelError that refused the file.
Outcome = ConvertedModel | None | str


def convert_in_child(paths: Sequence[Path], stop_event: StopSignal) -> list[Outcome]:
    """One outcome per path, in order; Cancelled as soon as `stop_event` is set; ModelError if
    the child dies (out of memory, a crash in native code) before answering."""
    if not paths:
        return []
    what = f"converting {', '.join(path.name for path in paths)}"
    raise_if_stopped(stop_event, what)
    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt and TensorFlow
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_convert_all, args=([str(path) for path in paths], sender), daemon=True)
    child.start()
    sender.close()
    try:
        while not receiver.poll(POLL_SECONDS):
            raise_if_stopped(stop_event, what)
            if not child.is_alive() and not receiver.poll(0):
                raise ModelError(
                    f"Converting {', '.join(path.name for path in paths)} failed: the converter stopped "
                    f"unexpectedly (exit code {child.exitcode})."
                )
        outcomes: list[Outcome] = receiver.recv()
        return outcomes
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _convert_all(paths: list[str], sender: Connection) -> None:
    """The child's work: each file loaded by Keras and converted, the answers sent in one go."""
    from digitpad.core.inference import Predictor
    from digitpad.core.tensorflow_runtime import import_tensorflow

    import_tensorflow()  # its start-up lines go to the log, as in the parent
    outcomes: list[Outcome] = []
    for path in paths:
        try:
            outcomes.append(Predictor.load(Path(path), use_stored_conversion=False).converted)
        except DigitpadError as error:
            outcomes.append(str(error))
    sender.send(outcomes)
    sender.close()
