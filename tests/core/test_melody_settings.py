"""The melody's settings in the shipped sampler.json give it the songs' variety of pitch:
each test puts a value the melody had before (no return penalty, the Lieder's chord bonus
3 / 1) back and shows the poorer melody it gave (bench music: Lieder UPC 2.33, 8.2
semitones a phrase and 84 % chord tones on strong beats against the songs' 2.72-2.79,
9.6-10.1 and 73-76 %; a line trilling a-b-a-b); and the register weight, kept at 1, keeps
the melody where it is sung (at 0.25 the phrases' ranges came nearer the songs' but a
verse sank to the bottom of the piano roll)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from core.metrics.form import cv_values
from core.model.pianoroll import song_to_roll
from core.music import styled
from core.music.sample import load_generator
from core.music.settings import SamplerSettings


@pytest.fixture(scope="module")
def shipped():
    return load_generator()


def _with(gen, change):
    raw = copy.deepcopy(gen.settings.raw)
    change(raw)
    other = copy.copy(gen)
    other.apply_settings(SamplerSettings(raw))
    return other


def _no_return_penalty(raw):
    raw["decode"]["melody_return_penalty"] = 0.0


def _chord_bonus(raw):
    raw["compose"]["lieder"]["chord_weight"].update(melody_strong=3.0, melody_weak=1.0)


def _all(raw):
    _no_return_penalty(raw)
    _chord_bonus(raw)


_cache: dict = {}


def _rows(gen, style: str) -> dict:
    """The melody's cross-validation rows over 10 songs of the style's default form, keys
    and modes as the benchmark draws them (seeds 700+)."""
    if (gen, style) not in _cache:
        form = gen.compose_settings(style)["default_form"]
        songs = [gen.generate(form=form, seed=700 + i, key=(5 * i) % 12,
                              mode=("major", "minor")[i % 2], style=style)[0] for i in range(10)]
        _cache[gen, style] = cv_values([song_to_roll(s) for s in songs],
                                       [(s.key, s.mode) for s in songs])
    return _cache[gen, style]


def test_the_shipped_melody_values(shipped):
    d = shipped.settings.raw["decode"]
    assert d["register_weight"][0] == 1.0 and d["melody_return_penalty"] == 1.0
    lieder = shipped.settings.raw["compose"]["lieder"]["chord_weight"]
    assert (lieder["melody_strong"], lieder["melody_weak"]) == (1.0, 0.5)


@pytest.mark.parametrize("style", ["lieder", "chorale"])
def test_the_melody_uses_more_pitch_classes_over_a_wider_range(shipped, style):
    old = _with(shipped, _all)
    assert _rows(shipped, style)["melody UPC"] > _rows(old, style)["melody UPC"] + 0.15
    assert (_rows(shipped, style)["melody pitch_range"]
            > _rows(old, style)["melody pitch_range"] + 0.5)


def _trills(gen, style: str) -> float:
    """The share of the melody's four-note runs that go a-b-a-b."""
    hits = runs = 0
    for i in range(6):
        song = styled.generate(gen, style, seed=900 + i, form="verse-chorus", key=i)[0]
        p = [n.pitch for n in sorted(song.track_by_role("melody").notes, key=lambda n: n.start)]
        runs += len(p) - 3
        hits += sum(p[j] == p[j + 2] != p[j + 1] == p[j + 3] for j in range(len(p) - 3))
    return hits / runs


@pytest.mark.parametrize("style", ["lieder", "pop"])
def test_the_return_penalty_stops_the_melody_trilling(shipped, style):
    # The Lieder's melodies: 1.6 % of four-note runs, POP909's 4.0 %; 7-11 % without it.
    old = _trills(_with(shipped, _no_return_penalty), style)
    assert _trills(shipped, style) < old - 0.025 and old > 0.05  # pop: 3.5 % against 6.4 %


def test_the_lieder_chord_bonus_leaves_the_melody_non_chord_tones_on_strong_beats(shipped):
    old = _with(shipped, _chord_bonus)  # the Lieder's folds: 0.73-0.76 (cv_ranges.json)
    key = "melody strong_beat_chord_tone"
    assert _rows(shipped, "lieder")[key] < _rows(old, "lieder")[key] - 0.04


def test_register_weight_keeps_the_melody_where_it_is_sung(shipped):
    def extremes(gen):
        lows, spans = [], []
        for seed in range(8):  # at weight 0.25 seed 7's verse (G major) sang MIDI 24-33
            song = styled.generate(gen, "lieder", seed=seed, form="verse-chorus", key=seed)[0]
            pitches = [n.pitch for n in song.track_by_role("melody").notes]
            lows.append(min(pitches))
            spans.append(max(pitches) - min(pitches))
        return min(lows), float(np.mean(spans))

    low, span = extremes(shipped)
    assert low >= 53 and span <= 20  # the Lieder: 16 semitones a 32-bar window (p90 19)
    old_low, old_span = extremes(
        _with(shipped, lambda raw: raw["decode"]["register_weight"].__setitem__(0, 0.25)))
    assert old_low < 40 and old_span > span + 4


def _unresolved(song) -> int:
    """Melody notes held a beat or longer from a beat, outside the chord, not followed at
    once by a chord tone a step away."""
    tpb4 = song.ticks_per_bar() // 4
    notes = sorted(song.track_by_role("melody").notes, key=lambda n: n.start)
    count = 0
    for a, b in zip(notes, notes + [None], strict=False):
        if a.start % tpb4 or a.duration < tpb4:
            continue
        chord = next(e.chord for e in song.chords if e.start <= a.start < e.end)
        if a.pitch % 12 in chord.pitch_classes:
            continue
        b = notes[notes.index(a) + 1] if notes.index(a) + 1 < len(notes) else None
        if b is not None and b.start == a.end and 0 < abs(b.pitch - a.pitch) <= 2 and (
                b.pitch % 12 in next(e.chord for e in song.chords
                                     if e.start <= b.start < e.end).pitch_classes):
            continue
        count += 1
    return count


def test_held_non_chord_tones_resolve_by_step(shipped):
    def unresolved(gen):
        return sum(_unresolved(gen.generate(form="verse-chorus", seed=800 + i, key=i,
                                            style="lieder")[0]) for i in range(4))

    assert shipped.settings.raw["compose"]["lieder"]["resolve_dissonances"] is True
    assert unresolved(shipped) == 0
    neutral = _with(shipped, lambda raw: raw["compose"]["lieder"].pop("resolve_dissonances"))
    assert unresolved(neutral) >= 5
