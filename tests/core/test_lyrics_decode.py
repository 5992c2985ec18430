"""The forward pass and the one token loop: same numbers as transformers, same sampling
distribution, seeds, cancel, a primed prompt reused, forced tokens, constraints."""

from __future__ import annotations

import pytest
import torch
from test_lyrics_support import tiny_model_dir  # noqa: F401 - fixture

from core.jobs import CancelToken, JobCancelled
from core.lyrics.decode import FastGPT2, SamplingSettings
from core.lyrics.model_store import load_lyrics_model
from core.lyrics.token_loop import prime, sample_rows, score_suffixes, warped_distribution


def test_fast_forward_matches_transformers_logits(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    fast = FastGPT2(lm.model)
    ids = torch.tensor([[5, 17, 100, 42, 99, 7, 3]])
    with torch.inference_mode():
        ref = lm.model(ids).logits
        fast.reset(1, 16)
        prefill = fast.forward(ids[:, :5], 0, last_only=False)
        step5 = fast.forward(ids[:, 5:6], 5)
        step6 = fast.forward(ids[:, 6:7], 6)
    assert torch.allclose(prefill, ref[:, :5], atol=1e-4)
    assert torch.allclose(step5, ref[:, 5], atol=1e-4)
    assert torch.allclose(step6, ref[:, 6], atol=1e-4)


def test_single_token_step_matches_transformers_logits(tiny_model_dir):  # noqa: F811
    """The sampler's per-token fast path (``step``) computes what the model computes."""
    lm = load_lyrics_model(tiny_model_dir)
    fast = FastGPT2(lm.model)
    ids = torch.tensor([[5, 17, 100, 42, 99, 7, 3], [8, 1, 64, 23, 11, 90, 2]])
    with torch.inference_mode():
        ref = lm.model(ids).logits
        fast.reset(2, 16)
        fast.forward(ids[:, :5], 0, last_only=False)
        step5 = fast.step(ids[:, 5], 5)
        step6 = fast.step(ids[:, 6], 6)
    assert torch.allclose(step5, ref[:, 5], atol=1e-4)
    assert torch.allclose(step6, ref[:, 6], atol=1e-4)


@pytest.mark.parametrize("top_k,top_p,penalty", [(5, 1.0, 1.0), (0, 0.7, 1.0), (10, 0.8, 1.3), (3, 0.5, 2.0)])
def test_warpers_give_the_same_distribution_as_transformers(top_k, top_p, penalty):
    from transformers.generation.logits_process import (
        LogitsProcessorList,
        RepetitionPenaltyLogitsProcessor,
        TemperatureLogitsWarper,
        TopKLogitsWarper,
        TopPLogitsWarper,
    )

    torch.manual_seed(0)
    logits = torch.randn(2, 40) * 3
    seen = torch.tensor([[1, 2, 3], [4, 4, 5]])
    settings = SamplingSettings(temperature=0.8, top_k=top_k, top_p=top_p, repetition_penalty=penalty)
    procs = LogitsProcessorList()
    if penalty != 1.0:
        procs.append(RepetitionPenaltyLogitsProcessor(penalty))
    procs.append(TemperatureLogitsWarper(0.8))
    if top_k:
        procs.append(TopKLogitsWarper(top_k))
    if top_p < 1.0:
        procs.append(TopPLogitsWarper(top_p))
    expected = procs(seen, logits.clone()).softmax(-1)
    probs, idx = warped_distribution(logits, settings, seen)
    ours = torch.zeros_like(expected).scatter(1, idx, probs)
    assert torch.allclose(ours, expected, atol=1e-6)


def test_same_seed_same_tokens_other_seed_other_tokens(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    settings = SamplingSettings(temperature=1.0, top_k=0, top_p=1.0, repetition_penalty=1.0)

    def run(seed):
        return sample_rows(lm, [1, 2, 3], 1, settings, seed, 30, stops=set())[0].tokens

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert len(run(7)) == 30


def test_a_primed_prompt_gives_what_a_fresh_one_gives(tiny_model_dir):  # noqa: F811
    """The writer primes a line's prompt once and samples several rounds from it: the KV
    cache must still hold the prompt after a round (a stale cache would change the rows)."""
    lm = load_lyrics_model(tiny_model_dir)
    ids = lm.tokenizer("<|endoftext|>title: song 1\n[8", add_special_tokens=False)["input_ids"]
    fresh = [r.tokens for r in sample_rows(lm, ids, 4, SamplingSettings(), 3, 20)]
    prefix = prime(lm, ids, 30)
    sample_rows(lm, prefix, 3, SamplingSettings(), 9, 20)  # another round first
    again = [r.tokens for r in sample_rows(lm, prefix, 4, SamplingSettings(), 3, 20)]
    assert again == fresh


def test_rows_stop_at_a_line_break_with_their_logprobs(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    ids = lm.tokenizer("<|endoftext|>title: song 1\n[8", add_special_tokens=False)["input_ids"]
    rows = sample_rows(lm, ids, 4, SamplingSettings(), 1, 20)
    assert len(rows) == 4
    for row in rows:
        text = lm.tokenizer.decode(row.tokens)
        assert "\n" not in text.rstrip("\n")
        assert len(row.logprobs) >= len(row.tokens) and all(lp <= 0 for lp in row.logprobs)


def test_suffix_scores_are_the_models_log_probabilities(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    prompt = lm.tokenizer("<|endoftext|>title: x\n", add_special_tokens=False)["input_ids"]
    a, b = [lm.tokenizer(" the", add_special_tokens=False)["input_ids"], [7, 8, 9]]
    scores = score_suffixes(lm, prime(lm, prompt, 8), [a, b])
    with torch.inference_mode():
        logp = torch.log_softmax(lm.model(torch.tensor([prompt + b])).logits[0], -1)
    expected = sum(float(logp[len(prompt) - 1 + j, b[j]]) for j in range(len(b)))
    assert scores[1] == pytest.approx(expected, abs=1e-3)
    assert scores[0] < 0


class _OnlyToken:
    """A constraint that forces token 5 first, then allows only token 7, then ends."""

    def __init__(self):
        self.n = [0, 0]

    def forced(self, row):
        return 5 if self.n[row] == 0 else None

    def check(self, row, token):
        return 0.0 if token == 7 else None

    def advance(self, row, token):
        self.n[row] += 1
        return self.n[row] >= 4


def test_a_constraint_forces_and_forbids_tokens(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    rows = sample_rows(lm, [1, 2, 3], 2, SamplingSettings(), 0, 10, constraint=_OnlyToken())
    for row in rows:
        assert row.tokens == [5, 7, 7, 7] and row.finished
        assert len(row.logprobs) == 3  # the forced token is not the model's choice


def test_cancel_stops_between_tokens(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    cancel = CancelToken()
    got = []

    def on_step(step, rows):
        got.append(step)
        if step == 4:
            cancel.cancel()

    with pytest.raises(JobCancelled):
        sample_rows(lm, [1, 2], 1, SamplingSettings(), 0, 50, cancel=cancel, on_step=on_step,
                    stops=set())
    assert got == [0, 1, 2, 3, 4]


def test_bad_sampling_settings_are_one_line_errors():
    from core.errors import SongloomError

    for bad in (SamplingSettings(temperature=0), SamplingSettings(top_p=1.5), SamplingSettings(top_k=-1)):
        with pytest.raises(SongloomError) as err:
            bad.validate()
        assert "\n" not in str(err.value)
