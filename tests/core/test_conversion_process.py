"""Conversion in a child process: the same LiteRT form as in-process, refusals as sentences, a prompt stop."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from digitpad.core import conversion
from digitpad.core.cancellation import Cancelled
from digitpad.core.conversion_process import convert_in_child
from digitpad.core.inference import Predictor
from digitpad.core.inference_description import ConvertedModel
from digitpad.core.model_file import ModelMetadata, save_model
from digitpad.core.model_jobs import TENSORFLOW_IMPORT_LOCK, load_for_the_window

L = keras.layers


def plain_file(folder: Path, name: str, *layers: keras.layers.Layer) -> Path:
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for layer in layers:
        x = layer(x)
    path = folder / name
    keras.Model(inputs, x).save(path)
    return path


def refuse_conversion(*args: object, **kwargs: object) -> None:
    raise AssertionError("this process must not convert")


def test_a_child_converts_plain_files_and_explains_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = plain_file(tmp_path, "good.keras", L.Flatten(), L.Dense(10))  # logits: the head is added
    refused = plain_file(tmp_path, "lambda.keras", L.Lambda(lambda t: t * 2.0), L.Flatten(), L.Dense(10, activation="softmax"))
    monkeypatch.setattr(conversion, "convert", refuse_conversion)
    converted, refusal = convert_in_child([good, refused], threading.Event())
    assert isinstance(converted, ConvertedModel) and converted.description.output_kind == "logits"
    assert isinstance(refusal, str) and "lambda.keras" in refusal and "Lambda" in refusal
    predictor = Predictor.from_converted(good, None, converted)
    x = np.random.default_rng(0).random((5, 28, 28, 1), dtype=np.float32)
    logits = np.asarray(keras.saving.load_model(good)(x))
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(predictor.predict_prepared(x), expected, atol=1e-5)


def test_the_window_loads_a_plain_file_without_converting_in_its_own_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = plain_file(tmp_path, "plain.keras", L.Flatten(), L.Dense(10, activation="softmax"))
    monkeypatch.setattr(conversion, "convert", refuse_conversion)
    predictor = load_for_the_window(path, threading.Event())
    assert predictor.engine == "litert" and predictor.converted is not None


def test_stopping_ends_the_child_at_once(tmp_path: Path) -> None:
    path = plain_file(tmp_path, "plain.keras", L.Flatten(), L.Dense(10, activation="softmax"))
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.perf_counter()
    with pytest.raises(Cancelled, match=r"converting plain\.keras"):
        convert_in_child([path], stop)  # the child is still importing TensorFlow after 0.3 s
    assert time.perf_counter() - started < 2.0
    assert multiprocessing.active_children() == []


def test_nothing_to_convert_starts_no_child() -> None:
    assert convert_in_child([], threading.Event()) == []
    assert multiprocessing.active_children() == []


def test_a_file_with_its_stored_form_loads_while_tensorflow_is_being_imported(tmp_path: Path) -> None:
    """"Use for drawing" must not wait for the window's background TensorFlow import, which
    holds `TENSORFLOW_IMPORT_LOCK` for seconds."""
    model = keras.Sequential([keras.Input((28, 28, 1)), L.Flatten(), L.Dense(10, activation="softmax")])
    path = save_model(model, tmp_path / "saved.keras", ModelMetadata(name="saved"))
    held, release = threading.Event(), threading.Event()

    def import_in_progress() -> None:
        with TENSORFLOW_IMPORT_LOCK:
            held.set()
            release.wait(30)

    importer = threading.Thread(target=import_in_progress)
    importer.start()
    try:
        assert held.wait(10)
        started = time.perf_counter()
        predictor = load_for_the_window(path, threading.Event())
        assert time.perf_counter() - started < 5
        assert predictor.engine == "litert"
    finally:
        release.set()
        importer.join()
