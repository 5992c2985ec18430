"""The songwriter's workflow: write a verse, keep (lock) lines, continue, rewrite one line.

``write_verse`` writes every line that is not locked, in order, each fitting its syllable
target and the rhyme scheme against the lines around it (locked ones included), and
returns a ``Verse`` that says what happened: the lines, their syllables against the
targets, which lines missed, and notices (a theme in a language the model does not write).
``rewrite_line`` gives up to five alternatives for one line, each meeting its syllables
and rhyme. ``rhyme_words`` ranks rhymes by how common and how close to the theme they are.
Locked lines that make the scheme impossible (two that should rhyme and do not, an end
word nothing common rhymes with) are one clear LockedLinesError before any sampling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.errors import SongloomError
from core.jobs import NEVER_CANCELLED, CancelToken, ProgressFn, no_progress
from core.lyrics.decode import SamplingSettings
from core.lyrics.grammar import problems as grammar_problems
from core.lyrics.lexicon import Lexicon, load_lexicon
from core.lyrics.line_writer import (
    END_MIN_COUNT,
    END_POOL,
    EOS,
    Candidate,
    LineConstraint,
    content_bases,
    has_rhymes,
    model_end_words,
    order_end_words,
    rank_words,
    rhyme_pool,
    score_candidate,
    tidy,
)
from core.lyrics.rerank import DecodeSettings, judge
from core.lyrics.rhyme import last_word, parse_scheme, rhymes, scheme_letters
from core.lyrics.syllables import count_syllables
from core.lyrics.syllables import words as split_words
from core.lyrics.theme import Theme, expand_theme, theme_bias
from core.lyrics.token_loop import prime, sample_rows
from core.lyrics.word_constraint import WEAK_END_WORDS, LineRules, token_table, vocabulary

MAX_LINES = 64
MAX_SYLLABLES = 24  # the longest line tag the bundled model was trained with
DICTIONS = ("modern", "poetic")
ROUNDS = 3  # sampling rounds per line before settling for the best candidate so far
RESCUE_ROUNDS = 4  # rounds of twice the rows for a line none of whose candidates finished
REWRITE_ROUNDS = 6
REWRITE_CHOICES = 5
THEME_STRENGTH = 2.0  # logit bonus on a theme word's first token (weight 3 and up)
CONTRAST_STRENGTH = 2.0
MAX_USES = 2  # a content word used in this many lines already is not used again


class LyricRequestError(SongloomError):
    """A lyric request with impossible numbers."""


class LockedLinesError(LyricRequestError):
    """Locked lines that the rhyme scheme cannot be met around."""


@dataclass
class LyricRequest:
    theme: str = ""
    lines: int = 8
    syllables: int | list[int] = 8
    rhyme: str = "ABAB"
    seed: int = 0
    temperature: float = 0.9
    top_k: int = 50
    top_p: float = 0.95
    repetition_penalty: float = 1.15
    candidates: int = 0  # lines sampled per round (0: the model's decode settings)
    diction: str = "modern"  # "poetic" allows thee, thou, o'er...

    def validate(self) -> None:
        if not isinstance(self.lines, int) or not 1 <= self.lines <= MAX_LINES:
            raise LyricRequestError(f"lines {self.lines}: ask for 1 to {MAX_LINES} lines")
        targets = self.syllables if isinstance(self.syllables, list) else [self.syllables]
        if not targets:
            raise LyricRequestError("no syllable targets (the melody has no notes?)")
        for t in targets:
            if not isinstance(t, int) or not 1 <= t <= MAX_SYLLABLES:
                raise LyricRequestError(f"syllables {t}: a sung line has 1 to {MAX_SYLLABLES} syllables")
        parse_scheme(self.rhyme)
        if isinstance(self.candidates, bool) or not isinstance(self.candidates, int) \
                or not 0 <= self.candidates <= 64:
            raise LyricRequestError(f"candidates {self.candidates}: use 1 to 64 (0: the model's)")
        if self.diction not in DICTIONS:
            raise LyricRequestError(f"diction {self.diction!r}: use modern or poetic")
        self.settings().validate()
        if len(self.theme) > 200:
            raise LyricRequestError("theme: keep it under 200 characters")

    def settings(self) -> SamplingSettings:
        return SamplingSettings(self.temperature, self.top_k, self.top_p, self.repetition_penalty)

    def target(self, index: int) -> int:
        if isinstance(self.syllables, list):
            return self.syllables[index % len(self.syllables)]
        return self.syllables


@dataclass
class Verse:
    lines: list[str]
    targets: list[int]
    syllables: list[int]
    locked: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    theme_words: list[list[str]] = field(default_factory=list)

    @property
    def misses(self) -> list[int]:
        """Lines (0-based) whose syllables are not their target."""
        return [i for i, (s, t) in enumerate(zip(self.syllables, self.targets, strict=True)) if s != t]

    def miss_messages(self) -> list[str]:
        return [f"line {i + 1} has {self.syllables[i]} syllables (target {self.targets[i]})"
                for i in self.misses]


def line_seed(seed: int, index: int, round_: int = 0) -> int:
    return (int(seed) * 1_000_003 + index * 7919 + round_ * 104_729) & 0x7FFFFFFF


class _Writer:
    """Everything one request shares: lexicon, vocabulary, theme, bias, title."""

    def __init__(self, lm, request: LyricRequest, lexicon: Lexicon | None = None):
        request.validate()
        self.lm, self.request = lm, request
        self.lexicon = lexicon or load_lexicon()
        self.vocab = vocabulary(self.lexicon, request.diction == "poetic")
        languages = tuple(lm.info.get("languages", ["en"])) if isinstance(lm.info, dict) else ("en",)
        self.theme: Theme = expand_theme(request.theme, self.lexicon, languages)
        self.table = token_table(lm)
        self.bias = theme_bias(lm, self.theme, self.lexicon, THEME_STRENGTH, CONTRAST_STRENGTH) \
            if self.theme else None
        self.letters = scheme_letters(request.rhyme, request.lines)
        self.settings = request.settings()
        self.decode = DecodeSettings.from_info(lm.info if isinstance(lm.info, dict) else {})
        self._title: str | None = None

    def rows(self, first: bool) -> int:
        """Candidates per round: the request's, or the model's (fewer for the first line)."""
        if self.request.candidates:
            return self.request.candidates
        return self.decode.rows_first if first else self.decode.rows

    # -- prompt ------------------------------------------------------------------------
    def title(self) -> str:
        if self._title is None:
            if self.theme.text and not self.theme.notice:
                self._title = self.theme.text
            elif self.lm.tagged:
                # Free writing: the model names its own song (the prompt it was trained on).
                ids = self.lm.tokenizer(f"{EOS}title:", add_special_tokens=False)["input_ids"]
                rows = sample_rows(self.lm, ids, 1, self.settings, line_seed(self.request.seed, 9999),
                                   16, with_logprobs=False)
                text = "".join(self.table.text[t] for t in rows[0].tokens)
                self._title = " ".join(text.split()) or "Song"
            else:
                self._title = ""
        return self._title

    def prompt(self, previous: list[str]) -> str:
        if self.lm.tagged:
            return f"{EOS}title: {self.title()}\n" + "".join(
                f"[{min(count_syllables(x), MAX_SYLLABLES)} {last_word(x) or '-'}] {x}\n" for x in previous)
        head = f"{self.title()}\n\n" if self.title() else EOS
        return head + "".join(f"{x}\n" for x in previous)

    # -- rhyme structure ---------------------------------------------------------------
    def partner(self, lines: dict[int, str], index: int) -> str | None:
        mine = self.letters[index]
        if mine is None:
            return None
        same = [i for i in lines if i != index and self.letters[i] == mine]
        if not same:
            return None
        earlier = [i for i in same if i < index]
        return lines[max(earlier)] if earlier else lines[min(same)]

    def opens_group(self, lines: dict[int, str], index: int) -> bool:
        mine = self.letters[index]
        return mine is not None and any(
            self.letters[i] == mine and i not in lines for i in range(self.request.lines) if i != index)

    def other_group_ends(self, lines: dict[int, str], index: int) -> set[str]:
        mine = self.letters[index]
        return {last_word(t) for i, t in lines.items() if i != index and self.letters[i] != mine} - {""}

    # -- one line ----------------------------------------------------------------------
    def banned(self, lines: dict[int, str], index: int) -> frozenset[str]:
        uses: dict[str, int] = {}
        for i, text in lines.items():
            if i != index:
                for b in set(content_bases(text, self.lexicon)):
                    uses[b] = uses.get(b, 0) + 1
        out: set[str] = set()
        for b, n in uses.items():
            if n >= MAX_USES:
                out.update(self.lexicon.family(b))
        return frozenset(out)

    def end_words(self, lines: dict[int, str], index: int, prefix, seed: int,
                  banned: frozenset[str]) -> tuple[list[str], bool]:
        """(end words in the order to try, whether they are rhymes of a partner)."""
        target = self.request.target(index)
        used = {last_word(t) for i, t in lines.items() if i != index} - {""}
        longest = max(1, target - 2) if target > 3 else target
        partner = self.partner(lines, index)
        exclude = used | banned
        if partner is not None:
            pool = rhyme_pool(partner, self.lexicon, self.vocab, longest, exclude)
            words = rank_words(list(pool), self.theme, self.lexicon)[:END_POOL]
            rhyming = True
        else:
            rhyming = False
            ideas = [w for w in self.theme.words if w in self.vocab.words]
            if self.lm.tagged:
                ideas += model_end_words(self.lm, prefix, self.vocab)
            ok = []
            opens = self.opens_group(lines, index)
            avoid = self.other_group_ends(lines, index)
            for w in dict.fromkeys(ideas):
                if (w in exclude or w in WEAK_END_WORDS or self.vocab.words.get(w, 99) > longest
                        or self.lexicon.frequency(w) < END_MIN_COUNT):
                    continue
                if opens and not has_rhymes(w, self.lexicon, self.vocab, avoid):
                    continue
                ok.append(w)
            words = rank_words(ok, self.theme, self.lexicon)[:END_POOL]
        if self.lm.tagged and words:
            words = order_end_words(self.lm, prefix, words, self.theme, self.lexicon,
                                    self.request.temperature, seed)
        return words, rhyming

    def candidates(self, lines: dict[int, str], index: int, seed: int, rounds: int,
                   enough: Callable[[list[Candidate], int], bool],
                   cancel: CancelToken = NEVER_CANCELLED, rows: int = 0) -> list[Candidate]:
        """Every finished candidate for line ``index`` over up to ``rounds`` rounds."""
        req = self.request
        target = req.target(index)
        previous = [lines[i] for i in sorted(lines) if i < index]
        earlier = [t for i, t in lines.items() if i != index]
        tok = self.lm.tokenizer
        banned = self.banned(lines, index)
        max_tokens = 3 * target + 8
        prompt = self.prompt(previous) + (f"[{target}" if self.lm.tagged else "")
        ids = tok(prompt, add_special_tokens=False)["input_ids"] or [self.lm.eos_id]
        # One pass over the prompt serves the end-word choice and every round.
        prefix = prime(self.lm, ids, max_tokens + 8)
        words, rhyming = self.end_words(lines, index, prefix, line_seed(seed, index, 7), banned)
        partner = self.partner(lines, index)
        if partner is not None and not words:
            return []  # nothing common rhymes within the syllables (checked up front for locks)
        found: list[Candidate] = []
        seen: set[str] = set()
        others = {t.lower() for t in earlier}
        n = rows or self.rows(False)
        for round_ in range(rounds):
            cancel.check()
            if self.lm.tagged and words:
                # Two end words per round, half the rows each; the tag is forced, then the
                # body must end on the tag's word.
                picks = words[2 * round_ : 2 * round_ + 2] or words[:2]
                row_words = [picks[b * len(picks) // n] for b in range(n)]
                rules_for = {w: LineRules(self.vocab, target, 1, {w: self.vocab.words[w]}, banned)
                             for w in picks}
                rules = [rules_for[w] for w in row_words]
                forced = [tok(f" {w}]", add_special_tokens=False)["input_ids"] for w in row_words]
            else:
                pool = {w: self.vocab.words[w] for w in words} if rhyming else None
                if pool is None and self.opens_group(lines, index):
                    # A later line must rhyme with this one: end on a word that has rhymes
                    # ("roadsides" has no common one).
                    pool = rhymeable_words(self.lexicon, self.vocab)
                rules = [LineRules(self.vocab, target, 1, pool, banned)] * n
                forced = None
            if not any(r.possible for r in rules):
                continue
            constraint = LineConstraint(rules, self.table, forced)
            rows = sample_rows(self.lm, prefix, n, self.settings, line_seed(seed, index, round_),
                               max_tokens + 8, constraint=constraint, bias=self.bias,
                               cancel=cancel, own_penalty=True)
            texts, tags, pre = [], [], []
            for b, row in enumerate(rows):
                if not row.finished:
                    continue
                body = row.tokens[len(forced[b]):] if forced else row.tokens
                text = tidy("".join(self.table.text[t] for t in body))
                if not text or text.lower() in seen or text.lower() in others:
                    continue
                if partner is not None and not rhymes(text, partner):
                    continue
                seen.add(text.lower())
                texts.append(text)
                tags.append(forced[b] if forced else [])
                # A first score from the sampler's own log-probabilities (the model's,
                # unsteered, of the drawn tokens): only the best few are re-scored.
                pre.append(score_candidate(text, row.mean_logprob, target, self.theme,
                                           self.lexicon, earlier).score
                           - self.decode.grammar_weight * len(grammar_problems(text)))
            keep = sorted(range(len(texts)), key=lambda i: -pre[i])[: self.decode.rescore]
            texts, tags = [texts[i] for i in keep], [tags[i] for i in keep]
            # The model's own, unsteered judgement of each short-listed line, in one pass.
            for text, j in zip(texts, judge(self.lm, prefix, texts, tags, self.decode),
                               strict=True):
                c = score_candidate(text, j.fluency, target, self.theme, self.lexicon, earlier)
                # score_candidate counts the fluency once; the re-score weighs it (and the rest).
                c.score += j.score(self.decode) - j.fluency
                c.problems = j.problems
                found.append(c)
            if enough(found, round_):
                break
        return found


_rhymeable: dict[int, dict[str, int]] = {}


def rhymeable_words(lexicon: Lexicon, vocab) -> dict[str, int]:
    """Common words with enough common rhymes to open a rhyme group: word -> syllables.
    Built once per vocabulary (a few tenths of a second); only models without line tags
    need it, since a tagged model's end word is chosen before the line is written."""
    key = id(vocab)
    if key not in _rhymeable:
        _rhymeable[key] = {w: syl for w, syl in vocab.words.items()
                           if lexicon.frequency(w) >= END_MIN_COUNT and w not in WEAK_END_WORDS
                           and has_rhymes(w, lexicon, vocab, set())}
    return _rhymeable[key]


