"""Quality evaluation of the music GAN against the held-out split (training side: uses data).

``python -m core.training.music_evaluate MODEL_DIR CACHE_DIR`` writes ``heldout_metrics.json`` (the
reference the scores panel shows) and ``quality.json`` (generated vs held-out vs an
untrained generator of the same shape) into MODEL_DIR. 200 four-bar phrases are generated
with the style, key and mode of 200 randomly drawn held-out phrases, so both sides have
the same mix of conditions.

Two splits, two numbers: the sampler's settings (sample.py, decode.py) were chosen on a VALIDATION
slice of the training split (``validation_set``: 800 training phrases as reference, the
conditions of 200 of them, seeds 50000+), and ``quality.json`` reports that slice beside
the held-out split, which no setting was chosen on.

Two floors: the untrained network through the same sampler (key mask, count decoder,
critic-free), and the untrained network read raw, MuseGAN-style: every cell whose
probability is over 0.5 sounds, no key mask, no decoder (``raw_rolls``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from core.metrics.music import rolls_metrics
from core.model.pianoroll import BAR_STEPS
from core.model.styles import STYLES

N_EVAL = 200
VALIDATION_PHRASES = 800
HELDOUT_SEED, VALIDATION_SEED = 10_000, 50_000  # generation seeds: seed + phrase number
SEED_SETS, SEED_SET_STRIDE = 5, 1_000  # held-out conditions again with seeds 11000+, ...
RELATIVE_TOLERANCE = {"EB": 0.25, "UPC": 0.25, "QN": 0.25, "TD": 0.15}


def heldout_set(cache_dir: Path):
    from core.training import music_data as gdata

    songs = gdata.load_cached_songs(cache_dir)
    return gdata.build_phrases([s for s in songs if s.heldout], 4), songs


def _conditions(held, n: int, seed: int = 0):
    idx = np.random.default_rng(seed).choice(len(held), n, replace=len(held) < n)
    return [(int(held.style[i]), int(held.key[i]), "minor" if held.minor[i] else "major") for i in idx], idx


def generated_rolls(gen, conditions, temperature: float, seed0: int = HELDOUT_SEED
                    ) -> list[np.ndarray]:
    from core.model.pianoroll import song_to_roll

    rolls = []
    for i, (style, key, mode) in enumerate(conditions):
        # The network's phrases (form=None), as these tables have always measured: the
        # composed songs are judged by cross-validation (core/training/music_cv.py).
        song = gen.generate(bars=4, seed=seed0 + i, key=key, mode=mode, style=STYLES[style],
                            temperature=temperature, form=None)[0]
        rolls.append(song_to_roll(song, 4))
    return rolls


def _validation_slice(cache_dir: Path):
    """The training phrases and the fixed indices of the 800 that make the validation slice."""
    from core.training import music_data as gdata

    train = gdata.build_phrases([s for s in gdata.load_cached_songs(cache_dir) if not s.heldout], 4)
    idx = np.random.default_rng(1).choice(len(train), min(VALIDATION_PHRASES, len(train)), replace=False)
    return train, idx


def validation_set(cache_dir: Path, n: int = N_EVAL, with_styles: bool = False):
    """A fixed slice of the TRAINING split for choosing sampler settings: 800 phrases as the
    reference and the style/key/mode of 200 of them as conditions (``with_styles``: also
    the style index of each reference phrase)."""
    train, idx = _validation_slice(cache_dir)
    pick = idx[np.random.default_rng(5).choice(len(idx), n, replace=len(idx) < n)]
    conditions = [(int(train.style[i]), int(train.key[i]), "minor" if train.minor[i] else "major")
                  for i in pick]
    tm = [(int(train.key[i]), "minor" if train.minor[i] else "major") for i in idx]
    out = (list(train.phrases(idx)[:, :, :, BAR_STEPS:]), tm, conditions)
    return (*out, [int(train.style[i]) for i in idx]) if with_styles else out


def raw_rolls(gen, conditions, sampled: bool = False, seed0: int = HELDOUT_SEED) -> list[np.ndarray]:
    """The network's own output, MuseGAN-style, with no key mask, critic, count decoder or
    repair: a cell sounds where its probability is over 0.5 (MuseGAN's hard threshold), or,
    with ``sampled``, with its probability (their Bernoulli sampling); an onset where both
    of its maps are on."""
    from core.model.pianoroll import N_PITCHES, N_TRACKS
    from core.music import numpy_net as net

    rolls = []
    ctx = np.zeros((1, N_TRACKS, BAR_STEPS, N_PITCHES), np.float32)
    for i, (style, key, mode) in enumerate(conditions):
        z, zt, zi, zit = gen._latents(seed0 + i, 0, 4)
        logits = net.generator_logits(gen.weights, gen.g_channels, z, zt, zi, zit,
                                      net.condition(style, key, int(mode == "minor")), ctx)[0]
        if sampled:
            u = np.random.default_rng(np.random.SeedSequence([seed0 + i, 0, 1])).random(logits.shape)
            on = u < 1.0 / (1.0 + np.exp(-logits))
        else:
            on = logits > 0
        rolls.append(np.stack([on[:, 0], on[:, 0] & on[:, 1]], axis=1).astype(np.uint8))
    return rolls


def _empty_bars_by_song(sounding: np.ndarray, song: np.ndarray, n_songs: int
                        ) -> tuple[np.ndarray, np.ndarray]:
    """(N, T, steps, P) sounding maps of phrases and each phrase's song index -> per song,
    the empty bars of each track (n_songs, T) and the bars (n_songs,)."""
    n, t = sounding.shape[:2]
    plays = sounding.reshape(n, t, -1, BAR_STEPS, sounding.shape[-1]).any(axis=(3, 4))  # (N, T, bars)
    empty = np.zeros((n_songs, t))
    bars = np.zeros(n_songs)
    np.add.at(empty, song, (~plays).sum(axis=2))
    np.add.at(bars, song, plays.shape[2])
    return empty, bars


def eb_song_bootstrap(held, rolls: list[np.ndarray], resamples: int = 2000, seed: int = 0
                      ) -> dict[str, list[float]]:
    """95 % interval of each track's empty-bar rate over resamples of the held-out SONGS
    (phrases of one song stay together: empty bars cluster in a few songs). It says how
    far the held-out value itself could move with another draw of songs, which a reader
    needs beside a target of +-25 % of a rate near zero."""
    from core.model.pianoroll import TRACK_ROLES

    songs, song_idx = np.unique(held.song, return_inverse=True)
    empty, bars = _empty_bars_by_song(np.stack(rolls)[:, :, 0], song_idx, len(songs))
    pick = np.random.default_rng(seed).integers(0, len(songs), (resamples, len(songs)))
    rates = empty[pick].sum(axis=1) / bars[pick].sum(axis=1)[:, None]  # (resamples, T)
    lo, hi = np.percentile(rates, [2.5, 97.5], axis=0)
    return {role: [float(lo[t]), float(hi[t])] for t, role in enumerate(TRACK_ROLES)}


ORACLE_DRAWS = 200


def data_meets_targets(held_rolls: list[np.ndarray], tm: list, reference: dict, n: int = N_EVAL,
                       draws: int = ORACLE_DRAWS, seed: int = 0) -> dict[str, float]:
    """Per target row, how often the held-out songs THEMSELVES meet it: n of their phrases,
    drawn at random, scored against the whole split as the generated phrases are. A
    generator that drew phrases exactly as the held-out songs do could meet a target no
    more often; where this is far below 1, a missed target says little about the model."""
    rng = np.random.default_rng(seed)
    hits: dict[str, int] = {}
    for _ in range(draws):
        idx = rng.integers(0, len(held_rolls), n)
        m = rolls_metrics([held_rolls[i] for i in idx], [tm[i] for i in idx])
        for name, row in compare(m, reference, m).items():
            if row["within"] is not None:
                hits[name] = hits.get(name, 0) + bool(row["within"])
    return {name: h / draws for name, h in hits.items()}


def eb_random_splits(songs, heldout_eb: dict[str, float], splits: int = 5000, seed: int = 0
                     ) -> dict[str, dict]:
    """Each track's empty-bar rate over random song-level splits of the whole corpus with as
    many held-out Lieder and chorales as the real split: its 95 % range, and where the real
    held-out value falls in it (percentile). Reads the held-out songs but chooses nothing."""
    from core.model.pianoroll import TRACK_ROLES
    from core.training import music_data as gdata

    phrases = gdata.build_phrases(songs, 4)
    rolls = phrases.phrases(np.arange(len(phrases)))[:, :, 0, BAR_STEPS:]  # (N, T, steps, P)
    empty, bars = _empty_bars_by_song(rolls, phrases.song, len(songs))
    style = np.array([s.style for s in songs])
    held = np.array([s.heldout for s in songs])
    rng = np.random.default_rng(seed)
    groups = [(np.flatnonzero(style == st), int((held & (style == st)).sum())) for st in np.unique(style)]
    rates = np.empty((splits, len(TRACK_ROLES)))
    for k in range(splits):
        pick = np.concatenate([rng.choice(ids, m, replace=False) for ids, m in groups])
        rates[k] = empty[pick].sum(axis=0) / bars[pick].sum()
    lo, mid, hi = np.percentile(rates, [2.5, 50, 97.5], axis=0)
    return {role: {"range_95": [float(lo[t]), float(hi[t])], "median": float(mid[t]),
                   "heldout_percentile": float((rates[:, t] <= heldout_eb[role]).mean() * 100)}
            for t, role in enumerate(TRACK_ROLES)}


def untrained_generator(config: dict):
    """The same architecture with its initial (random) weights: the floor to beat."""
    import torch

    from core.music.model import GanConfig, Generator
    from core.music.sample import MusicGenerator

    torch.manual_seed(0)
    g = Generator(GanConfig.from_dict(config))
    weights = {k: v.detach().numpy().astype(np.float32) for k, v in g.state_dict().items()}
    return MusicGenerator(weights, None, config, Path("untrained"))


def latent_spread(gen, n: int = 16) -> float:
    """How much the generator's note probabilities move with the seed (std over seeds /
    mean, averaged over cells). Near 0 = the latents are ignored (mode collapse)."""
    from core.music import numpy_net as net

    cond = net.condition(0, 0, 0)
    ctx = np.zeros((1, 3, BAR_STEPS, 84), np.float32)
    probs = []
    for seed in range(n):
        z, zt, zi, zit = gen._latents(seed, 0, 4)
        logits = net.generator_logits(gen.weights, gen.g_channels, z, zt, zi, zit, cond, ctx)
        probs.append(1 / (1 + np.exp(-logits)))
    p = np.stack(probs)
    return float(p.std(axis=0).mean() / p.mean())


def _closer(gen_v: float, base_v: float, ref_v: float) -> bool:
    if math.isnan(ref_v):
        return True
    if math.isnan(gen_v):
        return False
    return math.isnan(base_v) or abs(gen_v - ref_v) <= abs(base_v - ref_v)


def compare(gen_m: dict, ref_m: dict, base_m: dict) -> dict:
    """Per metric: value, reference, relative gap, within tolerance, closer than untrained."""
    rows = {}
    for group, metrics in ref_m.items():
        for name, ref_v in metrics.items():
            g, b = gen_m[group][name], base_m[group][name]
            tol_key = "TD" if name.startswith("TD") else name
            rel = abs(g - ref_v) / abs(ref_v) if ref_v and not math.isnan(ref_v) else float("nan")
            rows[f"{group} {name}"] = {
                "generated": g, "heldout": ref_v, "untrained": b, "relative_gap": rel,
                "tolerance": RELATIVE_TOLERANCE.get(tol_key),
                "within": (rel <= RELATIVE_TOLERANCE[tol_key]) if tol_key in RELATIVE_TOLERANCE else None,
                "closer_than_untrained": _closer(g, b, ref_v),
            }
    return rows


def write_originality_index(model_dir: Path, cache_dir: Path | list[Path]) -> int:
    """Index every training (not held-out) song's melody: highest pitch per onset. Pop
    songs are indexed held-out ones included: POP909's melodies are other people's songs,
    and writing one of them is copying whether or not the model saw it."""
    from core.music.originality import build_index
    from core.music.priors import sung_line
    from core.training import music_data as gdata

    melodies = []
    caches = cache_dir if isinstance(cache_dir, list) else [cache_dir]
    for song in (s for c in caches for s in gdata.load_cached_songs(c)):
        if song.heldout and song.style != "pop":
            continue
        melodies.append(sung_line(song.notes))
    build_index(melodies).save(Path(model_dir))
    return len(melodies)


def evaluate(model_dir: Path, cache_dir: Path, temperature: float = 1.0, n: int = N_EVAL) -> dict:
    from core.music.sample import MusicGenerator, key_mask

    held, songs = heldout_set(cache_dir)
    tm = [(int(k), "minor" if m else "major") for k, m in zip(held.key, held.minor, strict=True)]
    held_rolls = list(held.phrases(np.arange(len(held)))[:, :, :, BAR_STEPS:])
    reference = {"all": rolls_metrics(held_rolls, tm)}
    for s, style in enumerate(STYLES):
        ids = np.flatnonzero(held.style == s)
        reference[style] = rolls_metrics([held_rolls[i] for i in ids], [tm[i] for i in ids])
    reference["phrases"] = len(held)
    eb_interval = eb_song_bootstrap(held, held_rolls)
    data_hits = data_meets_targets(held_rolls, tm, reference["all"], n)
    splits = eb_random_splits(songs, {t: reference["all"][t]["EB"] for t in ("melody", "harmony", "bass")})
    # The held-out songs with their out-of-key notes removed: the data as the key mask lets
    # a generator see it. Pitch-class counts and entropies are compared against this too,
    # since no masked generator can use the songs' 8 % of accidentals.
    in_key = [r.copy() for r in held_rolls]
    for r, (k, m) in zip(in_key, tm, strict=True):
        r[..., ~key_mask(k, m)] = 0
    in_key_m = rolls_metrics(in_key, tm)

    conditions, _ = _conditions(held, n)
    cond_tm = [(k, m) for _, k, m in conditions]
    gen = MusicGenerator.from_folder(Path(model_dir))
    base = untrained_generator(gen.config)
    base.priors = gen.priors  # the same sampler: range and proximity profiles too
    base.apply_settings(gen.settings)  # and the same sampler.json settings

    def measure(g, conds=conditions, seed0=HELDOUT_SEED):
        return rolls_metrics(generated_rolls(g, conds, temperature, seed0), [(k, m) for _, k, m in conds])

    gen_m = measure(gen)
    ablations = {}
    gen.repair_fragments = False
    ablations["generated_no_repair"] = measure(gen)
    gen.repair_fragments = True
    gen.decoder = "cells"  # MuseGAN-style coin flip per cell, for comparison
    ablations["generated_cell_decoder"] = measure(gen)
    gen.decoder = "counts"
    gen.harmonic_fit = 0.0  # the tracks drawn independently, as before the chord term
    ablations["generated_no_chord_term"] = measure(gen)
    gen.harmonic_fit = float(gen.settings.decode()["harmonic_fit"])
    ablations["generated_raw"] = rolls_metrics(raw_rolls(gen, conditions), cond_tm)
    ablations["generated_raw_sampled"] = rolls_metrics(raw_rolls(gen, conditions, True), cond_tm)
    base_m = measure(base)
    raw_base_m = rolls_metrics(raw_rolls(base, conditions), cond_tm)
    sampled_base_m = rolls_metrics(raw_rolls(base, conditions, True), cond_tm)
    # How much the GAN's own numbers move with the seeds alone (same conditions): a reader
    # needs this to tell a missed target from sampling noise (empty bars come in clusters).
    seed_sets = [gen_m] + [measure(gen, seed0=HELDOUT_SEED + k * SEED_SET_STRIDE)
                           for k in range(1, SEED_SETS)]

    val_ref_rolls, val_tm, val_conditions = validation_set(cache_dir, n)
    val_ref = rolls_metrics(val_ref_rolls, val_tm)
    val_rows = compare(measure(gen, val_conditions, VALIDATION_SEED), val_ref,
                       measure(base, val_conditions, VALIDATION_SEED))

    rows = compare(gen_m, reference["all"], base_m)
    raw_rows = compare(gen_m, reference["all"], raw_base_m)
    sampled_rows = compare(gen_m, reference["all"], sampled_base_m)
    in_key_rows = compare(gen_m, in_key_m, base_m)
    for name, row in rows.items():
        group, metric = name.split(" ", 1)
        row["untrained_raw"] = raw_base_m[group][metric]
        row["closer_than_untrained_raw"] = raw_rows[name]["closer_than_untrained"]
        row["untrained_raw_sampled"] = sampled_base_m[group][metric]
        row["closer_than_untrained_raw_sampled"] = sampled_rows[name]["closer_than_untrained"]
        row["heldout_in_key"] = in_key_m[group][metric]
        row["closer_than_untrained_in_key"] = in_key_rows[name]["closer_than_untrained"]
        values = [m[group][metric] for m in seed_sets]
        row["generated_seed_range"] = [float(np.nanmin(values)), float(np.nanmax(values))]
        row["generated_seed_mean"] = float(np.nanmean(values))
        row["generated_seed_sets"] = [float(v) for v in values]
        if metric == "EB":
            row["heldout_song_bootstrap_95"] = eb_interval[group]
            row["random_splits"] = splits[group]
        if name in data_hits:
            row["heldout_data_meets_target"] = data_hits[name]
        for key, m in ablations.items():
            row[key] = m[group][metric]
        v = val_rows[name]
        row["validation"] = {"data": v["heldout"], "generated": v["generated"],
                             "relative_gap": v["relative_gap"], "within": v["within"],
                             "untrained": v["untrained"],
                             "closer_than_untrained": v["closer_than_untrained"]}
    per_set = [compare(m, reference["all"], base_m) for m in seed_sets]
    quality = {"n_phrases": n, "temperature": temperature, "train_steps": gen.config.get("train_steps"),
               "validation_phrases": VALIDATION_PHRASES,
               "seed_sets": [HELDOUT_SEED + k * SEED_SET_STRIDE for k in range(SEED_SETS)],
               "heldout_within_per_seed_set": [sum(bool(r["within"]) for r in rows_k.values())
                                               for rows_k in per_set],
               "per_seed_set_within": {name: [bool(rows_k[name]["within"]) for rows_k in per_set]
                                       for name, r in rows.items() if r["within"] is not None},
               "latent_spread": latent_spread(gen), "latent_spread_untrained": latent_spread(base),
               "rows": rows}
    from core.io.atomic_write import atomic_write_json

    for name, obj in (("heldout_metrics.json", reference), ("quality.json", quality)):
        atomic_write_json(Path(model_dir) / name, obj, indent=2)
    return quality


def summary(quality: dict) -> dict:
    """Counts a reader wants first: targets met and rows closer than each floor, per split."""
    rows = quality["rows"].values()
    targeted = [r for r in rows if r["within"] is not None]
    return {
        "heldout_within": sum(r["within"] for r in targeted),
        "validation_within": sum(bool(r["validation"]["within"]) for r in targeted),
        "targets": len(targeted),
        "closer_than_untrained": sum(r["closer_than_untrained"] for r in rows),
        "closer_than_untrained_raw": sum(r["closer_than_untrained_raw"] for r in rows),
        "closer_than_untrained_raw_sampled": sum(r["closer_than_untrained_raw_sampled"] for r in rows),
        "closer_than_untrained_in_key_data": sum(r["closer_than_untrained_in_key"] for r in rows),
        "validation_closer_than_untrained": sum(r["validation"]["closer_than_untrained"] for r in rows),
        "rows": len(quality["rows"]),
        "heldout_within_per_seed_set": quality.get("heldout_within_per_seed_set"),
    }


def _table_head(*columns: str) -> list[str]:
    """A Markdown table's header and separator lines."""
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def _yes(v) -> str:
    return "" if v is None else ("yes" if v else "no")


