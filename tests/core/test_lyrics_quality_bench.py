"""bench lyrics-quality: its diction counts on hand-made lines (the issue's own bad ones),
and a small run through the app's writer on the tiny model."""

from __future__ import annotations

from test_lyrics_support import tiny_model_dir  # noqa: F401 - fixture

from core.bench.lyrics_quality import TARGETS, bench_quality, line_metrics
from core.lyrics.lexicon import load_lexicon


def test_diction_counts_on_the_issues_own_lines():
    lines = ["For thee, and thee thee thy thee see",  # 5 archaic, a content word repeated
             "Like a-mutions of an weather",  # "mutions" is no word
             "The morning-poveful breast day",  # "poveful" is no word
             "The road is white with snow tonight"]
    m = line_metrics(lines, load_lexicon())
    assert m["archaic"] == 5
    assert m["unknown"] == 2
    assert m["repeat_lines"] == 1
    assert m["words"] == 8 + 6 + 5 + 7


def test_a_small_run_reports_every_figure(tiny_model_dir, tmp_path):  # noqa: F811
    result = bench_quality(tiny_model_dir, requests=2, themes=["winter road"], data_dir=tmp_path,
                           samples=1)
    assert result["requests"] == 2 and result["lines"] == 16
    for key in TARGETS:
        assert key in result and key in result["targets_met"]
    assert result["non_dictionary_rate"] == 0 and result["archaic_rate"] == 0
    assert result["syllables_within_1"] == 1.0 and result["rhyme_pairs_rhyming"] == 1.0
    assert 0 <= result["theme_line_share"] <= 1
    assert result["heldout_perplexity"] is None  # no data in that folder
    assert result["first_line_cpu_ms_median"] > 0 and len(result["samples"]) == 1
