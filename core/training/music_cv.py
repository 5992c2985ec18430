"""Cross-validation ranges of the music metrics, and generated songs judged against them.

Issue 3 judged the generator against one held-out split, which itself sat at the 2nd
percentile of random song splits for one metric. Here each style's TRAINING songs are
split into 5 folds by song (a song's bars never straddle two folds); every metric is
measured on each fold, and a row passes when the generated value lies within the range
of the 5 folds' values (min..max). The held-out songs are measured the same way and
shown beside the range, as a check of the range itself; no setting is chosen on them.

Rows per style: per track EB, UPC, QN, PI, pitch range, and bar repetition (exact,
transposed, rhythm); TD per pair of tracks; for the melody, phrase-final notes on chord
tones, the final note on the tonic, and the chord-tone share on strong beats (core/
metrics/form.py; chords estimated from the accompaniment on both sides).

``python -m core.training.music_cv CACHE [CACHE ...] MODEL_DIR`` writes ``cv_ranges.json``
into the model folder (several caches: e.g. the Lieder/chorale one and the POP909 one) (what ``songloom-cli score music`` and ``bench music`` read, so neither
needs the corpus) and prints the table for the model's generated songs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from core.metrics.form import cv_values as measure
from core.metrics.form import row_names
from core.model.pianoroll import BAR_STEPS, estimate_key

RANGES_FILE = "cv_ranges.json"
FOLDS = 5
FINAL_KEY_BARS = 8  # a song's closing key is estimated over its last bars


def song_bars_roll(song) -> np.ndarray:
    """A parsed training song's usable 4/4 bars, in order, as one (3, 2, steps, 84) roll."""
    from core.training.music_data import song_roll

    full = song_roll(song.notes, int(max(song.length, song.bar_starts.max() + BAR_STEPS)))
    bars = [full[b:b + BAR_STEPS] for b in sorted(int(x) for x in song.bar_starts)]
    return np.ascontiguousarray(np.concatenate(bars).transpose(1, 2, 0, 3))


def closing_key(roll: np.ndarray) -> tuple[int, str]:
    tail = roll[:, 0, -FINAL_KEY_BARS * BAR_STEPS:].sum(axis=(0, 1)).astype(float)
    return estimate_key(tail)


# A cached song is named by the path it was parsed from; its fold must not depend on
# where the data folder lives (../shared/data and /work/shared/data gave different folds).
_CORPUS_ROOT = re.compile(r"^.*?(?=(?:openscore-lieder|pop909)/)")


def fold_of(name: str) -> int:
    """A song's fold, fixed by its path from its corpus folder on (so adding songs does not
    reshuffle the others, and moving the data folder reshuffles none)."""
    import hashlib

    return hashlib.sha1(_CORPUS_ROOT.sub("", name).encode()).digest()[1] % FOLDS


def build_ranges(cache_dir: Path | list[Path]) -> dict:
    """Per style: each row's value on each of the 5 folds of the training songs, their
    min and max, and the held-out songs' value."""
    from core.training.music_data import load_cached_songs

    caches = cache_dir if isinstance(cache_dir, list) else [cache_dir]
    by_style: dict[str, dict] = {}
    for song in (s for c in caches for s in load_cached_songs(c)):
        if not len(song.bar_starts):
            continue
        roll = song_bars_roll(song)
        st = by_style.setdefault(song.style, {"folds": [[] for _ in range(FOLDS)], "heldout": []})
        item = (roll, closing_key(roll))
        (st["heldout"] if song.heldout else st["folds"][fold_of(song.name)]).append(item)
    out: dict = {"format_version": 1, "folds": FOLDS, "rows": row_names(), "styles": {}}
    for style, st in sorted(by_style.items()):
        values = [measure([r for r, _ in f], [k for _, k in f]) for f in st["folds"]]
        held = measure([r for r, _ in st["heldout"]], [k for _, k in st["heldout"]])
        rows = {}
        for name in row_names():
            v = [x[name] for x in values]
            rows[name] = {"folds": v, "min": float(np.nanmin(v)), "max": float(np.nanmax(v)),
                          "heldout": held[name]}
        out["styles"][style] = {"songs_per_fold": [len(f) for f in st["folds"]],
                                "heldout_songs": len(st["heldout"]), "rows": rows}
    return out


def save_ranges(ranges: dict, model_dir: Path) -> None:
    from core.io.atomic_write import atomic_write_text

    atomic_write_text(Path(model_dir) / RANGES_FILE, json.dumps(ranges, indent=1, allow_nan=True),
                      mode=0o644)  # shipped: readable by every user of an install


def format_ranges(ranges: dict) -> str:
    lines = []
    for style, st in ranges["styles"].items():
        lines.append(f"{style}: songs per fold {st['songs_per_fold']}, held out {st['heldout_songs']}")
        for name, r in st["rows"].items():
            inside = r["min"] <= r["heldout"] <= r["max"]
            lines.append(f"  {name:34s} {r['min']:.3f}-{r['max']:.3f}  held-out {r['heldout']:.3f}"
                         f"{'' if inside else '  (outside)'}")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m core.training.music_cv CACHE [CACHE ...] MODEL_DIR
    import sys

    r = build_ranges([Path(a) for a in sys.argv[1:-1]])
    save_ranges(r, Path(sys.argv[-1]))
    print(format_ranges(r))
