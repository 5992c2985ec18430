"""Issue 18, item 6: the scores panel reads at a glance: whole counts without decimals,
fractions as percentages, units named, metric names whole (wrapped, not cut), one
scroll bar for the panel and no table scrolling inside it; the tooltips stay."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QScrollArea

from desktop.panels.score_rows import format_value
from desktop.panels.scores_panel import ScoresPanel

RESULT = {
    "values": {
        "melody": {"EB": 0.25, "UPC": 3.0, "QN": 1.0, "pitch_class_entropy": 2.125,
                   "polyphony_rate": 0.0, "pitch_range": 8.0, "mean_pitch": 70.67, "PI": 2.23,
                   "in_scale": 1.0},
        "harmony": {"EB": 0.0, "UPC": 5.375, "QN": 0.935, "pitch_class_entropy": 2.57,
                    "polyphony_rate": 0.94, "pitch_range": 20.0, "mean_pitch": 68.0,
                    "PI": 4.58, "in_scale": 1.0},
        "bass": {"EB": 0.0, "UPC": 3.875, "QN": 1.0, "pitch_class_entropy": 2.51,
                 "polyphony_rate": 0.39, "pitch_range": 32.0, "mean_pitch": 49.7, "PI": 10.42,
                 "in_scale": 1.0},
        "pairs": {"TD melody-harmony": 0.61, "TD melody-bass": 0.66, "TD harmony-bass": 0.52},
    },
    "reference": {"melody": {"EB": 0.132, "UPC": 2.83, "pitch_range": 9.5, "mean_pitch": 70.1}},
    "originality": {"longest_shared_run": 9.0, "near_copy_phrase_rate": 0.0,
                    "phrases_checked": 2.0},
}
LYRICS = {"lines": 4.0, "bleu": float("nan"), "distinct_1": 0.885, "syllable_fit": 1.0,
          "originality_longest_shared_words": 5.0, "mean_syllables": 6.75}


def test_numbers_read_as_a_musician_reads_them():
    assert format_value("lines", 4.0) == "4"
    assert format_value("phrases_checked", 2.0) == "2"
    assert format_value("EB", 0.25) == "25 %"
    assert format_value("syllable_fit", 1.0) == "100 %"
    assert format_value("mean_pitch", 70.67) == "B4"
    assert format_value("pitch_range", 9.5) == "9.5"
    assert format_value("TD melody-bass", 0.655) == "0.66"
    assert format_value("mcd", 3.14159) == "3.14 dB"
    assert format_value("bleu", float("nan")) == "n/a"


def test_the_panel_at_dock_width_shows_whole_names_and_scrolls_once(qtbot):
    panel = ScoresPanel()
    qtbot.addWidget(panel)
    panel.resize(290, 560)  # the dock's width on a 1024x640 screen
    panel.show()
    panel.show_music(RESULT)
    panel.show_lyrics(LYRICS)
    for _ in range(3):
        QApplication.processEvents()
    # One scroll area (the panel's own) and nothing scrolling inside it.
    areas = panel.findChildren(QAbstractScrollArea)
    assert len(areas) == 1 and isinstance(areas[0], QScrollArea)
    assert not areas[0].horizontalScrollBar().isVisible()
    # Names are whole: a label either fits on one line or wraps, never cut.
    names = [w for w in panel.findChildren(QLabel) if w.isVisible() and w.text()]
    for label in names:
        one_line = label.fontMetrics().horizontalAdvance(label.text())
        assert label.wordWrap() or label.width() >= one_line or "<" in label.text(), \
            label.text()
    texts = {w.text() for w in names}
    for name in ("Pitch classes / bar", "Qualified notes", "Pitch range, semitones",
                 "Lines", "Distinct-1", "Longest shared melody run, intervals"):
        assert name in texts, name
    assert panel.shown_text("Lines") == "4"
    assert panel.shown_text("Distinct-1") == "88 %"
    assert panel.shown_text("Empty bars", "melody") == "25 %"
    assert panel.shown_text("Register", "bass") == "D3"  # MIDI 49.7: a note name
    assert panel.shown_text("melody–bass", "pairs") == "0.66"
    assert panel.shown_text("Longest shared melody run, intervals") == "9"
    assert not any(t.endswith("…") for t in texts)
    # Every cell keeps its explanation.
    assert all(cell.toolTip() for grid in panel.music_grids.values() for cell in grid.cells)
    assert panel.shown_rows() == (9 * 3 + 3 + 3, len(LYRICS))
    # Grouped by track, whole names: the groups say whose numbers they are.
    assert {"<b>Melody</b>", "<b>Harmony</b>", "<b>Bass</b>"} <= texts
