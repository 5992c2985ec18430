"""The lyric lane: the sung syllables in one row under the note grid, each at its note.

Syllables used to be printed at the note they are sung on, alternating above and below
it; they covered neighbouring notes, and at the default zoom the grid skipped those that
would overlap ("of the blue" read "of blue"). Here every syllable has a place in one row
that scrolls and zooms with the grid. One that does not fit before the next is
shortened ("beau…", then its first letter, then a dot; a Chinese character too wide for
its sixteenth note is drawn smaller instead), never left out; hovering it shows
the whole syllable. Syllables sharing one note (more words than notes) share its
label ("day way").
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.i18n import translate

LANE_PADDING = 1  # px between a label and the next syllable's onset
FIRST_LETTER_OVERHANG = 3  # px a lone first letter may reach past its room
MIN_LABEL_SCALE = 0.55  # a label drawn smaller than this is unreadable
CJK_FROM = "\u2e80"  # CJK radicals onwards: the scripts sung one character a note


def syllable_groups(song) -> list[tuple[int, str]]:
    """(tick, text) per sung onset, in time order; hyphens mark a word that goes on."""
    by_tick: dict[int, list[str]] = {}
    for syl in song.lyrics.syllables():
        if syl.tick is None:
            continue  # a line beyond the melody: the lyric editor says "no phrase"
        text = syl.text if syl.word_end else syl.text + "-"
        by_tick.setdefault(syl.tick, []).append(text)
    return [(tick, " ".join(texts).replace("- ", "-")) for tick, texts in sorted(by_tick.items())]


def fit_text(text: str, room: float, metrics: QFontMetricsF) -> str:
    """``text`` shortened to ``room`` pixels, but never to nothing: "beau…", "b", "·"."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
    if elided and elided != "…":
        return elided
    first = text.lstrip("-")[:1] or text[:1]
    # A Chinese character is a whole sung syllable: drawn smaller by the lane when it is
    # too wide (``label_scale``) rather than a dot. A shrunken Latin letter reads as noise.
    scale = MIN_LABEL_SCALE if first >= CJK_FROM else 1.0
    if metrics.horizontalAdvance(first) * scale <= max(room, 0) + FIRST_LETTER_OVERHANG:
        return first
    return "·"


def label_scale(width: float, room: float) -> float:
    """The font scale that fits a label of ``width`` px into ``room`` px (1.0 when it
    fits), never below ``MIN_LABEL_SCALE``."""
    if width <= room + FIRST_LETTER_OVERHANG or width <= 0:
        return 1.0
    return max(MIN_LABEL_SCALE, room / width)


class LyricLane(QWidget):
    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.view = view
        self.mapping = view.mapping
        # What the last paint showed: (tick, full text, shown text); tests and the
        # tooltip read it.
        self.shown: list[tuple[int, str, str]] = []
        self.setMouseTracking(True)
        self.setToolTip(translate("Roll", "Lyrics: each syllable under the note it is sung on"))
        self.mapping.changed.connect(self.update)
        self._sync_height()

    def _sync_height(self) -> None:
        self.setFixedHeight(int(QFontMetricsF(self.font()).height()) + 8)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._sync_height()

    def layout_labels(self) -> list[tuple[float, int, str, str]]:
        """(x, tick, full, shown) for every syllable group, shortened to fit."""
        metrics = QFontMetricsF(self.font())
        groups = syllable_groups(self.view.song)
        xs = [self.mapping.tick_to_x(tick) for tick, _ in groups]
        out = []
        for i, (tick, text) in enumerate(groups):
            nxt = xs[i + 1] if i + 1 < len(groups) else float("inf")
            room = nxt - xs[i] - LANE_PADDING - 2  # (the text starts 2 px in)
            out.append((xs[i], tick, text, fit_text(text, room, metrics)))
        return out

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        c = self.view.colors
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), c.scale_row)
        p.setPen(QPen(c.beat_line, 1))
        p.drawLine(0, 0, w, 0)
        metrics = QFontMetricsF(self.font())
        baseline = (h + metrics.ascent() - metrics.descent()) / 2
        self.shown = []
        labels = self.layout_labels()
        for i, (x, tick, full, shown) in enumerate(labels):
            if x < -200 or x > w:
                continue
            self.shown.append((tick, full, shown))
            p.setPen(QPen(c.beat_line, 1))
            p.drawLine(QLineF(x, 0, x, 4))  # where the note starts
            p.setPen(c.syllable)
            room = (labels[i + 1][0] if i + 1 < len(labels) else float("inf")) - x - 2
            scale = label_scale(metrics.horizontalAdvance(shown), room) \
                if shown[:1] >= CJK_FROM else 1.0
            if scale < 1.0:
                # One Chinese character (or a first letter) is wider than its short note:
                # drawn smaller rather than over its neighbours.
                p.save()
                font = p.font()
                font.setPointSizeF(font.pointSizeF() * scale)
                p.setFont(font)
                p.drawText(QPointF(x + 1, baseline), shown)
                p.restore()
            else:
                p.drawText(QPointF(x + 2, baseline), shown)
        p.end()

    def label_at(self, x: float) -> str | None:
        for lx, _tick, full, shown in self.layout_labels():
            width = QFontMetricsF(self.font()).horizontalAdvance(shown) + 2
            if QRectF(lx, 0, width + 2, self.height()).contains(QPointF(x, 1)):
                return full
        return None

    def event(self, event) -> bool:  # noqa: A003 - Qt API
        if event.type() == event.Type.ToolTip:
            full = self.label_at(event.position().x() if hasattr(event, "position")
                                 else event.pos().x())
            if full:
                QToolTip.showText(event.globalPos(), full, self)
                return True
        return super().event(event)
