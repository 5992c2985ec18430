"""Chinese lyrics in files and on the command line: UTF-8 through MIDI, KAR and .songloom,
one character per note, and songloom-cli lyrics --language zh."""

from __future__ import annotations

import json

import pytest
from zh_support import TUNE, zh_model_dir  # noqa: F401

from core.cli import main
from core.model.song import Note, Song, Track


def _song(phrases=(5, 7)) -> Song:
    notes, t = [], 0
    for n in phrases:
        for _ in range(n):
            notes.append(Note(t, 240, 64))
            t += 240
        t += 480  # a rest ends the phrase
    return Song(tracks=[Track("Voice", role="melody", notes=notes)])


@pytest.mark.parametrize("ext", ["mid", "kar", "songloom"])
def test_chinese_lyrics_round_trip_one_character_per_note(tmp_path, ext):
    from core.io.song_io import load_song, save_song
    from core.lyrics.zh.align import align_zh

    song = align_zh(_song(), ["春风吹绿岸", "明月照我还 home"])
    ticks = [s.tick for s in song.lyrics.syllables()]
    onsets = [n.start for n in song.tracks[0].notes]
    assert ticks == onsets[:len(ticks)]  # 春 风 ... each on its own note; "home" one note
    save_song(song, tmp_path / f"s.{ext}")
    back = load_song(tmp_path / f"s.{ext}")
    lines = back.lyrics.lines()
    assert [x.text for x in lines] == ["春风吹绿岸", "明月照我还 home"]
    assert [s.text for s in lines[0].syllables] == list("春风吹绿岸")
    assert [s.tick for s in back.lyrics.syllables()] == ticks


def test_midi_lyric_events_are_utf8(tmp_path):
    from core.io.song_io import save_song
    from core.lyrics.zh.align import align_zh

    save_song(align_zh(_song(), ["春风吹绿岸"]), tmp_path / "s.mid")
    data = (tmp_path / "s.mid").read_bytes()
    assert b"\xff\x05\x03" + "春".encode() in data  # Lyric meta event, 3 UTF-8 bytes


