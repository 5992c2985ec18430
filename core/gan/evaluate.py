"""Quality evaluation of the music GAN against the held-out split (training side: uses data).

``python -m core.gan.evaluate MODEL_DIR CACHE_DIR`` writes ``heldout_metrics.json`` (the
reference the scores panel shows) and ``quality.json`` (generated vs held-out vs an
untrained generator of the same shape) into MODEL_DIR. 200 four-bar phrases are generated
with the style, key and mode of 200 randomly drawn held-out phrases, so both sides have
the same mix of conditions.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from core.metrics.music import rolls_metrics
from core.pianoroll import BAR_STEPS

N_EVAL = 200
RELATIVE_TOLERANCE = {"EB": 0.25, "UPC": 0.25, "QN": 0.25, "TD": 0.15}


def heldout_set(cache_dir: Path):
    from core.gan import data as gdata

    songs = gdata.load_cached_songs(cache_dir)
    return gdata.build_phrases([s for s in songs if s.heldout], 4), songs


def _conditions(held, n: int, seed: int = 0):
    idx = np.random.default_rng(seed).choice(len(held), n, replace=len(held) < n)
    return [(int(held.style[i]), int(held.key[i]), "minor" if held.minor[i] else "major") for i in idx], idx


def generated_rolls(gen, conditions, temperature: float) -> list[np.ndarray]:
    from core.gan.sample import STYLES
    from core.pianoroll import song_to_roll

    rolls = []
    for i, (style, key, mode) in enumerate(conditions):
        song = gen.generate(bars=4, seed=10_000 + i, key=key, mode=mode, style=STYLES[style],
                            temperature=temperature)[0]
        rolls.append(song_to_roll(song, 4))
    return rolls


def untrained_generator(config: dict):
    """The same architecture with its initial (random) weights: the floor to beat."""
    import torch

    from core.gan.model import GanConfig, Generator
    from core.gan.sample import MusicGenerator

    torch.manual_seed(0)
    g = Generator(GanConfig.from_dict(config))
    weights = {k: v.detach().numpy().astype(np.float32) for k, v in g.state_dict().items()}
    return MusicGenerator(weights, None, config, Path("untrained"))


def latent_spread(gen, n: int = 16) -> float:
    """How much the generator's note probabilities move with the seed (std over seeds /
    mean, averaged over cells). Near 0 = the latents are ignored (mode collapse)."""
    from core.gan import numpy_net as net

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


def write_originality_index(model_dir: Path, cache_dir: Path) -> int:
    """Index every training (not held-out) song's melody: highest pitch per onset."""
    from core.gan import data as gdata
    from core.gan.originality import build_index

    melodies = []
    for song in gdata.load_cached_songs(cache_dir):
        if song.heldout:
            continue
        mel = song.notes[song.notes[:, 0] == 0]
        by_onset: dict[int, int] = {}
        for _, start, _, pitch in mel:
            by_onset[int(start)] = max(by_onset.get(int(start), 0), int(pitch))
        melodies.append(np.asarray([by_onset[t] for t in sorted(by_onset)]))
    build_index(melodies).save(Path(model_dir))
    return len(melodies)


def evaluate(model_dir: Path, cache_dir: Path, temperature: float = 1.0, n: int = N_EVAL) -> dict:
    from core.gan.sample import HARMONIC_FIT, MusicGenerator

    held, _ = heldout_set(cache_dir)
    tm = [(int(k), "minor" if m else "major") for k, m in zip(held.key, held.minor, strict=True)]
    held_rolls = list(held.phrases(np.arange(len(held)))[:, :, :, BAR_STEPS:])
    reference = {"all": rolls_metrics(held_rolls, tm)}
    for s, style in enumerate(("lieder", "chorale")):
        ids = np.flatnonzero(held.style == s)
        reference[style] = rolls_metrics([held_rolls[i] for i in ids], [tm[i] for i in ids])
    reference["phrases"] = len(held)

    conditions, _ = _conditions(held, n)
    cond_tm = [(k, m) for _, k, m in conditions]
    gen = MusicGenerator.from_folder(Path(model_dir))
    gen_m = rolls_metrics(generated_rolls(gen, conditions, temperature), cond_tm)
    gen.repair_fragments = False
    raw_m = rolls_metrics(generated_rolls(gen, conditions, temperature), cond_tm)
    gen.repair_fragments = True
    gen.decoder = "cells"  # MuseGAN-style coin flip per cell, for comparison
    cells_m = rolls_metrics(generated_rolls(gen, conditions, temperature), cond_tm)
    gen.decoder = "counts"
    gen.harmonic_fit = 0.0  # the tracks drawn independently, as before the chord term
    nofit_m = rolls_metrics(generated_rolls(gen, conditions, temperature), cond_tm)
    gen.harmonic_fit = HARMONIC_FIT
    base = untrained_generator(gen.config)
    base_m = rolls_metrics(generated_rolls(base, conditions, temperature), cond_tm)
    quality = {"n_phrases": n, "temperature": temperature, "train_steps": gen.config.get("train_steps"),
               "latent_spread": latent_spread(gen), "latent_spread_untrained": latent_spread(base),
               "rows": compare(gen_m, reference["all"], base_m)}
    for name, row in quality["rows"].items():
        group, metric = name.split(" ", 1)
        row["generated_no_repair"] = raw_m[group][metric]
        row["generated_cell_decoder"] = cells_m[group][metric]
        row["generated_no_chord_term"] = nofit_m[group][metric]
    for name, obj in (("heldout_metrics.json", reference), ("quality.json", quality)):
        tmp = Path(model_dir) / (name + ".tmp")
        tmp.write_text(json.dumps(obj, indent=2))
        os.replace(tmp, Path(model_dir) / name)
    return quality


def format_table(quality: dict) -> str:
    lines = ["| metric | held-out data | Songloom GAN | gap | within target | closer than untrained "
             "| untrained G | GAN without fragment repair | GAN, cell decoder "
             "| GAN without chord-agreement term |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in quality["rows"].items():
        tol = r["tolerance"]
        met = "" if r["within"] is None else (f"{'yes' if r['within'] else 'no'} (±{tol * 100:.0f} %)")
        lines.append(f"| {name} | {r['heldout']:.3f} | {r['generated']:.3f} "
                     f"| {r['relative_gap'] * 100:.0f} % | {met} "
                     f"| {'yes' if r['closer_than_untrained'] else 'no'} | {r['untrained']:.3f} "
                     f"| {r['generated_no_repair']:.3f} | {r['generated_cell_decoder']:.3f} "
                     f"| {r.get('generated_no_chord_term', float('nan')):.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print("indexed melodies:", write_originality_index(Path(sys.argv[1]), Path(sys.argv[2])))
    q = evaluate(Path(sys.argv[1]), Path(sys.argv[2]),
                 float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
    print(format_table(q))
