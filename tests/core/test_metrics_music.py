"""Music metrics against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.metrics import music as mm
from core.model.pianoroll import LOWEST_PITCH
from core.model.song import Note, Song, Track

C4, E4, G4, D4, CS4 = (p - LOWEST_PITCH for p in (60, 64, 67, 62, 61))


def empty(bars=4):
    return np.zeros((bars * 16, 84), np.uint8)


def test_empty_bar_rate_is_the_empty_fraction_not_pypianoroll_s_non_empty_one():
    s = empty(4)
    s[0:4, C4] = 1  # only bar 1 plays
    assert mm.empty_bar_rate([s]) == 0.75  # pypianoroll's "empty_bar_rate" would say 0.25
    assert mm.empty_bar_rate([empty(2)]) == 1.0
    assert math.isnan(mm.empty_bar_rate([]))


def test_used_pitch_classes_counts_classes_per_non_empty_bar():
    s = empty(3)
    s[0:4, [C4, E4, G4, C4 + 12]] = 1  # bar 1: C E G and C an octave up -> 3 classes
    s[16:20, D4] = 1  # bar 2: D -> 1 class; bar 3 empty, ignored
    assert mm.used_pitch_classes([s]) == 2.0


def test_qualified_note_rate_counts_notes_of_an_eighth_or_longer():
    s, on = empty(1), empty(1)
    s[0:1, C4] = 1  # a 16th
    s[2:4, D4] = 1  # an eighth
    s[4:8, E4] = 1  # a quarter, then re-struck: two notes of 2 steps each
    on[6, E4] = 1
    # notes: 1, 2, 2, 2 steps -> 3 of 4 qualify
    assert mm.qualified_note_rate([(s, on)]) == 0.75
    assert mm.qualified_note_rate([(s, on)], min_steps=3) == 0.0


def test_tonal_distance_matches_harte_centroids_by_hand():
    a, b = empty(1), empty(1)
    a[:, C4] = 1
    b[:, G4] = 1
    # Centroid of C: (0, 1, 0, 1, 0, 0.5); of G (pc 7): (sin 49pi/6, cos 49pi/6,
    # sin 21pi/2, cos 21pi/2, .5 sin 14pi/3, .5 cos 14pi/3) = (.5, .866, 1, 0, .433, -.25)
    expected = math.sqrt(0.5**2 + (1 - math.sqrt(3) / 2) ** 2 + 1 + 1
                         + (0.5 * math.sqrt(3) / 2) ** 2 + 0.75**2)
    assert mm.tonal_distance([(a, b)]) == pytest.approx(expected, abs=1e-9)
    assert mm.tonal_distance([(a, a)]) == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(mm.tonal_distance([(a, empty(1))]))


def test_in_scale_entropy_and_polyphony():
    s = empty(1)
    s[0:2, C4] = 1
    s[2, CS4] = 1
    s[3, E4] = 1
    assert mm.in_scale_rate([s], 0, "major") == 0.75  # C#, 1 of 4 note-steps, is outside
    assert mm.in_scale_rate([s], 2, "major") == 0.5  # D major: C is out, C# and E are in
    two = empty(1)
    two[0:4, C4] = 1
    two[4:8, G4] = 1
    assert mm.pitch_class_entropy([two]) == pytest.approx(1.0)  # two equal classes: 1 bit
    p = empty(1)
    p[0:4, C4] = 1
    p[3, E4] = 1
    assert mm.polyphony_rate([p]) == 0.25  # 1 of 4 sounding steps has two pitches


def test_drum_pattern_rate_on_ticks():
    drums = Track("Drums", role="drums", is_drum=True, channel=9,
                  notes=[Note(t, 60, 36) for t in (0, 120, 180, 250)])
    song = Song(tracks=[drums])
    # 0 and 120 are on 16th lines; 250 is 10 ticks off (tolerance 20); 180 is 60 off
    assert mm.drum_pattern_rate(song) == 0.75
    assert math.isnan(mm.drum_pattern_rate(Song()))


def test_song_metrics_reports_per_track_and_pairs():
    mel = Track("Melody", role="melody", notes=[Note(0, 480, 72), Note(480, 480, 74)])
    bass = Track("Bass", role="bass", notes=[Note(0, 1920, 48)])
    m = mm.song_metrics(Song(tracks=[mel, bass]))
    assert m["melody"]["EB"] == 0.0 and m["melody"]["UPC"] == 2.0
    assert m["melody"]["in_scale"] == 1.0
    assert math.isnan(m["harmony"]["EB"]) is False and m["harmony"]["EB"] == 1.0
    assert set(m["pairs"]) == {"TD melody-harmony", "TD melody-bass", "TD harmony-bass"}
    assert math.isnan(m["pairs"]["TD melody-harmony"])


def test_pitch_range_is_highest_minus_lowest_per_roll_averaged():
    a, b = empty(1), empty(1)
    a[0:4, C4] = 1
    a[4:8, G4 + 12] = 1  # C4 .. G5: 19 semitones
    b[0:8, D4] = 1  # one pitch: 0
    assert mm.pitch_range([a, b]) == 9.5
    assert math.isnan(mm.pitch_range([empty(1)]))
    song = empty(8)  # a song is measured per 4-bar phrase: 2 and 12, not 12 over 8 bars
    song[0:4, [C4, D4]] = 1
    song[64:68, [C4, C4 + 12]] = 1
    assert mm.pitch_range([song]) == 7.0


def test_mean_pitch_weights_by_duration():
    s = empty(1)
    s[0:12, C4] = 1  # three quarters of C4 (60)
    s[12:16, C4 + 12] = 1  # one quarter of C5 (72)
    assert mm.mean_pitch([s]) == 63.0


def test_pitch_interval_follows_the_top_line_of_struck_notes():
    s, on = empty(1), empty(1)
    for start, pitch in ((0, C4), (4, E4), (8, C4), (12, G4)):
        s[start:start + 4, pitch] = 1
        on[start, pitch] = 1
    s[0:8, C4 - 12] = 1  # a lower held note under the line is not the top line
    on[0, C4 - 12] = 1
    assert mm.pitch_interval([(s, on)]) == (4 + 4 + 7) / 3
    assert math.isnan(mm.pitch_interval([(empty(1), empty(1))]))
