"""The exact top-k of GPT-2's output layer without reading all of its fp32 weights per token.

At batch 1 a decoder step is bound by memory traffic: every weight is read once per token,
and the output layer (vocabulary x width, tied to the embedding) is the largest matrix of a
small model (8 MB of the bundled model's 21 MB; 154 MB of GPT-2-small's 496 MB). Top-k
sampling only needs the k best logits, so here a per-row int8 copy of that matrix (a
quarter of the bytes) ranks the vocabulary first, with a proven bound on its error per
token, and only the tokens that could still be among the k best have their logits
recomputed from the fp32 weights. The k values returned are the fp32 logits, the same ones
the full product gives (to float rounding), so the sampling distribution is unchanged.

The bound: for a row w with quantised copy w' (int8 times a bfloat16 scale) and a hidden
state x rounded to bfloat16 as xb, the kernel's result r satisfies

    |x.w - r| <= |x - xb| |w| + |xb| |w - w'| + (rounding of r) + (fp32 accumulation)

with |.| the Euclidean norm (Cauchy-Schwarz), every term bounded by |x| times a per-row
constant computed once here. A self-check on probe vectors disables the screen (the full
product is used) if this torch build's kernel rounds worse than the bound assumes.
"""

from __future__ import annotations

# bfloat16 keeps 8 significant bits: rounding moves a value by at most 2^-9 of itself.
# The constants below use 2^-8 (twice that) as a margin.
_U = 2.0 ** -8


class ScreenedHead:
    """Exact top-k logits of ``x @ weight.T`` (weight: (vocab, width) fp32), screened in int8.

    ``ok`` is False when this torch build has no int8 kernel or the kernel fails the
    self-check; the caller then uses the full product. (fbgemm's dynamically quantised
    linear layer is twice as fast but off by more than its inputs' rounding explains, so it
    cannot give a bound.)
    """

    def __init__(self, weight):
        import torch

        self.weight = weight  # (V, C), the matrix of the output layer; not copied
        self._m = 0  # how many tokens the last step had to recompute in fp32 (grows only)
        V, C = weight.shape
        w = weight.float()
        scale = (w.abs().amax(1) / 127).clamp_min(1e-30).bfloat16()
        self.q = torch.round(w / scale.float()[:, None]).clamp_(-127, 127).to(torch.int8).contiguous()
        self.scales = scale
        wq = self.q.float() * scale.float()[:, None]
        norm_w, norm_wq = w.norm(dim=1), wq.norm(dim=1)
        # Per-row factor of |x|: weight quantisation, input rounding, output rounding,
        # and the fp32 accumulation over C terms (C * 2^-24, doubled).
        self.coef = ((1 + _U) * (w - wq).norm(dim=1) + _U * norm_w
                     + _U * (1 + _U) * norm_wq + C * 2.0 ** -23 * norm_wq).contiguous()
        try:
            self.ok = self._self_check()
        except (RuntimeError, AttributeError, NotImplementedError):
            self.ok = False  # no int8 kernel in this torch build

    def approx(self, x):
        """(approximate logits, bound on their error), each (batch, vocab)."""
        import torch

        a = torch._weight_int8pack_mm(x.to(torch.bfloat16), self.q, self.scales)
        return a, torch.linalg.vector_norm(x, dim=1, keepdim=True) * self.coef

    def _self_check(self) -> bool:
        """True when the kernel's error stays well inside the bound on probe inputs."""
        import torch

        gen = torch.Generator().manual_seed(0)
        V, C = self.weight.shape
        probes = torch.randn(16, C, generator=gen) * torch.tensor([0.1, 1.0, 10.0, 100.0]).repeat(4)[:, None]
        # Hidden states that line up with some rows are the hard case: large logits.
        rows = self.weight[torch.randint(0, V, (8,), generator=gen)].float() * 20
        probes = torch.cat([probes, rows])
        exact = probes @ self.weight.float().T
        a, bound = self.approx(probes)
        # A kernel that rounds as assumed stays well inside; one that accumulates in
        # bfloat16, say, would be off by far more than the bound.
        return bool(((a.float() - exact).abs() <= 0.75 * bound).all())

    def topk(self, x, k: int, penalty: float = 1.0, seen_mask=None):
        """(values, token ids), each (batch, k), best first: the k largest fp32 logits of
        ``x`` (batch, width) after the repetition penalty on the tokens in ``seen_mask``
        (batch, vocab), exactly as the full product followed by topk gives."""
        import torch

        a, e = self.approx(x)
        hi = a + e  # every logit is at most this, penalised or not (the penalty only lowers)
        V = hi.shape[1]
        m = max(self._m, 2 * k)
        while True:
            m = min(m, V)
            top_hi, cand = torch.topk(hi, m, dim=1, sorted=False)
            B = x.shape[0]
            rows = self.weight.index_select(0, cand.view(-1)).view(B, m, -1)
            z = torch.bmm(rows, x.unsqueeze(2)).view(B, m)  # the fp32 logits of the m tokens
            if penalty != 1.0 and seen_mask is not None:
                z = torch.where(seen_mask.gather(1, cand), _penalise(z, penalty), z)
            vals, idx = torch.topk(z, k, dim=1)
            # The k-th best of these m is at most the k-th best overall; every token left
            # out has an upper bound no higher than the m kept, so if that is strictly
            # lower, none of them can be among the k best.
            if m == V or bool((top_hi.amin(1) < vals.select(1, -1)).all()):
                self._m = m
                return vals, cand.gather(1, idx)
            m *= 4


def _penalise(v, penalty: float):
    """transformers' repetition penalty: x / p above zero, x * p below (min of the two, p > 1)."""
    import torch

    return torch.minimum(v / penalty, v * penalty)
