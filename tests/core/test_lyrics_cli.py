"""songloom-cli lyrics / score lyrics / train lyrics: outputs and one-line errors."""

from __future__ import annotations

import json

import pytest
from test_lyrics_support import LINES, tiny_model_dir  # noqa: F401 - fixture

from core.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lyrics_json_same_seed_same_lines(capsys, tiny_model_dir):  # noqa: F811
    args = ["lyrics", "--model", str(tiny_model_dir), "--lines", "3", "--syllables", "6",
            "--rhyme", "free", "--seed", "4", "--candidates", "2", "--json"]
    code, out, err = _run(capsys, *args)
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["lines"]) == 3 and len(doc["syllables"]) == 3
    assert json.loads(_run(capsys, *args)[1])["lines"] == doc["lines"]


@pytest.mark.parametrize("melody_file", ["m.mid", "m.songloom"])  # a project, as generate writes
def test_lyrics_from_melody_writes_aligned_song(capsys, tiny_model_dir, tmp_path,  # noqa: F811
                                                melody_file):
    from core.io.midi_io import read_midi
    from core.io.song_io import save_song
    from core.model.song import Note, Song, Track

    notes = [Note(i * 240 + (480 if i >= 5 else 0), 240, 60 + i) for i in range(11)]
    save_song(Song(tracks=[Track("Voice", role="melody", notes=notes)]), tmp_path / melody_file)
    code, out, err = _run(capsys, "lyrics", "--model", str(tiny_model_dir), "--melody",
                          str(tmp_path / melody_file), "--candidates", "2", "--json",
                          "--write-song", str(tmp_path / "out.mid"))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["targets"] == [5, 6]
    song = read_midi(tmp_path / "out.mid")
    assert [s.text for s in song.lyrics.syllables()], doc
    assert {s.tick for s in song.lyrics.syllables()} <= {n.start for n in notes}


def test_lyrics_written_into_a_generated_project_keep_its_style(capsys, tiny_model_dir,  # noqa: F811
                                                                 tmp_path):
    """generate music --out x.songloom, then lyrics --melody x.songloom --write-song y.songloom:
    y keeps x's generation block, so the app reopens it on pop, not on its defaults."""
    from core.io.project_file import read_project_document

    song = tmp_path / "pop.songloom"
    assert main(["generate", "music", "--style", "pop", "--bars", "4", "--seed", "1",
                 "--out", str(song)]) == 0
    out = tmp_path / "with-lyrics.songloom"
    code, _out, err = _run(capsys, "lyrics", "--model", str(tiny_model_dir), "--melody",
                           str(song), "--candidates", "2", "--write-song", str(out))
    assert code == 0, err
    assert read_project_document(out)["generation"]["music"]["style"] == "pop"


def test_bad_input_gives_one_error_line(capsys, tmp_path):
    for argv, needle in [
        (["lyrics", "--lines", "0"], "lines 0"),
        (["lyrics", "--syllables", "200"], "syllables 200"),
        (["lyrics", "--rhyme", "XYZ"], "unknown rhyme scheme"),
        (["lyrics", "--model", str(tmp_path)], "config.json is missing"),
        (["lyrics", "--melody", str(tmp_path / "none.mid")], "none.mid"),
    ]:
        code, out, err = _run(capsys, *argv)
        assert code == 2, (argv, err)
        assert err.count("\n") == 1 and err.startswith("songloom-cli: error: ") and needle in err, err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe bad\n")
    code, _, err = _run(capsys, "train", "lyrics", "--text", str(bad), "--out", str(tmp_path / "o"))
    assert code == 2 and "bad.txt: not UTF-8" in err


