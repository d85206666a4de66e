"""Core texts marked for the window's translation stay plain English strings for everyone else."""

from __future__ import annotations

import pickle

from digitpad.core.translatable import QT_TRANSLATE_NOOP, Marked, Sentence


def test_a_marked_text_is_the_text_and_knows_its_context() -> None:
    marked = QT_TRANSLATE_NOOP("Progress", "Building the model…")
    assert marked == "Building the model…" and isinstance(marked, str)
    assert isinstance(marked, Marked) and marked.context == "Progress"
    assert {"Building the model…": 1}[marked] == 1   # usable wherever the plain text is


def test_a_sentence_reads_as_english_and_keeps_its_template_and_values() -> None:
    sentence = Sentence(QT_TRANSLATE_NOOP("Progress", "Testing on {count} images of {name}…"),
                        count=10_000, name="MNIST test")
    assert sentence == "Testing on 10,000 images of MNIST test…"       # what the console prints
    assert sentence.rstrip("…").endswith("MNIST test")
    assert sentence.template == "Testing on {count} images of {name}…"
    assert sentence.template.context == "Progress"
    assert sentence.values == {"count": 10_000, "name": "MNIST test"}  # raw, for the window to write its way


def test_a_sentence_survives_pickling_whole() -> None:
    sentence = Sentence(QT_TRANSLATE_NOOP("NetworkInside", "{name}: {count} maps"), name="conv1", count=32)
    copy = pickle.loads(pickle.dumps(sentence))
    assert copy == sentence and copy.values == sentence.values and copy.template.context == "NetworkInside"
