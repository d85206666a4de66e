"""A folder a person can hand in or share: one model's evaluation as `index.html` and its figures.

Plain HTML and PNG files, no scripts, fonts or styles fetched from the web, so the report opens
offline in any browser, survives being zipped and e-mailed, and prints cleanly (print CSS: no
backgrounds behind text, figures kept whole on a page). Every number comes from the same
`Evaluation` that `digitpad evaluate --json` prints, and each carries its exact value in a
`data-value` attribute, so the page and the JSON can be checked against each other.

The figures are written before `index.html`, each file atomically: a report stopped half-way
never leaves an index pointing at missing or half-written images.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from digitpad import __version__
from digitpad.core.atomic import atomic_write_bytes, atomic_write_text
from digitpad.core.cancellation import StopSignal, raise_if_stopped
from digitpad.core.errors import StorageError
from digitpad.core.evaluated_set import EvaluatedSet
from digitpad.core.evaluation import Misclassified
from digitpad.core.formatting import (
    MISSING,
    accuracy_text,
    describe_architecture,
    describe_calibration,
    describe_hyperparameters,
    describe_lineage,
    format_count,
    format_duration,
    format_percent,
    format_shape,
)
from digitpad.core.inference_description import LayerInfo
from digitpad.core.model_file import ModelMetadata
from digitpad.core.report_images import (
    BORDER,
    DENSITY,
    MUTED,
    TEXT,
    MistakeTile,
    class_name,
    confusion_image,
    curve_panels,
    curves_image,
    finite_series,
    mistakes_image,
    png_bytes,
)

INDEX_FILE = "index.html"
CONFUSION_FILE = "confusion.png"
MISTAKES_FILE = "mistakes.png"
CURVES_FILE = "curves.png"
MISTAKES_SHOWN = 40  # five rows of eight: the ones worth a look, still one printed page
ALT_MISTAKES_NAMED = 5  # alt text names the first few; the table after the figure lists them all

WARNING = "#d97706"  # the window's `style.WARNING` and `WARNING_SOFT`
WARNING_SOFT = "#fef3c7"

STYLE = f"""
:root {{ color-scheme: light; }}
body {{ font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: {TEXT}; background: #fff; max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; }}
h1 {{ font-size: 1.6rem; margin: 0 0 .25rem; }}
h2 {{ font-size: 1.2rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid {BORDER}; }}
.meta, figcaption, .note, summary {{ color: {MUTED}; }}
.warnings {{ border-left: 4px solid {WARNING}; background: {WARNING_SOFT}; padding: .5rem 1rem; margin: 1rem 0; }}
.warnings ul {{ margin: .25rem 0; padding-left: 1.2rem; }}
table {{ border-collapse: collapse; font-variant-numeric: tabular-nums; margin: .5rem 0; }}
th, td {{ padding: .25rem .8rem; border-bottom: 1px solid {BORDER}; text-align: left; vertical-align: top; }}
thead th {{ border-bottom: 2px solid {MUTED}; }}
tfoot td, tfoot th {{ border-top: 2px solid {MUTED}; font-weight: 600; }}
.number {{ text-align: right; }}
figure {{ margin: 1rem 0; }}
img {{ max-width: 100%; height: auto; }}
details {{ margin: .5rem 0; }}
@media print {{
  body {{ font-size: 10.5pt; margin: 0; max-width: none; padding: 0; }}
  .warnings {{ background: none; }}
  details {{ display: none; }}
  figure, .summary, .warnings {{ break-inside: avoid; }}
  h2 {{ break-after: avoid; }}
}}
"""


@dataclass(frozen=True)
class _Figure:
    """A PNG written beside the index, and what the page says about it."""

    file: str
    image: Image.Image
    alt: str
    caption: str


def write_report(
    out_dir: Path,
    evaluated: EvaluatedSet,
    *,
    metadata: ModelMetadata | None = None,
    layers: Sequence[LayerInfo] | None = None,
    num_params: int | None = None,
    progress: Callable[[float], None] | None = None,
    stop_event: StopSignal | None = None,
) -> Path:
    """Write `out_dir/index.html` with confusion.png, mistakes.png (when there are mistakes)
    and curves.png (when `metadata` has per-epoch history); return index.html's path.

    The folder is created when missing; an earlier report there is replaced file by file.
    `progress` gets the fraction done after each file; `stop_event` is polled between files
    (`Cancelled` when set). StorageError, in one sentence, when `out_dir` is a file or cannot
    be written to.
    """
    folder = _report_folder(Path(out_dir))
    history = metadata.history if metadata is not None else {}
    drawings: list[Callable[[], _Figure]] = [lambda: _confusion_figure(evaluated)]
    if evaluated.evaluation.misclassified:
        drawings.append(lambda: _mistakes_figure(evaluated))
    if curve_panels(history):
        drawings.append(lambda: _curves_figure(history))
    figures: list[_Figure] = []
    for done, draw in enumerate(drawings):
        raise_if_stopped(stop_event, "writing the report")
        figure = draw()
        atomic_write_bytes(folder / figure.file, png_bytes(figure.image))
        figures.append(figure)
        if progress is not None:
            progress((done + 1) / (len(drawings) + 1))
    raise_if_stopped(stop_event, "writing the report")
    index = folder / INDEX_FILE
    atomic_write_text(index, _page_html(evaluated, {figure.file: figure for figure in figures}, metadata=metadata,
                                         layers=layers, num_params=num_params))
    if progress is not None:
        progress(1.0)
    return index


def _page_html(
    evaluated: EvaluatedSet,
    figures: Mapping[str, _Figure],
    *,
    metadata: ModelMetadata | None,
    layers: Sequence[LayerInfo] | None,
    num_params: int | None,
) -> str:
    """The whole page; `figures` by file name, only those that were written."""
    written = datetime.now().astimezone()
    title = f"{evaluated.model_name} on {evaluated.test_label}"
    sections = [
        f"<header><h1>{_e(title)}</h1>\n<p class=\"meta\">Report written <time datetime=\"{written.isoformat()}\">"
        f"{written:%Y-%m-%d %H:%M} {_e(written.tzname() or '')}</time> by digitpad {_e(__version__)}. "
        f"Test data: {_e(evaluated.test_label)}.</p></header>",
        _warnings_section(evaluated.warnings),
        _summary_section(evaluated),
        _confusion_section(evaluated, figures.get(CONFUSION_FILE)),
        _per_class_section(evaluated),
        _mistakes_section(evaluated, figures.get(MISTAKES_FILE)),
        _curves_section(figures.get(CURVES_FILE)),
        _model_section(evaluated, metadata, layers, num_params),
        f"<footer><p class=\"note\">Made with digitpad {_e(__version__)}. The figures are the PNG files beside this "
        "page; the page needs no network.</p></footer>",
    ]
    body = "\n".join(section for section in sections if section)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta name=\"generator\" content=\"digitpad {_e(__version__)}\">\n"
        f"<title>{_e(title)} — digitpad report</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _report_folder(out_dir: Path) -> Path:
    """`out_dir`, created if needed, checked to take new files before any figure is drawn."""
    if out_dir.exists() and not out_dir.is_dir():
        raise StorageError(f"Cannot write a report to {out_dir}: it is a file, not a folder.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = (error.strerror or type(error).__name__).rstrip(".").lower()
        raise StorageError(f"Cannot create the report folder {out_dir}: {reason}.") from error
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise StorageError(f"Cannot write a report to {out_dir}: the folder cannot be written to.")
    return out_dir


def _confusion_figure(evaluated: EvaluatedSet) -> _Figure:
    confusion = evaluated.evaluation.confusion
    names = evaluated.class_names
    right = int(confusion.trace())
    alt = (f"Confusion matrix of {format_count(int(confusion.sum()))} images, rows the true class and columns the "
           f"model's answer: {format_count(right)} on the diagonal were read right.")
    off_diagonal = confusion.copy()
    np.fill_diagonal(off_diagonal, 0)
    if off_diagonal.any():
        true, predicted = divmod(int(off_diagonal.argmax()), len(confusion))
        alt += (f" The most frequent mistake: {format_count(int(off_diagonal[true, predicted]))} images of "
                f"{class_name(names, true)} read as {class_name(names, predicted)}.")
    caption = ("Rows: the true class; columns: the model's answer. Each cell counts images, blank cells are zero. "
               "The colour is the cell's share of its row (the Total column): blue on the diagonal for right "
               "answers, red off it for mistakes, so a rare class's mistakes show as clearly as a common one's.")
    return _Figure(CONFUSION_FILE, confusion_image(confusion, names), alt, caption)


def _shown_mistakes(evaluated: EvaluatedSet) -> Sequence[Misclassified]:
    return evaluated.evaluation.misclassified[:MISTAKES_SHOWN]


def _mistakes_figure(evaluated: EvaluatedSet) -> _Figure:
    names = evaluated.class_names
    shown = _shown_mistakes(evaluated)
    tiles = [MistakeTile(evaluated.image(mistake.index), class_name(names, mistake.true),
                         class_name(names, mistake.predicted), mistake.confidence) for mistake in shown]
    named = "; ".join(f"{tile.true_name} read as {tile.predicted_name} ({format_percent(tile.confidence, 0)})"
                      for tile in tiles[:ALT_MISTAKES_NAMED])
    alt = (f"The {len(tiles)} most confident mistakes, dark ink on white, each with its true class, the model's "
           f"answer and its confidence. The first: {named}.")
    caption = ("The mistakes the model was surest of, most confident first: true class → the model's answer, and "
               "the probability it gave that answer. Drawn as the model read them (28 × 28 pixels).")
    return _Figure(MISTAKES_FILE, mistakes_image(tiles), alt, caption)


def _curves_figure(history: Mapping[str, Sequence[float]]) -> _Figure:
    described: list[str] = []
    epochs = 0
    for base in curve_panels(history):
        parts: list[str] = []
        for name, key in (("training", base), ("validation", f"val_{base}")):
            points = finite_series(history, key)
            if points:
                epochs = max(epochs, points[-1][0])
                parts.append(f"{name} from {points[0][1]:.4g} to {points[-1][1]:.4g}")
        described.append(f"{base.replace('_', ' ')} {' and '.join(parts)}")
    alt = f"Learning curves over {epochs} epoch{'s' if epochs != 1 else ''}: {'; '.join(described)}."
    caption = ("Per epoch, as recorded when the model was trained: training (blue) and validation (orange). "
               "A validation curve that turns up while training keeps improving means over-fitting.")
    return _Figure(CURVES_FILE, curves_image(history), alt, caption)


def _warnings_section(warnings: Sequence[str]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{_e(warning)}</li>" for warning in warnings)
    return f"<section class=\"warnings\" id=\"warnings\"><strong>Read this first</strong><ul>{items}</ul></section>"


def _summary_section(evaluated: EvaluatedSet) -> str:
    evaluation = evaluated.evaluation
    seconds = evaluation.seconds_per_image
    rows = [
        ("accuracy", "Accuracy", evaluation.accuracy, accuracy_text(evaluation.accuracy)),
        ("loss", "Loss (cross-entropy)", evaluation.loss, f"{evaluation.loss:.4f}"),
        ("macro_precision", "Macro precision", evaluation.macro_precision, f"{evaluation.macro_precision:.4f}"),
        ("macro_recall", "Macro recall", evaluation.macro_recall, f"{evaluation.macro_recall:.4f}"),
        ("macro_f1", "Macro F1", evaluation.macro_f1, f"{evaluation.macro_f1:.4f}"),
        ("images", "Images", len(evaluated.labels), format_count(len(evaluated.labels))),
        ("mistakes", "Mistakes", len(evaluation.misclassified), format_count(len(evaluation.misclassified))),
        ("seconds_per_image", "Time per image", seconds, MISSING if seconds is None else f"{1000 * seconds:.3f} ms"),
    ]
    body = "\n".join(
        f"<tr><th scope=\"row\">{label}</th><td class=\"number\" data-key=\"{key}\"{_data_value(value)}>"
        f"{_e(text)}</td></tr>"
        for key, label, value, text in rows
    )
    return (f"<section class=\"summary\"><h2>Summary</h2><table id=\"summary\"><tbody>{body}</tbody></table>"
            "<p class=\"note\">Macro averages weigh every class equally, over the classes that occur. The time per "
            "image was measured on the computer that wrote this report.</p></section>")


def _confusion_section(evaluated: EvaluatedSet, figure: _Figure | None) -> str:
    confusion = evaluated.evaluation.confusion
    names = [class_name(evaluated.class_names, label) for label in range(len(confusion))]
    head = "".join(f"<th scope=\"col\" class=\"number\">{_e(name)}</th>" for name in names)
    body = "\n".join(
        f"<tr><th scope=\"row\">{_e(names[true])}</th>"
        + "".join(f"<td class=\"number\">{int(count)}</td>" for count in row)
        + "</tr>"
        for true, row in enumerate(confusion)
    )
    table = (f"<details><summary>The same counts as a table</summary><table id=\"confusion\"><thead><tr>"
             f"<th scope=\"col\">True \\ answer</th>{head}</tr></thead><tbody>{body}</tbody></table></details>")
    return f"<section><h2>Confusion matrix</h2>{_figure_html(figure)}{table}</section>"


def _per_class_section(evaluated: EvaluatedSet) -> str:
    evaluation = evaluated.evaluation
    rows = "\n".join(
        f"<tr><th scope=\"row\">{_e(class_name(evaluated.class_names, metrics.label))}</th>"
        f"{_score_cells(metrics.precision, metrics.recall, metrics.f1)}"
        f"<td class=\"number\" data-key=\"support\"{_data_value(metrics.support)}>{format_count(metrics.support)}</td>"
        "</tr>"
        for metrics in evaluation.per_class
    )
    total = sum(metrics.support for metrics in evaluation.per_class)
    foot = (f"<tr><th scope=\"row\">Macro average</th>"
            f"{_score_cells(evaluation.macro_precision, evaluation.macro_recall, evaluation.macro_f1)}"
            f"<td class=\"number\" data-key=\"support\"{_data_value(total)}>{format_count(total)}</td></tr>")
    return (
        "<section><h2>Per class</h2><table id=\"per-class\"><thead><tr><th scope=\"col\">Class</th>"
        "<th scope=\"col\" class=\"number\">Precision</th><th scope=\"col\" class=\"number\">Recall</th>"
        "<th scope=\"col\" class=\"number\">F1</th><th scope=\"col\" class=\"number\">Support</th></tr></thead>"
        f"<tbody>{rows}</tbody><tfoot>{foot}</tfoot></table>"
        "<p class=\"note\">Precision: of the images the model called this class, the share that were. Recall: of "
        "the images of this class, the share it found. F1: their harmonic mean. Support: the images of this "
        "class.</p></section>"
    )


def _score_cells(precision: float, recall: float, f1: float) -> str:
    return (f"<td class=\"number\" data-key=\"precision\"{_data_value(precision)}>{format_percent(precision, 1)}</td>"
            f"<td class=\"number\" data-key=\"recall\"{_data_value(recall)}>{format_percent(recall, 1)}</td>"
            f"<td class=\"number\" data-key=\"f1\"{_data_value(f1)}>{f1:.3f}</td>")


def _mistakes_section(evaluated: EvaluatedSet, figure: _Figure | None) -> str:
    evaluation = evaluated.evaluation
    if not evaluation.misclassified:
        return ("<section><h2>Most confident mistakes</h2><p>No mistakes: the model read every image right."
                "</p></section>")
    shown = _shown_mistakes(evaluated)
    names = evaluated.class_names
    rows = "\n".join(
        f"<tr><td class=\"number\" data-key=\"index\"{_data_value(mistake.index)}>{mistake.index}</td>"
        f"<td data-key=\"true\"{_data_value(mistake.true)}>{_e(class_name(names, mistake.true))}</td>"
        f"<td data-key=\"predicted\"{_data_value(mistake.predicted)}>{_e(class_name(names, mistake.predicted))}</td>"
        f"<td class=\"number\" data-key=\"confidence\"{_data_value(mistake.confidence)}>"
        f"{format_percent(mistake.confidence, 1)}</td></tr>"
        for mistake in shown
    )
    count = len(evaluation.misclassified)
    note = (f"{format_count(count)} mistake{'s' if count != 1 else ''} in all"
            + (f"; the {len(shown)} most confident are shown." if count > len(shown) else ", all shown."))
    table = ("<details><summary>These mistakes as a table (image numbers in the test data)</summary>"
             "<table id=\"mistakes\"><thead><tr><th scope=\"col\" class=\"number\">Image</th>"
             "<th scope=\"col\">True class</th><th scope=\"col\">Answer</th>"
             f"<th scope=\"col\" class=\"number\">Confidence</th></tr></thead><tbody>{rows}</tbody></table></details>")
    return (f"<section><h2>Most confident mistakes</h2><p class=\"note\">{note}</p>{_figure_html(figure)}{table}"
            "</section>")


def _curves_section(figure: _Figure | None) -> str:
    if figure is None:
        return ("<section><h2>Learning curves</h2><p class=\"note\">The model file records no per-epoch history, so "
                "there are no learning curves.</p></section>")
    return f"<section><h2>Learning curves</h2>{_figure_html(figure)}</section>"


def _model_section(evaluated: EvaluatedSet, metadata: ModelMetadata | None, layers: Sequence[LayerInfo] | None,
                   num_params: int | None) -> str:
    parameters = num_params if num_params is not None else ((metadata.param_count or None) if metadata else None)
    rows = [("Model", evaluated.model_name), *_recipe_rows(metadata), ("Parameters", format_count(parameters)),
            ("Classes", ", ".join(evaluated.class_names))]
    body = "\n".join(f"<tr><th scope=\"row\">{_e(label)}</th><td>{_e(text)}</td></tr>" for label, text in rows)
    return (f"<section><h2>Model</h2><table id=\"model\"><tbody>{body}</tbody></table>"
            f"{_layers_table(layers, parameters)}</section>")


def _recipe_rows(metadata: ModelMetadata | None) -> list[tuple[str, str]]:
    """How the model was made, from its file's metadata; each setting by its own name, so a
    setting this version does not know still appears."""
    if metadata is None:
        return [("Training record", "None: the model file holds no digitpad metadata (a plain Keras file).")]
    epochs = len(metadata.history.get("loss", []))
    lineage = describe_lineage(metadata.lineage) if metadata.lineage else []
    rows = [
        ("Architecture", describe_architecture(metadata.architecture)),
        ("Lineage", "; ".join(lineage) if lineage else "Trained from scratch"),
        ("Trained on", metadata.dataset or MISSING),
        ("Training settings", describe_hyperparameters(metadata.hyperparameters)),
        ("Training time", format_duration(metadata.training_seconds)
         + (f" ({epochs} epoch{'s' if epochs != 1 else ''})" if epochs else "")),
        ("Recorded test accuracy", metadata.accuracy_text() or MISSING),
        ("Calibration", describe_calibration(metadata.calibration) if metadata.calibration else "None"),
        ("Created", metadata.created or MISSING),
        ("Versions", f"Keras {metadata.keras_version or MISSING} · TensorFlow {metadata.tensorflow_version or MISSING}"
                     f" · preprocessing {metadata.preprocess_version or MISSING}"),
    ]
    return rows


def _layers_table(layers: Sequence[LayerInfo] | None, parameters: int | None) -> str:
    if not layers:
        return ""
    rows = "\n".join(
        f"<tr><td>{_e(layer.name)}</td><td>{_e(layer.kind)}</td>"
        f"<td>{_e(format_shape(layer.output_shape) or MISSING)}</td>"
        f"<td class=\"number\">{format_count(layer.params)}</td></tr>"
        for layer in layers
    )
    total = parameters if parameters is not None else sum(layer.params for layer in layers)
    return ("<h3>Layers</h3><table id=\"layers\"><thead><tr><th scope=\"col\">Layer</th><th scope=\"col\">Kind</th>"
            "<th scope=\"col\">Output shape</th><th scope=\"col\" class=\"number\">Parameters</th></tr></thead>"
            f"<tbody>{rows}</tbody><tfoot><tr><th scope=\"row\" colspan=\"3\">{len(layers)} layers</th>"
            f"<td class=\"number\">{format_count(total)}</td></tr></tfoot></table>")


def _figure_html(figure: _Figure | None) -> str:
    if figure is None:
        return ""
    width, height = figure.image.width // DENSITY, figure.image.height // DENSITY
    return (f"<figure><img src=\"{figure.file}\" width=\"{width}\" height=\"{height}\" alt=\"{_e(figure.alt)}\">"
            f"<figcaption>{_e(figure.caption)}</figcaption></figure>")


def _data_value(value: float | int | None) -> str:
    """The exact number behind a formatted cell (`repr` round-trips a float), for checks and scripts."""
    if value is None:
        return ""
    return f" data-value=\"{int(value) if isinstance(value, int) else repr(float(value))}\""


def _e(text: str) -> str:
    return html.escape(text, quote=True)
