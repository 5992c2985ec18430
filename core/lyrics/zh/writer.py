"""The Chinese lyric writer: exact line lengths, rhyme by 中华新韵 group, theme, locks.

Each line is asked for with its tags (``[L7][R寒]``) and then sampled one character at a
time under hard constraints at the token level:
- only tokens that are one Chinese character, exactly ``length`` of them (the line ends
  because the writer stops, never because the model chose to);
- the last character of a rhyming line is drawn only from its rhyme set's group (a
  character already used as that set's rhyme is avoided while others remain);
- with ``enforce_tones``, 平/仄 where the pattern is firm;
- no character that would make the last six written a run of the corpus, nor one that
  would close a line of 4+ characters identical to a corpus line (the originality index):
  a famous line copied whole is a failure;
- the theme's characters and their line-mates get a logit bonus (fading once used).
``candidates`` lines are sampled side by side and the one the model finds most likely
(mean log-probability, without the theme bonus) is kept. Same request, same seed: same lines.
"""

from __future__ import annotations

import inspect
import time
import zlib
from dataclasses import dataclass, field

import numpy as np

from core.errors import SongloomError
from core.lyrics.zh.model import ZhModel
from core.lyrics.zh.patterns import LinePlan
from core.lyrics.zh.rhyme import GROUP_NAMES, is_han

KINDS = {"ci": "[词]", "shi": "[诗]", "qu": "[曲]"}
MAX_TITLE = 8


@dataclass
class ZhRequest:
    plans: tuple[LinePlan, ...]
    title: str = ""          # the header: the tune name for ci, the theme for shi
    kind: str = "ci"
    theme: str = ""
    seed: int = 0
    temperature: float = 0.85
    top_k: int = 40
    top_p: float = 0.92
    candidates: int = 4
    theme_strength: float = 1.5
    enforce_tones: bool = False
    avoid_copies: bool = True
    locked: dict[int, str] = field(default_factory=dict)

    def validate(self) -> None:
        if not self.plans:
            raise SongloomError("no lines to write", None)
        if not 0.05 <= self.temperature <= 3:
            raise SongloomError(f"temperature {self.temperature}: use 0.05 to 3", None)
        if not 1 <= self.candidates <= 16:
            raise SongloomError(f"candidates {self.candidates}: use 1 to 16", None)
        if self.kind not in KINDS:
            raise SongloomError(f"kind {self.kind!r}: use one of {', '.join(KINDS)}", None)
        for i in self.locked:
            if not 0 <= i < len(self.plans):
                raise SongloomError(f"locked line {i + 1}: there are {len(self.plans)} lines", None)


@dataclass
class ZhLine:
    text: str
    target: int
    rhyme: str            # the plan's rhyme-set letter or "-"
    group: str            # 中华新韵 group of the last character ("" if none)
    locked: bool = False
    seconds: float = 0.0

    @property
    def length(self) -> int:
        return sum(1 for c in self.text if is_han(c))


@dataclass
class ZhLyrics:
    lines: list[ZhLine]
    set_groups: dict[str, str]   # rhyme-set letter -> group name
    title: str = ""

    def text(self) -> str:
        """The lines with punctuation: 。 after a rhyming line and the last one, else ，."""
        out = []
        for i, line in enumerate(self.lines):
            end = "。" if line.rhyme != "-" or i == len(self.lines) - 1 else "，"
            out.append(line.text + end)
        return "".join(out)


def _cache_of(out):
    cache = getattr(out, "cache", None)
    return cache if cache is not None else out.past_key_values


def _seed(*parts) -> int:
    return zlib.crc32(repr(parts).encode("utf-8")) & 0x7FFFFFFF


def choose_groups(zm: ZhModel, req: ZhRequest, lines: dict[int, str]) -> dict[str, int]:
    """Rhyme group per set: from a locked line of the set if there is one, else drawn
    (seeded) by how often each group closes rhyming lines in the ci, distinct sets distinct."""
    groups: dict[str, int] = {}
    for i, text in sorted(lines.items()):
        mark = req.plans[i].rhyme
        han = [c for c in text if is_han(c)]
        if mark != "-" and mark not in groups and han:
            g = zm.group_of(han[-1])
            if g is not None:
                groups[mark] = g
    weights = np.array([zm.patterns.group_weights.get(n, 1.0) for n in GROUP_NAMES]) + 1e-3
    rng = np.random.default_rng(_seed("groups", req.seed))
    for mark in sorted({p.rhyme for p in req.plans if p.rhymes}):
        if mark in groups:
            continue
        w = weights.copy()
        for used in groups.values():
            w[used] = 0.0
        groups[mark] = int(rng.choice(len(w), p=w / w.sum()))
    return groups


