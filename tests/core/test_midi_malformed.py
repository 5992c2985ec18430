"""Broken MIDI files: each one gets a MidiImportError naming the file, within 2 s.

The files are built byte by byte, so each test breaks exactly one thing.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo import starter_song
from core.errors import MidiImportError
from core.io.midi_io import midi_bytes, read_midi
from core.io.smf import varlen  # delta times as the writer encodes them


def header(fmt: int = 0, ntracks: int = 1, division: int = 480) -> bytes:
    return b"MThd" + (6).to_bytes(4, "big") + fmt.to_bytes(2, "big") + ntracks.to_bytes(2, "big") + division.to_bytes(2, "big")


def chunk(body: bytes, length: int | None = None) -> bytes:
    return b"MTrk" + (len(body) if length is None else length).to_bytes(4, "big") + body


EOT = b"\x00\xff\x2f\x00"
NOTE = b"\x00\x90\x3c\x64" + b"\x83\x60\x80\x3c\x00"  # C4 for one beat
GOOD_TRACK = NOTE + EOT


def read_bytes(tmp_path, data: bytes, name: str = "broken.mid"):
    path = tmp_path / name
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        return read_midi(path, warn=lambda m: None)
    finally:
        assert time.perf_counter() - started < 2.0


def test_the_builder_makes_a_readable_file(tmp_path):
    song = read_bytes(tmp_path, header() + chunk(GOOD_TRACK))
    assert [(n.start, n.duration, n.pitch, n.velocity) for n in song.tracks[0].notes] == [(0, 480, 60, 100)]


MALFORMED = {
    "empty file": (b"", "empty"),
    "text file": (b"Dear diary, today I wrote a song.\n", "not a MIDI file"),
    "WAV audio": (b"RIFF\x24\x00\x00\x00WAVEfmt ", "WAV"),
    "header cut short": (b"MThd\x00\x00\x00\x06\x00", "cut short"),
    "header length wrong": (b"MThd\x00\x00\x10\x00" + header()[8:] + chunk(GOOD_TRACK), "header chunk"),
    "track chunk cut short": ((header() + chunk(GOOD_TRACK))[:-3], "remain"),
    "chunk length too long": (header() + chunk(GOOD_TRACK, length=500), "remain"),
    "chunk length too short": (header() + chunk(GOOD_TRACK, length=6), "middle of an event"),
    "no tracks announced": (header(1, 0), "no tracks"),
    "more tracks announced than present": (header(1, 5) + chunk(GOOD_TRACK) + chunk(EOT), "announces 5 tracks"),
    "type 0 with three tracks": (header(0, 3) + chunk(GOOD_TRACK) * 3, "type 0"),
    "unknown file type 7": (header(7, 1) + chunk(GOOD_TRACK), "type 7"),
    "division 0": (header(division=0) + chunk(GOOD_TRACK), "division"),
    "bad SMPTE division": (header(division=0xE700) + chunk(GOOD_TRACK), "SMPTE"),
    "huge delta time": (header() + chunk(varlen(0x0FFFFFFF) + b"\x90\x3c\x64" + b"\x00\x80\x3c\x00" + EOT), "delta"),
    "huge deltas adding up": (header() + chunk((varlen(0x0FFFFFF) + b"\xff\x01\x00") * 20 + EOT), "delta"),
    "variable-length number over 4 bytes": (header() + chunk(b"\x81\x81\x81\x81\x01\x90\x3c\x64" + EOT), "4 bytes"),
    "running status without status byte": (header() + chunk(b"\x00\x3c\x64" + EOT), "running status"),
    "data byte above 127": (header() + chunk(b"\x00\x90\xc8\x64" + EOT), "above 127"),
    "velocity byte above 127": (header() + chunk(b"\x00\x90\x3c\xff" + EOT), "above 127"),
    "real-time byte in a track": (header() + chunk(b"\x00\xf8" + EOT), "real-time"),
    "meta length past the chunk": (header() + chunk(b"\x00\xff\x03\x7f\x41\x42" + EOT), "bytes follow"),
    "sysex length past the chunk": (header() + chunk(b"\x00\xf0\x8f\x7f\x01" + EOT), "bytes follow"),
    "never-ending note": (header() + chunk(b"\x00\x90\x3c\x64" + varlen(960) + b"\xff\x2f\x00"), "never ends"),
    "never-ending note, no end of track": (header() + chunk(b"\x00\x90\x40\x64"), "never ends"),
    "garbage chunk name": (header(1, 2) + chunk(GOOD_TRACK) + b"\x00\x01\x02\x03\x00\x00\x00\x00", "no valid name"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_gets_a_one_line_error_naming_the_file(tmp_path, name):
    data, expected = MALFORMED[name]
    with pytest.raises(MidiImportError) as info:
        read_bytes(tmp_path, data)
    message = str(info.value)
    assert message.startswith(str(tmp_path / "broken.mid") + ": ")
    assert expected in message
    assert "\n" not in message


def test_every_truncation_of_a_real_file_is_an_error(tmp_path):
    data, _ = midi_bytes(starter_song())
    path = tmp_path / "cut.mid"
    started = time.perf_counter()
    for cut in range(len(data) - 1):
        path.write_bytes(data[:cut])
        with pytest.raises(MidiImportError):
            read_midi(path, warn=lambda m: None)
    assert time.perf_counter() - started < 10  # ~900 files


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    from core.io import smf

    monkeypatch.setattr(smf, "MAX_FILE_BYTES", 100)
    with pytest.raises(MidiImportError, match="too large"):
        read_bytes(tmp_path, header() + chunk(GOOD_TRACK * 20))


def test_too_many_events_is_refused(tmp_path, monkeypatch):
    from core.io import smf

    monkeypatch.setattr(smf, "MAX_EVENTS", 50)
    with pytest.raises(MidiImportError, match="events"):
        read_bytes(tmp_path, header() + chunk(NOTE * 40 + EOT))


def test_drum_hits_without_note_off_are_accepted(tmp_path):
    hits = b"\x00\x99\x24\x64" + b"\x83\x60\x99\x26\x64" + varlen(480) + b"\xff\x2f\x00"
    notes = []
    song = read_midi(_write(tmp_path, header() + chunk(hits)), warn=notes.append)
    assert [(n.start, n.pitch) for n in song.tracks[0].notes] == [(0, 36), (480, 38)]
    assert song.tracks[0].is_drum and song.tracks[0].role == "drums"
    assert "drum notes had no note-off" in notes[0]


def test_type_2_reads_the_first_song_with_a_warning(tmp_path):
    other = b"\x00\x90\x48\x64\x83\x60\x80\x48\x00" + EOT
    notes = []
    song = read_midi(_write(tmp_path, header(2, 2) + chunk(GOOD_TRACK) + chunk(other)), warn=notes.append)
    assert [n.pitch for t in song.tracks for n in t.notes] == [60]
    assert "type 2" in notes[0]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(MidiImportError, match="no such file"):
        read_midi(tmp_path / "missing.mid")
    with pytest.raises(MidiImportError, match="folder"):
        read_midi(tmp_path)


def _write(tmp_path, data: bytes):
    path = tmp_path / "file.mid"
    path.write_bytes(data)
    return path


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzzed_files_give_a_song_or_midi_import_error_only(tmp_path, data):
    seeds = [
        midi_bytes(starter_song())[0],
        midi_bytes(starter_song(), kar=True)[0],
        # type 0, three channels, text and marker events, no lyrics, drums without note-offs
        header() + chunk(b"\x00\xff\x01\x03abc\x00\xff\x06\x01V" + NOTE + b"\x00\x91\x30\x50\x60\x81\x30\x00"
                         + b"\x00\x99\x24\x64\x00\xff\x51\x03\x07\xa1\x20" + EOT),
    ]
    original = bytearray(data.draw(st.sampled_from(seeds)))
    name = data.draw(st.sampled_from(["fuzz.mid", "fuzz.kar"]))
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        at = data.draw(st.integers(0, len(original) - 1))
        if op == "flip":
            original[at] = data.draw(st.integers(0, 255))
        elif op == "insert":
            original[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            del original[at : at + data.draw(st.integers(1, 8))]
    try:
        read_bytes(tmp_path, bytes(original), name=name)
    except MidiImportError as exc:
        assert "\n" not in str(exc) and name in str(exc)
        assert "unreadable MIDI data" not in str(exc)  # that would be a bug in Songloom


def test_too_many_tracks_is_refused(tmp_path, monkeypatch):
    from core.io import midi_io

    monkeypatch.setattr(midi_io, "MAX_TRACKS", 3)
    with pytest.raises(MidiImportError, match="more than 3 tracks"):
        read_bytes(tmp_path, header(1, 4) + chunk(GOOD_TRACK) * 4)


def test_smpte_timing_is_read_as_120_bpm(tmp_path):
    # 25 frames x 40 ticks = 1000 ticks a second; at 120 BPM one beat is 500 ticks.
    notes = []
    body = b"\x00\x90\x3c\x64" + varlen(500) + b"\x80\x3c\x00" + EOT
    song = read_midi(_write(tmp_path, header(division=0xE728) + chunk(body)), warn=notes.append)
    assert [(n.start, n.duration) for n in song.tracks[0].notes] == [(0, 480)]
    assert song.tempo == 120.0 and "SMPTE" in notes[0]


def test_riff_wrapped_midi_is_read(tmp_path):
    smf_data = header() + chunk(GOOD_TRACK)
    riff = b"RIFF" + (len(smf_data) + 12).to_bytes(4, "little") + b"RMID"
    riff += b"data" + len(smf_data).to_bytes(4, "little") + smf_data
    song = read_bytes(tmp_path, riff, name="song.rmi")
    assert [n.pitch for n in song.tracks[0].notes] == [60]


def test_running_status_continues_after_a_meta_event(tmp_path):
    # Note-on, a marker, then a data-only note-off: many real files are written this way.
    body = b"\x00\x90\x3c\x64" + b"\x00\xff\x06\x01A" + b"\x83\x60\x3c\x00" + EOT
    song = read_bytes(tmp_path, header() + chunk(body))
    assert [(n.start, n.duration) for n in song.tracks[0].notes] == [(0, 480)]


def test_plain_text_events_are_not_taken_for_lyrics(tmp_path):
    # A copyright line and a comment between notes: text, but no karaoke file.
    body = b"\x00\xff\x01\x0b(c) Me 1999" + NOTE + b"\x00\xff\x01\x04fine" + EOT
    song = read_bytes(tmp_path, header() + chunk(body))
    assert song.lyrics.is_empty() and len(song.tracks[0].notes) == 1
    kar = read_bytes(tmp_path, header() + chunk(b"\x00\xff\x01\x04/Hey" + NOTE + EOT), name="x.kar")
    assert [line.text for line in kar.lyrics.lines()] == ["Hey"]
