"""The one token loop: every lyric Songloom writes, and every speed figure, comes from here.

A batch of rows continues one shared prompt through ``FastGPT2`` (our KV-cache forward
pass, decode.py). Per step and row:

1. the model's logits; their log-softmax is kept as the row's own log-probability of the
   token it draws (reranking wants the model's judgement, not the steered one);
2. ``bias``: a fixed additive vector over the vocabulary (theme words up, their opposites
   down), then transformers' repetition penalty over the tokens seen so far;
3. the model's top-k tokens, each checked by the row's ``Constraint`` (real words,
   syllables, end word: word_constraint.py), which may forbid it or add a bonus (when
   fewer than ``MIN_ALLOWED`` of them are allowed, the search goes further down the
   list); a constraint may also force a row's next token (a line's tag, "[8 snow]") or
   name the few tokens that can come (an end word's letters);
4. temperature and top-p over the allowed ones, one draw from the seeded generator.

Without a constraint the loop is plain sampling with the same warpers (free writing,
``bench lyrics``); a row ends at a line break (or end of text) then. With one, a row ends
when the constraint says its line is complete, and a row whose every candidate is
forbidden stops unfinished (the caller drops it).

A prompt can be primed once (``prime``) and continued by several calls: the end-word
scoring and every sampling round of a line share one forward pass over the prompt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

from core.errors import SongloomError
from core.jobs import NEVER_CANCELLED, CancelToken
from core.lyrics.decode import SamplingSettings, fast_model, newline_ids

# Tokens per row looked at per step before the wider search: top-k (50) plus room for the
# ones a constraint forbids.
CANDIDATES = 160
WIDE = 2048  # the wider search, for a row whose first candidates were all forbidden
# Allowed tokens are drawn from the model's top-k only (as plain top-k sampling would);
# when fewer than this many of those are allowed, the search goes on down the list.
MIN_ALLOWED = 4


class Constraint(Protocol):
    def check(self, row: int, token: int) -> float | None:
        """None: ``token`` may not come next in ``row``; else a logit bonus (0: none)."""

    def advance(self, row: int, token: int) -> bool:
        """Take ``token`` into ``row``; True when the row's text is complete."""

    def forced(self, row: int) -> int | None:
        """The token ``row`` must take next (no draw), or None."""

    def narrow(self, row: int) -> list[int] | None:
        """Optional: the only tokens ``row`` can take next (checked instead of the model's
        likeliest ones), or None."""


@dataclass
class Row:
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)  # of drawn tokens (not forced ones)
    finished: bool = False  # ended where it should (not cut off, not stuck)

    @property
    def mean_logprob(self) -> float:
        return sum(self.logprobs) / len(self.logprobs) if self.logprobs else -math.inf


@dataclass
class Prefix:
    """A prompt already run through the model: its last logits; the KV cache holds it in
    row 0 until another prompt is primed."""

    ids: list[int]
    logits: object  # (1, vocabulary) float tensor


