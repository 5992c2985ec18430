"""The lyric encoding inside MIDI files (core/io/midi_lyrics.py), case by case."""

from __future__ import annotations

from core.io.midi_lyrics import decode_lyric_events, encode_lyric_events
from core.model.song import LyricLine, Lyrics, LyricSection, Syllable


def _line(*syllables: tuple[str, int | None, bool]) -> LyricLine:
    return LyricLine("", [Syllable(t, tick, end) for t, tick, end in syllables])


def test_breaks_carry_over_lines_that_are_not_on_notes():
    lyrics = Lyrics([
        LyricSection("verse", [_line(("Hel", 0, False), ("lo", 480, True))]),
        # the chorus's first line has no notes yet: the section break moves to its next line
        LyricSection("chorus", [_line(("not", None, True)), _line(("Sing", 960, True))]),
    ])
    encoded = encode_lyric_events(lyrics)
    assert encoded.events == [(0, "Hel-"), (480, "lo"), (960, "\\Sing")]
    assert encoded.markers == [(0, "verse"), (960, "chorus")]
    assert encoded.unaligned == 1 and not encoded.out_of_order
    back = decode_lyric_events(encoded.events, encoded.markers)
    assert [(s.name, [line.text for line in s.lines]) for s in back.sections] == [
        ("verse", ["Hello"]), ("chorus", ["Sing"])]


def test_karaoke_form_uses_spaces_not_hyphens():
    lyrics = Lyrics([LyricSection("verse", [
        _line(("Twin", 0, False), ("kle", 240, True), ("star", 480, True)),
        _line(("How", 960, True)),
    ])])
    assert [x for _, x in encode_lyric_events(lyrics, kar=True).events] == ["Twin", "kle", " star", "/How"]


def test_lyrics_out_of_time_order_are_flagged_and_sorted():
    lyrics = Lyrics([LyricSection("verse", [_line(("two", 480, True), ("one", 0, True))])])
    encoded = encode_lyric_events(lyrics)
    assert encoded.out_of_order and [t for t, _ in encoded.events] == [0, 480]


def test_first_section_without_notes_names_the_first_written_one():
    lyrics = Lyrics([
        LyricSection("intro", [_line(("ooh", None, True))]),
        LyricSection("verse", [_line(("Go", 0, True))]),
    ])
    encoded = encode_lyric_events(lyrics)
    assert encoded.events == [(0, "Go")] and encoded.markers == [(0, "verse")]


def test_separator_only_events_and_legacy_text_decode():
    # Some files send the space or the line break as an event of its own.
    lyrics = decode_lyric_events([(0, "Hel"), (240, "lo"), (480, " "), (480, "world"), (720, "\r"), (960, "Bye")])
    assert [line.text for line in lyrics.lines()] == ["Hello world", "Bye"]
    assert [s.word_end for s in lyrics.syllables()] == [False, True, True, True]


def test_cp1252_karaoke_text_is_read(tmp_path):
    import mido

    from core.io.midi_io import read_midi

    mid = mido.MidiFile(type=0)
    track = mido.MidiTrack([mido.MetaMessage("lyrics", text="Caf\u00e9 ")])  # mido writes Latin-1
    track += [mido.Message("note_on", note=60, velocity=80), mido.Message("note_off", note=60, time=480)]
    mid.tracks.append(track)
    mid.save(tmp_path / "old.mid")
    assert read_midi(tmp_path / "old.mid").lyrics.lines()[0].text == "Café"
