"""``songloom-cli lyrics --language zh``: Chinese lyrics to a tune pattern or a melody.

The English ``lyrics`` command dispatches here when ``--language zh`` is given; its
``--theme``, ``--seed``, ``--temperature``, ``--top-k``, ``--top-p``, ``--melody``,
``--rhyme``, ``--candidates``, ``--model``, ``--write-song`` and ``--json`` keep their
meaning (``--rhyme`` as letters per line, e.g. ``AABA``; ``free`` for none).
"""

from __future__ import annotations

import json
import sys
import time

from core.commands.options import sampling_values


def add_zh_args(p) -> None:
    """The options only the Chinese writer reads (added to the ``lyrics`` parser)."""
    p.add_argument("--language", choices=["en", "zh"], default="en",
                   help="en (default) or zh: Chinese lyrics, one character per note")
    p.add_argument("--pattern", metavar="NAME", help="zh: a tune pattern (词牌), e.g. 浣溪沙")
    p.add_argument("--lengths", metavar="N,N,...", help="zh: characters per line, e.g. 7,7,7,7")
    p.add_argument("--lock", action="append", default=[], metavar="N=TEXT",
                   help="keep line N (1-based) as TEXT; repeatable")
    p.add_argument("--from-file", metavar="FILE",
                   help="lines written before (UTF-8, one per line); with --regenerate or --keep")
    p.add_argument("--regenerate", type=int, metavar="N",
                   help="with --from-file, write line N (1-based) anew, keep the others "
                   "(English: several versions to choose from, --choices)")
    p.add_argument("--tones", action="store_true",
                   help="zh: follow the pattern's 平仄 where it is firm")


# --lock, --from-file and --regenerate serve the English writer too (lyrics_write.py).
ZH_ONLY = ("pattern", "lengths", "tones")


def check_language(args) -> str:
    """``en`` or ``zh``; the Chinese-only options given without ``--language zh`` are an
    error rather than silently ignored."""
    from core.errors import SongloomError

    language = getattr(args, "language", "en") or "en"
    if language != "zh":
        given = [x for x in ZH_ONLY if getattr(args, x, None)]
        if given:
            opts = ", ".join("--" + x.replace("_", "-") for x in given)
            raise SongloomError(f"{opts}: Chinese lyrics options; add --language zh")
    return language


def _plans(args, zm, notes: list[str]):
    from core.errors import SongloomError
    from core.lyrics.zh.patterns import lengths_plan, melody_plan

    given = [x for x in ("pattern", "melody", "lengths") if getattr(args, x, None)]
    if len(given) > 1:
        raise SongloomError("give one of --pattern, --melody or --lengths, not "
                            + " and ".join("--" + x for x in given))
    rhyme = args.rhyme
    if args.pattern:
        pattern = zm.patterns.get(args.pattern)
        return pattern.plans, pattern.name, "ci", None
    if args.melody:
        from core.io.song_io import load_song
        from core.lyrics.zh.align import phrase_lengths

        song = load_song(args.melody)
        plans = melody_plan(phrase_lengths(song), zm.patterns, rhyme, args.melody, notes)
        return plans, args.theme, "shi", song
    if args.lengths:
        try:
            lengths = [int(x) for x in args.lengths.replace("，", ",").split(",") if x.strip()]
        except ValueError:
            raise SongloomError(f"--lengths {args.lengths!r}: numbers separated by commas, "
                                "e.g. 7,7,7,7") from None
        return lengths_plan(lengths, rhyme), args.theme, "shi", None
    common = ", ".join(zm.patterns.most_common(8))
    raise SongloomError(f"give --pattern NAME (e.g. {common}), --melody SONG or --lengths 7,7,7,7")


def _locked(args, count: int) -> dict[int, str]:
    from core.errors import SongloomError

    locked: dict[int, str] = {}
    if args.from_file:
        from core.lyrics.zh.align import read_zh_lines

        lines = read_zh_lines(args.from_file)
        if args.regenerate is None:
            raise SongloomError("--from-file needs --regenerate N (the line to write anew)")
        if not 1 <= args.regenerate <= count:
            raise SongloomError(f"--regenerate {args.regenerate}: the plan has {count} lines")
        locked.update({i: t for i, t in enumerate(lines[:count])})
    elif args.regenerate is not None:
        raise SongloomError("--regenerate needs --from-file (the lines to keep)")
    for item in args.lock:
        number, sep, text = item.partition("=")
        if not sep or not number.strip().isdigit() or not 1 <= int(number) <= count:
            raise SongloomError(f"--lock {item!r}: use N=TEXT with N from 1 to {count}")
        locked[int(number) - 1] = text.strip()
    return locked


