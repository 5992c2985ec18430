"""Writing lyrics under constraints: syllables per line, a rhyme scheme, a theme.

How: candidate sampling and reranking, steered by the bundled model's line tags. Songloom's
own model was trained on lines written as ``[8 hill] the sun goes down upon the hill``,
so a request for "8 syllables, rhyming with *still*" becomes a prompt ending in
``[8`` (free line) or ``[8 hill]`` (the end word picked among the rhymes of *still* by the
model's own probabilities). Several candidates are sampled in one batch and the best is
kept: within the syllable target, rhyming where asked, not a repeat, most probable.
When no candidate of any round meets the constraints, the likeliest ones are cut at a
word boundary to fit the syllables and closed with the chosen rhyme word (counted as
"repaired" in the benchmark, so it is visible how often that happens).
Other GPT-2 models (e.g. a user's ``gpt2``) get plain line prompts and the same reranking.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import SongloomError
from core.jobs import NEVER_CANCELLED, CancelToken, ProgressFn, no_progress
from core.lyrics.decode import SamplingSettings, sample_lines, score_continuations
from core.lyrics.rhyme import last_word, parse_scheme, rhyme_suggestions, rhymes, scheme_letters
from core.lyrics.steering import LineGoal, sample_steered
from core.lyrics.syllables import count_syllables, words

EOS = "<|endoftext|>"
MAX_LINES = 64
MAX_SYLLABLES = 24  # the longest line tag the bundled model was trained with
ROUNDS = 3  # sampling rounds per line before settling for the best candidate so far
# Extra rounds, with twice the candidates, only for a line none of whose candidates met
# the constraints yet: cheaper for the songwriter than a repaired (glued-on) line end.
RESCUE_ROUNDS = 1


# Words a sung line should not end on: the listener hears an unfinished phrase, and a
# rhyme partner for "the" or "of" does not exist in a songwriter's vocabulary.
WEAK_END_WORDS = frozenset(
    "the a an of and or but nor to in on at by for from with into onto upon my thy thine "
    "your our their its as if than so".split()
)
# A line that opens a rhyme group should end on a word with at least this many rhymes in
# the model's vocabulary, or its partner line has nothing to rhyme with.
MIN_RHYMES = 3


class LyricRequestError(SongloomError):
    """A lyric request with impossible numbers."""


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
    candidates: int = 8  # lines sampled per round; the best one is kept

    def validate(self) -> None:
        if not isinstance(self.lines, int) or not 1 <= self.lines <= MAX_LINES:
            raise LyricRequestError(f"lines {self.lines}: ask for 1 to {MAX_LINES} lines")
        targets = self.syllables if isinstance(self.syllables, list) else [self.syllables]
        if not targets:
            raise LyricRequestError("no syllable targets (the melody has no notes?)")
        for t in targets:
            if not isinstance(t, int) or not 1 <= t <= MAX_SYLLABLES:
                raise LyricRequestError(
                    f"syllables {t}: a sung line has 1 to {MAX_SYLLABLES} syllables"
                )
        parse_scheme(self.rhyme)
        if not 1 <= self.candidates <= 64:
            raise LyricRequestError(f"candidates {self.candidates}: use 1 to 64")
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
class _Candidate:
    text: str
    logprob: float
    syllable_error: int
    rhyme_ok: bool
    repeat: bool
    weak_end: bool = False
    score: float = field(init=False)

    def __post_init__(self) -> None:
        bad = 100.0 if self.repeat or not words(self.text) else 0.0
        self.score = (self.logprob - 1.5 * self.syllable_error - (6.0 if not self.rhyme_ok else 0.0)
                      - (3.0 if self.weak_end else 0.0) - bad)

    @property
    def meets_constraints(self) -> bool:
        return self.syllable_error <= 1 and self.rhyme_ok and not self.repeat and bool(words(self.text))


def line_seed(seed: int, index: int, round_: int = 0) -> int:
    return (int(seed) * 1_000_003 + index * 7919 + round_ * 104_729) & 0x7FFFFFFF


def _tag(line: str) -> str:
    ws = words(line)
    return f"[{min(count_syllables(line), MAX_SYLLABLES)} {ws[-1].lower() if ws else '-'}]"


def _vocabulary(lm) -> dict[str, int]:
    """Word counts for rhyme candidates: the index shipped with the model, else its tokenizer."""
    vocab = getattr(lm, "_vocabulary", None)
    if vocab is None:
        from core.lyrics.originality import load_vocabulary

        vocab = load_vocabulary(Path(lm.folder))
        if not vocab:
            vocab = {}
            for token in lm.tokenizer.get_vocab():
                text = lm.tokenizer.convert_tokens_to_string([token])
                if text.startswith(" ") and text[1:].isalpha() and text[1:].islower():
                    vocab[text[1:]] = 1
        lm._vocabulary = vocab
    return vocab


def warm_up(lm) -> None:
    """Build what every request needs (pronouncing dictionary, rhyme index, line-break
    tokens) once, when the model loads, so the first line streams without that wait."""
    from core.lyrics.decode import newline_ids
    from core.lyrics.rhyme import _vocabulary_index
    from core.lyrics.rhyme import warm_up as warm_up_rhyme

    warm_up_rhyme()
    _vocabulary_index(_vocabulary(lm))
    newline_ids(lm)


def theme_text(lm, request: LyricRequest) -> str:
    """The request's theme, or (free writing) a title the model makes up for this seed."""
    if request.theme.strip():
        return " ".join(request.theme.split())
    if not lm.tagged:
        return ""
    cands = sample_lines(lm, f"{EOS}title:", 1, request.settings(), line_seed(request.seed, 9999), 16)
    return (cands[0][0].strip() if cands else "") or "Song"


