"""Chord symbols, Roman numerals, progressions and the form's sections (core/model)."""

from __future__ import annotations

import pytest

from core.errors import SongloomError
from core.model.chords import (
    QUALITIES,
    Chord,
    check_in_key,
    parse_chord,
    parse_chord_name,
    parse_progression,
    parse_roman,
    progression_text,
)
from core.model.sections import (
    Section,
    auto_form,
    check_sections,
    kind_of_label,
    layout_sections,
    parse_form,
    section_labels,
)


@pytest.mark.parametrize("text, root, quality, bass, tones", [
    ("C", 0, "", None, (0, 4, 7)),
    ("Am", 9, "m", None, (9, 0, 4)),
    ("F#m7", 6, "m7", None, (6, 9, 1, 4)),
    ("Bb/D", 10, "", 2, (10, 2, 5)),
    ("G7", 7, "7", None, (7, 11, 2, 5)),
    ("Cmaj7", 0, "maj7", None, (0, 4, 7, 11)),
    ("Bdim", 11, "dim", None, (11, 2, 5)),
    ("Csus4", 0, "sus4", None, (0, 5, 7)),
    ("E♭", 3, "", None, (3, 7, 10)),
])
def test_chord_names_parse_to_root_quality_bass_and_tones(text, root, quality, bass, tones):
    c = parse_chord_name(text)
    assert (c.root, c.quality, c.bass) == (root, quality, bass)
    assert c.pitch_classes == tones


@pytest.mark.parametrize("text, key, mode, name", [
    ("I", 0, "major", "C"), ("vi", 0, "major", "Am"), ("IV", 0, "major", "F"),
    ("V7", 0, "major", "G7"), ("I7", 0, "major", "Cmaj7"), ("ii7", 0, "major", "Dm7"),
    ("ii65", 0, "major", "Dm7/F"), ("vii°", 0, "major", "Bdim"), ("I64", 0, "major", "C/G"),
    ("V/V", 0, "major", "D"), ("V7/IV", 0, "major", "C7"), ("bVII", 0, "major", "Bb"),
    ("i", 9, "minor", "Am"), ("V", 9, "minor", "E"), ("vii°7", 9, "minor", "G#dim7"),
    ("VII", 9, "minor", "G"), ("VI", 0, "minor", "Ab"), ("V7", 0, "minor", "G7"),
])
def test_roman_numerals_follow_analysis_conventions(text, key, mode, name):
    assert parse_roman(text, key, mode).name(key, mode) == name


def test_every_chord_reads_back_from_its_roman_numeral_and_its_name_in_every_key():
    for key in range(12):
        for mode in ("major", "minor"):
            for root in range(12):
                for q, steps in QUALITIES.items():
                    for bass in [None, *((root + s) % 12 for s in steps[1:])]:
                        c = Chord(root, q, bass)
                        assert parse_chord(c.roman(key, mode), key, mode) == c
                        assert parse_chord_name(c.name(key, mode)) == c


def test_spelling_follows_the_key_and_plain_names_otherwise():
    assert parse_chord("Bb").name(0, "major") == "Bb"  # not A#
    assert parse_chord("F#").name(7, "major") == "F#"
    assert parse_chord("Db").name() == "Db"


@pytest.mark.parametrize("bad", ["H", "Cxyz", "IX", "Q7", "vi/q", ""])
def test_unknown_chord_symbols_are_one_clear_error_naming_the_value(bad):
    with pytest.raises(SongloomError) as err:
        parse_progression(bad, 0)
    assert "\n" not in str(err.value)
    if bad:
        assert repr(bad) in str(err.value)


def test_progressions_one_chord_a_bar_or_bars_split_by_bars():
    assert [[c.name() for c in b] for b in parse_progression("I vi IV V", 0)] == [
        ["C"], ["Am"], ["F"], ["G"]]
    bars = parse_progression("C Am | F G", 0)
    assert [[c.name() for c in b] for b in bars] == [["C", "Am"], ["F", "G"]]
    assert progression_text(bars) == "C Am | F G"
    assert progression_text(parse_progression("I vi IV V7", 7), 7, roman=True) == "I vi IV V7"
    with pytest.raises(SongloomError, match="1, 2 or 4 chords"):
        parse_progression("C Am F | G", 0)


def test_a_chord_outside_the_key_is_refused_unless_chromatic_notes_are_allowed():
    bars = parse_progression("C D F G", 0)
    with pytest.raises(SongloomError, match="D .*outside C major"):
        check_in_key(bars, 0, "major", allow_chromatic=False)
    check_in_key(bars, 0, "major", allow_chromatic=True)
    check_in_key(parse_progression("Am Dm E Am", 9, "minor"), 9, "minor", False)


def test_form_presets_and_user_sequences():
    assert parse_form("AABA") == [("A", 8), ("A", 8), ("B", 8), ("A", 8)]
    assert sum(b for _, b in parse_form("AABA")) == 32
    assert [k for k, _ in parse_form("verse-chorus")] == ["verse", "chorus", "verse", "chorus"]
    assert [k for k, _ in parse_form("verse-chorus-bridge")][-2:] == ["bridge", "chorus"]
    assert parse_form("intro:2 Verse prechorus chorus, outro") == [
        ("intro", 2), ("verse", 8), ("pre-chorus", 4), ("chorus", 8), ("outro", 4)]


@pytest.mark.parametrize("bad, needle", [
    ("sonata", "unknown form 'sonata'"), ("intro verse kazoo", "unknown section 'kazoo'"),
    ("verse:0", "1 to 64 bars"), ("", "unknown form"),
])
def test_bad_forms_name_the_value(bad, needle):
    with pytest.raises(SongloomError, match=needle):
        parse_form(bad)


def test_auto_form_layout_labels_and_marker_names():
    assert auto_form(4) == [("verse", 4)]
    assert auto_form(20) == [("verse", 8), ("chorus", 8), ("verse", 4)]
    assert auto_form(10) == [("verse", 10)]
    assert sum(n for _, n in auto_form(37)) == 37
    secs = layout_sections(parse_form("intro verse chorus verse chorus"), 1920)
    assert [(s.start, s.duration) for s in secs[:2]] == [(0, 7680), (7680, 15360)]
    labels = section_labels(secs)
    assert labels == ["Intro", "Verse 1", "Chorus 1", "Verse 2", "Chorus 2"]
    assert [kind_of_label(x) for x in labels] == [s.name for s in secs]
    assert kind_of_label("Pre-Chorus") == "pre-chorus" and kind_of_label("Guitar solo") is None
    check_sections(secs)
    with pytest.raises(SongloomError, match="overlaps"):
        check_sections([Section("verse", 0, 1920), Section("chorus", 960, 1920)])
