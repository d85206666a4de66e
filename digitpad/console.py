"""Plain-text output of the CLI: a training progress bar and readable metric tables."""

from __future__ import annotations

import time
from typing import TextIO

from digitpad.core.comparison import Comparison
from digitpad.core.evaluation import Evaluation
from digitpad.core.training import TrainingProgress

_BAR_WIDTH = 24


class TrainingProgressPrinter:
    """A one-line bar redrawn per batch on a terminal, and one line per finished epoch anywhere.

    Redraws are limited to ten a second so the terminal never slows training down.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._interactive = stream.isatty()
        self._last_draw = 0.0
        self._bar_shown = False

    def __call__(self, update: TrainingProgress) -> None:
        if update.kind == "epoch":
            self._clear_bar()
            logs = update.logs
            parts = [f"epoch {update.epoch}/{update.epochs}"]
            for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
                if key in logs:
                    parts.append(f"{key} {logs[key]:.4f}")
            parts.append(f"{update.samples_per_second:,.0f} samples/s")
            print("  ".join(parts), file=self._stream, flush=True)
            return
        now = time.monotonic()
        if not self._interactive or now - self._last_draw < 0.1:
            return
        self._last_draw = now
        done = update.batch / max(update.batches_per_epoch, 1)
        filled = int(done * _BAR_WIDTH)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        left = "" if update.seconds_left is None else f"  {_duration(update.seconds_left)} left"
        self._stream.write(
            f"\repoch {update.epoch}/{update.epochs} [{bar}] {update.batch}/{update.batches_per_epoch}"
            f"  loss {update.logs.get('loss', float('nan')):.4f}"
            f"  acc {update.logs.get('accuracy', float('nan')):.4f}{left}  "
        )
        self._stream.flush()
        self._bar_shown = True

    def finish(self) -> None:
        self._clear_bar()

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self._stream.write("\r" + " " * 100 + "\r")
            self._bar_shown = False


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def format_evaluation(evaluation: Evaluation, *, title: str, class_names: list[str] | None = None) -> str:
    names = class_names or [str(i) for i in range(len(evaluation.per_class))]
    lines = [
        title,
        f"accuracy {evaluation.accuracy:.2%}   loss {evaluation.loss:.4f}   "
        f"macro precision {evaluation.macro_precision:.4f}   macro recall {evaluation.macro_recall:.4f}   "
        f"macro F1 {evaluation.macro_f1:.4f}",
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
        f"{'model':<{name_width}} {'accuracy':>9} {'loss':>8} {'macro F1':>9} {'params':>10} "
        f"{'file':>9} {'ms/image':>9}",
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
