"""songloom-cli render / score audio / bench audio / soundfonts."""

from __future__ import annotations

import json
import sys

from core.commands.options import JSON, command, opt, soundfont
from core.errors import one_line


def register(groups) -> None:
    """Add this area's subcommands to groups (verb -> argparse subparsers)."""
    command(groups["top"], "render", _render,
            "render a song to WAV or FLAC through FluidSynth",
            "Render IN (.mid/.midi/.kar/.songloom) to OUT (.wav/.flac) with the "
            "bundled SoundFont or --soundfont. Track programs, mute/solo, volume, pan, drums "
            "and tempo changes are honoured; the release tail is kept. OUT appears only when "
            "complete. Songs longer than 2 hours are refused, and so is a render the disk has "
            "no room for (checked before writing).",
            opt("input", metavar="IN"), opt("output", metavar="OUT"),
            soundfont(".sf2/.sf3 file (default: the bundled FluidR3Mono GM)"),
            opt("--samplerate", type=int, default=44100, choices=(44100, 48000),
                help="Hz (default 44100)"),
            opt("--bits", type=int, default=16, choices=(16, 24, 32),
                help="16 or 24-bit PCM, 32 = float (WAV only); default 16"),
            JSON)
    command(groups["score"], "audio", _score,
            "mel-cepstral distance (dB) between two clips",
            "MCD in dB between A and B (WAV/FLAC/OGG/AIFF, or MIDI/.songloom rendered "
            "with the same SoundFont), DTW-aligned; 0 = identical. Clips up to 180 s.",
            opt("a", metavar="A"), opt("b", metavar="B"),
            soundfont("for MIDI inputs (default: bundled)"), JSON)
    command(groups["bench"], "audio", _bench,
            "render speed, per-render overhead and MCD speed",
            "Render a three-track song (warm synth) and compare with a naive "
            "per-event get_samples baseline measured in the same run; time the fixed overhead "
            "per render, the cold start, and the MCD of two 60-second clips.",
            opt("--seconds", type=float, default=60.0, help="song length (default 60)"),
            soundfont(), JSON)
    command(groups["top"], "soundfonts", _soundfonts,
            "list the SoundFonts Songloom finds on this computer",
            "The bundled SoundFont and every .sf2/.sf3 in the usual folders of this "
            "platform (extra folders: SONGLOOM_SOUNDFONT_DIRS).",
            JSON)


def _warn(path):
    def warn(message: str) -> None:
        print(f"songloom-cli: warning: {one_line(f'{path}: {message}')}", file=sys.stderr)

    return warn


def _render(args) -> int:
    from core.audio.render import render_to_file
    from core.audio.soundfonts import resolve_soundfont

    soundfont = resolve_soundfont(args.soundfont)
    result = render_to_file(args.input, args.output, soundfont=soundfont,
                            samplerate=args.samplerate, bit_depth=args.bits,
                            warn=_warn(args.input), lazy_samples=True)
    if result.clipped:
        _warn(args.output)(f"the mix peaks at {result.peak:.2f} (above full scale) and was "
                           "clipped; lower track volumes or use --bits 32")
    if args.json:
        print(json.dumps({"input": args.input, "output": args.output,
                          "soundfont": str(soundfont),
                          "duration_s": round(result.duration_s, 3),
                          "render_s": round(result.render_s, 3),
                          "soundfont_load_s": round(result.load_s, 3),
                          "realtime_factor": round(result.realtime_factor, 1),
                          "samplerate": result.samplerate, "bits": args.bits,
                          "peak": round(result.peak, 4), "clipped": result.clipped}, indent=1))
    else:
        print(f"wrote {one_line(args.output)}: {result.duration_s:.1f} s of audio at "
              f"{result.samplerate} Hz in {result.render_s:.2f} s "
              f"({result.realtime_factor:.0f}x real time; SoundFont opened in "
              f"{result.load_s:.2f} s)")
    return 0


def _score(args) -> int:
    from core.metrics import audio as mcd
    from core.scoring import mcd_files

    value = mcd_files(args.a, args.b, soundfont=args.soundfont, lazy_samples=True)
    if args.json:
        print(json.dumps({"a": args.a, "b": args.b, "mcd": round(value, 4), "unit": "dB",
                          "settings": {"samplerate": mcd.MCD_SAMPLERATE, "n_fft": mcd.N_FFT,
                                       "hop": mcd.HOP, "n_mels": mcd.N_MELS,
                                       "n_mfcc": mcd.N_MFCC, "c0": "excluded",
                                       "alignment": "DTW"}}, indent=1))
    else:
        print(f"MCD {value:.2f} dB between {args.a} and {args.b} (0 = identical)")
    return 0


def _bench(args) -> int:
    from core.commands.source_only import source_only

    run_bench = source_only("core.bench.audio_bench", "bench audio").run_bench
    from core.errors import SongloomError

    if not 1.0 <= args.seconds <= 3600.0:
        raise SongloomError(f"--seconds {args.seconds}: use 1 to 3600")
    log = (lambda m: print(m, file=sys.stderr)) if not args.json else (lambda m: None)
    results = run_bench(seconds=args.seconds, soundfont=args.soundfont, log=log)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        r, o, m = results["render"], results["overhead"], results["mcd"]
        print(f"render: {r['realtime_factor']}x real time warm "
              f"({r['speedup_vs_baseline']}x the per-event get_samples baseline, "
              f"{r['to_wav_realtime_factor']}x to WAV)")
        print(f"overhead per warm render: {o['warm_fixed_overhead_ms']} ms; cold start "
              f"{o['cold_start_s']} s")
        print(f"MCD of two 60 s clips: {m['warm_s']} s")
    return 0


def _soundfonts(args) -> int:
    from core.audio.soundfonts import bundled_soundfont, find_soundfonts

    bundled = bundled_soundfont()
    found = find_soundfonts()
    if args.json:
        print(json.dumps({"bundled": str(bundled), "found": [str(p) for p in found]}, indent=1))
    else:
        for path in found:
            print(f"{path}{'  (bundled)' if path == bundled else ''}")
    return 0
