"""One lyric line: choose its end word, sample candidates under the word constraint, rank.

For a Songloom-tagged model the line's end word is chosen first and written into the
prompt's tag (``[8 snow] ...``): the model was trained to end the line on the tag's word,
so this is how a rhyme and a theme image reach the line's strongest position. The end
word is drawn (seeded) from a pool ranked by the model's own probability of that tag, by
how close the word is to the theme and how common it is; a line a later line must rhyme
with only gets words with enough common rhymes. Any other GPT-2 gets plain line prompts;
its line must still end on a word from the pool, and the first token of a pool word that
would end the line on target gets a bonus.

Candidates come from ``token_loop.sample_rows`` with a ``LineRules`` constraint (real
words only, syllables, end word, no content word twice in a line, none used twice in the
verse already) and the theme's token bias. The best is kept: the model's mean token
log-probability, plus a bonus for carrying the theme, minus penalties for missing the
syllable target by one, for content words earlier lines used, and for the theme's opposites.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.lyrics.lexicon import Lexicon
from core.lyrics.rhyme import last_word, rhyme_suggestions, rhymes
from core.lyrics.syllables import count_syllables
from core.lyrics.syllables import words as split_words
from core.lyrics.theme import THEME_WEIGHT, Theme
from core.lyrics.word_constraint import WEAK_END_WORDS, LineRules, State, Vocabulary, token_table

EOS = "<|endoftext|>"
RHYME_MIN_COUNT = 15  # a rhyme word a listener knows (the lexicon counts 5 M words)
END_MIN_COUNT = 30  # an end word chosen for a line that others rhyme with: common
MIN_RHYMES = 4  # ...and with at least this many common rhymes
END_POOL = 24  # end words scored per line (the model scores each: 48 cost a fifth of a verse)
END_RHYME_BOOST = 2.0  # logit bonus: first token of an end word that lands on target

# Ranking (the units are the model's mean log-probability per token, in nats).
THEME_BONUS = 0.6  # the line carries a theme word or image
THEME_EXTRA = 0.15  # per further theme word (up to two)
SYLLABLE_MISS = 0.8  # one syllable short
VERSE_REPEAT = 0.5  # per content word an earlier line already used
CONTRAST_PENALTY = 1.0  # per opposite of the theme ("summer" in a winter song)
OPENING_REPEAT = 0.5  # per earlier line that opens with the same two words
END_THEME = 1.5  # end-word choice: bonus for a theme word (scaled by its weight)
END_THEME_STRONG = 8.0  # ... for the second word of each round, which leans on the theme
END_FREQ = 0.15  # end-word choice: per unit of log-frequency


@dataclass
class Candidate:
    text: str
    logprob: float
    syllables: int
    target: int
    theme_hits: list[str]
    score: float = 0.0
    problems: list[str] = field(default_factory=list)  # grammar.py's, from the re-score

    @property
    def fits(self) -> bool:
        return abs(self.syllables - self.target) <= 1


class LineConstraint:
    """token_loop's Constraint for a batch of rows writing one line: row b follows
    ``rules[b]`` after first taking the tokens ``forced[b]`` (a tag: " snow]")."""

    def __init__(self, rules: list[LineRules], table, forced: list[list[int]] | None = None):
        self.rules, self.table = rules, table
        self.states: list[State] = [("", 0, "start", ())] * len(rules)
        self.queue = [list(f) for f in forced] if forced else [[] for _ in rules]
        self.memo: dict = {}

    def forced(self, row: int) -> int | None:
        return self.queue[row][0] if self.queue[row] else None

    def narrow(self, row: int) -> list[int] | None:
        """The only tokens worth checking for ``row`` when just its end word can come."""
        rules, state = self.rules[row], self.states[row]
        if self.queue[row] or not rules.end_only(state):
            return None
        key = (id(rules), state, "narrow")
        if key not in self.memo:
            self.memo[key] = rules.end_candidates(state, self.table)
        return self.memo[key]

    def _step(self, row: int, token: int):
        rules = self.rules[row]
        key = (id(rules), self.states[row], token)
        if key not in self.memo:
            pieces = self.table.pieces[token]
            self.memo[key] = None if pieces is None else rules.advance(self.states[row], pieces)
        return self.memo[key]

    def check(self, row: int, token: int) -> float | None:
        step = self._step(row, token)
        if step is None:
            return None
        (partial, sung, _last, _words), ended = step
        rules = self.rules[row]
        if ended or not partial or rules.end_words is None:
            return 0.0
        pieces = self.table.pieces[token]
        if pieces[0][0] != " " and self.states[row][2] != "start":
            return 0.0
        # A new word that can be an end word landing exactly on the target.
        bits = rules.end_bits.get(partial, 0)
        return END_RHYME_BOOST if bits >> (rules.target - sung) & 1 else 0.0

    def advance(self, row: int, token: int) -> bool:
        if self.queue[row]:
            self.queue[row].pop(0)
            return False
        step = self._step(row, token)
        if step is None:  # cannot happen for a token check() allowed
            return True
        self.states[row] = step[0]
        return step[1]


CAPITALISED = frozenset("""god lord monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
christmas easter""".split()) - {"may", "march"}  # "may" and "march" are verbs far more often


def tidy(text: str) -> str:
    """A sampled body as a line: one space between words, capital first letter and 'I'."""
    text = " ".join(text.replace("\n", " ").split())
    if not text:
        return text
    # Tokens spell a word in any case ("throu" + "Gh", " Vision" mid-line from a poem's
    # title case): lower case, but for a sentence's first word, "I" and the days and months.
    out = []
    for i, w in enumerate(text.split(" ")):
        core = w.lower()
        bare = core.strip(",.!?;:")
        if bare == "i" or bare.startswith("i'") or bare in CAPITALISED:
            core = core[:1].upper() + core[1:]
        elif i == 0 or out[-1].endswith((".", "!", "?")):
            core = w[:1] + core[1:]
        out.append(core)
    text = " ".join(out)
    return text[0].upper() + text[1:]


def content_bases(text: str, lexicon: Lexicon) -> list[str]:
    """Every base form of every content word ("leaves": leaf and leave)."""
    return [b for w in (x.lower() for x in split_words(text)) if lexicon.is_content(w)
            for b in lexicon.bases(w)]


def rhyme_pool(partner: str, lexicon: Lexicon, vocab: Vocabulary, max_syllables: int,
               exclude: set[str]) -> dict[str, int]:
    """Common words that rhyme with the partner line's end: word -> syllables."""
    end = last_word(partner)
    pool = {}
    for w in rhyme_suggestions(partner, lexicon.counts, limit=400):
        if (lexicon.counts.get(w, 0) >= RHYME_MIN_COUNT and w in vocab.words
                and vocab.words[w] <= max_syllables and w not in exclude
                and w not in WEAK_END_WORDS and lexicon.base(w) != lexicon.base(end)):
            pool[w] = vocab.words[w]
    return pool


