"""songloom-cli train / generate / score / bench music."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from core.commands.options import JSON, SEED, command, model, opt
from core.errors import ModelError, SongloomError
from core.model.styles import DEFAULT_STYLE, STYLE_NAMES


def register(groups) -> None:
    """Add this area's subcommands to groups (verb -> argparse subparsers)."""
    command(groups["generate"], "music", _generate,
            "write melody, harmony and bass with the bundled GAN",
            "Generate a multi-track song (melody, harmony, bass) with the music GAN "
            "and write it as MIDI (or .songloom). The same seed and options give the same notes.",
            opt("--bars", type=int, default=None,
                help="length in 4/4 bars, 1-512 (default 8, or the form's length)"),
            opt("--form", metavar="FORM",
                help="the song's sections: AABA, verse-chorus, verse-chorus-bridge, or your "
                "own sequence such as \"intro verse chorus verse chorus outro\" (a length "
                "per section: verse:16); default: one chosen for --bars; raw: the network's "
                "phrases without a form"),
            opt("--chords", metavar="PROGRESSION",
                help="chord names or Roman numerals, one per bar (\"C Am F G\", \"I vi IV "
                "V\"; \"C Am | F G\" puts two in a bar), for every section or per section "
                "(\"verse=I vi IV V; chorus=IV V I I\"); default: drawn from the style's "
                "songs. With --from and --regenerate-track: the song's new chords"),
            SEED,
            opt("--key", default="C", help="tonic: C, C#, Db, ... B (default C)"),
            opt("--mode", default="major", help="major or minor (default major)"),
            opt("--style", default=DEFAULT_STYLE,
                help=f"{', '.join(STYLE_NAMES)} (default {DEFAULT_STYLE}); pop, rock, "
                "ballad, electronic and folk bring their band and a drum track "
                "(songloom-cli styles lists them)"),
            opt("--tempo", type=float, default=None,
                help="BPM (default: the style's usual tempo, 96 for lieder)"),
            opt("--humanize", action=argparse.BooleanOptionalAction, default=True,
                help="play the drums a few ms and velocity steps off the grid, seeded "
                "(default on)"),
            opt("--temperature", type=float, default=1.0,
                help="0 = the model's most likely notes; higher = more adventurous (default 1)"),
            opt("--variations", type=int, default=1,
                help="write K songs: OUT-1.mid ... OUT-K.mid (default 1)"),
            opt("--allow-chromatic", action="store_true",
                help="allow notes outside the key (default: every note is in the key)"),
            opt("--regenerate-track", metavar="ROLE",
                help="with --from: rewrite only this track (melody, harmony, bass or "
                "drums: drums in --style, added when the song has none)"),
            opt("--from", dest="from_file", metavar="FILE", help="the song to change"),
            opt("--continue", dest="continue_file", metavar="FILE",
                help="append --bars bars that follow from the end of FILE"),
            opt("--out", required=True, metavar="FILE", help=".mid/.midi/.kar/.songloom"),
            model(), JSON)
    command(groups["train"], "music", _train,
            "train the music GAN (resumable)",
            "Train the MuseGAN-style model on the corpora in DIR (see "
            "../shared/data/README.md); checkpoints every few minutes, --resume continues.",
            opt("--data", required=True, metavar="DIR"),
            opt("--out", required=True, metavar="DIR"),
            opt("--steps", type=int, default=4000, help="generator steps (default 4000)"),
            opt("--resume", action="store_true"),
            opt("--device", default="auto", help="auto, cpu, cuda or mps"),
            opt("--minutes", type=float, help="stop (with a checkpoint) after this long"),
            opt("--cache", metavar="DIR", action="append",
                help="parsed-corpus cache (default OUT/cache); repeat it to train on "
                "several, e.g. the Lieder/chorale cache and the POP909 one"),
            opt("--batch", type=int, default=32, help="per process (default 32)"),
            opt("--styles", metavar="A,B,...",
                help="the model's style slots in order (default lieder,chorale)"),
            opt("--style-share", metavar="STYLE=F", action="append", default=[],
                help="draw this share of each batch from STYLE's phrases (e.g. pop=0.34)"),
            opt("--init-from", metavar="DIR",
                help="warm-start from a trained model folder whose styles come first"),
            opt("--mirror", metavar="DIR", help="copy each checkpoint here as well"),
            opt("--binary-neurons", action="store_true",
                help="show the critic 0/1 samples of the generator's notes (stochastic "
                "binary neurons, straight-through gradients); the shipped model used this "
                "after a continuous warm-up, see MODEL_CARD.md"))
    command(groups["score"], "music", _score,
            "music metrics (EB, UPC, QN, TD, ...) and originality of a song",
            "Objective metrics per track of a MIDI/.songloom file, beside the "
            "held-out training data's values, and how much of its melody is in the training set.",
            opt("file", metavar="FILE"), model(),
            opt("--style", metavar="STYLE",
                help="judge the form rows against this style's songs only (default: each)"),
            JSON)
    command(groups["bench"], "music", _bench,
            "generation speed, load time and memory of the music model",
            "Times model loading and 8-bar generation; real-time factor is the "
            "music's duration over the time it took to write it (baseline: the duration).",
            opt("--model", metavar="DIR"), opt("--repeats", type=int, default=20),
            opt("--no-torch-baseline", action="store_true",
                help="skip the baseline: the same network loaded and run through torch"),
            opt("--form-songs", type=int, default=20, metavar="N",
                help="songs per style of the style's default form, judged against the "
                "cross-validation ranges (default 20; 0 skips)"),
            JSON)


