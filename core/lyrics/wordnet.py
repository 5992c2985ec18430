"""A small reader for the Princeton WordNet 3.0 database files (Debian ``wordnet-base``).

Only the build of the theme lexicon reads WordNet (``core/training/theme_lexicon.py``):
the app ships the derived lexicon, not these files, and never downloads anything (nltk's
reader would need its data fetched at run time). The file format is WordNet's own
``wndb(5)``: ``index.<pos>`` maps a lemma to its synset offsets, most frequent sense
first; ``data.<pos>`` holds one synset per line, found by seeking to its byte offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.errors import SongloomError

DEFAULT_DIR = Path("/usr/share/wordnet")
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

# Pointer symbols (wninput(5)) grouped the way the lexicon uses them.
HYPERNYM = {"@", "@i"}
HYPONYM = {"~", "~i"}
PART = {"%m", "%s", "%p", "#m", "#s", "#p"}  # meronyms and holonyms: parts and wholes
RELATED = {"&", "^", "+", "=", ";c", "-c", "<", "\\"}  # similar, also-see, derived, attribute...
ANTONYM = {"!"}

# Morphology (morphy(7)): suffix rules per part of speech, tried in order.
_SUFFIXES = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}


class WordNetError(SongloomError):
    """The WordNet files are missing or unreadable."""


@dataclass(frozen=True)
class Synset:
    pos: str
    offset: int
    words: tuple[str, ...]  # lemmas, lower case, spaces for underscores
    pointers: tuple[tuple[str, str, int], ...]  # (symbol, pos, offset)
    gloss: str


class WordNet:
    """Lemma lookup, synsets by offset, and base forms, read lazily from ``folder``."""

    def __init__(self, folder: str | Path = DEFAULT_DIR):
        self.folder = Path(folder)
        if not (self.folder / "index.noun").exists():
            raise WordNetError("no WordNet database here (install Debian's wordnet-base)",
                               self.folder)
        self._index: dict[str, dict[str, list[int]]] = {}
        self._tagged: dict[str, dict[str, int]] = {}
        self._exceptions: dict[str, dict[str, list[str]]] = {}
        self._files: dict[str, object] = {}
        self._cache: dict[tuple[str, int], Synset] = {}

    # -- files -----------------------------------------------------------------------
    def _load_index(self, pos: str) -> dict[str, list[int]]:
        if pos not in self._index:
            table: dict[str, list[int]] = {}
            tagged: dict[str, int] = {}
            path = self.folder / f"index.{POS_FILES[pos]}"
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if line.startswith(" "):
                        continue  # the licence header
                    parts = line.split()
                    lemma, n_synsets, n_ptrs = parts[0], int(parts[2]), int(parts[3])
                    offsets = parts[4 + n_ptrs + 2 :]
                    table[lemma.replace("_", " ")] = [int(o) for o in offsets[:n_synsets]]
                    tagged[lemma.replace("_", " ")] = int(parts[4 + n_ptrs + 1])
            self._index[pos] = table
            self._tagged[pos] = tagged
        return self._index[pos]

    def _load_exceptions(self, pos: str) -> dict[str, list[str]]:
        if pos not in self._exceptions:
            table: dict[str, list[str]] = {}
            path = self.folder / f"{POS_FILES[pos]}.exc"
            if path.exists():
                for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                    parts = line.split()
                    if len(parts) >= 2:
                        table[parts[0].replace("_", " ")] = [p.replace("_", " ") for p in parts[1:]]
            self._exceptions[pos] = table
        return self._exceptions[pos]

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()  # type: ignore[attr-defined]
        self._files.clear()

    # -- lookups ---------------------------------------------------------------------
    def lemmas(self, pos: str) -> dict[str, list[int]]:
        """Every lemma of one part of speech -> its synset offsets, most frequent first."""
        return self._load_index(pos)

    def tagged_senses(self, lemma: str, pos: str) -> int:
        """How often the lemma was seen in this part of speech in WordNet's tagged texts."""
        self._load_index(pos)
        return self._tagged[pos].get(lemma.lower(), 0)

    def synset(self, pos: str, offset: int) -> Synset:
        key = (pos, offset)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        fh = self._files.get(pos)
        if fh is None:
            fh = open(self.folder / f"data.{POS_FILES[pos]}", "rb")  # noqa: SIM115 - kept open
            self._files[pos] = fh
        fh.seek(offset)
        line = fh.readline().decode("utf-8", errors="replace")
        head, _, gloss = line.partition("|")
        parts = head.split()
        n_words = int(parts[3], 16)
        words = tuple(parts[4 + 2 * i].replace("_", " ").lower() for i in range(n_words))
        # Adjective lemmas may carry a syntactic marker: "beautiful(a)".
        words = tuple(w.split("(")[0] for w in words)
        at = 4 + 2 * n_words
        n_ptrs = int(parts[at])
        ptrs = []
        for i in range(n_ptrs):
            sym, off, ppos = parts[at + 1 + 4 * i : at + 4 + 4 * i]
            ptrs.append((sym, "a" if ppos == "s" else ppos, int(off)))
        syn = Synset(pos, offset, words, tuple(ptrs), gloss.strip())
        self._cache[key] = syn
        return syn

    def synsets(self, lemma: str, pos: str | None = None) -> list[Synset]:
        """The synsets of a lemma (base form), most frequent sense first per part of speech."""
        out = []
        for p in [pos] if pos else list(POS_FILES):
            for off in self._load_index(p).get(lemma.lower(), []):
                out.append(self.synset(p, off))
        return out

    def base_forms(self, word: str, pos: str) -> list[str]:
        """Lemmas ``word`` may be an inflection of ("roads" -> "road", "ran" -> "run")."""
        word = word.lower()
        index = self._load_index(pos)
        found = [b for b in self._load_exceptions(pos).get(word, []) if b in index]
        if word in index:
            found.append(word)
        for suffix, ending in _SUFFIXES[pos]:
            if word.endswith(suffix) and len(word) > len(suffix):
                base = word[: -len(suffix)] + ending
                if base in index and base not in found:
                    found.append(base)
        # Doubled consonants: "running" -> "run" (verbs), "bigger" -> "big" (adjectives).
        for suffix in {"v": ("ing", "ed"), "a": ("er", "est")}.get(pos, ()):
            stem = word[: -len(suffix)] if word.endswith(suffix) else ""
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in index and stem[:-1] not in found:
                found.append(stem[:-1])
        return found

    def is_lemma(self, word: str) -> bool:
        return any(word.lower() in self._load_index(p) for p in POS_FILES)

    def related(self, syn: Synset, symbols: set[str]) -> list[Synset]:
        return [self.synset(p, off) for sym, p, off in syn.pointers if sym in symbols]
