"""Derive the tune patterns (词牌) from the ci themselves.

For each tune: the most common line-length sequence among its ci (lines split on
，。、？！；：), then, over the ci that follow that sequence exactly,
- rhyme sets: two lines belong to one rhyme set when their last characters fall in the same
  中华新韵 group in at least ``AGREE`` of those ci (sets are joined transitively, so a tune
  that changes rhyme, like 菩萨蛮, gets several sets A, B, C ...);
- tones: per character, 平 (``P``) or 仄 (``Z``) where at least ``TONE_AGREE`` of the ci
  agree, else ``*`` (either). Modern tones, as the rhyme groups, so old entering-tone
  characters read as whatever they are today; the check is advisory.

The result is the compact ``patterns.json`` shipped beside the Chinese model.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from core.lyrics.zh.rhyme import is_level, rhyme_group

AGREE = 0.5
TONE_AGREE = 0.75
MIN_SUPPORT = 3  # ci that follow the modal sequence; fewer is not a pattern, it's an anecdote
MIN_LINES = 4  # a shorter "pattern" is a fragment the corpus kept (a couplet, a lost tune)
NOT_TUNES = {"失调名"}  # "tune name lost": a catalogue label, not a pattern
FORMAT = "songloom-zh-patterns-v1"


def _rhyme_sets(groups: np.ndarray) -> str:
    """One letter per line naming its rhyme set ('-' for a line that need not rhyme).

    ``groups``: poems x lines of rhyme-group ids (-1 where unknown)."""
    n = groups.shape[1]
    known = groups >= 0
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            both = known[:, i] & known[:, j]
            if both.sum() == 0:
                continue
            if (groups[both, i] == groups[both, j]).mean() >= AGREE:
                parent[find(j)] = find(i)
    sizes = Counter(find(i) for i in range(n))
    letters: dict[int, str] = {}
    out = []
    for i in range(n):
        root = find(i)
        if sizes[root] < 2:
            out.append("-")
            continue
        if root not in letters:
            letters[root] = chr(ord("A") + len(letters) % 26)
        out.append(letters[root])
    return "".join(out)


def _tones(poems: list[list[str]], lengths: tuple[int, ...]) -> list[str]:
    out = []
    for li, n in enumerate(lengths):
        marks = []
        for ci in range(n):
            levels = [is_level(p[li][ci]) for p in poems]
            levels = [x for x in levels if x is not None]
            share = sum(levels) / len(levels) if levels else 0.5
            marks.append("P" if share >= TONE_AGREE else "Z" if share <= 1 - TONE_AGREE else "*")
        out.append("".join(marks))
    return out


def derive_patterns(docs) -> dict:
    """``docs``: Documents of kind ci (anything with ``title`` and ``lines``)."""
    by_tune: dict[str, list[list[str]]] = defaultdict(list)
    for d in docs:
        if d.title:
            by_tune[d.title].append(d.lines)
    patterns = {}
    for tune, poems in sorted(by_tune.items()):
        seqs = Counter(tuple(len(x) for x in p) for p in poems)
        lengths, support = seqs.most_common(1)[0]
        if support < MIN_SUPPORT or len(lengths) < MIN_LINES or len(tune) < 2 or tune in NOT_TUNES:
            continue
        matching = [p for p in poems if tuple(len(x) for x in p) == lengths]
        groups = np.array([[g if (g := rhyme_group(x[-1])) is not None else -1 for x in p]
                           for p in matching])
        patterns[tune] = {
            "lines": list(lengths),
            "rhyme": _rhyme_sets(groups),
            "tones": _tones(matching, lengths),
            "poems": len(poems),
            "support": support,
        }
    return {"format": FORMAT, "scheme": "中华新韵", "agree": AGREE, "patterns": patterns}


def save_patterns(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # one pattern per line: small, and diffs stay readable
    body = ",\n".join(f" {json.dumps(k, ensure_ascii=False)}: "
                      f"{json.dumps(v, ensure_ascii=False, separators=(',', ':'))}"
                      for k, v in data["patterns"].items())
    head = {k: v for k, v in data.items() if k != "patterns"}
    text = json.dumps(head, ensure_ascii=False)[:-1] + ', "patterns": {\n' + body + "\n}}\n"
    path.write_text(text, encoding="utf-8")
