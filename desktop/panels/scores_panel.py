"""The scores panel (right dock): music metrics beside the training-data reference, lyric
metrics against a chosen reference text, and the mel-cepstral distance of the song's
audio against a chosen WAV or MIDI.

A plain widget: it shows the dicts the controller hands it (computed in workers by
core.metrics) and asks for work through signals. Every score has a tooltip saying what
it measures and which way is better. Laid out to be read at a glance (score_rows.py):
one row per metric with a column per track, percentages, whole counts and units, full
names that wrap, and one scroll bar for the whole panel (tables used to scroll inside it,
six rows at a time, with names cut to "Pitch classe…").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import translate
from desktop.panels.score_rows import (
    TRACK_ORDER,
    ScoreCell,
    ScoreGrid,
    format_value,
    label_with_unit,
    value_label,
)
from desktop.widgets.scroll_page import fill_with_scroll

TRACK_TITLES = (QT_TRANSLATE_NOOP("Scores", "Melody"), QT_TRANSLATE_NOOP("Scores", "Harmony"),
                QT_TRANSLATE_NOOP("Scores", "Bass"), QT_TRANSLATE_NOOP("Scores", "Drums"),
                QT_TRANSLATE_NOOP("Scores", "Other"))  # (shown for the tracks' roles)
PANEL_WIDTH = 316  # the dock's starting width, as the Generate panel's

# (label, what it measures, which way is better), matched on the metric key.
CLOSER = QT_TRANSLATE_NOOP(
    "Scores", "Better: close to the reference (the training data's value).")
# (translated where they are shown: metric_info)
METRIC_INFO: dict[str, tuple[str, str, str]] = {
    "eb": (
        QT_TRANSLATE_NOOP("Scores", "Empty bars"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of bars with no note in this track (Dong et al. 2018, MuseGAN)."),
        CLOSER),
    "upc": (
        QT_TRANSLATE_NOOP("Scores", "Pitch classes / bar"),
        QT_TRANSLATE_NOOP("Scores", "Used pitch classes per bar, 0-12 (MuseGAN)."),
        CLOSER),
    "qn": (
        QT_TRANSLATE_NOOP("Scores", "Qualified notes"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of notes at least an eighth note long, not fragments (MuseGAN)."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher, up to the reference.")),
    "dp": (
        QT_TRANSLATE_NOOP("Scores", "Drum pattern"),
        QT_TRANSLATE_NOOP("Scores", "Fraction of drum notes on an 8th/16th grid (MuseGAN)."),
        QT_TRANSLATE_NOOP("Scores",
            "Better: high; 0.9 or more for straight pop, rock and electronic grooves.")),
    "td_": (
        QT_TRANSLATE_NOOP("Scores", "Tonal distance"),
        QT_TRANSLATE_NOOP("Scores",
            "Harmonic distance between two tracks in tonal space (Harte et al. 2006)."),
        QT_TRANSLATE_NOOP("Scores",
            "Better: lower means the tracks agree harmonically; close to the reference.")),
    "in_scale": (
        QT_TRANSLATE_NOOP("Scores", "In scale"),
        QT_TRANSLATE_NOOP("Scores", "Fraction of notes in the song's key."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher.")),
    "pitch_class_entropy": (
        QT_TRANSLATE_NOOP("Scores", "Pitch-class entropy"),
        QT_TRANSLATE_NOOP("Scores", "Entropy of the pitch-class histogram, bits (muspy)."),
        CLOSER),
    "polyphony": (
        QT_TRANSLATE_NOOP("Scores", "Polyphony"),
        QT_TRANSLATE_NOOP("Scores", "Fraction of time steps sounding more than one pitch."),
        CLOSER),
    "pitch_range": (
        QT_TRANSLATE_NOOP("Scores", "Pitch range"),
        QT_TRANSLATE_NOOP("Scores",
            "Highest minus lowest pitch, semitones, per phrase (muspy)."),
        CLOSER),
    "mean_pitch": (
        QT_TRANSLATE_NOOP("Scores", "Register"),
        QT_TRANSLATE_NOOP("Scores",
            "Mean MIDI pitch of the track's sounding notes (60 = middle C)."),
        CLOSER),
    "pi": (
        QT_TRANSLATE_NOOP("Scores", "Pitch interval"),
        QT_TRANSLATE_NOOP("Scores",
            "Mean leap between consecutive notes of the top line, semitones (Yang & Lerch "
            "2020)."),
        CLOSER),
    "bleu": (
        QT_TRANSLATE_NOOP("Scores", "BLEU"),
        QT_TRANSLATE_NOOP("Scores",
            "Word n-gram overlap with the reference text (Papineni et al. 2002, sacrebleu)."),
        QT_TRANSLATE_NOOP("Scores",
            "Better: higher when you want to stay close to the reference.")),
    "chrf": (
        QT_TRANSLATE_NOOP("Scores", "chrF"),
        QT_TRANSLATE_NOOP("Scores",
            "Character n-gram F-score against the reference (Popović 2015)."),
        QT_TRANSLATE_NOOP("Scores",
            "Better: higher when you want to stay close to the reference.")),
    "self_bleu": (
        QT_TRANSLATE_NOOP("Scores", "Self-BLEU (drafts)"),
        QT_TRANSLATE_NOOP("Scores",
            "BLEU of each lyric draft of this session against the others (Zhu et al. 2018)."),
        QT_TRANSLATE_NOOP("Scores", "Better: lower means more diverse drafts.")),
    "distinct_1": (
        QT_TRANSLATE_NOOP("Scores", "Distinct-1"),
        QT_TRANSLATE_NOOP("Scores", "Unique words / all words (Li et al. 2016)."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher means more varied words.")),
    "distinct_2": (
        QT_TRANSLATE_NOOP("Scores", "Distinct-2"),
        QT_TRANSLATE_NOOP("Scores", "Unique word pairs / all pairs (Li et al. 2016)."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher means more varied phrasing.")),
    "syllable_fit": (
        QT_TRANSLATE_NOOP("Scores", "Syllable fit"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of lines whose syllables fit the melody's notes (±1)."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher.")),
    "rhyme_adherence": (
        QT_TRANSLATE_NOOP("Scores", "Rhyme adherence"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of the scheme's rhyme pairs that rhyme (CMU dictionary)."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher.")),
    # Chinese lines (core.scoring.zh_lyrics_scores)
    "length_fit": (
        QT_TRANSLATE_NOOP("Scores", "Line-length fit"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of lines with exactly the characters of their pattern line or melody "
            "phrase (one character per note)."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher.")),
    "rhyme_adherence_zh": (
        QT_TRANSLATE_NOOP("Scores", "Rhyme adherence"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of the rhyming lines whose last character's pinyin final is in their "
            "rhyme group (中华新韵)."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher.")),
    "tone_fit": (
        QT_TRANSLATE_NOOP("Scores", "Tone fit (平仄)"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of the tune pattern's firm level/oblique positions the lines follow."),
        QT_TRANSLATE_NOOP("Scores", "Better: higher.")),
    "bleu_zh": (
        QT_TRANSLATE_NOOP("Scores", "BLEU"),
        QT_TRANSLATE_NOOP("Scores",
            "Character n-gram overlap with the reference text (sacrebleu, Chinese tokenizer)."),
        QT_TRANSLATE_NOOP("Scores",
            "Better: higher when you want to stay close to the reference.")),
    "longest_shared_chars": (
        QT_TRANSLATE_NOOP("Scores", "Longest shared characters"),
        QT_TRANSLATE_NOOP("Scores",
            "Longest run of characters shared with the Chinese model's training texts "
            "(0: none longer than 5)."),
        QT_TRANSLATE_NOOP("Scores", "Better: lower means nothing was copied.")),
    "lines_with_run_over_5": (
        QT_TRANSLATE_NOOP("Scores", "Lines sharing over 5 characters"),
        QT_TRANSLATE_NOOP("Scores",
            "Lines with a run of more than 5 characters found in the training texts."),
        QT_TRANSLATE_NOOP("Scores", "Better: 0.")),
    "copied_whole_lines": (
        QT_TRANSLATE_NOOP("Scores", "Copied lines"),
        QT_TRANSLATE_NOOP("Scores",
            "Lines that are whole lines of the training texts (a famous line copied)."),
        QT_TRANSLATE_NOOP("Scores", "Better: 0.")),
    "originality_longest_shared_words": (
        QT_TRANSLATE_NOOP("Scores", "Longest shared words"),
        QT_TRANSLATE_NOOP("Scores",
            "Longest run of words shared with the lyric model's training texts."),
        QT_TRANSLATE_NOOP("Scores", "Better: lower means nothing was copied.")),
    "longest_shared_run": (
        QT_TRANSLATE_NOOP("Scores", "Longest shared melody run"),
        QT_TRANSLATE_NOOP("Scores",
            "Longest run of melody intervals shared with any training phrase."),
        QT_TRANSLATE_NOOP("Scores", "Better: lower means less copied.")),
    "near_copy_phrase_rate": (
        QT_TRANSLATE_NOOP("Scores", "Near-copied phrases"),
        QT_TRANSLATE_NOOP("Scores",
            "Fraction of 4-bar phrases that nearly copy a training phrase."),
        QT_TRANSLATE_NOOP("Scores", "Better: 0.")),
    "phrases_checked": (
        QT_TRANSLATE_NOOP("Scores", "Phrases checked"),
        QT_TRANSLATE_NOOP("Scores", "4-bar melody phrases checked for copying."),
        QT_TRANSLATE_NOOP("Scores", "A count, not a score.")),
    "mean_syllables": (
        QT_TRANSLATE_NOOP("Scores", "Syllables per line"),
        QT_TRANSLATE_NOOP("Scores", "Mean sung syllables per line."),
        QT_TRANSLATE_NOOP("Scores", "Compare with the melody's notes per phrase.")),
    "lines": (
        QT_TRANSLATE_NOOP("Scores", "Lines"),
        QT_TRANSLATE_NOOP("Scores", "Number of lyric lines scored."),
        QT_TRANSLATE_NOOP("Scores", "A count, not a score.")),
    "mcd": (
        QT_TRANSLATE_NOOP("Scores", "Mel-cepstral distance"),
        QT_TRANSLATE_NOOP("Scores",
            "Distance of the MFCCs of the two audio clips after DTW alignment, dB (Kubichek "
            "1993)."),
        QT_TRANSLATE_NOOP("Scores", "Better: lower means it sounds more alike.")),
}


def metric_info(key: str) -> tuple[str, str]:
    """(label, tooltip) for a metric key such as 'EB', 'qn_rate' or 'distinct-2'."""
    k = key.lower().replace("-", "_").replace(" ", "_")
    if k == "td" or k.startswith("td_"):
        k = "td_"
    for pattern in sorted(METRIC_INFO, key=len, reverse=True):
        if k == pattern or k.startswith(pattern + "_"):
            label, what, better = (translate("Scores", t) for t in METRIC_INFO[pattern])
            return label, f"{what}\n{better}"
    return key, key


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


def _cell(metric: str, value, ref, tip: str) -> ScoreCell:
    def number(v):
        try:
            return None if v is None else float(v)
        except (TypeError, ValueError):
            return None

    ref_text = "" if ref is None else translate(
        "Scores", "songs {value}").format(value=format_value(metric, ref))
    return ScoreCell(format_value(metric, value), ref_text, number(value), number(ref), tip)


def reference_value(reference: dict, track: str, metric: str):
    group = reference.get(track) if track else reference
    if isinstance(group, dict):
        return group.get(metric)
    return None


class ScoresPanel(QWidget):
    score_requested = Signal()
    lyric_reference_chosen = Signal(str)
    mcd_requested = Signal(str)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        # The dock's width: its content fits (no sideways scrolling) and on a 1024-pixel
        # screen the piano roll keeps the larger share; the user may widen the dock.
        return QSize(PANEL_WIDTH, super().sizeHint().height())

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ScoresPanel")
        self.lyric_reference: str = ""
        self.audio_reference: str = ""
        inner = QWidget()
        col = QVBoxLayout(inner)
        top = QHBoxLayout()
        self.score_button = QPushButton(translate("Scores", "Score now"))
        self.score_button.setToolTip(translate(
            "Scores", "Compute the scores of the current song and lyrics"))
        self.score_button.clicked.connect(self.score_requested)
        self.status = QLabel(translate("Scores", "Scores appear after each generation"))
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.score_button)
        top.addWidget(self.status, 1)
        col.addLayout(top)

        music = QGroupBox(translate("Scores", "Music: song vs. training songs"))
        music.setToolTip(translate(
            "Scores", "Each value: this song's on top, the training songs' under it; the bar "
            "shows the song (blue) against them (orange)."))
        self.music_col = QVBoxLayout(music)
        self.music_empty = QLabel(translate(
            "Scores", "Generate or score a song to see its music scores."))
        self.music_empty.setWordWrap(True)
        self.music_col.addWidget(self.music_empty)
        # One titled group per track (then the pairs and originality), each a grid of
        # name | value: stacked, so the names keep the dock's width and nothing is cut.
        self.music_grids: dict[str, ScoreGrid] = {}
        self._music_headers: list[QLabel] = []
        col.addWidget(music)

        lyrics = QGroupBox(translate("Scores", "Lyrics"))
        lcol = QVBoxLayout(lyrics)
        ref_row = QHBoxLayout()
        self.lyric_ref_button = QPushButton(translate("Scores", "Reference text…"))
        self.lyric_ref_button.setToolTip(translate(
            "Scores", "Your own lyrics or an earlier draft, for BLEU and chrF"))
        self.lyric_ref_button.clicked.connect(self._choose_lyric_reference)
        self.lyric_ref_label = QLabel(translate("Scores", "none"))
        ref_row.addWidget(self.lyric_ref_button)
        ref_row.addWidget(self.lyric_ref_label, 1)
        self.lyric_grid = ScoreGrid()
        lcol.addLayout(ref_row)
        lcol.addWidget(self.lyric_grid)
        col.addWidget(lyrics)

        audio = QGroupBox(translate("Scores", "Sound"))
        acol = QHBoxLayout(audio)
        self.mcd_button = QPushButton(translate("Scores", "Compare with…"))
        self.mcd_button.setToolTip(translate(
            "Scores", "Mel-cepstral distance of the song's sound to a WAV or MIDI"))
        self.mcd_button.clicked.connect(self._choose_audio_reference)
        self.mcd_label = QLabel(translate("Scores", "MCD: —"))
        self.mcd_label.setToolTip(metric_info("mcd")[1])
        acol.addWidget(self.mcd_button)
        acol.addWidget(self.mcd_label, 1)
        col.addWidget(audio)
        col.addStretch(1)

        fill_with_scroll(self, inner)
        self._music_rows: list[tuple[str, str, float, float | None]] = []

    # -- showing results ------------------------------------------------------------------
    def show_music(self, result: dict) -> None:
        values, reference = result.get("values", {}), result.get("reference", {}) or {}
        rows = [(t, m, v, reference_value(reference, t, m)) for t, m, v in flatten(values)]
        for key, value in (result.get("originality") or {}).items():
            if isinstance(value, int | float):  # the melody's, in a group of its own
                rows.append(("originality", key, value, None))
        self._music_rows = rows
        tracks = [t for t in TRACK_ORDER if any(r[0] == t for r in rows)] + sorted(
            {r[0] for r in rows} - set(TRACK_ORDER) - {"pairs", "originality", ""})
        groups = []
        for track in tracks:
            title = translate("Scores", track.capitalize())
            groups.append((track, title, [
                (label_with_unit(metric_info(m)[0], m), f"{m}: {metric_info(m)[1]}",
                 [_cell(m, v, r, f"{title}: {metric_info(m)[0]}\n"
                                 f"{metric_info(m)[1]}")])
                for t, m, v, r in rows if t == track]))
        groups.append(("pairs", translate("Scores", "Tonal distance between parts"), [
            (m.split(" ", 1)[-1].replace("-", "–"), f"{m}: {metric_info(m)[1]}",
             [_cell(m, v, r, metric_info(m)[1])]) for t, m, v, r in rows if t == "pairs"]))
        groups.append(("originality", translate("Scores", "Originality of the melody"), [
            (label_with_unit(metric_info(m)[0], m), f"{m}: {metric_info(m)[1]}",
             [value_label(format_value(m, v), metric_info(m)[1])])
            for t, m, v, _ in rows if t == "originality"]))
        self._show_groups([g for g in groups if g[2]])
        if result.get("note"):
            self.status.setText(result["note"])

    def music_value(self, track: str, metric: str) -> float | None:
        return next((v for t, m, v, _ in self._music_rows if t == track and m == metric), None)

    def _show_groups(self, groups: list[tuple[str, str, list]]) -> None:
        for widget in [*self._music_headers, *self.music_grids.values()]:
            self.music_col.removeWidget(widget)
            widget.setParent(None)
            widget.deleteLater()
        self._music_headers, self.music_grids = [], {}
        self.music_empty.setVisible(not groups)
        for key, title, rows in groups:
            header = QLabel(f"<b>{title}</b>")
            header.setWordWrap(True)
            grid = ScoreGrid()
            grid.set_rows([], rows)
            self.music_col.addWidget(header)
            self.music_col.addWidget(grid)
            self._music_headers.append(header)
            self.music_grids[key] = grid

    def shown_text(self, label: str, group: str = "") -> str | None:
        """The value shown beside the row named ``label`` in ``group`` (a track, "pairs",
        "originality"; "" = the first group that has it, lyrics last): what a user reads.
        For tests and the self-test."""
        grids = [self.music_grids[group]] if group else [*self.music_grids.values(),
                                                         self.lyric_grid]
        for grid in grids:
            layout = grid.grid
            for r in range(layout.rowCount()):
                name = layout.itemAtPosition(r, 0)
                if name is None or name.widget().text() != label:
                    continue
                cell = layout.itemAtPosition(r, 1)
                w = cell.widget() if cell is not None else None
                return None if w is None else w.text if isinstance(w, ScoreCell) else w.text()
        return None

    def shown_rows(self) -> tuple[int, int]:
        """How many music and lyric metrics are on screen."""
        return (sum(len(g.labels) for g in self.music_grids.values()), len(self.lyric_grid.labels))

    def show_lyrics(self, scores: dict) -> None:
        rows = [(k, v) for k, v in scores.items() if isinstance(v, int | float)]
        self.lyric_grid.set_rows([], [
            (label_with_unit(metric_info(k)[0], k), f"{k}: {metric_info(k)[1]}",
             [value_label(format_value(k, v), metric_info(k)[1])]) for k, v in rows])

    def show_mcd(self, value: float) -> None:
        name = Path(self.audio_reference).name if self.audio_reference \
            else translate("Scores", "reference")
        self.mcd_label.setText(translate(
            "Scores", "MCD vs {name}: {value:.2f} dB").format(name=name, value=value))
        self.mcd_label.setToolTip(metric_info("mcd")[1])

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_busy(self, busy: bool) -> None:
        self.score_button.setEnabled(not busy)
        self.mcd_button.setEnabled(not busy)

    # -- choosing references --------------------------------------------------------------
    def _choose_lyric_reference(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("Scores", "Reference lyrics"), "",
                                              translate("Scores", "Text (*.txt *.lrc);;All files "
                                                                  "(*)"))
        if path:
            self.set_lyric_reference(path)

    def set_lyric_reference(self, path: str) -> None:
        self.lyric_reference = path
        self.lyric_ref_label.setText(Path(path).name if path else translate("Scores", "none"))
        self.lyric_reference_chosen.emit(path)

    def _choose_audio_reference(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate(
                "Scores", "Reference sound"), "", translate("Scores", "Audio or MIDI (*.wav *.flac "
                                                                      "*.mid *.midi *.kar)"))
        if path:
            self.request_mcd(path)

    def request_mcd(self, path: str) -> None:
        self.audio_reference = path
        self.mcd_requested.emit(path)
