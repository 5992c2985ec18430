"""The data files shipped beside the Chinese model, built from the corpus:

- ``patterns.json``: tune patterns (line lengths, rhyme sets, tones) from the ci, plus how
  often each rhyme group closes a rhyming line (the writer draws a set's group from it);
- ``corpus_index.npz``: the Bloom filter of every 6-character run of the whole corpus
  (train and held-out) and the hashes of its lines of 4+ characters, for originality;
- ``char_tables.npz``: rhyme group and 平/仄 of every token (pypinyin is slow at load time);
- ``cooc.npz``: for each character of the vocabulary, the characters that most often share
  a line with it (by PMI over the training lines), for theme steering.

Run: ``python -m core.training.lyrics_zh_assets --data ../shared/data/chinese-poetry
--tokenizer runs/lyrics-zh/data/tokenizer --out resources/models/lyrics-gpt2-zh``
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from core.lyrics.zh.originality import ZhOriginalityIndex
from core.lyrics.zh.rhyme import GROUP_NAMES, is_han, is_level, rhyme_group
from core.training.lyrics_zh_data import load_documents
from core.training.lyrics_zh_patterns import derive_patterns, save_patterns

NEIGHBOURS = 12
MIN_PAIR = 8  # pairs seen fewer times give noisy PMI


def rhyme_group_weights(ci_docs, patterns: dict) -> dict[str, float]:
    """Share of each group among the rhyming lines of ci that follow their tune's pattern."""
    counts: Counter[str] = Counter()
    for d in ci_docs:
        p = patterns.get(d.title)
        if not p or [len(x) for x in d.lines] != p["lines"]:
            continue
        for line, mark in zip(d.lines, p["rhyme"], strict=True):
            g = rhyme_group(line[-1])
            if mark != "-" and g is not None:
                counts[GROUP_NAMES[g]] += 1
    total = sum(counts.values()) or 1
    return {name: round(counts[name] / total, 4) for name in GROUP_NAMES}


def cooccurrence(lines: list[str], vocab: list[str], first_char: int) -> np.ndarray:
    """(vocab, NEIGHBOURS) token ids of each character's strongest line-mates; -1 pads."""
    from scipy import sparse

    index = {c: i for i, c in enumerate(vocab)}
    rows, cols = [], []
    for r, line in enumerate(lines):
        ids = {index[c] for c in line if c in index}
        rows.extend([r] * len(ids))
        cols.extend(ids)
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                          shape=(len(lines), len(vocab)))
    pair = (x.T @ x).tocsr()
    single = np.asarray(x.sum(axis=0)).ravel()
    out = np.full((len(vocab), NEIGHBOURS), -1, dtype=np.int16)
    n = float(len(lines))
    for i in range(first_char, len(vocab)):
        start, end = pair.indptr[i], pair.indptr[i + 1]
        js, cs = pair.indices[start:end], pair.data[start:end]
        keep = (cs >= MIN_PAIR) & (js != i) & (js >= first_char)
        js, cs = js[keep], cs[keep]
        if len(js) == 0:
            continue
        pmi = np.log(cs * n / (single[i] * single[js]))
        best = js[np.argsort(-pmi, kind="stable")[:NEIGHBOURS]]
        out[i, :len(best)] = best
    return out


def char_tables(vocab: list[str]) -> dict[str, np.ndarray]:
    groups = np.full(len(vocab), -1, dtype=np.int8)
    levels = np.full(len(vocab), -1, dtype=np.int8)
    for i, t in enumerate(vocab):
        if is_han(t):
            g, lv = rhyme_group(t), is_level(t)
            groups[i] = -1 if g is None else g
            levels[i] = -1 if lv is None else int(lv)
    return {"groups": groups, "levels": levels}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/chinese-poetry"))
    ap.add_argument("--tokenizer", type=Path, default=Path("runs/lyrics-zh/data/tokenizer"))
    ap.add_argument("--out", type=Path, default=Path("resources/models/lyrics-gpt2-zh"))
    ap.add_argument("--tables-only", action="store_true", help="only char_tables.npz")
    ap.add_argument("--patterns-only", action="store_true", help="only patterns.json")
    args = ap.parse_args(argv)
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast.from_pretrained(str(args.tokenizer))
    vocab = [t for t, _ in sorted(tok.get_vocab().items(), key=lambda kv: kv[1])]
    first_char = next(i for i, t in enumerate(vocab) if len(t) == 1)
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "char_tables.npz", **char_tables(vocab))
    if args.tables_only:
        return 0
    # the Tang poems are read without conversion when only the patterns (ci) are wanted
    docs = load_documents(args.data, converter=(lambda s: s) if args.patterns_only else None)
    ci = [d for d in docs if d.kind == "ci"]
    data = derive_patterns(ci)
    data["rhyme_group_weights"] = rhyme_group_weights(ci, data["patterns"])
    args.out.mkdir(parents=True, exist_ok=True)
    save_patterns(data, args.out / "patterns.json")
    if args.patterns_only:
        return 0
    index = ZhOriginalityIndex.build(("".join(d.lines) for d in docs),
                                     lines=[x for d in docs for x in d.lines])
    index.meta["documents"] = len(docs)
    index.save(args.out / "corpus_index.npz")
    train_lines = [x for d in docs if not d.heldout for x in d.lines]
    np.savez_compressed(args.out / "cooc.npz", neighbours=cooccurrence(train_lines, vocab, first_char))
    bits_set = float(np.unpackbits(index.packed).mean())
    print(json.dumps({"patterns": len(data["patterns"]), "windows": index.meta["windows"],
                      "whole_lines": len(index.lines),
                      "bloom_fill": round(bits_set, 4),
                      "bloom_false_positive": round(bits_set ** index.k, 5)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