def format_table(quality: dict) -> str:
    """The held-out table with both floors and the validation slice beside it (README)."""
    lines = _table_head("metric", "held-out data", "Songloom GAN", "5 seed sets: range (mean)",
                        "gap", "within target", "untrained G, same sampler", "closer",
                        "untrained G, raw p > 0.5", "closer", "untrained G, raw sampled",
                        "closer", "validation data", "GAN on validation", "gap", "within")
    for name, r in quality["rows"].items():
        tol = r["tolerance"]
        met = "" if r["within"] is None else f"{_yes(r['within'])} (±{tol * 100:.0f} %)"
        v = r["validation"]
        lo, hi = r["generated_seed_range"]
        lines.append(f"| {name} | {r['heldout']:.3f} | {r['generated']:.3f} "
                     f"| {lo:.3f}-{hi:.3f} ({r['generated_seed_mean']:.3f}) "
                     f"| {r['relative_gap'] * 100:.0f} % | {met} "
                     f"| {r['untrained']:.3f} | {_yes(r['closer_than_untrained'])} "
                     f"| {r['untrained_raw']:.3f} | {_yes(r['closer_than_untrained_raw'])} "
                     f"| {r['untrained_raw_sampled']:.3f} | {_yes(r['closer_than_untrained_raw_sampled'])} "
                     f"| {v['data']:.3f} | {v['generated']:.3f} | {v['relative_gap'] * 100:.0f} % "
                     f"| {_yes(v['within'])} |")
    return "\n".join(lines)