def _prompt(lm, theme: str, previous: list[str]) -> str:
    if lm.tagged:
        return f"{EOS}title: {theme}\n" + "".join(f"{_tag(x)} {x}\n" for x in previous)
    head = f"{theme}\n\n" if theme else EOS
    return head + "".join(f"{x}\n" for x in previous)


def _partner(request: LyricRequest, lines: dict[int, str], index: int) -> str | None:
    """The line this one must rhyme with: the nearest earlier line of its group, else later."""
    letters = scheme_letters(request.rhyme, request.lines)
    mine = letters[index]
    if mine is None:
        return None
    same = [i for i in range(request.lines) if i != index and letters[i] == mine and i in lines]
    if not same:
        return None
    earlier = [i for i in same if i < index]
    return lines[max(earlier)] if earlier else lines[min(same)]


def _end_words(lm, prompt_ids: list[int], partner: str, target: int, temperature: float, seed: int) -> list[str]:
    """Words that rhyme with the partner line, ordered by the model's choice for this line."""
    import torch

    partner_word = last_word(partner)
    pool = [w for w in rhyme_suggestions(partner, _vocabulary(lm), limit=80)
            if count_syllables(w) < max(2, target)]
    if not pool:
        return []
    tok = lm.tokenizer
    cands = [tok(f" {w}]", add_special_tokens=False)["input_ids"] for w in pool]
    scores = torch.tensor(score_continuations(lm, prompt_ids, cands))
    # Sample an order (Gumbel top-k): the likeliest words lead, but the seed varies them.
    g = torch.Generator().manual_seed(seed)
    gumbel = -torch.log(-torch.log(torch.rand(len(pool), generator=g).clamp_min(1e-9)))
    order = torch.argsort(scores / max(temperature, 1e-3) + gumbel, descending=True).tolist()
    return [pool[i] for i in order if pool[i] != partner_word]