class _Writer:
    def __init__(self, zm: ZhModel, req: ZhRequest):
        import torch

        self.zm, self.req, self.torch = zm, req, torch
        self.han = torch.from_numpy(zm.han)
        self.groups = torch.from_numpy(zm.groups.astype(np.int64))
        self.levels = torch.from_numpy(zm.levels.astype(np.int64))
        self.header = [zm.tag("[BOS]"), zm.tag(KINDS[req.kind]),
                       *zm.char_ids(req.title[:MAX_TITLE]), zm.tag("[SEP]")]
        self.theme = self._theme_bias()
        # transformers 5 renamed the cache argument; older versions take past_key_values
        params = inspect.signature(zm.model.forward).parameters
        self.cache_arg = "cache" if "cache" in params else "past_key_values"
        # the prompt's logits are needed at its last position only (the head is the widest
        # matrix of this model: 6,876 characters)
        self.keep_last = {"logits_to_keep": 1} if "logits_to_keep" in params else {}

    def _theme_bias(self):
        zm, torch = self.zm, self.torch
        bias = torch.zeros(len(zm.vocab))
        chars = [zm.ids[c] for c in dict.fromkeys(self.req.theme) if is_han(c) and c in zm.ids]
        for i in chars:
            for j in zm.neighbours[i] if zm.neighbours.shape[1] else []:
                if j >= 0:
                    bias[int(j)] = max(float(bias[int(j)]), 0.5 * self.req.theme_strength)
        for i in chars:
            bias[i] = self.req.theme_strength
        return bias

    def _context(self, lines: list[tuple[LinePlan, str]], room: int) -> list[int]:
        zm = self.zm
        body: list[list[int]] = []
        for plan, text in lines:
            han = [c for c in text if is_han(c)]
            g = zm.group_of(han[-1]) if han and plan.rhymes else None
            body.append([zm.length_tag(max(1, min(20, len(text)))), zm.rhyme_tag(g),
                         *zm.char_ids(text)])
        while body and len(self.header) + sum(map(len, body)) > room:
            body.pop(0)  # the oldest lines leave the window first; the header stays
        return self.header + [t for b in body for t in b]

    def line(self, index: int, before: list[tuple[LinePlan, str]], group: int | None,
             used_rhymes: set[int], variation: int) -> str:
        torch, zm, req = self.torch, self.zm, self.req
        plan = req.plans[index]
        n, c = plan.length, req.candidates
        prefix = self._context(before, zm.context - n - 2)
        prefix += [zm.length_tag(min(n, 20)), zm.rhyme_tag(group)]
        poem = "".join(t for _, t in before)
        gen = torch.Generator().manual_seed(_seed(req.seed, index, variation))
        ids = torch.tensor([prefix] * c)
        out = zm.model(input_ids=ids, use_cache=True, **self.keep_last)
        past, logits = _cache_of(out), out.logits[:, -1, :].float()
        bias = self.theme.clone()
        for ch in poem:  # characters already in the poem: the theme bonus fades, and a
            tid = zm.ids.get(ch)  # mild penalty keeps one image from filling every line
            if tid is not None:
                if bias[tid] > 0:
                    bias[tid] *= 0.3
                bias[tid] -= 0.6
        bias = bias.repeat(c, 1)
        texts = [""] * c
        score = torch.zeros(c)
        for pos in range(n):
            # hard: Chinese characters, the rhyme group; then, where some remain, the tone
            # and a rhyme character not used yet in this set
            allowed = self.han.clone()
            rhyme_here = pos == n - 1 and group is not None
            if rhyme_here:
                allowed &= self.groups == group
            if req.enforce_tones and plan.tones and plan.tones[pos] in "PZ":
                want = 1 if plan.tones[pos] == "P" else 0
                toned = allowed & ((self.levels == want) | (self.levels < 0))
                allowed = toned if toned.any() else allowed
            if rhyme_here and used_rhymes:
                fresh = allowed.clone()
                fresh[list(used_rhymes)] = False
                allowed = fresh if fresh.any() else allowed
            raw = torch.log_softmax(logits, dim=-1)
            adj = raw / req.temperature + bias
            adj[:, ~allowed] = float("-inf")
            for r in range(c):
                # within a line a character comes back only as a doublet (声声, 袅袅)
                doublet = texts[r][-1:] if texts[r][-2:-1] != texts[r][-1:] else ""
                for ch in set(texts[r]):
                    tid = zm.ids.get(ch)
                    if tid is not None:
                        adj[r, tid] -= 0.5 if ch == doublet else 3.0
                # never a third in a row: a rhyme position or a strong habit (断肠) can outweigh
                # the penalty and write 肠肠肠
                tail = texts[r][-2:]
                tid = zm.ids.get(tail[-1:]) if len(tail) == 2 and tail[0] == tail[1] else None
                if tid is not None and int(torch.isfinite(adj[r]).sum()) > 1:
                    adj[r, tid] = float("-inf")
            picks = self._sample(adj, gen, [poem + t for t in texts],
                                 texts if pos == n - 1 else None)
            for r, tid in enumerate(picks):
                ch = zm.vocab[tid]
                texts[r] += ch
                score[r] += raw[r, tid]
                if bias[r, tid] > 0:
                    bias[r, tid] *= 0.3
            if pos < n - 1:
                out = zm.model(input_ids=torch.tensor(picks)[:, None], use_cache=True,
                               **{self.cache_arg: past})
                past, logits = _cache_of(out), out.logits[:, -1, :].float()
        earlier = {t for _, t in before}
        score = torch.where(torch.tensor([t in earlier for t in texts]), score - 1e6, score)
        return texts[int(torch.argmax(score))]

    def _sample(self, adj, gen, written: list[str], closing: list[str] | None) -> list[int]:
        """One token per row; ``closing``: the lines so far when this token ends them."""
        torch, req, zm = self.torch, self.req, self.zm
        picks = []
        for r in range(adj.shape[0]):
            row = adj[r].clone()
            for _ in range(12):
                k = min(req.top_k, int(torch.isfinite(row).sum()))
                vals, idx = torch.topk(row, max(1, k))
                probs = torch.softmax(vals, dim=-1)
                keep = torch.cumsum(probs, 0) - probs < req.top_p
                probs = torch.where(keep, probs, torch.zeros_like(probs))
                tid = int(idx[int(torch.multinomial(probs / probs.sum(), 1, generator=gen))])
                ch = zm.vocab[tid]
                copy = req.avoid_copies and (
                    zm.index.extends_copy(written[r], [ch])[0]
                    or (closing is not None and zm.index.is_corpus_line(closing[r] + ch)))
                if not copy:
                    break
                row[tid] = float("-inf")  # would continue a run of the corpus: another one
                if not torch.isfinite(row).any():
                    break
            picks.append(tid)
        return picks


