"""Writing under constraints: requests, streaming, determinism, regenerating one line."""

from __future__ import annotations

import pytest
from test_lyrics_support import tiny_model_dir  # noqa: F401 - fixture

from core.errors import SongloomError
from core.jobs import CancelToken, JobCancelled
from core.lyrics.constraints import LyricRequest, regenerate_line, write_lyrics
from core.lyrics.model_store import bundled_model_dir, load_lyrics_model
from core.lyrics.rhyme import required_pairs, rhymes
from core.lyrics.syllables import count_syllables


@pytest.mark.parametrize("kwargs,match", [
    (dict(lines=0), "lines 0"),
    (dict(syllables=200), "syllables 200"),
    (dict(syllables=[8, 0]), "syllables 0"),
    (dict(rhyme="XYZ"), "unknown rhyme scheme"),
    (dict(temperature=-1), "temperature"),
])
def test_absurd_requests_are_clear_errors(kwargs, match):
    with pytest.raises(SongloomError, match=match):
        LyricRequest(**kwargs).validate()


def test_streams_lines_in_order_and_is_deterministic(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    streamed, fractions = [], []
    req = LyricRequest(theme="", lines=4, syllables=[6, 7], rhyme="AABB", seed=5, candidates=3)
    out = write_lyrics(lm, req, progress=lambda f, m: fractions.append(f),
                       on_line=lambda i, t: streamed.append((i, t)))
    assert [i for i, _ in streamed] == [0, 1, 2, 3]
    assert [t for _, t in streamed] == out
    assert fractions[-1] == 1.0
    again = write_lyrics(lm, LyricRequest(theme="", lines=4, syllables=[6, 7], rhyme="AABB", seed=5, candidates=3))
    assert again == out


def test_cancel_stops_writing(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    cancel = CancelToken()
    got = []

    def on_line(i, t):
        got.append(i)
        cancel.cancel()

    with pytest.raises(JobCancelled):
        write_lyrics(lm, LyricRequest(lines=6, candidates=2), cancel=cancel, on_line=on_line)
    assert got == [0]


@pytest.fixture(scope="module")
def bundled():
    if not (bundled_model_dir() / "model.safetensors").exists():
        pytest.fail("the bundled lyrics model is missing")
    return load_lyrics_model()


def test_bundled_model_meets_syllables_and_rhyme(bundled):
    req = LyricRequest(theme="rain on the river", lines=8, syllables=8, rhyme="ABAB", seed=3)
    lines = write_lyrics(bundled, req)
    assert len(lines) == 8 and all(line.strip() for line in lines)
    within = sum(abs(count_syllables(x) - 8) <= 1 for x in lines)
    assert within >= 7, lines
    pairs = required_pairs("ABAB", 8)
    assert sum(rhymes(lines[a], lines[b]) for a, b in pairs) >= 3, lines
    assert len(set(lines)) == 8  # no line repeated


def test_regenerate_one_line_keeps_the_others_and_the_rhyme(bundled):
    req = LyricRequest(theme="summer night", lines=4, syllables=7, rhyme="AABB", seed=1)
    lines = write_lyrics(bundled, req)
    new = regenerate_line(bundled, req, lines, 0, seed=11)
    assert new != lines[0]
    assert abs(count_syllables(new) - 7) <= 1
    assert rhymes(new, lines[1]), (new, lines[1])  # its partner comes after it
    assert regenerate_line(bundled, req, lines, 0, seed=11) == new