def format_eb_interval(quality: dict) -> str:
    """Empty-bar rates beside how far the held-out value moves with another draw of songs."""
    lines = _table_head("track", "held-out EB", "95 % interval over resampled held-out songs",
                        "random song splits of the same size: 95 % range (median)",
                        "held-out's percentile among them", "target window (+-25 %)",
                        "Songloom GAN (5 seed sets)", "GAN on validation", "validation data")
    for name, r in quality["rows"].items():
        if name.endswith(" EB") and "heldout_song_bootstrap_95" in r:
            lo, hi = r["heldout_song_bootstrap_95"]
            h, v = r["heldout"], r["validation"]
            g_lo, g_hi = r["generated_seed_range"]
            sp = r.get("random_splits")
            split = (f"{sp['range_95'][0]:.4f}-{sp['range_95'][1]:.4f} ({sp['median']:.4f}) "
                     f"| {sp['heldout_percentile']:.0f}" if sp else " | ")
            lines.append(f"| {name.split()[0]} | {h:.4f} | {lo:.4f}-{hi:.4f} | {split} "
                         f"| {h * 0.75:.4f}-{h * 1.25:.4f} | {r['generated']:.4f} ({g_lo:.4f}-{g_hi:.4f}) "
                         f"| {v['generated']:.4f} | {v['data']:.4f} |")
    return "\n".join(lines)