def _check_locks(w: _Writer, locked: dict[int, str]) -> None:
    req = w.request
    for i, text in locked.items():
        if not 0 <= i < req.lines:
            raise LockedLinesError(f"line {i + 1} is locked, but the verse has {req.lines} lines")
        if not split_words(text):
            raise LockedLinesError(f"line {i + 1} is locked but has no words")
    groups: dict[str, list[int]] = {}
    for i, letter in enumerate(w.letters):
        if letter is not None:
            groups.setdefault(letter, []).append(i)
    for members in groups.values():
        fixed = [i for i in members if i in locked]
        for a, b in zip(fixed, fixed[1:], strict=False):
            if not rhymes(locked[a], locked[b]):
                raise LockedLinesError(
                    f"lines {a + 1} and {b + 1} are locked and should rhyme ({req.rhyme.upper()}), "
                    f"but '{last_word(locked[a])}' and '{last_word(locked[b])}' do not: unlock one "
                    "or choose another rhyme scheme")
        if fixed and len(fixed) < len(members):
            first = fixed[0]
            for i in members:
                if i in locked:
                    continue
                target = req.target(i)
                longest = max(1, target - 2) if target > 3 else target
                if not rhyme_pool(locked[first], w.lexicon, w.vocab, longest, set()):
                    raise LockedLinesError(
                        f"line {first + 1} is locked and ends on '{last_word(locked[first])}', but no "
                        f"common word rhymes with it in {longest} syllables or fewer for line {i + 1}: "
                        "unlock it, change its last word, or choose another rhyme scheme")


