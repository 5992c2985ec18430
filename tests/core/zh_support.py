"""A tiny Chinese lyrics model folder built from synthetic ci (no ../shared needed).

The folder is made the way the real one is: documents -> vocabulary and tokenizer ->
derived patterns, the originality index, the character tables; the GPT-2 is random (the
constraints, not the weights, are what the writer tests check).
"""

from __future__ import annotations

import random

import numpy as np
import pytest

# Characters by 中华新韵 group, so synthetic rhymes are real rhymes.
RHYME_CHARS = {"寒": "天年山寒烟间前", "麻": "花家霞沙斜涯", "唐": "光长香江霜凉"}
FILL = "春风秋月明夜雨云水落红青白人心梦归来去酒楼孤影思回望远飞"
TUNE = "试调令"  # 5 5 7 5, lines 1, 2, 4 rhyme (A A - A)
TUNE_LENGTHS = (5, 5, 7, 5)


def synthetic_docs(n: int = 40, seed: int = 0):
    from core.training.lyrics_zh_data import Document

    rng = random.Random(seed)
    docs = []
    for i in range(n):
        group = rng.choice(list(RHYME_CHARS))
        lines = []
        for li, length in enumerate(TUNE_LENGTHS):
            body = "".join(rng.choice(FILL) for _ in range(length - 1))
            last = rng.choice(RHYME_CHARS[group]) if li != 2 else rng.choice("落去影")
            lines.append(body + last)
        docs.append(Document("ci", TUNE, lines, "test"))
        docs.append(Document("shi", "秋月" if i % 2 else "春江",
                             ["".join(rng.choice(FILL) for _ in range(7)) for _ in range(4)],
                             "test"))
    return docs


def build_model_dir(folder, docs=None, layers: int = 1, width: int = 32):
    from core.lyrics.zh.originality import ZhOriginalityIndex
    from core.training.lyrics_zh_assets import char_tables, cooccurrence
    from core.training.lyrics_zh_data import build_tokenizer, build_vocab
    from core.training.lyrics_zh_patterns import derive_patterns, save_patterns
    from core.training.lyrics_zh_train import build_model

    docs = docs or synthetic_docs()
    vocab = build_vocab(docs, min_count=1)
    tok = build_tokenizer(vocab)
    folder.mkdir(parents=True, exist_ok=True)
    tok.backend_tokenizer.save(str(folder / "tokenizer.json"))
    data = derive_patterns([d for d in docs if d.kind == "ci"])
    data["rhyme_group_weights"] = {"寒": 0.5, "麻": 0.3, "唐": 0.2}
    save_patterns(data, folder / "patterns.json")
    ZhOriginalityIndex.build("".join(d.lines) for d in docs).save(folder / "corpus_index.npz")
    first = next(i for i, t in enumerate(vocab) if len(t) == 1)
    lines = [x for d in docs for x in d.lines]
    np.savez_compressed(folder / "cooc.npz", neighbours=cooccurrence(lines, vocab, first))
    np.savez_compressed(folder / "char_tables.npz", **char_tables(vocab))
    import torch

    torch.manual_seed(0)
    build_model(len(vocab), 64, layers, width, 2).save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="session")
def zh_model_dir(tmp_path_factory):
    return build_model_dir(tmp_path_factory.mktemp("zh-model"))
