"""songloom-cli lyrics / train lyrics / score lyrics / bench lyrics / bench lyrics-constraints /
bench lyrics-quality."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.commands.options import (
    JSON,
    MODEL_TO_BENCH,
    add_options,
    command,
    model,
    opt,
    sampling,
)


def register(groups) -> None:
    """Add this area's subcommands to groups (verb -> argparse subparsers)."""
    from core.commands.lyrics_write import add_en_args
    from core.commands.lyrics_zh import add_zh_args, add_zh_score_args

    p = command(groups["top"], "lyrics", _lyrics,
                "write lyrics with GPT-2 (syllables per line, rhyme scheme, theme)",
                "Write lines a person could sing: a syllable count per line (a number, "
                "or the phrases of a melody) and a rhyme scheme. Lines stream as they are "
                "written; the same seed and options give the same lines.",
                opt("--theme", default="", help="a theme or title (empty: free writing)"),
                opt("--lines", type=int, default=None,
                    help="number of lines (default 8, or one per melody phrase)"))
    src = p.add_mutually_exclusive_group()
    add_options(src, opt("--syllables", type=int, default=None,
                         help="syllables per line (default 8)"),
                opt("--melody", metavar="SONG",
                    help="take syllables per line from this song's melody phrases"))
    add_options(p, opt("--rhyme", default=None,
                       help="AABB, ABAB, ABCB, ABBA, AAAA or free (default ABAB; "
                       "zh: the pattern's rhymes, else the even lines)"),
                sampling(),
                opt("--candidates", type=int, default=None,
                    help="lines sampled per line, best kept (default: the model's "
                    "decode settings; zh: 4)"),
                model("a GPT-2 model folder or HF-cache name (default: bundled)"),
                opt("--write-song", metavar="OUT", help="with --melody: write the song with "
                    "the lyrics aligned (.mid/.kar/.songloom)"),
                JSON)
    add_zh_args(p)  # --language zh, --lock/--from-file/--regenerate and the Chinese options
    add_en_args(p)  # --diction, --first-line, --keep, --choices, --rhymes-for

    command(groups["train"], "lyrics", _train,
            "train or fine-tune the lyrics GPT-2 (resumable)",
            "Train a GPT-2 on text files (one lyric line per line), from scratch, or "
            "fine-tuning --from-model (e.g. the bundled model). --resume continues a stopped run.",
            opt("--text", nargs="+", metavar="FILE", default=[],
                help="UTF-8 text files, one line per line"),
            opt("--data", metavar="DIR", help="also use the bundled corpora in this data folder "
                "(openscore-lieder, public-domain-poems)"),
            opt("--out", metavar="DIR", required=True, help="where the model and checkpoints go"),
            opt("--from-model", metavar="DIR",
                help="fine-tune this model instead of starting from scratch"),
            opt("--resume", action="store_true", help="continue the run saved in --out"),
            opt("--steps", type=int, default=None,
                help="optimizer steps (default 1500 from scratch, 200 fine-tuning)"),
            opt("--batch-size", type=int, default=16),
            opt("--lr", type=float, default=None,
                help="learning rate (default 1e-3 from scratch, 1e-4 fine-tuning)"),
            opt("--minutes", type=float, default=0.0,
                help="stop (resumably) after this many minutes"),
            opt("--threads", type=int, default=1, help="CPU threads for torch (default 1)"),
            opt("--export", metavar="DIR",
                help="afterwards, copy the loadable files (no optimizer state) to DIR"))

    p = command(groups["score"], "lyrics", _score,
                "BLEU, chrF, distinct-n, syllable fit, rhyme, originality of a lyric file",
                "Score FILE (one line per line). With --ref: BLEU and chrF exactly as "
                "sacrebleu computes them. --variations: other drafts for self-BLEU.",
                opt("file", metavar="FILE"),
                opt("--ref", metavar="REF",
                    help="reference lyrics (an earlier draft, or your own)"),
                opt("--variations", nargs="+", metavar="FILE", default=[],
                    help="other variations, for self-BLEU"),
                opt("--syllables", type=int, default=None,
                    help="syllable target per line, for syllable fit"),
                opt("--melody", metavar="SONG",
                    help="syllable targets from this song's melody phrases"),
                opt("--rhyme", default=None, help="rhyme scheme, for rhyme adherence"),
                model("model whose training-text index judges originality"), JSON)
    add_zh_score_args(p)

    command(groups["bench"], "lyrics", _bench,
            "tokens/s of Songloom's decoder against transformers generate()",
            "Same model, same prompt, same sampling settings: tokens per second of "
            "transformers generate() and of Songloom's KV-cache decoder, on the bundled model "
            "and on a random GPT-2-small-shaped (124M) model; plus time to the first line.",
            opt("--tokens", type=int, default=64, help="new tokens per run (default 64)"),
            opt("--repeats", type=int, default=5,
                help="runs per decoder, interleaved, best kept (default 5)"),
            opt("--skip-124m", action="store_true", help="bundled model only"),
            MODEL_TO_BENCH, JSON)
    command(groups["bench"], "lyrics-constraints", _bench_constraints,
            "share of lines meeting syllable and rhyme targets over seeded requests",
            "Runs N seeded requests (themes, 8 lines, syllable targets 6-10, schemes "
            "AABB/ABAB/ABCB) and reports the share of lines within +-1 syllable and of "
            "required rhyme pairs that rhyme, and the time per line.",
            opt("--requests", type=int, default=50), MODEL_TO_BENCH, JSON)
    command(groups["bench"], "lyrics-quality", _bench_quality,
            "would a songwriter keep the lines? theme, diction, fit, speed",
            "50 seeded requests over 10 themes through the writer the app uses: the "
            "share of lines carrying the theme, archaic and non-dictionary words, lines "
            "repeating a content word, distinct-2, syllable fit, rhyme adherence, held-out "
            "perplexity, time to the first line and to an 8-line verse; each figure against "
            "its target.",
            opt("--requests", type=int, default=50), MODEL_TO_BENCH,
            opt("--data", metavar="DIR", help="the shared data folder, for held-out "
                "perplexity (default: ../shared/data or $SONGLOOM_DATA)"),
            opt("--dev", action="store_true", help="the development themes and seeds "
                "(for choosing settings; the default set is only ever measured)"),
            JSON,
            opt("--language", choices=["en", "zh"], default="en",
                help="zh: the Chinese writer (10 tune patterns x 5 themes)"))


