"""Song -> MIDI/KAR -> Song keeps what a songwriter made; the lyric encoding is readable
by other programs' conventions too."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import mido
import pytest
from hypothesis import given, settings
from song_strategies import midi_songs

from core.demo import starter_song
from core.errors import SongloomError
from core.io.midi_io import MidiExportError, read_midi, write_midi
from core.io.midi_lyrics import decode_lyric_events
from core.model.song import Note, Song, TempoChange, TimeSignature, Track


def _same(a: Song, b: Song) -> None:
    """Equal, notes compared in time order (MIDI files are in time order)."""
    a = dataclasses.replace(a, tracks=[dataclasses.replace(t, notes=t.sorted_notes()) for t in a.tracks])
    b = dataclasses.replace(b, tracks=[dataclasses.replace(t, notes=t.sorted_notes()) for t in b.tracks])
    assert a == b


@settings(max_examples=60, deadline=None)
@given(midi_songs())
def test_song_to_midi_and_kar_and_back_keeps_everything(song):
    with tempfile.TemporaryDirectory() as folder:
        for name in ("song.mid", "song.kar"):
            path = Path(folder) / name
            assert write_midi(song, path) == []
            notes: list[str] = []
            back = read_midi(path, warn=notes.append)
            assert notes == []
            _same(song, back)  # tempos too: 2-decimal BPMs survive whole-microsecond storage


def test_exported_file_is_what_a_daw_expects(tmp_path):
    song = starter_song()
    write_midi(song, tmp_path / "demo.mid")
    mid = mido.MidiFile(tmp_path / "demo.mid")
    assert mid.type == 1 and mid.ticks_per_beat == 480
    conductor = [m.type for m in mid.tracks[0]]
    assert {"set_tempo", "time_signature", "key_signature", "track_name"} <= set(conductor)
    assert [t.name for t in mid.tracks[1:]] == ["Melody", "Harmony", "Bass"]
    melody = mid.tracks[1]
    lyrics = [m.text for m in melody if m.type == "lyrics"]
    assert lyrics[:3] == ["Sing", "a-", "long"] and lyrics[7] == "/Home"
    programs = [(m.channel, m.program) for t in mid.tracks for m in t if m.type == "program_change"]
    assert programs == [(0, 53), (1, 0), (2, 32)]
    # lyric events sit exactly on the melody note onsets
    tick, onsets, lyric_ticks = 0, [], []
    for m in melody:
        tick += m.time
        if m.type == "note_on":
            onsets.append(tick)
        elif m.type == "lyrics":
            lyric_ticks.append(tick)
    assert lyric_ticks == onsets


def test_kar_has_a_soft_karaoke_words_track(tmp_path):
    write_midi(starter_song(), tmp_path / "demo.kar")
    mid = mido.MidiFile(tmp_path / "demo.kar")
    assert any(m.type == "text" and m.text == "@KMIDI KARAOKE FILE" for m in mid.tracks[0])
    words = mid.tracks[1]
    assert words.name == "Words"
    texts = [m.text for m in words if m.type == "text" and not m.text.startswith("@")]
    assert "".join(texts) == "Sing along the winding road/Home is waiting at the end"


def test_kar_text_events_alone_give_the_lyrics(tmp_path):
    """A karaoke file from elsewhere: no Lyric events, only the Words text events."""
    mid = mido.MidiFile(type=1, ticks_per_beat=96)
    words = mido.MidiTrack([mido.MetaMessage("text", text="@KMIDI KARAOKE FILE")])
    for i, text in enumerate(["\\Twin", "kle", " twin", "kle", "/Lit", "tle", " star"]):
        words.append(mido.MetaMessage("text", text=text, time=0 if i == 0 else 96))
    notes = mido.MidiTrack()
    for i in range(7):
        notes.append(mido.Message("note_on", note=60 + i, velocity=80, time=0))
        notes.append(mido.Message("note_off", note=60 + i, velocity=0, time=96))
    mid.tracks += [words, notes]
    mid.save(tmp_path / "twinkle.kar")
    song = read_midi(tmp_path / "twinkle.kar", warn=lambda m: None)
    lines = song.lyrics.lines()
    assert [line.text for line in lines] == ["Twinkle twinkle", "Little star"]
    assert [(s.text, s.tick, s.word_end) for s in lines[0].syllables] == [
        ("Twin", 0, False), ("kle", 480, True), ("twin", 960, False), ("kle", 1440, True)]


@pytest.mark.parametrize(
    ("events", "lines", "words"),
    [
        # trailing-space convention (Cakewalk and many DAWs)
        (["Hel", "lo ", "world "], ["Hello world"], [False, True, True]),
        # hyphen convention with CR/LF line and paragraph breaks (RP-026 style)
        (["Hel-", "lo\r", "world\n", "bye"], ["Hello", "world", "bye"], [False, True, True, True]),
        # our own: "/" new line, "\\" new section, "-" continues, "well- " is a word
        (["well- ", "/known-", "ly", "\\ok"], ["well-", "knownly", "ok"], [True, False, True, True]),
    ],
)
def test_lyric_conventions_of_other_programs(events, lines, words):
    lyrics = decode_lyric_events([(i * 480, e) for i, e in enumerate(events)])
    assert [line.text for line in lyrics.lines()] == lines
    assert [s.word_end for s in lyrics.syllables()] == words


def test_section_names_come_back_from_markers(tmp_path):
    song = starter_song()
    song.lyrics.sections[0].name = "chorus"
    write_midi(song, tmp_path / "s.mid")
    assert read_midi(tmp_path / "s.mid").lyrics.sections[0].name == "chorus"


def test_unaligned_syllables_are_reported_not_silently_dropped(tmp_path):
    song = starter_song()
    song.lyrics.sections[0].lines[1].syllables[0].tick = None
    notes = write_midi(song, tmp_path / "s.mid")
    assert notes == ["1 syllable is not aligned to a note and was not written"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.tracks[0].notes.append(Note(0, 480, 130)), "pitch 130"),
        (lambda s: s.tracks[0].notes.append(Note(0, 480, 60, 0)), "velocity 0"),
        (lambda s: setattr(s, "time_signature", TimeSignature(7, 6)), "7/6"),
        (lambda s: setattr(s, "tempos", [TempoChange(0, 0.5)]), "tempo 0.5"),
        (lambda s: s.tracks.append(Track("Bad", channel=16)), "channel 16"),
    ],
)
def test_songs_midi_cannot_hold_are_refused_and_nothing_is_written(tmp_path, change, message):
    song = starter_song()
    change(song)
    with pytest.raises(MidiExportError, match=message):
        write_midi(song, tmp_path / "s.mid")
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_other_extensions(tmp_path):
    with pytest.raises(SongloomError, match="not a MIDI file name"):
        write_midi(starter_song(), tmp_path / "song.wav")


def test_other_programs_files_read_sensibly(tmp_path):
    """A type 0 file (as many web MIDI files are): one chunk, three channels, drums."""
    mid = mido.MidiFile(type=0, ticks_per_beat=192)
    track = mido.MidiTrack([
        mido.MetaMessage("track_name", name="Old song"),
        mido.MetaMessage("set_tempo", tempo=600000),
        mido.MetaMessage("key_signature", key="Bbm"),
        mido.Message("program_change", channel=1, program=33),
        mido.Message("note_on", channel=0, note=70, velocity=90),
        mido.Message("note_on", channel=1, note=34, velocity=90),
        mido.Message("note_on", channel=9, note=36, velocity=90),
        mido.Message("note_on", channel=0, note=70, velocity=0, time=192),
        mido.Message("note_off", channel=1, note=34, time=0),
        mido.Message("note_off", channel=9, note=36, time=0),
        mido.MetaMessage("set_tempo", tempo=500000, time=192),
    ])
    mid.tracks.append(track)
    mid.save(tmp_path / "old.mid")
    song = read_midi(tmp_path / "old.mid")
    assert song.title == "Old song" and song.key_name == "Bb minor"
    assert [(t.tick, t.bpm) for t in song.tempos] == [(0, 100.0), (960, 120.0)]
    assert [(t.name, t.channel, t.program, t.is_drum, t.role) for t in song.tracks] == [
        ("Piano (ch 1)", 0, 0, False, "other"), ("Finger Bass (ch 2)", 1, 33, False, "bass"),
        ("Drums (ch 10)", 9, 0, True, "drums")]
    assert [n.duration for t in song.tracks for n in t.notes] == [480, 480, 480]
