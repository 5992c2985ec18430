"""Benchmarks for lyrics: decoder speed against transformers generate(), and constraint hit rates.

Speed is reported as a ratio against a baseline measured in the same run on the same
machine (the shared CPUs here make absolute numbers move from minute to minute).
"""

from __future__ import annotations

import platform
import statistics
import time

THEMES = ["rain on the river", "a letter never sent", "summer night", "the long road home",
          "winter morning", "dancing in the kitchen", "the sea and the sailor", "", "lost love",
          "city lights"]
SCHEMES = ["AABB", "ABAB", "ABCB"]


def _time_run(fn) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process) for one call. The CPU time leaves
    out the moments another program had the core, which on a shared machine move the
    wall-clock figure of a sub-second run by tens of percent."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def _compare(lm, prompt_ids: list[int], tokens: int, repeats: int) -> dict:
    """tokens/s of generate() and of our Sampler: same prompt, settings, token count."""
    import torch

    from core.lyrics.decode import SamplingSettings
    from core.lyrics.token_loop import sample_rows

    settings = SamplingSettings(temperature=0.9, top_k=50, top_p=0.95, repetition_penalty=1.15)
    model = lm.model
    ids = torch.tensor([prompt_ids])

    from transformers import GenerationConfig

    # No end-of-text token, so both decoders make exactly ``tokens`` tokens (a
    # min_new_tokens processor would add work to generate() that ours does not do).
    gen_config = GenerationConfig(
        do_sample=True, max_new_tokens=tokens, temperature=settings.temperature,
        top_k=settings.top_k, top_p=settings.top_p, repetition_penalty=settings.repetition_penalty,
        pad_token_id=lm.eos_id, eos_token_id=None, bos_token_id=None,
    )

    def hf() -> None:
        # generate() falls back to the model's own end-of-text id; hide it for the run.
        saved = model.generation_config.eos_token_id, model.config.eos_token_id
        model.generation_config.eos_token_id = model.config.eos_token_id = None
        try:
            with torch.inference_mode():
                out = model.generate(ids, attention_mask=torch.ones_like(ids), generation_config=gen_config)
        finally:
            model.generation_config.eos_token_id, model.config.eos_token_id = saved
        assert out.shape[1] == len(prompt_ids) + tokens, out.shape

    def ours() -> None:
        # The token loop every lyric goes through, here without a constraint or log-
        # probabilities (generate() computes neither) and no stop token, like generate().
        rows = sample_rows(lm, prompt_ids, 1, settings, 1, tokens, with_logprobs=False,
                           stops=set())
        assert len(rows[0].tokens) == tokens

    hf()  # warm-up: first calls allocate and compile kernels
    ours()
    # Interleaved, best of each: on a shared CPU the load changes from second to second,
    # and alternating runs gives both decoders the same chances at a quiet moment. Each
    # round's own ratio (two runs close in time) shows how far the load moved the figure.
    t_hf = t_ours = c_hf = c_ours = float("inf")
    rounds = []
    for _ in range(repeats):
        (a, ca), (b, cb) = _time_run(hf), _time_run(ours)
        t_hf, t_ours = min(t_hf, a), min(t_ours, b)
        c_hf, c_ours = min(c_hf, ca), min(c_ours, cb)
        rounds.append(a / b)
    return {
        "params_m": round(sum(p.numel() for p in model.parameters()) / 1e6, 2),
        "new_tokens": tokens,
        "prompt_tokens": len(prompt_ids),
        "generate_tokens_per_s": round(tokens / t_hf, 1),
        "songloom_tokens_per_s": round(tokens / t_ours, 1),
        "speedup_vs_generate": round(t_hf / t_ours, 2),
        "speedup_per_round": {"min": round(min(rounds), 2), "median": round(statistics.median(rounds), 2),
                              "max": round(max(rounds), 2)},
        # The same best-of runs timed in CPU seconds of this process instead of wall-clock.
        "speedup_cpu_time": round(c_hf / c_ours, 2),
        # The path measured is token_loop.sample_rows, the one the writer runs (full fp32
        # output layer: the writer needs every logit for log-probabilities and the bias).
        "songloom_path": "token_loop.sample_rows (the writer's loop), fp32 output layer",
    }


