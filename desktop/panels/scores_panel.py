"""The scores panel (right dock): music metrics beside the training-data reference with a
small bar chart, lyric metrics against a chosen reference text, and the mel-cepstral
distance of the song's audio against a chosen WAV or MIDI.

A plain widget: it shows the dicts the controller hands it (computed in workers by
core.metrics) and asks for work through signals. Every score has a tooltip saying what
it measures and which way is better.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# (label, what it measures, which way is better), matched on the metric key.
CLOSER = "Better: close to the reference (the training data's value)."
METRIC_INFO: dict[str, tuple[str, str, str]] = {
    "eb": ("Empty bars", "Fraction of bars with no note in this track (Dong et al. 2018, "
           "MuseGAN).", CLOSER),
    "upc": ("Pitch classes / bar", "Used pitch classes per bar, 0-12 (MuseGAN).", CLOSER),
    "qn": ("Qualified notes", "Fraction of notes at least an eighth note long, not "
           "fragments (MuseGAN).", "Better: higher, up to the reference."),
    "dp": ("Drum pattern", "Fraction of drum notes on an 8th/16th grid (MuseGAN).", CLOSER),
    "td_": ("Tonal distance", "Harmonic distance between two tracks in tonal space "
           "(Harte et al. 2006).", "Better: lower means the tracks agree harmonically; "
           "close to the reference."),
    "in_scale": ("In scale", "Fraction of notes in the song's key.", "Better: higher."),
    "pitch_class_entropy": ("Pitch-class entropy", "Entropy of the pitch-class histogram, "
                            "bits (muspy).", CLOSER),
    "polyphony": ("Polyphony", "Fraction of time steps sounding more than one pitch.", CLOSER),
    "pitch_range": ("Pitch range", "Highest minus lowest pitch, semitones, per phrase "
                    "(muspy).", CLOSER),
    "mean_pitch": ("Register", "Mean MIDI pitch of the track's sounding notes (60 = "
                   "middle C).", CLOSER),
    "pi": ("Pitch interval", "Mean leap between consecutive notes of the top line, "
           "semitones (Yang & Lerch 2020).", CLOSER),
    "bleu": ("BLEU", "Word n-gram overlap with the reference text (Papineni et al. 2002, "
             "sacrebleu).", "Better: higher when you want to stay close to the reference."),
    "chrf": ("chrF", "Character n-gram F-score against the reference (Popović 2015).",
             "Better: higher when you want to stay close to the reference."),
    "self_bleu": ("Self-BLEU (drafts)", "BLEU of each lyric draft of this session against "
                  "the others (Zhu et al. 2018).", "Better: lower means more diverse drafts."),
    "distinct_1": ("Distinct-1", "Unique words / all words (Li et al. 2016).",
                   "Better: higher means more varied words."),
    "distinct_2": ("Distinct-2", "Unique word pairs / all pairs (Li et al. 2016).",
                   "Better: higher means more varied phrasing."),
    "syllable_fit": ("Syllable fit", "Fraction of lines whose syllables fit the melody's "
                     "notes (±1).", "Better: higher."),
    "rhyme_adherence": ("Rhyme adherence", "Fraction of the scheme's rhyme pairs that rhyme "
                        "(CMU dictionary).", "Better: higher."),
    "originality_longest_shared_words": ("Longest shared words", "Longest run of words "
                                         "shared with the lyric model's training texts.",
                                         "Better: lower means nothing was copied."),
    "longest_shared_run": ("Longest shared melody run", "Longest run of melody intervals "
                           "shared with any training phrase.", "Better: lower means less "
                           "copied."),
    "near_copy_phrase_rate": ("Near-copied phrases", "Fraction of 4-bar phrases that nearly "
                              "copy a training phrase.", "Better: 0."),
    "phrases_checked": ("Phrases checked", "4-bar melody phrases checked for copying.",
                        "A count, not a score."),
    "mean_syllables": ("Syllables per line", "Mean sung syllables per line.",
                       "Compare with the melody's notes per phrase."),
    "lines": ("Lines", "Number of lyric lines scored.", "A count, not a score."),
    "mcd": ("Mel-cepstral distance", "Distance of the MFCCs of the two audio clips after "
            "DTW alignment, dB (Kubichek 1993).", "Better: lower means it sounds more alike."),
}


def metric_info(key: str) -> tuple[str, str]:
    """(label, tooltip) for a metric key such as 'EB', 'qn_rate' or 'distinct-2'."""
    k = key.lower().replace("-", "_").replace(" ", "_")
    if k == "td" or k.startswith("td_"):
        k = "td_"
    for pattern in sorted(METRIC_INFO, key=len, reverse=True):
        if k == pattern or k.startswith(pattern + "_"):
            label, what, better = METRIC_INFO[pattern]
            return label, f"{what}\n{better}"
    return key, key


def _number(value) -> str:
    if value is None:
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return "n/a"
    return f"{v:.3f}" if abs(v) < 100 else f"{v:.1f}"


def flatten(values: dict) -> list[tuple[str, str, float]]:
    """{track: {metric: v}} -> [(track, metric, v)] (a flat dict is one unnamed track)."""
    rows = []
    for track, metrics in values.items():
        if isinstance(metrics, dict):
            rows.extend((str(track), str(m), v) for m, v in metrics.items()
                        if isinstance(v, int | float))
        elif isinstance(metrics, int | float):
            rows.append(("", str(track), metrics))
    return rows


def reference_value(reference: dict, track: str, metric: str):
    group = reference.get(track) if track else reference
    if isinstance(group, dict):
        return group.get(metric)
    return None


class BarChart(QWidget):
    """Paired bars per metric: the song (filled) against the reference (outline)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[tuple[str, float, float | None]] = []
        self.setMinimumHeight(60)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[tuple[str, float, float | None]]) -> None:
        self.rows = [(n, v, r) for n, v, r in rows if not math.isnan(float(v))]
        self.setFixedHeight(max(60, 18 * len(self.rows) + 8))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        metrics = p.fontMetrics()
        label_w = max((metrics.horizontalAdvance(n) for n, _, _ in self.rows), default=0) + 8
        w = max(10, self.width() - label_w - 8)
        for i, (name, value, ref) in enumerate(self.rows):
            y = 4 + i * 18
            p.setPen(pal.text().color())
            p.drawText(QRectF(0, y, label_w - 4, 16), Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignVCenter, name)
            scale = max(abs(value), abs(ref or 0.0), 1e-9)
            p.fillRect(QRectF(label_w, y + 3, w * abs(value) / scale, 10), QColor("#4a90d9"))
            if ref is not None:
                p.setPen(QPen(QColor("#e0a030"), 2))
                p.drawRect(QRectF(label_w, y + 2, w * abs(ref) / scale, 12))
        p.end()


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    header = t.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return t


