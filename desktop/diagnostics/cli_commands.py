"""songloom-cli subcommands that need Qt (registered through the songloom.cli entry point).

``songloom-cli bench pianoroll --notes 10000 --json`` paints the piano-roll grid offscreen
with N notes all on screen, and the same grid with no notes, in the same run, and
reports the full-repaint time and the ratio between the two.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time


def bench_song(notes: int, seed: int = 0):
    """A song-like cloud of ``notes`` notes: a melody line, chords and a bass, 16ths to
    half notes, all velocities, in C major, long enough that they sit side by side."""
    from core.model.song import TICKS_PER_BEAT, Note, Song, Track

    rng = random.Random(seed)
    out: list[Note] = []
    tick, pitch = 0, 67
    while len(out) < notes:
        dur = rng.choice((120, 240, 240, 480, 960))
        pitch = max(48, min(88, pitch + rng.choice((-4, -2, -1, 0, 1, 2, 3, 5))))
        out.append(Note(tick, dur, pitch, rng.randint(30, 127)))
        if len(out) < notes and rng.random() < 0.5:  # a chord tone under the melody
            out.append(Note(tick, dur, pitch - rng.choice((3, 4, 7, 9)), rng.randint(30, 127)))
        if len(out) < notes and tick % (TICKS_PER_BEAT * 2) == 0:
            out.append(Note(tick, TICKS_PER_BEAT * 2, 36 + rng.randint(0, 12), 90))
        tick += dur if rng.random() < 0.8 else dur // 2
    return Song(title="bench", tracks=[Track("Melody", role="melody", notes=out[:notes])])


def bench_pianoroll(notes: int, width: int = 1280, height: int = 800, repeats: int = 30) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from core.model.song import Song, Track
    from desktop.pianoroll.mapping import RollMapping
    from desktop.pianoroll.view import NoteGridView

    app = QApplication.instance() or QApplication([])
    song = bench_song(notes)
    mapping = RollMapping()
    view = NoteGridView(mapping)
    view.resize(width, height)
    mapping.set_view_size(width, height)
    view.set_song(song)
    track = song.tracks[0]
    pitches = [n.pitch for n in track.notes]
    mapping.fit(song.end_tick(), min(pitches), max(pitches))
    view.selection = {id(n) for n in track.notes[: max(1, notes // 100)]}
    image = QImage(width, height, QImage.Format_ARGB32_Premultiplied)
    # The empty grid: a second view on the same mapping, song without notes.
    empty_view = NoteGridView(mapping)
    empty_view.resize(width, height)
    empty_view.set_song(Song(title="empty", tracks=[Track("Melody", role="melody")]))

    def paint(v) -> tuple[float, float]:
        """(wall ms, CPU ms of this thread). On a shared machine the wall time also holds
        the slices other processes took; the thread's CPU time is the paint's own cost."""
        p = QPainter(image)
        t0, c0 = time.perf_counter(), time.thread_time()
        v.paint_all(p, width, height)
        p.end()
        return (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000

    # The first paint after an edit also builds the note arrays: reported apart (with
    # numpy already loaded, as it is in the app once any song with notes was shown).
    import desktop.pianoroll.note_raster  # noqa: F401

    first_ms = paint(view)[0]
    paint(empty_view)
    full, empty = [], []
    for _ in range(repeats):  # interleaved, so load from other processes hits both alike
        empty.append(paint(empty_view))
        full.append(paint(view))
    paint_ms, empty_ms = (statistics.median(t[0] for t in x) for x in (full, empty))
    paint_cpu, empty_cpu = (statistics.median(t[1] for t in x) for x in (full, empty))
    visible = sum(1 for n in track.notes if 0 <= mapping.tick_to_x(n.start) < width)
    app.processEvents()
    return {
        "what": "pianoroll",
        "notes": notes,
        "notes_on_screen": visible,
        "size": [width, height],
        "paint_ms": round(paint_ms, 3),
        "empty_grid_ms": round(empty_ms, 3),
        "ratio_to_empty_grid": round(paint_ms / empty_ms, 3) if empty_ms else None,
        "paint_cpu_ms": round(paint_cpu, 3),
        "empty_grid_cpu_ms": round(empty_cpu, 3),
        "cpu_ratio_to_empty_grid": round(paint_cpu / empty_cpu, 3) if empty_cpu else None,
        "first_paint_after_edit_ms": round(first_ms, 3),
        "repeats": repeats,
        "budget": {"paint_ms_max": 16.0, "ratio_max": 3.0},
    }


def _report(args, result: dict, text: str) -> None:
    """One JSON document with --json, else the one-line summary."""
    print(json.dumps(result) if args.json else text)


def _run_bench(args) -> int:
    from core.errors import SongloomError

    if args.notes < 0 or args.notes > 1_000_000:
        raise SongloomError(f"--notes {args.notes}: use 0 .. 1000000")
    result = bench_pianoroll(args.notes, args.width, args.height, args.repeats)
    _report(args, result,
            f"piano roll {result['size'][0]}x{result['size'][1]}, {args.notes} notes "
            f"({result['notes_on_screen']} on screen): full repaint {result['paint_ms']:.2f} ms "
            f"wall / {result['paint_cpu_ms']:.2f} ms CPU, empty grid "
            f"{result['empty_grid_ms']:.2f} / {result['empty_grid_cpu_ms']:.2f} ms, ratio "
            f"{result['ratio_to_empty_grid']:.2f} wall / {result['cpu_ratio_to_empty_grid']:.2f} "
            f"CPU (budget <= 16 ms and <= 3x)")
    sys.stdout.flush()
    return 0


def _run_startup(args) -> int:
    from desktop.diagnostics.startup_bench import bench_startup

    result = bench_startup(args.repeats)
    _report(args, result,
            f"first frame {result['songloom_window_s']:.3f} s after start, bare PySide6 "
            f"window {result['bare_window_s']:.3f} s: ratio "
            f"{result['ratio_to_bare_window']:.2f} (CPU "
            f"{result['cpu_ratio_to_bare_window']:.2f}; budget <= 1.5); song, piano roll "
            f"and track list painted at {result['songloom_contents_s']:.3f} s "
            f"({result['contents_ratio_to_bare_window']:.2f}x); medians of "
            f"{result['repeats']} runs")
    return 0


def _run_stalls(args) -> int:
    from core.errors import SongloomError
    from desktop.diagnostics.stall_bench import bench_stalls

    if not 1 <= args.bars <= 512 or not 1 <= args.variations <= 8 or not 1 <= args.lines <= 32:
        raise SongloomError(f"--bars {args.bars} / --variations {args.variations} / --lines "
                            f"{args.lines}: use 1-512 bars, 1-8 variations, 1-32 lines")
    result = bench_stalls(args.bars, args.variations, args.lines)
    _report(args, result,
            f"{args.bars} bars ({result['notes']} notes) and {args.lines} lyric lines: "
            f"longest GUI stall {result['longest_gui_stall_ms']:.1f} ms (idle baseline "
            f"{result['idle_baseline_stall_ms']:.1f} ms; budget 50 ms); by phase "
            f"{result['stall_by_phase_ms']}")
    return 0


def _run_tweaks(args) -> int:
    from desktop.diagnostics.tweak_bench import run_cli

    return run_cli(args)


# name, handler, help, description, options (flag, type, default): each becomes
# ``songloom-cli bench NAME [--json] [options]``.
_BENCHES = (
    ("pianoroll", "_run_bench", "full repaint time of the piano roll with N notes on screen",
     "Paint the piano roll offscreen with N notes and with none (same run).",
     (("--notes", int, 10000), ("--width", int, 1280), ("--height", int, 800),
      ("--repeats", int, 30))),
    ("startup", "_run_startup", "time to a shown main window against a bare PySide6 window",
     "Start fresh processes: a bare PySide6 window and Songloom's main window.",
     (("--repeats", int, 7),)),
    ("stalls", "_run_stalls", "longest GUI stall while warming up, generating music and lyrics",
     "Offscreen main window, real workers and models; a heartbeat timer on the GUI thread "
     "records the longest gap (idle baseline first).",
     (("--bars", int, 64), ("--variations", int, 2), ("--lines", int, 8))),
    ("tweaks", "_run_tweaks",
     "what each process-wide tweak (desktop/runtime/process_tweaks.py) buys",
     "Fresh processes, variants interleaved: a main-thread heartbeat's wait for the GIL "
     "while a worker computes or imports torch and transformers.",
     (("--repeats", int, 5),)),
)


def register(groups) -> None:
    """Add desktop subcommands (bench pianoroll, startup, stalls, tweaks) to ``groups``."""
    for name, handler, help_text, description, options in _BENCHES:
        p = groups["bench"].add_parser(name, help=help_text, description=description)
        for flag, kind, default in options:
            p.add_argument(flag, type=kind, default=default)
        p.add_argument("--json", action="store_true", help="one JSON document on stdout")
        p.set_defaults(func=globals()[handler])
        if name == "tweaks":
            p.add_argument("--only", nargs="*", choices=("switch", "import"))
