"""Drum voices nobody hears are ended (core/audio/drum_tails.py, issue 15's render speed):
FluidSynth runs here, on the bundled SoundFont, dry so every render is bit-identical. The
render gets fewer voices, each drum key alone sounds the same (as loud, and what is taken
away at least 20 dB under it), a crash left alone rings down to OWN_DB below its peak before
it ends, and a voice found under the wrong id stops the plan instead of ending it."""

from __future__ import annotations

import copy
import math

import numpy as np

from core.audio import drum_tails, render
from core.audio.render import render_song
from core.audio.soundfonts import bundled_soundfont
from core.audio.synth import Synth, warm_synth
from core.model.sections import Section
from core.model.song import TICKS_PER_BEAT, Note, Song, TempoChange, Track
from core.music import drummer

SR = 44100


def rms_db(a: np.ndarray) -> float:
    return 10 * math.log10(float(np.mean(np.square(a, dtype=np.float64))) or 1e-30)


def rock_song(bars: int = 8) -> Song:
    """A bass note a bar and the rock drummer: a verse (hats) and a chorus (ride eighths)."""
    bar = 4 * TICKS_PER_BEAT
    bass = Track("Bass", "bass", 34, notes=[Note(b * bar, bar // 2, 40, 90) for b in range(bars)])
    half = bars // 2 * bar
    song = Song(title="t", tempos=[TempoChange(0, 126.0)], tracks=[bass],
                sections=[Section("verse", 0, half), Section("chorus", half, bars * bar - half)])
    song.tracks.append(drummer.drum_track(song, "rock", seed=0))
    return song


def drums_only(song: Song) -> Song:
    out = copy.deepcopy(song)
    out.tracks = [t for t in out.tracks if t.is_drum]
    return out


def mean_voices(song: Song, end_drum_tails: bool) -> float:
    synth, _lock = warm_synth(bundled_soundfont(), SR, effects=False)
    counts = [drum_tails.active_voices(synth)
              for _ in render.iter_blocks(synth, render._events_for(song), SR, 1024,
                                          end_drum_tails=end_drum_tails)]
    return float(np.mean(counts))


def test_fewer_voices_and_the_same_drums():
    song = drums_only(rock_song())
    full = render_song(song, effects=False, end_drum_tails=False)
    ended = render_song(song, effects=False)
    assert drum_tails.last_plan_stats["voices_ended"] > len(song.tracks[0].notes) // 2
    assert np.array_equal(ended, render_song(song, effects=False))  # still bit-identical
    assert mean_voices(song, True) < 0.75 * mean_voices(song, False)
    n = min(len(full), len(ended))
    assert rms_db(ended[:n] - full[:n]) - rms_db(full) < -drum_tails.MASK_DB + 3
    assert abs(float(np.abs(ended).max()) - float(np.abs(full).max())) < 0.01
    for key in sorted({n.pitch for n in song.tracks[0].notes}):
        one = copy.deepcopy(song)
        one.tracks[0].notes = [n for n in one.tracks[0].notes if n.pitch == key]
        a = render_song(one, effects=False, end_drum_tails=False)
        b = render_song(one, effects=False)
        m = min(len(a), len(b))
        assert abs(rms_db(b) - rms_db(a)) < 0.05, key  # each drum as loud as before
        # Each ended tail is MASK_DB under a newer hit; a ride's eight of them add up.
        assert rms_db(b[:m] - a[:m]) - rms_db(a) < -20, key


def test_a_crash_alone_rings_down_to_own_db_before_its_voice_ends():
    bar = 4 * TICKS_PER_BEAT
    kit = Track("Drums", "drums", 16, True, 9,
                notes=[Note(0, TICKS_PER_BEAT // 4, 49, 118),  # crash, a 16th
                       Note(8 * bar, TICKS_PER_BEAT // 4, 36, 20)])  # keeps the song going
    song = Song(title="c", tempos=[TempoChange(0, 120.0)], tracks=[kit])
    full = render_song(song, effects=False, end_drum_tails=False)
    ended = render_song(song, effects=False)
    assert drum_tails.last_plan_stats["voices_ended"] == 1
    crash = full[: 8 * 2 * SR]  # 8 bars at 120 BPM: the crash alone
    gone = np.flatnonzero(np.abs(ended[: len(crash)]).max(axis=1) > 0)[-1]  # its last sound
    assert gone < len(crash) - SR  # it was ended, well before the kick
    peak = 20 * math.log10(float(np.abs(crash).max()))
    after = 20 * math.log10(float(np.abs(crash[gone:]).max()))  # what the full render kept
    assert after < peak - drum_tails.OWN_DB + 6  # (peak sample against 64-frame RMS: 6 dB)
    assert after > peak - drum_tails.OWN_DB - 20  # ... and not long after that


def test_a_voice_under_another_key_stops_the_plan_and_keeps_sounding():
    synth = Synth(bundled_soundfont(), SR, effects=False)
    try:
        synth.program(9, 16, drums=True)
        next_id = drum_tails._next_note_id(synth, 9, 36)
        synth.noteon(9, 51, 100)  # takes next_id
        plan = drum_tails.TailPlan({9})
        plan.apply(synth, drum_tails.TailPlan.FADE, 9, 49, next_id)  # says it is a crash
        assert not plan.ok and plan.faded == 0
        buf = np.zeros((4096, 2), np.float32)
        synth.write(buf)
        assert float(np.abs(buf[2048:]).max()) > 1e-3  # the ride was left alone
        plan = drum_tails.TailPlan({9})
        plan.apply(synth, drum_tails.TailPlan.FADE, 9, 51, next_id)
        assert plan.ok and plan.faded == 1
        synth.write(buf)
        assert float(np.abs(buf[256:]).max()) < 1e-5  # faded out within a few blocks
    finally:
        synth.close()


def test_a_song_without_drums_renders_as_before():
    song = rock_song(2)
    song.tracks = [t for t in song.tracks if not t.is_drum]
    a = render_song(song, effects=False, end_drum_tails=False)
    assert np.array_equal(a, render_song(song, effects=False))
