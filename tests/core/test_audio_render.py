"""Offline rendering: what a songwriter hears in the exported WAV/FLAC."""

from __future__ import annotations

import json
import shutil
import tracemalloc

import numpy as np
import pytest
import soundfile

from core.audio.render import iter_blocks, render_song, render_to_file
from core.audio.soundfonts import (
    bundled_soundfont,
    find_soundfonts,
    soundfont_or_bundled,
    validate_soundfont,
)
from core.audio.synth import Synth
from core.cli import main as cli_main
from core.errors import AudioError, SongloomError
from core.jobs import CancelToken, JobCancelled
from core.model.song import Note, Song, TempoChange, Track

SR = 44100


def one_note_song(tick=960, pitch=72, bpm=120.0, **track_kw) -> Song:
    track = Track("Lead", notes=[Note(tick, 480, pitch, 100)], **track_kw)
    return Song(tempos=[TempoChange(0, bpm)], tracks=[track])


def dry(song, **kw):
    return render_song(song, samplerate=kw.pop("samplerate", SR), effects=False,
                       lazy_samples=True, **kw)


def onset_s(audio, threshold=1e-3, sr=SR) -> float:
    loud = np.flatnonzero(np.abs(audio).max(axis=1) > threshold)
    assert len(loud), "the render is silent"
    return loud[0] / sr


# -- SoundFonts ---------------------------------------------------------------------------
def test_bundled_soundfont_ships_with_its_licence():
    sf = bundled_soundfont()
    assert validate_soundfont(sf) == sf
    licence = (sf.parent / "FluidR3Mono_GM.LICENSE.txt").read_text()
    assert "MIT" in licence and "Permission is hereby granted" in licence


def test_bad_soundfonts_say_why(tmp_path):
    with pytest.raises(AudioError, match="SoundFont not found") as exc:
        validate_soundfont(tmp_path / "nope.sf2")
    assert "nope.sf2" in str(exc.value)
    text = tmp_path / "notes.sf2"
    text.write_text("not a soundfont at all")
    with pytest.raises(AudioError, match="not a SoundFont"):
        validate_soundfont(text)
    truncated = tmp_path / "cut.sf3"
    truncated.write_bytes(bundled_soundfont().read_bytes()[:4096])
    with pytest.raises(AudioError, match="truncated"):
        validate_soundfont(truncated)
    # A valid header over garbage passes the quick check; FluidSynth's loader refuses it.
    garbage = tmp_path / "garbage.sf2"
    garbage.write_bytes(b"RIFF" + (1000).to_bytes(4, "little") + b"sfbk" + bytes(1000))
    with pytest.raises(AudioError, match="not a usable SoundFont") as exc:
        Synth(garbage)
    assert str(garbage) in str(exc.value)
    with pytest.raises(AudioError):
        render_song(one_note_song(), soundfont=garbage)


def test_app_falls_back_to_the_bundled_soundfont(tmp_path):
    path, warning = soundfont_or_bundled(tmp_path / "gone.sf2")
    assert path == bundled_soundfont()
    assert "gone.sf2" in warning and "bundled" in warning
    assert soundfont_or_bundled(None) == (bundled_soundfont(), None)


def test_find_soundfonts_lists_user_folders_once(tmp_path, monkeypatch):
    (tmp_path / "mine.sf2").write_bytes(b"RIFF")
    (tmp_path / "alias.sf3").symlink_to(bundled_soundfont())  # the same file twice
    (tmp_path / "readme.txt").write_text("x")
    monkeypatch.setenv("SONGLOOM_SOUNDFONT_DIRS", str(tmp_path))
    found = find_soundfonts()
    assert found[0] == bundled_soundfont()
    assert tmp_path / "mine.sf2" in found
    assert tmp_path / "alias.sf3" not in found
    assert all(p.suffix in (".sf2", ".sf3") for p in found)