def _opens_group(request: LyricRequest, lines: dict[int, str], index: int) -> bool:
    """True when a later, unwritten line will have to rhyme with this one."""
    letters = scheme_letters(request.rhyme, request.lines)
    mine = letters[index]
    return mine is not None and any(
        letters[i] == mine and i not in lines for i in range(index + 1, request.lines))


def _end_checker(lm, must_rhyme_later: bool, used_ends: set[str]) -> Callable[[str], bool]:
    """Whether a word is a good line end: not a function word, not a word another line
    already ends on, and (for a line a later line must rhyme with) one with enough rhymes
    in the model's vocabulary that does not rhyme with the other lines' ends, so that an
    ABAB verse has two rhyme sounds, not one."""
    vocab = _vocabulary(lm)

    def ok(word: str) -> bool:
        word = word.lower()
        if not word or word in WEAK_END_WORDS or word in used_ends:
            return False
        if not must_rhyme_later:
            return True
        if any(rhymes(word, end) for end in used_ends):
            return False
        return len(rhyme_suggestions(word, vocab, limit=MIN_RHYMES)) >= MIN_RHYMES

    return ok


def _clean(text: str) -> str:
    text = text.replace("[", " ").replace("]", " ")
    return " ".join(text.split())


def write_line(lm, request: LyricRequest, lines: dict[int, str], index: int, seed: int,
               cancel: CancelToken = NEVER_CANCELLED, theme: str | None = None,
               stats: dict | None = None) -> str:
    """One line for position ``index``, given the other lines already written (by index)."""

    theme = theme_text(lm, request) if theme is None else theme
    target = request.target(index)
    previous = [lines[i] for i in sorted(lines) if i < index]
    partner = _partner(request, lines, index)
    used_ends = {last_word(t) for i, t in lines.items() if i != index} - {""}
    end_ok = _end_checker(lm, partner is None and _opens_group(request, lines, index), used_ends)
    others = {_clean(t).lower() for i, t in lines.items() if i != index}
    prompt = _prompt(lm, theme, previous)
    settings = request.settings()
    best: _Candidate | None = None
    end_words: list[str] = []
    # A line that has not ended by then is far too long for its target anyway.
    max_tokens = 2 * target + 10
    if lm.tagged and partner:
        ids = lm.tokenizer(f"{prompt}[{target}", add_special_tokens=False)["input_ids"]
        end_words = _end_words(lm, ids, partner, target, request.temperature, line_seed(seed, index, 7))
        # A word another line already ends on rhymes, but sounds like a repeat.
        end_words = [w for w in end_words if w not in used_ends] or end_words
    elif partner:
        end_words = [w for w in rhyme_suggestions(partner, _vocabulary(lm), limit=20)
                     if count_syllables(w) < max(2, target)]
    pool: list[tuple[str, float]] = []
    for round_ in range(ROUNDS + RESCUE_ROUNDS):
        cancel.check()
        rseed = line_seed(seed, index, round_)
        count = request.candidates * (2 if round_ >= ROUNDS else 1)
        if lm.tagged and end_words:
            # Two end words per round, half the candidates each.
            groups = end_words[2 * round_ : 2 * round_ + 2] or end_words[:2]
            n = max(1, count // len(groups))
            sampled = []
            for j, word in enumerate(groups):
                sampled += sample_steered(lm, f"{prompt}[{target} {word}]", n, settings, rseed + j,
                                          LineGoal(target, partner, end_words, end_ok=end_ok), max_tokens, cancel)
        elif lm.tagged:
            raw = sample_steered(lm, f"{prompt}[{target}", count, settings, rseed,
                                 LineGoal(target, partner, end_words, end_ok=end_ok,
                                          body_after_bracket=True),
                                 max_tokens + 6, cancel)
            # "[8" + " hill] the line": the body follows the tag's closing bracket (a model
            # that skipped the bracket wrote the end word first: drop it).
            sampled = [(t.split("]", 1)[1] if "]" in t else " ".join(t.split()[1:]), lp) for t, lp in raw]
        else:
            sampled = sample_steered(lm, prompt, count, settings, rseed,
                                     LineGoal(target, partner, end_words, end_ok=end_ok), max_tokens, cancel)
        for text, logprob in sampled:
            text = _clean(text)
            pool.append((text, logprob))
            cand = _Candidate(
                text=text,
                logprob=logprob if math.isfinite(logprob) else -1e9,
                syllable_error=abs(count_syllables(text) - target),
                rhyme_ok=partner is None or rhymes(text, partner),
                repeat=text.lower() in others,
                weak_end=not end_ok(last_word(text)),
            )
            if best is None or cand.score > best.score:
                best = cand
        if best is not None and best.meets_constraints and best.syllable_error == 0:
            break
        # Line 1 settles for +-1 at once: it is the line the songwriter is waiting for.
        if best is not None and best.meets_constraints and (round_ >= 1 or index == 0):
            break
    if (best is None or not best.meets_constraints) and pool:
        repaired = _repair(pool, target, partner, end_words, others)
        if repaired is not None:
            if stats is not None:
                stats["repaired"] = stats.get("repaired", 0) + 1
            return repaired.text
    return best.text if best is not None else ""


def _repair(pool: list[tuple[str, float]], target: int, partner: str | None,
            end_words: list[str], others: set[str]) -> _Candidate | None:
    """The last resort when no sampled line met the constraints: cut the likeliest
    candidates at a word boundary so the syllables fit, and end with a rhyme word."""
    word = end_words[0] if partner and end_words else None
    budget = target - (count_syllables(word) if word else 0)
    best: _Candidate | None = None
    for text, logprob in sorted(pool, key=lambda c: -c[1]):
        tokens = text.split()
        prefix: list[str] = []
        for tok in tokens:
            if count_syllables(" ".join([*prefix, tok])) > budget:
                break
            prefix.append(tok)
        body = " ".join(prefix).rstrip(",;:-")
        if word:
            body = f"{body} {word}".strip()
        if not words(body):
            continue
        cand = _Candidate(text=body, logprob=logprob if math.isfinite(logprob) else -1e9,
                          syllable_error=abs(count_syllables(body) - target),
                          rhyme_ok=partner is None or rhymes(body, partner),
                          repeat=body.lower() in others)
        if cand.meets_constraints and (best is None or cand.score > best.score):
            best = cand
    return best


def write_lyrics(lm, request: LyricRequest, progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None,
                 on_line: Callable[[int, str], None] | None = None,
                 stats: dict | None = None) -> list[str]:
    """All lines of a request, in order; ``on_line(index, text)`` streams each as it is done.

    ``stats`` (optional dict) counts lines that needed the last-resort repair ("repaired").
    """
    request.validate()
    progress = progress or no_progress
    cancel = cancel or NEVER_CANCELLED
    theme = theme_text(lm, request)
    lines: dict[int, str] = {}
    for index in range(request.lines):
        cancel.check()
        lines[index] = write_line(lm, request, lines, index, request.seed, cancel, theme, stats)
        if on_line:
            on_line(index, lines[index])
        progress((index + 1) / request.lines, f"line {index + 1} of {request.lines}")
    return [lines[i] for i in range(request.lines)]


def regenerate_line(lm, request: LyricRequest, lines: list[str], index: int, seed: int) -> str:
    """A new line ``index`` that fits the others (its rhyme partner may come after it)."""
    request.validate()
    if not 0 <= index < len(lines):
        raise LyricRequestError(f"line {index + 1}: the lyrics have {len(lines)} lines")
    if request.lines != len(lines):
        request = LyricRequest(**{**request.__dict__, "lines": len(lines)})
    theme = theme_text(lm, request)
    known = {i: t for i, t in enumerate(lines) if i != index}
    # A different seed stream from write_lyrics', so seed N never just gives the old line.
    return write_line(lm, request, known, index, line_seed(seed, 4242), NEVER_CANCELLED, theme)