def _set_threads() -> None:
    import torch

    torch.set_num_threads(max(1, min(4, torch.get_num_threads())))


def _lyrics(args) -> int:
    from core.commands.lyrics_zh import check_language, run_zh

    if check_language(args) == "zh":
        return run_zh(args)
    from core.commands.lyrics_write import run_en

    return run_en(args)


def _read_lines(path: str) -> list[str]:
    from core.lyrics.corpus import read_text_file

    return read_text_file(Path(path)).lines


def _train(args) -> int:
    from core.commands.source_only import source_only
    from core.errors import SongloomError
    from core.lyrics.corpus import default_documents, read_text_file

    lyrics_train = source_only("core.training.lyrics_train", "train lyrics")
    TrainConfig, train = lyrics_train.TrainConfig, lyrics_train.train
    if args.resume:  # a broken state file is refused before torch takes seconds to import
        lyrics_train.read_train_state(Path(args.out))
    import torch

    torch.set_num_threads(max(1, args.threads))
    docs = [read_text_file(Path(p)) for p in args.text]
    if args.data:
        data = Path(args.data)
        if not (data / "public-domain-poems" / "poems.csv").exists():
            raise SongloomError("not the Songloom data folder (no public-domain-poems/poems.csv)", data)
        docs += default_documents(data)
    if not docs and not args.resume:
        raise SongloomError("nothing to train on: give --text FILE... and/or --data DIR")
    fine_tune = args.from_model is not None
    cfg = TrainConfig(
        steps=args.steps or (0 if args.resume else 200 if fine_tune else 1500),
        batch_size=args.batch_size,
        lr=args.lr or (1e-4 if fine_tune else 1e-3), warmup=10 if fine_tune else 60,
        max_minutes=args.minutes, save_every=25 if fine_tune else 50,
    )
    if (cfg.steps < 1 and not args.resume) or cfg.batch_size < 1:
        raise SongloomError("--steps and --batch-size must be at least 1")
    if args.resume and not docs:
        raise SongloomError("--resume needs the same --text/--data as the first run")

    def progress(fraction: float, message: str) -> None:
        print(f"\r{fraction * 100:5.1f}% {message}", end="", file=sys.stderr, flush=True)

    def log(message: str) -> None:
        print(f"\n{message}", file=sys.stderr, flush=True)

    state = train(docs, Path(args.out), cfg, from_model=args.from_model, resume=args.resume,
                  progress=progress, log=log)
    print(f"\nsaved {args.out}: step {state['step']}, held-out perplexity {state['val_perplexity']:.1f}")
    if args.export:
        export_model = source_only("core.training.lyrics_model_card",
                                   "train lyrics --export").export_model

        export_model(Path(args.out), Path(args.export))
        print(f"exported {args.export}")
    return 0


