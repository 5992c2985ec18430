"""``songloom-cli bench lyrics-quality --language zh``: the Chinese writer against its targets.

50 seeded requests (10 tune patterns x 5 themes, seed = request number) through the same
writer the CLI uses, warm (the model loaded and one request written first, as in the app
after its warm-up), one CPU thread. Per line: exact length, rhyme with its set (中华新韵),
the longest run shared with the corpus (originality index), tone fit against the pattern
(advisory), theme presence. Targets (issue 16): lengths exact 100 %, rhyme positions rhyme
>= 90 %, longest shared run <= 5 characters in >= 95 % of lines, first line <= 300 ms.

The writer refuses a character that would extend a 6-character run of the corpus; to show
what that filter does, ``unfiltered`` reruns the first 10 requests without it and counts
the lines that then share a longer run or are a corpus line (copies the filter prevented).
With the data folder, BLEU and chrF (sacrebleu, ``tokenize='zh'``) line by line against real
held-out ci of the same tune: a reference point, not a target (a new ci should not match).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

PATTERNS = ["浣溪沙", "如梦令", "蝶恋花", "水调歌头", "菩萨蛮", "西江月", "鹧鸪天", "清平乐",
            "卜算子", "临江仙"]
THEMES = ["秋月", "春雨", "离别", "江南", "梅花"]
DEV_THEMES = ["故乡", "夜雨", "边塞", "渔舟", "柳"]  # for choosing settings (--dev, seeds 100+)
TARGETS = {"length_exact": (">=", 1.0), "rhyme_rhymes": (">=", 0.90),
           "lines_run_at_most_5": (">=", 0.95), "first_line_ms_median": ("<=", 300.0)}


def _requests(zm, n: int, seed0: int, themes: list[str] | None = None):
    from core.lyrics.zh.writer import ZhRequest

    themes = themes or THEMES
    for k in range(n):
        pattern = zm.patterns.get(PATTERNS[k % len(PATTERNS)])
        theme = themes[(k // len(PATTERNS)) % len(themes)]
        yield ZhRequest(plans=pattern.plans, title=pattern.name, theme=theme, seed=seed0 + k)


def _passed(value, rule) -> bool:
    op, limit = rule
    return value is not None and (value >= limit if op == ">=" else value <= limit)


def heldout_perplexity(zm) -> float | None:
    """From the training run's final evaluation, recorded beside the model."""
    import json

    path = Path(zm.folder) / "training.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("heldout_ppl")


def heldout_ci(data_dir: Path | None) -> dict[str, list[list[str]]]:
    """Held-out ci of the benched patterns that follow their pattern's line lengths, by tune
    (the references for BLEU / chrF); empty without the data folder."""
    if data_dir is None or not (Path(data_dir) / "宋词").is_dir():
        return {}
    from core.training.lyrics_zh_data import load_documents

    out: dict[str, list[list[str]]] = {}
    for d in load_documents(Path(data_dir), converter=lambda s: s):
        if d.kind == "ci" and d.heldout and d.title in PATTERNS:
            out.setdefault(d.title, []).append(d.lines)
    return out


def default_data_dir() -> Path | None:
    import os

    env = os.environ.get("SONGLOOM_DATA")
    here = Path(__file__).resolve().parents[2]
    for base in ([Path(env)] if env else []) + [here.parent / "shared" / "data"]:
        if (base / "chinese-poetry").is_dir():
            return base / "chinese-poetry"
    return None


def bench_quality_zh(model_dir=None, requests: int = 50, seed0: int = 0, unfiltered: int = 10,
                     progress=None, themes: list[str] | None = None,
                     data_dir: Path | None = None) -> dict:
    import torch

    from core.lyrics.zh.model import load_zh_model
    from core.lyrics.zh.rhyme import is_han
    from core.lyrics.zh.writer import ZhRequest, write_zh
    from core.metrics.lyrics_zh import (
        bleu_zh,
        chrf_zh,
        copied_runs,
        copied_whole_lines,
        han_count,
        rhyme_checks,
        tone_fit,
    )

    torch.set_num_threads(1)
    t0 = time.perf_counter()
    zm = load_zh_model(model_dir)
    zm.warm_up()
    load_s = time.perf_counter() - t0
    warm = zm.patterns.get(PATTERNS[0])
    write_zh(zm, ZhRequest(plans=warm.plans, title=warm.name, theme="故乡", seed=999))
    refs_by_tune = heldout_ci(data_dir if data_dir is not None else default_data_dir())
    hyp_lines: list[str] = []
    ref_lines: list[str] = []
    lines = exact = checks = rhymed = over5 = whole = themed = 0
    tone_scores, first_ms, poem_s, examples = [], [], [], []
    for k, req in enumerate(_requests(zm, requests, seed0, themes)):
        first: list[float] = []
        w0 = time.perf_counter()
        out = write_zh(zm, req, on_line=lambda i, line, f=first, w0=w0:
                       f.append(time.perf_counter() - w0) if not f else None)
        poem_s.append(time.perf_counter() - w0)
        first_ms.append(first[0] * 1000)
        texts = [x.text for x in out.lines]
        marks = "".join(p.rhyme for p in req.plans)
        lines += len(texts)
        exact += sum(han_count(t) == p.length for t, p in zip(texts, req.plans, strict=True))
        verdicts = rhyme_checks(texts, marks)
        checks += len(verdicts)
        rhymed += sum(verdicts)
        runs = copied_runs(texts, zm.index)
        over5 += sum(r > 0 for r in runs)
        whole += copied_whole_lines(texts, runs, zm.index)
        near = {c for c in req.theme if is_han(c)}
        for c in list(near):
            if c in zm.ids and zm.neighbours.shape[1]:
                near |= {zm.vocab[j] for j in zm.neighbours[zm.ids[c]] if j >= 0}
        themed += sum(any(c in near for c in t) for t in texts)
        lengths = [p.length for p in req.plans]
        refs = [r for r in refs_by_tune.get(req.title, []) if [len(x) for x in r] == lengths]
        if refs:  # line by line against a real held-out ci of the same tune
            hyp_lines += texts
            ref_lines += refs[k % len(refs)]
        score = tone_fit(texts, [p.tones for p in req.plans])
        if score == score:
            tone_scores.append(score)
        if k % len(PATTERNS) == k // len(PATTERNS) or k < 2:
            examples.append({"pattern": req.title, "theme": req.theme, "seed": req.seed,
                             "text": out.text()})
        if progress:
            progress(k + 1, requests)
    raw_over5 = raw_lines = raw_whole = 0
    for req in list(_requests(zm, min(unfiltered, requests), seed0, themes)):
        req.avoid_copies = False
        texts = [x.text for x in write_zh(zm, req).lines]
        raw_lines += len(texts)
        runs = copied_runs(texts, zm.index)
        raw_over5 += sum(r > 0 for r in runs)
        raw_whole += copied_whole_lines(texts, runs, zm.index)
    result = {
        "language": "zh", "model": str(zm.folder), "requests": requests, "lines": lines,
        "length_exact": exact / lines, "rhyme_rhymes": rhymed / checks if checks else None,
        "rhyme_checks": checks, "lines_run_at_most_5": 1 - over5 / lines,
        "lines_run_over_5": over5, "copied_whole_lines": whole,
        "unfiltered": {"requests": min(unfiltered, requests), "lines": raw_lines,
                       "lines_run_over_5": raw_over5, "copied_whole_lines": raw_whole},
        "tone_fit_mean": statistics.fmean(tone_scores) if tone_scores else None,
        "theme_line_share": themed / lines,
        "first_line_ms_median": statistics.median(first_ms),
        "first_line_ms_max": max(first_ms),
        "poem_s_median": statistics.median(poem_s), "load_s": load_s,
        "heldout_perplexity": heldout_perplexity(zm),
        "vs_heldout_ci": ({"lines": len(hyp_lines), "bleu": bleu_zh(hyp_lines, ref_lines),
                           "chrf": chrf_zh(hyp_lines, ref_lines)} if hyp_lines else None),
        "threads": 1, "examples": examples,
    }
    result["targets"] = {k: {"rule": f"{op} {lim}", "value": result[k],
                             "passed": _passed(result[k], (op, lim))}
                         for k, (op, lim) in TARGETS.items()}
    result["passed"] = all(t["passed"] for t in result["targets"].values())
    return result
