"""Training data for the Chinese lyrics model, from the chinese-poetry corpus (MIT).

A document is one ci, poem, song or ode: a header (kind token, then the tune pattern or
title, one character per token) and its lines. A "line" is one clause between the
punctuation marks ，。、？！；： — the unit a melody phrase sets, one character per note.
Each line is preceded by two tags, its length ``[L7]`` and the rhyme group of its last
character ``[R寒]`` (or ``[R-]``, "free", on a deterministic 30 % of lines so the writer can
leave a line unrhymed), the way the English model's ``[8 hill]`` tags ask for syllables and
a rhyme. Held-out documents (about 5 %) are chosen by a hash of their text, so the split is
the same on every machine and run.

The Tang poems are in traditional characters; they are converted to simplified with OpenCC
(the ``opencc`` package, Apache-2.0, config ``t2s``) before anything else sees them.

Run: ``python -m core.training.lyrics_zh_data --data ../shared/data/chinese-poetry --out runs/lyrics-zh/data``
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.lyrics.zh.rhyme import GROUP_NAMES, is_han, rhyme_group

SPECIALS = ("[PAD]", "[UNK]", "[BOS]", "[EOS]", "[SEP]")
KINDS = {"ci": "[词]", "shi": "[诗]", "qu": "[曲]", "jing": "[经]"}
MAX_LINE = 20
LENGTH_TAGS = tuple(f"[L{n}]" for n in range(1, MAX_LINE + 1))
RHYME_TAGS = tuple(f"[R{name}]" for name in GROUP_NAMES) + ("[R-]",)
FREE_RHYME_SHARE = 0.3
HELDOUT_MODULO = 20  # one document in 20 is held out
MAX_TITLE = 8
_CLAUSE_SPLIT = re.compile(r"[，。、？！；：,.?!;:]")
_NOTES = re.compile(r"（[^）]*）|\([^)]*\)|〔[^〕]*〕|\[[^\]]*\]|【[^】]*】|《|》|“|”|‘|’|「|」|『|』")


@dataclass
class Document:
    kind: str          # ci / shi / qu / jing
    title: str         # the tune pattern for ci and qu, else the poem's title (simplified)
    lines: list[str]   # clauses of Chinese characters, punctuation removed
    source: str

    @property
    def key(self) -> str:
        return f"{self.source}|{self.title}|{''.join(self.lines[:4])}"

    @property
    def heldout(self) -> bool:
        return zlib.crc32(self.key.encode("utf-8")) % HELDOUT_MODULO == 0


def split_clauses(paragraphs: list[str]) -> list[str] | None:
    """Clauses of a text's paragraphs; None when one holds a non-Chinese character
    (a lacuna mark □, a Latin letter) or is longer than MAX_LINE, so the document is dropped."""
    out: list[str] = []
    for para in paragraphs:
        for clause in _CLAUSE_SPLIT.split(_NOTES.sub("", para)):
            clause = clause.strip().replace(" ", "").replace("\u3000", "")
            if not clause:
                continue
            if len(clause) > MAX_LINE or not all(is_han(c) for c in clause):
                return None
            out.append(clause)
    return out or None


def _tune_name(title: str) -> str:
    if "/" in title:
        title = title.rsplit("/", 1)[1]
    return re.split(r"[·・ ]", title.strip())[0][:MAX_TITLE]


def _clean_title(title: str) -> str:
    return "".join(c for c in _NOTES.sub("", title) if is_han(c))[:MAX_TITLE]


# The corpus's collections: files (a glob under the data folder), kind, the field holding
# the title and how to read it, the field holding the text, and the source's name. The
# Tang poems, converted to simplified characters first, are read after these.
_SOURCES = (
    ("宋词/ci.song.*.json", "ci", "rhythmic", _tune_name, "paragraphs", "宋词"),
    ("五代诗词/huajianji/*-juan.json", "ci", "rhythmic", _tune_name, "paragraphs", "花间集"),
    ("五代诗词/nantang/poetrys.json", "ci", "rhythmic", _tune_name, "paragraphs", "南唐"),
    ("纳兰性德/纳兰性德诗集.json", "ci", "title", _tune_name, "para", "纳兰性德"),
    ("元曲/yuanqu.json", "qu", "title", _tune_name, "paragraphs", "元曲"),
    ("诗经/shijing.json", "jing", "title", _clean_title, "content", "诗经"),
)


def load_documents(root: Path, converter=None) -> list[Document]:
    """Every usable document of the corpus (ci, Huajian ji and Nantang ci, Nalan's ci,
    Yuan songs, the Book of Songs, the Tang poems converted to simplified)."""
    root = Path(root)
    docs: list[Document] = []

    def add(kind, title, paragraphs, source):
        lines = split_clauses(paragraphs)
        if lines:
            docs.append(Document(kind, title, lines, source))

    def read(path):
        return json.loads(Path(path).read_text(encoding="utf-8"))

    for pattern, kind, title_key, title_of, text_key, source in _SOURCES:
        for path in sorted(root.glob(pattern)):
            for d in read(path):
                add(kind, title_of(d.get(title_key, "")), d.get(text_key, []), source)
    tang = sorted(glob.glob(str(root / "全唐诗" / "poet.tang.*.json")))
    if tang:
        if converter is None:
            converter = traditional_to_simplified()
        for path in tang:
            for d in read(path):
                title = converter(d.get("title", ""))
                paras = [converter(p) for p in d.get("paragraphs", [])]
                add("shi", _clean_title(title), paras, "全唐诗")
    return docs


def traditional_to_simplified():
    """OpenCC's t2s converter (a training-only dependency: the ``train`` extra)."""
    import opencc

    conv = opencc.OpenCC("t2s")
    return conv.convert


