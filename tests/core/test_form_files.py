"""The form and chords in .songloom files and in MIDI (markers, text events)."""

from __future__ import annotations

import json

import pytest

from core.errors import ProjectFileError
from core.io import smf
from core.io.midi_io import read_midi, write_midi
from core.io.project_file import song_from_dict, song_to_dict
from core.model.chords import ChordEvent, parse_chord_name
from core.model.sections import Section
from core.model.song import Note, Song, Track


def _song() -> Song:
    bar = 1920
    song = Song(title="Form", key=10, mode="major", tracks=[
        Track("Melody", "melody", notes=[Note(i * 960, 960, 70) for i in range(16)])])
    song.sections = [Section("verse", 0, 4 * bar), Section("chorus", 4 * bar, 4 * bar)]
    song.chords = [ChordEvent(i * bar, bar, parse_chord_name(n))
                   for i, n in enumerate(["Bb", "Gm7", "Eb/G", "F7", "Bb", "Cm", "F", "Bb"])]
    return song


def test_sections_and_chords_round_trip_through_the_project_file():
    song = _song()
    data = json.loads(json.dumps(song_to_dict(song)))
    assert data["chords"][3] == {"start": 3 * 1920, "duration": 1920, "chord": "F7"}
    back = song_from_dict(data)
    assert back.sections == song.sections and back.chords == song.chords


def test_a_file_without_sections_or_chords_loads_as_before():
    data = song_to_dict(Song(title="old"))
    assert "sections" not in data and "chords" not in data
    back = song_from_dict(data)
    assert back.sections == [] and back.chords == []


@pytest.mark.parametrize("field, value, needle", [
    ("sections", [{"name": "kazoo", "start": 0, "duration": 1920}], "sections[0].name"),
    ("sections", [{"name": "verse", "start": 0, "duration": 0}], "sections[0].duration"),
    ("sections", [{"name": "verse", "start": 0, "duration": 3840},
                  {"name": "chorus", "start": 1920, "duration": 1920}], "overlaps"),
    ("chords", [{"start": 0, "duration": 1920, "chord": "H7"}], "chords[0].chord"),
    ("chords", [{"start": -1, "duration": 1920, "chord": "C"}], "chords[0].start"),
])
def test_bad_sections_and_chords_name_the_field(field, value, needle):
    data = song_to_dict(Song())
    data[field] = value
    with pytest.raises(ProjectFileError, match=needle.replace("[", r"\[").replace("]", r"\]")):
        song_from_dict(data, "x.songloom")


def _conductor_texts(path):
    f = smf.parse_smf(path.read_bytes())
    metas = [(e[0], e[2], e[3]) for e in f.tracks[0].events if e[1] == smf.META]
    return ([(t, d.decode()) for t, m, d in metas if m == smf.META_MARKER],
            [(t, d.decode()) for t, m, d in metas if m == smf.META_TEXT])


def test_midi_carries_sections_as_markers_and_chords_as_text_and_reads_them_back(tmp_path):
    song = _song()
    path = tmp_path / "form.mid"
    write_midi(song, path)
    markers, texts = _conductor_texts(path)
    assert markers == [(0, "Verse"), (7680, "Chorus")]
    assert texts[:4] == [(0, "Bb"), (1920, "Gm7"), (3840, "Eb/G"), (5760, "F7")]
    back = read_midi(path)
    assert back.sections == song.sections and back.chords == song.chords


def test_a_foreign_midi_file_gets_its_form_from_markers_and_chord_texts(tmp_path):
    notes = [(i * 480, 4, bytes((0x90, 60, 90))) for i in range(16)]
    notes += [((i + 1) * 480, 3, bytes((0x80, 60, 0))) for i in range(16)]
    conductor = [(0, 2, smf.meta_event(smf.META_MARKER, b"Intro")),
                 (1920, 2, smf.meta_event(smf.META_MARKER, b"Chorus 1")),
                 (3840, 2, smf.meta_event(smf.META_MARKER, b"Guitar solo")),
                 (0, 2, smf.meta_event(smf.META_TEXT, b"Am")),
                 (1920, 2, smf.meta_event(smf.META_TEXT, b"G7")),
                 (2880, 2, smf.meta_event(smf.META_TEXT, b"recorded live"))]
    data = smf.encode_smf([smf.encode_track(conductor, 7680), smf.encode_track(notes, 7680)], 480)
    path = tmp_path / "foreign.mid"
    path.write_bytes(data)
    song = read_midi(path)
    assert song.sections == [Section("intro", 0, 1920), Section("chorus", 1920, 5760)]
    assert [(c.start, c.duration, c.chord.name()) for c in song.chords] == [
        (0, 1920, "Am"), (1920, 5760, "G7")]


def test_karaoke_words_are_never_read_as_chords(tmp_path):
    song = _song()
    song.chords = []
    path = tmp_path / "song.kar"
    write_midi(song, path)
    assert read_midi(path).chords == []
