"""Real-time playback through a fake output device (there is no sound card here).

The fake calls the player's callback at the pace of a real device and records what it
produced, so these tests listen to the same audio a songwriter would hear.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from core.audio.fake_stream import FakeOutputStream
from core.audio.player import Player, output_device_problem
from core.model.song import Note, Song, TempoChange, Track

SR = 44100
BLOCK = 256


def song_of(notes, bpm=120.0, drums=False) -> Song:
    track = Track("T", is_drum=drums, channel=9 if drums else 0,
                  notes=[Note(t, d, p, 110) for t, d, p in notes])
    return Song(tempos=[TempoChange(0, bpm)], tracks=[track])


LONG = song_of([(i * 480, 400, 60 + i % 12) for i in range(64)])  # 16 s of quarter notes


@pytest.fixture(scope="module")
def rig():
    """One player (loading the SoundFont takes seconds) on a fake device, shared."""
    streams: list[FakeOutputStream] = []

    def factory(**kwargs):
        stream = FakeOutputStream(**kwargs)
        streams.append(stream)
        return stream

    player = Player(stream_factory=factory, samplerate=SR, blocksize=BLOCK)
    assert player.available and player.wait_ready(60)
    player.load(LONG)
    assert player.audition(0, velocity=1, duration_s=0.01)  # opens the stream
    yield player, streams[0]
    player.close()
    assert streams[0].callback_error is None and player.callback_error == ""


@pytest.fixture
def player(rig):
    p, stream = rig
    p.stop()
    p.set_loop(None, None)
    p.set_tempo_scale(1.0)
    p.load(LONG)
    return p, stream


def frames(stream, seconds):
    assert stream.wait_frames(int(seconds * SR), timeout=10 + 4 * seconds)


def test_no_output_device_is_reported_plainly():
    problem = output_device_problem()
    if problem is None:
        pytest.skip("this machine has an audio output device")
    player = Player()
    assert not player.available and player.unavailable_reason == problem
    player.load(LONG)
    assert player.play() is False and not player.is_playing
    assert player.audition(60) is False
    player.seek(960)
    assert player.position_ticks == 960  # the playhead still follows the user
    player.close()


def test_a_device_that_cannot_open_is_reported():
    def broken(**kwargs):
        raise OSError("Device unavailable [PaErrorCode -9985]")

    player = Player(stream_factory=broken)
    player.load(LONG)
    assert player.play() is False
    assert not player.available
    assert "Cannot open the audio output" in player.unavailable_reason
    assert "Device unavailable" in player.unavailable_reason
    player.close()


def test_latency_is_within_25_ms(player):
    p, stream = player
    assert stream.requested_latency + p.blocksize / p.samplerate <= 0.025
    assert p.latency_s + p.blocksize / p.samplerate <= 0.025


def test_playhead_follows_the_audio_clock(player):
    p, stream = player
    assert p.play() and p.is_playing
    start = stream.frames_done
    frames(stream, 0.4)
    heard = (stream.frames_done - start) / SR
    assert abs(p.position_seconds - heard) <= 4 * BLOCK / SR
    assert np.abs(stream.recorded(0.3)).max() > 0.01
    assert p.position_ticks == LONG.seconds_to_tick(p.position_seconds)


def _onsets(mono, threshold):
    loud = np.abs(mono) > threshold
    starts = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    keep = [s for s in starts if not loud[max(0, s - 2205):s].any()]  # 50 ms quiet before
    return keep


def test_notes_start_at_their_sample_not_their_block(player):
    p, stream = player
    # Two hi-hat hits 0.503 s apart: 22,182 frames, not a whole number of 256-frame blocks.
    bpm = 483 * 60 / (480 * 0.503)  # 483 ticks = 0.503 s exactly
    hits = song_of([(240, 60, 42), (240 + 483, 60, 42)], bpm=bpm, drums=True)
    p.load(hits)
    p.play()
    started = stream.frames_done
    frames(stream, 1.2)
    audio = stream.recorded((stream.frames_done - started) / SR).mean(axis=1)
    peak = np.abs(audio).max()
    # Skip the first 0.1 s: the previous test's reverb may still be fading there.
    onsets = [o for o in _onsets(audio, 0.25 * peak) if o > 0.1 * SR]
    assert len(onsets) == 2, onsets
    gap = (onsets[1] - onsets[0]) / SR
    # FluidSynth applies events on its 64-frame edges: <= 64 frames (1.45 ms) apart.
    assert abs(gap - 0.503) <= 1.5e-3


def test_pause_holds_and_stop_rewinds(player):
    p, stream = player
    p.play()
    frames(stream, 0.3)
    p.pause()
    held = p.position_ticks
    frames(stream, 0.1)
    assert not p.is_playing and p.position_ticks == held > 0
    p.play()
    frames(stream, 0.1)
    assert p.position_ticks > held
    p.stop()
    assert not p.is_playing and p.position_ticks == 0
    frames(stream, 0.6)
    assert np.abs(stream.recorded(0.1)).max() < 0.01  # silence after stop


def test_seek_moves_the_playhead(player):
    p, stream = player
    p.seek(4800)
    assert p.position_ticks == 4800
    p.play()
    frames(stream, 0.2)
    assert 4800 < p.position_ticks < 4800 + 480


def test_loop_region_repeats(player):
    p, stream = player
    p.set_loop(0, 960)  # two beats at 120 BPM = 0.5 s
    p.play()
    seen = []
    for _ in range(40):
        frames(stream, 0.03)
        seen.append(p.position_ticks)
    assert p.is_playing
    assert max(seen) < 960
    assert any(b < a for a, b in zip(seen, seen[1:], strict=False))  # it jumped back


def test_tempo_changes_are_heard_at_once(player):
    p, stream = player
    p.play()
    frames(stream, 0.1)
    p.set_tempo_scale(2.0)
    before, start = p.position_seconds, stream.frames_done
    frames(stream, 0.4)
    rate = (p.position_seconds - before) / ((stream.frames_done - start) / SR)
    assert rate == pytest.approx(2.0, abs=0.15)


def test_loading_an_edit_keeps_the_bar(player):
    p, stream = player
    p.play()
    frames(stream, 0.5)
    slower = song_of([(n.start, n.duration, n.pitch) for n in LONG.tracks[0].notes], bpm=60)
    tick = p.position_ticks
    p.load(slower)
    assert abs(p.position_ticks - tick) <= 480 * 0.1  # same place, now at half the pace
    assert p.is_playing


def test_playback_stops_at_the_end(player):
    p, stream = player
    p.load(song_of([(0, 240, 67)]))  # 0.25 s
    p.play()
    frames(stream, 0.5)
    deadline = time.monotonic() + 2
    while p.is_playing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not p.is_playing and p.position_ticks == 240


def test_audition_sounds_within_two_blocks(player):
    p, stream = player
    frames(stream, 0.8)  # let everything ring out
    assert np.abs(stream.recorded(0.05)).max() < 2e-3
    called = stream.frames_done
    assert p.audition(64, velocity=110, program=0, duration_s=0.2)
    frames(stream, 0.3)
    audio = np.abs(stream.recorded(0.3).mean(axis=1))
    first_loud = stream.frames_done - len(audio) + int(np.argmax(audio > 0.01))
    assert audio.max() > 0.02
    assert first_loud - called <= 2 * BLOCK + 64


def test_a_broken_soundfont_falls_back_to_the_bundled_one(tmp_path):
    from core.audio.soundfonts import bundled_soundfont

    garbage = tmp_path / "broken.sf2"  # a valid header over garbage: only FluidSynth can tell
    garbage.write_bytes(b"RIFF" + (1000).to_bytes(4, "little") + b"sfbk" + bytes(1000))
    player = Player(soundfont=garbage, stream_factory=FakeOutputStream)
    try:
        assert player.wait_ready(60)
        assert player.soundfont == bundled_soundfont()
        assert "broken.sf2" in player.soundfont_warning and "bundled" in player.soundfont_warning
        player.load(LONG)
        assert player.play()
    finally:
        player.close()