def _best(found: list[Candidate]) -> Candidate | None:
    return max(found, key=lambda c: c.score) if found else None


def write_verse(lm, request: LyricRequest, locked: dict[int, str] | None = None,
                progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                on_line: Callable[[int, str], None] | None = None,
                lexicon: Lexicon | None = None) -> Verse:
    """Every line of ``request`` not in ``locked`` (index -> text, kept as given)."""
    w = _Writer(lm, request, lexicon)
    locked = {int(i): " ".join(t.split()) for i, t in (locked or {}).items()}
    _check_locks(w, locked)
    progress = progress or no_progress
    cancel = cancel or NEVER_CANCELLED
    lines: dict[int, str] = dict(locked)
    notes = [w.theme.notice] if w.theme.notice else []
    todo = [i for i in range(request.lines) if i not in locked]
    done = 0
    for index in range(request.lines):
        cancel.check()
        if index in locked:
            if on_line:
                on_line(index, locked[index])  # in its place, so a stream reads in order
            continue

        def enough(found: list[Candidate], round_: int, index=index) -> bool:
            best = _best(found)
            if best is None:
                return False
            # One round is enough for an exact, problem-free line (the theme's bonus in the
            # score already prefers a themed one among the candidates).
            good = best.syllables == best.target and not best.problems
            # Line 1 settles at once: it is the line the songwriter is waiting for.
            return bool(good) or round_ >= 1 or (index == todo[0] and best.fits)

        found = w.candidates(lines, index, request.seed, ROUNDS, enough, cancel,
                             rows=w.rows(index == todo[0]))
        if not found:
            # Nothing finished in the usual rounds (a hard rhyme, an odd model): more rows
            # and rounds on other seeds before giving up on the line.
            found = w.candidates(lines, index, line_seed(request.seed, 777), RESCUE_ROUNDS,
                                 lambda f, r: bool(f), cancel, rows=2 * w.rows(False))
        best = _best(found)
        if best is None:
            lines[index] = ""
            notes.append(f"line {index + 1}: no line met its syllables and rhyme; "
                         "try another seed or scheme")
        else:
            lines[index] = best.text
        if on_line:
            on_line(index, lines[index])
        done += 1
        progress(done / max(1, len(todo)), f"line {index + 1} of {request.lines}")
    out = [lines[i] for i in range(request.lines)]
    verse = Verse(out, [request.target(i) for i in range(request.lines)],
                  [count_syllables(t) for t in out], sorted(locked), notes,
                  [w.theme.hits(t, w.lexicon) for t in out])
    return verse