def format_data_hits(quality: dict) -> str:
    """Per target: met or not, beside how often the held-out songs themselves meet it."""
    rows = [(n, r) for n, r in quality["rows"].items() if "heldout_data_meets_target" in r]
    lines = _table_head("target", "Songloom GAN meets it (5 seed sets)",
                        "the held-out data itself meets it "
                        f"({quality['n_phrases']} of its phrases, {ORACLE_DRAWS} draws)")
    for name, r in rows:
        sets = quality.get("per_seed_set_within", {}).get(name)
        met = f"{sum(sets)} of {len(sets)}" if sets else _yes(r["within"])
        lines.append(f"| {name} (±{r['tolerance'] * 100:.0f} %) | {met} "
                     f"| {r['heldout_data_meets_target'] * 100:.0f} % |")
    return "\n".join(lines)


def format_in_key(quality: dict) -> str:
    """Rows the key mask bounds, against the held-out songs with their accidentals removed."""
    lines = _table_head("metric", "held-out data", "held-out data, in-key notes only",
                        "Songloom GAN", "untrained G, same sampler", "GAN closer to the in-key data")
    for name, r in quality["rows"].items():
        if "UPC" in name or "entropy" in name:
            lines.append(f"| {name} | {r['heldout']:.3f} | {r['heldout_in_key']:.3f} "
                         f"| {r['generated']:.3f} | {r['untrained']:.3f} "
                         f"| {_yes(r['closer_than_untrained_in_key'])} |")
    return "\n".join(lines)


