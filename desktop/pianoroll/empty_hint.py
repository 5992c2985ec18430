"""The hint an empty song shows in the piano roll: how to start.

A newcomer facing an empty grid did not know that a click draws a note, that the
Generate panel writes a song, or that a MIDI file can be opened or dropped. The hint
says so in three short lines, lets every click through to the grid (drawing the first
note hides it) and is gone as soon as the song has a note.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QWidget

from desktop.i18n import translate

PADDING = 10
HINT_TEXT = QT_TRANSLATE_NOOP(
    "Roll", "<b>An empty song.</b><br>"
    "Click in the grid to draw a note (drag to set its length).<br>"
    "Or press <b>Generate music</b> in the Generate panel on the right, "
    "or open a song or MIDI file (File › Open, or drop it here).")


class EmptySongHint(QLabel):
    def __init__(self, view: QWidget):
        super().__init__(translate("Roll", HINT_TEXT), view)
        self.view = view
        self.setObjectName("EmptySongHint")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        # Clicks go through to the grid: the first one draws the first note.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAutoFillBackground(False)
        self.hide()
        view.installEventFilter(self)  # re-centre when the grid is resized

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.view and event.type() == QEvent.Type.Resize:
            self.sync()
        return False

    def _document(self, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignCenter))
        doc.setHtml(self.text())
        doc.setTextWidth(max(50, width - 2 * PADDING))
        return doc

    def needed_height(self, width: int) -> int:
        """The card's height showing every line of the hint at ``width``."""
        return int(self._document(width).size().height()) + 2 * PADDING + 1

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        # The card and its text drawn here, not by a style sheet (style sheets cost the
        # window's first frame several milliseconds) nor by QLabel (its rich-text height
        # for a width came out a line short, cutting the last line).
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        painter.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(pal.color(QPalette.ColorRole.Window))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        doc = self._document(self.width())
        painter.translate(PADDING, PADDING)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, pal.color(QPalette.ColorRole.WindowText))
        doc.documentLayout().draw(painter, context)
        painter.end()

    def sync(self) -> None:
        """Show the hint while the song has no notes; keep it centred in the grid."""
        song = self.view.song
        empty = not any(t.notes for t in song.tracks)
        if empty:
            width = min(460, max(200, self.view.width() - 24))
            # As tall as the wrapped text needs at that width (all three lines shown).
            self.setFixedSize(width, self.needed_height(width))
            self.move((self.view.width() - self.width()) // 2,
                      max(4, (self.view.height() - self.height()) // 2))
            self.raise_()
        self.setVisible(empty)