def run_zh(args) -> int:
    from core.lyrics.zh.model import load_zh_model

    started = time.perf_counter()
    # loaded before torch is imported here: a broken folder file is reported in well under a
    # second (load_zh_model checks every table first), not after seconds of imports
    zm = load_zh_model(args.model)
    import torch

    from core.lyrics.zh.writer import ZhRequest, regenerate_line, write_zh
    from core.metrics.lyrics_zh import han_count, tone_fit

    torch.set_num_threads(1)  # one line is a few small matrix products: threads only wait
    notes: list[str] = []
    plans, title, kind, song = _plans(args, zm, notes)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.write_song and song is None:
        from core.errors import SongloomError

        raise SongloomError("--write-song needs --melody (the song to put the lyrics in)")
    locked = _locked(args, len(plans))
    request = ZhRequest(plans=plans, title=title or "", kind=kind, theme=args.theme or "",
                        seed=args.seed, **sampling_values(args, ZhRequest),
                        candidates=min(args.candidates or ZhRequest.candidates, 16),
                        enforce_tones=args.tones, locked=locked)
    request.validate()
    zm.warm_up()  # tables in memory and torch set up before the clock starts
    loaded = time.perf_counter()
    first: list[float] = []

    def on_line(index, line) -> None:
        if not first:
            first.append(time.perf_counter() - loaded)
        if not args.json and (args.regenerate is None or index == args.regenerate - 1):
            print(line.text, flush=True)

    if args.regenerate is not None:
        lines = [locked.get(i, "") for i in range(len(plans))]
        out = regenerate_line(zm, request, lines, args.regenerate - 1, variation=args.seed + 1)
    else:
        out = write_zh(zm, request, on_line=on_line)
    texts = [x.text for x in out.lines]
    if args.write_song:
        from core.io.song_io import carried_blocks, save_song
        from core.lyrics.zh.align import align_zh, kar_note

        aligned = align_zh(song, texts)
        written = save_song(aligned, args.write_song, carried_blocks(args.melody))
        if str(args.write_song).lower().endswith(".kar") and kar_note(aligned):
            written.append(kar_note(aligned))
        for note in written:
            print(f"{args.write_song}: {note}", file=sys.stderr)
        notes += written
    if args.json:
        from core.metrics.lyrics_zh import copied_runs

        print(json.dumps({
            "language": "zh", "pattern": args.pattern, "title": title, "theme": args.theme,
            "seed": args.seed, "lines": texts, "text": out.text(),
            "lengths": [han_count(x) for x in texts], "targets": [p.length for p in plans],
            "rhyme": "".join(p.rhyme for p in plans),
            "rhyme_groups": [x.group if x.rhyme != "-" else None for x in out.lines],
            "set_groups": out.set_groups,
            "tone_fit": _round(tone_fit(texts, [p.tones for p in plans])),
            "copied_runs": copied_runs(texts, zm.index),
            "locked": sorted(i + 1 for i in locked), "notes": notes,
            "model": str(zm.folder), "load_s": round(loaded - started, 3),
            "first_line_s": round(first[0], 3) if first else None,
            "total_s": round(time.perf_counter() - loaded, 3),
        }, ensure_ascii=False, indent=1))
    elif args.write_song:
        print(f"wrote {args.write_song}", file=sys.stderr)
    return 0


def _round(x: float):
    return None if x != x else round(x, 3)


def run_bench_zh(args) -> int:
    """``bench lyrics-quality --language zh``: print the figures (JSON with --json)."""
    from core.commands.source_only import source_only

    bench = source_only("core.bench.lyrics_quality_zh", "bench lyrics-quality")

    def progress(done, total):
        if not args.json:
            print(f"\r{done}/{total} requests", end="", file=sys.stderr, flush=True)

    from core.errors import SongloomError

    if not 1 <= args.requests <= 1000:
        raise SongloomError(f"--requests {args.requests}: use 1 to 1000")
    dev = getattr(args, "dev", False)
    result = bench.bench_quality_zh(args.model, requests=args.requests, progress=progress,
                                    themes=bench.DEV_THEMES if dev else None,
                                    seed0=100 if dev else 0)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(file=sys.stderr)
    for key, t in result["targets"].items():
        mark = "ok  " if t["passed"] else "MISS"
        print(f"{mark} {key}: {t['value']:.3f} (target {t['rule']})")
    for ex in result["examples"][:3]:
        print(f"{ex['pattern']} / {ex['theme']} / seed {ex['seed']}: {ex['text']}")
    return 0


def add_zh_score_args(p) -> None:
    p.add_argument("--language", choices=["en", "zh"], default="en",
                   help="zh: score Chinese lines (characters, 中华新韵 rhyme, sacrebleu zh)")
    p.add_argument("--pattern", metavar="NAME", help="zh: the tune pattern the lines follow")
    p.add_argument("--lengths", metavar="N,N,...", help="zh: characters per line")


def score_zh(args) -> int:
    """``score lyrics FILE --language zh``: length fit, rhyme, tones, originality, BLEU/chrF."""
    from core.lyrics.zh.align import phrase_lengths, read_zh_lines
    from core.lyrics.zh.model import load_zh_model
    from core.lyrics.zh.patterns import parse_scheme
    from core.metrics.lyrics_zh import han_count, zh_scores

    lines = read_zh_lines(args.file)
    refs = read_zh_lines(args.ref) if args.ref else None
    zm = load_zh_model(args.model)
    tones = None
    if args.pattern:
        plans = zm.patterns.get(args.pattern).plans
        targets, marks = [p.length for p in plans], [p.rhyme for p in plans]
        tones = [p.tones for p in plans]
    else:
        if args.melody:
            from core.io.song_io import load_song

            targets = phrase_lengths(load_song(args.melody))
        elif args.lengths:
            targets = [int(x) for x in args.lengths.split(",") if x.strip()]
        else:
            targets = [han_count(x) for x in lines]
        marks = parse_scheme(args.rhyme, len(lines))
    scores = zh_scores(lines, targets, marks, tones, zm.index, refs)
    scores = {k: (None if isinstance(v, float) and v != v else v) for k, v in scores.items()}
    if args.json:
        print(json.dumps(scores, ensure_ascii=False, indent=1))
    else:
        for key, value in scores.items():
            print(f"{key}: {round(value, 3) if isinstance(value, float) else value}")
    return 0
