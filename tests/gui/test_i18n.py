"""French, with switching: the committed translations are complete and compiled, the window
built in French reads French (numbers included), and the Settings menu's choice is what the next
start uses."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QLocale, QProcess, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from digitpad.core.architectures import ARCHITECTURE_DESCRIPTIONS
from digitpad.core.lr_finder import STEEPEST_RULE
from digitpad.core.model_file import read_metadata
from digitpad.core.network_inside import FilterBank, model_note
from digitpad.core.preprocess_stages import preprocess_stages
from digitpad.core.resources import default_model_path
from digitpad.core.translatable import QT_TRANSLATE_NOOP, Sentence
from digitpad.gui import i18n
from digitpad.gui.app_state import AppState
from digitpad.gui.main_window import MainWindow
from digitpad.gui.preprocess_steps_view import stage_texts
from digitpad.gui.training_form import LogSpinBox

REPO = Path(__file__).resolve().parents[2]
TS_FILE = REPO / "resources" / "digitpad_fr.ts"
QM_FILE = REPO / "resources" / "digitpad_fr.qm"
TOOLS = Path(sys.executable).parent
# The core files whose fixed texts the window shows, marked with digitpad.core.translatable's
# QT_TRANSLATE_NOOP: the README's lupdate command names the same files.
CORE_SOURCES = ("architectures.py", "crossval.py", "finetune.py", "layer_stack.py", "lr_finder.py", "network_inside.py",
                "preprocess_stages.py", "workflows.py")


def messages(ts_file: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) → the <translation> element of every message a .ts file holds."""
    found = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(name, message.findtext("source") or "")] = translation
    return found


@pytest.fixture
def english_afterwards(qapp: QApplication) -> Iterator[QApplication]:
    """Whatever a test installs, the next test starts in English with the locale it had."""
    app = qapp
    locale = QLocale()
    yield app
    i18n.install_language(app, i18n.ENGLISH)
    QLocale.setDefault(locale)


@pytest.fixture
def window_in(english_afterwards: QApplication, qtbot: QtBot) -> Iterator[Callable[[str], MainWindow]]:
    """Build the window as a start in that language would; every window is closed (its threads
    joined) at the end."""
    windows: list[MainWindow] = []

    def build(language: str) -> MainWindow:
        i18n.install_language(english_afterwards, language)
        window = MainWindow(AppState())
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()


def tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(index) for index in range(window.tabs.count())]


def lupdate_sources() -> list[str]:
    """What the README's lupdate command reads: every window file and the marked core files."""
    core = REPO / "digitpad" / "core"
    return [*sorted(str(path) for path in (REPO / "digitpad" / "gui").glob("*.py")),
            *(str(core / name) for name in CORE_SOURCES)]


def test_the_cores_sentences_with_values_are_said_in_the_windows_language(
        english_afterwards: QApplication) -> None:
    testing = Sentence(QT_TRANSLATE_NOOP("Progress", "Testing on {count} images it has never seen…"), count=1667)
    assert i18n.say(testing) == str(testing) == "Testing on 1,667 images it has never seen…"
    assert i18n.say("plain text") == "plain text"
    i18n.install_language(english_afterwards, i18n.FRENCH)
    assert i18n.say(testing) == f"Test sur {i18n.format_count(1667)} images jamais vues…"
    assert "," not in i18n.say(testing) and str(testing).startswith("Testing")   # the console keeps English
    # A fixed marked text carries its context to the window: "Inside the network" under an MLP.
    note = model_note([], FilterBank("dense1", np.zeros((1, 28, 28), np.float32), ""))
    assert note.startswith("No convolution layers") and i18n.say(note).startswith("Aucune couche de convolution")


def test_the_core_files_that_mark_texts_are_the_ones_lupdate_reads() -> None:
    marking = sorted(path.name for path in (REPO / "digitpad" / "core").glob("*.py")
                     if "from digitpad.core.translatable import" in path.read_text(encoding="utf-8"))
    assert marking == sorted(CORE_SOURCES), "add the file to CORE_SOURCES and to the README's lupdate command"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    if "pyside6-lupdate" in readme:
        assert all(f"digitpad/core/{name}" in readme for name in CORE_SOURCES)


