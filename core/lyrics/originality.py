"""Originality: the longest run of words a text shares with the model's training texts.

The index ships beside the model (``corpus_index.npz``, loaded with allow_pickle=False):
the sorted CRC-32 hashes of every 4-word sequence in the training texts (lines joined,
so a copied couplet counts whole), plus the corpus's word counts (used to offer common
rhyme words first). A text that shares a run of k consecutive indexed 4-grams shares
about k+3 words with some training text; below 4 words every text shares common phrases
("in the night"), so the measure starts at 4. A hash collision could only make the
figure larger (never hide a copy), and at ~10^6 hashes in 2^32 it is about one in 4,000
per 4-gram.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

INDEX_FILE = "corpus_index.npz"
MAX_INDEX_BYTES = 512 * 2**20  # the bundled index is 2 MB; one for a large corpus ~100 MB
NGRAM = 4
VOCAB_SIZE = 20000


def _norm_words(text: str) -> list[str]:
    from core.lyrics.syllables import words

    return [w.lower().replace("\u2019", "'") for w in words(text)]


def _hashes(tokens: list[str]):
    import numpy as np

    return np.fromiter(
        (zlib.crc32(" ".join(tokens[i : i + NGRAM]).encode()) for i in range(len(tokens) - NGRAM + 1)),
        dtype=np.uint32,
    )


def build_index(texts: Iterable[list[str]], out_dir: Path, base: Path | None = None) -> Path:
    """Write the index for ``texts`` (each a document's lines) into ``out_dir``, atomically.

    ``base``: the folder of the model this one was fine-tuned from; its index is merged in,
    since the fine-tuned model has seen both texts.
    """
    import numpy as np

    parts = []
    counts: Counter[str] = Counter()
    old = OriginalityIndex.load(base) if base is not None else None
    if old is not None:
        parts.append(old.hashes)
        counts.update(old.vocabulary)
    for lines in texts:
        tokens = _norm_words(" ".join(lines))
        counts.update(tokens)
        if len(tokens) >= NGRAM:
            parts.append(_hashes(tokens))
    hashes = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint32)
    common = [(w, c) for w, c in counts.most_common(VOCAB_SIZE) if c >= 2 and w.isalpha()]
    vocab = np.array([w for w, _ in common], dtype="<U24")
    freq = np.array([c for _, c in common], dtype=np.int32)
    from core.io.atomic_write import atomic_write_npz

    out_dir.mkdir(parents=True, exist_ok=True)
    return atomic_write_npz(out_dir / INDEX_FILE, compressed=True, ngram_hashes=hashes,
                            vocab_words=vocab, vocab_counts=freq,
                            ngram=np.array([NGRAM], dtype=np.int32))


class OriginalityIndex:
    def __init__(self, hashes, vocabulary: dict[str, int]):
        self.hashes = hashes
        self.vocabulary = vocabulary

    @classmethod
    def load(cls, folder: Path) -> OriginalityIndex | None:
        from core.errors import ModelError
        from core.io.safe_weights import read_npz

        path = Path(folder) / INDEX_FILE
        if not (path.exists() or path.is_symlink()):
            return None
        # No pickles; declared sizes checked before anything is inflated; a corrupt or
        # keyless archive is one ModelError naming it.
        data = read_npz(path, {"ngram_hashes": ("u", "i"), "vocab_words": ("U",),
                               "vocab_counts": ("i", "u")},
                        error_cls=ModelError, max_bytes=MAX_INDEX_BYTES,
                        max_array_bytes=MAX_INDEX_BYTES)
        words, counts, hashes = data["vocab_words"], data["vocab_counts"], data["ngram_hashes"]
        if words.ndim != 1 or counts.shape != words.shape or hashes.ndim != 1:
            raise ModelError("not a valid corpus index (arrays of the wrong shape)", path)
        return cls(hashes.astype("uint32"), dict(zip(words.tolist(), counts.tolist(), strict=True)))

    def longest_shared(self, lines: list[str]) -> int:
        """Longest number of consecutive words shared with a training text (0: none of 4+)."""
        import numpy as np

        tokens = _norm_words(" ".join(lines))
        if len(tokens) < NGRAM or len(self.hashes) == 0:
            return 0
        h = _hashes(tokens)
        pos = np.searchsorted(self.hashes, h).clip(max=len(self.hashes) - 1)
        hit = self.hashes[pos] == h
        best = run = 0
        for flag in hit.tolist():
            run = run + 1 if flag else 0
            best = max(best, run)
        return best + NGRAM - 1 if best else 0


_vocab_cache: dict[str, dict[str, int]] = {}


def load_vocabulary(folder: Path) -> dict[str, int]:
    key = str(folder)
    if key not in _vocab_cache:
        index = OriginalityIndex.load(folder)
        _vocab_cache[key] = index.vocabulary if index else {}
    return _vocab_cache[key]
