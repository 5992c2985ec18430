"""Training text for the lyrics model: English song texts and public-domain poems, as lines.

Every line the model sees carries a small control tag in front of it, ``[8 hill]``: the
line's sung syllable count and its last word. A model trained this way can be asked for
"eight syllables ending in a word that rhymes with *still*" directly, which is what makes
syllable and rhyme constraints cheap to meet at writing time (the tag is stripped before
anyone sees the line). Each document starts with a ``title:`` line, which is how a
songwriter's theme steers the text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import SongloomError
from core.lyrics.syllables import count_syllables, words

EOS = "<|endoftext|>"
TITLE_PREFIX = "title:"
# Lines are cut into chunks of this many, each repeating the title, so every training
# window starts where a songwriter's request starts: a title, then lines.
CHUNK_LINES = 12
MAX_LINE_SYLLABLES = 24
MAX_TEXT_BYTES = 256 * 2**20  # a songwriter's text file; the bundled corpora are ~30 MB

_EN = {"the", "and", "of", "to", "my", "is", "in", "with", "thy", "thou", "love", "me", "you",
       "her", "his", "that", "on", "a", "i", "it", "for", "not", "all", "be", "heart", "but"}
_DE = {"der", "die", "das", "und", "ich", "nicht", "ist", "mit", "ein", "du", "mein", "dich",
       "zu", "sie", "den", "dem", "im", "auf", "wie", "so"}
_FR = {"le", "la", "les", "et", "de", "je", "est", "un", "une", "mon", "ma", "que", "qui",
       "dans", "des", "pas", "vous", "tu", "ton", "du"}


class LyricsCorpusError(SongloomError):
    """A training text that cannot be read."""


@dataclass
class Document:
    title: str
    lines: list[str]
    source: str  # file or corpus row, for the model card


def is_english(text: str) -> bool:
    """Stop-word vote: English song texts against the German and French ones beside them."""
    toks = [w.lower() for w in words(text)]
    if len(toks) < 8:
        return False
    en = sum(t in _EN for t in toks)
    de = sum(t in _DE for t in toks)
    fr = sum(t in _FR for t in toks)
    return en > 2 * max(de, fr) and en / len(toks) > 0.12


def clean_line(line: str) -> str:
    line = unicodedata.normalize("NFKC", line).replace("\u2019", "'").replace("\u2018", "'")
    line = line.replace("\u201c", '"').replace("\u201d", '"')
    line = re.sub(r"[\[\]<>|_*#]", " ", line)  # our tag syntax must never appear in text
    return " ".join(line.split())


_LINE_START = re.compile(r"(?<=[a-z,;:.!?'\"\)])\s+(?=[A-Z])")


def split_song_text(paragraph: str) -> list[str]:
    """The lieder texts are one paragraph per verse: verse lines start with a capital.

    Proper names also start with one, so a split that would leave a one-word line (or a
    line starting with "I" after a word) is undone.
    """
    parts = _LINE_START.split(paragraph)
    lines: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        starts_with_i = re.match(r"(I|God|Lord|Christ|Jesus)\b|I'", part) is not None
        if lines and (
            count_syllables(part) < 3 or count_syllables(lines[-1]) < 3
            or (starts_with_i and not re.search(r"[,;:.!?]$", lines[-1]))
        ):
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.append(part)
    return lines


def lieder_documents(root: Path) -> Iterator[Document]:
    for path in sorted(root.rglob("*.txt")):
        if path.name in {"LICENSE.txt"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if not is_english(text):
            continue
        title = re.sub(r"^\d+[_ ]*", "", path.parent.name).replace("_", " ")
        lines = [clean_line(line) for para in text.splitlines() for line in split_song_text(para)]
        yield Document(title=clean_line(title), lines=[x for x in lines if x], source=str(path))


def poem_documents(csv_path: Path) -> Iterator[Document]:
    csv.field_size_limit(1 << 30)
    with open(csv_path, encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            lines = [clean_line(x) for x in row["poem_text"].splitlines()]
            lines = [x for x in lines if x]
            if row.get("form") in {"prose poem"} or not lines:
                continue  # no line structure to learn from
            yield Document(clean_line(row["poem_title"]), lines, f"{csv_path.name}:row{i + 2}")


def read_text_file(path: Path) -> Document:
    """A songwriter's own lyrics: one line per line, blank lines between verses."""
    from core.io.regular_file import read_text_lines

    lines = read_text_lines(path, max_bytes=MAX_TEXT_BYTES, error_cls=LyricsCorpusError,
                            clean=clean_line, keep=words)
    return Document(title=Path(path).stem.replace("_", " "), lines=lines, source=str(path))


def line_tag(line: str) -> str:
    """The control tag of a line: ``[syllables lastword]``."""
    ws = words(line)
    last = ws[-1].lower() if ws else "-"
    return f"[{min(count_syllables(line), MAX_LINE_SYLLABLES)} {last}]"


def format_document(doc: Document) -> list[str]:
    """The training text of one document, as chunks each starting with EOS and the title."""
    chunks = []
    for start in range(0, len(doc.lines), CHUNK_LINES):
        body = "".join(f"{line_tag(x)} {x}\n" for x in doc.lines[start : start + CHUNK_LINES])
        chunks.append(f"{EOS}{TITLE_PREFIX} {doc.title}\n{body}")
    return chunks


def is_validation(doc: Document) -> bool:
    """A fixed ~5 % of documents, chosen by a hash of their source, held out for perplexity."""
    return zlib.crc32(doc.source.encode()) % 20 == 0


def default_documents(data_dir: Path) -> list[Document]:
    docs = list(lieder_documents(data_dir / "openscore-lieder"))
    docs += list(poem_documents(data_dir / "public-domain-poems" / "poems.csv"))
    return docs


def all_lines(docs: Iterable[Document]) -> Iterator[str]:
    for doc in docs:
        yield from doc.lines