# -- what the render sounds like ---------------------------------------------------------
def test_note_starts_on_time_and_rings_out():
    audio = dry(one_note_song(tick=960))  # beat 3 at 120 BPM = 1.0 s
    assert audio.dtype == np.float32 and audio.shape[1] == 2
    assert 1.0 <= onset_s(audio) <= 1.0 + 0.010
    assert np.abs(audio[: int(0.99 * SR)]).max() == 0.0
    # The note ends at 1.5 s; its release still sounds after it, then the file ends quietly.
    assert np.abs(audio[int(1.52 * SR): int(1.6 * SR)]).max() > 1e-3
    assert np.abs(audio[-512:]).max() < 1e-3
    assert len(audio) < (1.5 + 4.5) * SR


def test_tempo_changes_move_the_notes():
    song = one_note_song(tick=2400)
    song.tempos = [TempoChange(0, 120.0), TempoChange(1920, 60.0)]  # 2 s, then 480 ticks = 1 s
    assert 3.0 <= onset_s(dry(song)) <= 3.010


def test_mute_and_solo_decide_what_sounds():
    a = Track("A", program=0, notes=[Note(0, 480, 60, 100)])
    b = Track("B", program=40, channel=1, notes=[Note(0, 480, 67, 100)])
    both = Song(tracks=[a, b])
    a.mute = True
    muted = dry(both)
    a.mute, b.solo = False, True
    soloed = dry(both)
    assert np.array_equal(muted, soloed)
    b.solo = False
    assert not np.array_equal(dry(both), soloed)
    a.mute = b.mute = True
    with pytest.raises(SongloomError, match="nothing to render"):
        dry(both)


def test_pan_and_volume_are_heard():
    left = dry(one_note_song(tick=0, pan=0))
    assert np.abs(left[:, 0]).sum() > 20 * np.abs(left[:, 1]).sum()
    loud = np.sqrt(np.mean(dry(one_note_song(tick=0, volume=127)) ** 2))
    soft = np.sqrt(np.mean(dry(one_note_song(tick=0, volume=50)) ** 2))
    assert soft < 0.5 * loud


def _centroid(audio):
    spectrum = np.abs(np.fft.rfft(audio.mean(axis=1)))
    freqs = np.fft.rfftfreq(len(audio), 1 / SR)
    return float((spectrum * freqs).sum() / spectrum.sum())


def test_drum_tracks_play_the_drum_kit():
    # Key 42 is a closed hi-hat on the GM kit but a low F#2 on a piano.
    hat = dry(one_note_song(tick=0, pitch=42, is_drum=True, channel=9))
    piano = dry(one_note_song(tick=0, pitch=42))
    assert _centroid(hat) > 3 * _centroid(piano)


def test_dry_renders_are_identical():
    song = one_note_song()
    song.tracks.append(Track("Pad", program=48, channel=1,
                             notes=[Note(0, 1920, p, 70) for p in (48, 52, 55)]))
    assert np.array_equal(dry(song), dry(song))


# -- files -------------------------------------------------------------------------------
@pytest.mark.parametrize("name,rate,subtype", [("song.wav", 48000, "PCM_16"),
                                               ("song.flac", 44100, "PCM_24")])
