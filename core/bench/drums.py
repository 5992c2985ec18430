"""``songloom-cli bench drums``: the drummer measured as issue 15 asks, on the notes and on
the sound (never a timed test: figures go in docs/performance.md).

For every style with drums, songs of 16 bars (the automatic form: verse and chorus; and a
five-section form) are generated with the bundled model and read back as a listener would:
- drums in every bar; a fill in the bar before every section change (its last two beats
  differ from the section's usual bar); a crash within a 16th of every section's first
  downbeat; DP, the MuseGAN drum-pattern rate (core/metrics/music.py);
- the render through the bundled SoundFont: real-time factor with drums, the peak and
  loudness of the mix, and the drums' level against the band;
- every drum key the grooves use, alone in its kit, and each style's instruments: the
  loudness of one hit or note (a key the kit lacks renders silence).
"""

from __future__ import annotations

import math
import time
from collections import Counter

import numpy as np

from core.model.song import TICKS_PER_BEAT, Note, Song, TempoChange, Track
from core.model.styles import REGISTRY

FORMS = ("auto", "intro:2 verse:4 chorus:4 verse:2 chorus:4")
STRAIGHT = ("pop", "rock", "electronic")
CRASHES = {49, 57, 55, 52}
SILENT_DB = -60.0  # a hit or note quieter than this over its first second counts as silent
_FILL_STEPS = 8


def drum_styles() -> list[str]:
    return [n for n, s in REGISTRY.items() if s.drums]


def _drums(song: Song) -> Track:
    return next(t for t in song.tracks if t.is_drum)