def test_every_source_string_has_a_finished_french_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = lupdate_sources()
    subprocess.run([str(TOOLS / "pyside6-lupdate"), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    committed = messages(TS_FILE)
    needed = messages(fresh)
    assert len(needed) > 250
    missing = sorted(key for key in needed if key not in committed)
    unfinished = sorted(key for key, translation in committed.items()
                        if key in needed and (translation.get("type") == "unfinished" or not translation.text))
    assert missing == [], f"run pyside6-lupdate (see README) and translate: {missing[:5]}"
    assert unfinished == [], f"translate these in {TS_FILE.name}: {unfinished[:5]}"


def test_every_translation_keeps_its_placeholders() -> None:
    for (context, source), translation in messages(TS_FILE).items():
        wanted = sorted(part.split("}")[0] for part in source.split("{")[1:])
        got = sorted(part.split("}")[0] for part in (translation.text or "").split("{")[1:])
        assert got == wanted, (context, source)


def test_the_committed_qm_is_what_lrelease_builds_from_the_committed_ts(tmp_path: Path) -> None:
    built = tmp_path / "built.qm"
    subprocess.run([str(TOOLS / "pyside6-lrelease"), str(TS_FILE), "-qm", str(built)], check=True,
                   capture_output=True)
    assert built.read_bytes() == QM_FILE.read_bytes()
    assert i18n.translations_path() == QM_FILE or i18n.translations_path().read_bytes() == QM_FILE.read_bytes()


def test_the_window_in_french_reads_french_with_decimal_commas(
        window_in: Callable[[str], MainWindow]) -> None:
    window = window_in(i18n.FRENCH)
    assert i18n.installed_language() == i18n.FRENCH
    assert tab_titles(window) == ["Dessiner", "Entraîner", "Modèles", "Mes chiffres"]
    menus = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert menus[:2] == ["Fichier", "Édition"] and "Aide" in menus
    go_draw = window.my_digits_tab.findChild(QPushButton, "goDrawButton")
    assert go_draw is not None and go_draw.text() == "Aller à l'onglet Dessiner"
    assert window.models_tab.table.model().headerData(0, window.models_tab.table.horizontalHeader().orientation()) \
        == "Nom"
    assert i18n.format_percent(0.9312) == "93,12 %"
    assert i18n.format_percent(0.9312, 1) == "93,1 %"
    assert i18n.format_duration(4.2) == "4,2 s"
    assert i18n.format_size(3 * 1024 * 1024 // 2) == "1,5 Mo"
    # A model's score: the figure and the size of its test set both written the French way.
    metadata = read_metadata(default_model_path())
    assert metadata is not None
    name, size = metadata.test_set()
    assert size is not None and size >= 1000
    assert i18n.model_accuracy_text(metadata) == "{} % sur {}, {}".format(
        i18n.decimal(100 * metadata.test_metrics["accuracy"], 2), name, i18n.format_count(size))
    assert "," not in i18n.format_count(size) and "," in i18n.model_accuracy_text(metadata)
    # Qt's own texts come in French too (qtbase_fr ships with PySide6).
    assert QApplication.translate("QPlatformTheme", "Cancel") == "Annuler"


def test_the_window_in_english_reads_english(window_in: Callable[[str], MainWindow]) -> None:
    window = window_in(i18n.ENGLISH)
    assert tab_titles(window) == ["Draw", "Train", "Models", "My digits"]
    assert i18n.format_percent(0.9312) == "93.12 %"
    assert i18n.format_count(60000) == "60,000"


def test_system_follows_the_system_language() -> None:
    assert i18n.resolve_language(i18n.SYSTEM, QLocale(QLocale.Language.French, QLocale.Country.Canada)) == i18n.FRENCH
    assert i18n.resolve_language(i18n.SYSTEM, QLocale(QLocale.Language.German)) == i18n.ENGLISH
    assert i18n.resolve_language(i18n.ENGLISH, QLocale(QLocale.Language.French)) == i18n.ENGLISH


def test_choosing_francais_in_the_menu_is_what_the_next_start_shows(
        window_in: Callable[[str], MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    started: list[tuple[str, list[str]]] = []

    def restart_now(box: QMessageBox) -> int:
        asked.append(box.text())
        restart = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        monkeypatch.setattr(QMessageBox, "clickedButton", lambda _box: restart)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", restart_now)
    monkeypatch.setattr(QProcess, "startDetached", lambda program, arguments: started.append((program, arguments)))
    window = window_in(i18n.ENGLISH)
    window.show()
    language_menu = window.findChild(QWidget, "languageMenu")
    assert language_menu is not None
    actions = {action.text(): action for action in language_menu.actions()}
    assert list(actions) == ["System", "English", "Français"] and actions["System"].isChecked()

    actions["Français"].trigger()

    assert QSettings("digitpad", "digitpad").value(i18n.SETTINGS_LANGUAGE) == i18n.FRENCH
    assert asked == ["The new language shows when digitpad starts again."]
    assert started == [(sys.executable, ["-m", "digitpad", "gui"])]
    assert not window.isVisible()   # closed (and shut down) before the new one starts
    # The next start reads the setting before building its window.
    choice = i18n.chosen_language(QSettings("digitpad", "digitpad"))
    assert tab_titles(window_in(choice))[0] == "Dessiner"


def test_choosing_the_language_already_shown_asks_nothing(
        window_in: Callable[[str], MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: pytest.fail("no restart needed"))
    window = window_in(i18n.ENGLISH)
    language_menu = window.findChild(QWidget, "languageMenu")
    assert language_menu is not None
    next(action for action in language_menu.actions() if action.text() == "English").trigger()
    assert i18n.chosen_language(window.state.settings) == i18n.ENGLISH


def test_the_learning_rate_reads_and_takes_the_french_decimal_comma(
        english_afterwards: QApplication, qtbot: QtBot) -> None:
    i18n.install_language(english_afterwards, i18n.FRENCH)
    spin = LogSpinBox()
    qtbot.addWidget(spin)
    spin.setValue(0.001)
    assert spin.text() == "0,001"
    for typed, value in (("0,0005", 0.0005), ("1e-4", 1e-4), ("0.002", 0.002)):
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin.lineEdit(), typed)
        spin.interpretText()
        assert spin.value() == pytest.approx(value), typed


def test_the_core_texts_the_window_shows_are_translated(english_afterwards: QApplication) -> None:
    i18n.install_language(english_afterwards, i18n.FRENCH)
    stages = preprocess_stages(np.pad(np.ones((12, 4), dtype=np.float32), 40))
    assert [stage_texts(stage)[0] for stage in stages] == [
        "Votre dessin", "Recadré sur l'encre", "Ajusté dans 20×20", "Centré (ce que lit le modèle)"]
    assert stages[0].title == "Your drawing"   # the core itself stays English (the console's text)
    assert i18n.say(ARCHITECTURE_DESCRIPTIONS["mlp"]).startswith(
        "Perceptron multicouche")
    assert i18n.say(STEEPEST_RULE).startswith("le taux où la perte lissée")
