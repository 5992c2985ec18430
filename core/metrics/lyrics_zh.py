"""Scores of Chinese lyrics (pure functions).

- BLEU and chrF by sacrebleu with its Chinese tokenizer (``tokenize='zh'``: each Chinese
  character is a token), so the numbers are what ``sacrebleu -tok zh`` reports. chrF works
  on characters whatever the tokenizer; it is computed over the same segments.
- Line-length fit: the share of lines with exactly the target number of Chinese characters
  (one character is one sung note, so "close" is a wrong fit).
- Rhyme adherence: over each rhyme set (lines with the same letter), the share of its lines
  after the first whose last character's 中华新韵 group is the set's group (the first
  rhyming line's).
- Tone fit: the share of firm 平/仄 positions of a pattern that the lines honour.
- Originality: per line, the longest run shared with the corpus when over 5 characters
  (0 otherwise), from the shipped index; a line copied whole is a failure, counted.
"""

from __future__ import annotations

from core.lyrics.zh.rhyme import is_han, is_level, rhyme_group
from core.metrics.text import bleu, chrf

NAN = float("nan")


def han_count(text: str) -> int:
    return sum(1 for c in text if is_han(c))


def bleu_zh(lines: list[str], refs: list[str]) -> float:
    return bleu(lines, refs, tokenize="zh", joiner="")


def chrf_zh(lines: list[str], refs: list[str]) -> float:
    return chrf(lines, refs, joiner="")


def length_fit(lines: list[str], targets: list[int]) -> float:
    """Share of lines whose Chinese-character count equals the target."""
    if not lines:
        return NAN
    pairs = list(zip(lines, targets, strict=False))
    return sum(han_count(x) == t for x, t in pairs) / len(lines)


def _last_group(text: str) -> int | None:
    han = [c for c in text if is_han(c)]
    return rhyme_group(han[-1]) if han else None


def rhyme_checks(lines: list[str], marks: str | list[str]) -> list[bool]:
    """One verdict per rhyming line after the first of its set: does it rhyme with the set?"""
    first: dict[str, int | None] = {}
    out = []
    for text, mark in zip(lines, marks, strict=False):
        if mark == "-":
            continue
        g = _last_group(text)
        if mark not in first:
            first[mark] = g
            continue
        out.append(g is not None and g == first[mark])
    return out


def rhyme_adherence(lines: list[str], marks: str | list[str]) -> float:
    checks = rhyme_checks(lines, marks)
    return sum(checks) / len(checks) if checks else NAN


def tone_fit(lines: list[str], tones: list[str | None]) -> float:
    """Share of the pattern's firm positions (P or Z) whose character has that tone class."""
    hits = total = 0
    for text, mask in zip(lines, tones, strict=False):
        if not mask:
            continue
        han = [c for c in text if is_han(c)]
        for c, want in zip(han, mask, strict=False):
            level = is_level(c)
            if want in "PZ" and level is not None:
                total += 1
                hits += level == (want == "P")
    return hits / total if total else NAN


def copied_runs(lines: list[str], index) -> list[int]:
    """Per line: the longest run shared with the corpus if over 5 characters, else 0.
    Each line is checked on its own and joined to the line before (a run may span them)."""
    return [_tail_run(lines[i - 1] if i else "", text, index) for i, text in enumerate(lines)]


def _tail_run(prev: str, text: str, index) -> int:
    """Longest shared run (over 5) among those that end inside ``text``."""
    prev = prev[-5:]
    hits = index.shared_windows(prev + text)
    start = max(0, len(prev) - 5)  # windows that end inside ``text``
    best = run = 0
    for i, hit in enumerate(hits):
        run = run + 1 if hit else 0
        if i >= start:
            best = max(best, run)
    return best + 5 if best else 0


def copied_whole_lines(lines: list[str], runs: list[int], index) -> int:
    """Lines that are a corpus line, or lie inside a shared run: a copy, reported."""
    n = 0
    for text, run in zip(lines, runs, strict=True):
        han = "".join(c for c in text if is_han(c))
        n += bool((run and run >= len(han)) or index.is_corpus_line(han))
    return n


def zh_scores(lines: list[str], targets: list[int], marks: str | list[str],
              tones: list[str | None] | None = None, index=None,
              refs: list[str] | None = None) -> dict:
    out = {"lines": len(lines), "length_fit": length_fit(lines, targets),
           "rhyme_adherence": rhyme_adherence(lines, marks)}
    if tones is not None:
        out["tone_fit"] = tone_fit(lines, tones)
    if index is not None:
        runs = copied_runs(lines, index)
        out["copied_runs"] = runs
        out["lines_with_run_over_5"] = sum(r > 0 for r in runs)
        out["copied_whole_lines"] = copied_whole_lines(lines, runs, index)
    if refs:
        out["bleu"] = bleu_zh(lines, refs)
        out["chrf"] = chrf_zh(lines, refs)
    return out