def test_kar_export_says_whether_players_show_chinese(capsys, zh_model_dir, tmp_path):  # noqa: F811
    from core.io.song_io import save_song
    from core.lyrics.zh.align import align_zh, kar_note

    assert kar_note(align_zh(_song(), ["spring wind"])) is None
    note = kar_note(align_zh(_song(), ["春风吹绿岸"]))
    assert "Chinese" in note and "UTF-8" in note and "karaoke players" in note
    save_song(_song(), tmp_path / "m.mid")
    code = main(["lyrics", "--language", "zh", "--model", str(zh_model_dir), "--melody",
                 str(tmp_path / "m.mid"), "--candidates", "2",
                 "--write-song", str(tmp_path / "out.kar")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "karaoke players" in err and "out.kar" in err
    assert [len(x) for x in out.split()] == [5, 7]


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_same_seed_same_lines(capsys, zh_model_dir):  # noqa: F811
    args = ["lyrics", "--language", "zh", "--model", str(zh_model_dir), "--pattern", TUNE,
            "--theme", "秋月", "--seed", "3", "--candidates", "2", "--json"]
    code, out, err = _run(capsys, *args)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["lengths"] == doc["targets"] == [5, 5, 7, 5]
    assert doc["rhyme"] == "AA-A"
    groups = doc["rhyme_groups"]
    assert groups[2] is None and groups[0] == groups[1] == groups[3] == doc["set_groups"]["A"]
    assert json.loads(_run(capsys, *args)[1])["lines"] == doc["lines"]


def test_cli_samples_with_the_chinese_writers_own_defaults(capsys, zh_model_dir):  # noqa: F811
    """Without sampling options, `--language zh` writes what the Chinese writer (and its
    bench, and the app) write: ZhRequest's temperature, top-k, top-p and candidates, not
    the English sampler's 0.9 / 50 / 0.95 / 8 (the CLI once wrote weaker lines than the
    bench measured)."""
    from core.lyrics.zh.writer import ZhRequest

    base = ["lyrics", "--language", "zh", "--model", str(zh_model_dir), "--pattern", TUNE,
            "--theme", "秋月", "--seed", "5", "--json"]
    plain = json.loads(_run(capsys, *base)[1])["lines"]
    spelled = ["--temperature", str(ZhRequest.temperature), "--top-k", str(ZhRequest.top_k),
               "--top-p", str(ZhRequest.top_p), "--candidates", str(ZhRequest.candidates)]
    assert json.loads(_run(capsys, *base, *spelled)[1])["lines"] == plain
    english = ["--temperature", "0.9", "--top-k", "50", "--top-p", "0.95", "--candidates", "8"]
    assert json.loads(_run(capsys, *base, *english)[1])["lines"] != plain


@pytest.mark.parametrize("melody_file", ["m.mid", "m.songloom"])
def test_cli_melody_sets_line_lengths(capsys, zh_model_dir, tmp_path, melody_file):  # noqa: F811
    from core.io.song_io import save_song

    save_song(_song((4, 6, 4, 6)), tmp_path / melody_file)
    code, out, err = _run(capsys, "lyrics", "--language", "zh", "--model", str(zh_model_dir),
                          "--melody", str(tmp_path / melody_file), "--candidates", "2", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["lengths"] == [4, 6, 4, 6] and doc["rhyme"] == "AA-A"


def test_cli_bad_input_one_clear_error(capsys, zh_model_dir, tmp_path):  # noqa: F811
    base = ["lyrics", "--language", "zh", "--model", str(zh_model_dir)]
    code, out, err = _run(capsys, *base, "--pattern", "试调")
    assert code == 2 and "unknown tune pattern '试调' (close names: 试调令)" in err
    code, out, err = _run(capsys, *base, "--lengths", "5,24")
    assert code == 2 and "each must be 1 to 20 characters" in err
    bad = tmp_path / "old.txt"
    bad.write_bytes("春风吹绿岸\n".encode("gb18030"))
    code, out, err = _run(capsys, *base, "--pattern", TUNE, "--from-file", str(bad),
                          "--regenerate", "2")
    assert code == 2 and "not UTF-8" in err and "old.txt" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    code, out, err = _run(capsys, "lyrics", "--pattern", TUNE)
    assert code == 2 and "--language zh" in err


def test_cli_melody_phrase_longer_than_any_pattern_line(capsys, zh_model_dir, tmp_path):  # noqa: F811
    from core.io.song_io import save_song

    save_song(_song((5, 11)), tmp_path / "pop.mid")
    code, out, err = _run(capsys, "lyrics", "--language", "zh", "--model", str(zh_model_dir),
                          "--melody", str(tmp_path / "pop.mid"), "--candidates", "2", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["lengths"] == [5, 11]
    assert "phrases 2 (11 notes) are longer than any tune pattern's line" in err
    assert doc["notes"] and "11 notes" in doc["notes"][0]


def test_cli_regenerate_one_line_from_a_file(capsys, zh_model_dir, tmp_path):  # noqa: F811
    args = ["lyrics", "--language", "zh", "--model", str(zh_model_dir), "--pattern", TUNE,
            "--seed", "1", "--candidates", "2", "--json", "--lock", "1=明月 moon 照花家"]
    code, out, err = _run(capsys, *args)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["lines"][0] == "明月 moon 照花家" and doc["set_groups"]["A"] == "麻"
    src = tmp_path / "draft.txt"
    src.write_text("\n".join(doc["lines"]) + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "lyrics", "--language", "zh", "--model", str(zh_model_dir),
                          "--pattern", TUNE, "--from-file", str(src), "--regenerate", "4",
                          "--candidates", "2", "--json")
    assert code == 0, err
    new = json.loads(out)
    assert new["lines"][:3] == doc["lines"][:3] and new["lines"][3] != doc["lines"][3]
    assert new["rhyme_groups"][3] == "麻"
