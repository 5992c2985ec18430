"""Originality of Chinese lines: runs of characters shared with the training texts.

The index is a Bloom filter over every 6-character window of the corpus (each document's
lines joined without punctuation, so a run that crosses a line break counts too). A line
whose 6-character windows are all absent shares no run longer than 5 characters with any
training text. A Bloom filter has no false negatives: a copied run is always found; its
few false positives (about 0.2 %, see the model card) can only call an original line a copy.

``copied_run(text)``: 0 when no run over 5 characters is shared, else the length of the
longest shared run (consecutive shared 6-windows joined; a run of n characters shows as
n - 5 windows in a row).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

WINDOW = 6


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the polynomial hash over all 64 bits."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


def window_hashes(codepoints: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """uint64 hash of every ``window``-long run of ``codepoints`` (len - window + 1 of them)."""
    cps = np.asarray(codepoints, dtype=np.uint64)
    n = len(cps) - window + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(window):
            h = h * np.uint64(1000003) + cps[i:i + n] + np.uint64(1)
    return _mix(h)


def bloom_positions(hashes: np.ndarray, bits: int, k: int) -> np.ndarray:
    """k bit positions per hash (double hashing), shape (len(hashes), k)."""
    h1 = hashes & np.uint64(0xFFFFFFFF)
    h2 = (hashes >> np.uint64(32)) | np.uint64(1)
    steps = np.arange(k, dtype=np.uint64)
    with np.errstate(over="ignore"):
        pos = (h1[:, None] + steps[None, :] * h2[:, None]) % np.uint64(bits)
    return pos.astype(np.int64)


def codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


MIN_WHOLE_LINE = 4  # shorter lines (风一更, 春已老) are stock phrases, not copies


# The shipped index is 9 MB (8 MiB of Bloom bits); one of a corpus ten times larger still fits.
MAX_INDEX_BYTES = 256 * 2**20


def line_hash(text: str) -> int:
    """32-bit hash of a whole line (for the set of the corpus's own lines)."""
    h = window_hashes(codepoints(text), window=len(text)) if text else np.zeros(1, np.uint64)
    return int(h[0] & np.uint64(0xFFFFFFFF))


class ZhOriginalityIndex:
    """The shipped index (``corpus_index.npz``): a Bloom filter of 6-character runs
    (``bits`` packed uint8, ``k``, ``m``) and the sorted 32-bit hashes of every corpus
    line of 4 or more characters (``lines``), so a short famous line copied whole (床前明月光)
    is caught too, though it shares no run over 5."""

    def __init__(self, packed: np.ndarray, m: int, k: int, meta: dict | None = None,
                 lines: np.ndarray | None = None):
        self.packed, self.m, self.k = packed, int(m), int(k)
        self.meta = meta or {}
        self.lines = np.zeros(0, dtype=np.uint32) if lines is None else lines

    @classmethod
    def load(cls, path: Path) -> ZhOriginalityIndex:
        from core.errors import ModelError
        from core.io.safe_weights import read_npz

        # No pickles, sizes checked before inflating, every zip/numpy failure one ModelError
        # naming the file; the counts in the index's meta are only written, never read back.
        z = read_npz(path, {"bits": ("u",), "m": ("i", "u"), "k": ("i", "u"), "lines": ("u",)},
                     error_cls=ModelError, max_bytes=MAX_INDEX_BYTES,
                     max_array_bytes=MAX_INDEX_BYTES)
        bits, m, k, lines = z["bits"], z["m"], z["k"], z["lines"]
        # m and k drive every lookup: a bit position past the array is an IndexError, a huge
        # k a huge allocation per line written
        if (bits.ndim != 1 or bits.dtype != np.uint8 or m.shape != () or k.shape != ()
                or not 8 <= int(m) <= 8 * bits.size or not 1 <= int(k) <= 32
                or lines.ndim != 1 or lines.dtype != np.uint32):
            raise ModelError("not a valid originality index (bits, m, k or lines of the wrong "
                             "shape or range)", path)
        return cls(bits, int(m), int(k), {}, lines)

    def is_corpus_line(self, text: str) -> bool:
        if len(text) < MIN_WHOLE_LINE or len(self.lines) == 0:
            return False
        h = np.uint32(line_hash(text))
        i = int(np.searchsorted(self.lines, h))
        return i < len(self.lines) and self.lines[i] == h

    @classmethod
    def build(cls, texts, m: int = 1 << 26, k: int = 5, lines=()) -> ZhOriginalityIndex:
        hashes = {line_hash(x) for x in lines if len(x) >= MIN_WHOLE_LINE}
        line_set = np.array(sorted(hashes), dtype=np.uint32)
        bits = np.zeros(m // 8, dtype=np.uint8)
        count = 0
        for text in texts:
            hashes = window_hashes(codepoints(text))
            if len(hashes) == 0:
                continue
            count += len(hashes)
            pos = bloom_positions(hashes, m, k).ravel()
            np.bitwise_or.at(bits, pos >> 3, (1 << (pos & 7)).astype(np.uint8))
        return cls(bits, m, k, {"windows": count}, line_set)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, bits=self.packed, m=np.int64(self.m), k=np.int64(self.k),
                            lines=self.lines,
                            **{key: np.asarray(v) for key, v in self.meta.items()})

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """Per hash: True if its window may be in the corpus (never False for one that is)."""
        if len(hashes) == 0:
            return np.zeros(0, dtype=bool)
        pos = bloom_positions(hashes, self.m, self.k)
        hit = (self.packed[pos >> 3] >> (pos & 7).astype(np.uint8)) & 1
        return hit.all(axis=1)

    def shared_windows(self, text: str) -> np.ndarray:
        return self.contains(window_hashes(codepoints(text)))

    def copied_run(self, text: str) -> int:
        """Longest run of characters of ``text`` shared with the corpus if over 5, else 0."""
        hits = self.shared_windows(text)
        best = run = 0
        for hit in hits:
            run = run + 1 if hit else 0
            best = max(best, run)
        return best + WINDOW - 1 if best else 0

    def extends_copy(self, tail: str, candidates: list[str]) -> list[bool]:
        """For each candidate character: would ``tail`` (the last 5 characters written) plus
        it form a 6-character run of the corpus? Used to steer the writer off copies."""
        tail = tail[-(WINDOW - 1):]
        if len(tail) < WINDOW - 1 or not candidates:
            return [False] * len(candidates)
        base = codepoints(tail)
        cps = np.array([np.concatenate([base, codepoints(c)]) for c in candidates])
        h = np.zeros(len(candidates), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(WINDOW):
                h = h * np.uint64(1000003) + cps[:, i].astype(np.uint64) + np.uint64(1)
        return self.contains(_mix(h)).tolist()
