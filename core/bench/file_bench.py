"""``songloom-cli bench files``: how fast songs open and save, against plain baselines
measured in the same run (so the ratios hold on any machine).

- MIDI import (our bounded reader + building the Song) vs. mido parsing the same bytes
  into messages (no Song, no checks): what the safety checks cost.
- .songloom load (JSON + validation of every field) vs. plain ``json.loads``.
- .songloom save (encode, validate, temp file, fsync, .bak, rename, fsync folder) vs. a
  naive save (``json.dumps`` + ``Path.write_bytes``): what checks and crash safety cost.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from core.bench.timing import median_seconds
from core.model.song import LyricLine, Lyrics, LyricSection, Note, Song, Syllable, Track


def bench_song(notes_per_track: int = 10_000) -> Song:
    """Three busy tracks and a syllable on every melody note: a heavy real-world song."""
    tracks = []
    for i, (name, role, low) in enumerate((("Melody", "melody", 60), ("Harmony", "harmony", 48), ("Bass", "bass", 36))):
        notes = [Note(k * 120, 110, low + (k * 7) % 24, 40 + k % 80) for k in range(notes_per_track)]
        tracks.append(Track(name, role=role, channel=i, notes=notes))
    lines = []
    for start in range(0, notes_per_track, 8):
        syllables = [Syllable("la" if k % 2 else "ta", k * 120, word_end=k % 2 == 1) for k in range(start, min(start + 8, notes_per_track))]
        lines.append(LyricLine("", syllables))
    return Song(title="bench", tracks=tracks, lyrics=Lyrics([LyricSection("verse", lines)]))


def run_file_bench(notes_per_track: int = 10_000, repeats: int = 5) -> dict:
    import mido

    from core.io.midi_io import read_midi, write_midi
    from core.io.project_file import load_project, save_project, song_to_dict

    song = bench_song(notes_per_track)
    with tempfile.TemporaryDirectory() as folder:
        mid, proj, plain = Path(folder) / "b.mid", Path(folder) / "b.songloom", Path(folder) / "plain.json"
        write_midi_s = median_seconds(lambda: write_midi(song, mid), repeats)
        data = mid.read_bytes()
        read_s = median_seconds(lambda: read_midi(mid, warn=lambda m: None), repeats)
        mido_s = median_seconds(lambda: mido.MidiFile(file=io.BytesIO(data)), repeats)
        save_s = median_seconds(lambda: save_project(song, proj), repeats)
        plain_write_s = median_seconds(lambda: plain.write_bytes(json.dumps(song_to_dict(song)).encode()), repeats)
        load_s = median_seconds(lambda: load_project(proj), repeats)
        json_s = median_seconds(lambda: json.loads(proj.read_bytes()), repeats)
        project_size = proj.stat().st_size
    return {
        "what": f"3 tracks x {notes_per_track} notes + {notes_per_track} syllables, median of {repeats}",
        "midi_bytes": len(data),
        "project_bytes": project_size,
        "read_midi_s": round(read_s, 4),
        "baseline_mido_parse_s": round(mido_s, 4),
        "read_midi_vs_mido": _ratio(read_s, mido_s),
        "write_midi_s": round(write_midi_s, 4),
        "load_project_s": round(load_s, 4),
        "baseline_json_loads_s": round(json_s, 4),
        "load_project_vs_json": _ratio(load_s, json_s),
        "save_project_s": round(save_s, 4),
        "baseline_naive_save_s": round(plain_write_s, 4),
        "save_project_vs_naive_save": _ratio(save_s, plain_write_s),
    }


def _ratio(ours: float, baseline: float) -> float:
    """Three significant digits: a fixed number of decimals shows a fast path as 0.0."""
    return float(f"{ours / baseline:.3g}") if baseline > 0 else float("inf")