def test_score_lyrics_json(capsys, tmp_path):
    import sacrebleu

    hyp, ref = tmp_path / "h.txt", tmp_path / "r.txt"
    hyp.write_text("\n".join(LINES[:4]), encoding="utf-8")
    ref.write_text("\n".join(LINES[1:5]), encoding="utf-8")
    code, out, err = _run(capsys, "score", "lyrics", str(hyp), "--ref", str(ref), "--rhyme", "AABB",
                          "--syllables", "8", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["bleu"] == sacrebleu.corpus_bleu(LINES[:4], [LINES[1:5]]).score
    assert doc["chrf"] == sacrebleu.corpus_chrf(LINES[:4], [LINES[1:5]]).score
    assert doc["rhyme_adherence"] == 1.0
    for key in ("distinct_1", "distinct_2", "syllable_fit", "originality_longest_shared_words"):
        assert key in doc


def test_rhyme_suggestions_from_the_command_line(capsys):
    code, out, err = _run(capsys, "lyrics", "--rhymes-for", "night", "--theme", "city lights", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["rhymes"][0] == "light" and "beit" not in doc["rhymes"]


def test_keep_lock_and_continue_from_the_command_line(capsys, tiny_model_dir, tmp_path):  # noqa: F811
    draft = tmp_path / "draft.txt"
    draft.write_text("the stars are bright above the hill\nI walked alone beside the sea\n"
                     "and all the night is calm and still\nand heard the wind that sang to me\n")
    base = ["lyrics", "--model", str(tiny_model_dir), "--syllables", "8", "--rhyme", "ABAB",
            "--candidates", "2", "--json"]
    code, out, err = _run(capsys, *base, "--from-file", str(draft), "--keep", "1,3")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["locked"] == [1, 3] and len(doc["lines"]) == 4
    assert doc["lines"][0] == "the stars are bright above the hill"
    assert doc["lines"][2] == "and all the night is calm and still"
    code, out, err = _run(capsys, *base, "--lines", "3", "--first-line", "I walked alone beside the sea",
                          "--lock", "3=and heard the wind that sang to me")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["lines"][0] == "I walked alone beside the sea"
    assert doc["lines"][2] == "and heard the wind that sang to me"


def test_rewrite_one_line_prints_numbered_choices(capsys, tiny_model_dir, tmp_path):  # noqa: F811
    draft = tmp_path / "draft.txt"
    draft.write_text("\n".join(LINES[:4]) + "\n")
    code, out, err = _run(capsys, "lyrics", "--model", str(tiny_model_dir), "--from-file", str(draft),
                          "--regenerate", "3", "--choices", "3", "--rhyme", "AABB", "--syllables", "8",
                          "--candidates", "4")
    assert code == 0, err
    rows = out.strip().splitlines()
    assert 1 <= len(rows) <= 3 and rows[0].startswith("1. "), out
    assert all(r.split(". ", 1)[1] != LINES[2] for r in rows)
    if len(rows) < 3:
        assert "only" in err and "line 3" in err


def test_misses_and_notices_are_said_in_plain_output(capsys, tiny_model_dir):  # noqa: F811
    code, out, err = _run(capsys, "lyrics", "--model", str(tiny_model_dir), "--lines", "2",
                          "--syllables", "6", "--rhyme", "free", "--candidates", "2",
                          "--lock", "1=I walked alone beside the sea tonight", "--theme", "Winterstraße")
    assert code == 0, err
    assert out.splitlines()[0] == "I walked alone beside the sea tonight"
    assert "note: line 1 has 10 syllables (target 6)" in err
    assert "German" in err and "English" in err


def test_workflow_options_give_one_line_errors(capsys, tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("one line\ntwo lines\n")
    for argv, needle in [
        (["lyrics", "--regenerate", "2"], "--regenerate needs --from-file"),
        (["lyrics", "--keep", "1"], "--keep needs --from-file"),
        (["lyrics", "--lock", "one=hello"], "use N=TEXT"),
        (["lyrics", "--lines", "1", "--first-line", "a", "--first-line", "b"], "the verse has 1"),
        (["lyrics", "--from-file", str(draft), "--regenerate", "5"], "the file has 2 lines"),
        (["lyrics", "--from-file", str(draft), "--keep", "1,x"], "use line numbers"),
        (["lyrics", "--diction", "ancient"], "invalid choice"),
    ]:
        code, out, err = _run(capsys, *argv)
        assert code == 2, (argv, err)
        assert needle in err, (argv, err)
