"""The decoder's parts on hand-made rolls (core/music/decode.py): the melody's last sung
row, bar-shared accompaniment draws, pitch classes per beat, fragment repair and the
cell decoder. Written for the mutation run of issue 19 (docs/development.md, "Surviving
mutants"): the generation tests reach these only through the network's output."""

from __future__ import annotations

import numpy as np

from core.model.pianoroll import BAR_STEPS, LOWEST_PITCH, N_PITCHES
from core.music.decode import (
    NOISE_SPAN,
    _bar_shared,
    _beat_pitch_classes,
    binarize,
    last_melody_row,
    repair_fragments,
)


def test_last_melody_row_is_the_top_row_of_the_last_sounding_step():
    ctx = np.zeros((3, 3, BAR_STEPS, N_PITCHES), np.float32)
    ctx[0, 0, 2, 40] = 1
    ctx[0, 0, 9, [30, 35]] = 1  # later and two rows: the higher one
    ctx[1, 1, 5, 50] = 1  # only the harmony sounds: the melody is silent
    ctx[2, 0, 15, 0] = 1  # the lowest row on the last step
    rows = last_melody_row(ctx)
    assert rows.tolist() == [35, -1, 0]
    assert rows.dtype == np.int64  # the melody line indexes with it


def test_bar_shared_draws_keep_beats_whole_and_share_their_bar_s_draw():
    rng = np.random.default_rng(0)
    u = rng.random((2, 3, 4 * BAR_STEPS))
    assert _bar_shared(u, rng, 0.0) is u  # off: the draws as they were
    np.testing.assert_array_equal(_bar_shared(u[..., :-1], rng, 1.0), u[..., :-1])  # partial bar
    every = _bar_shared(u, np.random.default_rng(1), 1.0).reshape(2, 3, 4, BAR_STEPS)
    assert (every == every[..., :1]).all()  # share 1: each bar one draw
    assert len(np.unique(every[..., 0])) == 2 * 3 * 4  # ... its own
    some = _bar_shared(u, np.random.default_rng(2), 0.5)
    beats = some.reshape(2, 3, -1, NOISE_SPAN)
    assert (beats == beats[..., :1]).all()  # a beat is one draw either way
    own = some[..., ::NOISE_SPAN] == u[..., ::NOISE_SPAN]
    assert 0.3 < own.mean() < 0.7  # about half the beats keep their own draw
    assert ((some >= 0) & (some < 1)).all()


def test_beat_pitch_classes_are_the_share_of_each_beat_a_class_sounds():
    upper = np.zeros((1, 2, BAR_STEPS, N_PITCHES), bool)
    c = (60 - LOWEST_PITCH)  # middle C
    upper[0, 0, 0:2, c] = True  # C for half of beat 1
    upper[0, 1, 0:4, c + 12] = True  # ... and an octave up all of beat 1 (same class)
    upper[0, 1, 4:5, c + 7] = True  # G for a quarter of beat 2
    got = _beat_pitch_classes(upper)
    assert got.shape == (1, BAR_STEPS, 12)
    assert (got[0, 0:4, 0] == 1.0).all() and (got[0, 4:8, 7] == 0.25).all()
    assert got[0, 8:].sum() == 0 and got[0, :4, 1:].sum() == 0


