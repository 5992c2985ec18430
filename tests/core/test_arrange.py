"""Styles as arrangements (issue 15): the registry, how each band plays the chords, the
CLI (generate --style rock, styles, regenerate drums, unknown styles) and the files a drum
track goes into (MIDI channel 10, .songloom readable by older versions)."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from core.io.midi_io import read_midi
from core.io.project_file import load_project, save_project, song_to_dict
from core.model.chords import Chord, ChordEvent
from core.model.sections import Section
from core.model.song import Note, Song, TempoChange, Track
from core.model.styles import REGISTRY, STYLE_NAMES, STYLES, check_registry, get_style
from core.music import arrange, styled
from core.music.sample import load_generator

TPB = 1920
C, F, G, AM = Chord(0), Chord(5), Chord(7), Chord(9, "m")
FIRST = {"harmony": 0, "bass": 0}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_registry_keeps_the_model_styles_and_adds_five_bands():
    check_registry()
    assert STYLES == ("lieder", "chorale")  # the network's conditioning is untouched
    assert STYLE_NAMES[:2] == STYLES
    assert set(STYLE_NAMES) >= {"pop", "rock", "ballad", "electronic", "folk"}
    assert get_style("rock").programs[1:] == (29, 34)  # overdriven guitar, pick bass
    assert get_style("electronic").programs == (81, 89, 38)  # saw lead, pad, synth bass
    assert get_style("folk").programs[:2] == (40, 25)  # fiddle, steel-string guitar
    assert all(get_style(s).model_style in STYLES for s in STYLE_NAMES)
    with pytest.raises(Exception, match=r"unknown style 'polka' \(known styles: lieder, chorale, pop"):
        get_style("polka")


def four_bars(chords=((C, 0, 2), (F, 2, 1), (G, 3, 1))):
    """A 4-bar verse-chorus song with a network-like harmony around C4 and bass around C2."""
    evs = [ChordEvent(a * TPB, n * TPB, ch) for ch, a, n in chords]
    return Song(tempos=[TempoChange(0, 120.0)],
                tracks=[Track("Melody", "melody", 73, notes=[Note(0, 4 * TPB, 72)]),
                        Track("Harmony", "harmony", 0, channel=1,
                              notes=[Note(b * TPB, TPB, p) for b in range(4) for p in (60, 64)]),
                        Track("Bass", "bass", 32, channel=2,
                              notes=[Note(b * TPB, TPB, 36) for b in range(4)])],
                sections=[Section("verse", 0, 2 * TPB), Section("chorus", 2 * TPB, 2 * TPB)],
                chords=evs)


def starts_in(notes, bar):
    return sorted({(n.start - bar * TPB) // 120 for n in notes if bar * TPB <= n.start < (bar + 1) * TPB})


def chord_at(song, tick):
    return next(c.chord for c in song.chords if c.start <= tick < c.end)


def test_rock_plays_power_chords_in_eighths_and_pumps_the_root():
    song = arrange.arrange(four_bars(), "rock", humanized=False, variants=FIRST)
    harmony, bass = song.track_by_role("harmony"), song.track_by_role("bass")
    assert (song.track_by_role("melody").program, harmony.program, bass.program) == (30, 29, 34)
    assert starts_in(harmony.notes, 0) == list(range(0, 16, 2))
    verse_len = {n.duration for n in harmony.notes if n.start < 2 * TPB}
    chorus_len = {n.duration for n in harmony.notes if n.start >= 2 * TPB}
    assert max(verse_len) < min(chorus_len)  # palm-muted in the verse, open in the chorus
    for start in {n.start for n in harmony.notes}:
        chord = [n.pitch for n in harmony.notes if n.start == start]
        root = chord_at(song, start).root
        assert sorted(p - min(chord) for p in chord) == [0, 7, 12] and min(chord) % 12 == root
    assert starts_in(bass.notes, 1) == list(range(0, 16, 2))
    assert all(n.pitch % 12 == chord_at(song, n.start).bass_pc for n in bass.notes)
    assert all(28 <= n.pitch <= 50 for n in bass.notes)
    assert arrange.drum_track_of(song).program == 16


def test_a_chord_change_under_a_held_chord_is_struck_where_it_changes():
    song = arrange.arrange(four_bars(((C, 0, 1), (AM, 1, 1), (F, 2, 1), (G, 3, 1))), "pop",
                           humanized=False, variants=FIRST)
    song.chords[1] = ChordEvent(TPB + 8 * 120, TPB // 2, AM)  # Am from beat 3 of bar 2
    song.chords.insert(1, ChordEvent(TPB, TPB // 2, C))
    notes = arrange.play_track(song, "harmony", "pop", 0)
    at = sorted({n.pitch % 12 for n in notes if n.start == TPB + 8 * 120})
    assert at == sorted({0, 4, 9})  # A minor struck at the change, mid-comp
    assert all(n.end <= TPB + 8 * 120 for n in notes if TPB <= n.start < TPB + 8 * 120)


def test_ballad_arpeggiates_folk_strums_electronic_pads_and_pumps_off_beats():
    ballad = arrange.arrange(four_bars(), "ballad", humanized=False,
                             variants=FIRST).track_by_role("harmony")
    assert starts_in(ballad.notes, 0) == list(range(0, 16, 2))
    assert len({n.pitch for n in ballad.notes if n.start < TPB}) == 4  # root fifth 8ve 10th
    folk = arrange.arrange(four_bars(), "folk", humanized=False, variants=FIRST)
    strum = [n for n in folk.track_by_role("harmony").notes if n.start < 120]
    assert len(strum) == 5 and [n.pitch for n in strum] == sorted(n.pitch for n in strum)
    assert len({n.start for n in strum}) == 5  # string after string, low to high
    assert starts_in(folk.track_by_role("bass").notes, 0) == [0, 8]
    assert {n.pitch % 12 for n in folk.track_by_role("bass").notes if n.start < TPB} == {0, 7}
    el = arrange.arrange(four_bars(), "electronic", humanized=False, variants=FIRST)
    assert starts_in(el.track_by_role("harmony").notes, 0) == [0]  # a held pad
    assert starts_in(el.track_by_role("bass").notes, 0) == [2, 6, 10, 14]
    kicks = [n for n in arrange.drum_track_of(el).notes if n.pitch == 36 and n.start < 2 * TPB]
    assert starts_in(kicks, 1) == [0, 4, 8, 12]  # four on the floor


def test_every_band_ends_on_one_held_chord_and_a_held_root():
    """The last bar rings with the drummer's ending hit: a bass pattern running on into a
    short last hit sounded cut off."""
    last = 3 * TPB
    for style in ("pop", "rock", "ballad", "electronic", "folk"):
        for variant in (0, 1):
            song = arrange.arrange(four_bars(), style, humanized=False,
                                   variants={"harmony": variant, "bass": variant})
            bass = [n for n in song.track_by_role("bass").notes if n.start >= last]
            assert len(bass) == 1 and bass[0].start == last, style
            assert bass[0].pitch % 12 == 7 and bass[0].duration >= TPB - 120, style
            harmony = [n for n in song.track_by_role("harmony").notes if n.start >= last]
            assert all(n.end >= 4 * TPB - 120 for n in harmony), style  # all ring to the end
            assert max(n.start for n in harmony) < last + TPB // 2, style  # struck once
            assert {n.pitch % 12 for n in harmony} >= {7, 2}, style  # root and fifth at least


def test_voicings_stay_put_within_a_chord_and_follow_the_networks_register():
    song = four_bars()
    low = arrange.arrange(song, "pop", humanized=False, variants=FIRST).track_by_role(
        "harmony").notes
    for n in song.track_by_role("harmony").notes:
        n.pitch += 12
    high = arrange.arrange(song, "pop", humanized=False, variants=FIRST).track_by_role(
        "harmony").notes
    chorus = [n for n in low if n.start >= 2 * TPB and n.start < 3 * TPB]
    assert len({tuple(sorted(n.pitch for n in chorus if n.start == s))
                for s in {n.start for n in chorus}}) == 1
    mean = lambda ns: sum(n.pitch for n in ns) / len(ns)  # noqa: E731
    assert mean(high) > mean(low) + 6


def test_each_way_has_two_figures_and_the_seed_picks_one():
    for style in ("pop", "rock", "ballad", "electronic", "folk"):
        for role in ("harmony", "bass"):
            a, b = (arrange.play_track(four_bars(), role, style, v) for v in (0, 1))
            assert a and b and [(n.start, n.pitch) for n in a] != [(n.start, n.pitch) for n in b]
    picks = {(arrange.figure(seed, "harmony"), arrange.figure(seed, "bass")) for seed in range(12)}
    assert len(picks) == 4  # every combination comes up; the same seed, the same figure
    assert arrange.figure(5, "bass") == arrange.figure(5, "bass")


def test_lieder_and_chorale_are_played_as_written():
    gen = load_generator()
    for style in ("lieder", "chorale"):
        a = styled.generate(gen, style, seed=4, bars=8)[0]
        b = gen.generate(bars=8, seed=4, style=style, tempo=get_style(style).default_tempo)[0]
        assert song_to_dict(a) == song_to_dict(b) and not any(t.is_drum for t in a.tracks)


def test_regenerating_a_part_keeps_the_users_instruments_and_the_style_plays_it():
    gen = load_generator()
    song = styled.generate(gen, "rock", seed=1, bars=8)[0]
    song.track_by_role("harmony").program = 27  # the user prefers a clean guitar
    out = styled.regenerate_track(gen, song, "harmony", 9, "rock")
    harmony = out.track_by_role("harmony")
    assert harmony.program == 27
    assert starts_in(harmony.notes, 1) in (list(range(0, 16, 2)), [0, 6, 8, 14])
    for start in {n.start for n in harmony.notes}:  # power chords whichever the figure
        chord = sorted(n.pitch for n in harmony.notes if n.start == start)
        assert [p - chord[0] for p in chord] in ([0, 7, 12], [0, 6, 12])
    for role in ("melody", "bass"):
        assert out.track_by_role(role).notes == song.track_by_role(role).notes
    assert arrange.drum_track_of(out).notes == arrange.drum_track_of(song).notes


def test_continue_extends_the_drums():
    gen = load_generator()
    song = styled.generate(gen, "pop", seed=2, bars=8)[0]
    longer = styled.continue_song(gen, song, 4, 3, "pop")
    kit = arrange.drum_track_of(longer)
    assert longer.bar_count() == 12
    assert {n.start // TPB for n in kit.notes} >= set(range(8, 12))
    assert [n for n in kit.notes if n.start < 7 * TPB - 20] == \
        [n for n in arrange.drum_track_of(song).notes if n.start < 7 * TPB - 20]


# -- CLI -------------------------------------------------------------------------------


def test_styles_lists_every_style_with_instruments_and_tempo(capsys):
    code, out, _ = run(capsys, "styles")
    assert code == 0
    for name in STYLE_NAMES:
        lo, hi = REGISTRY[name].tempo_range
        assert f"{name}" in out and f"{lo}-{hi} BPM" in out
    assert "Overdriven Guitar (29)" in out and "Power kit (16)" in out
    code, out, _ = run(capsys, "styles", "--json")
    rows = {r["style"]: r for r in json.loads(out)["styles"]}
    assert rows["electronic"]["instruments"]["harmony"]["program"] == 89
    assert rows["lieder"]["drums"] is None and rows["rock"]["drums"]["kit"] == 16


def test_an_unknown_style_is_one_line_naming_the_known_ones(tmp_path, capsys):
    code, out, err = run(capsys, "generate", "music", "--style", "polka", "--out",
                         str(tmp_path / "x.mid"))
    assert code == 2 and not out and len(err.strip().splitlines()) == 1
    assert "unknown style 'polka'" in err and ", ".join(STYLE_NAMES) in err
    assert not (tmp_path / "x.mid").exists()


def test_generate_rock_writes_the_drum_track_on_channel_ten(tmp_path, capsys):
    out = tmp_path / "rock.mid"
    code, text, _ = run(capsys, "generate", "music", "--style", "rock", "--bars", "16",
                        "--seed", "3", "--out", str(out), "--json")
    assert code == 0
    info = json.loads(text)["songs"][0]
    assert info["notes"]["drums"] > 16 * 8
    song = read_midi(out)
    kit = next(t for t in song.tracks if t.is_drum)
    assert kit.channel == 9 and kit.role == "drums" and kit.program == 16
    assert round(song.tempo) == 126  # rock's usual tempo when none is given
    assert {n.start // TPB for n in kit.notes} == set(range(16))


def test_regenerate_drums_from_the_cli_keeps_every_other_track(tmp_path, capsys):
    src, dst = tmp_path / "a.songloom", tmp_path / "b.songloom"
    assert run(capsys, "generate", "music", "--style", "pop", "--bars", "8", "--out",
               str(src))[0] == 0
    code, _, err = run(capsys, "generate", "music", "--from", str(src), "--regenerate-track",
                       "drums", "--style", "pop", "--seed", "9", "--out", str(dst))
    assert code == 0, err
    a, b = load_project(src), load_project(dst)
    for old, new in zip(a.tracks, b.tracks, strict=True):
        assert (new.notes == old.notes) != old.is_drum
    code, _, err = run(capsys, "generate", "music", "--from", str(src), "--regenerate-track",
                       "drums", "--out", str(dst))
    assert code == 2 and "lieder style has no drums" in err


# -- files -----------------------------------------------------------------------------


def test_a_song_with_drums_round_trips_and_adds_no_new_keys(tmp_path):
    song = arrange.arrange(four_bars(), "rock", seed=3)
    path = tmp_path / "s.songloom"
    save_project(song, path)
    back = load_project(path)
    kit = arrange.drum_track_of(back)
    assert kit.is_drum and kit.channel == 9 and kit.notes == arrange.drum_track_of(song).notes
    # An older Songloom (version 1 readers) knows every key: nothing new was written.
    data = json.loads(path.read_text())
    assert data["version"] == 1
    known_song = {"title", "tempos", "time_signature", "key", "mode", "tracks", "lyrics",
                  "phrase_starts", "sections", "chords"}
    known_track = {"name", "role", "program", "is_drum", "channel", "mute", "solo", "volume",
                   "pan", "color", "notes"}
    assert set(data["song"]) <= known_song
    assert all(set(t) == known_track for t in data["song"]["tracks"])
    plain = song_to_dict(four_bars())
    assert not any(t["is_drum"] for t in plain["tracks"])
