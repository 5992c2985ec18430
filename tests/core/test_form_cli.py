"""songloom-cli generate music --form/--chords, and the form in its --json report."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from core.io.song_io import load_song


def _run(capsys, *argv):
    rc = main(["generate", "music", *argv])
    return rc, capsys.readouterr()


def test_form_and_chords_are_written_and_reported(tmp_path, capsys):
    out = tmp_path / "song.songloom"
    rc, cap = _run(capsys, "--form", "verse:4 chorus:4", "--chords", "verse=I vi IV V; chorus=IV V I I",
                   "--key", "G", "--out", str(out), "--json")
    assert rc == 0
    info = json.loads(cap.out)["songs"][0]
    assert [(s["label"], s["start_bar"], s["bars"]) for s in info["sections"]] == [
        ("Verse", 1, 4), ("Chorus", 5, 4)]
    assert [c["chord"] for c in info["chords"]] == ["G", "Em", "C", "D", "C", "D", "G"]
    assert [c["roman"] for c in info["chords"]][:4] == ["I", "vi", "IV", "V"]
    song = load_song(out)
    assert [s.name for s in song.sections] == ["verse", "chorus"]
    assert song.chords[-1].chord.name() == "G" and song.chords[-1].duration == 2 * 1920


def test_regenerating_a_track_under_new_chords_keeps_the_others(tmp_path, capsys):
    first, second = tmp_path / "a.songloom", tmp_path / "b.songloom"
    assert _run(capsys, "--form", "verse:4", "--chords", "C Am F G", "--out", str(first))[0] == 0
    rc, _ = _run(capsys, "--from", str(first), "--regenerate-track", "bass", "--chords",
                 "C Dm F G", "--out", str(second), "--seed", "3")
    assert rc == 0
    a, b = load_song(first), load_song(second)
    assert [c.chord.name() for c in b.chords] == ["C", "Dm", "F", "G"]
    assert a.track_by_role("melody").notes == b.track_by_role("melody").notes
    assert {n.pitch % 12 for n in b.track_by_role("bass").notes if n.start == 1920} == {2}


@pytest.mark.parametrize("extra, needle", [
    (["--form", "sonata"], "unknown form 'sonata'"),
    (["--form", "verse kazoo"], "unknown section 'kazoo'"),
    (["--form", "verse", "--chords", "I IV V"], "3 bars does not fit the 8-bar verse"),
    (["--chords", "C Am F H"], "unknown chord symbol 'H'"),
    (["--chords", "C D F G"], "chord D (V/V) has notes outside C major"),
    (["--form", "verse", "--bars", "4"], "lasts 8 bars, not 4"),
])
def test_bad_form_or_chords_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, extra, needle):
    out = tmp_path / "x.mid"
    rc, cap = _run(capsys, *extra, "--out", str(out))
    assert rc == 2 and needle in cap.err and len(cap.err.strip().splitlines()) == 1
    assert not out.exists()


def test_chromatic_chords_need_allow_chromatic(tmp_path, capsys):
    out = tmp_path / "x.mid"
    rc, _ = _run(capsys, "--form", "verse:4", "--chords", "C D G C", "--allow-chromatic",
                 "--out", str(out))
    assert rc == 0 and out.exists()


def test_score_music_judges_the_form_rows_against_each_style_s_folds(tmp_path, capsys):
    out = tmp_path / "s.mid"
    assert _run(capsys, "--form", "verse:4 chorus:4", "--out", str(out))[0] == 0
    assert main(["score", "music", str(out), "--json"]) == 0
    cv = json.loads(capsys.readouterr().out)["cross_validation"]
    assert set(cv) == {"lieder", "chorale", "pop"}  # POP909's folds too
    rows = cv["lieder"]
    assert len(rows) == 30 and rows["melody final_tonic"]["value"] == 1.0
    r = rows["melody repeat_exact"]
    assert r["min"] <= r["max"] and r["within"] == (r["min"] <= r["value"] <= r["max"])
    assert main(["score", "music", str(out), "--style", "chorale"]) == 0
    text = capsys.readouterr().out
    assert "against the chorale songs' 5 folds" in text and "lieder songs'" not in text


def test_bench_music_prints_the_form_rows_per_style(capsys):
    assert main(["bench", "music", "--repeats", "1", "--no-torch-baseline", "--form-songs", "1",
                 "--json"]) == 0
    form = json.loads(capsys.readouterr().out)["form"]
    assert list(form) == ["lieder", "chorale"]
    for res in form.values():
        assert res["total"] == 30 and 0 <= res["within"] <= 30
        assert res["final_tonic"] == 1.0 and res["generation_fraction_of_duration"] < 0.05