def format_ablations(quality: dict) -> str:
    """What each part of the sampler does (held-out conditions, model card)."""
    cols = [("generated", "Songloom GAN"), ("generated_no_repair", "without fragment repair"),
            ("generated_cell_decoder", "cell decoder (coin flip per cell)"),
            ("generated_no_chord_term", "without chord-agreement term"),
            ("generated_raw", "trained network, raw p > 0.5"),
            ("generated_raw_sampled", "trained network, raw sampled")]
    lines = _table_head("metric", "held-out data", *(c for _, c in cols))
    for name, r in quality["rows"].items():
        lines.append(f"| {name} | {r['heldout']:.3f} | "
                     + " | ".join(f"{r[k]:.3f}" for k, _ in cols) + " |")
    return "\n".join(lines)


def melody_chord_share(rolls: list[np.ndarray]) -> float:
    """Share of melody onsets whose pitch class sounds in the harmony or the bass at that
    step: whether the tune sits in its chords. A selection check for the melody's pitch
    temperature (sampler.json decode.pitch_temperature), which TD, pooled over whole bars, does not see."""
    from core.model.pianoroll import LOWEST_PITCH

    pc = (np.arange(rolls[0].shape[-1]) + LOWEST_PITCH) % 12
    hit = total = 0
    for r in rolls:
        struck = (r[0, 1] > 0) & (r[0, 0] > 0)  # (steps, pitches)
        below = np.zeros((r.shape[2], 12), bool)
        np.logical_or.at(below, (slice(None), pc), (r[1, 0] > 0) | (r[2, 0] > 0))
        steps, pitches = np.nonzero(struck)
        hit += int(below[steps, pc[pitches]].sum())
        total += len(steps)
    return hit / total if total else float("nan")


