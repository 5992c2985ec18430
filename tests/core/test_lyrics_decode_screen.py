"""The int8-screened output layer gives exactly the fp32 top-k, and the sampler that uses it
draws the same tokens as the one that computes every logit."""

from __future__ import annotations

import pytest
import torch
from test_lyrics_support import tiny_model_dir  # noqa: F401 - fixture

from core.jobs import CancelToken, JobCancelled
from core.lyrics.decode import FastGPT2, Sampler, SamplingSettings
from core.lyrics.lm_head import ScreenedHead
from core.lyrics.model_store import load_lyrics_model


@pytest.fixture(autouse=True)
def _one_thread():
    # Tiny matrices: with a thread per core, every op waits for the other core, which
    # other programs keep busy on a shared machine (milliseconds per op instead of micro-).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _full_topk(x, weight, k, penalty, mask):
    z = x @ weight.T
    if penalty != 1.0:
        z = torch.where(mask, torch.where(z < 0, z * penalty, z / penalty), z)
    return torch.topk(z, k, dim=1)


@pytest.mark.parametrize("k,penalty", [(1, 1.0), (5, 1.15), (50, 1.15), (50, 2.0), (-1, 1.3)])
def test_screened_topk_equals_the_full_products_topk(tiny_model_dir, k, penalty):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    weight = lm.model.lm_head.weight.detach()
    head = ScreenedHead(weight)
    assert head.ok
    gen = torch.Generator().manual_seed(abs(k))
    V, C = weight.shape
    k = k if k > 0 else V - 1  # every token but one
    # Hidden states of every scale, and ones lined up with rows (a few very large logits).
    xs = [torch.randn(3, C, generator=gen) * s for s in (0.01, 1.0, 30.0, 1000.0)]
    xs.append(weight[torch.randint(0, V, (3,), generator=gen)] * 40 + torch.randn(3, C, generator=gen))
    fast = FastGPT2(lm.model)
    with torch.inference_mode():
        fast.reset(1, 16)
        xs.append(fast.forward(torch.tensor([[5, 17, 100, 42, 99, 7]]), 0, last_only=False, hidden=True)[0])
        for x in xs:
            mask = torch.rand(x.shape[0], V, generator=gen) < 0.05
            vals, ids = head.topk(x, k, penalty, mask)
            ref_vals, ref_ids = _full_topk(x, weight, k, penalty, mask)
            assert torch.allclose(vals, ref_vals, rtol=1e-5, atol=1e-5 * float(ref_vals.abs().max()))
            # Same tokens (ties, which floats make vanishingly rare, could swap places).
            assert torch.equal(ids.sort(1).values, ref_ids.sort(1).values)


def test_screened_sampler_draws_what_the_full_sampler_draws(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    settings = SamplingSettings()  # top-k 50 of 400, top-p 0.95, penalty 1.15

    def run(logprobs: bool, seed: int, batch: int):
        sampler = Sampler(lm, settings, seed)
        cols = [t.tolist() for _, t, _ in sampler.run([5, 17, 100, 42], batch, 40, set(), logprobs)]
        return cols, sampler

    for seed, batch in ((1, 1), (2, 1), (3, 4)):
        screened, sampler = run(False, seed, batch)
        assert sampler.fast.screened_head() is not None  # the fast path really ran
        full, _ = run(True, seed, batch)
        assert screened == full
    assert run(False, 1, 1)[0] != run(False, 2, 1)[0]


def test_screened_sampler_is_seeded_and_cancellable(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)

    def run(seed):
        return [int(t[0]) for _, t, _ in Sampler(lm, SamplingSettings(), seed).run([1, 2, 3], 1, 30, set(), False)]

    assert run(7) == run(7)
    assert run(7) != run(8)
    cancel = CancelToken()
    got = []
    with pytest.raises(JobCancelled):
        for step, _tok, _lp in Sampler(lm, SamplingSettings(), 0, cancel).run([1, 2], 1, 50, set(), False):
            got.append(step)
            if step == 4:
                cancel.cancel()
    assert got == [0, 1, 2, 3, 4]


def test_a_kernel_worse_than_its_bound_turns_the_screen_off(tiny_model_dir, monkeypatch):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    real = ScreenedHead.approx

    def sloppy(self, x):
        a, bound = real(self, x)
        return a + 2 * bound, bound  # as a kernel that rounded far worse would

    monkeypatch.setattr(ScreenedHead, "approx", sloppy)
    assert not ScreenedHead(lm.model.lm_head.weight.detach()).ok
    fast = FastGPT2(lm.model)
    assert fast.screened_head() is None
    # The sampler still works, through the full output layer.
    toks = [int(t[0]) for _, t, _ in Sampler(lm, SamplingSettings(), 0).run([1, 2, 3], 1, 10, set(), False)]
    assert len(toks) == 10


def test_near_ties_beyond_the_int8_precision_still_give_the_exact_topk():
    # 3000 rows that differ from one another by less than int8 can resolve along x: the
    # screen's ranking is mostly noise there, so only the bound check makes it exact.
    gen = torch.Generator().manual_seed(0)
    u = torch.randn(64, generator=gen)
    weight = u + 1e-3 * torch.randn(3000, 64, generator=gen)
    head = ScreenedHead(weight)
    assert head.ok
    x = (u * 3 + 0.01 * torch.randn(2, 64, generator=gen)).contiguous()
    mask = torch.rand(2, 3000, generator=gen) < 0.1
    for k, penalty in ((50, 1.0), (50, 1.15), (7, 1.5)):
        vals, ids = head.topk(x, k, penalty, mask)
        ref_vals, ref_ids = _full_topk(x, weight, k, penalty, mask)
        assert torch.allclose(vals, ref_vals, rtol=1e-6, atol=1e-4)
        assert torch.equal(ids.sort(1).values, ref_ids.sort(1).values)
