"""Songs with a form, judged as issue 14 asks: cross-validation rows, the final tonic, and
generation time against the music's duration (``songloom-cli bench music``).

The folds' ranges come from the model folder (``cv_ranges.json``, written by
core/training/music_cv.py), so the benchmark runs without the training corpus. Each
style is measured on ``n`` songs of its benchmark request (``bench_form`` in the
model's sampler.json: the style's default form), in keys and modes drawn alike for
every run, seeds 20000 upward (seeds used for no choice of settings).
"""

from __future__ import annotations

import time

import numpy as np

BENCH_SEED = 20_000


def song_rolls(songs) -> tuple[list[np.ndarray], list[tuple[int, str]]]:
    from core.model.pianoroll import song_to_roll

    return [song_to_roll(s) for s in songs], [(s.key, s.mode) for s in songs]


def bench_style(gen, style: str, n: int, ranges: dict, seed0: int = BENCH_SEED,
                form: str | None = None) -> dict:
    """Generate ``n`` songs of the style's default form (or ``form``), keys and modes
    drawn from a fixed stream, and judge them against the style's folds."""
    from core.metrics.form import cv_values
    from core.scoring import judge_form_rows as judge

    form = form or gen.compose_settings(style)["default_form"]
    rng = np.random.default_rng(seed0)
    songs, seconds, music = [], 0.0, 0.0
    for i in range(n):
        key, mode = int(rng.integers(12)), ("major", "minor")[int(rng.integers(2))]
        t = time.perf_counter()
        song = gen.generate(form=form, seed=seed0 + i, key=key, mode=mode, style=style)[0]
        seconds += time.perf_counter() - t
        music += song.tick_to_seconds(song.bar_count() * song.ticks_per_bar())
        songs.append(song)
    rolls, keys = song_rolls(songs)
    rows = judge(cv_values(rolls, keys), ranges["styles"][style])
    finals = [r["value"] for k, r in rows.items() if k == "melody final_tonic"]
    return {"style": style, "form": form, "songs": n, "rows": rows,
            "within": sum(r["within"] for r in rows.values()), "total": len(rows),
            "final_tonic": finals[0] if finals else float("nan"),
            "generation_fraction_of_duration": seconds / music if music else float("nan"),
            "heldout_within": sum(r["min"] <= r["heldout"] <= r["max"]
                                  for r in ranges["styles"][style]["rows"].values())}


def format_bench(results: list[dict]) -> str:
    lines = []
    for res in results:
        lines.append(f"{res['style']} ({res['songs']} songs, form {res['form']!r}): "
                     f"{res['within']} of {res['total']} rows within the folds' range "
                     f"(the held-out songs themselves: {res['heldout_within']} of {res['total']}); "
                     f"final melody note on the tonic in {res['final_tonic']:.0%} of songs; "
                     f"generation {res['generation_fraction_of_duration']:.2%} of the music's duration")
        for name, r in res["rows"].items():
            mark = "yes" if r["within"] else "no"
            lines.append(f"  {name:34s} {r['value']:.3f}  folds {r['min']:.3f}-{r['max']:.3f}"
                         f"  held-out {r['heldout']:.3f}  {mark}")
    return "\n".join(lines)
