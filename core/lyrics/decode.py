"""A fast streaming sampler for GPT-2: our own forward pass over a preallocated KV cache.

transformers' ``generate()`` spends most of a small model's time in per-token Python
(cache objects, logits processors, stopping criteria, mask building). Here the same
weights run through a plain nanoGPT-style forward: one preallocated key/value buffer
per layer, in-place writes, ``torch.inference_mode``, and a sampling step with
temperature, top-k, top-p and repetition penalty done on a (batch, vocab) tensor. The
sampler checks the cancel token between tokens and yields text line by line. Without
log-probabilities it samples through ``lm_head.ScreenedHead``: the exact fp32 top-k logits
without the full output product.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from core.errors import ModelError, SongloomError
from core.jobs import NEVER_CANCELLED, CancelToken


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
        # Per-layer views, made once: indexing the 6-D buffer per token costs more ops.
        self.k_layers = [self.cache_k[i, :batch] for i in range(self.n_layer)]
        self.v_layers = [self.cache_v[i, :batch] for i in range(self.n_layer)]
        self.kv_layers = [self.cache_kv[i] for i in range(self.n_layer)]

    def expand(self, batch: int, length: int) -> None:
        """Copy a batch-1 cache (a shared prompt) to ``batch`` rows, keeping ``length`` positions."""
        k, v = self.cache_k[:, :1, :, :length], self.cache_v[:, :1, :, :length]
        T = self.cache_k.shape[3]
        self.reset(batch, T)
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

    def screened_head(self):
        """The int8-screened exact top-k output layer, or None where it cannot run here."""
        head = getattr(self, "_screened", False)
        if head is False:
            from core.lyrics.lm_head import ScreenedHead

            head = ScreenedHead(self.lm_head_w) if self.dtype == self._torch.float32 else None
            self._screened = head if head is not None and head.ok else None
        return self._screened

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


def warped_distribution(logits, settings: SamplingSettings, seen=None):
    """The sampling distribution after the usual warpers, over the candidate tokens only.

    Returns (probs, token_ids), each (batch, k). The order matches transformers'
    (repetition penalty, temperature, top-k, top-p), so the same settings mean the same
    distribution in both decoders; only the k best tokens are kept, so top-p and the draw
    cost O(k), not O(vocabulary).
    """
    import torch

    logits = logits.float()
    if seen is not None and settings.repetition_penalty != 1.0:
        picked = torch.gather(logits, 1, seen)
        picked = torch.where(picked < 0, picked * settings.repetition_penalty,
                             picked / settings.repetition_penalty)
        logits = logits.scatter(1, seen, picked)
    if settings.top_k and settings.top_k < logits.shape[-1]:
        # Dividing by the temperature keeps the order, so it can wait until after top-k
        # (k values instead of the vocabulary) and give the same numbers.
        vals, idx = torch.topk(logits, settings.top_k, dim=-1)  # sorted, best first
    else:
        vals, idx = torch.sort(logits, descending=True, dim=-1)
    return _top_p(vals, settings), idx


def _top_p(vals, settings: SamplingSettings):
    """Temperature and top-p over logits sorted best first; the probabilities of each."""
    vals = vals / settings.temperature
    if settings.top_p < 1.0:
        probs = vals.softmax(-1)
        remove = probs.cumsum(-1) - probs > settings.top_p  # keep the token crossing p
        vals = vals.masked_fill(remove, float("-inf"))
    return vals.softmax(-1)


def apply_sampling(logits, settings: SamplingSettings, seen=None, generator=None):
    """Sample one token per row of ``logits`` (batch, vocab)."""
    import torch

    probs, idx = warped_distribution(logits, settings, seen)
    choice = torch.multinomial(probs, 1, generator=generator)
    return idx.gather(1, choice).squeeze(1)


def sample_screened(head, hidden, settings: SamplingSettings, seen_mask, generator=None):
    """``apply_sampling`` from final hidden states through the screened output layer: the
    same top-k logits and distribution, without the full fp32 output product."""
    import torch

    vals, idx = head.topk(hidden, settings.top_k, settings.repetition_penalty, seen_mask)
    choice = torch.multinomial(_top_p(vals, settings), 1, generator=generator)
    return idx.gather(1, choice).squeeze(1)


class Sampler:
    """Token-by-token sampling for a batch of continuations of one shared prompt."""

    def __init__(self, lm, settings: SamplingSettings, seed: int, cancel: CancelToken = NEVER_CANCELLED):
        import torch

        settings.validate()
        self.lm, self.settings, self.cancel = lm, settings, cancel
        self.fast = fast_model(lm)
        self.generator = torch.Generator(device=self.fast.device).manual_seed(int(seed) & 0x7FFFFFFF)

    def run(self, prompt_ids: list[int], batch: int, max_new: int, stop_ids: set[int],
            with_logprobs: bool = True):
        """Yield (step, tokens, logprobs) per new token column; rows that hit a stop id keep
        emitting it. Stops when all rows have stopped or after ``max_new``. ``logprobs``
        are under the model's plain distribution (before the sampling warpers)."""
        import torch

        fast = self.fast
        ctx = fast.n_positions
        if not prompt_ids:
            raise SongloomError("nothing to continue: the prompt is empty")
        if len(prompt_ids) + max_new >= ctx:
            # Keep the latest context (at least half the window) and shorten the run to fit.
            keep = max(min(len(prompt_ids), ctx // 2), ctx - max_new - 1)
            prompt_ids = prompt_ids[-keep:]
            max_new = min(max_new, ctx - len(prompt_ids) - 1)
        n = len(prompt_ids)
        settings = self.settings
        # Without log-probabilities only the k best logits matter: the screened output layer
        # gives exactly those and skips most of the largest weight matrix.
        vocab = fast.lm_head_w.shape[0]
        head = fast.screened_head() if not with_logprobs and 0 < settings.top_k < vocab else None
        with torch.inference_mode():
            fast.reset(1, n + max_new + 1)
            out = fast.forward(torch.tensor([prompt_ids], device=fast.device), 0, hidden=head is not None)
            if batch > 1:
                fast.expand(batch, n)
                out = out.expand(batch, -1).contiguous()
            # Every token so far, for the repetition penalty: one buffer, filled in place.
            seen_buf = torch.empty(batch, n + max_new, dtype=torch.long, device=fast.device)
            seen_buf[:, :n] = torch.tensor(prompt_ids, device=fast.device)
            seen_mask = None
            if head is not None and settings.repetition_penalty != 1.0:
                seen_mask = torch.zeros(batch, vocab, dtype=torch.bool, device=fast.device)
                seen_mask[:, seen_buf[0, :n]] = True
            done = torch.zeros(batch, dtype=torch.bool, device=fast.device)
            stop = torch.tensor(sorted(stop_ids), dtype=torch.long, device=fast.device)
            has_stop = len(stop) > 0
            fill = int(stop[0]) if has_stop else 0
            for step in range(max_new):
                self.cancel.check()
                if head is not None:
                    tok = sample_screened(head, out, settings, seen_mask, self.generator)
                else:
                    tok = apply_sampling(out, settings, seen_buf[:, : n + step], self.generator)
                if has_stop:
                    tok = torch.where(done, torch.full_like(tok, fill), tok)
                logp = None
                if with_logprobs:
                    logp = out.gather(1, tok[:, None]).squeeze(1) - out.logsumexp(-1)
                    if has_stop:
                        logp = torch.where(done, torch.zeros_like(logp), logp)
                yield step, tok, logp
                if has_stop:
                    done = done | torch.isin(tok, stop)
                    if bool(done.all()):
                        return
                if head is not None:
                    if seen_mask is not None:
                        seen_mask.scatter_(1, tok.unsqueeze(1), True)
                    out = fast.step_hidden(tok, n + step)
                else:
                    seen_buf[:, n + step] = tok
                    out = fast.step(tok, n + step)


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


def sample_lines(lm, prompt: str, n: int, settings: SamplingSettings, seed: int,
                 max_tokens: int = 40, cancel: CancelToken = NEVER_CANCELLED) -> list[tuple[str, float]]:
    """``n`` candidate continuations of ``prompt`` up to the end of the line, with their
    mean token log-probability (the model's own confidence, used for reranking)."""
    import torch

    tok = lm.tokenizer
    prompt_ids = tok(prompt, add_special_tokens=False)["input_ids"]
    if not prompt_ids:
        prompt_ids = [lm.eos_id]
    sampler = Sampler(lm, settings, seed, cancel)
    stops = newline_ids(lm)
    cols, logps = [], []
    for _step, col, logp in sampler.run(prompt_ids, n, max_tokens, stops):
        cols.append(col)
        logps.append(logp)
    if not cols:
        return []
    ids = torch.stack(cols, 1).tolist()
    lps = torch.stack(logps, 1).tolist()
    out = []
    for row, lp in zip(ids, lps, strict=True):
        kept: list[int] = []
        finished = False
        for t in row:
            if t in stops:
                finished = True
                if t != lm.eos_id:
                    kept.append(t)
                break
            kept.append(t)
        text = tok.decode(kept).split("\n")[0] if kept else ""
        # An unfinished line ran out of tokens: give it no chance in the reranking.
        mean_lp = sum(lp[: len(kept) or 1]) / max(1, len(kept)) if finished else -1e9
        out.append((text, mean_lp))
    return out


def score_continuations(lm, prompt_ids: list[int], candidates: list[list[int]]) -> list[float]:
    """Total log-probability of each candidate token sequence after the prompt (one batch)."""
    import torch

    fast = fast_model(lm)
    n = len(prompt_ids)
    width = max(len(c) for c in candidates)
    if n + width >= fast.n_positions:
        prompt_ids = prompt_ids[-(fast.n_positions - width - 1) :]
        n = len(prompt_ids)
    with torch.inference_mode():
        fast.reset(1, n + width)
        first = torch.log_softmax(fast.forward(torch.tensor([prompt_ids]), 0).float(), -1)[0]
        B = len(candidates)
        fast.expand(B, n)
        padded = torch.tensor([c + [lm.eos_id] * (width - len(c)) for c in candidates])
        logp = torch.log_softmax(fast.forward(padded, n, last_only=False).float(), -1)
        scores = []
        for b, cand in enumerate(candidates):
            total = float(first[cand[0]])
            for j in range(1, len(cand)):
                total += float(logp[b, j - 1, cand[j]])
            scores.append(total)
    return scores


def stream_lines(lm, prompt: str, settings: SamplingSettings, seed: int, max_lines: int = 8,
                 max_tokens: int = 200, cancel: CancelToken = NEVER_CANCELLED) -> Iterator[str]:
    """Free writing: sample one continuation and yield each line as soon as it is complete."""
    tok = lm.tokenizer
    prompt_ids = tok(prompt, add_special_tokens=False)["input_ids"] or [lm.eos_id]
    sampler = Sampler(lm, settings, seed, cancel)
    pending: list[int] = []
    produced = 0
    for _step, col, _logp in sampler.run(prompt_ids, 1, max_tokens, {lm.eos_id}, with_logprobs=False):
        t = int(col[0])
        if t == lm.eos_id:
            break
        pending.append(t)
        text = tok.decode(pending)
        if "\n" in text:
            *done, rest = text.split("\n")
            for line in done:
                yield line
                produced += 1
                if produced >= max_lines:
                    return
            pending = tok(rest, add_special_tokens=False)["input_ids"] if rest else []
    if pending and produced < max_lines:
        yield tok.decode(pending)
