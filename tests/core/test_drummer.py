"""The drummer follows the song's form: the groove per section, fills into each new
section, a crash on each section's first downbeat, an ending, a seeded humanize; and the
16-bar rock and pop songs of issue 15 have all of it, with DP >= 0.9."""

from __future__ import annotations

import pytest

from core.bench.drums import check_song
from core.metrics.music import drum_pattern_rate
from core.model.sections import Section
from core.model.song import Note, Song, TempoChange, TimeSignature, Track
from core.music import drummer, styled
from core.music.grooves import load_library
from core.music.sample import load_generator

TPB = 1920
STEP = 120
KICK, SNARE, HAT, RIDE, CRASH = 36, 38, 42, 51, 49
TOMS = {41, 43, 45, 47, 48, 50}


def song_with(form, tempo=120.0):
    bars = sum(n for _, n in form)
    sections, at = [], 0
    for kind, n in form:
        sections.append(Section(kind, at * TPB, n * TPB))
        at += n
    return Song(tempos=[TempoChange(0, tempo)],
                tracks=[Track("Melody", "melody", notes=[Note(0, bars * TPB, 60)])],
                sections=sections)


def bar_notes(track, bar):
    return [n for n in track.notes if bar * TPB - 20 <= n.start < (bar + 1) * TPB - 20]


