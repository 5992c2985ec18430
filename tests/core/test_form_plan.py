"""The generation plan (core/music/form.py), the style's progressions (progressions.py)
and the shape metrics (core/metrics/form.py)."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import SongloomError
from core.metrics.form import (
    estimate_chords,
    final_note_is_tonic,
    phrase_final_chord_tones,
    repetition_counts,
    strong_beat_chord_tones,
)
from core.model.chords import Chord, parse_chord
from core.model.pianoroll import LOWEST_PITCH
from core.model.sections import parse_form
from core.music.form import assign_chords, parse_chord_spec, plan_structure, split_phrases
from core.music.progressions import ChordTables
from core.music.sample import default_model_dir

SETTINGS = {"repeat_variation": {"exact": 0.0, "rhythm": 1.0, "ending": 0.0},
            "chorus_inner_repeat": True}


def _tables():
    tables = ChordTables.load(default_model_dir())
    assert tables is not None, "the shipped model has chord tables"
    return tables


def test_phrases_are_two_or_four_bars_with_half_cadences_inside_and_authentic_at_the_end():
    assert split_phrases(0, 8) == [(0, 4), (4, 4)]
    assert split_phrases(8, 10) == [(8, 4), (12, 4), (16, 2)]
    assert split_phrases(0, 5) == [(0, 3), (3, 2)]
    assert split_phrases(0, 4, short_song=True) == [(0, 2), (2, 2)]
    plan = plan_structure(parse_form("intro verse chorus verse chorus"), np.random.default_rng(0),
                          SETTINGS)
    cad = [[p.cadence for p in s.phrases] for s in plan.sections]
    assert cad == [["half"], ["half", "authentic"], ["half", "authentic"], ["half", "authentic"],
                   ["half", "final"]]
    assert plan.bars == 36


def test_repeats_reuse_their_first_occurrence_and_a_chorus_comes_back_whole():
    plan = plan_structure(parse_form("verse chorus verse chorus bridge chorus"),
                          np.random.default_rng(0), SETTINGS)
    s = plan.sections
    assert [x.source for x in s] == [None, None, 0, 1, None, 1]
    assert [x.variation for x in s] == ["new", "new", "rhythm", "exact", "new", "exact"]
    assert s[1].inner_repeat and not s[0].inner_repeat


def test_user_chords_fill_their_sections_or_are_refused_naming_the_length():
    plan = plan_structure(parse_form("verse chorus"), np.random.default_rng(0), SETTINGS)
    user = parse_chord_spec("verse=I vi IV V; chorus=C | F | G C | C", 0, "major")
    assign_chords(plan, 0, "major", "lieder", np.random.default_rng(0), None, user)
    names = [c.name() for c in plan.beat_chords]
    assert names[:16:4] == ["C", "Am", "F", "G"] and names[16:20] == ["C"] * 4
    assert names[40:48] == ["G", "G", "C", "C", "C", "C", "C", "C"]
    plan = plan_structure(parse_form("verse"), np.random.default_rng(0), SETTINGS)
    with pytest.raises(SongloomError, match="3 bars does not fit the 8-bar verse"):
        assign_chords(plan, 0, "major", "lieder", np.random.default_rng(0), None,
                      parse_chord_spec("I IV V", 0, "major"))
    with pytest.raises(SongloomError, match="outside C major"):
        assign_chords(plan, 0, "major", "lieder", np.random.default_rng(0), None,
                      parse_chord_spec("C D F G", 0, "major"))


@pytest.mark.parametrize("style, key, mode", [("lieder", 0, "major"), ("chorale", 2, "minor")])
def test_drawn_progressions_end_on_their_cadence_and_stay_in_the_key(style, key, mode):
    tables = _tables()
    rng = np.random.default_rng(1)
    tonic = Chord(key, "" if mode == "major" else "m")
    for _ in range(20):
        half = tables.draw_phrase(style, key, mode, 4, "half", rng)
        auth = tables.draw_phrase(style, key, mode, 4, "authentic", rng, start_on_tonic=True)
        assert len(half) == len(auth) == 8
        assert half[-1].root == half[-2].root == (key + 7) % 12
        assert auth[-1] == auth[-2] == tonic and auth[0] == tonic
        assert (auth[-3].root - key) % 12 in (7, 11)
        assert all(c.in_key(key, mode) for c in half + auth)


def test_repeated_sections_share_chords_and_the_chorus_repeats_its_opening():
    plan = plan_structure(parse_form("verse chorus verse chorus"), np.random.default_rng(3),
                          SETTINGS)
    assign_chords(plan, 7, "major", "lieder", np.random.default_rng(3), _tables())
    b = plan.beat_chords
    assert b[0:32] == b[64:96]  # verse 2
    assert b[32:64] == b[96:128]  # chorus 2, whole
    assert b[32:40] == b[48:56]  # the chorus's second phrase opens as its first
    assert b[-1] == Chord(7, "")
    events = plan.chord_events(1920)
    assert sum(e.duration for e in events) == 32 * 1920


def _roll(notes_by_track, bars):
    roll = np.zeros((3, 2, bars * 16, 84), np.uint8)
    for t, notes in enumerate(notes_by_track):
        for s, e, p in notes:
            roll[t, 0, s:e, p - LOWEST_PITCH] = 1
            roll[t, 1, s, p - LOWEST_PITCH] = 1
    return roll


def test_shape_metrics_on_a_small_made_up_song():
    # C major: melody C5 E5 | D5 rest | C5 held; bass C3 | G2 | C3; harmony E4+G4 | B3+D4 | E4+G4
    mel = [(0, 8, 72), (8, 16, 76), (16, 24, 74), (32, 48, 72)]
    bass = [(0, 16, 48), (16, 32, 43), (32, 48, 48)]
    harm = [(0, 16, 64), (0, 16, 67), (16, 32, 59), (16, 32, 62), (32, 48, 64), (32, 48, 67)]
    roll = _roll([mel, harm, bass], 3)
    chords = estimate_chords(roll)
    assert [c.name() for c in chords] == ["C", "C", "G", "G", "C", "C"]
    assert strong_beat_chord_tones(roll) == (4, 4)
    assert phrase_final_chord_tones(roll) == (2, 2)  # D5 before the rest, and the last C5
    assert final_note_is_tonic(roll, 0) is True and final_note_is_tonic(roll, 7) is False
    reps = repetition_counts(roll)
    assert reps[1].tolist() == [1, 2, 2, 3]  # bar 3 = bar 1; bar 2 a minor third, moved
    assert reps[2].tolist() == [1, 2, 2, 3]  # bass G2 bar: bar 1 transposed


def test_chord_spec_text_forms():
    spec = parse_chord_spec("I vi IV V", 0, "major")
    assert list(spec) == ["*"] and [b[0] for b in spec["*"]] == [
        parse_chord(x, 0) for x in ("C", "Am", "F", "G")]
    with pytest.raises(SongloomError, match="unknown section 'hook'"):
        parse_chord_spec("hook=I V", 0, "major")
