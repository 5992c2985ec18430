"""songloom-cli lyrics / score lyrics / train lyrics: outputs and one-line errors."""

from __future__ import annotations

import json

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


def test_lyrics_from_melody_writes_aligned_song(capsys, tiny_model_dir, tmp_path):  # noqa: F811
    from core.io.midi_io import read_midi, write_midi
    from core.model.song import Note, Song, Track

    notes = [Note(i * 240 + (480 if i >= 5 else 0), 240, 60 + i) for i in range(11)]
    write_midi(Song(tracks=[Track("Voice", role="melody", notes=notes)]), tmp_path / "m.mid")
    code, out, err = _run(capsys, "lyrics", "--model", str(tiny_model_dir), "--melody",
                          str(tmp_path / "m.mid"), "--candidates", "2", "--json",
                          "--write-song", str(tmp_path / "out.mid"))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["targets"] == [5, 6]
    song = read_midi(tmp_path / "out.mid")
    assert [s.text for s in song.lyrics.syllables()], doc
    assert {s.tick for s in song.lyrics.syllables()} <= {n.start for n in notes}


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