def _fit(fast, prompt_ids: list[int], max_tokens: int) -> tuple[list[int], int]:
    ctx = fast.n_positions
    if len(prompt_ids) + max_tokens >= ctx:
        # Keep the latest context (at least half the window) and shorten the run to fit.
        keep = max(min(len(prompt_ids), ctx // 2), ctx - max_tokens - 1)
        prompt_ids = prompt_ids[-keep:]
        max_tokens = min(max_tokens, ctx - len(prompt_ids) - 1)
    return prompt_ids, max_tokens


def prime(lm, prompt_ids: list[int], reserve: int) -> Prefix:
    """Run ``prompt_ids`` once, leaving room for ``reserve`` more tokens per row."""
    import torch

    if not prompt_ids:
        raise SongloomError("nothing to continue: the prompt is empty")
    fast = fast_model(lm)
    prompt_ids, reserve = _fit(fast, prompt_ids, reserve)
    with torch.inference_mode():
        fast.reset(1, len(prompt_ids) + reserve + 1)
        logits = fast.forward(torch.tensor([prompt_ids], device=fast.device), 0).float()
    prefix = Prefix(list(prompt_ids), logits)
    fast._primed = prefix
    return prefix


def _primed(lm, prompt: list[int] | Prefix, max_tokens: int) -> tuple[Prefix, int]:
    fast = fast_model(lm)
    if isinstance(prompt, Prefix) and getattr(fast, "_primed", None) is prompt:
        room = fast.cache_capacity() - len(prompt.ids) - 1
        if room >= 1:
            return prompt, min(max_tokens, room)
    ids = prompt.ids if isinstance(prompt, Prefix) else prompt
    ids, max_tokens = _fit(fast, ids, max_tokens)
    return prime(lm, ids, max_tokens), max_tokens


def score_suffixes(lm, prefix: Prefix, suffixes: list[list[int]]) -> list[float]:
    """Total log-probability of each token sequence right after a primed prompt."""
    return [sum(lp) for lp, _best in token_logprobs(lm, prefix, suffixes)]


def token_logprobs(lm, prefix: Prefix, suffixes: list[list[int]]
                   ) -> list[tuple[list[float], list[float]]]:
    """For each token sequence right after a primed prompt, one batched pass: (the model's
    log-probability of each of its tokens, the log-probability of the model's own likeliest
    token at each place). Unsteered and unconstrained: the model's own judgement."""
    import torch

    prefix, _ = _primed(lm, prefix, max(len(s) for s in suffixes))
    fast = fast_model(lm)
    n = len(prefix.ids)
    width = max(len(s) for s in suffixes)
    if n + width > fast.cache_capacity():
        prefix = prime(lm, prefix.ids, width)
        n = len(prefix.ids)
    first = prefix.logits.log_softmax(-1)[0]
    first_best = float(first.max())
    with torch.inference_mode():
        fast.expand(len(suffixes), n)
        padded = torch.tensor([s + [lm.eos_id] * (width - len(s)) for s in suffixes])
        logp = fast.forward(padded, n, last_only=False).float().log_softmax(-1)
        best = logp.max(-1).values.tolist()
        picked = logp[:, :-1].gather(2, padded[:, 1:, None]).squeeze(2).tolist() \
            if width > 1 else [[] for _ in suffixes]
    out = []
    for b, s in enumerate(suffixes):
        lps = [float(first[s[0]])] + picked[b][: len(s) - 1]
        out.append((lps, [first_best] + best[b][: len(s) - 1]))
    return out


def _top_p(vals, settings: SamplingSettings):
    """Temperature and top-p over logits sorted best first (-inf: not allowed)."""
    vals = vals / settings.temperature
    if settings.top_p < 1.0:
        probs = vals.softmax(-1)
        remove = probs.cumsum(-1) - probs > settings.top_p  # keep the token crossing p
        vals = vals.masked_fill(remove, float("-inf"))
    return vals.softmax(-1)


def warped_distribution(logits, settings: SamplingSettings, seen=None):
    """The sampling distribution after the usual warpers, over the candidate tokens only:
    (probs, token_ids), each (batch, k). The order is transformers' (repetition penalty,
    temperature, top-k, top-p), so the same settings mean the same distribution; only the
    k best tokens are kept, so top-p and the draw cost O(k), not O(vocabulary)."""
    import torch

    logits = logits.float().clone()
    if seen is not None and settings.repetition_penalty != 1.0:
        _penalise(logits, seen, settings.repetition_penalty)
    if settings.top_k and settings.top_k < logits.shape[-1]:
        # Dividing by the temperature keeps the order, so top-k can come first.
        vals, idx = torch.topk(logits, settings.top_k, dim=-1)
    else:
        vals, idx = torch.sort(logits, descending=True, dim=-1)
    return _top_p(vals, settings), idx


def _penalise(logits, seen, penalty: float):
    """transformers' repetition penalty on the tokens in ``seen`` (batch, n), in place."""
    import torch

    picked = torch.gather(logits, 1, seen)
    logits.scatter_(1, seen, torch.where(picked < 0, picked * penalty, picked / penalty))


def sample_rows(lm, prompt: list[int] | Prefix, n: int, settings: SamplingSettings, seed: int,
                max_tokens: int, *, constraint: Constraint | None = None, bias=None,
                with_logprobs: bool = True, cancel: CancelToken = NEVER_CANCELLED,
                on_step=None, own_penalty: bool = False,
                stops: set[int] | None = None) -> list[Row]:
    """``n`` continuations of ``prompt`` (token ids, or a primed Prefix). ``bias``: a float
    tensor (vocabulary,) added to the logits before the warpers. ``on_step(step, rows)``
    is called after each token (streaming). ``own_penalty``: the repetition penalty counts
    only the tokens each row wrote, not the prompt's (transformers counts both). ``stops``:
    the tokens that end an unconstrained row (default: any line break or end of text)."""
    import torch

    settings.validate()
    fast = fast_model(lm)
    prefix, max_tokens = _primed(lm, prompt, max_tokens)
    stops = newline_ids(lm) if stops is None else stops
    m = len(prefix.ids)
    rows = [Row() for _ in range(n)]
    live = list(range(n))
    gen = torch.Generator(device=fast.device).manual_seed(int(seed) & 0x7FFFFFFF)
    k = settings.top_k if settings.top_k else 10**9
    with torch.inference_mode():
        fast.expand(n, m)
        logits = prefix.logits.expand(n, -1)
        seen = torch.empty(n, m + max_tokens, dtype=torch.long, device=fast.device)
        seen[:, :m] = torch.tensor(prefix.ids, device=fast.device)
        vocab = logits.shape[1]
        for step in range(max_tokens):
            cancel.check()
            steered = logits if bias is None else logits + bias
            # own_penalty: only the row's own tokens. The prompt holds the earlier lines, and
            # penalising their "the", "I", "and" pushed the model into broken syntax.
            lo = m if own_penalty else 0
            recent = seen[:, lo : m + step] if m + step > lo else None
            forced = {}
            if constraint is None:
                probs, idx = warped_distribution(steered, settings, recent)
            else:
                forced = {b: t for b in live if (t := constraint.forced(b)) is not None}
                steered = steered.clone()
                if recent is not None and settings.repetition_penalty != 1.0:
                    _penalise(steered, recent, settings.repetition_penalty)
                vals, idx = torch.topk(steered, min(vocab, CANDIDATES), dim=-1)
                vals, idx = _constrain(constraint, [b for b in live if b not in forced],
                                       steered, vals, idx, k, vocab, settings.temperature,
                                       settings.top_p)
                probs = _top_p(vals, settings)
            probs = probs.nan_to_num_(0.0)
            dead = probs.sum(1) <= 0
            probs[dead, 0] = 1.0  # rows with nothing allowed (or finished): ignored below
            picked = idx.gather(1, torch.multinomial(probs, 1, generator=gen)).squeeze(1)
            for b, t in forced.items():
                picked[b] = t
            logp = None
            if with_logprobs:
                logp = (logits.gather(1, picked[:, None]).squeeze(1) - logits.logsumexp(-1)).tolist()
            tokens = picked.tolist()
            dead_rows = dead.tolist()
            still = []
            for b in live:
                t = tokens[b]
                if dead_rows[b] and b not in forced:
                    continue  # nothing allowed: the row stops, unfinished
                row = rows[b]
                if logp is not None and b not in forced:
                    row.logprobs.append(logp[b])
                if constraint is not None:
                    row.tokens.append(t)
                    if constraint.advance(b, t):
                        row.finished = True
                        continue
                elif t in stops:
                    row.finished = True
                    if t != lm.eos_id:
                        row.tokens.append(t)
                    continue
                else:
                    row.tokens.append(t)
                still.append(b)
            live = still
            if on_step is not None:
                on_step(step, rows)
            if not live:
                break
            seen[:, m + step] = picked
            logits = fast.step(picked, m + step).float()
    return rows


def _constrain(constraint: Constraint, live: list[int], steered, vals, idx, k: int, vocab: int,
               temperature: float, top_p: float):
    """The first k allowed candidates of each live row (sorted, with bonuses), -inf padded."""
    import torch

    n = vals.shape[0]
    out_v = torch.full((n, min(k, vals.shape[1])), float("-inf"))
    out_i = torch.zeros(out_v.shape, dtype=torch.long)
    if not live:
        return out_v, out_i
    # Each candidate's share of its row's probability (at the sampling temperature), to
    # stop checking once what is left could not matter.
    shares = (vals / temperature - (steered / temperature).logsumexp(-1, keepdim=True)).exp()
    ids_rows, val_rows, share_rows = idx.tolist(), vals.tolist(), shares.tolist()
    narrow = getattr(constraint, "narrow", None)
    for b in live:
        only = narrow(b) if narrow is not None else None
        if only is not None:
            # Few tokens can come (an end word's letters): check those, best first.
            cand = torch.tensor(only, dtype=torch.long) if only else torch.zeros(0, dtype=torch.long)
            v = steered[b, cand]
            order = torch.argsort(v, descending=True)
            got = _allowed(constraint, b, cand[order].tolist(), v[order].tolist(), None,
                           out_v.shape[1])
        else:
            got = _allowed(constraint, b, ids_rows[b], val_rows[b], share_rows[b], out_v.shape[1],
                           top_p)
        if not got and only is None and vals.shape[1] < vocab:
            wide_v, wide_i = torch.topk(steered[b], min(WIDE, vocab))
            got = _allowed(constraint, b, wide_i.tolist(), wide_v.tolist(), None, out_v.shape[1])
        if got:
            got.sort(key=lambda x: -x[0])
            out_v[b, : len(got)] = torch.tensor([v for v, _ in got])
            out_i[b, : len(got)] = torch.tensor([t for _, t in got])
    return out_v, out_i


def _allowed(constraint: Constraint, row: int, ids: list[int], vals: list[float],
             shares: list[float] | None, k: int, top_p: float = 1.0):
    """The allowed tokens among the model's k likeliest (each with its bonus added); past
    those only until a few are found, so a row whose likeliest tokens are all forbidden
    still goes on. Stops early once top-p could not reach the tokens left unchecked (exact
    for the model's own probabilities; a constraint's bonus could have lifted one of those
    unchecked tokens, which the early stop gives up)."""
    got = []
    kept = 0.0  # probability of the allowed tokens found
    left = 1.0  # probability not yet checked
    for j, (t, v) in enumerate(zip(ids, vals, strict=True)):
        if not math.isfinite(v) or (j >= k and len(got) >= MIN_ALLOWED):
            break
        if shares is not None:
            # Top-p keeps the likeliest allowed tokens up to top_p of their total mass; once
            # the ones found hold that much even if every unchecked token were allowed,
            # no unchecked token can be drawn.
            if got and kept >= top_p * (kept + left):
                break
            left -= shares[j]
        bonus = constraint.check(row, t)
        if bonus is not None:
            got.append((v + bonus, t))
            if shares is not None:
                kept += shares[j]
    return got