def write_zh(zm: ZhModel, req: ZhRequest, on_line=None, only: set[int] | None = None,
             variation: int = 0) -> ZhLyrics:
    """Write every line not locked (or only the lines in ``only``), in order, calling
    ``on_line(index, ZhLine)`` as each is done."""
    import torch

    req.validate()
    locked = {i: t for i, t in req.locked.items() if only is None or i not in only}
    set_groups = choose_groups(zm, req, locked)
    writer = _Writer(zm, req)
    done: list[tuple[LinePlan, str]] = []
    lines: list[ZhLine] = []
    with torch.inference_mode():
        for i, plan in enumerate(req.plans):
            started = time.perf_counter()
            group = set_groups.get(plan.rhyme) if plan.rhymes else None
            if i in locked:
                text, is_locked = locked[i], True
            else:
                used = {zm.ids[t[-1]] for p, t in done if p.rhyme == plan.rhyme and p.rhymes
                        and t and t[-1] in zm.ids}
                text, is_locked = writer.line(i, done, group, used, variation), False
            last = [c for c in text if is_han(c)]
            got = zm.group_of(last[-1]) if last else None
            line = ZhLine(text, plan.length, plan.rhyme, "" if got is None else GROUP_NAMES[got],
                          is_locked, time.perf_counter() - started)
            lines.append(line)
            done.append((plan, text))
            if on_line is not None:
                on_line(i, line)
    return ZhLyrics(lines, {m: GROUP_NAMES[g] for m, g in set_groups.items()}, req.title)


def regenerate_line(zm: ZhModel, req: ZhRequest, lines: list[str], index: int,
                    variation: int = 1) -> ZhLyrics:
    """A new version of line ``index``; every other line stays as it is (and keeps its
    rhyme set's group, so the new line rhymes with them)."""
    if not 0 <= index < len(lines):
        raise SongloomError(f"line {index + 1}: there are {len(lines)} lines", None)
    keep = {i: t for i, t in enumerate(lines) if i != index}
    keep.update({i: t for i, t in req.locked.items() if i != index})
    req2 = ZhRequest(**{**req.__dict__, "locked": keep})
    return write_zh(zm, req2, only={index}, variation=variation)
