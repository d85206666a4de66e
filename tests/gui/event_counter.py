"""An event filter that counts one kind of event: how tests see what Qt did (paints, layouts)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class EventCounter(QObject):
    """Install it on a widget (`installEventFilter`); `count` grows with each event of `kind`."""

    def __init__(self, kind: QEvent.Type) -> None:
        super().__init__()
        self._kind = kind
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == self._kind:
            self.count += 1
        return False