# The decoder's settings (sampler.json "decode") and the values each was chosen from.
SWEEP = {"harmonic_fit": (2.0, 3.0, 4.0), "melody_round_span": (8, 16),
         "pitch_temperature": ((1.6, 1.0, 1.0), (1.6, 1.3, 1.3), (1.6, 1.6, 1.6), (1.6, 2.0, 2.0),
                               (1.0, 1.6, 1.6), (1.3, 1.6, 1.6), (2.0, 1.6, 1.6), (2.5, 1.6, 1.6),
                               (3.0, 1.6, 1.6)),
         "register_weight": ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (1.0, 2.0, 2.0), (1.0, 3.0, 3.0),
                             (2.0, 2.0, 2.0)), "proximity_weight": (0.0, 0.5, 0.75, 1.0, 2.0),
         "accompaniment_bar_share": (0.0, 0.6, 0.7, 0.8, 0.9, 1.0)}
SWEEP_ROWS = ("melody EB", "harmony EB", "bass EB", "melody UPC", "pairs TD melody-harmony",
              "melody sounding", "melody chord_share", "melody pitch_class_entropy", "harmony pitch_class_entropy",
              "bass pitch_class_entropy",
              "melody PI", "harmony PI", "bass PI", "melody pitch_range", "harmony pitch_range",
              "bass pitch_range")