def test_repair_lengthens_a_lone_sixteenth_only():
    s = np.zeros((1, 3, BAR_STEPS, 4), bool)
    o = np.zeros_like(s)
    s[0, 1, 2, 0] = o[0, 1, 2, 0] = True  # a lone 16th: grows to an eighth
    s[0, 1, 6:8, 1] = o[0, 1, 6, 1] = True  # an eighth: stays
    s[0, 1, 10, 2] = s[0, 1, 11, 2] = o[0, 1, 10, 2] = o[0, 1, 11, 2] = True  # re-struck
    s[0, 1, 15, 3] = o[0, 1, 15, 3] = True  # the last step: nothing after it to grow into
    s[0, 0, 4, 0] = o[0, 0, 4, 0] = True  # melody 16th, but another pitch sounds next
    s[0, 0, 5, 1] = o[0, 0, 5, 1] = True
    s[0, 0, 9, 2] = o[0, 0, 9, 2] = True  # melody 16th with a silent step after: grows
    s[0, 2, 1, 0] = o[0, 2, 1, 0] = True  # lone 16ths on the second and the
    s[0, 2, 14, 1] = o[0, 2, 14, 1] = True  # second-to-last step grow too
    out = repair_fragments(s, o)
    assert out[0, 0, 10, 2] and out[0, 2, 2, 0] and out[0, 2, 15, 1]
    s[0, 0, 9:11, 2] = s[0, 2, 1:3, 0] = s[0, 2, 14:16, 1] = True  # (as repaired, for below)
    assert out[0, 1, 3, 0] and out[0, 1, :, 0].sum() == 2
    assert out[0, 1, :, 1].sum() == 2
    # re-struck: the first 16th is followed by a note and stays; the second grows
    assert out[0, 1, 10:13, 2].all() and out[0, 1, :, 2].sum() == 3
    assert out[0, 1, :, 3].sum() == 1
    assert not out[0, 0, 5, 0]  # the melody stays one voice
    assert (out[0, 2] == s[0, 2]).all() and (out >= s).all()


def test_the_cell_decoder_keeps_the_melody_one_voice_and_the_mask():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (2, 3, 2, 2 * BAR_STEPS, N_PITCHES)).astype(np.float32)
    mask = np.zeros(N_PITCHES, bool)
    mask[20:60] = True
    for temperature in (0.0, 1.0):
        roll = binarize(logits, np.random.default_rng(1), temperature, mask)
        assert roll.shape == logits.shape and roll.dtype == np.uint8
        assert roll[:, :, :, :, ~mask].sum() == 0  # nothing outside the key's mask
        assert roll[:, 0, 0].sum(axis=-1).max() == 1  # the melody: one pitch at a time
        assert (roll[:, :, 1] <= roll[:, :, 0]).all()  # an onset only where it sounds
        assert roll.sum() > 0
    cold = binarize(logits, np.random.default_rng(5), 0.0, None, repair=False)
    hot = (logits > 0)
    np.testing.assert_array_equal(cold[:, 1:, 0], hot[:, 1:, 0])  # T = 0: the logits' sign


def test_the_cell_decoder_draws_each_cell_with_the_sigmoid_of_its_logit():
    """Bernoulli(sigmoid(logit / T)) per cell: the share of sounding cells of a track whose
    logits are all c is sigmoid(c / T); an onset needs its own draw and the sounding one."""
    for c, temperature in ((0.0, 1.0), (1.0, 1.0), (2.0, 2.0), (-1.0, 0.5), (3.0, 1.5)):
        logits = np.full((2, 3, 2, 4 * BAR_STEPS, N_PITCHES), c, np.float32)
        roll = binarize(logits, np.random.default_rng(7), temperature, None, repair=False)
        p = 1 / (1 + np.exp(-c / temperature))
        assert abs(roll[:, 1:, 0].mean() - p) < 0.02, (c, temperature)
        assert abs(roll[:, 1:, 1].mean() - p * p) < 0.02, (c, temperature)
        # A held note stays whole: one sounding draw per pitch and NOISE_SPAN steps.
        held = roll[:, 1:, 0].reshape(2, 2, -1, NOISE_SPAN, N_PITCHES)
        assert (held == held[:, :, :, :1]).all(), (c, temperature)


def test_the_cell_decoder_sings_the_melody_s_most_likely_sounding_pitch():
    logits = np.full((1, 3, 2, BAR_STEPS, N_PITCHES), -10.0, np.float32)
    logits[0, 0, 0, :, 50] = 10  # the melody: row 50 most likely, 52 sounds too
    logits[0, 0, 0, :, 52] = 5
    logits[0, 0, 1, :, 52] = 10  # ... while its onsets
    logits[0, 1, 0, :, 52] = 12  # ... and the harmony prefer 52
    logits[0, 1, 0, :, 30] = 11
    roll = binarize(logits, np.random.default_rng(0), 0.0, None, repair=False)
    assert roll[0, 0, 0, :, 50].all() and roll[0, 0, 0].sum() == BAR_STEPS
    assert roll[0, 1, 0, :, 52].all() and roll[0, 1, 0, :, 30].all()
