"""Syllable counts, hyphenation, melody phrases and lyric alignment (what a singer sees)."""

from __future__ import annotations

import pytest

from core.lyrics.syllables import (
    align_lyrics,
    count_syllables,
    melody_phrases,
    melody_syllable_targets,
    syllabify,
)
from core.model.song import Note, Song, Track


@pytest.mark.parametrize("text,expected", [
    ("Beautiful dreamer, wake unto me", 9),
    ("The rain is falling on the river", 9),
    ("O'er the hills and far away", 7),
    ("", 0),
    ("Zorblaxing glimmerfroth", 6),  # unknown words: counted from spelling
    ("I loved her", 3),
])
def test_count_syllables(text, expected):
    assert count_syllables(text) == expected


def test_syllabify_splits_words_into_sung_syllables():
    syls = syllabify("Beautiful dreamer")
    assert [s.text for s in syls] == ["Beau", "ti", "ful", "dream", "er"]
    assert [s.word_end for s in syls] == [False, False, True, False, True]
    for line in ["Everybody wants the morning", "Hallelujah, remember the fire"]:
        syls = syllabify(line)
        assert len(syls) == count_syllables(line)
        assert "".join(s.text for s in syls) == line.replace(" ", "").replace(",", "")


def _melody(groups):
    """Notes in groups separated by a beat of rest; each group is one phrase."""
    notes, t = [], 0
    for n in groups:
        for _ in range(n):
            notes.append(Note(t, 240, 60))
            t += 240
        t += 480
    return Song(tracks=[Track("Voice", role="melody", notes=notes), Track("Bass", role="bass", notes=[Note(0, 960, 40)])])


def test_melody_phrases_give_syllable_targets():
    assert melody_syllable_targets(_melody([5, 7, 6])) == [5, 7, 6]
    long = _melody([30])
    assert all(len(p) <= 16 for p in melody_phrases(long))
    assert sum(melody_syllable_targets(long)) == 30
    assert melody_syllable_targets(Song()) == []


def test_align_puts_each_syllable_on_a_note_onset_with_melisma():
    song = _melody([4, 6])
    out = align_lyrics(song, ["Beautiful day", "I sing to you"], section="verse")
    assert song.lyrics.is_empty()  # the input song is not changed
    onsets = [[n.start for n in p] for p in melody_phrases(song)]
    first, second = out.lyrics.lines()
    assert [s.tick for s in first.syllables] == onsets[0]  # 4 syllables on 4 notes
    # 4 syllables on 6 notes: the last syllable is held over the remaining notes.
    assert [s.tick for s in second.syllables] == onsets[1][:4]
    assert out.lyrics.sections[0].name == "verse"


def test_aligned_lyrics_survive_a_midi_round_trip(tmp_path):
    from core.io.midi_io import read_midi, write_midi

    song = align_lyrics(_melody([4, 5]), ["Beautiful day", "rain is on the sea"])
    write_midi(song, tmp_path / "s.mid")
    back = read_midi(tmp_path / "s.mid")
    assert [s.text for s in back.lyrics.syllables()] == [s.text for s in song.lyrics.syllables()]
    assert [s.tick for s in back.lyrics.syllables()] == [s.tick for s in song.lyrics.syllables()]


def test_cmu_dictionary_loads_in_chunks(monkeypatch):
    """load_cmu parses the bundled dictionary through Songloom's own loader, pausing every
    2,000 lines (so a GUI thread gets the GIL), once."""
    import time

    from core.lyrics import cmu, syllables

    pauses = []
    real_sleep = time.sleep
    monkeypatch.setattr(time, "sleep", lambda s: pauses.append(s) or real_sleep(s))
    monkeypatch.setattr(cmu, "_loaded", None)
    syllables.load_cmu()
    loaded = cmu.load()
    assert len(loaded) == 135_166  # every pronunciation line of the shipped file
    assert len(pauses) >= 135_166 // 2000 > 10 and set(pauses) == {0}
    assert loaded.phones("harbor") == ["HH AA1 R B ER0"]
    syllables.load_cmu()  # idempotent: loaded once
    assert cmu.load() is loaded
