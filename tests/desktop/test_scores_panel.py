"""The scores panel: music metrics beside the held-out reference (from core.metrics), lyric
metrics against a reference text, the sound's mel-cepstral distance, computed in workers;
each score explains itself in a tooltip."""

from __future__ import annotations

import math

import pytest
from generation_helpers import make_window, run_job

from core.metrics.music import song_metrics
from core.metrics.text import bleu, chrf
from core.model.song import LyricLine, Lyrics, LyricSection, Note, Song, Track
from core.scoring import reference_metrics
from desktop.controllers.history import MusicParams
from desktop.panels.scores_panel import ScoresPanel, metric_info


def test_every_metric_has_a_tooltip_saying_which_way_is_better():
    for key in ("EB", "UPC", "QN", "DP", "TD melody-harmony", "in_scale", "pitch_class_entropy",
                "polyphony_rate", "pitch_range", "mean_pitch", "PI", "bleu", "chrf", "self_bleu", "distinct_1", "distinct_2",
                "syllable_fit", "rhyme_adherence", "originality_longest_shared_words",
                "longest_shared_run", "near_copy_phrase_rate", "mcd"):
        label, tip = metric_info(key)
        assert label != key or key == "mcd", key
        assert ("Better" in tip or "count" in tip), (key, tip)
    assert metric_info("TD melody-bass")[0] == "Tonal distance"
    assert metric_info("EB")[0] == "Empty bars"


def test_panel_shows_values_beside_the_reference(qtbot):
    panel = ScoresPanel()
    qtbot.addWidget(panel)
    panel.show_music({"values": {"melody": {"EB": 0.25, "QN": 0.9}, "pairs": {"TD melody-bass":
                                                                               0.8}},
                      "reference": {"melody": {"EB": 0.13, "QN": 0.93}}})
    assert panel.shown_rows() == (3, 0)
    cell = panel.music_grids["melody"].cells[0]
    assert (cell.text, cell.ref_text) == ("25 %", "songs 13 %")
    assert (cell.value, cell.ref) == (0.25, 0.13)  # the bar: song against the songs
    assert panel.shown_text("melody–bass", "pairs") == "0.80"
    name = next(w for w in panel.music_grids["melody"].labels if w.text() == "Empty bars")
    assert "Better" in name.toolTip() and name.toolTip().startswith("EB:")


def test_scores_after_generation_are_core_metrics_and_the_training_reference(qtbot):
    window = make_window(qtbot)
    c = window.generation
    c.auto_score = True
    with qtbot.waitSignal(c.scoring_finished, timeout=60000) as done:
        run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=8, seed=12)))
    assert done.args == [True]
    expected = song_metrics(window.song)
    reference = reference_metrics()["all"]
    for track in ("melody", "bass"):
        for metric in ("EB", "UPC", "QN"):
            assert c.scores.music_value(track, metric) == pytest.approx(expected[track][metric],
                                                                        nan_ok=True)
    melody_eb = next(cell for cell in c.scores.music_grids["melody"].cells
                     if cell.toolTip().startswith("Melody: Empty bars"))
    assert melody_eb.ref_text == f"songs {reference['melody']['EB'] * 100:.0f} %"
    # Originality is shown with the music scores (index shipped beside the weights).
    assert c.scores.music_value("originality", "longest_shared_run") is not None


def test_lyric_scores_against_a_reference_text_match_sacrebleu(qtbot, tmp_path):
    lines = ["the river runs so deep tonight", "I hear it calling out my name"]
    ref = ["the river runs so wide tonight", "I hear it calling out your name"]
    notes = [Note(i * 480, 480, 60 + i % 5) for i in range(8)]
    song = Song(tracks=[Track("Voice", role="melody", notes=notes)],
                lyrics=Lyrics([LyricSection("verse", [LyricLine(t) for t in lines])]))
    window = make_window(qtbot, song)
    c = window.generation
    ref_file = tmp_path / "ref.txt"
    ref_file.write_text("\n".join(ref) + "\n", encoding="utf-8")
    with qtbot.waitSignal(c.scoring_finished, timeout=60000):
        c.scores.set_lyric_reference(str(ref_file))
    scores = c.scores
    assert scores.shown_text("BLEU") == f"{bleu(lines, ref):.1f}"
    assert scores.shown_text("chrF") == f"{chrf(lines, ref):.1f}"
    assert float(scores.shown_text("BLEU")) > 10
    assert scores.shown_text("Lines") == "2"  # a count: no decimals
    name = next(w for w in scores.lyric_grid.labels if w.text() == "BLEU")
    assert "Better" in name.toolTip()


def test_sound_distance_to_the_song_itself_is_zero_and_grows_for_another(qtbot, tmp_path):
    from core.io.midi_io import write_midi

    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=2, seed=31, tempo=140)))
    same = tmp_path / "same.mid"
    write_midi(window.song, same)
    other = tmp_path / "other.mid"
    write_midi(Song(tracks=[Track("Organ", program=19, notes=[Note(0, 3840, 40)])]), other)
    values = []
    for ref in (same, other):
        with qtbot.waitSignal(c.scores_updated, timeout=60000):
            c.scores.request_mcd(str(ref))
        values.append(float(c.scores.mcd_label.text().split(":")[1].split()[0]))
    assert values[0] == pytest.approx(0.0, abs=0.05)
    assert values[1] > 1.0 and not math.isnan(values[1])
    assert "other.mid" in c.scores.mcd_label.text()
