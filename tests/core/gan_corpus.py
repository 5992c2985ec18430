"""Training data for the GAN tests: the real JSB file when ../shared/data is there, else a
small synthetic file in the same format (a fresh clone has no corpora)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
REAL_JSB = DATA / "jsb-chorales" / "Jsb16thSeparated.json"
# I-IV-V-I-vi-ii-V-I in C major, as (soprano, alto, tenor, bass) per half bar
_PROGRESSION = [(72, 67, 64, 48), (72, 69, 65, 53), (71, 67, 62, 55), (72, 67, 64, 48),
                (72, 69, 64, 57), (74, 69, 65, 50), (74, 67, 62, 55), (72, 67, 64, 48)]


def synthetic_jsb(folder: Path, per_split: dict[str, int] | None = None) -> Path:
    """Chorales in the Jsb16thSeparated.json layout: per split, a list of chorales, each a
    list of 16th steps holding four MIDI pitches. Diatonic, transposed per chorale, with
    the soprano moving in eighths now and then so the pieces are not all whole chords."""
    per_split = per_split or {"train": 8, "valid": 2, "test": 3}
    rng = np.random.default_rng(0)
    data = {}
    for split, n in per_split.items():
        chorales = []
        for i in range(n):
            shift = int(rng.integers(-5, 6))
            steps = []
            for _ in range(2):  # 8 half bars twice = 8 bars of 16 steps
                for chord in _PROGRESSION:
                    for s in range(8):
                        sop = chord[0] + (2 if (i + s // 2) % 4 == 3 and s % 2 else 0)
                        steps.append([sop + shift, *(p + shift for p in chord[1:])])
            chorales.append(steps)
        data[split] = chorales
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Jsb16thSeparated.json"
    path.write_text(json.dumps(data))
    return path


def jsb_file(tmp_folder: Path) -> Path:
    return REAL_JSB if REAL_JSB.is_file() else synthetic_jsb(tmp_folder)
