"""A songwriter's theme as words to steer toward (and away from), and a language check.

"winter road" becomes the theme words themselves (winter, road: strongest), their
associates from the shipped lexicon (snow, frost, ice, highway, mile, dusty...; weaker),
and their opposites (summer, spring: a winter song should not drift into them). The
sampler raises the first token of each theme word (token_loop's ``bias``) and the line
ranking rewards a line that carries one; opposites are lowered.

A theme in another language or script gets a notice instead of silent English: the
bundled model writes English only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from core.lyrics.lexicon import STOPWORDS, Lexicon
from core.lyrics.syllables import words as split_words

THEME_WEIGHT = 3.0  # the theme's own words, on the lexicon's 0-5 associate scale
ASSOCIATE_SCALE = 0.6
MAX_THEME_WORDS = 80
MIN_ASSOCIATE_WEIGHT = 0.5

# Words that mark a theme as German, French or Spanish (none of them an English word a
# theme would use: "winter", "die" and "so" are English too, so they are not here).
_DE = {"der", "das", "und", "ich", "nicht", "ist", "mit", "ein", "eine", "einen", "mein",
       "meine", "dich", "mich", "sie", "den", "dem", "im", "auf", "wie", "zu", "du", "liebe",
       "nacht", "erste", "herz", "straße", "strasse", "lichter", "stadt", "meer", "regen"}
_FR = {"le", "la", "les", "et", "je", "est", "un", "une", "mon", "ma", "que", "qui", "dans",
       "des", "pas", "vous", "tu", "ton", "du", "amour", "nuit", "premier", "ville", "coeur"}
_ES = {"el", "los", "las", "y", "yo", "es", "una", "mi", "que", "en", "amor", "noche",
       "primer", "ciudad", "lluvia", "camino", "corazón"}
_SCRIPTS = [  # (Unicode name prefix, language the notice names)
    ("CJK", "Chinese"), ("HIRAGANA", "Japanese"), ("KATAKANA", "Japanese"),
    ("HANGUL", "Korean"), ("CYRILLIC", "Russian (or another Cyrillic-script language)"),
    ("GREEK", "Greek"), ("ARABIC", "Arabic"), ("HEBREW", "Hebrew"), ("DEVANAGARI", "Hindi"),
    ("THAI", "Thai"),
]


@dataclass
class Theme:
    text: str
    words: dict[str, float] = field(default_factory=dict)  # base word -> weight (0-5)
    contrasts: frozenset[str] = frozenset()
    core: tuple[str, ...] = ()  # the theme's own content words
    notice: str | None = None

    def __bool__(self) -> bool:
        return bool(self.words)

    def hits(self, line: str, lexicon: Lexicon) -> list[str]:
        """The theme words (or associates) a line carries, as base forms."""
        return [b for b in _bases(line, lexicon) if b in self.words]

    def contrast_hits(self, line: str, lexicon: Lexicon) -> list[str]:
        return [b for b in _bases(line, lexicon) if b in self.contrasts]


def _bases(line: str, lexicon: Lexicon) -> list[str]:
    """Each word's base forms ("winter's" -> winter; "leaves" -> leave, leaf)."""
    return [b for w in split_words(line) for b in lexicon.bases(w)]


