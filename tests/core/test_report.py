"""The shareable report: its files exist and open, its numbers are the JSON's, its figures show
what they claim, and it fails in one sentence where it cannot be written."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad import __version__
from digitpad.core.cancellation import Cancelled
from digitpad.core.datasets import FASHION_CLASS_NAMES, MNIST_CLASS_NAMES
from digitpad.core.errors import DigitpadError
from digitpad.core.evaluated_set import EvaluatedSet
from digitpad.core.evaluation import evaluate, metrics_from_probabilities
from digitpad.core.formatting import accuracy_text, format_percent
from digitpad.core.inference_description import LayerInfo
from digitpad.core.model_file import ModelMetadata
from digitpad.core.report import (
    CONFUSION_FILE,
    CURVES_FILE,
    INDEX_FILE,
    MISTAKES_FILE,
    MISTAKES_SHOWN,
    write_report,
)
from digitpad.core.report_images import (
    ACCENT,
    DENSITY,
    MISTAKE_COLUMNS,
    VALIDATION,
    MistakeTile,
    confusion_image,
    curve_panels,
    curves_image,
    mistakes_image,
)
from digitpad.core.resources import validation_digits_path

HISTORY = {
    "loss": [0.9, 0.5, 0.3],
    "accuracy": [0.70, 0.85, 0.91],
    "val_loss": [0.6, 0.4, 0.35],
    "val_accuracy": [0.80, 0.88, 0.90],
}
LAYERS = [
    LayerInfo("image", "InputLayer", (None, 28, 28, 1), 0),
    LayerInfo("flatten", "Flatten", (None, 784), 0),
    LayerInfo("output", "Dense", (None, 10), 7850),
]


def evaluated_set(
    mistakes: int = 6,
    images: int = 60,
    *,
    class_names: tuple[str, ...] = MNIST_CLASS_NAMES,
    model_name: str = "tiny model",
    warnings: tuple[str, ...] = (),
    seed: int = 0,
) -> EvaluatedSet:
    """`images` digits (label i % 10) of which the first `mistakes` are answered wrong, with
    confidences that all differ, so the mistakes' order is known."""
    rng = np.random.default_rng(seed)
    labels = np.arange(images) % 10
    answers = labels.copy()
    answers[:mistakes] = (labels[:mistakes] + 1 + np.arange(mistakes) % 9) % 10
    confidence = rng.uniform(0.3, 0.99, images)
    probabilities = np.empty((images, 10), np.float32)
    probabilities[:] = ((1 - confidence) / 9)[:, None]
    probabilities[np.arange(images), answers] = confidence
    x = (rng.random((images, 28, 28)) * 255).astype(np.uint8)
    evaluation = metrics_from_probabilities(labels, probabilities)
    return EvaluatedSet(evaluation, x, labels, class_names, "synthetic test digits (60 images)", model_name,
                        warnings)


def metadata(history: dict[str, list[float]] | None = None) -> ModelMetadata:
    return ModelMetadata(
        name="tiny model", architecture={"name": "mlp", "dropout": 0.2}, dataset="mnist",
        hyperparameters={"optimizer": "adam", "learning_rate": 0.001, "epochs": 3, "batch_size": 32},
        history=HISTORY if history is None else history, param_count=7850, training_seconds=12.5,
        created="2026-01-02T03:04:05+00:00", keras_version="3.15.1", tensorflow_version="2.21.0",
    )


