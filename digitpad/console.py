"""Plain-text output of the CLI: a training progress bar and readable metric tables."""

from __future__ import annotations

from contextlib import redirect_stdout
from typing import TYPE_CHECKING, TextIO

from digitpad.core.comparison import Comparison
from digitpad.core.evaluation import Evaluation
from digitpad.core.training import TrainingProgress

if TYPE_CHECKING:
    from keras.utils import Progbar

_BAR_METRICS = ("loss", "accuracy")
_ERASE_LINE = "\r\x1b[2K"


class TrainingProgressPrinter:
    """One line per finished epoch anywhere; on a terminal also Keras' own `Progbar`, redrawn
    during the epoch and erased before the epoch's line.

    Keras' bar is used rather than a bar of our own so it looks like `model.fit` and limits its
    redraws (every 50 ms) by itself. It writes to `sys.stdout`, so it is pointed at `stream`
    while it draws: stdout keeps only the command's result. Other reports (loading, testing)
    are not shown; without a terminal (a log file, CI) no bar is drawn at all, because its
    carriage returns and colour codes would only clutter the file.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._interactive = stream.isatty()
        self._bar: Progbar | None = None

    def __call__(self, update: object) -> None:
        if not isinstance(update, TrainingProgress):
            return
        if update.kind == "batch":
            if self._interactive:
                self._draw(update)
            return
        self.finish()
        logs = update.logs
        parts = [f"epoch {update.epoch}/{update.epochs}"]
        for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
            if key in logs:
                parts.append(f"{key} {logs[key]:.4f}")
        parts.append(f"{update.samples_per_second:,.0f} samples/s")
        print("  ".join(parts), file=self._stream, flush=True)

    def finish(self) -> None:
        """Erase a bar still on screen (the end of an epoch, a stop, an error)."""
        if self._bar is not None:
            self._stream.write(_ERASE_LINE)
            self._stream.flush()
            self._bar = None

    def _draw(self, update: TrainingProgress) -> None:
        from keras.utils import (
            Progbar,  # only ever drawn while Keras trains: no import cost
        )

        values = [(key, update.logs[key]) for key in _BAR_METRICS if key in update.logs]
        with redirect_stdout(self._stream):
            if self._bar is None:
                # Keras' logs are already running means over the epoch: shown as they are.
                self._bar = Progbar(update.batches_per_epoch, stateful_metrics=_BAR_METRICS)
            # The last batch is drawn by the epoch's line instead: Progbar would end it with a newline.
            if update.batch < update.batches_per_epoch:
                self._bar.update(update.batch, values)


def format_evaluation(evaluation: Evaluation, *, title: str, class_names: list[str] | None = None) -> str:
    names = class_names or [str(i) for i in range(len(evaluation.per_class))]
    lines = [
        title,
        (
            f"accuracy {evaluation.accuracy:.2%}   loss {evaluation.loss:.4f}   "
            f"macro precision {evaluation.macro_precision:.4f}   macro recall {evaluation.macro_recall:.4f}   "
            f"macro F1 {evaluation.macro_f1:.4f}"
        ),
        "",
        f"{'class':>12} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}",
    ]
    for metrics in evaluation.per_class:
        lines.append(
            f"{names[metrics.label]:>12} {metrics.precision:9.4f} {metrics.recall:7.4f} "
            f"{metrics.f1:7.4f} {metrics.support:8d}"
        )
    lines += ["", "confusion (rows: true, columns: predicted)"]
    width = max(5, len(str(int(evaluation.confusion.max()))) + 1)
    lines.append(" " * 4 + "".join(f"{i:>{width}}" for i in range(len(evaluation.confusion))))
    for true_label, row in enumerate(evaluation.confusion):
        lines.append(f"{true_label:>4}" + "".join(f"{int(v):>{width}}" for v in row))
    worst = evaluation.misclassified[:5]
    if worst:
        lines += ["", "most confident mistakes (index: true -> predicted, confidence)"]
        lines += [
            f"  {m.index}: {names[m.true]} -> {names[m.predicted]} ({m.confidence:.1%})" for m in worst
        ]
    return "\n".join(lines)


def format_comparison(comparison: Comparison, *, title: str) -> str:
    results = comparison.results
    name_width = max(12, *(len(result.name) for result in results))
    lines = [
        f"Comparing {len(results)} models on {title}",
        "",
        (
            f"{'model':<{name_width}} {'accuracy':>9} {'loss':>8} {'macro F1':>9} {'params':>10} "
            f"{'file':>9} {'ms/image':>9}"
        ),
    ]
    for result in results:
        ev = result.evaluation
        ms = "" if ev.seconds_per_image is None else f"{ev.seconds_per_image * 1000:.3f}"
        lines.append(
            f"{result.name:<{name_width}} {ev.accuracy:9.2%} {ev.loss:8.4f} {ev.macro_f1:9.4f} "
            f"{result.num_params:>10,} {result.file_size / 1024:8.0f}K {ms:>9}"
        )
    lines += ["", "accuracy per class"]
    lines.append(f"{'model':<{name_width}} " + " ".join(f"{d:>6}" for d in range(10)))
    for result in results:
        lines.append(
            f"{result.name:<{name_width}} " + " ".join(f"{a:6.1%}" for a in result.per_class_accuracy)
        )
    lines += ["", "right where the other is wrong (row model right, column model wrong)"]
    lines.append(f"{'':<{name_width}} " + " ".join(f"{r.name:>{name_width}}" for r in results))
    for i, result in enumerate(results):
        cells = [
            f"{'-':>{name_width}}" if i == j else f"{int(comparison.right_wrong[i, j]):>{name_width}}"
            for j in range(len(results))
        ]
        lines.append(f"{result.name:<{name_width}} " + " ".join(cells))
    return "\n".join(lines)