def rewrite_line(lm, request: LyricRequest, lines: list[str], index: int,
                 n: int = REWRITE_CHOICES, cancel: CancelToken | None = None,
                 lexicon: Lexicon | None = None) -> list[str]:
    """Up to ``n`` new versions of line ``index`` that fit the others (syllables, rhyme)."""
    if not 0 <= index < len(lines):
        raise LyricRequestError(f"line {index + 1}: the lyrics have {len(lines)} lines")
    if request.lines != len(lines):
        request = LyricRequest(**{**request.__dict__, "lines": len(lines)})
    w = _Writer(lm, request, lexicon)
    known = {i: " ".join(t.split()) for i, t in enumerate(lines) if i != index and t.strip()}
    _check_locks(w, known)
    old = " ".join(lines[index].split()).lower()

    def enough(found: list[Candidate], round_: int) -> bool:
        good = [c for c in found if c.fits and c.text.lower() != old]
        return len({last_word(c.text) for c in good}) >= n and len(good) >= n

    # A seed stream of its own, so a rewrite never just gives the line it replaces.
    found = w.candidates(known, index, line_seed(request.seed, 4242), REWRITE_ROUNDS, enough,
                         cancel or NEVER_CANCELLED)
    found = sorted((c for c in found if c.fits and c.text.lower() != old), key=lambda c: -c.score)
    # Prefer different end words: five lines ending on "night" are one choice, not five.
    picked, ends = [], set()
    for c in found:
        if last_word(c.text) not in ends:
            picked.append(c)
            ends.add(last_word(c.text))
    for c in found:
        if len(picked) >= n:
            break
        if c not in picked:
            picked.append(c)
    return [c.text for c in picked[:n]]


def rhyme_words(word: str, theme: str = "", n: int = 20, lexicon: Lexicon | None = None) -> list[str]:
    """Common real words that rhyme with ``word``, theme-close and frequent ones first."""
    from core.lyrics.rhyme import rhyme_suggestions

    lexicon = lexicon or load_lexicon()
    th = expand_theme(theme, lexicon)
    found = [w for w in rhyme_suggestions(word, lexicon.counts, limit=400)
             if lexicon.is_word(w) and lexicon.frequency(w) >= 15]
    return rank_words(found, th, lexicon)[:n]
