"""Choosing one line among the K candidates sampled for it.

The sampler writes every candidate under constraints (syllables, the end word, real words,
the theme's bias), so its own token probabilities are not the model's judgement of the
line. Each finished candidate is therefore scored again, all K in one batched pass, as
plain text after the previous lines (token_loop.token_logprobs), with nothing steered:

- fluency: the mean log-probability of the line's tokens and of the line break after it
  (the model thinks the line can end there);
- the end word: the log-probability of the tag's word (a tagged model writes "[8 snow]"
  before the line), so an end word the model finds unlikely after these lines (a rare rhyme
  forced in) costs the line;
- forcing: per token, how far below the model's own favourite the chosen token was,
  beyond a margin, averaged over the line (a constraint that pushed the model off its path
  leaves a trail of such tokens);
- grammar: grammar.py's problems, each a fixed cost, and a light cost for a line with no
  verb at all.

Re-scoring costs a forward pass over every token of every line, so only the ``rescore``
best candidates by a first score (the sampler's own log-probabilities of the drawn tokens,
which are the model's unsteered ones, with the grammar and theme terms) are re-scored.

The weights and K live in the model folder's ``songloom.json`` under ``"decode"`` (the
bundled model states every one; a folder without them, such as a user's own GPT-2, gets the
defaults of ``DecodeSettings``). The theme, syllable and repetition terms of the line's
score stay in line_writer.score_candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from core.errors import SongloomError
from core.lyrics.grammar import Checker, default_checker

SECTION = "decode"


class DecodeSettingsError(SongloomError):
    """A model folder's decode settings that are not usable numbers."""


@dataclass(frozen=True)
class DecodeSettings:
    rows_first: int = 8  # candidates for a verse's first line (the line the user waits for)
    rows: int = 10  # candidates per round for every other line
    rescore: int = 6  # the best this many by the sampler's own scores are re-scored
    fluency_weight: float = 1.0  # per nat of mean token log-probability
    end_word_weight: float = 0.15  # per nat of the end word's log-probability
    forced_margin: float = 2.5  # nats below the model's favourite that are still its choice
    forced_weight: float = 0.5  # per nat beyond the margin, averaged over the line's tokens
    grammar_weight: float = 1.5  # per grammar problem
    fragment_weight: float = 0.4  # a line with no verb

    @classmethod
    def from_info(cls, info: dict | None) -> DecodeSettings:
        """The settings in a model's songloom.json (``lm.info``), defaults for the rest."""
        section = (info or {}).get(SECTION, {})
        if not isinstance(section, dict):
            raise DecodeSettingsError(f"songloom.json: '{SECTION}' must be an object")
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in section.items():
            if key not in known:
                raise DecodeSettingsError(f"songloom.json: unknown decode setting '{key}'")
            want = int if known[key].type in ("int", int) else float
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or (want is int and not isinstance(value, int)) or not value >= 0 \
                    or value > 1000:
                raise DecodeSettingsError(
                    f"songloom.json: decode setting '{key}' must be a number from 0 to 1000, "
                    f"not {str(value)[:40]!r}")
            values[key] = want(value)
        out = cls(**values)
        if not 1 <= out.rows_first <= 64 or not 1 <= out.rows <= 64 or not 1 <= out.rescore <= 64:
            raise DecodeSettingsError("songloom.json: decode rows and rescore must be 1 to 64")
        return out


@dataclass
class Judgement:
    """What the re-score found for one candidate line."""

    fluency: float  # mean log-probability per token (line and line break)
    end_word: float  # log-probability of the end word in the tag (0 without a tag)
    forced: float  # mean nats beyond the margin below the model's favourite token
    problems: list[str]
    fragment: bool

    def score(self, s: DecodeSettings) -> float:
        return (s.fluency_weight * self.fluency + s.end_word_weight * self.end_word
                - s.forced_weight * self.forced - s.grammar_weight * len(self.problems)
                - s.fragment_weight * self.fragment)


def judge(lm, prefix, lines: list[str], tags: list[list[int]], settings: DecodeSettings,
          checker: Checker | None = None) -> list[Judgement]:
    """Re-score ``lines`` after the primed ``prefix``; ``tags[i]``: the tokens of line i's
    tag after the prefix (" snow]"), [] for a model without tags."""
    from core.lyrics.decode import newline_ids
    from core.lyrics.token_loop import token_logprobs

    if not lines:
        return []
    checker = checker or default_checker()
    tok = lm.tokenizer
    newline = tok("\n", add_special_tokens=False)["input_ids"]
    if len(newline) != 1 or newline[0] not in newline_ids(lm):
        newline = []
    bodies = [tok((" " if tags[i] else "") + text, add_special_tokens=False)["input_ids"]
              for i, text in enumerate(lines)]
    scored = token_logprobs(lm, prefix, [tags[i] + bodies[i] + newline
                                         for i in range(len(lines))])
    out = []
    for i, (lps, best) in enumerate(scored):
        n_tag = len(tags[i])
        body, body_best = lps[n_tag:], best[n_tag:]
        fluency = sum(body) / max(1, len(body))
        forced = sum(max(0.0, b - lp - settings.forced_margin)
                     for lp, b in zip(body, body_best, strict=True)) / max(1, len(body))
        out.append(Judgement(fluency, sum(lps[:n_tag]), forced, checker.problems(lines[i]),
                             checker.fragment(lines[i])))
    return out
