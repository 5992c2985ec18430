"""The fast decoder: same numbers as transformers, same sampling distribution, seeds, cancel."""

from __future__ import annotations

import pytest
import torch
from test_lyrics_support import tiny_model_dir  # noqa: F401 - fixture

from core.jobs import CancelToken, JobCancelled
from core.lyrics.decode import (
    FastGPT2,
    Sampler,
    SamplingSettings,
    sample_lines,
    score_continuations,
    stream_lines,
    warped_distribution,
)
from core.lyrics.model_store import load_lyrics_model


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
        return [int(t[0]) for _, t, _ in Sampler(lm, settings, seed).run([1, 2, 3], 1, 30, set())]

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert len(run(7)) == 30


def test_batch_candidates_and_scoring(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    cands = sample_lines(lm, "<|endoftext|>title: song 1\n[8", 4, SamplingSettings(), seed=1, max_tokens=20)
    assert len(cands) == 4
    assert all("\n" not in text for text, _ in cands)
    prompt = lm.tokenizer("<|endoftext|>title: x\n", add_special_tokens=False)["input_ids"]
    a, b = [lm.tokenizer(" the", add_special_tokens=False)["input_ids"], [7, 8, 9]]
    scores = score_continuations(lm, prompt, [a, b])
    # Check against a plain transformers forward of prompt + candidate.
    with torch.inference_mode():
        full = torch.tensor([prompt + b])
        logp = torch.log_softmax(lm.model(full).logits[0], -1)
    expected = sum(float(logp[len(prompt) - 1 + j, b[j]]) for j in range(len(b)))
    assert scores[1] == pytest.approx(expected, abs=1e-3)
    assert scores[0] < 0


def test_cancel_stops_between_tokens(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    cancel = CancelToken()
    sampler = Sampler(lm, SamplingSettings(), 0, cancel)
    got = []
    with pytest.raises(JobCancelled):
        for step, _tok, _lp in sampler.run([1, 2], 1, 50, set()):
            got.append(step)
            if step == 4:
                cancel.cancel()
    assert got == [0, 1, 2, 3, 4]


def test_stream_lines_yields_lines_without_breaks(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    lines = list(stream_lines(lm, "<|endoftext|>title: song\n", SamplingSettings(), 3, max_lines=3, max_tokens=120))
    assert 1 <= len(lines) <= 3
    assert all("\n" not in line for line in lines)


def test_bad_sampling_settings_are_one_line_errors():
    from core.errors import SongloomError

    for bad in (SamplingSettings(temperature=0), SamplingSettings(top_p=1.5), SamplingSettings(top_k=-1)):
        with pytest.raises(SongloomError) as err:
            bad.validate()
        assert "\n" not in str(err.value)
