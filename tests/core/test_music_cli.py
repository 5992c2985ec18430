"""songloom-cli generate / score / bench music, as a user types them (in-process)."""

from __future__ import annotations

import json
import shutil

import pytest

from core.cli import main
from core.io.midi_io import read_midi
from core.music.sample import default_model_dir


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_writes_midi_in_the_key_and_is_reproducible(tmp_path, capsys):
    a, b = tmp_path / "a.mid", tmp_path / "b.mid"
    args = ["generate", "music", "--bars", "6", "--seed", "4", "--key", "D", "--mode", "minor",
            "--tempo", "80", "--json"]
    code, out, _ = run(capsys, *args, "--out", str(a))
    assert code == 0
    info = json.loads(out)["songs"][0]
    assert info["key"] == "D minor" and info["bars"] <= 6 and info["notes"]["melody"] > 0
    run(capsys, *args, "--out", str(b))
    assert a.read_bytes() == b.read_bytes()
    song = read_midi(a)
    assert song.key_name == "D minor" and round(song.tempo) == 80
    assert {t.role for t in song.tracks} >= {"melody", "harmony", "bass"}


def test_variations_regenerate_and_continue(tmp_path, capsys):
    out = tmp_path / "song.mid"
    assert run(capsys, "generate", "music", "--variations", "3", "--bars", "4", "--out", str(out))[0] == 0
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["song-1.mid", "song-2.mid", "song-3.mid"]
    src = tmp_path / "song-1.mid"
    code, text, _ = run(capsys, "generate", "music", "--regenerate-track", "bass", "--from",
                        str(src), "--out", str(tmp_path / "rebass.mid"))
    assert code == 0 and "rebass.mid" in text
    old, new = read_midi(src), read_midi(tmp_path / "rebass.mid")
    assert [(n.start, n.pitch) for n in new.track_by_role("melody").notes] == \
        [(n.start, n.pitch) for n in old.track_by_role("melody").notes]
    code, text, _ = run(capsys, "generate", "music", "--continue", str(src), "--bars", "4",
                        "--out", str(tmp_path / "longer.mid"), "--json")
    assert code == 0
    assert read_midi(tmp_path / "longer.mid").end_tick() > old.end_tick()


@pytest.mark.parametrize("extra,needle", [
    (["--key", "H"], "unknown key"), (["--mode", "lydian"], "unknown mode"),
    (["--style", "polka"], "unknown style"), (["--bars", "0"], "bars"), (["--bars", "513"], "bars"),
    (["--regenerate-track", "bass", "--from", "nope.mid"], "nope.mid"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, extra, needle):
    out = tmp_path / "x.mid"
    code, text, err = run(capsys, "generate", "music", "--out", str(out), *extra)
    assert code == 2 and text == ""
    assert err.count("\n") == 1 and err.startswith("songloom-cli: error: ") and needle in err
    assert list(tmp_path.iterdir()) == []


def test_pickled_or_missing_weights_exit_2(tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    (model / "generator.safetensors").write_bytes(b"\x80\x04K\x01.")  # pickle of the int 1
    code, _, err = run(capsys, "generate", "music", "--model", str(model), "--out", str(tmp_path / "a.mid"))
    assert code == 2 and "pickle" in err and "generator.safetensors" in err
    (model / "generator.safetensors").unlink()
    code, _, err = run(capsys, "generate", "music", "--model", str(model), "--out", str(tmp_path / "a.mid"))
    assert code == 2 and "missing" in err
    assert not (tmp_path / "a.mid").exists()


def test_score_music_prints_metrics_reference_and_originality(tmp_path, capsys):
    song = tmp_path / "s.mid"
    run(capsys, "generate", "music", "--bars", "8", "--seed", "2", "--out", str(song))
    code, out, _ = run(capsys, "score", "music", str(song), "--json")
    assert code == 0
    res = json.loads(out)
    assert set(res["metrics"]) >= {"melody", "harmony", "bass", "pairs"}
    assert set(res["metrics"]["melody"]) >= {"EB", "UPC", "QN", "in_scale", "pitch_class_entropy"}
    assert res["metrics"]["melody"]["in_scale"] == 1.0
    assert "TD melody-bass" in res["metrics"]["pairs"]
    assert res["reference"]["melody"]["QN"] > 0.5
    assert res["originality"]["longest_shared_run"] >= 0
    code, text, _ = run(capsys, "score", "music", str(song))
    assert code == 0 and "originality" in text and "(data " in text


def test_bench_music_reports_ratios(capsys):
    # The form rows (--form-songs) are tests/core/test_form_cli.py's: 40 songs here cost 30 s.
    code, out, _ = run(capsys, "bench", "music", "--repeats", "3", "--no-torch-baseline",
                       "--form-songs", "0", "--json")
    res = json.loads(out)
    assert code == 0 and res["realtime_factor"] > 1 and res["model_load_s"] > 0
    assert res["fraction_of_duration"] == pytest.approx(res["generate_8_bars_median_s"] / res["music_duration_s"], rel=0.01)


def test_train_music_reports_a_missing_data_folder(tmp_path, capsys):
    code, out, err = run(capsys, "train", "music", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "m"))
    assert code == 2 and out == "" and "nope: training data folder not found" in err
    assert not (tmp_path / "m").exists()