def _out_paths(out: str, variations: int) -> list[Path]:
    path = Path(out)
    if variations == 1:
        return [path]
    return [path.with_name(f"{path.stem}-{i}{path.suffix}") for i in range(1, variations + 1)]


def _check_out(path: Path) -> None:
    from core.io.song_io import _kind

    _kind(path)  # unknown extension -> one clear error before any work
    if not path.parent.exists():
        raise SongloomError("the folder does not exist", path.parent)


def _generate(args) -> int:
    from core.io.song_io import load_song, save_song
    from core.music.sample import load_generator

    t0 = time.perf_counter()
    if not 0 <= args.seed < 2**63:  # numpy's SeedSequence raised ValueError on -1
        raise SongloomError(f"--seed must be between 0 and {2**63 - 1}, got {args.seed}")
    outs = _out_paths(args.out, max(1, args.variations))
    for o in outs:
        _check_out(o)
    if args.regenerate_track and not args.from_file:
        raise SongloomError("--regenerate-track needs --from FILE")
    if args.from_file and not args.regenerate_track:
        raise SongloomError("--from needs --regenerate-track ROLE")
    if args.regenerate_track and args.continue_file:
        raise SongloomError("use either --regenerate-track or --continue, not both")
    if args.form and (args.regenerate_track or args.continue_file):
        raise SongloomError("--form makes a new song; it cannot be used with --from or --continue")
    if args.chords and args.continue_file:
        raise SongloomError("--chords cannot be used with --continue")
    from core.model.styles import get_style
    from core.music import styled

    get_style(args.style)  # an unknown style: one line naming the known ones, no work done
    gen = load_generator(args.model)
    if args.regenerate_track or args.continue_file:
        from core.music.compose import set_chords

        source = args.from_file or args.continue_file
        song = load_song(source)
        if args.regenerate_track:
            if args.chords:
                song = set_chords(song, args.chords, args.allow_chromatic)
            songs = [styled.regenerate_track(gen, song, args.regenerate_track, args.seed,
                                             args.style, args.temperature,
                                             allow_chromatic=args.allow_chromatic,
                                             humanize=args.humanize)]
        else:
            songs = [styled.continue_song(gen, song, 8 if args.bars is None else args.bars,
                                          args.seed, args.style, args.temperature,
                                          allow_chromatic=args.allow_chromatic,
                                          humanize=args.humanize)]
        outs = outs[:1]
    else:
        form = None if (args.form or "").strip().lower() == "raw" else (args.form or "auto")
        bars = 8 if args.bars is None and form in (None, "auto") else args.bars
        if form is None and args.chords:
            raise SongloomError("--chords needs a form (the raw network plays no chords)")
        songs = styled.generate(gen, args.style, seed=args.seed, tempo=args.tempo,
                                humanize=args.humanize, bars=bars, key=args.key,
                                mode=args.mode, temperature=args.temperature,
                                variations=args.variations,
                                allow_chromatic=args.allow_chromatic, form=form,
                                chords=args.chords)
    warnings = []
    for song, out in zip(songs, outs, strict=True):
        warnings += save_song(song, out, {"generation": {"music": _music_params(args, song)}})
    seconds = time.perf_counter() - t0
    info = [{"file": str(o), "bars": s.bar_count(), "key": s.key_name,
             "notes": {t.role: len(t.notes) for t in s.tracks},
             "duration_s": round(s.duration_seconds(), 2), **_form_info(s)}
            for s, o in zip(songs, outs, strict=True)]
    if args.json:
        print(json.dumps({"songs": info, "seed": args.seed, "seconds": round(seconds, 3),
                          "warnings": warnings}))
    else:
        for i in info:
            notes = ", ".join(f"{n} {r}" for r, n in i["notes"].items())
            print(f"wrote {i['file']}: {i['bars']} bars in {i['key']} ({notes})")
            if i["sections"]:
                print("  form: " + ", ".join(f"{x['label']} ({x['bars']} bars)"
                                              for x in i["sections"]))
    return 0


