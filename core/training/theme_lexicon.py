"""Build ``resources/lexicon/english.json.gz``: the words lyrics may use, and theme associates.

Run: ``python -m core.training.theme_lexicon --data ../shared/data --out resources/lexicon``
(needs Debian's ``wordnet-base`` in /usr/share/wordnet; never part of the app bundle).

Sources, all with licences that allow shipping the derived table:
- the CMU Pronouncing Dictionary (BSD-style, resources/cmudict, read by core/lyrics/cmu.py):
  which strings are words, and their syllables;
- word counts and co-occurrence counts over the public-domain books in
  ``gutenberg-en`` and the public-domain poems (the texts themselves are not shipped);
- Princeton WordNet 3.0 (WordNet licence, copied beside the lexicon): synonyms, kinds,
  parts, related forms, gloss words, antonyms, base forms, and which "-eth"/"-est" forms
  are old verb endings rather than superlatives.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from core.io.atomic_write import atomic_path
from core.lyrics.lexicon import ARCHAIC, BLOCKED, FORMAT, LEXICON_FILE, STOPWORDS, WEIGHT_SCALE
from core.lyrics.syllables import WORD_RE, word_syllables
from core.lyrics.wordnet import ANTONYM, HYPERNYM, HYPONYM, PART, RELATED, WordNet

MIN_COUNT = 4  # a word seen fewer times than this in 5 M words is not offered
ASSOC_MIN_COUNT = 20  # associates are words a listener knows
HEAD_MIN_COUNT = 30
WINDOW = 6  # content words either side that count as company
MIN_PAIR = 5
N_ASSOCIATES = 40
N_CONTRASTS = 10
# Capitalised words a lyric may still use: the days, the months, "I".
COMMON_CAPITALS = set("""i god lord monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
christmas easter""".split())
COMMON_COUNT = 50  # seen this often, a word is common English even if WordNet lacks it
MIN_SOURCES = 3  # books (or groups of poems) a pair must occur in
NAME_SHARE = 0.75  # a word capitalised mid-sentence this often is a name
# Sister terms are opposites only in sets whose members exclude each other: a winter song
# is not a summer song, but a road song may well name a lane or a path.
EXCLUSIVE_SETS = {"season"}
MODERN_CONTRACTIONS = ("n't", "'s", "'m", "'re", "'ve", "'ll")
PRONOUN_D = {"i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "it'd", "who'd", "that'd",
             "there'd", "what'd"}


def _words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in WORD_RE.findall(text)]


POEMS_PER_SOURCE = 25  # poems are short: this many count as one source, like one book


def corpus_paragraphs(data_dir: Path) -> Iterator[tuple[int, str]]:
    """(source number, paragraph text) for each paragraph of the books and stanza of the poems."""
    books = sorted((data_dir / "gutenberg-en" / "texts").glob("*.txt"))
    for n, path in enumerate(books):
        text = path.read_text(encoding="utf-8", errors="replace")
        for para in re.split(r"\n\s*\n", text):
            yield n, para
    csv.field_size_limit(1 << 30)
    poems = data_dir / "public-domain-poems" / "poems.csv"
    with open(poems, encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            for stanza in re.split(r"\n\s*\n", row["poem_text"]):
                yield len(books) + i // POEMS_PER_SOURCE, stanza


def _capitalised(text: str, caps: Counter) -> None:
    """Count words written with a capital other than at a sentence's start (names), and
    words written all in capitals (roman numerals of chapter headings: "VI", "XII")."""
    for m in re.finditer(r"(?<![.!?\"\u201c\n]\s)(?<!^)\b([A-Z][a-z]+(?:'[a-z]+)?)", text):
        caps[m.group(1).lower()] += 1
    for m in re.finditer(r"\b([A-Z]{2,})\b", text):
        caps[m.group(1).lower()] += 1


def is_archaic(word: str, wn: WordNet) -> bool:
    if word in ARCHAIC:
        return True
    if "'" in word:
        if word in PRONOUN_D:
            return False
        # "lov'd", "o'er", "heav'n", "know'st": elisions; "don't", "heart's": modern.
        return not word.endswith(MODERN_CONTRACTIONS)
    if wn.is_lemma(word):
        return False
    verbs, adjs = wn.lemmas("v"), wn.lemmas("a")
    for suffix in ("eth", "est"):
        if not word.endswith(suffix) or len(word) < 5:
            continue
        stem = word[: -len(suffix)]
        stems = {stem, stem + "e", word[:-2]}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            stems.add(stem[:-1])  # "runneth" -> "run"
        if stem.endswith("i"):
            stems.add(stem[:-1] + "y")  # "crieth" -> "cry"
        if any(s in verbs for s in stems) and not (suffix == "est" and any(s in adjs for s in stems)):
            return True
    return False


def base_forms(word: str, vocab: set[str], wn: WordNet) -> list[str]:
    """The word's base forms in the vocabulary, likeliest first ("leaves" -> leaf, leave;
    "lights" -> light; "older" -> older, old), or [] when the word is only its own base."""
    if word.endswith("'s") and word[:-2] in vocab:
        return [word[:-2]]
    by_pos: dict[str, list[str]] = {}
    for pos in ("n", "v", "a"):
        # WordNet's order: irregular forms from its exception lists first ("leaves" ->
        # leaf before the regular "leave"), then the suffix rules.
        by_pos[pos] = [b for b in wn.base_forms(word, pos) if b != word and b in vocab
                       and " " not in b]
    # A plural reads as a noun first ("leaves": leaf before leave), -ing/-ed as a verb,
    # -er/-est as an adjective.
    if word.endswith("s"):
        order = ("n", "v", "a")
    elif word.endswith(("ing", "ed")):
        order = ("v", "n", "a")
    elif word.endswith(("er", "est")):
        order = ("a", "n", "v")
    else:
        order = ("n", "v", "a")
    found = list(dict.fromkeys(b for pos in order for b in by_pos[pos]))
    if not found:
        return []
    # "lights" is also a lemma (offal), "hands" (workers): plurals still map to their base
    # unless WordNet's tagged texts use them as words of their own ("news"); a noun in -ing
    # ("wedding", "evening") is a word of its own, not a form of "wed". A comparative that
    # is a word of its own ("older": an elder) keeps itself first and "old" after it.
    own = sum(wn.tagged_senses(word, pos) for pos in ("n", "v", "a", "r"))
    if word.endswith("ing") and word in wn.lemmas("n"):
        return []
    if own >= 3:
        return [word, *by_pos["a"]] if word.endswith(("er", "est")) and by_pos["a"] else []
    return found


def _pair_keys(stream: list[int], V: int):
    import numpy as np

    ids = np.array(stream, dtype=np.int64)
    keys = []
    for d in range(1, WINDOW + 1):
        a, b = ids[:-d], ids[d:]
        ok = (a >= 0) & (b >= 0) & (a != b)
        a, b = a[ok], b[ok]
        keys.append(np.minimum(a, b) * V + np.maximum(a, b))
    return np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)


def cooccurrence(paragraphs: list[tuple[int, list[str]]], content: dict[str, int]):
    """(pair keys, pair counts, sources per pair, marginal count per id) over a window of
    content words within a paragraph. A pair seen in one book only ("emerald city") is that
    book's, not the language's: the caller asks for several sources."""
    import numpy as np

    V = len(content)
    by_source: dict[int, list[int]] = {}
    pad = [-1] * WINDOW
    for source, ws in paragraphs:
        ids = [content[w] for w in ws if w in content]
        if len(ids) > 1:
            stream = by_source.setdefault(source, [])
            stream.extend(ids)
            stream.extend(pad)
    all_keys, source_keys = [], []
    for stream in by_source.values():
        keys = _pair_keys(stream, V)
        all_keys.append(keys)
        source_keys.append(np.unique(keys))
    uniq, n = np.unique(np.concatenate(all_keys), return_counts=True)
    src_uniq, df = np.unique(np.concatenate(source_keys), return_counts=True)
    sources = df[np.searchsorted(src_uniq, uniq)]
    marginal = np.zeros(V, dtype=np.float64)
    np.add.at(marginal, uniq // V, n)
    np.add.at(marginal, uniq % V, n)
    return uniq, n, sources, marginal


def build(data_dir: Path, out_dir: Path, wordnet_dir: Path | None = None, log=print) -> Path:
    import numpy as np

    from core.lyrics import cmu

    wn = WordNet(wordnet_dir) if wordnet_dir else WordNet()
    log("reading the corpus")
    paragraphs = []
    counts: Counter[str] = Counter()
    caps: Counter[str] = Counter()
    for source, text in corpus_paragraphs(data_dir):
        ws = _words(text)
        if ws:
            paragraphs.append((source, ws))
            counts.update(ws)
            _capitalised(text, caps)
    log(f"{sum(counts.values())} words, {len(counts)} distinct")
    pron = cmu.load()
    vocab = {w for w, c in counts.items()
             if c >= MIN_COUNT and pron.phones(w) and (len(w) > 1 or w in {"a", "i", "o"})
             and w not in BLOCKED and not w.startswith("'")}
    words = sorted(vocab, key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(words)}
    archaic = {w for w in words if is_archaic(w, wn)}
    log(f"{len(words)} words, {len(archaic)} archaic")
    lemma: dict[str, list[str]] = {}
    for w in words:
        bases = base_forms(w, vocab, wn)
        if bases:
            lemma[w] = bases

    def usable(w: str) -> bool:
        # Names (mostly written with a capital mid-sentence) and possessives are not images.
        return (w in vocab and w not in STOPWORDS and w not in archaic and len(w) > 2
                and counts[w] >= ASSOC_MIN_COUNT and "'" not in w
                and caps[w] < NAME_SHARE * counts[w])

    content = {w: i for i, w in enumerate(w for w in words if usable(w))}
    content_words = list(content)
    log(f"co-occurrence over {len(content)} content words")
    uniq, pair_n, sources, marginal = cooccurrence(paragraphs, content)
    total = pair_n.sum()
    V = len(content)
    a_ids, b_ids = uniq // V, uniq % V
    keep = (pair_n >= MIN_PAIR) & (sources >= MIN_SOURCES)
    a_ids, b_ids, pair_n = a_ids[keep], b_ids[keep], pair_n[keep]
    pmi = np.log(pair_n * total / (marginal[a_ids] * marginal[b_ids]))
    # PMI alone favours rare pairs; the factor keeps pairs seen only a few times low.
    score = pmi * (1 - 1 / np.sqrt(pair_n))
    company: dict[int, list[tuple[float, int]]] = {}
    for a, b, s in zip(a_ids.tolist(), b_ids.tolist(), score.tolist(), strict=True):
        if s > 0:
            company.setdefault(a, []).append((s, b))
            company.setdefault(b, []).append((s, a))

    forms: dict[str, list[str]] = {}
    for w, bases in lemma.items():
        for b in bases:
            forms.setdefault(b, []).append(w)
    heads = [w for w in words if usable(w) and counts[w] >= HEAD_MIN_COUNT and w not in lemma]
    log(f"associates for {len(heads)} head words")
    associates, contrasts = {}, {}
    for head in heads:
        scores: Counter[str] = Counter()
        family = {head, *forms.get(head, ())}

        def add(w: str, weight: float, scores=scores, family=family) -> None:
            w = lemma[w][0] if w in lemma else w
            if usable(w) and w not in family:
                scores[w] = max(scores[w], weight)

        # Parts of speech weighted by how often WordNet's tagged texts use the word in
        # each ("winter" the season, hardly ever the verb "to winter").
        tags = {pos: wn.tagged_senses(head, pos) + 0.5 for pos in ("n", "v", "a", "r")
                if wn.synsets(head, pos)}
        senses = []
        for pos, t in tags.items():
            share = t / sum(tags.values())
            senses += [(rank, share, s) for rank, s in enumerate(wn.synsets(head, pos)[:3])]
        senses.sort(key=lambda x: (x[0], -x[1]))
        wn_scores: Counter[str] = Counter()
        for rank, share, syn in senses:
            damp = share / (1 + rank)
            for w in syn.words:
                add(w, 3.0 * damp, wn_scores)
            for group, weight in ((HYPONYM, 2.0), (PART, 2.0), (RELATED, 2.0), (HYPERNYM, 1.0)):
                for rel in wn.related(syn, group)[:25]:
                    for w in rel.words:
                        add(w, weight * damp, wn_scores)
            if rank == 0 and share > 0.3:
                for w in _words(syn.gloss.split(";")[0]):
                    add(w, 1.0, wn_scores)
        comp = sorted(company.get(content[head], []), reverse=True)[:N_ASSOCIATES]
        for rank, (_s, b) in enumerate(comp):
            w = content_words[b]
            cooc = 2.5 - 1.5 * rank / max(1, len(comp))
            total_w = cooc + wn_scores.get(lemma[w][0] if w in lemma else w, 0.0)
            add(w, total_w, scores)
        for w, s in wn_scores.items():
            scores[w] = max(scores[w], s)
        opposite: list[str] = []
        for rank, share, syn in senses[:2]:
            for rel in wn.related(syn, ANTONYM):
                opposite += rel.words
            if syn.pos == "n" and rank == 0 and share >= 0.5:
                for hyper in wn.related(syn, HYPERNYM)[:1]:
                    sisters = wn.related(hyper, HYPONYM)
                    if hyper.words[0] in EXCLUSIVE_SETS:
                        for sister in sisters:
                            opposite += sister.words
        chosen = []
        for w in opposite:
            w = lemma[w][0] if w in lemma else w
            if usable(w) and w not in family and w not in chosen:
                chosen.append(w)
        if chosen:
            contrasts[head] = [index[w] for w in chosen[:N_CONTRASTS]]
        # An opposite is never an associate, however often the books name them together
        # ("summer" beside "winter"): a winter song should not drift into summer.
        for w in chosen:
            scores.pop(w, None)
        best = scores.most_common(N_ASSOCIATES)
        if best:
            associates[head] = [[index[w] for w, _ in best], [round(min(s, 5.0) * WEIGHT_SCALE) for _, s in best]]
    data = {
        "format": FORMAT,
        "sources": {
            "words": "CMU Pronouncing Dictionary (BSD-style licence) words seen at least "
                     f"{MIN_COUNT} times in the corpus",
            "counts": "gutenberg-en (65 public-domain books) and public-domain-poems",
            "associates": "Princeton WordNet 3.0 (WordNet licence) and co-occurrence "
                          f"within {WINDOW} content words in the same corpus",
        },
        "words": words,
        "counts": [counts[w] for w in words],
        "syllables": [word_syllables(w) for w in words],
        "archaic": [int(w in archaic) for w in words],
        # Rare words WordNet does not know either ("mees", "ni"): dialect, foreign words and
        # spelling slips of old books; a lyric could use them, a listener would not know them.
        "rare": [int(counts[w] < COMMON_COUNT and w not in STOPWORDS and not wn.is_lemma(w)
                     and not any(wn.is_lemma(b) for b in lemma.get(w, [])))
                 for w in words],
        # Names (Oz, Marilla, Holmes): written with a capital mid-sentence most of the time.
        "names": [int(caps[w] >= NAME_SHARE * counts[w] and w not in COMMON_CAPITALS)
                  for w in words],
        "lemma": [[index[w], *(index[b] for b in bases)] for w, bases in lemma.items()],
        "associates": associates,
        "contrasts": contrasts,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / LEXICON_FILE
    # mtime 0: the same inputs give a byte-identical file.
    with atomic_path(out) as tmp, open(tmp, "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    licence = Path("/usr/share/doc/wordnet-base/copyright")
    if licence.exists():
        (out_dir / "WORDNET-LICENSE.txt").write_text(licence.read_text(encoding="utf-8"), encoding="utf-8")
    log(f"wrote {out} ({out.stat().st_size // 1024} KiB)")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, required=True, help="the shared data folder")
    p.add_argument("--out", type=Path, default=Path("resources/lexicon"))
    p.add_argument("--wordnet", type=Path, default=None, help="WordNet dict folder")
    args = p.parse_args(argv)
    build(args.data, args.out, args.wordnet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

