"""How the scores panel words and lays out a number, so a musician reads it at a glance.

Fractions read as percentages ("25 %"), counts as whole numbers ("4"), the register as a
note name ("A#4"), other measures with their unit in the row's name ("Pitch range,
semitones"). Each track is a group of rows, name | value: the song's value on top, the
training songs' value under it, and a thin bar that shows how far apart the two are.
Plain labels in grids: the panel scrolls as a whole, nothing scrolls inside it, and
names wrap instead of being cut.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core.model.theory import SHARP_NAMES
from desktop.i18n import translate

PERCENT = {"eb", "qn", "dp", "in_scale", "polyphony", "polyphony_rate",
           "near_copy_phrase_rate", "distinct_1", "distinct_2", "syllable_fit",
           "rhyme_adherence", "length_fit", "tone_fit"}
COUNTS = {"lines", "phrases_checked", "longest_shared_run",
          "originality_longest_shared_words", "longest_shared_chars", "lines_with_run_over_5",
          "copied_whole_lines"}
# The unit named after the metric's label ("Pitch range, semitones").
UNITS = {"pitch_range": QT_TRANSLATE_NOOP("Scores", "semitones"),
         "pi": QT_TRANSLATE_NOOP("Scores", "semitones"),
         "pitch_class_entropy": QT_TRANSLATE_NOOP("Scores", "bits"),
         "longest_shared_run": QT_TRANSLATE_NOOP("Scores", "intervals"),
         "originality_longest_shared_words": QT_TRANSLATE_NOOP("Scores", "words"),
         "longest_shared_chars": QT_TRANSLATE_NOOP("Scores", "characters"),
         "mcd": "dB", "upc": "", "mean_syllables": ""}
TRACK_ORDER = ("melody", "harmony", "bass", "drums", "other")
CELL_WIDTH = 84  # "songs 100 %" fits; the name column takes the rest of the dock


def metric_key(metric: str) -> str:
    k = metric.lower().replace("-", "_").replace(" ", "_")
    return "td" if k == "td" or k.startswith("td_") else k


def _matches(key: str, names: set[str] | dict) -> str | None:
    for name in sorted(names, key=len, reverse=True):
        if key == name or key.startswith(name + "_"):
            return name
    return None


def note_name(pitch: float) -> str:
    p = int(round(pitch))
    return f"{SHARP_NAMES[p % 12]}{p // 12 - 1}"


def format_value(metric: str, value) -> str:
    """The number as a musician reads it (see the module docstring); '—' when missing."""
    if value is None:
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return translate("Scores", "n/a")
    key = metric_key(metric)
    if _matches(key, PERCENT):
        return f"{v * 100:.0f} %"
    if _matches(key, COUNTS) or (v.is_integer() and key not in ("td", "pitch_class_entropy")):
        return f"{v:.0f}"
    if key == "mean_pitch":
        return note_name(v)
    if key == "mcd":
        return f"{v:.2f} dB"
    if key in ("bleu", "chrf", "self_bleu"):
        return f"{v:.1f}"
    if key == "td":
        return f"{v:.2f}"
    return f"{v:.2f}" if abs(v) < 1 else f"{v:.1f}"


def label_with_unit(label: str, metric: str) -> str:
    unit = UNITS.get(_matches(metric_key(metric), UNITS) or "", "")
    return translate("Scores", "{label}, {unit}").format(
        label=label, unit=translate("Scores", unit)) if unit else label


class ScoreCell(QWidget):
    """One track's value for one metric: the song's number, the reference's under it,
    and a thin bar: blue for the song, an orange tick for the reference."""

    def __init__(self, text: str, ref_text: str, value: float | None, ref: float | None,
                 tip: str):
        super().__init__()
        self.text, self.ref_text, self.value, self.ref = text, ref_text, value, ref
        self.setToolTip(tip)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        fm = self.fontMetrics()
        width = max(fm.horizontalAdvance(self.text), fm.horizontalAdvance(self.ref_text)) + 6
        return QSize(max(CELL_WIDTH, width), fm.height() * 2 + 6)

    minimumSizeHint = sizeHint

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        fm = self.fontMetrics()
        w = self.width()
        p.setPen(self.palette().color(QPalette.ColorRole.Text))
        p.drawText(QRectF(0, 0, w, fm.height()), Qt.AlignmentFlag.AlignRight, self.text)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        p.setPen(muted)
        p.drawText(QRectF(0, fm.height(), w, fm.height()), Qt.AlignmentFlag.AlignRight,
                   self.ref_text)
        if self.value is not None and not math.isnan(self.value):
            top = max(abs(self.value), abs(self.ref or 0.0), 1e-9)
            y = fm.height() * 2 + 2
            p.fillRect(QRectF(0, y, w * abs(self.value) / top, 3), QColor("#4a90d9"))
            if self.ref is not None and not math.isnan(self.ref):
                x = min(w - 1.0, w * abs(self.ref) / top)
                p.setPen(QPen(QColor("#e0a030"), 2))
                p.drawLine(int(x), int(y) - 2, int(x), int(y) + 4)
        p.end()


def wrapping_label(text: str, tip: str = "", bold: bool = False) -> QLabel:
    label = QLabel(f"<b>{text}</b>" if bold else text)
    label.setWordWrap(True)
    label.setToolTip(tip)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    return label


class ScoreGrid(QWidget):
    """A grid of rows; ``rows`` are (label, tip, [cells]) with one cell per column."""

    def __init__(self):
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.labels: list[QLabel] = []
        self.cells: list[QWidget] = []

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().setParent(None)
                item.widget().deleteLater()
        self.labels, self.cells = [], []

    def set_rows(self, headers: list[str], rows: list[tuple[str, str, list[QWidget]]]) -> None:
        self.clear()
        r = 0
        if headers:
            for c, text in enumerate(headers):
                head = QLabel(f"<b>{text}</b>")
                head.setAlignment(Qt.AlignmentFlag.AlignRight if c else
                                  Qt.AlignmentFlag.AlignLeft)
                self.grid.addWidget(head, r, c)
                self.labels.append(head)
            r += 1
        for label, tip, cells in rows:
            name = wrapping_label(label, tip)
            self.grid.addWidget(name, r, 0)
            self.labels.append(name)
            for c, cell in enumerate(cells, start=1):
                self.grid.addWidget(cell, r, c)
                self.cells.append(cell)
            r += 1
        self.grid.setColumnStretch(0, 1)  # names get the room; values keep their width


def value_label(text: str, tip: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setToolTip(tip)
    return label


def group(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    col = QVBoxLayout(box)
    col.setContentsMargins(0, 4, 0, 4)
    col.addWidget(wrapping_label(title, bold=True))
    col.addWidget(body)
    return box