def _music_params(args, song) -> dict:
    """The request as the app's Generate panel keeps it, so a project written here
    reopens in the app on its own style, form and chords rather than the defaults.
    Key, mode, tempo and length are the song's own (the options may have left them to
    the style)."""
    from dataclasses import asdict

    from core.model.requests import MusicParams

    # The panel has no "raw" (the network's bars with no form): it reopens on "auto".
    form = "auto" if (args.form or "raw").strip().lower() == "raw" else args.form
    params = MusicParams(
        bars=song.bar_count(), seed=args.seed, key=song.key, mode=song.mode,
        style=args.style, tempo=float(song.tempo), temperature=float(args.temperature),
        variations=max(1, args.variations), allow_chromatic=bool(args.allow_chromatic),
        humanize=bool(args.humanize), form=form, chords=args.chords or "")
    return asdict(params)


def _form_info(song) -> dict:
    """The song's sections and chords for --json (bars and beats count from 1)."""
    from core.model.sections import section_labels

    tpb = song.ticks_per_bar()
    beat = tpb // song.time_signature.numerator if tpb else 480
    sections = [{"name": s.name, "label": label, "start_bar": s.start // tpb + 1,
                 "bars": s.duration // tpb}
                for s, label in zip(song.sections, section_labels(song.sections), strict=True)]
    chords = [{"bar": c.start // tpb + 1, "beat": c.start % tpb // beat + 1,
               "beats": c.duration // beat, "chord": c.chord.name(song.key, song.mode),
               "roman": c.chord.roman(song.key, song.mode)} for c in song.chords]
    return {"sections": sections, "chords": chords}


def _train(args) -> int:
    from core.commands.source_only import source_only

    train = source_only("core.training.music_train", "train music").train

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if not Path(args.data).is_dir():
        raise SongloomError("training data folder not found", args.data)
    shares = {}
    for item in args.style_share:
        name, _, value = item.partition("=")
        try:
            shares[name] = float(value)
        except ValueError:
            raise SongloomError(f"--style-share {item!r}: use STYLE=FRACTION, e.g. pop=0.34") from None
        if not 0 < shares[name] < 1:
            raise SongloomError(f"--style-share {item!r}: the fraction must lie between 0 and 1")
    styles = tuple(args.styles.split(",")) if args.styles else None
    if styles and any(s not in styles for s in shares):
        raise SongloomError(f"--style-share names a style not in --styles {args.styles}")
    if args.init_from and not Path(args.init_from, "config.json").is_file():
        raise SongloomError("--init-from: no model folder (config.json) there", args.init_from)
    result = train(Path(args.data), Path(args.out), steps=args.steps, resume=args.resume,
                   device=args.device, batch=args.batch, max_minutes=args.minutes,
                   binary=args.binary_neurons, styles=styles, style_share=shares,
                   init_from=Path(args.init_from) if args.init_from else None,
                   mirror=Path(args.mirror) if args.mirror else None,
                   cache_dir=[Path(c) for c in args.cache] if args.cache else None, log=log)
    print(json.dumps(result))
    return 0


def _warn(message: str) -> None:
    from core.errors import one_line

    print(f"songloom-cli: warning: {one_line(message)}", file=sys.stderr)


def _clean(obj):
    if isinstance(obj, float):
        return None if math.isnan(obj) else round(obj, 4)
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    return obj


def _score(args) -> int:
    from core.io.song_io import load_song
    from core.metrics.music import song_metrics
    from core.music.originality import OriginalityIndex, originality
    from core.music.sample import default_model_dir
    from core.scoring import reference_metrics

    song = load_song(args.file)
    folder = Path(args.model) if args.model else default_model_dir()
    result = {"file": args.file, "key": song.key_name, "bars": song.bar_count(),
              "metrics": song_metrics(song)}
    try:
        result["originality"] = originality(song, OriginalityIndex.load(folder))
    except SongloomError as exc:
        result["originality_unavailable"] = str(exc)
        _warn(f"originality not scored: {exc}")
    try:
        reference = reference_metrics(folder)
        result["reference"] = reference.get("all") if isinstance(reference, dict) else None
    except SongloomError as exc:
        result["reference_unavailable"] = str(exc)
        _warn(f"no held-out reference values: {exc}")
    try:
        from core.scoring import song_form_rows

        rows = song_form_rows(song, folder)
        if args.style:
            if args.style not in rows:
                raise SongloomError(f"unknown style {args.style!r} (use {', '.join(rows)})")
            rows = {args.style: rows[args.style]}
        result["cross_validation"] = rows
    except ModelError as exc:
        result["cross_validation_unavailable"] = str(exc)
        _warn(f"no cross-validation ranges: {exc}")
    result = _clean(result)
    if args.json:
        print(json.dumps(result))
        return 0
    ref = result.get("reference") or {}
    print(f"{args.file}: {result['bars']} bars in {result['key']}")
    for group, metrics in result["metrics"].items():
        cells = []
        for name, v in metrics.items():
            r = (ref.get(group) or {}).get(name)
            shown = "n/a" if v is None else f"{v:.3f}"
            cells.append(f"{name} {shown}" + (f" (data {r:.3f})" if r is not None else ""))
        print(f"  {group}: " + ", ".join(cells))
    if "originality" in result:
        o = result["originality"]
        rate = o["near_copy_phrase_rate"]
        print(f"  originality: longest melody run shared with training {o['longest_shared_run']:.0f} "
              f"intervals; near-copied phrases {'n/a' if rate is None else f'{rate:.0%}'}")
    for style, rows in (result.get("cross_validation") or {}).items():
        inside = sum(bool(r["within"]) for r in rows.values())
        print(f"  form and harmony against the {style} songs' 5 folds: {inside} of {len(rows)} "
              "rows within the folds' range")
        for name, r in rows.items():
            v = "n/a" if r["value"] is None else f"{r['value']:.3f}"
            print(f"    {name}: {v} (folds {r['min']:.3f}-{r['max']:.3f})"
                  f"{'' if r['within'] else ' outside'}")
    return 0


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_COLD_LOAD = """
import json, sys, time
t0 = time.perf_counter()
from core.music.sample import MusicGenerator
g = MusicGenerator.from_folder(__import__("pathlib").Path(sys.argv[1]))
t1 = time.perf_counter()
g.generate(bars=8, seed=0)
print(json.dumps({"load": t1 - t0, "first_song": time.perf_counter() - t1}))
"""

_TORCH_BASELINE = """
import json, sys, time
t0 = time.perf_counter()
import torch
torch.set_num_threads(1)
from safetensors.torch import load_file
from core.music.model import GanConfig, Generator, make_cond, sample_latents
cfg = GanConfig.from_dict(json.load(open(sys.argv[1] + "/config.json")))
g = Generator(cfg)
g.load_state_dict(load_file(sys.argv[1] + "/generator.safetensors"))
g.eval()
t1 = time.perf_counter()
cond = make_cond(torch.tensor([0]), torch.tensor([0]), torch.tensor([0]))
times = []
with torch.no_grad():
    for i in range(5):
        t = time.perf_counter()
        ctx = torch.zeros(1, 3, 16, 84)
        for _ in range(2):  # 8 bars = two chained phrases
            ctx = (torch.sigmoid(g(*sample_latents(1, 4, cfg.z_dim), cond, ctx))[:, :, 0, -16:] > 0.5).float()
        times.append(time.perf_counter() - t)
print(json.dumps({"load": t1 - t0, "forward_8_bars": sorted(times)[2]}))
"""


def _subprocess_json(code: str, folder: Path) -> dict | None:
    import subprocess

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True,
                       text=True, timeout=300, env=env)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])


