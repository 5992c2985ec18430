"""Steered sampling: the logit bias per row, and what it buys over plain sampling."""

from __future__ import annotations

import pytest
import torch

from core.lyrics.constraints import LyricRequest, write_lyrics
from core.lyrics.decode import SamplingSettings, newline_ids, sample_lines
from core.lyrics.model_store import bundled_model_dir, load_lyrics_model
from core.lyrics.rhyme import rhymes
from core.lyrics.steering import (
    EARLY_STOP_PENALTY,
    RHYME_BOOST,
    RHYME_NEAR_BOOST,
    STOP_BOOST,
    LineGoal,
    _Bias,
    sample_steered,
)
from core.lyrics.syllables import count_syllables

PROMPT = "<|endoftext|>title: rain on the harbour\n[8 hill] the sun goes down upon the hill\n"


@pytest.fixture(scope="module")
def bundled():
    if not (bundled_model_dir() / "model.safetensors").exists():
        pytest.fail("the bundled lyrics model is missing")
    return load_lyrics_model()


def _first(lm, word):
    return lm.tokenizer(f" {word}", add_special_tokens=False)["input_ids"][0]


def test_bias_raises_rhyme_words_that_end_on_target_and_the_line_break_after(bundled):
    goal = LineGoal(8, "the sun goes down upon the hill", ["still", "until", "will"],
                    end_ok=lambda w: w not in ("the", "of", "and"))
    bias = _Bias(bundled, goal)
    vocab = len(bundled.tokenizer)
    stop = sorted(newline_ids(bundled))
    one, two = _first(bundled, "still"), _first(bundled, "until")
    # 7 syllables sung: a one-syllable rhyme ends the line on 8; a two-syllable one on 9.
    logits = torch.zeros(1, vocab)
    bias.apply(logits, 0, " and all the night is calm and")
    assert logits[0, one] == pytest.approx(RHYME_BOOST)
    assert logits[0, two] == pytest.approx(RHYME_NEAR_BOOST)
    assert float(logits[0, stop].max()) == pytest.approx(-EARLY_STOP_PENALTY)  # "and": not an end
    # Far from the target: no rhyme boost yet, and no early line break.
    logits = torch.zeros(1, vocab)
    bias.apply(logits, 0, " and all")
    assert logits[0, one] == 0 and float(logits[0, stop].max()) == pytest.approx(-EARLY_STOP_PENALTY)
    # On target and rhyming: the line break is the likeliest way on.
    logits = torch.zeros(1, vocab)
    bias.apply(logits, 0, " and all the night is calm and still")
    assert float(logits[0, stop].min()) == pytest.approx(STOP_BOOST)
    # On target but not rhyming: no push to stop there.
    logits = torch.zeros(1, vocab)
    bias.apply(logits, 0, " and all the night is calm and green")
    assert float(logits[0, stop].abs().max()) == 0
    # Inside a tag ("[8 hill]" not closed yet) nothing is steered.
    logits = torch.zeros(1, vocab)
    bias.apply(logits, 0, None)
    assert float(logits.abs().max()) == 0


def test_steered_candidates_rhyme_and_fit_more_often_than_plain_ones(bundled):
    settings = SamplingSettings()
    partner = "the sun goes down upon the hill"
    prompt = PROMPT + "[8 still]"
    goal = LineGoal(8, partner, ["still", "will", "until", "fill", "ill", "chill"])

    def fit(cands):
        return sum(rhymes(t, partner) and abs(count_syllables(t) - 8) <= 1 for t, _ in cands)

    steered = [sample_steered(bundled, prompt, 16, settings, seed, goal, 26) for seed in range(4)]
    plain = [sample_lines(bundled, prompt, 16, settings, seed, 26) for seed in range(4)]
    hits, plain_hits = sum(map(fit, steered)), sum(map(fit, plain))
    # The tag alone ("[8 still]") gets a fitting rhyme in 44 of these 64 candidates
    # (the step-1279 model: 0 of 64); steered, 59 (step 1279: 12).
    assert hits >= 48 and hits >= plain_hits + 10, (hits, plain_hits, steered[0])
    assert sample_steered(bundled, prompt, 16, settings, 0, goal, 26) == steered[0]  # seeded


def test_bundled_requests_need_no_last_resort_repair(bundled):
    stats: dict = {}
    for seed, scheme in ((0, "AABB"), (1, "ABAB"), (2, "ABCB")):
        lines = write_lyrics(bundled, LyricRequest(theme="the long road home", lines=8, syllables=7,
                                                   rhyme=scheme, seed=seed), stats=stats)
        assert len(lines) == 8
    assert stats.get("repaired", 0) <= 1, stats
