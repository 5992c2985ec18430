"""GPT-2's forward pass for decoding: our own, over a preallocated KV cache.

transformers' ``generate()`` spends most of a small model's time in per-token Python
(cache objects, logits processors, stopping criteria, mask building). Here the same
weights run through a plain nanoGPT-style forward: one preallocated key/value buffer
per layer, in-place writes, ``torch.inference_mode``. The token loop that samples from it
(warpers, constraints, theme bias, log-probabilities) is core/lyrics/token_loop.py: the one
loop the CLI, the app and ``bench lyrics`` all run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.errors import ModelError, SongloomError


@dataclass
class SamplingSettings:
    temperature: float = 0.9
    top_k: int = 50
    top_p: float = 0.95
    repetition_penalty: float = 1.15

    def validate(self) -> None:
        if not (0.0 < self.temperature <= 3.0) or math.isnan(self.temperature):
            raise SongloomError(f"temperature {self.temperature}: use a value above 0 and at most 3")
        if self.top_k < 0:
            raise SongloomError(f"top-k {self.top_k}: use 0 (off) or a positive number")
        if not (0.0 < self.top_p <= 1.0):
            raise SongloomError(f"top-p {self.top_p}: use a value above 0 and at most 1")
        if not (1.0 <= self.repetition_penalty <= 3.0):
            raise SongloomError(f"repetition penalty {self.repetition_penalty}: use 1 (off) to 3")


class FastGPT2:
    """GPT-2 inference over the weights of a transformers GPT2LMHeadModel (shared, not copied)."""

    def __init__(self, hf_model):
        import torch

        cfg = hf_model.config
        if getattr(cfg, "model_type", None) != "gpt2":
            raise ModelError(f"the fast decoder runs GPT-2 models only, not {cfg.model_type!r}")
        act = getattr(cfg, "activation_function", "gelu_new")
        if act not in ("gelu_new", "gelu", "gelu_pytorch_tanh"):
            raise ModelError(f"unsupported GPT-2 activation {act!r}")
        self.tanh_gelu = act != "gelu"
        self.n_layer, self.n_head = cfg.n_layer, cfg.n_head
        self.n_embd = cfg.n_embd
        self.head_dim = cfg.n_embd // cfg.n_head
        self.n_positions = cfg.n_positions
        self.eps = cfg.layer_norm_epsilon
        self.scale = 1.0 / math.sqrt(self.head_dim) if cfg.scale_attn_weights else 1.0
        if getattr(cfg, "scale_attn_by_inverse_layer_idx", False) or getattr(cfg, "reorder_and_upcast_attn", False):
            raise ModelError("unsupported GPT-2 attention variant in this model's config")
        tr = hf_model.transformer
        self.device = tr.wte.weight.device
        self.dtype = tr.wte.weight.dtype
        self.wte = tr.wte.weight.detach()
        self.wpe = tr.wpe.weight.detach()
        # (in, out) layout: a one-row matrix times it runs ~2x faster on the CPU than
        # the (out, in) layout F.linear uses, and the output layer dominates a small model.
        self.lm_head_w = hf_model.lm_head.weight.detach()
        self.lm_head_t = self.lm_head_w.T.contiguous()
        self.layers = []
        for block in tr.h:
            self.layers.append(tuple(t.detach() for t in (
                block.ln_1.weight, block.ln_1.bias,
                block.attn.c_attn.weight, block.attn.c_attn.bias,
                block.attn.c_proj.weight, block.attn.c_proj.bias,
                block.ln_2.weight, block.ln_2.bias,
                block.mlp.c_fc.weight, block.mlp.c_fc.bias,
                block.mlp.c_proj.weight, block.mlp.c_proj.bias,
            )))
        self.ln_f = (tr.ln_f.weight.detach(), tr.ln_f.bias.detach())
        self._torch = torch
        self.cache_k = self.cache_v = None
        self.batch = 0
        self._primed = None

    # -- cache ---------------------------------------------------------------------
    def reset(self, batch: int, max_len: int | None = None) -> None:
        torch = self._torch
        T = min(max_len or self.n_positions, self.n_positions)
        shape = (self.n_layer, batch, self.n_head, T, self.head_dim)
        if self.cache_k is None or self.cache_k.shape != shape:
            # One buffer for K and V of each layer, (layer, 2, B, H, T, D): the one-token
            # step then writes the new key and value with a single copy.
            self.cache_kv = torch.empty((self.n_layer, 2, *shape[1:]), dtype=self.dtype, device=self.device)
            self.cache_k, self.cache_v = self.cache_kv[:, 0], self.cache_kv[:, 1]
        self.batch = batch
        self._primed = None  # token_loop's primed prompt is gone from a fresh buffer
        # Per-layer views, made once: indexing the 6-D buffer per token costs more ops.
        self.k_layers = [self.cache_k[i, :batch] for i in range(self.n_layer)]
        self.v_layers = [self.cache_v[i, :batch] for i in range(self.n_layer)]
        self.kv_layers = [self.cache_kv[i] for i in range(self.n_layer)]

    def expand(self, batch: int, length: int) -> None:
        """Copy a batch-1 cache (a shared prompt) to ``batch`` rows, keeping ``length`` positions."""
        k, v = self.cache_k[:, :1, :, :length], self.cache_v[:, :1, :, :length]
        T = self.cache_k.shape[3]
        primed = self._primed
        self.reset(batch, T)
        self._primed = primed  # row 0 still holds the primed prompt (callers keep its length)
        self.cache_k[:, :, :, :length] = k.clone()
        self.cache_v[:, :, :, :length] = v.clone()

    def cache_capacity(self) -> int:
        return self.cache_k.shape[3] if self.cache_k is not None else self.n_positions

    # -- forward -------------------------------------------------------------------
    def forward(self, ids, pos: int, last_only: bool = True, hidden: bool = False):
        """Logits for ``ids`` (batch, T) placed at positions pos..pos+T-1; fills the cache.
        ``hidden``: the final hidden states (after the last layer norm) instead of logits."""
        torch = self._torch
        F = torch.nn.functional
        B, T = ids.shape
        if pos + T > self.cache_capacity():
            raise SongloomError("the text is longer than the model's context window")
        x = self.wte[ids] + self.wpe[pos : pos + T]
        end = pos + T
        for i, (l1w, l1b, aw, ab, pw, pb, l2w, l2b, fw, fb, f2w, f2b) in enumerate(self.layers):
            h = F.layer_norm(x, (self.n_embd,), l1w, l1b, self.eps)
            qkv = torch.addmm(ab, h.view(B * T, -1), aw).view(B, T, 3, self.n_head, self.head_dim)
            q = qkv[:, :, 0].transpose(1, 2)
            kl, vl = self.k_layers[i], self.v_layers[i]
            if B != kl.shape[0]:
                kl, vl = kl[:B], vl[:B]
            kl[:, :, pos:end] = qkv[:, :, 1].transpose(1, 2)
            vl[:, :, pos:end] = qkv[:, :, 2].transpose(1, 2)
            k = kl[:, :, :end]
            v = vl[:, :, :end]
            if T == 1:
                att = F.scaled_dot_product_attention(q, k, v, scale=self.scale)
            else:
                # New tokens see the whole cached past and the new tokens up to themselves.
                mask = torch.ones(T, end, dtype=torch.bool, device=ids.device).tril(diagonal=pos)
                att = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=self.scale)
            att = att.transpose(1, 2).reshape(B * T, self.n_embd)
            x = x + torch.addmm(pb, att, pw).view(B, T, -1)
            h = F.layer_norm(x, (self.n_embd,), l2w, l2b, self.eps)
            h = torch.addmm(fb, h.view(B * T, -1), fw)
            h = F.gelu(h, approximate="tanh" if self.tanh_gelu else "none")
            x = x + torch.addmm(f2b, h, f2w).view(B, T, -1)
        if last_only:
            x = x[:, -1]
        x = F.layer_norm(x, (self.n_embd,), self.ln_f[0], self.ln_f[1], self.eps)
        return x if hidden else x @ self.lm_head_t

    def step(self, tok, pos: int):
        """Logits (batch, vocab) for one new token per row (``tok``: (batch,)) at ``pos``."""
        return self._torch.mm(self.step_hidden(tok, pos), self.lm_head_t)

    def step_hidden(self, tok, pos: int):
        """Final hidden states (batch, width) for one new token per row at ``pos``.

        The same arithmetic as ``forward`` with T == 1, in fewer torch calls (each costs
        microseconds of dispatch, a large share of a small model's time per token): 2-D
        activations, one copy for the new key and value, in-place residual adds.
        """
        torch = self._torch
        F = torch.nn.functional
        B = tok.shape[0]
        if B != self.batch or pos + 1 > self.cache_capacity():
            return self.forward(tok[:, None], pos, hidden=True)
        C, H, D, eps = self.n_embd, self.n_head, self.head_dim, self.eps
        approximate = "tanh" if self.tanh_gelu else "none"
        # torch.layer_norm is the kernel F.layer_norm calls, without its Python checks.
        layer_norm = torch.layer_norm
        end = pos + 1
        # index_select: the same rows as wte[tok], without advanced indexing's set-up;
        # narrow/select/copy_ below for the same reason (a tensor[...] with slices costs
        # a few microseconds of Python each, several times per layer).
        x = torch.index_select(self.wte, 0, tok).add_(self.wpe.select(0, pos))
        for weights, kv in zip(self.layers, self.kv_layers, strict=True):
            l1w, l1b, aw, ab, pw, pb, l2w, l2b, fw, fb, f2w, f2b = weights
            h = layer_norm(x, (C,), l1w, l1b, eps)
            qkv = torch.addmm(ab, h, aw).view(B, 3, H, 1, D)
            kv.narrow(3, pos, 1).copy_(qkv.narrow(1, 1, 2).transpose(0, 1))
            k, v = kv.narrow(3, 0, end).unbind(0)
            att = F.scaled_dot_product_attention(qkv.select(1, 0), k, v, scale=self.scale)
            x += torch.addmm(pb, att.view(B, C), pw)
            h = F.gelu(torch.addmm(fb, layer_norm(x, (C,), l2w, l2b, eps), fw), approximate=approximate)
            x += torch.addmm(f2b, h, f2w)
        return layer_norm(x, (C,), self.ln_f[0], self.ln_f[1], eps)


def fast_model(lm) -> FastGPT2:
    """The FastGPT2 view of a loaded LyricsModel (built once, kept on it)."""
    fast = getattr(lm, "_fast", None)
    if fast is None:
        fast = FastGPT2(lm.model)
        lm._fast = fast
    return fast


def newline_token_ids(tokenizer) -> set[int]:
    """Every token whose text contains a line break: a line ends when one is sampled."""
    ids = set()
    for token, idx in tokenizer.get_vocab().items():
        text = tokenizer.convert_tokens_to_string([token])
        if "\n" in text:
            ids.add(idx)
    return ids


def newline_ids(lm) -> set[int]:
    ids = getattr(lm, "_newline_ids", None)
    if ids is None:
        ids = newline_token_ids(lm.tokenizer) | {lm.eos_id}
        lm._newline_ids = ids
    return ids