def _score(args) -> int:
    if getattr(args, "language", "en") == "zh":
        from core.commands.lyrics_zh import score_zh

        return score_zh(args)
    from core.metrics.text import json_safe
    from core.scoring import lyrics_scores

    lines = _read_lines(args.file)
    ref = _read_lines(args.ref) if args.ref else None
    variations = [lines, *(_read_lines(v) for v in args.variations)] if args.variations else None
    targets = args.syllables
    if args.melody:
        from core.io.song_io import load_song
        from core.lyrics.syllables import melody_syllable_targets

        targets = melody_syllable_targets(load_song(args.melody))
    if args.rhyme:
        from core.lyrics.rhyme import parse_scheme

        parse_scheme(args.rhyme)
    model_dir = None
    if args.model:
        from core.lyrics.model_store import resolve_model_dir

        model_dir = resolve_model_dir(args.model)
    metrics = json_safe(lyrics_scores(lines, ref, targets, args.rhyme, variations,
                                      model_dir=model_dir))
    if args.json:
        print(json.dumps({"file": args.file, **metrics}, indent=1))
    else:
        for key, value in metrics.items():
            print(f"{key:36s} {'-' if value is None else round(value, 3)}")
    return 0


def _bench(args) -> int:
    from core.commands.source_only import source_only

    bench_decoders = source_only("core.bench.lyrics_bench", "bench lyrics").bench_decoders

    result = bench_decoders(args.model, tokens=args.tokens, repeats=args.repeats,
                            include_124m=not args.skip_124m)
    _print_result(result, args.json)
    return 0


def _bench_constraints(args) -> int:
    from core.commands.source_only import source_only

    bench_constraints = source_only("core.bench.lyrics_bench",
                                    "bench lyrics-constraints").bench_constraints

    _set_threads()
    _print_result(bench_constraints(args.model, requests=args.requests), args.json)
    return 0


def _bench_quality(args) -> int:
    from core.commands.source_only import source_only
    from core.errors import SongloomError

    if args.language == "zh":
        from core.commands.lyrics_zh import run_bench_zh

        return run_bench_zh(args)
    quality = source_only("core.bench.lyrics_quality", "bench lyrics-quality")
    if not 1 <= args.requests <= 1000:
        raise SongloomError(f"--requests {args.requests}: use 1 to 1000")
    _set_threads()

    def progress(fraction: float, message: str) -> None:
        if not args.json:
            print(f"\r{fraction * 100:5.1f}% {message}", end="", file=sys.stderr, flush=True)

    result = quality.bench_quality(
        args.model, requests=args.requests,
        themes=quality.DEV_THEMES if args.dev else None, seed0=100 if args.dev else 0,
        data_dir=Path(args.data) if args.data else None, progress=progress)
    if not args.json:
        print(file=sys.stderr)
    _print_result(result, args.json)
    return 0


def _print_result(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=1))
        return
    for key, value in result.items():
        print(f"{key}: {value}")