def _bench(args) -> int:
    from core.music import sample

    rss0 = _rss_mb()
    t0 = time.perf_counter()
    folder = Path(args.model) if args.model else sample.default_model_dir()
    gen = sample.MusicGenerator.from_folder(folder)
    load_s = time.perf_counter() - t0
    rss_loaded = _rss_mb()
    gen.generate(bars=8, seed=0)  # warm caches before timing
    times, duration = [], 0.0
    for i in range(max(1, args.repeats)):
        t = time.perf_counter()
        song = gen.generate(bars=8, seed=i, key=i % 12, mode=("major", "minor")[i % 2])[0]
        times.append(time.perf_counter() - t)
        duration = song.tick_to_seconds(8 * song.ticks_per_bar())
    times.sort()
    median = times[len(times) // 2]
    with tempfile.TemporaryDirectory() as tmp:  # the full CLI path: generate + write MIDI
        from core.io.song_io import save_song

        save_song(gen.generate(bars=8, seed=1)[0], Path(tmp) / "warm.mid")  # imports
        t = time.perf_counter()
        save_song(gen.generate(bars=8, seed=2)[0], Path(tmp) / "bench.mid")
        with_write = time.perf_counter() - t
    result = {
        "what": "music generation, 8 bars x 3 tracks at 96 BPM, CPU, numpy",
        "model_load_s": round(load_s, 4),
        "added_rss_mb": round(rss_loaded - rss0, 1),
        "peak_rss_mb_after": round(_rss_mb(), 1),
        "generate_8_bars_median_s": round(median, 5),
        "music_duration_s": round(duration, 3),
        "realtime_factor": round(duration / median, 1),
        "generate_and_write_midi_s": round(with_write, 5),
        "fraction_of_duration": round(median / duration, 5),
        "repeats": len(times),
    }
    cold = _subprocess_json(_COLD_LOAD, folder)
    if cold:  # a fresh process: imports + weights, what the app pays on first Generate
        result["cold_process_load_s"] = round(cold["load"], 3)
        result["cold_process_first_8_bars_s"] = round(cold["first_song"], 4)
    if not args.no_torch_baseline:
        base = _subprocess_json(_TORCH_BASELINE, folder)
        if base:
            result["baseline_torch_cold_load_s"] = round(base["load"], 3)
            result["baseline_torch_forward_8_bars_s"] = round(base["forward_8_bars"], 5)
            if cold:
                result["load_speedup_vs_torch"] = round(base["load"] / cold["load"], 1)
            result["note"] = ("baseline: the same network through torch (1 thread), network "
                              "forward only, no binarisation or Song building")
    form_results = []
    if args.form_songs > 0:
        from core.commands.source_only import source_only
        from core.scoring import form_ranges

        bench_form = source_only("core.bench.music_form", "bench music")
        ranges = form_ranges(folder)
        form_results = [bench_form.bench_style(gen, style, args.form_songs, ranges)
                        for style in sample.STYLES if style in ranges["styles"]]
        result["form"] = _clean({r["style"]: r for r in form_results})
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            if k != "form":
                print(f"{k}: {v}")
        if form_results:
            print(bench_form.format_bench(form_results))
    return 0
