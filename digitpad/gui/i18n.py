"""The window's language: which one, loading its translations, and numbers written its way.

The choice is kept in the settings ("system", "en" or "fr"; "system" follows `QLocale.system()`)
and applied once, before any window is built: Qt looks translations up when a label is made, so a
new choice shows after a restart (the Settings menu offers to restart at once). Numbers follow the
same language (French writes 93,10 %), through the helpers below; the console keeps
`digitpad.core.formatting`'s plain English output. Messages that come from the core (a
`DigitpadError`'s sentence) stay English: they are shared with the console and the logs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from digitpad.core import formatting
from digitpad.core.formatting import MISSING
from digitpad.core.model_file import ModelMetadata
from digitpad.core.resources import resource_path

# The window marks its module-level texts with the core's marker (PySide6's own is typed as
# returning `object`); a marked text knows its context, so `say` translates it.
from digitpad.core.translatable import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP
from digitpad.core.translatable import Marked, Sentence

SETTINGS_LANGUAGE = "language"
SYSTEM = "system"
ENGLISH = "en"
FRENCH = "fr"
CHOICES = (SYSTEM, ENGLISH, FRENCH)
TRANSLATION_FILE = "digitpad_{language}.qm"

# Each language's locale when the system's is another language (an English window on a German
# system writes numbers the English way rather than mixing the two).
_DEFAULT_LOCALES = {
    ENGLISH: QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    FRENCH: QLocale(QLocale.Language.French, QLocale.Country.France),
}
_installed: list[QTranslator] = []
_language = [ENGLISH]   # what the last install_language chose; the sources are English
# The locale the helpers below write numbers in: English until `install_language` says otherwise,
# whatever the process's default (a test's "C" locale would drop the thousands separators).
_number_locale = [_DEFAULT_LOCALES[ENGLISH]]


def chosen_language(settings: QSettings) -> str:
    """The setting as saved; anything unknown (a hand-edited file) reads as "system"."""
    value = str(settings.value(SETTINGS_LANGUAGE, SYSTEM) or SYSTEM)
    return value if value in CHOICES else SYSTEM


def choose_language(settings: QSettings, choice: str) -> None:
    """Save the language the next start uses."""
    if choice not in CHOICES:
        raise ValueError(f"unknown language {choice!r}; expected one of {', '.join(CHOICES)}")
    settings.setValue(SETTINGS_LANGUAGE, choice)
    settings.sync()


def resolve_language(choice: str, system: QLocale | None = None) -> str:
    """The language a choice means here: "system" is French on a French system, else English."""
    if choice in (ENGLISH, FRENCH):
        return choice
    system = system if system is not None else QLocale.system()
    return FRENCH if system.language() == QLocale.Language.French else ENGLISH


def install_language(app: QCoreApplication, choice: str) -> str:
    """Load the translations for `choice` into `app`, set the locale numbers follow, and return
    the language used. Replaces what an earlier call installed, so tests can switch back."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(choice)
    _language[0] = language
    system = QLocale.system()
    _number_locale[0] = (system if system.language() == _DEFAULT_LOCALES[language].language()
                         else _DEFAULT_LOCALES[language])
    QLocale.setDefault(_number_locale[0])   # spin boxes and Qt's own texts follow it too
    if language == ENGLISH:
        return language   # the sources are English
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, directory in ((TRANSLATION_FILE.format(language=language), str(resource_path(""))),
                            (f"qtbase_{language}", qt_translations)):
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


def installed_language() -> str:
    """The language the window's texts were made in ("en" until `install_language` says otherwise)."""
    return _language[0]


def translations_path(language: str = FRENCH) -> Path:
    """The compiled translation file shipped for `language`."""
    return resource_path(TRANSLATION_FILE.format(language=language))


# ---- numbers the window shows (same names and meanings as digitpad.core.formatting) ----------

def say(text: str) -> str:
    """A text from the core in the window's language: a marked text translated in the context it
    was marked with, a `Sentence` translated and filled with its values written the window's way
    (counts with the locale's separator); any other text as it is."""
    if isinstance(text, Marked):
        return QCoreApplication.translate(text.context, text)
    if not isinstance(text, Sentence):
        return text
    values = {name: format_count(value) if isinstance(value, int) and not isinstance(value, bool) else value
              for name, value in text.values.items()}
    return QCoreApplication.translate(text.template.context, text.template).format(**values)


def decimal(value: float, decimals: int) -> str:
    """A number with a fixed count of decimals, with the locale's decimal sign ("93,1")."""
    return _number_locale[0].toString(float(value), "f", decimals)


def decimal_sign(number: str) -> str:
    """A number Python wrote ("2.4e-7", "0.0021") with the locale's decimal sign ("2,4e-7")."""
    return number.replace(".", _number_locale[0].decimalPoint())


def model_accuracy_text(metadata: ModelMetadata) -> str:
    """`ModelMetadata.accuracy_text` in the window's language: "99.62% on MNIST validation
    split, 5,000" ("99,62 % sur …"), or "" for a model never evaluated."""
    accuracy = metadata.test_metrics.get("accuracy") if isinstance(metadata.test_metrics, dict) else None
    if not isinstance(accuracy, int | float) or isinstance(accuracy, bool):
        return ""
    return QCoreApplication.translate("Formatting", "{percent}% on {test_set}").format(
        percent=decimal(100 * accuracy, 2), test_set=test_set_text(metadata))


def test_set_text(metadata: ModelMetadata) -> str:
    """`ModelMetadata.test_label` with the size written the window's way: "MNIST test, 10 000"
    in French. The set's name is the one recorded in the file, as the data set called itself."""
    name, size = metadata.test_set()
    if size is None:
        return name
    return QCoreApplication.translate("Formatting", "{name}, {count}").format(name=name, count=format_count(size))


def format_percent(fraction: float | None, decimals: int = 2) -> str:
    """A fraction as "97.25 %" (English) or "97,25 %" (French)."""
    return formatting.format_percent(fraction, decimals, decimal=decimal)


def accuracy_text(accuracy: float) -> str:
    """An accuracy as the window shows it everywhere: two decimals, never missing."""
    return format_percent(accuracy)


def format_count(count: int | None) -> str:
    """A count with the locale's thousands separator: "60,000" or "60 000"."""
    return MISSING if count is None else _number_locale[0].toString(int(count))


def format_duration(seconds: float | None) -> str:
    """A duration as `formatting.format_duration` writes it, with the locale's decimal sign."""
    return formatting.format_duration(seconds, decimal=decimal)


def format_seconds(seconds: float | None) -> str:
    """Time still to go, or that it is not known yet."""
    if seconds is None:
        return QCoreApplication.translate("Formatting", "estimating time left")
    return QCoreApplication.translate("Formatting", "{time} left").format(
        time=formatting.format_time_left(seconds))


def format_size(size: int) -> str:
    """A file size in the locale's units ("1.5 MB", "1,5 Mo")."""
    if size < 1024:
        return QCoreApplication.translate("Formatting", "{size} B").format(size=size)
    if size < 1024 * 1024:
        return QCoreApplication.translate("Formatting", "{size} KB").format(size=decimal(size / 1024, 0))
    return QCoreApplication.translate("Formatting", "{size} MB").format(size=decimal(size / (1024 * 1024), 1))
