"""songloom-cli info / convert / demo: look into song files, convert them, run the demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.commands.options import JSON, command, opt
from core.errors import one_line


def register(groups) -> None:
    """Add this area's subcommands to ``groups`` (verb -> argparse subparsers)."""
    top = groups["top"]
    command(top, "info", _info,
            "show what a song file holds (tracks, notes, tempo, key, lyrics)",
            "Show a .mid/.midi/.kar/.songloom file's title, duration, tempo, key, "
            "time signature, tracks with note counts, and lyrics.",
            opt("file", metavar="FILE"), JSON)
    command(top, "convert", _convert,
            "convert between .mid, .midi, .kar and .songloom",
            "Read IN and write OUT; the formats follow the file extensions "
            "(.mid/.midi/.kar/.songloom). OUT is replaced atomically; a .songloom keeps "
            "its previous version as OUT.bak.",
            opt("input", metavar="IN"), opt("output", metavar="OUT"))
    command(top, "demo", _demo,
            "the headless demo: make a song and write its files into a folder",
            "Run Songloom's main job end to end on the bundled defaults and "
            "write the results (project, MIDI, karaoke, ...) into DIR.",
            opt("--out", metavar="DIR", default="songloom-demo",
                help="folder for the demo files (default: ./songloom-demo)"))
    command(groups["bench"], "files", _bench,
            "speed of opening and saving songs (MIDI, .songloom) against plain baselines",
            "Times MIDI import against mido's bare parse, .songloom load against "
            "json.loads and the atomic .songloom save against a plain write, in the same run.",
            opt("--notes", type=int, default=10_000, help="notes per track (default 10000)"),
            opt("--repeats", type=int, default=5), JSON)
    command(groups["bench"], "fuzz", _bench_fuzz,
            "hostile-input fuzzing over every file kind Songloom reads",
            "Mutates small valid files of every kind Songloom reads (projects, "
            "MIDI/KAR, lyrics and music model folders, SoundFonts, audio, text, training "
            "state), runs each case in a worker under a memory limit and a clock, and counts "
            "outcomes: clean errors, successes, tracebacks, hangs (and slow cases, memory "
            "errors, crashes, songs written but not readable back). Same --seed, same cases.",
            opt("--cases", type=int, default=500, help="number of cases (default 500)"),
            opt("--seed", type=int, default=0, help="seed of the whole run (default 0)"),
            opt("--kinds", default="", help="comma-separated kinds (default: all)"),
            JSON)


def _warner(path: str, collected: list[str] | None = None):
    def warn(message: str) -> None:
        if collected is not None:
            collected.append(message)
        # one_line: a newline or an escape code in a file name stays on the line, inert
        print(f"songloom-cli: warning: {one_line(f'{path}: {message}')}", file=sys.stderr)

    return warn


def _info(args) -> int:
    from core.io.song_io import format_summary, load_song, song_summary

    notes: list[str] = []
    song = load_song(args.file, warn=_warner(args.file, notes))
    info = song_summary(song)
    if args.json:
        kind = "project" if Path(args.file).suffix.lower() == ".songloom" else "midi"
        print(json.dumps({"file": args.file, "format": kind, **info, "warnings": notes},
                         ensure_ascii=False, indent=1))
    else:
        print(format_summary(args.file, info))
    return 0


def _convert(args) -> int:
    from core.io.song_io import check_song_path, load_song, save_song

    check_song_path(args.output)  # a bad output name is reported before reading anything
    song = load_song(args.input, warn=_warner(args.input))
    for message in save_song(song, args.output):
        _warner(args.output)(message)
    notes = sum(len(t.notes) for t in song.tracks)
    syllables = len(song.lyrics.syllables())
    print(f"wrote {one_line(args.output)} ({len(song.tracks)} tracks, {notes} notes, "
          f"{syllables} syllables)")
    return 0


def _demo(args) -> int:
    from core.demo import run_demo

    run_demo(Path(args.out))
    return 0


def _bench_fuzz(args) -> int:
    from core.commands.source_only import source_only
    from core.errors import SongloomError

    fuzz = source_only("core.bench.fuzz_run", "bench fuzz")
    kinds = tuple(k for k in args.kinds.split(",") if k) or fuzz.KINDS
    unknown = [k for k in kinds if k not in fuzz.KINDS]
    if unknown:
        raise SongloomError(f"unknown kind {unknown[0]!r} (use {', '.join(fuzz.KINDS)})")
    if not 1 <= args.cases <= 1_000_000:
        raise SongloomError(f"--cases {args.cases}: use 1 to 1,000,000")
    log = (lambda m: None) if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    result = fuzz.run_fuzz(args.cases, args.seed, kinds, log=log)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        keys = ("cases", "clean_errors", "successes", "tracebacks", "hangs", "slow",
                "memory_errors", "crashes", "unreadable_writes", "seconds")
        print(", ".join(f"{k} {result[k]}" for k in keys))
    return 0 if not any(result[k] for k in ("tracebacks", "hangs", "slow", "memory_errors",
                                             "crashes", "unreadable_writes")) else 1


def _bench(args) -> int:
    from core.commands.source_only import source_only

    run_file_bench = source_only("core.bench.file_bench", "bench files").run_file_bench

    result = run_file_bench(max(1, args.notes), max(1, args.repeats))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0
