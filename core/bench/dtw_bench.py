"""DTW for the MCD: librosa.sequence.dtw (what core/metrics/audio.py uses) against the
hand-written numpy version it used before (numpy_dtw_path, kept here for this comparison).

    python -m core.bench.dtw_bench [--seconds 10 30 60 180] [--repeats 3]

Both align the same cost matrices in one run, interleaved (ours, librosa, ours, ...), so
machine load hits both alike; each figure is the median of --repeats. It also checks that
the two give the same path and the same MCD, and times librosa in fresh processes sharing
one new numba cache: `import librosa` alone (it compiles its eager guvectorize functions
into that cache), then import + a first dtw (the DTW's own compile), then the same again
with the cache filled (every later start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from core.metrics.audio import _K

FRAMES_PER_SECOND = 22050 / 512  # core/metrics/audio.py: MCD_SAMPLERATE / HOP
_COLD = ("import time; t = time.perf_counter(); import numpy as np, librosa; "
         "librosa.sequence.dtw(C=np.random.rand(40, 50), backtrack=True); "
         "print(time.perf_counter() - t)")
# The MCD imports librosa anyway (mel spectrogram): only the time beyond this is DTW's.
_IMPORT = ("import time; t = time.perf_counter(); import numpy as np, librosa; "
           "librosa.sequence; print(time.perf_counter() - t)")


def cepstra(frames: int, seed: int) -> np.ndarray:
    """(24, frames) smooth random-walk features: music-like cepstra, cheap to make."""
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.normal(0, 0.3, (24, frames)), axis=1)


def numpy_dtw_path(cost: np.ndarray) -> np.ndarray:
    """The hand-written DTW core/metrics/audio.py used before librosa's: the minimum-cost
    warping path through ``cost`` as an (L, 2) array of (i, j) pairs.

    Accumulated cost acc[i, j] = cost[i, j] + min(acc[i-1, j-1], acc[i-1, j], acc[i, j-1]).
    All cells of one anti-diagonal (i + j = k) depend only on the two before it, so each
    diagonal is one vectorised step over a padded flat array (no Python loop per cell).
    """
    n, m = cost.shape
    width = m + 1
    acc = np.full((n + 1, width), np.inf)  # row and column 0: padding, acc[0, 0] = 0
    acc[0, 0] = 0.0
    flat = acc.reshape(-1)
    cflat = np.ascontiguousarray(cost).reshape(-1)
    rows_acc = np.arange(n) * m  # (i+1)*width + (j+1) = i*m + k + width + 1 with j = k - i
    rows_cost = np.arange(n) * (m - 1)  # i*m + j = i*(m-1) + k
    for k in range(n + m - 1):
        i0, i1 = max(0, k - m + 1), min(k, n - 1) + 1
        idx = rows_acc[i0:i1] + (k + width + 1)
        best = np.minimum(flat[idx - width - 1], flat[idx - width])
        np.minimum(best, flat[idx - 1], out=best)
        flat[idx] = best + cflat[rows_cost[i0:i1] + k]
    # Walk back from the end; ties prefer the diagonal, then (i-1, j), as librosa does.
    i, j = n, m
    path = [(n - 1, m - 1)]
    while i > 1 or j > 1:
        d, u, left = acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1]
        if d <= u and d <= left:
            i, j = i - 1, j - 1
        elif u <= left:
            i -= 1
        else:
            j -= 1
        path.append((i - 1, j - 1))
    return np.array(path[::-1], dtype=np.int64)


def librosa_path(cost: np.ndarray) -> np.ndarray:
    import librosa

    _, wp = librosa.sequence.dtw(C=cost, backtrack=True)
    return np.ascontiguousarray(wp[::-1])


def path_mcd(a: np.ndarray, b: np.ndarray, path: np.ndarray) -> float:
    diff = a[:, path[:, 0]] - b[:, path[:, 1]]
    return float(_K * np.sqrt((diff * diff).sum(axis=0)).mean())


def first_call_seconds(cache_dir: str, code: str = _COLD) -> float:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    from core.metrics.audio import _euclidean_cost

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, nargs="+", default=[10, 30, 60, 180])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as cache:
        imported = first_call_seconds(cache, _IMPORT)
        cold = first_call_seconds(cache)
        cached = first_call_seconds(cache)
    print(f"fresh process: import librosa {imported:.1f} s; import + first dtw (40x50) "
          f"{cold:.1f} s with an empty numba cache, {cached:.1f} s with it filled")
    librosa_path(np.random.rand(4, 5))  # compile here, outside the timed calls

    print(f"{'clip':>6} {'frames':>11} {'ours s':>8} {'librosa s':>10} {'same path':>10} "
          f"{'MCD ours':>9} {'MCD librosa':>11}")
    for seconds in args.seconds:
        n = int(seconds * FRAMES_PER_SECOND) + 1
        a, b = cepstra(n, 1), cepstra(int(n * 1.1), 2)  # the second clip 10 % slower
        cost = _euclidean_cost(a, b)
        ours_t, theirs_t = [], []
        for _ in range(args.repeats):
            t = time.perf_counter()
            ours = numpy_dtw_path(cost)
            ours_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            theirs = librosa_path(cost)
            theirs_t.append(time.perf_counter() - t)

        same = ours.shape == theirs.shape and bool((ours == theirs).all())
        print(f"{seconds:>5.0f}s {n:>5}x{b.shape[1]:<5} {statistics.median(ours_t):>8.2f} "
              f"{statistics.median(theirs_t):>10.2f} {str(same):>10} {path_mcd(a, b, ours):>9.4f} "
              f"{path_mcd(a, b, theirs):>11.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
