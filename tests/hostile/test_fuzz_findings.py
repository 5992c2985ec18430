"""What the fuzzer found (songloom-cli bench fuzz), each kept as a small test."""

from __future__ import annotations

import json

import pytest
from hostile_harness import assert_clean_error, run_cli

from core.bench import hostile_files as hf
from core.errors import SongloomError
from core.model.limits import MAX_LINE_CHARS
from core.model.song import LyricLine, Lyrics, LyricSection, Note, Song, Syllable, Track


def test_a_lyric_line_too_long_once_rebuilt_from_midi_syllables_is_not_written(case_dir):
    """The stored line text fit the limit, but read_midi rebuilds it from the syllables
    (a space between words): 20,307 characters. The MIDI file was written, then refused."""
    from core.io.song_io import save_song

    syllables = [Syllable("la" * 60, tick=i * 10) for i in range(170)]
    line = LyricLine("short", syllables)
    song = Song(tracks=[Track("v", role="melody", notes=[Note(0, 480, 60, 90)])],
                lyrics=Lyrics([LyricSection("verse", [line])]))
    assert len(line.text) <= MAX_LINE_CHARS
    with pytest.raises(SongloomError, match="lyric line"):
        save_song(song, case_dir / "long.mid")
    assert list(case_dir.iterdir()) == []
    save_song(song, case_dir / "long.songloom")  # the project keeps the text as it is


def test_millions_of_tiny_lists_are_refused_before_parsing(case_dir):
    """16 MB of nested lists took 10 s and gigabytes to parse; now counted first."""
    doc = hf.project_doc()
    doc["song"]["later"] = "__LISTS__"
    text = json.dumps(doc).replace('"__LISTS__"', "[" + ",".join(["[]"] * 1_600_000) + "]")
    path = case_dir / "lists.songloom"
    path.write_text(text)
    assert_clean_error(run_cli("info", path, cwd=case_dir), "lists and objects")


def test_a_tokenizer_config_that_breaks_on_first_use_is_refused_at_load(tiny_gpt2):
    from core.errors import ModelError
    from core.lyrics.model_store import load_lyrics_model

    cfg = json.loads((tiny_gpt2 / "tokenizer_config.json").read_text())
    cfg["model_max_length"] = [0]
    (tiny_gpt2 / "tokenizer_config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError) as err:
        load_lyrics_model(tiny_gpt2, cached=False)
    assert "\n" not in str(err.value)
