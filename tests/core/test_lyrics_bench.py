"""The decoder benchmark runs generate() and the writer's token loop on the same model and
reports comparable figures."""

from __future__ import annotations

from test_lyrics_support import tiny_model_dir  # noqa: F401 - fixture

from core.bench.lyrics_bench import bench_decoders


def test_bench_decoders_on_a_small_model(tiny_model_dir):  # noqa: F811
    result = bench_decoders(tiny_model_dir, tokens=12, repeats=2, include_124m=False)
    bundled = result["bundled"]
    assert bundled["new_tokens"] == 12
    assert bundled["generate_tokens_per_s"] > 0 and bundled["songloom_tokens_per_s"] > 0
    ratio = bundled["songloom_tokens_per_s"] / bundled["generate_tokens_per_s"]
    assert abs(bundled["speedup_vs_generate"] - ratio) < 0.02 * ratio + 0.01
    per_round = bundled["speedup_per_round"]
    assert 0 < per_round["min"] <= per_round["median"] <= per_round["max"]
    assert bundled["speedup_cpu_time"] > 0 and result["speedup_cpu_time"] == bundled["speedup_cpu_time"]
    # The figure is the writer's own loop, not a separate fast path.
    assert bundled["songloom_path"].startswith("token_loop.sample_rows")
    assert result["speedup_vs_generate"] == bundled["speedup_vs_generate"]
    assert 0 < result["first_line_ms"]["median"] <= result["first_line_ms"]["max"]
    assert "gpt2_small_124m_random" not in result
