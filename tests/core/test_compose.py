"""Songs with a form from the shipped model: what a songwriter must hear (compose.py)."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import SongloomError
from core.model.pianoroll import song_to_roll
from core.music import shaping
from core.music.sample import load_generator


@pytest.fixture(scope="module")
def gen():
    return load_generator()


def _bar_notes(track, bar, tpb=1920):
    return [n for n in track.notes if bar * tpb <= n.start < (bar + 1) * tpb]


@pytest.fixture(scope="module")
def song(gen):
    return gen.generate(form="verse:4 chorus:8 verse:4 chorus:8", seed=5, key=2, mode="major",
                        style="lieder")[0]


def test_the_song_carries_its_sections_and_chords(song):
    tpb = song.ticks_per_bar()
    assert [(s.name, s.start // tpb, s.duration // tpb) for s in song.sections] == [
        ("verse", 0, 4), ("chorus", 4, 8), ("verse", 12, 4), ("chorus", 16, 8)]
    assert song.chords[0].start == 0 and song.chords[-1].end == 24 * tpb
    assert all(a.end == b.start for a, b in zip(song.chords, song.chords[1:], strict=False))
    assert all(e.chord.in_key(2, "major") for e in song.chords)
    assert song.bar_count() == 24


def test_the_chorus_comes_back_whole_and_repeats_its_opening_within_itself(song):
    roll = song_to_roll(song, 24)
    first, second = roll[:, :, 4 * 16:12 * 16], roll[:, :, 16 * 16:24 * 16]
    # whole, except the song's last bar, which resolves
    assert np.array_equal(first[:, :, :7 * 16], second[:, :, :7 * 16])
    # the chorus's second phrase opens with its first phrase's first two bars (the melody)
    assert np.array_equal(roll[0, :, 4 * 16:6 * 16], roll[0, :, 8 * 16:10 * 16])


def test_the_last_bar_resolves_and_holds(song):
    mel, _, bass = (song.track_by_role(r) for r in ("melody", "harmony", "bass"))
    last = 23 * 1920
    m = [n for n in mel.notes if n.end > last]
    b = [n for n in bass.notes if n.end > last]
    assert len(m) == 1 and m[0].pitch % 12 == 2 and m[0].start == last and m[0].end == 24 * 1920
    assert len(b) == 1 and b[0].pitch % 12 == 2 and b[0].end == 24 * 1920


def test_every_part_plays_in_every_bar_and_no_note_outlasts_a_bar(gen):
    for style, key, mode in (("lieder", 0, "major"), ("chorale", 9, "minor")):
        s = gen.generate(bars=8, seed=11, key=key, mode=mode, style=style)[0]
        for t in s.tracks:
            assert all(_bar_notes(t, b) or any(n.start < b * 1920 < n.end for n in t.notes)
                       for b in range(8)), (style, t.role)
            assert max(n.duration for n in t.notes) <= 1920, (style, t.role)


def test_phrases_end_on_a_held_cadence_note_then_breathe(gen):
    s = gen.generate(bars=8, seed=2, key=0, style="lieder")[0]
    mel = s.track_by_role("melody")
    cadence_bar = [n for n in mel.notes if 3 * 1920 <= n.start < 4 * 1920]
    assert len(cadence_bar) == 1 and cadence_bar[0].start == 3 * 1920
    assert cadence_bar[0].pitch % 12 in (7, 11, 2)  # a tone of V at the half cadence
    assert cadence_bar[0].duration >= 960 and cadence_bar[0].end <= 4 * 1920 - 480  # breath
    downbeats = [n for n in mel.notes if n.start % 1920 == 0]
    assert downbeats, "the melody sings on downbeats"


def test_same_request_same_song_and_bad_input_is_one_clear_error(gen):
    a = gen.generate(form="AABA", seed=3, style="chorale")[0]
    b = gen.generate(form="AABA", seed=3, style="chorale")[0]
    assert [n.pitch for t in a.tracks for n in t.notes] == [n.pitch for t in b.tracks for n in t.notes]
    assert a.bar_count() == 32
    for kwargs, needle in (({"form": "sonata"}, "unknown form 'sonata'"),
                           ({"form": "verse", "chords": "I IV V"}, "does not fit the 8-bar verse"),
                           ({"form": "verse", "chords": "C D F G"}, "outside C major"),
                           ({"form": "verse", "chords": "C Xm F G"}, "unknown chord symbol 'Xm'"),
                           ({"form": "verse", "bars": 4}, "lasts 8 bars, not 4")):
        with pytest.raises(SongloomError, match=needle):
            gen.generate(**kwargs)


def test_user_chords_are_what_the_parts_play_on_strong_beats(gen):
    s = gen.generate(form="verse:4", chords="Am F C G", seed=1, key=0, style="lieder")[0]
    assert [e.chord.name() for e in s.chords] == ["Am", "F", "C", "G"]
    bass = s.track_by_role("bass")
    for bar, root in enumerate((9, 5, 0, 7)):
        assert {n.pitch % 12 for n in bass.notes if n.start == bar * 1920} == {root}


def test_regenerating_one_track_keeps_the_others_and_follows_a_changed_chord(gen):
    from core.model.chords import parse_chord
    from core.music.compose import regenerate_track

    s = gen.generate(form="verse:4", chords="C Am F G", seed=4, style="lieder")[0]
    s.chords[2].chord = parse_chord("Dm")  # the user edits bar 3
    out = regenerate_track(gen, s, "bass", seed=9, style="lieder")
    for role in ("melody", "harmony"):
        assert out.track_by_role(role).notes == s.track_by_role(role).notes
    bass = out.track_by_role("bass")
    downbeat = [n.pitch for n in bass.notes if n.start == 2 * 1920]
    # D in the bass (the piano's left hand may add the chord's other tones above it)
    assert min(downbeat) % 12 == 2 and {p % 12 for p in downbeat} <= {2, 5, 9}


def test_split_long_notes_and_fill_empty_bars():
    notes = shaping.split_long_notes([[4, 40, 30]])
    assert notes == [[4, 16, 30], [16, 32, 30], [32, 40, 30]]
    from core.model.chords import Chord

    chords = [Chord(0)] * 4 + [Chord(7)] * 4 + [Chord(5)] * 4
    filled = shaping.fill_empty_bars([[0, 8, 24], [8, 16, 28]], [0, 1, 2], chords, None, 24)
    assert [n[:2] for n in filled] == [[0, 8], [8, 16], [16, 24], [24, 32], [32, 40], [40, 48]]
    assert all((filled[i][2] + 24) % 12 in (7, 11, 2) for i in (2, 3))


def test_the_generator_s_own_regenerate_follows_a_song_s_chords(gen):
    """The app calls MusicGenerator.regenerate_track: with chords in the song it goes
    through the composer, so the new track follows them."""
    from core.model.chords import parse_chord

    s = gen.generate(form="verse:4", chords="C Am F G", seed=4, style="lieder")[0]
    s.chords[1].chord = parse_chord("Em")
    out = gen.regenerate_track(s, "bass", seed=2, style="lieder")
    assert {n.pitch % 12 for n in out.track_by_role("bass").notes if n.start == 1920} == {4}
    assert out.track_by_role("melody").notes == s.track_by_role("melody").notes


def test_a_returning_chorus_repeats_within_itself_as_it_did(gen):
    s = gen.generate(form="verse-chorus", seed=1, key=0, style="lieder")[0]
    roll = song_to_roll(s, 32)
    first, second = roll[:, :, 8 * 16:16 * 16], roll[:, :, 24 * 16:32 * 16]
    assert np.array_equal(first[:, :, :7 * 16], second[:, :, :7 * 16])
