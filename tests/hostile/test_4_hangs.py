"""Class 4: hangs. Parsing is linear, counts are bounded, and a FIFO is never opened."""

from __future__ import annotations

import os

import pytest
from hostile_harness import (
    assert_clean_error,
    assert_fast,
    assert_nothing_left,
    run_cli,
    snapshot,
)

from core.bench import hostile_files as hf
from core.model.limits import MAX_SYLLABLES, MAX_TRACKS


@pytest.mark.parametrize("char", ["/", "\\", "\r", "\n", "/\r\n"])
def test_a_lyric_event_of_separators_parses_in_linear_time(case_dir, char):
    """15 MB of '/' took more than 150 s (quadratic); the MIDI cap is 16 MiB."""
    size = 15 * 2**20 // len(char)
    body = hf.meta(0x05, (char * size).encode()) + hf.note() + hf.meta(0x05, b"la") + hf.note()
    path = case_dir / "slashes.mid"
    path.write_bytes(hf.midi_file([hf.track_chunk(body)], fmt=0))
    out = run_cli("info", path, cwd=case_dir)
    assert_fast(out)
    assert out.rc == 0, out.stderr[-2000:]
    assert "lyrics:" in out.stdout and len(out.stdout) < 2000


def test_70000_empty_tracks_are_refused_quickly(case_dir):
    doc = hf.project_doc(tracks=[{}] * 70_000)
    path = case_dir / "tracks.songloom"
    path.write_bytes(hf.project_text(doc))
    assert path.stat().st_size < 300_000
    assert_clean_error(run_cli("info", path, cwd=case_dir), "70,000 tracks", str(MAX_TRACKS))


def test_too_many_syllables_are_refused(case_dir):
    syllables = [{"text": "la", "tick": i} for i in range(MAX_SYLLABLES + 1)]
    doc = hf.project_doc(lyrics={"sections": [{"name": "v", "lines": [
        {"text": "la", "syllables": syllables}]}]})
    path = case_dir / "syl.songloom"
    path.write_bytes(hf.project_text(doc))
    assert_clean_error(run_cli("info", path, cwd=case_dir), "syllables")


def test_too_many_lyric_events_in_a_midi_file_are_refused(case_dir):
    body = b"".join(hf.meta(0x05, b"la", delta=1) for _ in range(MAX_SYLLABLES + 1))
    path = case_dir / "syl.mid"
    path.write_bytes(hf.midi_file([hf.track_chunk(body + hf.note())], fmt=0))
    assert_clean_error(run_cli("info", path, cwd=case_dir), "syllables")


def test_more_than_a_million_events_are_refused(case_dir):
    body = b"".join(bytes((0x00, 0xB0, 7, 100)) if i == 0 else bytes((0x00, 7, 100))
                    for i in range(1_000_001))
    path = case_dir / "events.mid"
    path.write_bytes(hf.midi_file([hf.track_chunk(body)], fmt=0))
    assert_clean_error(run_cli("info", path, cwd=case_dir), "events")


@pytest.fixture
def fifo(case_dir):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")

    def make(name: str):
        path = case_dir / name
        os.mkfifo(path)
        return path

    return make


@pytest.mark.parametrize("command", [
    ("info", "{fifo}"),
    ("convert", "{fifo}", "{d}/out.mid"),
    ("render", "{fifo}", "{d}/out.wav", "--soundfont", "{sf}"),
    ("generate", "music", "--from", "{fifo}", "--regenerate-track", "bass", "--out", "{d}/o.mid",
     "--model", "{model}"),
    ("generate", "music", "--continue", "{fifo}", "--out", "{d}/o.mid", "--model", "{model}"),
    ("lyrics", "--melody", "{fifo}"),
])
def test_a_fifo_named_song_mid_is_refused_not_opened(fifo, case_dir, soundfont, tiny_music,
                                                     command):
    path = fifo("song.mid")
    before = snapshot(case_dir)
    args = [a.format(fifo=path, d=case_dir, sf=soundfont, model=tiny_music) for a in command]
    assert_clean_error(run_cli(*args, cwd=case_dir), "pipe", "song.mid")
    assert_nothing_left(case_dir, before)


def test_a_fifo_soundfont_is_refused_not_opened(fifo, case_dir):
    path = fifo("font.sf2")
    song = case_dir / "s.songloom"
    song.write_bytes(hf.project_text())
    before = snapshot(case_dir)
    out = run_cli("render", song, case_dir / "o.wav", "--soundfont", path, cwd=case_dir)
    assert_clean_error(out, "pipe", "font.sf2")
    assert_nothing_left(case_dir, before)


@pytest.mark.parametrize("name", ["config.json", "model.safetensors", "songloom.json",
                                  "tokenizer.json", "corpus_index.npz"])
def test_a_fifo_in_a_lyrics_model_folder_is_refused(tiny_gpt2, case_dir, name):
    (tiny_gpt2 / name).unlink()
    os.mkfifo(tiny_gpt2 / name)
    out = run_cli("lyrics", "--model", tiny_gpt2, "--lines", "1", cwd=case_dir)
    assert_clean_error(out, "pipe", name)


@pytest.mark.parametrize("name", ["config.json", "generator.safetensors", "pitch_priors.json"])
def test_a_fifo_in_a_music_model_folder_is_refused(tiny_music, case_dir, name):
    if (tiny_music / name).exists():
        (tiny_music / name).unlink()
    os.mkfifo(tiny_music / name)
    out = run_cli("generate", "music", "--model", tiny_music, "--out", case_dir / "o.mid",
                  cwd=case_dir)
    assert_clean_error(out, "pipe", name)


def test_a_fifo_text_file_is_refused(fifo, case_dir):
    path = fifo("words.txt")
    assert_clean_error(run_cli("score", "lyrics", path, cwd=case_dir), "pipe")
