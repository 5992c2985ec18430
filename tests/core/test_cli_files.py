"""songloom-cli info / convert / demo, as a user at a terminal meets them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.demo import (
    DemoStep,
    DemoStepSkipped,
    compose_starter_song,
    export_midi_files,
    run_demo,
    starter_song,
)
from core.io.midi_io import read_midi, write_midi
from core.io.project_file import load_project, save_project

ROOT = Path(__file__).resolve().parents[2]
# The installed console script when there is one (it is what users run).
_SCRIPT = Path(sys.executable).with_name("songloom-cli")
CLI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "from core.cli import run; run()"]


def _song_files(tmp_path):
    write_midi(starter_song(), tmp_path / "song.mid")
    save_project(starter_song(), tmp_path / "song.songloom")
    return tmp_path / "song.mid", tmp_path / "song.songloom"


def test_info_shows_tracks_tempo_key_and_lyrics(tmp_path, capsys):
    mid, _ = _song_files(tmp_path)
    assert main(["info", str(mid)]) == 0
    out = capsys.readouterr().out
    assert "'Winding Road (Songloom demo)'" in out
    assert "0:10.0 (4 bars), 96 BPM, G major, 4/4" in out
    assert "Melody   melody   ch  1  Voice Oohs - 14 notes" in out
    assert "lyrics: 1 section, 2 lines, 14 syllables (14 on notes)" in out
    assert "    Sing along the winding road" in out


def test_info_json_is_one_document(tmp_path, capsys):
    _, project = _song_files(tmp_path)
    assert main(["info", str(project), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "project" and info["key"] == "G major"
    assert info["duration_s"] == 10.0 and info["tempo_bpm"] == 96.0 and info["time_signature"] == "4/4"
    assert [(t["name"], t["notes"]) for t in info["tracks"]] == [("Melody", 14), ("Harmony", 12), ("Bass", 8)]
    assert info["lyrics"]["syllables"] == 14 and info["warnings"] == []


@pytest.mark.parametrize("chain", [(".songloom", ".mid"), (".mid", ".kar", ".songloom", ".midi")])
def test_convert_round_trips_notes_and_syllables(tmp_path, capsys, chain):
    song = starter_song()
    song.tracks.append(starter_song().tracks[2])  # two tracks on one channel: still separate
    song.tracks[-1].name = "Bass 2"
    src = tmp_path / f"in{chain[0]}"
    if chain[0] == ".songloom":
        save_project(song, src)
    else:
        write_midi(song, src)
    for i, ext in enumerate(chain[1:]):
        dst = tmp_path / f"step{i}{ext}"
        assert main(["convert", str(src), str(dst)]) == 0
        assert f"wrote {dst} (4 tracks, 42 notes, 14 syllables)" in capsys.readouterr().out
        src = dst
    back = load_project(src) if src.suffix == ".songloom" else read_midi(src)
    assert back == song


def test_bad_input_is_one_line_exit_2_no_traceback(tmp_path):
    (tmp_path / "broken.mid").write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x00")
    (tmp_path / "notes.txt").write_text("la la la")
    cases = [
        (["info", str(tmp_path / "broken.mid")], f"{tmp_path / 'broken.mid'}: the time division is 0 ticks per beat"),
        (["info", str(tmp_path / "missing.songloom")], f"{tmp_path / 'missing.songloom'}: no such file"),
        (["convert", str(tmp_path / "notes.txt"), str(tmp_path / "x.mid")], f"{tmp_path / 'notes.txt'}: unknown song file type (.txt"),
        (["info"], "info: the following arguments are required: FILE"),
    ]
    for argv, expected in cases:
        result = subprocess.run(CLI + argv, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, result
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"songloom-cli: error: {expected}"), result.stderr
    assert not (tmp_path / "x.mid").exists()


def test_convert_keeps_the_output_when_the_input_is_bad(tmp_path, capsys):
    _, project = _song_files(tmp_path)
    before = project.read_bytes()
    (tmp_path / "bad.mid").write_bytes(b"MThd")
    assert main(["convert", str(tmp_path / "bad.mid"), str(project)]) == 2
    assert project.read_bytes() == before
    assert capsys.readouterr().err.startswith("songloom-cli: error: ")


def test_convert_warns_about_what_a_midi_file_cannot_hold(tmp_path, capsys):
    song = starter_song()
    song.lyrics.sections[0].lines[0].syllables[0].tick = None
    save_project(song, tmp_path / "a.songloom")
    assert main(["convert", str(tmp_path / "a.songloom"), str(tmp_path / "a.mid")]) == 0
    err = capsys.readouterr().err
    assert err == f"songloom-cli: warning: {tmp_path / 'a.mid'}: 1 syllable is not aligned to a note and was not written\n"


def test_demo_command_writes_the_files(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert {p.name for p in (tmp_path / "demo").iterdir()} >= {"demo.songloom", "demo.mid", "demo.kar"}
    assert "MIDI round trip: notes and syllables identical" in out
    # The lyrics step may replace the starter lyrics with generated ones: whatever the song
    # holds must reach the karaoke file, syllable for syllable.
    kar = read_midi(tmp_path / "demo" / "demo.kar")
    project = load_project(tmp_path / "demo" / "demo.songloom")
    assert kar.lyrics.lines(), "the karaoke file has no lyrics"
    assert [s.text for s in kar.lyrics.syllables()] == [s.text for s in project.lyrics.syllables()]


def test_demo_steps_can_be_added_and_skipped(tmp_path):
    log: list[str] = []

    def needs_a_model(ctx):
        raise DemoStepSkipped("no trained model here")

    def louder(ctx):
        ctx.song.tracks[0].volume = 127

    steps = [DemoStep("compose", compose_starter_song), DemoStep("generate", needs_a_model),
             DemoStep("louder", louder), DemoStep("export", export_midi_files)]
    ctx = run_demo(tmp_path, log=log.append, steps=steps)
    assert ctx.skipped == ["generate: no trained model here"]
    assert "  skipped: no trained model here" in log
    assert read_midi(tmp_path / "demo.mid").tracks[0].volume == 127


def test_bench_files_reports_ratios_against_same_run_baselines(capsys):
    assert main(["bench", "files", "--notes", "300", "--repeats", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for ratio, ours, base in (
        ("read_midi_vs_mido", "read_midi_s", "baseline_mido_parse_s"),
        ("load_project_vs_json", "load_project_s", "baseline_json_loads_s"),
        ("save_project_vs_naive_save", "save_project_s", "baseline_naive_save_s"),
    ):
        assert result[ours] >= 0 and result[base] >= 0 and result[ratio] > 0
    assert result["midi_bytes"] > 0 and result["project_bytes"] > 0


def _foreign_multitrack_with_lyrics(path: Path) -> None:
    """A file as another program writes it: 96 ticks per beat, lyrics with trailing
    spaces on their own track, a tempo change, running status, drums."""
    import mido

    mid = mido.MidiFile(type=1, ticks_per_beat=96)
    conductor = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000),
                                mido.MetaMessage("time_signature", numerator=3, denominator=4),
                                mido.MetaMessage("set_tempo", tempo=450000, time=288)])
    voice = mido.MidiTrack([mido.MetaMessage("track_name", name="Lead Vocal"),
                            mido.Message("program_change", program=52)])
    words = ["Out ", "in ", "the ", "o", "pen ", "\rWhere ", "the ", "ri", "vers ", "run "]
    for i, text in enumerate(words):
        voice.append(mido.MetaMessage("lyrics", text=text, time=0 if i == 0 else 24))
        voice.append(mido.Message("note_on", note=60 + i, velocity=70 + i))
        voice.append(mido.Message("note_off", note=60 + i, velocity=0, time=72))
    piano = mido.MidiTrack([mido.MetaMessage("track_name", name="Piano"),
                            mido.Message("program_change", channel=1, program=0)])
    drums = mido.MidiTrack([mido.MetaMessage("track_name", name="Drums")])
    for i in range(12):
        piano.append(mido.Message("note_on", channel=1, note=48 + i % 5, velocity=60, time=0 if i == 0 else 48))
        piano.append(mido.Message("note_off", channel=1, note=48 + i % 5, velocity=0, time=48))
        drums.append(mido.Message("note_on", channel=9, note=36, velocity=100, time=0 if i == 0 else 96))
    mid.tracks += [conductor, voice, piano, drums]
    mid.save(path)


def test_convert_keeps_notes_and_syllables_of_another_programs_file(tmp_path, capsys):
    src = tmp_path / "foreign.mid"
    _foreign_multitrack_with_lyrics(src)
    original = read_midi(src, warn=lambda m: None)
    assert [line.text for line in original.lyrics.lines()] == ["Out in the open", "Where the rivers run"]
    for out in ("copy.mid", "copy.kar", "copy.songloom"):
        assert main(["convert", str(src), str(tmp_path / out)]) == 0
        back = load_project(tmp_path / out) if out.endswith(".songloom") else read_midi(tmp_path / out)
        assert [[(n.start, n.duration, n.pitch, n.velocity) for n in t.sorted_notes()] for t in back.tracks] == [
            [(n.start, n.duration, n.pitch, n.velocity) for n in t.sorted_notes()] for t in original.tracks]
        assert [(s.text, s.tick, s.word_end) for s in back.lyrics.syllables()] == [
            (s.text, s.tick, s.word_end) for s in original.lyrics.syllables()]
        assert [(t.tick, t.bpm) for t in back.tempos] == [(0, 120.0), (1440, 133.333333)]
        assert [(t.name, t.role, t.program, t.is_drum) for t in back.tracks] == [
            ("Lead Vocal", "melody", 52, False), ("Piano", "harmony", 0, False), ("Drums", "drums", 0, True)]
