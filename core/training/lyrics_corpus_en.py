"""English pretraining text for the lyrics GPT-2: Gutenberg books and WordNet, as tagged lines.

The song texts and poems (``corpus.default_documents``) are 1.4M tokens of 19th-century
verse: too little, and too archaic, for a model that should write plain modern lines. This
module adds two sources with clear licences:

- ``../shared/data/gutenberg-en``: 65 public-domain books (novels, children's stories, much
  dialogue). Front matter, chapter headings, contents lists and illustration notes are
  dropped; paragraphs are cut into sentences and sentences into clause-sized lines (at
  commas and the like, then before a conjunction), because a song line is a clause, not a
  paragraph. Each book is one document, so the held-out books were never seen in training.
- WordNet 3.0 (Debian ``wordnet-base``, /usr/share/wordnet; Princeton WordNet licence):
  each synset is a document titled with its first word, its lines the definition and the
  example sentences: short, plain, present-day English, and a word-to-text link that
  helps theme steering.

Every line gets the same ``[syllables lastword]`` tag as the song lines, so pretraining
already teaches the control the constraint writer uses, on five times more text.
Held-out documents follow ``corpus.is_validation`` (CRC-32 of the source mod 20 == 0).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from core.errors import SongloomError
from core.lyrics.corpus import Document, clean_line, default_documents, is_validation
from core.lyrics.syllables import count_syllables, words

WORDNET_DIR = Path("/usr/share/wordnet")
GUTENBERG_SUBDIR = "gutenberg-en/texts"
# Line lengths a melody phrase asks for: clauses are merged up to TARGET syllables and a
# clause longer than SPLIT is cut before a conjunction; lines outside MIN..MAX are dropped.
TARGET_SYLLABLES = 12
SPLIT_SYLLABLES = 16
MIN_SYLLABLES = 3
MAX_SYLLABLES = 24

_HEADING = re.compile(
    r"^(chapter|contents|book|part|volume|preface|introduction|footnotes?|transcriber|"
    r"the end|finis|illustrations?|list of)\b", re.I)
_ROMAN = re.compile(r"^[IVXLC]+\.?(\s|$)")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(]?[A-Z0-9])")
_ABBREV = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Mt|Jr|Sr|Capt|Col|Gen|Lt|Rev|Prof|vs|No)\.$")
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s*--\s*|\s*\u2014\s*")
_CONJ = re.compile(r"\s+(?=(and|but|or|that|which|who|when|while|where|because|though|if|"
                   r"as|for|till|until|before|after|so)\b)")


class EnglishCorpusError(SongloomError):
    """A source that cannot be read."""


def _is_prose(par: str) -> bool:
    letters = [c for c in par if c.isalpha()]
    if len(words(par)) < 4 or not letters:
        return False
    if sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return False  # headings and title pages are set in capitals
    head = par.lstrip(" \"'\u201c([")
    if re.match(r"by\s+[A-Z]", head) and len(words(par)) < 8:
        return False  # "by Frances Hodgson Burnett"
    return not (_HEADING.match(head) or _ROMAN.match(par.strip()) or par.lstrip().startswith("["))


def sentences(paragraph: str) -> list[str]:
    """Sentence split that keeps "Mr. Darcy" together."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(paragraph):
        if out and _ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s.strip() for s in out if s.strip()]


def _halve(piece: str) -> list[str]:
    """A clause too long for a line: cut before the conjunction nearest its middle,
    else at the word nearest the middle (poets' enjambment does the same)."""
    n = count_syllables(piece)
    if n <= SPLIT_SYLLABLES:
        return [piece]

    def fair(cut: int) -> bool:  # never leave a one-word scrap ("and") on either side
        return min(count_syllables(piece[:cut]), count_syllables(piece[cut:])) >= 4

    cuts = [m.start() for m in _CONJ.finditer(piece) if fair(m.start())]
    if not cuts:
        cuts = [m.start() for m in re.finditer(r"\s+", piece) if fair(m.start())]
    if not cuts:
        return [piece]
    mid = len(piece) / 2
    cut = min(cuts, key=lambda c: abs(c - mid))
    left, right = piece[:cut].strip(), piece[cut:].strip()
    return _halve(left) + _halve(right)


def sentence_lines(sentence: str) -> list[str]:
    """One sentence as song-sized lines: clauses, short ones merged, long ones halved."""
    clauses = [c.strip() for c in _CLAUSE.split(sentence) if c and c.strip()]
    pieces = [p for c in clauses for p in _halve(c)]
    lines: list[str] = []
    for p in pieces:
        if lines and count_syllables(lines[-1]) + count_syllables(p) <= TARGET_SYLLABLES:
            lines[-1] = f"{lines[-1]} {p}"
        else:
            lines.append(p)
    return lines