def rank_words(words: list[str], theme: Theme, lexicon: Lexicon) -> list[str]:
    """Theme words first (by closeness), then the rest by how common they are."""
    def key(w: str) -> float:
        closeness = theme.words.get(lexicon.base(w), 0.0) / THEME_WEIGHT
        return -(END_THEME * closeness + END_FREQ * math.log1p(lexicon.frequency(w)))

    return sorted(words, key=key)


def has_rhymes(word: str, lexicon: Lexicon, vocab: Vocabulary, avoid: set[str]) -> bool:
    """Enough common rhymes for a later line, none of them sounding like another group's end."""
    if any(rhymes(word, a) for a in avoid):
        return False
    found = [w for w in rhyme_suggestions(word, lexicon.counts, limit=60)
             if lexicon.counts.get(w, 0) >= RHYME_MIN_COUNT and w in vocab.words
             and w not in WEAK_END_WORDS]
    return len(found) >= MIN_RHYMES


def model_end_words(lm, prefix, vocab: Vocabulary, limit: int = 60) -> list[str]:
    """Whole words the model itself would put in the tag next (its own ideas)."""
    import torch

    table = token_table(lm)
    out = []
    for t in torch.topk(prefix.logits[0], min(400, prefix.logits.shape[1])).indices.tolist():
        text = table.text[t]
        w = text.strip().lower()
        if text.startswith(" ") and w.isalpha() and w in vocab.words and w not in WEAK_END_WORDS:
            out.append(w)
            if len(out) >= limit:
                break
    return out


def order_end_words(lm, prefix, pool: list[str], theme: Theme, lexicon: Lexicon,
                    temperature: float, seed: int) -> list[str]:
    """Pool words in a seeded order to try, two per round: the first of each pair is likely
    for the model, close to the theme and common; the second leans on the theme much more
    ("train" for a train-station song, which a model of old verse rarely puts at a line's
    end), so every round also tries a line that ends on the theme."""
    import torch

    from core.lyrics.token_loop import score_suffixes

    if not pool:
        return []
    tok = lm.tokenizer
    cands = [tok(f" {w}]", add_special_tokens=False)["input_ids"] for w in pool]
    model = torch.tensor(score_suffixes(lm, prefix, cands))
    closeness = torch.tensor([theme.words.get(lexicon.base(w), 0.0) / THEME_WEIGHT for w in pool])
    freq = torch.tensor([math.log1p(lexicon.frequency(w)) for w in pool])
    base = model / max(temperature, 1e-3) + END_FREQ * freq
    g = torch.Generator().manual_seed(seed & 0x7FFFFFFF)
    gumbel = -torch.log(-torch.log(torch.rand(len(pool), generator=g).clamp_min(1e-9)))
    mixed = torch.argsort(base + END_THEME * closeness + gumbel, descending=True).tolist()
    themed = [i for i in torch.argsort(base + END_THEME_STRONG * closeness + gumbel,
                                       descending=True).tolist() if closeness[i] > 0]
    order: list[int] = []
    for pair in zip(mixed, themed + mixed[len(themed):], strict=False):
        for i in pair:
            if i not in order:
                order.append(i)
    order += [i for i in mixed if i not in order]
    return [pool[i] for i in order]


def score_candidate(text: str, logprob: float, target: int, theme: Theme, lexicon: Lexicon,
                    earlier: list[str]) -> Candidate:
    syl = count_syllables(text)
    hits = theme.hits(text, lexicon)
    score = logprob - SYLLABLE_MISS * abs(syl - target)
    if hits:
        score += THEME_BONUS + THEME_EXTRA * min(2, len(set(hits)) - 1)
    used: set[str] = set()
    for line in earlier:
        used.update(content_bases(line, lexicon))
    score -= VERSE_REPEAT * sum(1 for b in set(content_bases(text, lexicon)) if b in used)
    # "Out of the..." six times over: a line that opens as earlier lines did.
    opening = " ".join(w.lower() for w in split_words(text)[:2])
    score -= OPENING_REPEAT * sum(1 for line in earlier
                                  if " ".join(w.lower() for w in split_words(line)[:2]) == opening)
    score -= CONTRAST_PENALTY * len(theme.contrast_hits(text, lexicon))
    return Candidate(text, logprob, syl, target, hits, score)