def cells(track, bar, lo=0):
    return {((n.start - bar * TPB + 20) // STEP, n.pitch) for n in bar_notes(track, bar)
            if (n.start - bar * TPB + 20) // STEP >= lo}


def test_the_plan_follows_the_form():
    plans = drummer.plan_drums(drummer.song_form(song_with(
        [("intro", 2), ("verse", 8), ("chorus", 8), ("outro", 2)])))
    by_bar = {p.bar: p for p in plans}
    assert [p.bar for p in plans if p.crash] == [0, 2, 10, 18]
    assert by_bar[1].fill == "pickup"  # the intro leads into the verse
    assert by_bar[9].fill == "fill2" and by_bar[17].fill == "fill2"  # into each section
    assert by_bar[5].variation and by_bar[13].variation  # the 4th bar of a phrase
    assert {by_bar[b].groove for b in range(2, 10)} == {"verse"}
    assert {by_bar[b].groove for b in range(10, 18)} == {"chorus"}
    assert by_bar[19].ending and by_bar[18].fill == "fill1"  # a fill into the last hit


def test_a_song_without_sections_is_played_in_eight_bar_phrases():
    song = song_with([("verse", 16)])
    song.sections = []
    plans = drummer.plan_drums(drummer.song_form(song))
    assert [p.bar for p in plans if p.crash] == [0, 8]
    assert plans[7].fill == "fill2" and plans[3].variation and plans[15].ending


def test_verse_lighter_chorus_fuller_crash_fill_and_ending_in_the_notes():
    song = song_with([("verse", 8), ("chorus", 8)])
    track = drummer.drum_track(song, "rock", seed=1, humanized=False)
    assert track.is_drum and track.channel == 9 and track.role == "drums"
    assert track.program == 16  # the groove's kit: Power
    verse, chorus = cells(track, 1), cells(track, 9)
    assert {(s, HAT) for s in range(0, 16, 2)} <= verse and not any(k == RIDE for _, k in verse)
    assert {(s, RIDE) for s in range(2, 16, 2)} <= chorus  # the ride in the chorus
    assert (0, CRASH) in cells(track, 8) and (0, CRASH) in cells(track, 0)
    assert (0, CRASH) not in cells(track, 1)
    fill = cells(track, 7, lo=8)
    assert fill != cells(track, 6, lo=8) and not any(k == HAT for _, k in fill)
    last = bar_notes(track, 15)
    assert {n.pitch for n in last} >= {KICK, CRASH} and all(n.start == 15 * TPB for n in last)
    assert max(n.end for n in track.notes) == 16 * TPB  # the song keeps its length
    assert drum_pattern_rate(Song(tracks=[track])) == 1.0


def test_humanize_is_seeded_and_stays_within_a_few_milliseconds():
    song = song_with([("verse", 8), ("chorus", 8)], tempo=90.0)
    grid = drummer.drum_track(song, "pop", seed=5, humanized=False).notes
    a = drummer.drum_track(song, "pop", seed=5).notes
    b = drummer.drum_track(song, "pop", seed=5).notes
    c = drummer.drum_track(song, "pop", seed=6).notes
    assert [(n.start, n.velocity) for n in a] == [(n.start, n.velocity) for n in b]
    assert [(n.start, n.velocity) for n in a] != [(n.start, n.velocity) for n in c]
    ticks_per_ms = 90.0 * 480 / 60000
    played = drummer.humanize(grid, song, 5)  # hit by hit beside the grid
    assert sorted((n.start, n.pitch, n.velocity) for n in played) == \
        sorted((n.start, n.pitch, n.velocity) for n in a)
    moved = [n.start - g.start for n, g in zip(played, grid, strict=True)]
    assert max(abs(d) for d in moved) <= drummer.HUMANIZE_MS * ticks_per_ms + 1
    assert sum(d != 0 for d in moved) > len(moved) / 2
    vel = [n.velocity - g.velocity for n, g in zip(played, grid, strict=True)]
    assert 0 < max(abs(v) for v in vel) <= drummer.HUMANIZE_VELOCITY
    assert all(n.end == g.end for n, g in zip(played, grid, strict=True))
    assert drum_pattern_rate(Song(tracks=[Track("d", "drums", is_drum=True, notes=a)])) >= 0.9


def test_other_meters_get_one_clear_error():
    song = song_with([("verse", 4)])
    song.time_signature = TimeSignature(3, 4)
    with pytest.raises(Exception, match="drummer plays 4/4 bars; this song is in 3/4"):
        drummer.drum_track(song, "rock")


@pytest.mark.parametrize("style", ["rock", "pop"])
@pytest.mark.parametrize("form", ["auto", "intro:2 verse:4 chorus:4 verse:2 chorus:4"])
def test_a_sixteen_bar_song_drums_every_bar_fills_every_change_crashes_every_section(style, form):
    gen = load_generator()
    for seed in (0, 1):
        song = styled.generate(gen, style, seed=seed, bars=16 if form == "auto" else None,
                               form=form)[0]
        r = check_song(song)
        assert r["bars"] == 16 and r["bars_with_drums"] == 16
        assert r["section_changes"] >= 1
        assert r["fills_before_changes"] == r["section_changes"]
        assert r["crashes_on_section_downbeats"] == r["sections"] == len(song.sections)
        assert r["DP"] >= 0.9


def test_electronic_dp_and_the_grid_print():
    song = styled.generate(load_generator(), "electronic", seed=2, bars=8)[0]
    track = next(t for t in song.tracks if t.is_drum)
    assert drum_pattern_rate(song) >= 0.9
    grid = drummer.drum_grid(track, TPB, range(1, 2))
    lines = grid.splitlines()
    assert lines[0] == "bar 2" and lines[-1].split()[0] == "kick"  # kick at the bottom
    assert lines[-1].split()[1].replace("|", "")[::4] in ("XxXx", "XXXX", "XxXX", "Xxxx")


def test_set_drums_keeps_the_users_kit_and_mix():
    song = song_with([("verse", 4)])
    first = drummer.drum_track(song, "rock", seed=0)
    first.program, first.volume, first.mute, first.name = 25, 70, True, "My kit"
    song.tracks.append(first)
    drummer.set_drums(song, drummer.drum_track(song, "rock", seed=9))
    kits = [t for t in song.tracks if t.is_drum]
    assert len(kits) == 1 and (kits[0].program, kits[0].volume, kits[0].mute,
                               kits[0].name) == (25, 70, True, "My kit")
    assert load_library().groove("rock").kit == 16
