"""The music-quality evaluation: the validation slice comes from training songs only, the
raw-network floor is read without the sampler, and the summary counts what the table says."""

from __future__ import annotations

import numpy as np
from gan_corpus import synthetic_jsb

from core.music.sample import key_mask, load_generator
from core.training import music_data as gdata
from core.training import music_evaluate as ev


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


def _song(name, style, heldout, harmony_rests_bars=(), bars=4):
    """A 4-bar song: melody, harmony and bass hold one note per bar, except that the
    harmony rests in the given bars."""
    rows = []
    for b in range(bars):
        for track, pitch in ((0, 72), (1, 64), (2, 48)):
            if track == 1 and b in harmony_rests_bars:
                continue
            rows.append((track, b * 16, b * 16 + 16, pitch))
    return gdata.ParsedSong(name, style, heldout, np.asarray(rows, np.int32),
                            np.arange(bars, dtype=np.int32) * 16, bars * 16)


def test_random_splits_place_the_real_held_out_rate_among_same_sized_splits():
    # Lieder: one song leaves its harmony empty in all 4 bars, three never; one Lieder and
    # one chorale are held out, and the held-out Lieder is a full one.
    songs = [_song("l0", "lieder", False, (0, 1, 2, 3)), _song("l1", "lieder", True),
             _song("l2", "lieder", False), _song("l3", "lieder", False),
             _song("c0", "chorale", True), _song("c1", "chorale", False)]
    out = ev.eb_random_splits(songs, {"melody": 0.0, "harmony": 0.0, "bass": 0.0}, splits=4000)
    # A split holds out one Lieder (l0 with p = 1/4) and one chorale: harmony EB is 4/8 or 0.
    h = out["harmony"]
    assert h["range_95"] == [0.0, 0.5] and h["median"] == 0.0
    assert 70 < h["heldout_percentile"] < 80  # the real split's 0 ties the 3 in 4 without l0
    assert out["melody"]["range_95"] == [0.0, 0.0] and out["melody"]["heldout_percentile"] == 100


def test_held_out_data_meets_a_target_on_a_rare_event_only_by_luck():
    """The held-out phrases themselves, drawn n at a time, meet the +-25 % window of a rate
    carried by a few bars only sometimes, and that of a steady rate always."""
    def phrase(harmony_empty):
        r = np.zeros((3, 2, 64, 84), np.uint8)
        r[:, 0, :, 60] = 1
        r[:, 1, ::16, 60] = 1
        if harmony_empty:
            r[1, :, :16] = 0
        return r

    rolls = [phrase(i < 1) for i in range(20)]  # harmony: 1 of 80 bars empty (0.0125)
    tm = [(0, "major")] * 20
    from core.metrics.music import rolls_metrics
    ref = rolls_metrics(rolls, tm)
    hits = ev.data_meets_targets(rolls, tm, ref, n=20, draws=120)
    # 20 phrases drawn with replacement: the count of empty bars is Binomial(20, 0.05), and
    # only exactly 1 (0 or 2 = none or twice the rate) keeps within 25 %: P = 0.377
    assert 0.24 < hits["harmony EB"] < 0.52
    assert hits["melody UPC"] == 1.0 and hits["bass QN"] == 1.0


def test_melody_chord_share_counts_onsets_whose_pitch_class_sounds_below():
    from core.model.pianoroll import LOWEST_PITCH

    def row(midi):
        return midi - LOWEST_PITCH

    r = np.zeros((3, 2, 64, 84), np.uint8)
    # harmony holds C4+E4 for the first 32 steps, bass G2 for all 64
    r[1, 0, :32, [row(60), row(64)]] = 1
    r[2, 0, :, row(43)] = 1
    # melody onsets: E5 at 0 (E below: hit), D5 at 8 (no D below: miss),
    # G5 at 40 (bass G: hit), C5 at 48 (harmony has stopped: miss); the held E5 is no onset
    for step, midi in ((0, 76), (8, 74), (40, 79), (48, 72)):
        r[0, 0, step:step + 8, row(midi)] = 1
        r[0, 1, step, row(midi)] = 1
    assert ev.melody_chord_share([r]) == 0.5
    assert ev.melody_chord_share([r, r]) == 0.5
    empty = np.zeros_like(r)
    assert np.isnan(ev.melody_chord_share([empty]))
