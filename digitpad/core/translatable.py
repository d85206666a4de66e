"""Marking the core's fixed texts that the window shows, so they can be translated there.

The core stays free of Qt: `QT_TRANSLATE_NOOP(context, text)` returns `text` unchanged (a `str`
that also knows its context), and `pyside6-lupdate` (given the files that use it, see the README)
extracts every call by that name into the translation catalogue. The window translates a marked
text where it shows it (`digitpad.gui.i18n.say`, which reads the context from the text, so no
caller repeats it); the console keeps the English. The window's own module-level texts use the
same marker. Only whole fixed
sentences are marked (a text chosen by a condition is two whole literals, never an f-string):
lupdate reads literals, not values. A sentence with values (a count, a layer's name) is a
`Sentence`: its template is the marked literal, its values are filled in by whoever shows it.
Error messages stay English.
"""

from __future__ import annotations


class Marked(str):
    """A marked text: the text itself, and the catalogue context it is translated in."""

    context: str

    def __new__(cls, context: str, text: str) -> Marked:
        marked = super().__new__(cls, text)
        marked.context = context
        return marked

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return self.context, str(self)


def QT_TRANSLATE_NOOP(context: str, text: str) -> Marked:
    """`text`, unchanged (a `str`), knowing its `context`: the group it has in the catalogue and
    what the window translates it with."""
    return Marked(context, text)


class Sentence(str):
    """An English sentence that keeps how it was made, so the window can say it in its language.

    It is the English text (the console, logs and tests read it as any string), and it also keeps
    its `template` (marked with `QT_TRANSLATE_NOOP` where it is written, so lupdate finds it and
    the template knows its context) and the `values` put into it. The window translates the template and fills it with
    the values written its own way (`digitpad.gui.i18n.say`): "Testing on 1 667 images…" in
    French. Whole integers are written with English thousands separators here.
    """

    template: Marked
    values: dict[str, object]

    def __new__(cls, template: Marked, **values: object) -> Sentence:
        english = {name: f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
                   for name, value in values.items()}
        sentence = super().__new__(cls, template.format(**english))
        sentence.template, sentence.values = template, values
        return sentence

    def __getnewargs_ex__(self) -> tuple[tuple[Marked], dict[str, object]]:
        # Pickled (a job's result sent between processes) as what makes it, not as the bare text.
        return (self.template,), self.values