def _bar_cells(notes: list[Note], bar: int, tpb: int, lo_step: int = 0) -> frozenset:
    step = TICKS_PER_BEAT // 4
    return frozenset((round(n.start / step) - bar * tpb // step, n.pitch) for n in notes
                     if lo_step <= round(n.start / step) - bar * tpb // step < tpb // step)


def check_song(song: Song) -> dict:
    """What a listener checks in one song's drums (see the module docstring)."""
    from core.metrics.music import drum_pattern_rate

    tpb = song.ticks_per_bar()
    bars = song.bar_count()
    notes = _drums(song).notes
    with_drums = {round(n.start / (TICKS_PER_BEAT // 4)) * (TICKS_PER_BEAT // 4) // tpb
                  for n in notes}
    starts = [s.start // tpb for s in song.sections]
    changes = [b for b in starts if b > 0]
    fills = 0
    for b in changes:
        sec = next(s for s in song.sections if s.start // tpb <= b - 1 < s.end // tpb)
        own = range(sec.start // tpb, b - 1)
        usual = Counter(_bar_cells(notes, x, tpb, _FILL_STEPS) for x in own).most_common(1)
        if not usual or _bar_cells(notes, b - 1, tpb, _FILL_STEPS) != usual[0][0]:
            fills += 1
    crashes = sum(any(n.pitch in CRASHES and abs(n.start - b * tpb) <= TICKS_PER_BEAT // 4
                      for n in notes) for b in starts)
    return {"bars": bars, "bars_with_drums": len(with_drums & set(range(bars))),
            "section_changes": len(changes), "fills_before_changes": fills,
            "sections": len(starts), "crashes_on_section_downbeats": crashes,
            "DP": drum_pattern_rate(song)}


def soundfont_presets(path) -> set[tuple[int, int]]:
    """(bank, program) of every preset in a .sf2/.sf3 (its RIFF "phdr" chunk): FluidSynth
    falls back to another preset for a missing one, which a loudness check cannot see."""
    import struct
    from pathlib import Path

    data = Path(path).read_bytes()
    at = data.find(b"phdr")
    size = struct.unpack("<I", data[at + 4:at + 8])[0]
    body = data[at + 8:at + 8 + size]
    out = set()
    for k in range(0, len(body) - 38, 38):  # the last record is the terminal "EOP"
        program, bank = struct.unpack("<HH", body[k + 20:k + 24])
        out.add((bank, program))
    return out


def missing_presets(presets: set[tuple[int, int]]) -> list[str]:
    """The drum kits and style instruments a SoundFont with ``presets`` lacks."""
    from core.music.grooves import load_library

    out = [f"{style}: drum kit {g.kit}" for style, g in sorted(load_library().grooves.items())
           if (128, g.kit) not in presets]
    for name, spec in REGISTRY.items():
        out += [f"{name}: program {p}" for p in spec.programs if (0, p) not in presets]
    return out


def _rms_db(audio: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if audio.size else 0.0
    return 20 * math.log10(rms) if rms > 0 else -math.inf


def _one_note(program: int, pitch: int, drum: bool) -> Song:
    return Song(title="probe", tempos=[TempoChange(0, 120.0)],
                tracks=[Track("probe", "drums" if drum else "other", program, drum,
                              9 if drum else 0, notes=[Note(0, TICKS_PER_BEAT, pitch, 100)])])


def audible(soundfont=None) -> dict:
    """Loudness (dBFS over the first second, dry) of every drum key each groove uses in
    its kit, and of each style's melody, harmony and bass programs."""
    from core.audio.render import render_song
    from core.audio.soundfonts import resolve_soundfont
    from core.music.grooves import load_library

    lib = load_library()
    presets = soundfont_presets(resolve_soundfont(soundfont))
    out: dict = {"drum_keys": {}, "programs": {}, "silent": [],
                 "missing_presets": missing_presets(presets)}
    sr = 44100
    for style, groove in sorted(lib.grooves.items()):
        levels = {}
        for key in sorted(groove.keys()):
            audio = render_song(_one_note(groove.kit, key, True), soundfont, sr, effects=False)
            levels[key] = round(_rms_db(audio[:sr]), 1)
            if levels[key] < SILENT_DB:
                out["silent"].append(f"{style}: kit {groove.kit} key {key}")
        out["drum_keys"][style] = {"kit": groove.kit, "rms_db": levels}
    for name, spec in REGISTRY.items():
        levels = {}
        for role, program, pitch in zip(("melody", "harmony", "bass"), spec.programs,
                                        (72, 60, 40), strict=True):
            audio = render_song(_one_note(program, pitch, False), soundfont, sr, effects=False)
            levels[role] = round(_rms_db(audio[:sr]), 1)
            if levels[role] < SILENT_DB:
                out["silent"].append(f"{name}: {role} program {program}")
        out["programs"][name] = levels
    return out


def _best_of(song: Song, soundfont, sr: int, tries: int = 3, **kw) -> tuple:
    """(wall s, CPU s, audio) of the fastest of ``tries`` renders: other processes share
    the CPU, so the fastest is the closest to what the render itself costs."""
    from core.audio.render import render_song

    best = None
    for _ in range(tries):
        t, c = time.perf_counter(), time.process_time()
        mix = render_song(song, soundfont, sr, **kw)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        best = (wall, cpu, mix) if best is None or wall < best[0] else best
    return best


def mix_levels(song: Song, soundfont=None) -> dict:
    """Render time with drums (real-time factor, warm synth, reverb on as in the app), the
    mix's peak and loudness, and the drums against the band (each rendered alone, dry).
    Measured in one run, interleaved: with drums, with drums rendering every voice to its
    end (core/audio/drum_tails.py off, as before it), and without drums."""
    import copy

    from core.audio.render import render_song

    sr = 44100
    render_song(song, soundfont, sr)  # warm: the SoundFont's samples loaded once
    without = copy.deepcopy(song)
    without.tracks = [t for t in without.tracks if not t.is_drum]
    runs = {"with_drums": (song, True), "with_drums_full_tails": (song, False),
            "without_drums": (without, True)}
    timing: dict = {}
    for _ in range(3):  # interleaved, so a burst of load hits all three alike
        for name, (s, tails) in runs.items():
            wall, cpu, mix = _best_of(s, soundfont, sr, 1, end_drum_tails=tails)
            old = timing.get(name, (math.inf, math.inf, mix))
            timing[name] = (min(wall, old[0]), min(cpu, old[1]), mix)  # the fastest of each
    elapsed, cpu, mix = timing["with_drums"]
    duration = len(mix) / sr
    rtf = {name: (len(m) / sr / w, len(m) / sr / max(c, 1e-9))
           for name, (w, c, m) in timing.items()}
    solo = {}
    for part in ("drums", "band"):
        s = copy.deepcopy(song)
        for tr in s.tracks:
            tr.solo = False
            tr.mute = tr.is_drum != (part == "drums")
        solo[part] = _rms_db(render_song(s, soundfont, sr, effects=False))
    return {"duration_s": round(duration, 2), "render_s": round(elapsed, 3),
            "realtime_factor": round(rtf["with_drums"][0], 1),
            "realtime_factor_cpu_time": round(rtf["with_drums"][1], 1),
            "full_tails_realtime_factor": round(rtf["with_drums_full_tails"][0], 1),
            "full_tails_realtime_factor_cpu_time": round(rtf["with_drums_full_tails"][1], 1),
            "without_drums_realtime_factor": round(rtf["without_drums"][0], 1),
            "without_drums_realtime_factor_cpu_time": round(rtf["without_drums"][1], 1),
            "with_over_without": round(rtf["with_drums"][0] / rtf["without_drums"][0], 3),
            "with_over_without_cpu_time": round(rtf["with_drums"][1] / rtf["without_drums"][1],
                                                3),
            "full_tails_over_without": round(rtf["with_drums_full_tails"][0]
                                             / rtf["without_drums"][0], 3),
            "full_tails_over_without_cpu_time": round(rtf["with_drums_full_tails"][1]
                                                      / rtf["without_drums"][1], 3),
            "peak_dbfs": round(20 * math.log10(float(np.abs(mix).max()) or 1e-12), 1),
            "rms_dbfs": round(_rms_db(mix), 1),
            "drums_minus_band_db": round(solo["drums"] - solo["band"], 1)}


BANDS_HZ = ((20, 250), (250, 1000), (1000, 4000), (4000, 8000), (8000, 16000),
            (16000, 22050))


def band_difference(ref: np.ndarray, other: np.ndarray, sr: int = 44100) -> dict:
    """Per frequency band: the energy of ``other - ref`` against ``ref``'s (dB; 4096-point
    Hann frames), and how much louder ``other`` is there (dB)."""
    n = min(len(ref), len(other))
    a, b = ref[:n].mean(axis=1), other[:n].mean(axis=1)
    size, hop = 4096, 2048
    frames = max(1, (n - size) // hop)
    idx = np.arange(size)[None, :] + hop * np.arange(frames)[:, None]
    win = np.hanning(size)

    def power(x):
        x = np.pad(x, (0, max(0, size - len(x))))
        return np.abs(np.fft.rfft(x[idx] * win, axis=1)) ** 2

    pa, pb, pd = power(a), power(b), power(b - a)
    freqs = np.fft.rfftfreq(size, 1 / sr)
    out = {}
    for lo, hi in BANDS_HZ:
        sel = (freqs >= lo) & (freqs < hi)
        ref_e = float(pa[:, sel].sum()) or 1e-30
        out[f"{lo}-{hi}"] = {"difference_db": round(10 * math.log10(
            max(float(pd[:, sel].sum()), 1e-30) / ref_e), 1),
            "level_change_db": round(10 * math.log10(max(float(pb[:, sel].sum()), 1e-30)
                                                     / ref_e), 2)}
    return out


def mean_voices(song: Song, soundfont=None, end_drum_tails: bool = True) -> float:
    """FluidSynth's sounding voices, averaged over the song's dry render (every 1024
    frames)."""
    from core.audio import drum_tails, render
    from core.audio.soundfonts import resolve_soundfont
    from core.audio.synth import warm_synth

    synth, lock = warm_synth(resolve_soundfont(soundfont), 44100, effects=False)
    count = drum_tails.active_voices
    with lock:
        counts = [count(synth) for _ in render.iter_blocks(
            synth, render._events_for(song), 44100, 1024, end_drum_tails=end_drum_tails)]
    return round(float(np.mean(counts)), 2)


def tail_difference(song: Song, soundfont=None) -> dict:
    """The drum track rendered dry with every voice to its end and with the drum voices
    nobody hears ended (core/audio/drum_tails.py): the difference over the whole track,
    per band, the peak, and each drum key alone (its loudness before and after)."""
    import copy

    from core.audio import drum_tails
    from core.audio.render import render_song

    sr = 44100
    drums = copy.deepcopy(song)
    drums.tracks = [t for t in drums.tracks if t.is_drum]
    full = render_song(drums, soundfont, sr, effects=False, end_drum_tails=False)
    ended = render_song(drums, soundfont, sr, effects=False)
    stats = dict(drum_tails.last_plan_stats)
    n = min(len(full), len(ended))
    diff = ended[:n] - full[:n]
    keys = {}
    for key in sorted({nt.pitch for nt in drums.tracks[0].notes}):
        one = copy.deepcopy(drums)
        one.tracks[0].notes = [nt for nt in one.tracks[0].notes if nt.pitch == key]
        a = render_song(one, soundfont, sr, effects=False, end_drum_tails=False)
        b = render_song(one, soundfont, sr, effects=False)
        keys[key] = {"hits": len(one.tracks[0].notes), "rms_db": round(_rms_db(a), 2),
                     "rms_change_db": round(_rms_db(b) - _rms_db(a), 3)}
    return {"voices_ended": stats.get("voices_ended", 0),
            "notes": len(drums.tracks[0].notes),
            "mean_voices": mean_voices(drums, soundfont, True),
            "mean_voices_full_tails": mean_voices(drums, soundfont, False),
            "difference_db": round(_rms_db(diff) - _rms_db(full[:n]), 1),
            "largest_difference_dbfs": round(20 * math.log10(
                float(np.abs(diff).max()) or 1e-12), 1),
            "peak_change_db": round(20 * math.log10(float(np.abs(ended).max())
                                                    / float(np.abs(full).max())), 3),
            "bands": band_difference(full, ended, sr), "keys": keys,
            "own_db": drum_tails.OWN_DB, "mask_db": drum_tails.MASK_DB}


def audio_bench_with_drums() -> dict:
    """``bench audio``'s 60 s three-track song rendered as it is and with rock drums played
    to it (8-bar phrases), best of three each, in the same run: what drums cost (and, for
    comparison, with every drum voice rendered to its end)."""
    import copy

    from core.audio.render import render_song
    from core.bench.audio_bench import bench_song
    from core.music import drummer

    plain = bench_song(60.0)
    with_drums = copy.deepcopy(plain)
    with_drums.tracks.append(drummer.drum_track(with_drums, "rock", seed=0))
    render_song(with_drums)  # warm
    runs = {"without_drums": (plain, True), "with_drums": (with_drums, True),
            "with_drums_full_tails": (with_drums, False)}
    best: dict = {}
    for _ in range(3):  # interleaved, so a burst of load hits all three alike
        for name, (s, tails) in runs.items():
            t, c = time.perf_counter(), time.process_time()
            audio = render_song(s, end_drum_tails=tails)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            old = best.get(name, (math.inf, math.inf, audio))
            best[name] = (min(wall, old[0]), min(cpu, old[1]), audio)
    out: dict = {}
    for name, (s, _tails) in runs.items():
        wall, cpu, audio = best[name]
        seconds = len(audio) / 44100
        out[name] = {"notes": sum(len(t.notes) for t in s.tracks),
                     "realtime_factor": round(seconds / wall, 1),
                     "realtime_factor_cpu_time": round(seconds / max(cpu, 1e-9), 1)}
    base = out["without_drums"]
    for name in ("with_drums", "with_drums_full_tails"):
        out[name]["over_without"] = round(out[name]["realtime_factor"]
                                          / base["realtime_factor"], 3)
        out[name]["over_without_cpu_time"] = round(out[name]["realtime_factor_cpu_time"]
                                                   / base["realtime_factor_cpu_time"], 3)
    return out


def run(songs: int = 5, form: str = "auto", audio: bool = True) -> dict:
    from core.music import styled
    from core.music.sample import load_generator

    gen = load_generator()
    forms = FORMS if form == "auto" else (form,)
    import os

    result: dict = {"what": "drums of 16-bar songs per style, bundled model and SoundFont",
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                    "songs_per_style_and_form": songs, "forms": list(forms), "styles": {}}
    for style in drum_styles():
        rows = []
        t = time.perf_counter()
        for f in forms:
            for seed in range(songs):
                song = styled.generate(gen, style, seed=seed, bars=16 if f == "auto" else None,
                                       form=f)[0]
                rows.append(check_song(song))
        per_song = (time.perf_counter() - t) / len(rows)
        total = {k: sum(r[k] for r in rows) for k in rows[0] if k != "DP"}
        result["styles"][style] = {
            **total, "DP_min": round(min(r["DP"] for r in rows), 4),
            "DP_mean": round(float(np.mean([r["DP"] for r in rows])), 4),
            "generate_and_arrange_s_per_song": round(per_song, 3)}
    if audio:
        for style in ("rock", "pop"):
            song = styled.generate(gen, style, seed=0, bars=16)[0]
            result["styles"][style]["render"] = mix_levels(song)
            result["styles"][style]["drum_tails"] = tail_difference(song)
        result["audio_bench_song"] = audio_bench_with_drums()
        result["audible"] = audible()
    return result


def format_result(result: dict) -> str:
    lines = [result["what"] + f" ({result['songs_per_style_and_form']} songs x forms "
             + " / ".join(repr(f) for f in result["forms"]) + ")"]
    for style, r in result["styles"].items():
        straight = " (straight)" if style in STRAIGHT else ""
        lines.append(
            f"{style}{straight}: drums in {r['bars_with_drums']}/{r['bars']} bars, fills before "
            f"{r['fills_before_changes']}/{r['section_changes']} section changes, crashes on "
            f"{r['crashes_on_section_downbeats']}/{r['sections']} section downbeats, DP min "
            f"{r['DP_min']:.3f} mean {r['DP_mean']:.3f}, "
            f"{r['generate_and_arrange_s_per_song']:.2f} s a song")
        if "render" in r:
            m = r["render"]
            lines.append(f"  render with drums: {m['realtime_factor']:.0f}x real time wall, "
                         f"{m['realtime_factor_cpu_time']:.0f}x by CPU time ({m['duration_s']} s "
                         f"in {m['render_s']} s); without drums "
                         f"{m['without_drums_realtime_factor']:.0f}x wall, "
                         f"{m['without_drums_realtime_factor_cpu_time']:.0f}x CPU; with drums "
                         f"/ without {m['with_over_without']:.2f} wall, "
                         f"{m['with_over_without_cpu_time']:.2f} CPU (every drum voice to its "
                         f"end: {m['full_tails_realtime_factor']:.0f}x wall, "
                         f"{m['full_tails_over_without']:.2f} / "
                         f"{m['full_tails_over_without_cpu_time']:.2f}); "
                         f"peak {m['peak_dbfs']} "
                         f"dBFS, loudness {m['rms_dbfs']} dBFS RMS, drums "
                         f"{m['drums_minus_band_db']:+.1f} dB against the band")
        if "drum_tails" in r:
            d = r["drum_tails"]
            worst = max((abs(k["rms_change_db"]), key) for key, k in d["keys"].items())
            bands = max(b["difference_db"] for b in d["bands"].values())
            lines.append(f"  drum voices ended early: {d['voices_ended']} of {d['notes']} hits "
                         f"(drum voices sounding {d['mean_voices']} on average, every one to "
                         f"its end {d['mean_voices_full_tails']}); "
                         f"the drum track changes by {d['difference_db']} dB (largest sample "
                         f"{d['largest_difference_dbfs']} dBFS, worst band {bands} dB), peak "
                         f"{d['peak_change_db']:+.3f} dB, key {worst[1]} loudness "
                         f"{worst[0]:.3f} dB (the most changed)")
    if "audio_bench_song" in result:
        a, b = result["audio_bench_song"]["without_drums"], result["audio_bench_song"]["with_drums"]
        f = result["audio_bench_song"]["with_drums_full_tails"]
        lines.append(f"bench audio's 60 s song: {a['realtime_factor']:.0f}x real time wall, "
                     f"{a['realtime_factor_cpu_time']:.0f}x by CPU time ({a['notes']} notes); "
                     f"with rock drums {b['realtime_factor']:.0f}x wall, "
                     f"{b['realtime_factor_cpu_time']:.0f}x CPU ({b['notes']} notes; "
                     f"{b['over_without']:.2f} / {b['over_without_cpu_time']:.2f} of without); "
                     f"every drum voice to its end {f['realtime_factor']:.0f}x wall "
                     f"({f['over_without']:.2f} / {f['over_without_cpu_time']:.2f})")
    if "audible" in result:
        a = result["audible"]
        keys = sum(len(v["rms_db"]) for v in a["drum_keys"].values())
        quietest = min((lv, f"{s} key {k}") for s, v in a["drum_keys"].items()
                       for k, lv in v["rms_db"].items())
        lines.append(f"audible: {keys} (kit, key) pairs and {3 * len(a['programs'])} style "
                     f"instruments rendered alone; silent: {', '.join(a['silent']) or 'none'}; "
                     f"presets missing from the SoundFont: "
                     f"{', '.join(a['missing_presets']) or 'none'}; "
                     f"quietest drum key {quietest[1]} at {quietest[0]} dBFS")
    return "\n".join(lines)


def grid_text() -> str:
    from core.music import drummer, styled
    from core.music.sample import load_generator

    song = styled.generate(load_generator(), "rock", seed=0, bars=16)[0]
    return drummer.drum_grid(_drums(song), song.ticks_per_bar(), range(6, 10))
