"""Sampling with the shipped music model: determinism, keys, lengths, edits, bad weights."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest

from core.errors import ModelError, SongloomError
from core.metrics.music import song_metrics
from core.model.pianoroll import song_to_roll
from core.model.song import Note, Song, Track
from core.model.theory import scale_pitch_classes
from core.music.sample import MusicGenerator, default_model_dir, load_generator


@pytest.fixture(scope="module")
def gen() -> MusicGenerator:
    return load_generator()


def notes_of(song):
    return {t.role: [(n.start, n.duration, n.pitch) for n in t.notes] for t in song.tracks}


def test_same_seed_same_notes_other_seed_other_notes(gen):
    a = gen.generate(bars=4, seed=7, key="E", mode="minor", style="lieder")[0]
    b = gen.generate(bars=4, seed=7, key="E", mode="minor", style="lieder")[0]
    c = gen.generate(bars=4, seed=8, key="E", mode="minor", style="lieder")[0]
    assert notes_of(a) == notes_of(b) != notes_of(c)
    assert a.key_name == "E minor" and a.track_by_role("melody").notes


@pytest.mark.parametrize("key,mode", [("D", "minor"), ("Bb", "major"), ("F#", "minor")])
def test_every_pitch_is_in_the_key_unless_chromatic_is_allowed(gen, key, mode):
    songs = gen.generate(bars=8, seed=3, key=key, mode=mode, variations=3, temperature=1.5)
    tonic = songs[0].key
    allowed = scale_pitch_classes(tonic, mode)  # minor: natural minor + raised 7th
    pcs = {n.pitch % 12 for s in songs for t in s.tracks for n in t.notes}
    assert pcs and pcs <= allowed
    free = gen.generate(bars=8, seed=3, key=key, mode=mode, variations=3, temperature=1.5,
                        allow_chromatic=True)
    assert [notes_of(s) for s in free] != [notes_of(s) for s in songs]


def test_any_length_and_a_longer_song_starts_like_the_shorter(gen):
    for bars in (1, 5, 13):
        song = gen.generate(bars=bars, seed=2)[0]
        assert song.end_tick() <= bars * song.ticks_per_bar()
    # The network's own phrases (form=None) run on as one sequence; a composed song plans
    # its whole form, so its first bars depend on its length (tests/core/test_compose.py).
    short = song_to_roll(gen.generate(bars=4, seed=11, form=None)[0], 4)
    long = song_to_roll(gen.generate(bars=12, seed=11, form=None)[0], 12)
    assert np.array_equal(short, long[:, :, : 4 * 16])
    assert long[:, 0, 4 * 16:].any()  # the later phrases are not silent


def test_variations_differ_and_the_melody_is_monophonic(gen):
    songs = gen.generate(bars=4, seed=1, variations=3)
    assert len({str(notes_of(s)) for s in songs}) == 3
    for s in songs:
        starts = [n.start for n in s.track_by_role("melody").notes]
        mel = s.track_by_role("melody").notes
        for a, b in zip(mel, mel[1:], strict=False):
            assert b.start >= a.end or b.start != a.start, "two melody notes at once"
        assert len(starts) == len(set(starts))


def test_regenerate_track_keeps_the_others(gen):
    song = gen.generate(bars=6, seed=4, key="G")[0]
    new = gen.regenerate_track(song, "bass", seed=9)
    before, after = notes_of(song), notes_of(new)
    assert after["melody"] == before["melody"] and after["harmony"] == before["harmony"]
    assert after["bass"] != before["bass"]
    assert {n.pitch % 12 for n in new.track_by_role("bass").notes} <= scale_pitch_classes(7, "major")
    assert new.track_by_role("bass").notes[-1].end <= 6 * song.ticks_per_bar()
    with pytest.raises(SongloomError, match="drums"):
        gen.regenerate_track(song, "drums", seed=1)


def test_continue_appends_after_the_end_in_the_song_s_key(gen):
    melody = Track("Voice", role="melody", notes=[Note(i * 480, 480, p) for i, p in
                                                  enumerate([62, 64, 65, 67, 69, 67, 65, 64])])
    song = Song(key=2, mode="minor", tracks=[melody])
    longer = gen.continue_song(song, bars=4, seed=5)
    old = [(n.start, n.pitch) for n in longer.track_by_role("melody").notes][:8]
    assert old == [(n.start, n.pitch) for n in melody.notes]
    added = [n for t in longer.tracks for n in t.notes if n.start >= 2 * 1920]
    assert added and all(n.start < 6 * 1920 for n in added)
    assert {n.pitch % 12 for n in added} <= scale_pitch_classes(2, "minor")
    channels = [t.channel for t in longer.tracks]  # created tracks get their own channels
    assert len(channels) == len(set(channels)) and 9 not in channels


@pytest.mark.parametrize("kwargs,match", [
    ({"bars": 0}, "bars"), ({"bars": 513}, "bars"), ({"key": "H"}, "key"),
    ({"mode": "dorian"}, "mode"), ({"style": "jazz"}, "style"), ({"temperature": -1}, "temperature"),
])
def test_bad_options_are_one_clear_error(gen, kwargs, match):
    with pytest.raises(SongloomError, match=match):
        gen.generate(**kwargs)


def test_missing_corrupt_and_pickled_weights_are_refused(tmp_path):
    src = default_model_dir()
    for name in ("missing", "corrupt", "pickle"):
        d = tmp_path / name
        shutil.copytree(src, d)
        w = d / "generator.safetensors"
        if name == "missing":
            w.unlink()
        elif name == "corrupt":
            w.write_bytes(w.read_bytes()[:1000])
        else:
            import pickle

            w.write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
        with pytest.raises(ModelError) as err:
            load_generator(d)
        assert "generator.safetensors" in str(err.value)
        if name == "pickle":
            assert "pickle" in str(err.value)


def test_sampling_does_not_import_torch_or_training_code():
    code = ("import sys; from core.music.sample import load_generator; "
            "load_generator().generate(bars=8, seed=1); "
            "bad = [m for m in sys.modules if m == 'torch' or m.startswith(("
            "'core.training', 'core.music.model', 'music21'))]; print(bad); "
            "sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_generated_music_has_the_shape_of_music(gen):
    """The shipped model, not noise: notes are mostly held (QN), bars are not all empty."""
    rolls = [song_metrics(s) for s in gen.generate(bars=8, seed=21, variations=4)]
    qn = np.nanmean([m["melody"]["QN"] for m in rolls])
    eb = np.nanmean([m["harmony"]["EB"] for m in rolls])
    assert qn >= 0.6 and eb <= 0.5


def test_count_decoder_plays_the_expected_number_of_the_likeliest_notes():
    from core.music.decode import decode_counts
    from core.music.sample import key_mask

    logits = np.full((1, 3, 2, 16, 84), -12.0)
    # harmony: three pitches at p=0.73 -> about 2.2 expected notes -> the top two at T=0
    logits[0, 1, 0, :, [40, 44, 47]] = [[1.2], [1.0], [0.9]]
    logits[0, 1, 1, 0, [40, 44]] = 1.0  # struck at step 0
    # melody: two candidates, one voice
    logits[0, 0, 0, :, [50, 52]] = [[0.5], [2.0]]
    roll = decode_counts(logits, np.random.default_rng(0), 0.0, None)
    assert roll.shape == (1, 3, 2, 16, 84)
    assert set(np.flatnonzero(roll[0, 1, 0].any(axis=0))) == {40, 44}
    assert set(np.flatnonzero(roll[0, 0, 0].any(axis=0))) == {52}
    assert roll[0, 1, 0].sum(axis=1).max() == 2 and roll[0, 0, 0].sum(axis=1).max() == 1
    # out-of-key pitches are never chosen, however likely
    masked = decode_counts(logits, np.random.default_rng(0), 1.0, key_mask(0, "major"))
    pcs = {(i + 24) % 12 for i in np.flatnonzero(masked[0, :, 0].any(axis=(0, 1)))}
    assert pcs <= {0, 2, 4, 5, 7, 9, 11}


def test_count_decoder_melody_rests_holds_eighths_and_harmony_agrees_with_it():
    from core.music.decode import decode_counts

    logits = np.full((1, 3, 2, 16, 84), -12.0)
    # melody bar: five neighbouring pitches at p=0.2 each. Their sum (1.0) would make it
    # always sound; the chance that any cell is on is 1 - 0.8**5 = 0.672, calibrated by
    # +0.5 logit (the sounding offset): sigmoid(logit(0.672) + 0.5) = 0.772, so it
    # rests in 22.8 % of the bars (one draw per bar: 200 draws, standard error 0.030).
    logits[0, 0, 0, :, 40:45] = np.log(0.2 / 0.8)
    rests = []
    for seed in range(200):
        roll = decode_counts(logits, np.random.default_rng(seed), 1.0, None, repair=False)
        mel = roll[0, 0, 0]
        rests.append(1 - mel.any(axis=1).mean())
        # the pitch only changes on an eighth boundary
        pitch = np.where(mel.any(axis=1), mel.argmax(axis=1), -1)
        assert all(pitch[i] == pitch[i + 1] or pitch[i] < 0 or pitch[i + 1] < 0
                   for i in range(0, 16, 2))
    assert 0.14 < np.mean(rests) < 0.32
    # harmony: two equally likely single notes; with the chord-agreement term it mostly
    # takes the one whose pitch class the melody plays (C4 melody -> C3, not D3; Gumbel
    # noise beats a bonus of 2 in 1 / (1 + e**2) = 12 % of beats), without it either, evenly
    logits = np.full((1, 3, 2, 16, 84), -12.0)
    logits[0, 0, 0, :, 36] = 6.0  # melody C4 (MIDI 60 = index 36)
    logits[0, 1, 0, :, [24, 26]] = 0.0  # harmony C3 or D3 at p=0.5: one note expected
    share_on, share_off = [], []
    for seed in range(60):
        on = decode_counts(logits, np.random.default_rng(seed), 1.0, None, harmonic_fit=2.0)[0, 1, 0]
        off = decode_counts(logits, np.random.default_rng(seed), 1.0, None, harmonic_fit=0)[0, 1, 0]
        share_on.append(on[:, 24].sum() / on.sum())
        share_off.append(off[:, 24].sum() / off.sum())
    assert np.mean(share_on) > 0.8 and 0.3 < np.mean(share_off) < 0.7


def test_key_mask_chooses_the_melody_pitch_but_not_whether_it_sings():
    """A melody the network half-places on out-of-key rows still sings as often: before,
    masking those rows first made it rest in 70 % of the steps here."""
    from core.music.decode import decode_counts
    from core.music.sample import key_mask

    logits = np.full((1, 3, 2, 16, 84), -40.0)  # (at -12, Gumbel noise picks a stray pitch
    logits[0, 0, 0, :, [36, 37, 39]] = np.log(0.3 / 0.7)  # about once in 1,000 beats)
    # C4 (in C major), C#4 and D#4 (not)
    sung, pitches = [], set()
    for seed in range(200):
        mel = decode_counts(logits, np.random.default_rng(seed), 1.0, key_mask(0, "major"),
                            repair=False)[0, 0, 0]
        sung.append(mel.any(axis=1).mean())
        pitches |= set(np.flatnonzero(mel.any(axis=0)))
    # sings with sigmoid(logit(1 - 0.7**3) + 0.5) = 0.76, always on the in-key row
    assert pitches == {36} and 0.66 < np.mean(sung) < 0.86


def test_melody_is_restruck_only_on_eighths_so_a_chosen_eighth_stays_whole():
    from core.music.decode import decode_counts

    logits = np.full((1, 3, 2, 16, 84), -12.0)
    logits[0, 0, 0, :, 40] = 8.0  # one held melody pitch ...
    logits[0, 0, 1, :, 40] = 8.0  # ... whose onset map fires on every sixteenth
    roll = decode_counts(logits, np.random.default_rng(0), 1.0, None, repair=False)
    onsets = np.flatnonzero(roll[0, 0, 1, :, 40])
    assert list(onsets) == list(range(0, 16, 2))  # re-struck every eighth, never between


def test_regenerated_harmony_is_fitted_to_the_kept_melody():
    """The chord-agreement term looks at the user's kept tracks, not at the candidate's own
    (discarded) melody: the new harmony agrees more with the kept one (lower TD)."""
    fresh = MusicGenerator.from_folder(default_model_dir())
    td = {}
    for fit in (4.0, 0.0):
        values = []
        for seed in range(4):
            fresh.harmonic_fit = 0.0
            song = fresh.generate(bars=8, seed=seed)[0]
            fresh.harmonic_fit = fit
            new = fresh.regenerate_track(song, "harmony", seed=seed + 100)
            assert notes_of(new)["melody"] == notes_of(song)["melody"]
            values.append(song_metrics(new)["pairs"]["TD melody-harmony"])
        td[fit] = np.mean(values)
    assert td[4.0] < td[0.0] - 0.05


def test_chorale_parts_sound_all_the_time_like_the_chorales():
    """The chorales never leave a part silent for a bar (soprano, alto+tenor, bass); before
    the per-style calibration the generated chorale bass sounded in 72 % of the steps."""
    gen = load_generator()
    shares = {"melody": [], "harmony": [], "bass": []}
    # The network as calibrated (form=None): a composed chorale also breathes at its
    # cadences (tests/core/test_sampler_settings.py).
    for s in gen.generate(bars=8, seed=4, key="G", style="chorale", variations=4, form=None):
        roll = song_to_roll(s, 8)
        for t, role in enumerate(shares):
            shares[role].append(roll[t, 0].any(axis=1).mean())
    assert all(np.mean(v) > 0.95 for v in shares.values()), {k: np.mean(v) for k, v in shares.items()}


def test_accompaniment_offset_decides_whether_harmony_sounds():
    from core.music.decode import decode_counts

    logits = np.full((1, 3, 2, 16, 84), -12.0)
    logits[0, 1, 0, :, 40:44] = np.log(0.1 / 0.9)  # four cells at 0.1: expected 0.4 notes
    by_count, calibrated = [], []
    for seed in range(100):
        a = decode_counts(logits, np.random.default_rng(seed), 1.0, None)[0, 1, 0]
        b = decode_counts(logits, np.random.default_rng(seed), 1.0, None,
                          accompaniment_offset=(6.0, 0.0))[0, 1, 0]
        by_count.append(a.any(axis=1).mean())
        calibrated.append(b.any(axis=1).mean())
    # by count it sounds about 40 % of the time; P(any cell) = 1 - 0.9**4 = 0.34, +6 logits
    # -> 0.99
    assert 0.3 < np.mean(by_count) < 0.5 and np.mean(calibrated) > 0.97


def test_bar_shared_draws_keep_each_beat_s_odds_and_group_rests_into_bars():
    """_bar_shared: every beat still sounds as often (its draw stays uniform), but with a
    share of the beats taking their bar's draw, a track that sounds in about half of its
    beats falls silent for whole bars far more often than independent beats would."""
    from core.music.decode import NOISE_SPAN, _bar_shared

    rng = np.random.default_rng(0)
    beats = rng.random((4000, 8, 1))
    u = np.repeat(beats, NOISE_SPAN, axis=2).reshape(4000, 8 * NOISE_SPAN)  # 2 bars of 16
    assert _bar_shared(u, rng, 0.0) is u
    shared = _bar_shared(u, rng, 0.8)
    per_beat = shared[:, ::NOISE_SPAN]
    assert np.array_equal(np.repeat(per_beat, NOISE_SPAN, axis=1), shared)  # still per beat
    hist, _ = np.histogram(per_beat, bins=10, range=(0, 1))
    assert np.all(np.abs(hist / per_beat.size - 0.1) < 0.01)  # still uniform
    # A beat sounds where its draw is over 0.5; a bar is empty where no beat sounds.
    empty_independent = (u[:, ::NOISE_SPAN].reshape(4000, 2, 4) < 0.5).all(axis=2).mean()
    empty_shared = (per_beat.reshape(4000, 2, 4) < 0.5).all(axis=2).mean()
    assert abs(empty_independent - 0.5 ** 4) < 0.02
    assert empty_shared > 2.5 * empty_independent
    every = _bar_shared(u, rng, 1.0)[:, ::NOISE_SPAN].reshape(4000, 2, 4)
    assert np.all(every == every[:, :, :1])  # share 1: one draw per bar
