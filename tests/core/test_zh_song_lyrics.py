"""Chinese lyrics for a song as the app asks for them (core.lyrics.zh.song_lyrics): the plan
from a tune pattern or the melody, rhyme off, bad patterns and phrases said before the
model loads, the scores' plan, and the request's summary."""

from __future__ import annotations

import math

import pytest

from core.errors import SongloomError
from core.lyrics.zh.model import bundled_zh_dir
from core.model.requests import LyricParams
from core.model.song import Note, Song, Track

pytestmark = pytest.mark.skipif(not (bundled_zh_dir() / "patterns.json").is_file(),
                                reason="the bundled Chinese tune patterns are not installed")


def phrase_song(lengths) -> Song:
    notes, at, starts = [], 0, []
    for n in lengths:
        starts.append(at)
        notes += [Note(at + i * 240, 240, 62, 90) for i in range(n)]
        at += n * 240 + 960
    return Song(tracks=[Track("v", role="melody", notes=notes)], phrase_starts=starts)


def test_a_pattern_sets_the_lines_and_rhyme_off_frees_them():
    from core.lyrics.zh.song_lyrics import pattern_book, song_plans

    book = pattern_book()
    want = book.get("浣溪沙").plans
    plans, title, kind = song_plans(book, LyricParams(language="zh", pattern="浣溪沙"), Song())
    assert plans == want and (title, kind) == ("浣溪沙", "ci")
    assert any(p.rhymes for p in plans)
    free, _, _ = song_plans(book, LyricParams(language="zh", pattern="浣溪沙", zh_rhyme=False),
                            Song())
    assert [p.length for p in free] == [p.length for p in want]
    assert not any(p.rhymes for p in free)


def test_from_the_melody_one_line_per_phrase_one_character_per_note():
    from core.lyrics.zh.song_lyrics import pattern_book, song_plans

    plans, title, kind = song_plans(pattern_book(), LyricParams(language="zh", theme="秋月"),
                                    phrase_song([5, 7, 5, 7]))
    assert [p.length for p in plans] == [5, 7, 5, 7]
    assert [p.rhyme for p in plans] == ["A", "A", "-", "A"]  # the first and the even lines
    assert (title, kind) == ("秋月", "shi")


def test_bad_patterns_and_long_phrases_are_one_clear_message_without_the_model():
    from core.lyrics.zh.song_lyrics import check_pattern, write_song_lyrics

    assert check_pattern(" 浣溪沙 ") == "浣溪沙" and check_pattern("") == ""
    with pytest.raises(SongloomError, match="浣溪沙"):
        check_pattern("浣溪")
    with pytest.raises(SongloomError, match="phrase 2 has 25 notes"):
        write_song_lyrics(phrase_song([6, 25]), LyricParams(language="zh"))


def test_the_scores_judge_by_the_pattern_or_the_melody():
    from core.lyrics.zh.song_lyrics import score_plan
    from core.scoring import zh_lyrics_scores

    targets, marks, tones = score_plan(LyricParams(language="zh", pattern="如梦令"), None, 7)
    assert targets == [6, 6, 5, 6, 2, 2, 6] and tones is not None and len(marks) == 7
    targets, marks, tones = score_plan(LyricParams(language="zh"), phrase_song([4, 4]), 3)
    assert targets == [4, 4, 4] and tones is None
    scores = zh_lyrics_scores(["江上归人", "月下孤身", "白云飞去"], targets, marks)
    assert scores["length_fit"] == 1.0 and scores["rhyme_adherence_zh"] == 1.0  # 人 身
    assert scores["longest_shared_chars"] == 0 and scores["copied_whole_lines"] == 0
    off = zh_lyrics_scores(["江上归人", "春风明月", "白云飞"], targets, marks)
    assert off["rhyme_adherence_zh"] == 0.0 and off["length_fit"] == 2 / 3  # 人 月; 3 chars
    assert math.isnan(zh_lyrics_scores(["春风"], [], ["-"])["length_fit"])


def test_the_summary_says_chinese_and_the_pattern():
    assert LyricParams(language="zh", pattern="浣溪沙", theme="秋月", seed=3, tones=True) \
        .describe() == '"秋月", Chinese, 浣溪沙, rhymed, tones, seed 3'
    assert LyricParams(language="zh", zh_rhyme=False).describe() == \
        "free, Chinese, from the melody, unrhymed, seed 0"
    assert LyricParams().describe() == "free, 4 lines, melody syllables, ABAB, seed 0"
