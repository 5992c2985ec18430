"""The music-quality evaluation: the validation slice comes from training songs only, the
raw-network floor is read without the sampler, and the summary counts what the table says."""

from __future__ import annotations

import numpy as np
from gan_corpus import synthetic_jsb

from core.gan import data as gdata
from core.gan import evaluate as ev
from core.gan.sample import key_mask, load_generator


def test_validation_slice_is_drawn_from_training_songs_only(tmp_path):
    # held-out chorales transposed far away would show up as their own pitches
    songs = gdata.load_jsb(synthetic_jsb(tmp_path, {"train": 3, "valid": 0, "test": 2}))
    for s in songs:
        if s.heldout:
            s.notes[:, 3] = 100  # every held-out note on MIDI 100, which no training song plays
        gdata.save_parsed(s, tmp_path / "cache")
    ref, tonic_modes, conditions = ev.validation_set(tmp_path / "cache", n=4)
    assert len(ref) == len(tonic_modes) and len(conditions) == 4
    assert not any(r[:, 0, :, 100 - 24].any() for r in ref)
    again = ev.validation_set(tmp_path / "cache", n=4)
    assert conditions == again[2]  # a fixed slice: the same every run


def test_raw_floor_skips_the_sampler_and_the_summary_counts_rows():
    gen = load_generator()
    conditions = [(0, 2, "major"), (1, 9, "minor")]
    hard = ev.raw_rolls(gen, conditions)
    sampled = ev.raw_rolls(gen, conditions, sampled=True)
    assert hard[0].shape == (3, 2, 64, 84)
    for r in (*hard, *sampled):
        assert not (r[:, 1] & ~r[:, 0]).any()  # onsets only where a cell sounds
    # no key mask: the raw network plays out-of-key pitches the sampler never would
    outside = ~key_mask(2, "major")
    assert sampled[0][:, 0][..., outside].any()
    assert all(np.array_equal(a, b) for a, b in zip(sampled, ev.raw_rolls(gen, conditions, True),
                                                    strict=True))
    row = {"within": True, "closer_than_untrained": False, "closer_than_untrained_raw": True,
           "closer_than_untrained_raw_sampled": True, "closer_than_untrained_in_key": True,
           "validation": {"within": True, "closer_than_untrained": True}}
    free = dict(row, within=None, validation={"within": None, "closer_than_untrained": False})
    s = ev.summary({"rows": {"a": row, "b": free}})
    assert s["heldout_within"] == 1 and s["targets"] == 1 and s["rows"] == 2
    assert s["closer_than_untrained"] == 0 and s["closer_than_untrained_raw"] == 2
    assert s["validation_closer_than_untrained"] == 1


def test_eb_bootstrap_resamples_songs_not_phrases():
    from types import SimpleNamespace

    def phrase(harmony_empty_bars):
        r = np.zeros((3, 2, 64, 84), np.uint8)
        r[:, 0, :, 40] = 1
        for b in range(harmony_empty_bars):
            r[1, 0, b * 16:(b + 1) * 16] = 0
        return r

    # song 0: three phrases, harmony empty in every bar; songs 1-3: never empty
    rolls = [phrase(4)] * 3 + [phrase(0)] * 3
    held = SimpleNamespace(song=np.array([0, 0, 0, 1, 2, 3]))
    ci = ev.eb_song_bootstrap(held, rolls, resamples=4000)
    assert ci["melody"] == [0.0, 0.0]
    lo, hi = ci["harmony"]
    # all phrases pooled: 12 of 24 bars empty (0.5); a draw without song 0 (p = 0.75**4 =
    # 0.32) gives 0, so the lower end is 0, and one with song 0 four times gives 1.0
    assert lo == 0.0 and 0.7 < hi <= 1.0
