"""Text metrics: BLEU/chrF exactly as sacrebleu, and hand-computed values for the rest."""

from __future__ import annotations

import math

import pytest
import sacrebleu

from core.metrics.text import (
    bleu,
    chrf,
    distinct_n,
    originality,
    rhyme_adherence,
    self_bleu,
    syllable_fit,
    text_metrics,
)

HYP = ["the rain is falling on the river", "and I am walking home alone"]
REF = ["the rain falls on the river", "and I walk home alone tonight"]


def test_bleu_and_chrf_are_sacrebleus_numbers():
    assert bleu(HYP, REF) == sacrebleu.corpus_bleu(HYP, [REF]).score
    assert chrf(HYP, REF) == sacrebleu.corpus_chrf(HYP, [REF]).score
    assert 0 < bleu(HYP, REF) < 100
    assert bleu(HYP, HYP) == pytest.approx(100.0)
    # Different line counts: whole texts are compared as one segment each.
    joined = sacrebleu.corpus_bleu([" ".join(HYP)], [[" ".join(REF[:1])]]).score
    assert bleu(HYP, REF[:1]) == joined
    assert math.isnan(bleu([], REF))


def test_distinct_n_hand_computed():
    lines = ["a b a b", "a b c"]
    # unigrams: a b a b a b c -> 3 distinct / 7; bigrams: ab ba ab ab bc -> 3 distinct / 5
    assert distinct_n(lines, 1) == pytest.approx(3 / 7)
    assert distinct_n(lines, 2) == pytest.approx(3 / 5)
    assert math.isnan(distinct_n([], 2))


def test_self_bleu_is_lower_for_diverse_variations():
    same = [HYP, HYP, HYP]
    varied = [HYP, ["a crow sat upon the fence", "winter came"], ["bright lamps in the city"]]
    assert self_bleu(same) == pytest.approx(100.0)
    assert self_bleu(varied) < 20
    assert math.isnan(self_bleu([HYP]))


def test_syllable_fit_and_rhyme_adherence():
    lines = ["the rain is falling down", "upon the quiet town", "I hear a song", "that lasts so very long"]
    # 6, 6, 4, 6 syllables against target 6: 3 exact, "I hear a song" off by 2.
    assert syllable_fit(lines, 6) == pytest.approx(3 / 4)
    assert syllable_fit(lines, [6, 6, 4, 6]) == 1.0
    assert rhyme_adherence(lines, "AABB") == 1.0
    assert rhyme_adherence(lines, "ABAB") == 0.0
    assert math.isnan(rhyme_adherence(lines, "free"))


def test_originality_finds_copied_runs(tmp_path):
    from core.lyrics.originality import OriginalityIndex, build_index

    build_index([["Shall I compare thee to a summer's day", "Thou art more lovely and more temperate"]], tmp_path)
    index = OriginalityIndex.load(tmp_path)
    copied = ["shall I compare thee to a summer's day"]
    assert originality(copied, index) == 8
    assert originality(["the purple robot sang of silicon rain"], index) == 0
    assert originality(["oh compare thee to the winter night"], index) == 0  # 3 shared: not counted
    assert originality(["oh compare thee to a winter night"], index) == 4
    assert originality(["I compare thee to a summer's night"], index) == 6


def test_text_metrics_has_every_key():
    m = text_metrics(HYP, REF, syllables=8, rhyme="AABB", variations=[HYP, REF])
    for key in ("bleu", "chrf", "self_bleu", "distinct_1", "distinct_2", "syllable_fit",
                "rhyme_adherence", "originality_longest_shared_words"):
        assert key in m
    assert m["bleu"] == bleu(HYP, REF)


def test_lyrics_scores_measure_originality_against_the_models_own_texts(tmp_path):
    from core.lyrics.originality import build_index
    from core.scoring import lyrics_scores

    build_index([["Shall I compare thee to a summer's day"]], tmp_path)
    copied = ["shall I compare thee to a summer's day"]
    assert lyrics_scores(copied, model_dir=tmp_path)["originality_longest_shared_words"] == 8
    assert math.isnan(lyrics_scores(copied, model_dir=tmp_path / "none")[
        "originality_longest_shared_words"])  # a model without an index: no figure