class ScoresPanel(QWidget):
    score_requested = Signal()
    lyric_reference_chosen = Signal(str)
    mcd_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ScoresPanel")
        self.lyric_reference: str = ""
        self.audio_reference: str = ""
        inner = QWidget()
        col = QVBoxLayout(inner)
        top = QHBoxLayout()
        self.score_button = QPushButton("Score now")
        self.score_button.setToolTip("Compute the scores of the current song and lyrics")
        self.score_button.clicked.connect(self.score_requested)
        self.status = QLabel("Scores appear after each generation")
        self.status.setWordWrap(True)
        top.addWidget(self.score_button)
        top.addWidget(self.status, 1)
        col.addLayout(top)

        music = QGroupBox("Music (song vs. training data)")
        mcol = QVBoxLayout(music)
        self.music_table = _table(["Metric", "Track", "Song", "Reference"])
        self.music_table.currentCellChanged.connect(lambda *_: self._update_chart())
        self.chart = BarChart()
        self.chart.setToolTip("Blue: this song; orange outline: training-data reference")
        mcol.addWidget(self.music_table)
        mcol.addWidget(self.chart)
        col.addWidget(music)

        lyrics = QGroupBox("Lyrics")
        lcol = QVBoxLayout(lyrics)
        ref_row = QHBoxLayout()
        self.lyric_ref_button = QPushButton("Reference text…")
        self.lyric_ref_button.setToolTip("Your own lyrics or an earlier draft, for BLEU and chrF")
        self.lyric_ref_button.clicked.connect(self._choose_lyric_reference)
        self.lyric_ref_label = QLabel("none")
        ref_row.addWidget(self.lyric_ref_button)
        ref_row.addWidget(self.lyric_ref_label, 1)
        self.lyric_table = _table(["Metric", "Value"])
        lcol.addLayout(ref_row)
        lcol.addWidget(self.lyric_table)
        col.addWidget(lyrics)

        audio = QGroupBox("Sound")
        acol = QHBoxLayout(audio)
        self.mcd_button = QPushButton("Compare with…")
        self.mcd_button.setToolTip("Mel-cepstral distance of the song's sound to a WAV or MIDI")
        self.mcd_button.clicked.connect(self._choose_audio_reference)
        self.mcd_label = QLabel("MCD: —")
        self.mcd_label.setToolTip(metric_info("mcd")[1])
        acol.addWidget(self.mcd_button)
        acol.addWidget(self.mcd_label, 1)
        col.addWidget(audio)
        col.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._music_rows: list[tuple[str, str, float, float | None]] = []

    # -- showing results ------------------------------------------------------------------
    def show_music(self, result: dict) -> None:
        values, reference = result.get("values", {}), result.get("reference", {}) or {}
        rows = [(t, m, v, reference_value(reference, t, m)) for t, m, v in flatten(values)]
        for key, value in (result.get("originality") or {}).items():
            if isinstance(value, int | float):  # the melody's; own group, not in the chart
                rows.append(("originality", key, value, None))
        self._music_rows = rows
        t = self.music_table
        t.setRowCount(len(rows))
        for r, (track, metric, value, ref) in enumerate(rows):
            label, tip = metric_info(metric)
            tip = f"{metric}: {tip}"
            cells = [label, track, _number(value), _number(ref)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                t.setItem(r, c, item)
        if rows:
            t.setCurrentCell(0, 0)
        self._update_chart()
        if result.get("note"):
            self.status.setText(result["note"])

    def _update_chart(self) -> None:
        row = self.music_table.currentRow()
        if not self._music_rows:
            self.chart.set_rows([])
            return
        track = self._music_rows[max(row, 0)][0]
        self.chart.set_rows([(metric_info(m)[0], float(v), None if r is None else float(r))
                             for t, m, v, r in self._music_rows if t == track])

    def music_value(self, track: str, metric: str) -> float | None:
        return next((v for t, m, v, _ in self._music_rows if t == track and m == metric), None)

    def show_lyrics(self, scores: dict) -> None:
        rows = [(k, v) for k, v in scores.items() if isinstance(v, int | float)]
        t = self.lyric_table
        t.setRowCount(len(rows))
        for r, (key, value) in enumerate(rows):
            label, tip = metric_info(key)
            for c, text in enumerate([label, _number(value)]):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                t.setItem(r, c, item)

    def show_mcd(self, value: float) -> None:
        name = Path(self.audio_reference).name if self.audio_reference else "reference"
        self.mcd_label.setText(f"MCD vs {name}: {value:.2f} dB")

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_busy(self, busy: bool) -> None:
        self.score_button.setEnabled(not busy)
        self.mcd_button.setEnabled(not busy)

    # -- choosing references --------------------------------------------------------------
    def _choose_lyric_reference(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Reference lyrics", "",
                                              "Text (*.txt *.lrc);;All files (*)")
        if path:
            self.set_lyric_reference(path)

    def set_lyric_reference(self, path: str) -> None:
        self.lyric_reference = path
        self.lyric_ref_label.setText(Path(path).name if path else "none")
        self.lyric_reference_chosen.emit(path)

    def _choose_audio_reference(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Reference sound", "", "Audio or MIDI (*.wav *.flac *.mid *.midi *.kar)")
        if path:
            self.request_mcd(path)

    def request_mcd(self, path: str) -> None:
        self.audio_reference = path
        self.mcd_requested.emit(path)
