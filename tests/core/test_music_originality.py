"""Originality: longest shared melody run and near-copied phrases, checked by hand."""

from __future__ import annotations

import numpy as np

from core.model.song import Note, Song, Track
from core.music.originality import (
    OriginalityIndex,
    build_index,
    longest_shared_run,
    melody_intervals,
    originality,
)

TUNE = [60, 62, 64, 65, 67, 65, 64, 62, 60, 67, 72, 71, 72]


def melody_song(pitches, start_pitch_shift=0, step=240):
    notes = [Note(i * step, step, p + start_pitch_shift) for i, p in enumerate(pitches)]
    return Song(tracks=[Track("Melody", role="melody", notes=notes)])


def test_longest_run_counts_intervals_in_any_key_but_not_across_songs():
    index = build_index([np.array(TUNE), np.array([50, 51, 50])])
    # the tune transposed up a fourth: all 12 intervals are shared
    assert longest_shared_run(melody_intervals(np.array(TUNE) + 5), index) == 12
    # first 4 intervals of the tune, then a leap the index never saw, then 2 more
    q = melody_intervals([60, 62, 64, 65, 67, 90, 88, 86])
    assert longest_shared_run(q, index) == 4
    # song 1 ends (-1, +1) and song 2 starts (+1, -1): (-1, +1, +1) exists only across the
    # song boundary, so the longest real run is 2
    assert longest_shared_run(melody_intervals([72, 71, 72, 73]), index) == 2


def test_index_round_trips_through_npz(tmp_path):
    index = build_index([np.array(TUNE)])
    index.save(tmp_path)
    back = OriginalityIndex.load(tmp_path)
    assert back.songs == 1 and np.array_equal(back.intervals, index.intervals)


def test_song_level_originality_flags_a_copied_phrase_only():
    index = build_index([np.array(TUNE)])
    copied = melody_song(TUNE, start_pitch_shift=2)  # 13 eighths: bar 1-4 phrase, copied
    res = originality(copied, index)
    assert res["longest_shared_run"] == 12
    assert res["near_copy_phrase_rate"] == 1.0 and res["phrases_checked"] == 1
    fresh = melody_song([60, 67, 61, 70, 59, 73, 58, 72, 66, 60])
    res = originality(fresh, index)
    assert res["near_copy_phrase_rate"] == 0.0 and res["longest_shared_run"] <= 1
