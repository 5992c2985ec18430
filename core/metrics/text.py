"""Text metrics for lyrics: BLEU, chrF, self-BLEU, distinct-n, syllable fit, rhyme, originality.

All are pure functions over lists of lines and return ``nan`` for empty input.

- BLEU (Papineni et al., 2002) and chrF (Popovic, 2015) are computed by sacrebleu
  (Post, 2018) with its defaults, so the numbers are exactly what ``sacrebleu`` reports.
  When the text and the reference have the same number of lines, lines are segments;
  otherwise each text is one segment (lyrics drafts rarely keep their line count).
- self-BLEU (Zhu et al., 2018, Texygen): each variation scored against all the others as
  references, averaged; lower means more diverse.
- distinct-n (Li et al., 2016): distinct word n-grams divided by all word n-grams.
- syllable fit: share of lines within +-1 syllable of their target.
- rhyme adherence: share of the line pairs the scheme asks for that rhyme.
- originality: longest run of words shared with the model's training texts.
"""

from __future__ import annotations

import math
from typing import Protocol

NAN = float("nan")


def _segments(lines: list[str], ref_lines: list[str],
              joiner: str = " ") -> tuple[list[str], list[str]]:
    """Line against line when the counts match, else each side joined into one segment
    (``joiner`` "" for Chinese, whose characters are not separated by spaces)."""
    if len(lines) == len(ref_lines):
        return list(lines), list(ref_lines)
    return [joiner.join(lines)], [joiner.join(ref_lines)]


def bleu(lines: list[str], ref_lines: list[str], tokenize: str | None = None,
         joiner: str = " ") -> float:
    """Corpus BLEU (0-100) of ``lines`` against ``ref_lines``, as sacrebleu computes it
    (``tokenize``: sacrebleu's tokenizer, its default unless given; "zh" for Chinese)."""
    import sacrebleu

    if not lines or not ref_lines:
        return NAN
    hyp, ref = _segments(lines, ref_lines, joiner)
    options = {"tokenize": tokenize} if tokenize else {}
    return float(sacrebleu.corpus_bleu(hyp, [ref], **options).score)


def chrf(lines: list[str], ref_lines: list[str], joiner: str = " ") -> float:
    """Corpus chrF (0-100) of ``lines`` against ``ref_lines``, as sacrebleu computes it."""
    import sacrebleu

    if not lines or not ref_lines:
        return NAN
    hyp, ref = _segments(lines, ref_lines, joiner)
    return float(sacrebleu.corpus_chrf(hyp, [ref]).score)


def self_bleu(variations: list[list[str]]) -> float:
    """Mean BLEU of each variation (all its lines as one segment) against all the others."""
    import sacrebleu

    texts = [" ".join(v) for v in variations if v]
    if len(texts) < 2:
        return NAN
    scores = []
    for i, hyp in enumerate(texts):
        refs = [[t] for j, t in enumerate(texts) if j != i]
        scores.append(sacrebleu.corpus_bleu([hyp], refs).score)
    return float(sum(scores) / len(scores))


def distinct_n(lines: list[str], n: int) -> float:
    """Distinct word n-grams over all word n-grams in the lines (n-grams stay within a line)."""
    from core.lyrics.syllables import words

    grams = []
    for line in lines:
        toks = [w.lower() for w in words(line)]
        grams += [tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)]
    return len(set(grams)) / len(grams) if grams else NAN


def syllable_fit(lines: list[str], targets: list[int] | int, tolerance: int = 1) -> float:
    """Share of lines whose sung syllable count is within ``tolerance`` of its target."""
    from core.lyrics.syllables import count_syllables

    if not lines:
        return NAN
    if isinstance(targets, int):
        targets = [targets]
    if not targets:
        return NAN
    ok = sum(abs(count_syllables(x) - targets[i % len(targets)]) <= tolerance for i, x in enumerate(lines))
    return ok / len(lines)


def rhyme_adherence(lines: list[str], scheme: str) -> float:
    """Share of the scheme's required rhyme pairs that rhyme (nan for free verse)."""
    from core.lyrics.rhyme import required_pairs, rhymes

    pairs = required_pairs(scheme, len(lines))
    if not pairs:
        return NAN
    return sum(rhymes(lines[a], lines[b]) for a, b in pairs) / len(pairs)


class SharedRunIndex(Protocol):
    """What originality needs of a corpus index (core.lyrics.originality.OriginalityIndex)."""

    def longest_shared(self, lines: list[str]) -> int: ...


def originality(lines: list[str], index: SharedRunIndex | None) -> float:
    """Longest word sequence shared with the training texts of the model (nan: no index).
    The index is loaded by the caller (core/scoring.py): metrics read no model folders."""
    if not lines or index is None:
        return NAN
    return float(index.longest_shared(lines))


def text_metrics(
    lines: list[str],
    ref_lines: list[str] | None = None,
    syllables: list[int] | int | None = None,
    rhyme: str | None = None,
    variations: list[list[str]] | None = None,
    originality_index: SharedRunIndex | None = None,
) -> dict[str, float]:
    """Every metric that applies to what was given, by name (missing inputs give nan).
    core.scoring.lyrics_scores gives it the model's originality index."""
    from core.lyrics.syllables import count_syllables

    out = {
        "lines": float(len(lines)),
        "bleu": bleu(lines, ref_lines) if ref_lines else NAN,
        "chrf": chrf(lines, ref_lines) if ref_lines else NAN,
        "self_bleu": self_bleu(variations) if variations else NAN,
        "distinct_1": distinct_n(lines, 1),
        "distinct_2": distinct_n(lines, 2),
        "syllable_fit": syllable_fit(lines, syllables) if syllables is not None else NAN,
        "rhyme_adherence": rhyme_adherence(lines, rhyme) if rhyme else NAN,
        "originality_longest_shared_words": originality(lines, originality_index),
        "mean_syllables": (sum(count_syllables(x) for x in lines) / len(lines)) if lines else NAN,
    }
    return out


def json_safe(metrics: dict[str, float]) -> dict[str, float | None]:
    """JSON has no NaN: missing values become null."""
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in metrics.items()}
