"""Songs are deep-copied on the GUI thread for undo and history after every generation:
the copy must stay exact and independent (Note has its own fast __deepcopy__)."""

from __future__ import annotations

import copy

from core.model.song import LyricLine, Lyrics, LyricSection, Note, Song, Syllable, Track
from desktop.controllers.history import GenerationHistory, MusicParams
from desktop.pianoroll.commands import ReplaceSongCommand, SongDocument


def big_song(notes: int = 1200) -> Song:
    melody = Track("Voice", role="melody",
                   notes=[Note(i * 240, 240, 60 + i % 12, 40 + i % 80) for i in range(notes)])
    bass = Track("Bass", role="bass", channel=1,
                 notes=[Note(i * 960, 960, 36 + i % 5) for i in range(notes // 4)])
    lyrics = Lyrics([LyricSection("verse", [LyricLine("la la", [Syllable("la", 0),
                                                                Syllable("la", 240)])])])
    return Song(title="Copies", tracks=[melody, bass], lyrics=lyrics)


def test_deep_copies_are_equal_and_independent():
    song = big_song()
    dup = copy.deepcopy(song)
    assert dup == song
    assert dup.tracks[0].notes[5] is not song.tracks[0].notes[5]
    dup.tracks[0].notes[5].pitch = 99
    dup.tracks[0].notes[6].velocity = 1
    assert song.tracks[0].notes[5].pitch == 60 + 5 and song.tracks[0].notes[6].velocity == 46
    # A list that holds the same Note twice stays one object twice (deepcopy's memo).
    shared = Note(0, 480, 64)
    twice = copy.deepcopy([shared, shared])
    assert twice[0] == shared and twice[0] is not shared


def test_history_and_undo_keep_their_own_copies(qtbot):
    song = big_song(300)
    history = GenerationHistory()
    entry = history.add("music", MusicParams(), song)
    doc = SongDocument(Song(title="empty"))
    doc.undo_stack.push(ReplaceSongCommand(doc, song, "Generate"))
    song.tracks[0].notes[0].pitch = 10  # the generator's object changes afterwards
    assert entry.song.tracks[0].notes[0].pitch == 60
    assert doc.song.tracks[0].notes[0].pitch == 60
    assert history.restore(entry.number) == entry.song