def _keep(line: str) -> bool:
    return MIN_SYLLABLES <= count_syllables(line) <= MAX_SYLLABLES


def book_title(path: Path) -> str:
    """``The-Secret-Garden_113.txt`` -> ``The Secret Garden``."""
    stem = re.sub(r"_\d+$", "", path.stem)
    return re.sub(r"-s\b", "'s", stem).replace("-", " ")


def gutenberg_document(path: Path) -> Document:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise EnglishCorpusError(f"cannot read: {exc.strerror or exc}", path) from None
    lines: list[str] = []
    for par in re.split(r"\n\s*\n", text):
        par = clean_line(par.replace("\n", " "))
        if not _is_prose(par):
            continue
        for sent in sentences(par):
            lines.extend(x for x in sentence_lines(sent) if _keep(x))
    return Document(title=book_title(path), lines=lines, source=f"gutenberg-en/{path.name}")


def gutenberg_documents(data_dir: Path) -> Iterator[Document]:
    for path in sorted((Path(data_dir) / GUTENBERG_SUBDIR).glob("*.txt")):
        doc = gutenberg_document(path)
        if doc.lines:
            yield doc


def parse_wordnet_line(line: str) -> tuple[str, str, list[str]] | None:
    """One ``data.*`` record -> (first word, definition, examples); None for the header."""
    if line.startswith("  ") or "|" not in line:
        return None  # the licence header lines start with two spaces
    head, _, gloss = line.partition("|")
    fields = head.split()
    if len(fields) < 5:
        return None
    word = fields[4].replace("_", " ")
    word = re.sub(r"\(\w+\)$", "", word)  # adjective markers such as "(a)"
    examples = [e.strip() for e in re.findall(r'"([^"]+)"', gloss)]
    definition = gloss.split('"', 1)[0].strip().strip(";").strip()
    return word, definition, examples


def wordnet_documents(wordnet_dir: Path = WORDNET_DIR) -> Iterator[Document]:
    paths = [Path(wordnet_dir) / f"data.{pos}" for pos in ("noun", "verb", "adj", "adv")]
    if not any(p.exists() for p in paths):
        raise EnglishCorpusError("no WordNet data.* files; install Debian's wordnet-base",
                                 wordnet_dir)
    for path in (p for p in paths if p.exists()):
        pos = path.suffix.lstrip(".")
        try:
            fh = open(path, encoding="utf-8", errors="replace")
        except OSError as exc:
            raise EnglishCorpusError(f"cannot read WordNet: {exc.strerror or exc}", path) from None
        with fh:
            for raw in fh:
                rec = parse_wordnet_line(raw)
                if rec is None:
                    continue
                word, definition, examples = rec
                lines = [clean_line(x) for x in [definition, *examples]]
                lines = [x for x in lines if _keep(x)]
                if lines:
                    yield Document(word, lines, f"wordnet:{pos}:{raw[:8]}")


def english_documents(data_dir: Path, wordnet_dir: Path = WORDNET_DIR) -> dict[str, list[Document]]:
    """All sources by name: ``songs`` (Lieder texts + poems), ``gutenberg``, ``wordnet``."""
    data_dir = Path(data_dir)
    return {
        "songs": default_documents(data_dir),
        "gutenberg": list(gutenberg_documents(data_dir)),
        "wordnet": list(wordnet_documents(wordnet_dir)) if Path(wordnet_dir).exists() else [],
    }


def split_holdout(docs: list[Document]) -> tuple[list[Document], list[Document]]:
    """(train, held out) by document, deterministic: the rule today's model was held to."""
    return [d for d in docs if not is_validation(d)], [d for d in docs if is_validation(d)]


def describe(sources: dict[str, list[Document]]) -> list[str]:
    """Sizes per source, for logs and the model card."""
    out = []
    for name, docs in sources.items():
        train, val = split_holdout(docs)
        n_words = sum(len(words(x)) for d in docs for x in d.lines)
        n_lines = sum(len(d.lines) for d in docs)
        out.append(f"{name}: {len(docs)} documents ({len(val)} held out), {n_lines} lines, "
                   f"{n_words} words")
    return out


def source_checksum(docs: list[Document]) -> int:
    """CRC-32 of the sources' names: a resumed run can tell whether its data changed."""
    return zlib.crc32("\n".join(d.source for d in docs).encode())
