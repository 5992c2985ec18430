"""Pitch priors (Temperley's range and proximity profiles) and what they do to the melody."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import ModelError
from core.model.pianoroll import LOWEST_PITCH, N_PITCHES
from core.music.decode import Priors, decode_counts
from core.music.priors import PRIORS_FILE, build_priors, load_priors, save_priors
from core.music.sample import load_generator
from core.training.music_data import ParsedSong


def song(style, melody, bass_pitch=40):
    """A melody of quarter notes over one held bass note."""
    rows = [(0, 4 * i, 4 * i + 4, p) for i, p in enumerate(melody)]
    rows.append((2, 0, 4 * len(melody), bass_pitch))
    notes = np.asarray(rows, np.int32)
    return ParsedSong("x", style, False, notes, np.arange(0, 4 * len(melody), 16, dtype=np.int32),
                      4 * len(melody))


def test_profiles_count_note_to_note_intervals_and_where_each_part_sounds(tmp_path):
    songs = [song("lieder", [60, 62, 64, 62, 60, 62, 64, 65]), song("chorale", [70, 70, 70, 70])]
    pri = build_priors(songs)
    interval = np.exp(pri["interval"]["lieder"])
    up2 = interval[2 + N_PITCHES - 1]
    # 7 intervals: +2 x4, -2 x2, +1 x1, add-one over 167 bins
    assert up2 == pytest.approx(5 / (7 + 167), rel=1e-3)
    assert interval[-2 + N_PITCHES - 1] == pytest.approx(3 / (7 + 167), rel=1e-3)
    assert interval[0 + N_PITCHES - 1] == pytest.approx(1 / (7 + 167), rel=1e-3)
    assert np.exp(pri["interval"]["chorale"])[N_PITCHES - 1] == pytest.approx(4 / (3 + 167), rel=1e-3)
    register = np.exp(np.asarray(pri["register"]["lieder"]))
    assert register.shape == (3, N_PITCHES)
    # the bass sits around E2 (40), spread over the training shifts -6..+5, not above G#2
    bass = register[2]
    assert bass[40 - LOWEST_PITCH] > 10 * bass[60 - LOWEST_PITCH]
    assert bass[34 - LOWEST_PITCH] > 10 * bass[33 - LOWEST_PITCH]
    assert register[0].argmax() + LOWEST_PITCH in range(56, 70)
    save_priors(pri, tmp_path)
    loaded = load_priors(tmp_path)
    assert np.allclose(loaded.register["lieder"], pri["register"]["lieder"])


def test_a_model_folder_without_priors_loads_and_a_broken_file_is_refused(tmp_path):
    assert load_priors(tmp_path) is None
    (tmp_path / PRIORS_FILE).write_text(json.dumps({"register": {"lieder": [[0.0] * 3]}}))
    with pytest.raises(ModelError, match=PRIORS_FILE):
        load_priors(tmp_path)
    (tmp_path / PRIORS_FILE).write_text("{not json")
    with pytest.raises(ModelError, match="pitch priors"):
        load_priors(tmp_path)


def test_where_the_network_moves_on_the_proximity_chooses_the_near_note():
    """After two bars of E5 the network wants another note and likes D5 and D3 alike: the
    line steps to D5 instead of falling an octave and a ninth on a coin toss; and while the
    network holds E5, the line holds it (the profile's rare repeats do not push it off).
    (Later eighths follow the network again: where it keeps changing its mind between the
    two, so does the line.) At the network's own temperature: with no key mask and a flat
    range profile, the melody's 1.6 would let the 83 other pitches, each at 6e-6, win an
    eighth now and then, which is the temperature's doing, not the hold/move rule's (the
    decoder's default settings are neutral: every part at the network's temperature)."""
    logits = np.full((1, 3, 2, 64, 84), -12.0)
    e5, d5, d3 = 76 - LOWEST_PITCH, 74 - LOWEST_PITCH, 50 - LOWEST_PITCH
    logits[0, 0, 0, :32, e5] = 4.0
    logits[0, 0, 0, 32:, [d5, d3]] = 3.0
    interval = -np.abs(np.arange(-83, 84)) / 2.0
    interval[83] = -30.0  # a profile with (almost) no repeated notes, as the chorales'
    flat = np.zeros((3, 84))
    near, free = [], []
    for seed in range(40):
        pri = Priors(flat, interval, np.array([-1]))
        mel = decode_counts(logits, np.random.default_rng(seed), 1.0, None, priors=pri)[0, 0, 0]
        assert mel[:32].any(axis=1).sum() == 0 or set(np.flatnonzero(mel[:32].any(axis=0))) == {e5}
        first = np.flatnonzero(mel[32:].any(axis=1))
        if len(first):
            near.append(bool(mel[32 + first[0], d5]))
        mel = decode_counts(logits, np.random.default_rng(seed), 1.0, None)[0, 0, 0]
        first = np.flatnonzero(mel[32:].any(axis=1))
        if len(first):
            free.append(bool(mel[32 + first[0], d5]))
    assert np.mean(near) > 0.95 and 0.25 < np.mean(free) < 0.75


def test_shipped_model_sings_like_a_voice_and_keeps_the_bass_low():
    gen = load_generator()
    assert gen.priors is not None
    leaps, pitches = [], {"melody": [], "bass": []}
    for seed in range(12):
        s = gen.generate(bars=8, seed=seed, key="G", mode="major", style="lieder")[0]
        mel = sorted(s.track_by_role("melody").notes, key=lambda n: n.start)
        leaps += list(np.abs(np.diff([n.pitch for n in mel])))
        for role in pitches:
            pitches[role] += [n.pitch for n in s.track_by_role(role).notes]
    leaps = np.asarray(leaps)
    # the songs: mean interval 2.35 semitones, 0.1 % over an octave (before the priors the
    # sampler gave 10.4 and 29 %)
    assert leaps.mean() < 4 and (leaps > 12).mean() < 0.02
    assert np.percentile(pitches["melody"], 5) >= 55 and np.percentile(pitches["melody"], 95) <= 84
    assert np.percentile(pitches["bass"], 95) < np.percentile(pitches["melody"], 5) + 7


def test_holding_is_judged_at_the_network_s_temperature_and_moving_at_the_melody_s():
    """_melody_line: the hot scores (the melody's pitch temperature) choose where a move
    goes, the network's own scores whether it holds. Here noise at the hot temperature puts
    F5 over the held E5 in one eighth; judged on the hot scores alone, the line would leave
    E5 for it (the chorale melodies got busier that way, 5.3 notes a bar)."""
    from core.music.decode import _melody_line

    e5, f5 = 76 - LOWEST_PITCH, 77 - LOWEST_PITCH
    hot = np.full((1, 16, 84), -20.0)
    hot[0, :, e5] = 0.0
    hot[0, 4:6, f5] = 1.0  # the hot draw prefers F5 for the third eighth
    own = np.full((1, 16, 84), -20.0)
    own[0, :, e5] = 0.0
    own[0, 4:6, f5] = -3.0
    count = np.ones((1, 16))
    allowed = np.ones((1, 16, 84), bool)
    interval = -np.abs(np.arange(-83, 84)) / 2.0
    pri = Priors(np.zeros((3, 84)), interval, np.array([e5]))
    held = _melody_line(hot, count, allowed, pri, own)[0]
    assert set(np.flatnonzero(held.any(axis=0))) == {e5}
    hot_only = _melody_line(hot, count, allowed, pri)[0]
    assert hot_only[4, f5] and hot_only[0, e5]
