"""A combo box whose items include an action ("Choose a folder…") that the wheel skips.

The wheel guard leaves a clicked (focused) combo box to take the wheel, as users expect.
QComboBox then emits ``activated`` for each wheel step, so scrolling a focused lyrics
Model combo past its last model landed on "Choose a folder…" and opened a folder picker
nobody asked for. Here the wheel steps through the real choices only; the action item
still answers a click or the keyboard.
"""

from __future__ import annotations

from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget


class ActionItemCombo(QComboBox):
    """``ActionItemCombo(action_data="?")``: items whose data is ``action_data`` are
    actions, never reached by the wheel."""

    def __init__(self, action_data: object = "?", parent: QWidget | None = None):
        super().__init__(parent)
        self.action_data = action_data

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        step = -1 if event.angleDelta().y() > 0 else 1
        target = self.currentIndex() + step
        if 0 <= target < self.count() and self.itemData(target) == self.action_data:
            event.accept()  # an action is chosen on purpose, not scrolled onto
            return
        super().wheelEvent(event)