def _random_gpt2_small():
    """A GPT-2-small-shaped model (124M) with random weights: the speed is what matters."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    from core.lyrics.model_store import LyricsModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config()).eval()

    class _Tok:
        eos_token_id = 50256

    return LyricsModel(model=model, tokenizer=_Tok(), folder=None, tagged=False)  # type: ignore[arg-type]


def first_line_latency(lm, seeds=(0, 1, 2)) -> list[float]:
    """Seconds from a write request (model loaded) to the first streamed line."""
    from core.jobs import CancelToken, JobCancelled
    from core.lyrics.constraints import LyricRequest, write_lyrics

    times = []
    for seed in seeds:
        cancel = CancelToken()
        t0 = time.perf_counter()
        got: list[float] = []

        def on_line(index: int, text: str, _t0=t0, _got=got, _cancel=cancel) -> None:
            _got.append(time.perf_counter() - _t0)
            _cancel.cancel()  # the rest of the song is not part of this measurement

        try:
            write_lyrics(lm, LyricRequest(theme="rain on the river", lines=8, syllables=8,
                                          rhyme="ABAB", seed=seed), cancel=cancel, on_line=on_line)
        except JobCancelled:
            pass
        times.append(got[0])
    return times


def bench_decoders(model_dir=None, tokens: int = 64, repeats: int = 3, include_124m: bool = True) -> dict:
    import torch

    from core.lyrics.model_store import load_lyrics_model

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one core: the figure a laptop sharing its CPU will see
    try:
        lm = load_lyrics_model(model_dir)
        prompt = "<|endoftext|>title: rain on the river\n[8" if lm.tagged else "Rain on the river\n\n"
        prompt_ids = lm.tokenizer(prompt, add_special_tokens=False)["input_ids"]
        result = {
            "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
            "torch_threads": 1,
            "sampling": "temperature 0.9, top-k 50, top-p 0.95, repetition penalty 1.15",
            "bundled": _compare(lm, prompt_ids, tokens, repeats),
        }
        result["speedup_vs_generate"] = result["bundled"]["speedup_vs_generate"]
        result["speedup_cpu_time"] = result["bundled"]["speedup_cpu_time"]
        lat = first_line_latency(lm)
        result["first_line_ms"] = {"median": round(statistics.median(lat) * 1000, 1),
                                   "max": round(max(lat) * 1000, 1)}
        if include_124m:
            small = _random_gpt2_small()
            result["gpt2_small_124m_random"] = _compare(small, list(range(100, 120)), tokens, repeats)
            result["speedup_vs_generate_124m"] = result["gpt2_small_124m_random"]["speedup_vs_generate"]
            result["speedup_cpu_time_124m"] = result["gpt2_small_124m_random"]["speedup_cpu_time"]
        return result
    finally:
        torch.set_num_threads(threads)


def bench_constraints(model_dir=None, requests: int = 50) -> dict:
    from core.lyrics.constraints import LyricRequest, write_lyrics
    from core.lyrics.model_store import load_lyrics_model
    from core.lyrics.rhyme import required_pairs, rhymes
    from core.lyrics.syllables import count_syllables
    from core.metrics.text import distinct_n

    lm = load_lyrics_model(model_dir)
    lines_ok = lines_total = pairs_ok = pairs_total = exact = 0
    per_line: list[float] = []
    all_lines: list[str] = []
    for i in range(requests):
        req = LyricRequest(theme=THEMES[i % len(THEMES)], lines=8, syllables=6 + i % 5,
                           rhyme=SCHEMES[i % len(SCHEMES)], seed=i)
        t0 = time.perf_counter()
        out = write_lyrics(lm, req)
        per_line.append((time.perf_counter() - t0) / len(out))
        for line in out:
            err = abs(count_syllables(line) - req.syllables)
            lines_ok += err <= 1
            exact += err == 0
            lines_total += 1
        for a, b in required_pairs(req.rhyme, len(out)):
            pairs_ok += rhymes(out[a], out[b])
            pairs_total += 1
        all_lines += out
    return {
        "requests": requests,
        "lines": lines_total,
        "syllables_within_1": round(lines_ok / lines_total, 4),
        "syllables_exact": round(exact / lines_total, 4),
        "rhyme_pairs": pairs_total,
        "rhyme_pairs_rhyming": round(pairs_ok / pairs_total, 4),
        # Lines no candidate could write (left empty, with a note): the writer never glues
        # a rhyme word onto a cut line any more.
        "lines_empty": round(sum(1 for x in all_lines if not x.strip()) / lines_total, 4),
        "seconds_per_line_median": round(statistics.median(per_line), 3),
        "distinct_2": round(distinct_n(all_lines, 2), 4),
        "model": str(lm.folder),
    }