def validation_sweep(model_dir: Path, cache_dir: Path, n: int = N_EVAL) -> list[dict]:
    """Each sampler setting at each of its candidate values, the others at their chosen
    values (the model folder's sampler.json), measured on the VALIDATION slice only (the
    held-out split is not read)."""
    import copy

    from core.music import sample
    from core.music.settings import SamplerSettings

    ref_rolls, tm, conditions = validation_set(cache_dir, n)
    ref = rolls_metrics(ref_rolls, tm)
    ref["melody"]["sounding"] = float(np.mean([r[0, 0].any(axis=1).mean() for r in ref_rolls]))
    ref["melody"]["chord_share"] = melody_chord_share(ref_rolls)
    base = SamplerSettings.load(Path(model_dir))
    chosen = base.decode()
    gen = sample.MusicGenerator.from_folder(Path(model_dir))
    out = []
    for name, values in SWEEP.items():
        for value in values:
            raw = copy.deepcopy(base.raw)
            raw.setdefault("decode", {})[name] = list(value) if isinstance(value, tuple) else value
            gen.apply_settings(SamplerSettings(raw))
            rolls = generated_rolls(gen, conditions, 1.0, VALIDATION_SEED)
            m = rolls_metrics(rolls, [(k, md) for _, k, md in conditions])
            m["melody"]["sounding"] = float(np.mean([r[0, 0].any(axis=1).mean() for r in rolls]))
            m["melody"]["chord_share"] = melody_chord_share(rolls)
            rows = compare(m, ref, m)
            same = list(value) if isinstance(value, tuple) else value
            out.append({"setting": name, "value": value, "chosen": same == chosen[name],
                        "within": sum(bool(r["within"]) for r in rows.values()),
                        **{k: (rows[k]["generated"], rows[k]["heldout"]) for k in SWEEP_ROWS}})
    return out


