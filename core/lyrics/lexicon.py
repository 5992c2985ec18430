"""The English words Songloom may sing, and the images a theme brings with it.

One shipped file, ``resources/lexicon/english.json.gz`` (built by
``core/training/theme_lexicon.py`` from the CMU Pronouncing Dictionary, Princeton WordNet
3.0 and word counts of public-domain books and poems; licences beside it), holds:

- every word a generated line may contain: in the CMU dictionary and seen at least a few
  times in the corpus, with its count, sung syllables, base form, whether it is
  archaic ("thee", "hath", "lov'd", "goeth"), whether it is a name the books use
  (Oz, Marilla) and whether it is rare and unknown to WordNet ("mees"): neither of the
  last two is ever in a generated line;
- for common content words, their associates (WordNet synonyms, kinds, parts, related
  forms, gloss words, and words that keep company with them in the books), and their
  contrasts (antonyms and sister terms: "summer" for "winter"), so a theme can be steered
  toward its images and away from its opposites.

Nothing here depends on the model: a user's own GPT-2 gets the same vocabulary.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.errors import SongloomError

LEXICON_FILE = "english.json.gz"
FORMAT = "songloom-lexicon-v2"
WEIGHT_SCALE = 20  # associate weights are stored as integers, weight * 20 (0-5 -> 0-100)

# Function words: never a theme word, never a "repeated content word", never steered.
STOPWORDS = frozenset("""
a about above after again against all almost along also although am among an and another any
anyone anything are around as at away back be because been before being below beside between
both but by can could did do does doing done down during each either else enough even ever
every few for from further had has have having he her here hers herself him himself his how i
if in into is it its itself just let like may me might mine more most much must my myself near
neither never no nor not now of off on once one only onto or other our ours ourselves out over
own same shall she should so some such than that the their theirs them themselves then there
these they this those though through till to too toward towards under until up upon us very
was we were what when where whether which while who whom whose why will with within without
would yet you your yours yourself yourselves i'm i've i'll i'd you're you've you'll you'd he's
she's it's we're we've we'll they're they've they'll that's there's what's who's don't doesn't
didn't can't couldn't won't wouldn't isn't aren't wasn't weren't haven't hasn't hadn't shouldn't
let's oh o yes still just get got go goes went come came make made say said see saw know knew
""".split())

# Archaic words a modern lyric does not use (the rules in the lexicon build add -eth/-est
# verb forms and elisions such as "lov'd"); "poetic" diction allows them.
ARCHAIC = frozenset("""
thee thou thy thine thyself ye hath doth dost hast hadst shalt wilt art canst couldst wouldst
shouldst mayst mightst didst wast wert 'tis tis 'twas twas 'twere twere 'twill o'er e'er ne'er
e'en ere oft whence thence hither thither whither wherefore whereof hereto thereof betwixt twixt
'twixt amidst whilst unto anon forsooth prithee methinks mayhap perchance nay yea lo 'neath
'gainst fain eke quoth spake yon yonder o'erhead morn ev'ry heav'n pow'r o durst aught naught
nought alack erst twain verily wight sooth methought betimes withal wherein whereon whereto
hereto thereto ay aye yore thyself hast
""".split())

# Words no lyric of ours should contain, whatever a corpus of old books holds.
BLOCKED = frozenset("""
nigger niggers nigga negro negroes darkey darkie darkies coon coons wop wops chink chinks
jap japs kike kikes spic spics squaw squaws savages injun injuns faggot faggots fag fags
retard retards cunt whore whores slut sluts
""".split())


class LexiconError(SongloomError):
    """The shipped lexicon is missing or damaged."""


@dataclass(eq=False)  # identity: one table per file, used as a cache key
class Lexicon:
    """Word table and theme associations (see the module docstring)."""

    counts: dict[str, int]
    syllables: dict[str, int]
    archaic: frozenset[str]
    names: frozenset[str]  # Oz, Marilla, Holmes: words of the books, not of a lyric
    rare: frozenset[str]  # "mees", "ni": rare in the books and unknown to WordNet
    lemma: dict[str, tuple[str, ...]]  # inflected form -> base forms, likeliest first
    associates: dict[str, list[tuple[str, float]]]
    contrasts: dict[str, list[str]]
    forms: dict[str, list[str]] = field(default_factory=dict)  # base -> its inflected forms
    path: Path | None = None

    def __post_init__(self) -> None:
        if not self.forms:
            for word, bases in self.lemma.items():
                for base in bases:
                    self.forms.setdefault(base, []).append(word)

    def is_word(self, word: str, poetic: bool = False) -> bool:
        """True for a real word a line may sing in this diction."""
        w = word.lower().replace("\u2019", "'")
        if w not in self.counts or w in BLOCKED or w in self.names or w in self.rare:
            return False
        return poetic or w not in self.archaic

    def base(self, word: str) -> str:
        """The likeliest base form ("lights" -> "light", "winter's" -> "winter")."""
        return self.bases(word)[0]

    def bases(self, word: str) -> tuple[str, ...]:
        """Every base form ("leaves" -> leave, leaf), likeliest first; the word if none."""
        w = word.lower().replace("\u2019", "'")
        if w.endswith("'s") and w not in self.lemma and w[:-2] in self.counts:
            w = w[:-2]
        return self.lemma.get(w, (w,))

    def family(self, word: str) -> list[str]:
        """A word with its inflections in the table ("snow" -> snow, snows, snowed...)."""
        base = self.base(word)
        return [base, *self.forms.get(base, [])]

    def is_content(self, word: str) -> bool:
        w = word.lower().replace("\u2019", "'")
        return w not in STOPWORDS and len(w) > 1

    def words(self, poetic: bool = False) -> dict[str, int]:
        """word -> sung syllables, for every word allowed in this diction."""
        return {w: s for w, s in self.syllables.items()
                if w not in BLOCKED and w not in self.names and w not in self.rare
                and (poetic or w not in self.archaic)}

    def frequency(self, word: str) -> int:
        return self.counts.get(word.lower(), 0)


def default_lexicon_path() -> Path:
    from core.paths import resources_dir

    return resources_dir() / "lexicon" / LEXICON_FILE


def read_lexicon(path: str | Path) -> Lexicon:
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise LexiconError("the English lexicon is missing from this installation", path) from None
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LexiconError(f"the English lexicon is damaged ({exc})", path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LexiconError(f"not a Songloom lexicon (expected format {FORMAT})", path)
    try:
        words = data["words"]
        counts = dict(zip(words, data["counts"], strict=True))
        syllables = dict(zip(words, data["syllables"], strict=True))
        # The file's marks, plus the list here (so a word added to it counts at once).
        archaic = frozenset(w for w, a in zip(words, data["archaic"], strict=True) if a) \
            | (ARCHAIC & set(words))
        names = {w for w, n in zip(words, data.get("names", [0] * len(words)), strict=True) if n}
        # A name's possessive is a name too ("England's").
        names = frozenset(names | {w for w in words if w.endswith("'s") and w[:-2] in names})
        rare = frozenset(w for w, n in zip(words, data.get("rare", [0] * len(words)),
                                           strict=True) if n)
        lemma = {words[row[0]]: tuple(words[j] for j in row[1:]) for row in data["lemma"]}
        associates = {
            head: [(words[i], w / WEIGHT_SCALE) for i, w in zip(ids, weights, strict=True)]
            for head, (ids, weights) in data["associates"].items()
        }
        contrasts = {head: [words[i] for i in ids] for head, ids in data["contrasts"].items()}
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise LexiconError(f"the English lexicon is damaged ({type(exc).__name__}: {exc})", path) from None
    return Lexicon(counts, syllables, archaic, names, rare, lemma, associates, contrasts, path=path)


@lru_cache(maxsize=4)
def _load(path: str) -> Lexicon:
    return read_lexicon(path)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The shipped lexicon (read once per process)."""
    return _load(str(Path(path) if path is not None else default_lexicon_path()))