def language_notice(text: str, lexicon: Lexicon, languages: tuple[str, ...] = ("en",)) -> str | None:
    """A sentence for the songwriter when ``text`` is not in a language the model writes."""
    if "en" not in languages or not text.strip():
        return None
    language = None
    for ch in text:
        if ch.isalpha() and not ch.isascii():
            name = unicodedata.name(ch, "")
            for prefix, lang in _SCRIPTS:
                if name.startswith(prefix):
                    language = lang
                    break
            if language:
                break
    tokens = [w.lower() for w in split_words(text)]
    if language is None:
        if not tokens:
            return None
        english = sum(w in lexicon.counts for w in tokens)
        function = sum(w in STOPWORDS for w in tokens)
        votes = {"German": sum(w in _DE for w in tokens), "French": sum(w in _FR for w in tokens),
                 "Spanish": sum(w in _ES for w in tokens)}
        votes["German"] += 2 * bool(re.search(r"[äöüß]", text.lower()))
        votes["French"] += 2 * bool(re.search(r"[éèêàçœ]", text.lower()))
        votes["Spanish"] += 2 * bool(re.search(r"[ñ¿¡]", text.lower()))
        best = max(votes, key=lambda k: votes[k])
        if votes[best] and votes[best] > function and 3 * votes[best] >= len(tokens):
            language = best
        elif english * 2 < len(tokens):
            language = "a language other than English"
    if language is None:
        return None
    return (f'The theme "{text.strip()}" looks like {language}, but this lyrics model writes '
            "English only, so the lines ignore it. Give the theme in English "
            '(for example "winter road") to steer them.')


def expand_theme(text: str, lexicon: Lexicon, languages: tuple[str, ...] = ("en",)) -> Theme:
    """The theme's words, associates and opposites (empty for free writing)."""
    text = " ".join(text.split())
    notice = language_notice(text, lexicon, languages)
    if not text or notice:
        return Theme(text=text, notice=notice)
    core: list[str] = []
    heads: list[tuple[str, float]] = []
    for w in split_words(text):
        for rank, b in enumerate(lexicon.bases(w)):
            if lexicon.is_content(b) and b in lexicon.counts and b not in core:
                core.append(b)
                # "leaves": leave (the likelier base) and leaf; the second counts half.
                heads.append((b, 1.0 if rank == 0 else 0.5))
    weights: dict[str, float] = {}
    contrasts: set[str] = set()
    for head, share in heads:
        for assoc, weight in lexicon.associates.get(head, []):
            w = weight * ASSOCIATE_SCALE * share
            if w >= MIN_ASSOCIATE_WEIGHT and lexicon.is_word(assoc):
                # An image shared by two theme words ("winter" and "road": ice) counts more.
                weights[assoc] = min(THEME_WEIGHT, weights.get(assoc, 0.0) + w)
        contrasts.update(lexicon.contrasts.get(head, []))
    for head, share in heads:
        weights[head] = THEME_WEIGHT + share
    contrasts -= set(weights)
    best = dict(sorted(weights.items(), key=lambda kv: -kv[1])[:MAX_THEME_WORDS])
    return Theme(text=text, words=best, contrasts=frozenset(contrasts), core=tuple(core))


def theme_bias(lm, theme: Theme, lexicon: Lexicon, strength: float, contrast: float):
    """A (vocabulary,) float tensor: + ``strength`` (scaled by weight) on the first token of
    each theme word and its inflections, - ``contrast`` on the opposites'. Only tokens
    that spell a whole word, or at least its first three letters, are moved: raising " s"
    would raise every word in s."""
    import torch

    from core.lyrics.word_constraint import token_table

    table = token_table(lm)
    bias = torch.zeros(len(table.text))
    tok = lm.tokenizer

    def first_tokens(word: str) -> list[int]:
        out = []
        for form in lexicon.family(word):
            whole = [t for t in table.by_text.get(f" {form}", ()) if table.text[t] == f" {form}"]
            if whole:  # one token spells it: no tokenizer call (most theme words)
                out.append(whole[0])
                continue
            ids = tok(f" {form}", add_special_tokens=False)["input_ids"]
            if ids and (len(ids) == 1 or len(table.text[ids[0]].strip()) >= 3):
                out.append(ids[0])
        return out

    for word, weight in theme.words.items():
        for t in first_tokens(word):
            bias[t] = max(float(bias[t]), strength * min(1.0, weight / THEME_WEIGHT))
    for word in theme.contrasts:
        for t in first_tokens(word):
            bias[t] = -contrast
    return bias
