"""songloom-cli styles (the style registry: instruments, tempo range, playing, drums) and
songloom-cli bench drums."""

from __future__ import annotations

import json

from core.commands.options import JSON, command, opt


def register(groups) -> None:
    command(groups["top"], "styles", _styles,
            "list the styles with their instruments and tempo range",
            "The styles --style takes: which music-model style writes the notes, "
            "the General MIDI instruments of melody, harmony and bass, the usual tempo range, "
            "how the harmony and bass are played, and the drum kit (a groove file that cannot "
            "be read is reported on its style's line).",
            JSON)
    command(groups["bench"], "drums", _bench,
            "the drummer: form, fills, crashes, DP, render speed, audible keys",
            "Generates rock, pop and the other drum styles' 16-bar songs and checks "
            "what a producer listens for: drums in every bar, a fill before every section "
            "change, a crash on every section's first downbeat, the drum-pattern rate (DP), "
            "rendering speed with drums through the bundled SoundFont (real-time factor), and "
            "that every drum key the grooves use sounds in its kit (RMS of each key alone).",
            opt("--songs", type=int, default=5, metavar="N",
                help="songs per style (seeds 0..N-1; default 5)"),
            opt("--form", default="auto",
                help="the songs' form (default auto: 16 bars, verse and chorus)"),
            opt("--grid", action="store_true",
                help="also print a rock song's drum grid, bars 7-10 (the verse's end, the fill, "
                "the chorus)"),
            opt("--no-audio", action="store_true", help="skip rendering and the key check"),
            JSON)


def style_rows() -> list[dict]:
    from core.model.styles import BASS_PLAYS, HARMONY_PLAYS, REGISTRY
    from core.model.theory import GM_PROGRAM_NAMES
    from core.music.grooves import KIT_NAMES, GrooveError, load_library

    lib = load_library()
    rows = []
    for s in REGISTRY.values():
        row = {"style": s.name, "model_style": s.model_style,
               "instruments": {role: {"program": p, "name": GM_PROGRAM_NAMES[p]}
                               for role, p in zip(("melody", "harmony", "bass"), s.programs,
                                                  strict=True)},
               "tempo_range": list(s.tempo_range), "default_tempo": s.default_tempo,
               "harmony": s.harmony, "harmony_plays": HARMONY_PLAYS[s.harmony],
               "bass": s.bass, "bass_plays": BASS_PLAYS[s.bass], "drums": None,
               "description": s.description}
        if s.drums:
            try:
                g = lib.groove(s.name)
                row["drums"] = {"kit": g.kit, "kit_name": KIT_NAMES.get(g.kit, ""),
                                "groove": g.source}
            except GrooveError as exc:
                row["drums_error"] = str(exc)
        rows.append(row)
    return rows


def _styles(args) -> int:
    rows = style_rows()
    if args.json:
        print(json.dumps({"styles": rows}))
        return 0
    for r in rows:
        inst = ", ".join(f"{role} {i['name']} ({i['program']})"
                         for role, i in r["instruments"].items())
        lo, hi = r["tempo_range"]
        drums = (f"drums: {r['drums']['kit_name'] or 'GM'} kit ({r['drums']['kit']})"
                 if r["drums"] else
                 f"no drums ({r['drums_error']})" if "drums_error" in r else "no drums")
        print(f"{r['style']:<11} {lo}-{hi} BPM (default {r['default_tempo']}), notes from "
              f"the {r['model_style']} model")
        print(f"            {inst}")
        print(f"            harmony: {r['harmony_plays']}; bass: {r['bass_plays']}; {drums}")
    return 0


def _bench(args) -> int:
    from core.commands.source_only import source_only

    bench = source_only("core.bench.drums", "bench drums")
    result = bench.run(songs=max(1, args.songs), form=args.form, audio=not args.no_audio)
    if args.json:
        print(json.dumps(result))
    else:
        print(bench.format_result(result))
    if args.grid:
        print(bench.grid_text())
    return 0
