"""Mel-cepstral distance: the audio similarity score."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import soundfile
from hypothesis import given, settings
from hypothesis import strategies as st

from core.audio.render import render_song
from core.cli import main as cli_main
from core.errors import AudioError
from core.metrics.audio import (
    MCD_SAMPLERATE,
    dtw_path,
    mcd_from_cepstra,
    mel_cepstral_distance,
)
from core.model.song import Note, Song, TempoChange, Track
from core.scoring import mcd_files

SR = MCD_SAMPLERATE


def melody(shift=0, bpm=120.0) -> Song:
    notes = [Note(i * 240, 220, 60 + shift + (i * 5) % 12, 100) for i in range(16)]
    return Song(tempos=[TempoChange(0, bpm)], tracks=[Track("Lead", notes=notes)])


@pytest.fixture(scope="module")
def clip():
    return render_song(melody(), samplerate=SR, effects=False, lazy_samples=True)


def test_hand_computed_value():
    # One frame each, differing by 1 in one coefficient: (10 / ln 10) * sqrt(2 * 1).
    a = np.zeros((24, 1))
    b = np.zeros((24, 1))
    b[3, 0] = 1.0
    assert mcd_from_cepstra(a, b) == pytest.approx(10 / math.log(10) * math.sqrt(2), rel=1e-12)
    # Repeated frames are absorbed by the time warping: the same sequence, slower.
    seq = np.random.default_rng(0).normal(size=(24, 3))
    assert mcd_from_cepstra(seq, seq[:, [0, 0, 1, 2, 2]]) == 0.0


def test_dtw_finds_the_cheapest_path():
    rng = np.random.default_rng(1)
    for n, m in ((1, 1), (1, 5), (6, 7), (9, 4)):
        cost = rng.random((n, m))
        best = np.full((n + 1, m + 1), np.inf)
        best[0, 0] = 0.0
        for i in range(1, n + 1):
            for j in range(1, m + 1):
                best[i, j] = cost[i - 1, j - 1] + min(best[i - 1, j - 1], best[i - 1, j],
                                                      best[i, j - 1])
        path = dtw_path(cost)
        assert tuple(path[0]) == (0, 0) and tuple(path[-1]) == (n - 1, m - 1)
        assert np.all(np.diff(path, axis=0) >= 0)
        assert cost[path[:, 0], path[:, 1]].sum() == pytest.approx(best[n, m])


def test_identical_clip_scores_zero_and_different_music_does_not(clip):
    assert mel_cepstral_distance(clip, clip) == 0.0
    other = render_song(melody(shift=5), samplerate=SR, effects=False, lazy_samples=True)
    assert mel_cepstral_distance(clip, other) > 1.0


def test_grows_with_distortion(clip):
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(clip.shape).astype(np.float32)
    scores = [mel_cepstral_distance(clip, clip + level * noise) for level in (0.001, 0.01, 0.1)]
    assert 0 < scores[0] < scores[1] < scores[2]


def test_time_warping_forgives_a_slower_tempo(clip):
    slower = render_song(melody(bpm=110.0), samplerate=SR, effects=False, lazy_samples=True)
    other = render_song(melody(shift=5), samplerate=SR, effects=False, lazy_samples=True)
    assert mel_cepstral_distance(clip, slower) < mel_cepstral_distance(clip, other)


signals = st.builds(
    lambda seed, n: np.random.default_rng(seed).standard_normal(n).astype(np.float32) * 0.1,
    st.integers(0, 2**32 - 1), st.integers(0, SR // 2))


@settings(max_examples=15, deadline=None)
@given(signals, signals)
def test_properties_on_random_clips(a, b):
    if a.size == 0 or b.size == 0:
        assert math.isnan(mel_cepstral_distance(a, b))
        return
    assert mel_cepstral_distance(a, a) == 0.0
    ab, ba = mel_cepstral_distance(a, b), mel_cepstral_distance(b, a)
    assert ab == ba and ab >= 0.0


def test_files_midi_and_mismatched_rates(tmp_path, clip):
    from core.io.midi_io import write_midi

    write_midi(melody(), tmp_path / "song.mid")
    stereo48 = render_song(melody(), samplerate=48000, effects=False, lazy_samples=True)
    soundfile.write(tmp_path / "song48.flac", stereo48, 48000)
    soundfile.write(tmp_path / "song22.wav", clip, SR)
    # lazy_samples: the MIDI renders reuse the clip's warm synth (loading the whole
    # SoundFont for a second one cost 10 s here; the renders are the same either way).
    lazy = {"lazy_samples": True}
    assert mcd_files(tmp_path / "song.mid", tmp_path / "song.mid", **lazy) == 0.0
    # The same music at 48 kHz is resampled, not refused, and scores close to it.
    same = mcd_files(tmp_path / "song.mid", tmp_path / "song48.flac", **lazy)
    assert same < 0.5 * mel_cepstral_distance(
        clip, render_song(melody(shift=5), samplerate=SR, effects=False, lazy_samples=True))
    assert mcd_files(tmp_path / "song22.wav", tmp_path / "song.mid", **lazy) == pytest.approx(
        0.0, abs=0.05)


def test_non_audio_files_are_refused_by_name(tmp_path):
    text = tmp_path / "lyrics.wav"
    text.write_text("la la la")
    with pytest.raises(AudioError, match="not an audio file") as exc:
        mcd_files(text, text)
    assert "lyrics.wav" in str(exc.value)
    with pytest.raises(AudioError, match="file not found"):
        mcd_files(tmp_path / "gone.wav", text)


def test_cli_score_audio(tmp_path, capsys):
    from core.io.midi_io import write_midi

    write_midi(melody(), tmp_path / "a.mid")
    write_midi(melody(shift=5), tmp_path / "b.mid")
    assert cli_main(["score", "audio", str(tmp_path / "a.mid"), str(tmp_path / "b.mid"),
                     "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["mcd"] > 1.0 and doc["settings"]["c0"] == "excluded"
    assert cli_main(["score", "audio", str(tmp_path / "a.mid"), str(tmp_path / "x.wav")]) == 2
    err = capsys.readouterr().err
    assert err == f"songloom-cli: error: {tmp_path / 'x.wav'}: file not found\n"


def test_clips_too_long_to_align_are_refused_up_front(tmp_path):
    from core.io.midi_io import write_midi

    long_song = Song(tracks=[Track("Lead", notes=[Note(0, 480, 60, 90),
                                                  Note(480 * 2 * 200, 480, 62, 90)])])
    write_midi(long_song, tmp_path / "long.mid")
    with pytest.raises(AudioError, match="too long to compare") as exc:
        mcd_files(tmp_path / "long.mid", tmp_path / "long.mid")
    assert "long.mid" in str(exc.value)
    soundfile.write(tmp_path / "long.wav", np.zeros((SR * 181, 1), np.float32), SR)
    with pytest.raises(AudioError, match="too long to compare"):
        mcd_files(tmp_path / "long.wav", tmp_path / "long.wav")