SOUND_OFFSETS = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0)


def _sounding(rolls, track: int = 0) -> float:
    return float(np.mean([r[track, 0].any(axis=1).mean() for r in rolls]))


def calibrate_sounding(model_dir: Path, cache_dir: Path, n: int = N_EVAL) -> list[dict]:
    """Per style and track, the share of steps in which the decoded track sounds at each
    candidate sounding offset (sampler.json decode.sound_logit_offset) against the validation songs' share (validation slice
    only), and the offset nearest it. The counts of the tracks are drawn independently of
    each other, so one run per candidate measures all three tracks. Chosen by that share,
    not by the empty-bar rates the issue targets."""
    from core.model.pianoroll import TRACK_ROLES
    from core.music import sample

    ref_rolls, _, conditions, styles = validation_set(cache_dir, n, with_styles=True)
    out = []
    for s, style in enumerate(STYLES):
        ref = [r for r, st in zip(ref_rolls, styles, strict=True) if st == s]
        conds = [c for c in conditions if c[0] == s]
        if not ref or not conds:
            continue
        gen = sample.MusicGenerator.from_folder(Path(model_dir))
        shares = []
        melody_off = gen.sound_offset[style][0]
        candidates = [None, *SOUND_OFFSETS]  # None: harmony/bass sound where their count rounds to 1+
        for off in candidates:
            offs = (melody_off, None, None) if off is None else (off,) * len(TRACK_ROLES)
            gen.sound_offset = {**gen.sound_offset, style: offs}
            rolls = generated_rolls(gen, conds, 1.0, VALIDATION_SEED)
            shares.append([_sounding(rolls, t) for t in range(len(TRACK_ROLES))])
        for t, role in enumerate(TRACK_ROLES):
            data = _sounding(ref, t)
            usable = [i for i, off in enumerate(candidates) if off is not None or t > 0]
            best = min(usable, key=lambda i: abs(shares[i][t] - data))
            for i in usable:
                out.append({"style": style, "track": role, "offset": "count rule" if candidates[i] is None else candidates[i],
                            "generated": shares[i][t], "data": data, "phrases": len(conds),
                            "chosen": i == best})
    return out


def format_sweep(results: list[dict]) -> str:
    lines = ["| setting | value | targets met (of 12) | " + " | ".join(SWEEP_ROWS) + " |",
             "|---|---|---|" + "---|" * len(SWEEP_ROWS),
             "| validation data | | | " + " | ".join(f"{results[0][k][1]:.3f}" for k in SWEEP_ROWS) + " |"]
    for r in results:
        mark = " (chosen)" if r["chosen"] else ""
        lines.append(f"| {r['setting']} | {r['value']}{mark} | {r['within']} | "
                     + " | ".join(f"{r[k][0]:.3f}" for k in SWEEP_ROWS) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    if "--calibrate" in sys.argv:  # python -m core.training.music_evaluate MODEL CACHE --calibrate
        print("| style | track | offset | sounds (share of steps) | validation songs | phrases |")
        print("|---|---|---|---|---|---|")
        for r in calibrate_sounding(Path(sys.argv[1]), Path(sys.argv[2])):
            mark = " (nearest)" if r["chosen"] else ""
            print(f"| {r['style']} | {r['track']} | {r['offset']}{mark} | {r['generated']:.3f} "
                  f"| {r['data']:.3f} | {r['phrases']} |")
        sys.exit(0)
    if "--sweep" in sys.argv:  # python -m core.training.music_evaluate MODEL CACHE --sweep
        print(format_sweep(validation_sweep(Path(sys.argv[1]), Path(sys.argv[2]))))
        sys.exit(0)
    print("indexed melodies:", write_originality_index(Path(sys.argv[1]), Path(sys.argv[2])))
    q = evaluate(Path(sys.argv[1]), Path(sys.argv[2]),
                 float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
    print(format_table(q))
    print()
    print(format_ablations(q))
    print()
    print(format_in_key(q))
    print()
    print(format_eb_interval(q))
    print()
    print(format_data_hits(q))
    print(json.dumps(summary(q)))
