"""A one-line label whose text never sets the width of what holds it.

Status lines ("Cancelled — the song is unchanged", "Editing: Melody (23 notes)") used to
widen their panel whenever they grew, which shifted the piano roll sideways. This label
asks for no width of its own: the layout gives it what is left, the text is elided
("Editing: Mel…") when it does not fit, and the whole text is in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None,
                 elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight):
        super().__init__(text, parent)
        self._elide = elide
        self._own_tip = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(24)
        self._sync_tip()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self._sync_tip()
        self.update()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt API
        self._own_tip = tip
        self._sync_tip()

    def _sync_tip(self) -> None:
        text = self.text()
        tip = self._own_tip
        if self.is_elided() and text and text not in tip:
            tip = f"{text}\n{tip}" if tip else text
        super().setToolTip(tip)

    def elided_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), self._elide,
                                             max(0, self.contentsRect().width()))

    def is_elided(self) -> bool:
        return self.elided_text() != self.text()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        return QSize(min(hint.width(), 120), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(24, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._sync_tip()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        self.style().drawItemText(
            painter, self.contentsRect(), int(self.alignment()) | Qt.AlignmentFlag.AlignVCenter,
            self.palette(), self.isEnabled(), self.elided_text(), self.foregroundRole())
        painter.end()
