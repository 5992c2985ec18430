"""Sampling a lyric line toward its syllable target and rhyme, token by token.

Plain sampling followed by reranking wastes most candidates on lines that run long, stop
short, or end on a word that does not rhyme; the last-resort repair then has to cut one
and glue a rhyme word on. Here the same sampler (same warpers, same seeds, our KV-cache
forward pass) adds a bias to the raw logits of each row before it draws:

- in the last positions (where a word of the remaining syllable count would end the line
  on target) the first tokens of words that rhyme with the partner line are raised;
- once the line is at its target (within one) and ends on a rhyme, the line break is
  raised, so the model stops there instead of running on;
- a line break well short of the target, or right after a word no line should end on
  ("the", "of"; a word with no rhymes when a later line must rhyme with this one), is lowered.

The model still writes every word; the bias only moves probability among the tokens it
already ranks. Log-probabilities reported for reranking are the model's own (unbiased).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.jobs import NEVER_CANCELLED, CancelToken
from core.lyrics.decode import SamplingSettings, apply_sampling, fast_model, newline_ids
from core.lyrics.rhyme import last_word, rhymes
from core.lyrics.syllables import count_syllables, word_syllables

# Logit offsets (the logits are natural-log odds: +3 is about 20x more likely).
RHYME_BOOST = 3.0  # first token of a rhyme word whose syllables end the line on target
RHYME_NEAR_BOOST = 1.5  # ... one syllable off the target
STOP_BOOST = 4.0  # line break once the line fits and rhymes
EARLY_STOP_PENALTY = 3.0  # line break two or more syllables short of the target


@dataclass
class LineGoal:
    target: int
    partner: str | None = None
    rhyme_words: list[str] = field(default_factory=list)
    # Whether a word may end the line (not "the"; rhymable when a later line needs it).
    end_ok: Callable[[str], bool] | None = None
    # Tagged prompts that end in "[8": the model writes " word] body"; the body (what
    # is counted and steered) starts after the tag's closing bracket.
    body_after_bracket: bool = False


class _Bias:
    """The bias tensors of one line goal, built once per call of ``sample_steered``."""

    def __init__(self, lm, goal: LineGoal):
        import torch

        self.goal = goal
        tok = lm.tokenizer
        first: dict[int, set[int]] = {}  # syllables -> first tokens of rhyme words that long
        for w in goal.rhyme_words if goal.partner else []:
            ids = tok(f" {w}", add_special_tokens=False)["input_ids"]
            if ids:
                first.setdefault(word_syllables(w), set()).add(ids[0])
        # Remaining syllables -> (tokens, boosts): words that end the line exactly on target
        # get the full boost, one syllable off the smaller one (a token shared by both, the full).
        self.boosts = {}
        for remaining in range(0, goal.target + 2):
            best: dict[int, float] = {}
            for n, ids in first.items():
                gain = RHYME_BOOST if n == remaining else RHYME_NEAR_BOOST if abs(n - remaining) == 1 else 0.0
                for t in ids if gain else ():
                    best[t] = max(best.get(t, 0.0), gain)
            if best:
                keys = sorted(best)
                self.boosts[remaining] = (torch.tensor(keys, dtype=torch.long),
                                          torch.tensor([best[t] for t in keys]))
        self.stop = torch.tensor(sorted(newline_ids(lm)), dtype=torch.long)

    def apply(self, logits, b: int, body: str | None) -> None:
        """Add this row's bias to ``logits[b]`` in place; ``body`` is the line so far
        (None: still inside the tag)."""
        goal = self.goal
        row = logits[b]
        if body is None:
            return
        sung = count_syllables(body)
        remaining = goal.target - sung
        boost = self.boosts.get(remaining)
        if boost is not None:
            row[boost[0]] += boost[1]
        if remaining >= 2:
            row[self.stop] -= EARLY_STOP_PENALTY
        elif remaining >= -1 and body.strip():
            end = last_word(body)
            if goal.end_ok is not None and not goal.end_ok(end):
                row[self.stop] -= EARLY_STOP_PENALTY  # "... of the": let it finish the phrase
            elif goal.partner is None or rhymes(body, goal.partner):
                row[self.stop] += STOP_BOOST


def _body(text: str, goal: LineGoal) -> str | None:
    if not goal.body_after_bracket:
        return text
    return text.split("]", 1)[1] if "]" in text else None


def sample_steered(lm, prompt: str, n: int, settings: SamplingSettings, seed: int, goal: LineGoal,
                   max_tokens: int = 40, cancel: CancelToken = NEVER_CANCELLED) -> list[tuple[str, float]]:
    """``n`` candidate lines continuing ``prompt``, steered toward ``goal``, each with its mean
    token log-probability under the model's own distribution (as ``decode.sample_lines``)."""
    import torch

    tok = lm.tokenizer
    fast = fast_model(lm)
    settings.validate()
    prompt_ids = tok(prompt, add_special_tokens=False)["input_ids"] or [lm.eos_id]
    ctx = fast.n_positions
    if len(prompt_ids) + max_tokens >= ctx:
        keep = max(min(len(prompt_ids), ctx // 2), ctx - max_tokens - 1)
        prompt_ids = prompt_ids[-keep:]
        max_tokens = min(max_tokens, ctx - len(prompt_ids) - 1)
    stops = newline_ids(lm)
    bias = _Bias(lm, goal)
    generator = torch.Generator(device=fast.device).manual_seed(int(seed) & 0x7FFFFFFF)
    m = len(prompt_ids)
    rows: list[list[int]] = [[] for _ in range(n)]
    logps: list[list[float]] = [[] for _ in range(n)]
    finished = [False] * n
    with torch.inference_mode():
        fast.reset(1, m + max_tokens + 1)
        logits = fast.forward(torch.tensor([prompt_ids], device=fast.device), 0)
        if n > 1:
            fast.expand(n, m)
        logits = logits.expand(n, -1).float()
        seen = torch.empty(n, m + max_tokens, dtype=torch.long, device=fast.device)
        seen[:, :m] = torch.tensor(prompt_ids, device=fast.device)
        for step in range(max_tokens):
            cancel.check()
            plain = logits.log_softmax(-1)
            steered = logits.clone()
            for b in range(n):
                if not finished[b]:
                    bias.apply(steered, b, _body(tok.decode(rows[b]), goal) if rows[b] else
                               ("" if not goal.body_after_bracket else None))
            picked = apply_sampling(steered, settings, seen[:, : m + step], generator)
            picked_lp = plain.gather(1, picked[:, None]).squeeze(1).tolist()
            for b, t in enumerate(picked.tolist()):
                if finished[b]:
                    continue
                logps[b].append(picked_lp[b])
                if t in stops:
                    finished[b] = True
                    if t != lm.eos_id:
                        rows[b].append(t)
                else:
                    rows[b].append(t)
            if all(finished):
                break
            seen[:, m + step] = picked
            logits = fast.step(picked, m + step).float()
    out = []
    for b in range(n):
        text = tok.decode(rows[b]).split("\n")[0] if rows[b] else ""
        # An unfinished line ran out of tokens: give it no chance in the reranking.
        mean_lp = sum(logps[b]) / max(1, len(logps[b])) if finished[b] else -1e9
        out.append((text, mean_lp))
    return out
