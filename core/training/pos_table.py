"""Build ``resources/lexicon/english-pos.json.gz``: which parts of speech each lexicon word
can be, for the lyric grammar check (core/lyrics/grammar.py).

Run: ``python -m core.training.pos_table`` (needs Debian's ``wordnet-base`` in
/usr/share/wordnet; never part of the app bundle). Source: Princeton WordNet 3.0 (its
licence is already shipped beside the lexicon, WORDNET-LICENSE.txt), through WordNet's own
morphology (``base_forms``), over the words of the shipped lexicon.

Each word gets a short string of letters: ``n`` noun, ``v`` verb, ``a`` adjective, ``r``
adverb (WordNet's four open classes; closed-class words are listed in grammar.py), and
for verbs the forms it can be: ``b`` base ("go"), ``d`` past or participle ("went",
"showed"), ``g`` -ing, ``z`` third person -s. Words WordNet does not know get nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from core.io.atomic_write import atomic_path
from core.lyrics.lexicon import load_lexicon
from core.lyrics.wordnet import DEFAULT_DIR, WordNet

POS_FILE = "english-pos.json.gz"
FORMAT = "songloom-pos-v1"


def verb_forms(wn: WordNet, word: str) -> str:
    """The verb forms ``word`` can be (b, d, g, z), given it is some verb's inflection."""
    index = wn.lemmas("v")
    out = ""
    if word in index:
        out += "b"
    irregular = [b for b in wn._load_exceptions("v").get(word, []) if b in index]
    if irregular or (word.endswith("ed") and wn.base_forms(word, "v")):
        out += "d"
    if word.endswith("ing") and any(b != word for b in wn.base_forms(word, "v")):
        out += "g"
    if word.endswith("s") and any(b != word for b in wn.base_forms(word, "v")):
        out += "z"
    # Participles that look like their base ("come", "run", "burst") are in WordNet only
    # as the base; such a word is "b" and never flagged as a wrong participle.
    return out


def tags(wn: WordNet, word: str) -> str:
    w = word.lower()
    if w.endswith("'s"):
        return ""  # a possessive: grammar.py treats it as a determiner
    out = "".join(p for p in "nvar" if wn.base_forms(w, p))
    if "v" in out:
        out += verb_forms(wn, w)
    return out


def build(wordnet_dir: Path = DEFAULT_DIR) -> dict[str, str]:
    wn = WordNet(wordnet_dir)
    table = {}
    for word in sorted(load_lexicon().counts):
        t = tags(wn, word)
        if t:
            table[word] = t
    return table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("resources/lexicon"))
    p.add_argument("--wordnet", type=Path, default=DEFAULT_DIR, help="WordNet dict folder")
    args = p.parse_args(argv)
    table = build(args.wordnet)
    path = args.out / POS_FILE
    doc = {"format": FORMAT, "source": "Princeton WordNet 3.0", "words": table}
    # mtime 0: the same inputs give a byte-identical file.
    with atomic_path(path) as tmp, open(tmp, "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    print(f"{len(table)} words -> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
