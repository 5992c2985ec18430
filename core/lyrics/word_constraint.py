"""Which token may come next: real words only, the syllable target met, the right end word.

A byte-level BPE model spells words in pieces (" glim" + "mer"), so a sampler that only
reranks whole lines will sometimes keep an invented word ("morning-poveful", "thyt"). Here
every candidate token is checked against the words the line may use before it can be
drawn: the letters since the last space must stay a prefix of an allowed word (in the
lexicon, in the chosen diction, not blocked, not a content word the line already used),
a word may only end when it is a whole allowed word, and the syllables must still fit:

- a word that is not the last leaves room for the shortest possible end word;
- the line may only break within ``slack`` syllables below its target, never above it,
  and only after an allowed end word (a rhyme word where the scheme asks for one; never
  "the" or "of").

So an invented word, an archaic word in modern diction, a line that runs long and a line
that ends off its rhyme cannot be sampled at all; the model's choice among the words
that remain is untouched. The state of a row is a small tuple, advanced per token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from core.lyrics.lexicon import Lexicon

PUNCT = frozenset(",.!?;:")
APOSTROPHES = "'\u2019"
# Words a sung line should not end on: the listener hears an unfinished phrase.
WEAK_END_WORDS = frozenset(
    "the a an of and or but nor to in on at by for from with into onto upon my thy thine "
    "your our their its as if than so is are was were be been am do does did has have had "
    "i'm i'd i'll we're you're they're it's that's".split()
)
MAX_SYLLABLE_BITS = 31

# A row's state: (partial word, syllables sung in finished words, what came last, the
# finished words). "last" is "start", "space", "punct" or "word" (inside a word).
State = tuple[str, int, str, tuple[str, ...]]
START: State = ("", 0, "start", ())


def token_pieces(text: str) -> tuple | None:
    """A token's text as pieces: ("w", letters), (" ",), ("p", mark), ("\\n",); None when
    it holds anything a lyric line may not (digits, quotes, brackets, hyphens...)."""
    pieces: list[tuple] = []
    for ch in text:
        if ch.isascii() and ch.isalpha() or ch in APOSTROPHES:
            c = "'" if ch in APOSTROPHES else ch.lower()
            if pieces and pieces[-1][0] == "w":
                pieces[-1] = ("w", pieces[-1][1] + c)
            else:
                pieces.append(("w", c))
        elif ch == " ":
            pieces.append((" ",))
        elif ch in PUNCT:
            pieces.append(("p", ch))
        elif ch == "\n":
            pieces.append(("\n",))
        else:
            return None
    return tuple(pieces) if pieces else None


class TokenTable:
    """Each token of a tokenizer, as text and as pieces (built once per tokenizer)."""

    def __init__(self, tokenizer, eos_id: int):
        vocab = tokenizer.get_vocab()
        size = max(vocab.values()) + 1
        self.text = [""] * size
        self.pieces: list[tuple | None] = [None] * size
        special = set(getattr(tokenizer, "all_special_ids", []) or [])
        for token, idx in vocab.items():
            text = tokenizer.convert_tokens_to_string([token])
            self.text[idx] = text
            if idx not in special and "\ufffd" not in text:
                self.pieces[idx] = token_pieces(text)
        self.eos_id = eos_id
        self.text[eos_id] = "\n"
        self.pieces[eos_id] = (("\n",),)
        # Lower-case text -> tokens (" Night" and " night" alike: pieces are lower case),
        # for spelling a known word's remaining letters (end_candidates).
        self.by_text: dict[str, list[int]] = {}
        for idx, text in enumerate(self.text):
            if self.pieces[idx] is not None:
                self.by_text.setdefault(text.lower().replace("\u2019", "'"), []).append(idx)
        self.endings = [idx for idx, pieces in enumerate(self.pieces)
                        if pieces and all(p[0] in ("p", "\n", " ") for p in pieces)]


def token_table(lm) -> TokenTable:
    table = getattr(lm, "_token_table", None)
    if table is None:
        table = TokenTable(lm.tokenizer, lm.eos_id)
        lm._token_table = table
    return table


class Vocabulary:
    """The words a line may use (one diction) and, per prefix, the syllable counts of the
    words it can still become, as a bit mask (bit s: some word of s syllables)."""

    def __init__(self, lexicon: Lexicon, poetic: bool = False):
        self.lexicon = lexicon
        self.poetic = poetic
        self.words: dict[str, int] = lexicon.words(poetic)
        self.prefix_bits = prefix_bits(self.words)
        # word -> its base forms when it is a content word (empty for "the", "and"...):
        # looked up for every word a candidate token completes, so computed once here.
        self.content_base: dict[str, frozenset[str]] = {
            w: (frozenset(lexicon.bases(w)) if lexicon.is_content(w) else frozenset())
            for w in self.words}


def prefix_bits(words: dict[str, int]) -> dict[str, int]:
    bits: dict[str, int] = {}
    for w, s in words.items():
        bit = 1 << min(s, MAX_SYLLABLE_BITS)
        for i in range(1, len(w) + 1):
            p = w[:i]
            bits[p] = bits.get(p, 0) | bit
    return bits


@lru_cache(maxsize=4)
def vocabulary(lexicon: Lexicon, poetic: bool) -> Vocabulary:
    return Vocabulary(lexicon, poetic)


def _upto(n: int) -> int:
    """Mask of syllable counts 0..n."""
    return (1 << (n + 1)) - 1 if n >= 0 else 0


@dataclass
class LineRules:
    """What one line must do. ``end_words``: the words it may end on (None: any allowed
    word that is not weak); ``banned``: words it may not use at all."""

    vocab: Vocabulary
    target: int
    slack: int = 1
    end_words: dict[str, int] | None = None
    banned: frozenset[str] = frozenset()
    end_bits: dict[str, int] = field(init=False)
    min_end: int = field(init=False)

    def __post_init__(self) -> None:
        if self.end_words is not None:
            self.end_words = {w: s for w, s in self.end_words.items()
                              if w in self.vocab.words and w not in self.banned}
            self.end_bits = prefix_bits(self.end_words)
            self.min_end = min(self.end_words.values(), default=self.target + 1)
        else:
            self.end_bits = self.vocab.prefix_bits
            self.min_end = 1
        self._content_base = self.vocab.content_base

    @property
    def possible(self) -> bool:
        return self.min_end <= self.target

    # -- one word --------------------------------------------------------------------
    def _finish_word(self, word: str, sung: int, words: tuple[str, ...]):
        """(syllables after the word, words) when ``word`` may stand here, else None."""
        syl = self.vocab.words.get(word)
        if syl is None or word in self.banned or (words and words[-1] == word):
            return None  # not a word here, or "the the"
        sung += syl
        if sung > self.target:
            return None
        bases = self._content_base[word]
        if bases and any(bases & self._content_base.get(w, frozenset()) for w in words):
            return None  # one content word once per line ("snow ... snows", "old ... older")
        if words and any(words[i] == words[-1] and words[i + 1] == word for i in range(len(words) - 1)):
            return None  # a word pair said twice ("I am I am")
        return sung, (*words, word)

    def can_end(self, sung: int, words: tuple[str, ...]) -> bool:
        """Whether the line may break here."""
        if not words or sung < self.target - self.slack or sung > self.target:
            return False
        last = words[-1]
        if self.end_words is not None:
            return last in self.end_words
        return last not in WEAK_END_WORDS

    def _prefix_ok(self, partial: str, sung: int) -> bool:
        remaining = self.target - sung
        if self.vocab.prefix_bits.get(partial, 0) & _upto(remaining - self.min_end):
            return True  # a word that leaves room for the end word
        low = max(0, remaining - self.slack)
        return bool(self.end_bits.get(partial, 0) & (_upto(remaining) & ~_upto(low - 1)))

    # -- one token -------------------------------------------------------------------
    def advance(self, state: State, pieces: tuple) -> tuple[State, bool] | None:
        """(next state, line ended) after a token's pieces, or None if it may not come."""
        partial, sung, last, words = state
        for piece in pieces:
            kind = piece[0]
            if kind == "w":
                if last == "punct":
                    return None  # "night,and": a word right after a mark needs a space
                partial += piece[1]
                last = "word"
                continue
            if partial:
                done = self._finish_word(partial, sung, words)
                if done is None:
                    return None
                sung, words = done
                partial = ""
            if kind == " ":
                if last == "space" or (last != "start" and self.target - sung < self.min_end):
                    return None  # no room left for another word
                if last == "start" and words:
                    return None
                last = "space"
            elif kind == "p":
                if last in ("start", "space", "punct"):
                    return None
                last = "punct"
            else:  # line break
                return ((partial, sung, "end", words), True) if self.can_end(sung, words) else None
        if partial and not self._prefix_ok(partial, sung):
            return None
        return (partial, sung, last, words), False

    def end_only(self, state: State) -> bool:
        """True when only an end word (or the line's end) can come: no other word fits the
        syllables left. Sampling then looks at the end words' own tokens instead of
        scanning the model's likeliest thousands for the few that spell them."""
        partial, sung, last, _words = state
        if self.end_words is None:
            return False
        room = _upto(self.target - sung - self.min_end)
        if partial:
            return not self.vocab.prefix_bits.get(partial, 0) & room
        return not room

    def end_candidates(self, state: State, table: TokenTable) -> list[int]:
        """Every token that can spell (part of) an end word from ``state``, or end the
        line: a superset of what ``advance`` allows there."""
        partial, sung, last, _words = state
        out: set[int] = set()
        remaining = self.target - sung
        marks = ("", ",", ".", "!", "?", ";", ":", "\n", ",\n", ".\n", "!\n", "?\n")
        for word, syl in (self.end_words or {}).items():
            if syl > remaining or not word.startswith(partial):
                continue
            rest = word[len(partial):]
            spellings = [rest] if partial else [" " + word]
            if not partial and last == "start":
                spellings.append(word)
            for spelled in spellings:
                for i in range(1, len(spelled) + 1):
                    out.update(table.by_text.get(spelled[:i], ()))
                for mark in marks[1:]:
                    out.update(table.by_text.get(spelled + mark, ()))
        if partial or last in ("word", "punct"):
            out.update(table.endings)  # marks and line breaks after a finished word
        return sorted(out)

    def text_state(self, table: TokenTable, token_ids: list[int]) -> State | None:
        """The state after ``token_ids`` (a line begun elsewhere), or None if invalid."""
        state = START
        for t in token_ids:
            pieces = table.pieces[t]
            if pieces is None:
                return None
            step = self.advance(state, pieces)
            if step is None or step[1]:
                return None
            state = step[0]
        return state