class _Page(HTMLParser):
    """What the tests read from index.html: each table's cells by id, every <img>, all text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[dict[str, str]]]] = {}
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._table: str | None = None
        self._cell: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "table":
            self._table = values.get("id", "")
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = {**values, "tag": tag, "text": ""}
            self.tables[self._table][-1].append(self._cell)
        elif tag == "img":
            self.images.append(values)
        for key in ("src", "href"):
            if key in values:
                self.links.append(values[key])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell["text"] += data


def read_page(index: Path) -> _Page:
    page = _Page()
    page.feed(index.read_text(encoding="utf-8"))
    return page


def by_key(row: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {cell["data-key"]: cell for cell in row if "data-key" in cell}


def number(cell: dict[str, str]) -> float:
    return float(cell["data-value"])


def colour_counts(image: Image.Image) -> dict[tuple[int, int, int], int]:
    colours, counts = np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0, return_counts=True)
    return {(int(r), int(g), int(b)): int(count) for (r, g, b), count in zip(colours, counts, strict=True)}


def dominant_colours(image: Image.Image, minimum: int = 2000) -> set[tuple[int, int, int]]:
    """Colours covering at least `minimum` pixels: the fills of cells, not anti-aliased text."""
    return {colour for colour, count in colour_counts(image).items() if count >= minimum}


def test_report_files_exist_open_and_are_referenced(tmp_path: Path) -> None:
    folder = tmp_path / "reports" / "first"  # parents are created
    index = write_report(folder, evaluated_set(), metadata=metadata(), layers=LAYERS, num_params=7850)

    assert index == folder / INDEX_FILE
    page = read_page(index)
    sources = [image["src"] for image in page.images]
    assert sources == [CONFUSION_FILE, MISTAKES_FILE, CURVES_FILE]
    for image in page.images:
        with Image.open(folder / image["src"]) as png:
            png.verify()
        with Image.open(folder / image["src"]) as png:
            assert (int(image["width"]), int(image["height"])) == (png.width // DENSITY, png.height // DENSITY)
        assert len(image["alt"]) > 40  # says what the figure shows, not just its name
    # Offline: nothing fetched, nothing run, every link relative.
    html = index.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert all("/" not in link for link in page.links)
    assert "@media print" in html
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_every_number_equals_the_json(tmp_path: Path) -> None:
    evaluated = evaluated_set(mistakes=7)
    expected = evaluated.evaluation.to_dict()
    page = read_page(write_report(tmp_path, evaluated))

    summary = {key: cell for row in page.tables["summary"] for key, cell in by_key(row).items()}
    for key in ("accuracy", "loss", "macro_precision", "macro_recall", "macro_f1"):
        assert number(summary[key]) == expected[key], key
    assert summary["accuracy"]["text"] == accuracy_text(expected["accuracy"])
    assert number(summary["mistakes"]) == len(expected["misclassified"]) == 7
    assert number(summary["images"]) == 60

    rows = page.tables["per-class"]
    per_class = [by_key(row) for row in rows[1:-1]]  # between the header and the macro row
    assert [row[0]["text"] for row in rows[1:-1]] == list(MNIST_CLASS_NAMES)
    for cells, scores in zip(per_class, expected["per_class"], strict=True):
        for key in ("precision", "recall", "f1", "support"):
            assert number(cells[key]) == scores[key], (scores["label"], key)
        assert cells["recall"]["text"] == format_percent(scores["recall"], 1)
    macro = by_key(rows[-1])
    assert [number(macro[key]) for key in ("precision", "recall", "f1")] == [
        expected["macro_precision"], expected["macro_recall"], expected["macro_f1"]]

    confusion = [[int(cell["text"]) for cell in row if cell["tag"] == "td"] for row in page.tables["confusion"][1:]]
    assert confusion == expected["confusion"]

    mistakes = [by_key(row) for row in page.tables["mistakes"][1:]]
    listed = [{key: number(cells[key]) for key in ("index", "true", "predicted", "confidence")} for cells in mistakes]
    assert listed == expected["misclassified"]


def test_the_real_model_report_agrees_with_its_evaluation(tmp_path: Path) -> None:
    """End to end on the shipped model and the bundled held-out digits, as the CLI does it."""
    from digitpad.core.inference import Predictor

    data = np.load(validation_digits_path())
    x, y = data["x"][:300], data["y"][:300]
    predictor = Predictor.load(None)
    evaluation = evaluate(predictor.predict_prepared, x, y)
    evaluated = EvaluatedSet(evaluation, x, y, tuple(predictor.class_names), "bundled MNIST, 300", "shipped", ())
    index = write_report(tmp_path, evaluated, metadata=predictor.metadata, layers=predictor.layers,
                         num_params=predictor.num_params)

    page = read_page(index)
    summary = {key: cell for row in page.tables["summary"] for key, cell in by_key(row).items()}
    assert number(summary["accuracy"]) == evaluation.to_dict()["accuracy"] > 0.97
    assert (tmp_path / CURVES_FILE).exists()  # the shipped model keeps its training history
    assert len(page.tables["layers"]) == len(predictor.layers) + 2  # header and total rows
    assert f"{predictor.num_params:,}" in page.tables["layers"][-1][-1]["text"]


def test_most_confident_mistakes_are_capped_and_ordered(tmp_path: Path) -> None:
    evaluated = evaluated_set(mistakes=50)
    page = read_page(write_report(tmp_path, evaluated))

    indices = [int(number(by_key(row)["index"])) for row in page.tables["mistakes"][1:]]
    assert indices == [mistake.index for mistake in evaluated.evaluation.misclassified[:MISTAKES_SHOWN]]
    confidences = evaluated.confidence[indices]
    assert list(confidences) == sorted(confidences, reverse=True)
    assert "50 mistakes in all; the 40 most confident are shown." in "".join(page.text)
    with Image.open(tmp_path / MISTAKES_FILE) as png:
        one_row = mistakes_image([MistakeTile(evaluated.image(0), "1", "2", 0.5)] * MISTAKE_COLUMNS)
        assert png.width == one_row.width
        assert png.height == MISTAKES_SHOWN // MISTAKE_COLUMNS * one_row.height


def test_mistakes_are_drawn_as_ink_on_paper() -> None:
    digit = np.zeros((28, 28), np.float32)
    digit[4:24, 13:15] = 1.0  # a white "1" on black, as the model reads it
    image = np.asarray(mistakes_image([MistakeTile(digit, "1", "7", 0.9)]))
    paper = image[40:60, 40:60]  # inside the frame, away from the stroke
    assert (paper == 255).all()
    column = image[:, image.shape[1] // 2]
    assert (column < 30).all(axis=1).any()  # the stroke is dark


def test_confusion_colours_are_row_normalised() -> None:
    """A row with ten times the images but the same shares gets the same colours; other shares
    get other colours."""
    names = ("a", "b")
    same_shares = [dominant_colours(confusion_image(np.array(counts), names))
                   for counts in ([[9, 1], [0, 10]], [[90, 10], [0, 10]])]
    other_shares = dominant_colours(confusion_image(np.array([[5, 5], [0, 10]]), names))
    assert same_shares[0] == same_shares[1]
    assert other_shares != same_shares[0]


def test_confusion_shows_even_a_single_mistake() -> None:
    counts = np.diag([1000] * 3)
    counts[0, 1] = 1
    tinted = dominant_colours(confusion_image(counts, ("a", "b", "c")))
    reds = [colour for colour in tinted if colour[0] > colour[2] + 20 and colour[0] > colour[1] + 20]
    assert reds  # one mistake in a thousand still shows as a red cell
    clean = dominant_colours(confusion_image(np.diag([1000] * 3), ("a", "b", "c")))
    assert not [colour for colour in clean if colour[0] > colour[2] + 20 and colour[0] > colour[1] + 20]


def test_curves_follow_the_history() -> None:
    history = {**HISTORY, "val_accuracy": [], "learning_rate": [0.1, float("nan")], "loss": [1.0, float("nan"), 0.4]}
    assert curve_panels(history) == ["loss", "accuracy", "learning_rate"]
    assert curve_panels({"loss": [float("nan")], "val_loss": []}) == []

    both = set(colour_counts(curves_image({"loss": [0.5, 0.3], "val_loss": [0.6, 0.4]})))
    training_only = set(colour_counts(curves_image({"loss": [0.5, 0.3]})))
    assert {_rgb(ACCENT), _rgb(VALIDATION)} <= both
    assert _rgb(ACCENT) in training_only and _rgb(VALIDATION) not in training_only
    with pytest.raises(ValueError):
        curves_image({})


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour[1:], 16)
    return value >> 16, (value >> 8) & 255, value & 255


def test_without_history_or_mistakes_the_page_says_so(tmp_path: Path) -> None:
    page = read_page(write_report(tmp_path, evaluated_set(mistakes=0), metadata=metadata(history={})))
    text = "".join(page.text)
    assert [image["src"] for image in page.images] == [CONFUSION_FILE]
    assert not (tmp_path / MISTAKES_FILE).exists() and not (tmp_path / CURVES_FILE).exists()
    assert "No mistakes" in text and "no learning curves" in text


def test_page_names_its_context_and_escapes_it(tmp_path: Path) -> None:
    evaluated = evaluated_set(model_name="<script>alert(1)</script> & co", warnings=("Trained on these <digits>.",),
                              class_names=FASHION_CLASS_NAMES)
    index = write_report(tmp_path, evaluated, layers=LAYERS)
    html = index.read_text(encoding="utf-8")
    page = read_page(index)
    text = "".join(page.text)

    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>alert(1)</script> & co on synthetic test digits (60 images)" in text  # title, as read
    assert "Trained on these <digits>." in text
    assert re.search(r"Report written \d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
    assert f"digitpad {__version__}" in text
    assert [row[0]["text"] for row in page.tables["per-class"][1:-1]] == list(FASHION_CLASS_NAMES)
    assert "no digitpad metadata" in text
    assert page.tables["layers"][-1][-1]["text"] == "7,850"  # summed from the layers without num_params


def test_model_summary_from_metadata(tmp_path: Path) -> None:
    page = read_page(write_report(tmp_path, evaluated_set(), metadata=metadata(), layers=LAYERS, num_params=7850))
    summary = {row[0]["text"]: row[1]["text"] for row in page.tables["model"]}
    assert summary["Architecture"] == "mlp · dropout 0.2"
    assert summary["Training settings"] == "adam, learning rate 0.001 · 3 epochs · batch 32"
    assert summary["Parameters"] == "7,850"
    assert summary["Training time"] == "12.5 s (3 epochs)"
    assert summary["Lineage"] == "Trained from scratch"
    assert [row[0]["text"] for row in page.tables["layers"][1:-1]] == [layer.name for layer in LAYERS]


def test_an_existing_report_is_replaced(tmp_path: Path) -> None:
    write_report(tmp_path, evaluated_set(model_name="first model"), metadata=metadata())
    (tmp_path / "notes.txt").write_text("mine")
    index = write_report(tmp_path, evaluated_set(model_name="second model", mistakes=2, seed=1))
    assert "second model" in index.read_text(encoding="utf-8")
    assert "first model" not in index.read_text(encoding="utf-8")
    assert (tmp_path / "notes.txt").read_text() == "mine"  # only the report's own files are touched


def test_progress_runs_to_one_and_stop_leaves_no_index(tmp_path: Path) -> None:
    fractions: list[float] = []
    write_report(tmp_path / "done", evaluated_set(), metadata=metadata(), progress=fractions.append)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == 4

    class StopAfterFirstFigure:
        def __init__(self) -> None:
            self.figures = 0

        def is_set(self) -> bool:
            return self.figures >= 1

        def progress(self, fraction: float) -> None:
            self.figures += 1

    stop = StopAfterFirstFigure()
    folder = tmp_path / "stopped"
    with pytest.raises(Cancelled):
        write_report(folder, evaluated_set(), metadata=metadata(), progress=stop.progress, stop_event=stop)
    assert (folder / CONFUSION_FILE).exists()
    assert not (folder / INDEX_FILE).exists()


def test_a_file_is_not_a_report_folder(tmp_path: Path) -> None:
    file = tmp_path / "report.html"
    file.write_text("not a folder")
    with pytest.raises(DigitpadError, match=r"^Cannot write a report to .*report\.html: it is a file, not a folder\.$"):
        write_report(file, evaluated_set())
    with pytest.raises(DigitpadError, match=r"^Cannot create the report folder .*: not a directory\.$"):
        write_report(file / "inside", evaluated_set())
    assert file.read_text() == "not a folder"


def test_a_read_only_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:  # permissions do not bind root: make the folder read-only as seen by the check
        monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != folder)
    try:
        with pytest.raises(DigitpadError, match=r"^Cannot write a report to .*locked: the folder cannot be written to\.$"):
            write_report(folder, evaluated_set())
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []
