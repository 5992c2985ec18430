"""``songloom-cli bench lyrics-quality``: would a songwriter keep these lines?

50 seeded requests (10 themes x 5 seeds, 8 lines, 6-10 syllables, AABB/ABAB/ABCB) through
the same writer the app and the CLI use (verse.write_verse), and per line:

- theme: the share of lines (themed requests) carrying a theme word or one of its
  associates (theme.expand_theme: the same lexicon that steers);
- diction: archaic words per word (thee, thou, hath, lov'd ...: the lexicon's list and
  rules), words in neither the CMU dictionary nor the corpus's common words, lines that
  use one content word twice, and content words a verse repeats from an earlier line;
- distinct-2, syllable fit (within one; exact), rhyme adherence over the scheme's pairs;
- held-out perplexity of the model on the held-out lyric/poem documents (when the data
  folder is there);
- time to the first line and to a whole 8-line verse (wall clock and CPU seconds).

The settings were chosen on other themes and seeds (``DEV_THEMES``, seeds 100+); this set
is only measured, never tuned on.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from pathlib import Path

THEMES = ["winter road", "first love", "city lights", "rain on the river", "a letter never sent",
          "summer night", "the long road home", "dancing in the kitchen", "the sea and the sailor",
          "lost love"]
DEV_THEMES = ["autumn leaves", "train station", "old guitar", "my mother's hands", "ocean storm",
              "wedding day", "desert highway", "morning coffee"]
SCHEMES = ["AABB", "ABAB", "ABCB"]
TARGETS = {"archaic_rate": ("<=", 0.02), "non_dictionary_rate": ("<=", 0.0),
           "repeated_content_lines": ("<=", 0.05), "theme_line_share": (">=", 0.60),
           "syllables_within_1": (">=", 0.90), "rhyme_pairs_rhyming": (">=", 0.80),
           "first_line_ms_median": ("<=", 300.0), "verse_s_median": ("<=", 3.0)}


def _requests(themes: list[str], n: int, seed0: int):
    from core.lyrics.verse import LyricRequest

    for i in range(n):
        yield LyricRequest(theme=themes[i % len(themes)], lines=8, syllables=6 + i % 5,
                           rhyme=SCHEMES[i % len(SCHEMES)], seed=seed0 + i // len(themes))


def line_metrics(lines: list[str], lexicon) -> dict:
    """Counts for the diction metrics over one verse's lines."""
    from core.lyrics.lexicon import ARCHAIC
    from core.lyrics.syllables import _cmu_count, words

    n_words = archaic = unknown = repeat_lines = verse_repeats = content = 0
    seen: set[str] = set()
    for line in lines:
        ws = [w.lower().replace("\u2019", "'") for w in words(line)]
        n_words += len(ws)
        archaic += sum(w in ARCHAIC or w in lexicon.archaic for w in ws)
        unknown += sum(_cmu_count(w) is None and w not in lexicon.counts for w in ws)
        bases = [lexicon.base(w) for w in ws if lexicon.is_content(w)]
        repeat_lines += len(bases) != len(set(bases))
        content += len(set(bases))
        verse_repeats += sum(b in seen for b in set(bases))
        seen.update(bases)
    return {"words": n_words, "archaic": archaic, "unknown": unknown,
            "repeat_lines": repeat_lines, "content": content, "verse_repeats": verse_repeats}


def heldout_perplexity(lm, data_dir: Path | None, max_docs: int = 200) -> float | None:
    """Perplexity per token over the held-out documents (the bundled model's split), in
    the model's own format (tagged lines for a Songloom model, plain lines otherwise)."""
    if data_dir is None or not (data_dir / "public-domain-poems" / "poems.csv").exists():
        return None
    import torch

    try:
        from core.training.lyrics_corpus import default_documents, format_document, is_validation
    except ImportError:  # before the layout move
        from core.lyrics.corpus import default_documents, format_document, is_validation

    docs = [d for d in default_documents(data_dir) if is_validation(d)][:max_docs]
    texts = []
    for d in docs:
        texts += format_document(d) if lm.tagged else ["<|endoftext|>" + "\n".join(d.lines) + "\n"]
    ctx = lm.model.config.n_positions
    total, count = 0.0, 0
    with torch.inference_mode():
        for text in texts:
            ids = lm.tokenizer(text, add_special_tokens=False)["input_ids"]
            for start in range(0, max(0, len(ids) - 1), ctx):
                window = torch.tensor(ids[start : start + ctx + 1])
                if len(window) < 2:
                    break
                logits = lm.model(input_ids=window[None, :-1]).logits[0].float()
                total += float(torch.nn.functional.cross_entropy(logits, window[1:], reduction="sum"))
                count += len(window) - 1
    return math.exp(total / count) if count else None


def bench_quality(model_dir=None, requests: int = 50, themes: list[str] | None = None,
                  seed0: int = 0, data_dir: Path | None = None, samples: int = 3,
                  progress=None) -> dict:
    from core.lyrics.lexicon import load_lexicon
    from core.lyrics.model_store import load_lyrics_model
    from core.lyrics.rhyme import required_pairs, rhymes
    from core.lyrics.theme import expand_theme
    from core.lyrics.verse import write_verse
    from core.metrics.text import distinct_n

    t0 = time.perf_counter()
    lm = load_lyrics_model(model_dir)
    load_s = time.perf_counter() - t0
    lexicon = load_lexicon()
    themes = themes or THEMES
    totals = {"words": 0, "archaic": 0, "unknown": 0, "repeat_lines": 0, "content": 0,
              "verse_repeats": 0}
    lines_total = fit = exact = pairs = pairs_ok = themed = themed_hit = 0
    first_ms, first_cpu_ms, verse_s, verse_cpu = [], [], [], []
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    all_lines, examples, notes = [], [], []
    for k, req in enumerate(_requests(themes, requests, seed0)):
        first: list[tuple[float, float]] = []
        w0, c0 = time.perf_counter(), time.process_time()

        def on_line(i: int, text: str, first=first, w0=w0, c0=c0) -> None:
            if not first:
                first.append((time.perf_counter() - w0, time.process_time() - c0))

        verse = write_verse(lm, req, on_line=on_line)
        verse_s.append(time.perf_counter() - w0)
        verse_cpu.append(time.process_time() - c0)
        first_ms.append(first[0][0] * 1000)
        first_cpu_ms.append(first[0][1] * 1000)
        theme = expand_theme(req.theme, lexicon)
        for line, target in zip(verse.lines, verse.targets, strict=True):
            from core.lyrics.syllables import count_syllables

            err = abs(count_syllables(line) - target)
            fit += err <= 1
            exact += err == 0
            lines_total += 1
            if theme:
                themed += 1
                themed_hit += bool(theme.hits(line, lexicon))
        for a, b in required_pairs(req.rhyme, len(verse.lines)):
            pairs += 1
            pairs_ok += rhymes(verse.lines[a], verse.lines[b])
        for key, value in line_metrics(verse.lines, lexicon).items():
            totals[key] += value
        all_lines += verse.lines
        notes += verse.notes
        if len(examples) < samples:
            examples.append({"theme": req.theme, "seed": req.seed, "syllables": req.syllables,
                             "rhyme": req.rhyme, "lines": verse.lines})
        if progress:
            progress((k + 1) / requests, f"request {k + 1} of {requests}")
    data_dir = data_dir or _default_data_dir()
    ppl = heldout_perplexity(lm, data_dir)
    result = {
        "model": str(lm.folder),
        "requests": requests,
        "lines": lines_total,
        "themes": themes,
        "theme_line_share": round(themed_hit / themed, 4) if themed else None,
        "archaic_rate": round(totals["archaic"] / max(1, totals["words"]), 4),
        "non_dictionary_rate": round(totals["unknown"] / max(1, totals["words"]), 4),
        "repeated_content_lines": round(totals["repeat_lines"] / max(1, lines_total), 4),
        "verse_content_repeats": round(totals["verse_repeats"] / max(1, totals["content"]), 4),
        "distinct_2": round(distinct_n(all_lines, 2), 4),
        "syllables_within_1": round(fit / max(1, lines_total), 4),
        "syllables_exact": round(exact / max(1, lines_total), 4),
        "rhyme_pairs": pairs,
        "rhyme_pairs_rhyming": round(pairs_ok / max(1, pairs), 4),
        "heldout_perplexity": round(ppl, 2) if ppl else None,
        "first_line_ms_median": round(statistics.median(first_ms), 1),
        "first_line_ms_max": round(max(first_ms), 1),
        "verse_s_median": round(statistics.median(verse_s), 3),
        "verse_s_max": round(max(verse_s), 3),
        "verse_cpu_s_median": round(statistics.median(verse_cpu), 3),
        # CPU seconds of this process: what the writer itself costs when it has a core to
        # itself (the wall-clock figures above include waiting for other programs).
        "first_line_cpu_ms_median": round(statistics.median(first_cpu_ms), 1),
        "load_average": [load_before, os.getloadavg()[0] if hasattr(os, "getloadavg") else None],
        "model_load_s": round(load_s, 2),
        "empty_lines": sum(1 for x in all_lines if not x.strip()),
        "notes": sorted(set(notes))[:10],
        "samples": examples,
    }
    result["targets_met"] = {
        key: (result[key] is not None and (result[key] <= bound if op == "<=" else result[key] >= bound))
        for key, (op, bound) in TARGETS.items()
    }
    return result


def _default_data_dir() -> Path | None:
    import os

    env = os.environ.get("SONGLOOM_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2]
    for cand in (here.parent / "shared" / "data", here / "data"):
        if cand.exists():
            return cand
    return None