def line_tags(doc: Document) -> list[tuple[str, str]]:
    """(length tag, rhyme tag) per line; the free-rhyme lines are picked by a seeded RNG
    keyed on the document, so every run writes the same tags."""
    rng = np.random.default_rng(zlib.crc32(doc.key.encode("utf-8")))
    free = rng.random(len(doc.lines)) < FREE_RHYME_SHARE
    tags = []
    for line, is_free in zip(doc.lines, free, strict=True):
        group = rhyme_group(line[-1])
        rtag = "[R-]" if is_free or group is None else f"[R{GROUP_NAMES[group]}]"
        tags.append((f"[L{len(line)}]", rtag))
    return tags


def header_tokens(kind: str, title: str) -> list[str]:
    return ["[BOS]", KINDS[kind], *title, "[SEP]"]


def doc_tokens(doc: Document) -> list[str]:
    toks = header_tokens(doc.kind, doc.title)
    for line, (ltag, rtag) in zip(doc.lines, line_tags(doc), strict=True):
        toks += [ltag, rtag, *line]
    toks.append("[EOS]")
    return toks


def build_vocab(docs: list[Document], min_count: int) -> list[str]:
    counts: Counter[str] = Counter()
    for d in docs:
        counts.update(d.title)
        for line in d.lines:
            counts.update(line)
    chars = sorted(c for c, n in counts.items() if n >= min_count)
    return [*SPECIALS, *KINDS.values(), *LENGTH_TAGS, *RHYME_TAGS, *chars]


def build_tokenizer(vocab: list[str]):
    """A one-character-per-token WordLevel tokenizer; the tags are special tokens, matched
    whole before the per-character split."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tok.decoder = decoders.Fuse()
    n_fixed = len(SPECIALS) + len(KINDS) + len(LENGTH_TAGS) + len(RHYME_TAGS)
    tok.add_special_tokens(vocab[:n_fixed])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="[BOS]", eos_token="[EOS]", unk_token="[UNK]",
        pad_token="[PAD]", sep_token="[SEP]",
    )


def encode(docs: list[Document], vocab: list[str]) -> np.ndarray:
    """All documents' token ids, concatenated (the trainer cuts them into blocks)."""
    index = {t: i for i, t in enumerate(vocab)}
    unk = index["[UNK]"]
    ids: list[int] = []
    for d in docs:
        ids.extend(index.get(t, unk) for t in doc_tokens(d))
    return np.asarray(ids, dtype=np.int32)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/chinese-poetry"))
    ap.add_argument("--out", type=Path, default=Path("runs/lyrics-zh/data"))
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--patterns", type=Path, default=None,
                    help="also write the tune patterns (patterns.json) here")
    args = ap.parse_args(argv)
    docs = load_documents(args.data)
    train = [d for d in docs if not d.heldout]
    held = [d for d in docs if d.heldout]
    vocab = build_vocab(train, args.min_count)
    args.out.mkdir(parents=True, exist_ok=True)
    build_tokenizer(vocab).save_pretrained(str(args.out / "tokenizer"))
    np.save(args.out / "train.npy", encode(train, vocab))
    np.save(args.out / "heldout.npy", encode(held, vocab))
    by_source = Counter(d.source for d in docs)
    stats = {
        "documents": len(docs), "train_documents": len(train), "heldout_documents": len(held),
        "by_source": dict(by_source), "vocab": len(vocab),
        "train_chars": sum(len(x) for d in train for x in d.lines),
        "heldout_chars": sum(len(x) for d in held for x in d.lines),
    }
    (args.out / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), "utf-8")
    texts = ["".join(d.lines) for d in train]
    (args.out / "train_texts.txt").write_text("\n".join(texts), "utf-8")
    if args.patterns:
        from core.training.lyrics_zh_patterns import derive_patterns, save_patterns

        save_patterns(derive_patterns([d for d in docs if d.kind == "ci"]), args.patterns)
    print(json.dumps(stats, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