def test_render_to_file_writes_wav_and_flac(tmp_path, name, rate, subtype):
    out = tmp_path / name
    bits = 24 if subtype == "PCM_24" else 16
    result = render_to_file(one_note_song(), out, samplerate=rate, bit_depth=bits,
                            lazy_samples=True)
    info = soundfile.info(str(out))
    assert (info.samplerate, info.channels, info.subtype) == (rate, 2, subtype)
    assert info.frames == pytest.approx(result.duration_s * rate, abs=1)
    assert result.duration_s > 1.5 and result.realtime_factor > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_bad_outputs_fail_cleanly(tmp_path):
    with pytest.raises(AudioError, match=r"\.wav or \.flac"):
        render_to_file(one_note_song(), tmp_path / "song.mp3")
    with pytest.raises(AudioError, match="does not exist"):
        render_to_file(one_note_song(), tmp_path / "missing" / "song.wav")
    with pytest.raises(AudioError, match="32-bit"):
        render_to_file(one_note_song(), tmp_path / "song.flac", bit_depth=32)
    with pytest.raises(AudioError, match="sample rate"):
        render_song(one_note_song(), samplerate=12345)
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_nothing_behind(tmp_path):
    token = CancelToken()
    song = one_note_song(tick=480 * 60)  # ~30 s, so several one-second blocks

    def progress(fraction, message):
        token.cancel()

    with pytest.raises(JobCancelled):
        render_to_file(song, tmp_path / "x.wav", progress=progress, cancel=token,
                       lazy_samples=True)
    assert list(tmp_path.iterdir()) == []


def test_long_songs_stream_to_disk(tmp_path):
    # Three minutes of stereo float would be 63 MB in memory; streaming keeps it at blocks.
    song = Song(tracks=[Track("Lead", notes=[Note(0, 480, 60, 90),
                                             Note(480 * 2 * 180, 480, 64, 90)])])
    tracemalloc.start()
    try:
        result = render_to_file(song, tmp_path / "long.wav", lazy_samples=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.duration_s > 180
    assert peak < 8 * 1024 * 1024


def test_iter_blocks_never_exceeds_the_block_size():
    from core.audio.events import song_events
    from core.audio.synth import warm_synth

    synth, lock = warm_synth(bundled_soundfont(), SR, effects=False, lazy_samples=True)
    with lock:
        sizes = [len(b) for b in iter_blocks(synth, song_events(one_note_song()), SR, 4096)]
    assert max(sizes) <= 4096 and sum(sizes) > 1.5 * SR


# -- the CLI -----------------------------------------------------------------------------
def test_cli_render_midi_and_project(tmp_path, capsys):
    from core.io.midi_io import write_midi
    from core.io.project_file import save_project

    song = one_note_song()
    write_midi(song, tmp_path / "song.mid")
    save_project(song, tmp_path / "song.songloom")
    assert cli_main(["render", str(tmp_path / "song.mid"), str(tmp_path / "a.wav")]) == 0
    assert "real time" in capsys.readouterr().out
    assert cli_main(["render", str(tmp_path / "song.songloom"), str(tmp_path / "b.flac"),
                     "--samplerate", "48000", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"duration_s", "render_s", "realtime_factor"} <= set(doc)
    assert soundfile.info(str(tmp_path / "b.flac")).samplerate == 48000


def test_cli_render_errors_are_one_line(tmp_path, capsys):
    from core.io.midi_io import write_midi

    write_midi(one_note_song(), tmp_path / "song.mid")
    bad_sf = tmp_path / "bad.sf2"
    shutil.copy(tmp_path / "song.mid", bad_sf)
    cases = [
        ([str(tmp_path / "none.mid"), str(tmp_path / "x.wav")], "none.mid: no such file"),
        ([str(tmp_path / "song.mid"), str(tmp_path / "x.wav"), "--soundfont", str(bad_sf)],
         "bad.sf2: not a SoundFont"),
        ([str(bad_sf), str(tmp_path / "x.wav")], "bad.sf2: unknown song file type"),
    ]
    for argv, expected in cases:
        assert cli_main(["render", *argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("songloom-cli: error: ")
        assert expected in err
    assert not (tmp_path / "x.wav").exists()


def test_cli_lists_soundfonts(tmp_path, monkeypatch, capsys):
    (tmp_path / "Strings.sf2").write_bytes(b"RIFF")
    monkeypatch.setenv("SONGLOOM_SOUNDFONT_DIRS", str(tmp_path))
    assert cli_main(["soundfonts", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["bundled"] == str(bundled_soundfont())
    assert str(tmp_path / "Strings.sf2") in doc["found"]
