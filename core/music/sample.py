"""Fast music generation with the shipped GAN: numpy only, no torch, no training code.

``load_generator()`` reads ``resources/models/music-gan`` (safetensors + config.json) and
returns a cached ``MusicGenerator``. Everything is deterministic: the same seed and
options give the same notes (latents come from ``SeedSequence([seed, variation])``, the
binarisation noise from a separate stream, so changing the temperature keeps the latents).

How notes are made (documented in MODEL_CARD.md):
- Out-of-key pitches get probability 0 unless ``allow_chromatic`` (natural minor plus the
  raised seventh in minor), so every note is in the key asked for.
- Note counts, not coin flips (``decode_counts`` in decode.py): at each step a track plays as many
  notes as its probabilities add up to (at most one in the melody, which sings with the
  chance that any of its cells is on, read before the key mask), the pitches drawn in
  proportion to their probabilities with noise shared over a beat; ``temperature`` 0 takes
  the most likely pitches, higher values flatten the choice (harmony and bass at 1.6 times
  the user's temperature: PITCH_TEMPERATURE). The MuseGAN-style coin flip per cell is kept
  as ``decoder = "cells"`` for comparison.
- Each song's latents are the best of 8 draws as judged by the trained critic on the
  first phrase (discriminator rejection sampling).
- An isolated one-step note (a 16th with silence after it) is lengthened to an eighth.
- Long songs are chained 4-bar phrases: the temporal noise sequence runs on across phrase
  boundaries and each phrase sees the last bar of the previous one.
"""

from __future__ import annotations

import copy
import errno
import math
import threading
from pathlib import Path

import numpy as np

from core.errors import ModelError, SongloomError
from core.jobs import NEVER_CANCELLED, CancelToken, ProgressFn, no_progress
from core.model.pianoroll import (
    BAR_STEPS,
    LOWEST_PITCH,
    N_PITCHES,
    N_TRACKS,
    PHRASE_BARS,
    TICKS_PER_STEP,
    TRACK_ROLES,
    roll_notes,
    roll_to_song,
    song_to_roll,
    track_for_role,
)
from core.model.song import Note, Song, Track
from core.model.styles import STYLES
from core.model.theory import key_name, parse_key, parse_mode, scale_pitch_classes
from core.music import decode
from core.music import numpy_net as net
from core.music.decode import Priors, binarize, decode_counts, last_melody_row
from core.music.priors import load_priors
from core.music.progressions import ChordTables
from core.music.settings import SamplerSettings
from core.music.weights import GENERATOR_FILE, load_weights, read_config

MAX_BARS = 512
MAX_VARIATIONS = 64
REGENERATE_CANDIDATES = 8
SELECTION_CANDIDATES = 8
# The settings below were chosen on the validation slice, as the decoder's were (see the
# note at the top of core/music/decode.py's settings).
# Calibration of each track's sounding probability (the chance that any of its cells is
# on, read before the key mask), in logits, per style: (melody, harmony, bass). A GAN
# under-covers rare modes, here whole steps: the network's melody sounds in 69 % of the
# steps of the validation Lieder and 71 % of the chorales', where the songs sing in 72 %
# and 99.5 %; the chorale bass sounded in 72 % of the steps (the chorales: 99.6 %) and left
# 1.3 % of its bars empty (the chorales: none). Each offset is chosen from
# evaluate.SOUND_OFFSETS so that the decoded track sounds as often as the validation
# songs' (``python -m core.training.music_evaluate MODEL CACHE --calibrate``), not by the empty-bar
# rates the issue targets. None keeps the count rule for the Lieder accompaniment: offset
# 0 matched its sounding share better (0.90 / 0.88 against the songs' 0.87 / 0.87; the count
# rule 0.91 / 0.84) but scattered the bass's rests (validation bass EB 0.003-0.009 over 3
# seed sets against the songs' 0.028; the count rule 0.014-0.019) at the same 11 of 12
# validation targets.
# Calibrating the chorales costs a validation target too (11 of 12 in each seed set: bass
# EB 0.014-0.019 against 0.028), because their bass's spurious empty bars had been making
# up for the Lieder bass's missing ones; a chorale bass that drops out for a quarter of
# the time is the worse fault, so it is calibrated.
SOUND_LOGIT_OFFSET = {"lieder": (0.0, None, None), "chorale": (5.0, 5.0, 4.0)}
# Weights of the pitch priors (core/music/priors.py: Temperley's range and proximity
# profiles, from the training songs) in the pitch choice, in log-probability, added after
# the temperature so a hot draw is adventurous within a part's register rather than five
# octaves wide. Chosen on the validation slice (evaluate.SWEEP) by the rows they are for:
# register per track (melody, harmony, bass) from (0,0,0) / (1,1,1) / (1,2,2) / (1,3,3) /
# (2,2,2) by pitch range nearest the songs' (harmony 17.7 and bass 19.1 semitones against
# 17.6 and 20.8; at 1 they spread over 21.9 and 23.2, without priors over 65 and 60);
# proximity from 0 / 0.5 / 0.75 / 1 / 2 / 3 by the mean relative gap on the melody rows the
# priors act on (interval PI, pitch range, pitch-class entropy, UPC): 2 gives 0.127 (PI
# 2.15 against the songs' 2.27, range 7.0 against 9.5), 1 gives 0.135, 0.75 0.147, 3 0.183,
# none 0.296 (PI 4.15). The melody stays narrower and plainer than the songs'.
REGISTER_WEIGHT = (1.0, 2.0, 2.0)
PROXIMITY_WEIGHT = 2.0
_cache: dict[tuple[str, float], MusicGenerator] = {}
_cache_lock = threading.Lock()


def default_model_dir() -> Path:
    from core.paths import models_dir

    return models_dir() / "music-gan"


def load_generator(model_dir: str | Path | None = None, device: str = "cpu") -> MusicGenerator:
    """Load (once; cached by folder and file time) the shipped music model.

    ``device`` is accepted for the shared contract; sampling runs in numpy on the CPU,
    which takes milliseconds, so a GPU would only add start-up time.
    """
    folder = Path(model_dir) if model_dir else default_model_dir()
    weights_file = folder / GENERATOR_FILE
    try:
        stamp = weights_file.stat().st_mtime
    except OSError as exc:
        why = "a symbolic link loop" if exc.errno == errno.ELOOP else "model weights are missing"
        raise ModelError(why, weights_file) from None
    key = (str(folder.resolve()), stamp)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = MusicGenerator.from_folder(folder)
        return _cache[key]


def _check_options(bars: int, key, mode: str, style: str, temperature: float) -> tuple[int, str]:
    if not isinstance(bars, int) or not 1 <= bars <= MAX_BARS:
        raise SongloomError(f"bars must be between 1 and {MAX_BARS}, got {bars}")
    if style not in STYLES:
        raise SongloomError(f"unknown style {style!r} (use {' or '.join(STYLES)})")
    if not (isinstance(temperature, int | float) and math.isfinite(temperature)
            and 0 <= temperature <= 5):
        raise SongloomError(f"temperature must be between 0 and 5, got {temperature}")
    tonic = parse_key(key) if isinstance(key, str) else int(key) % 12
    return tonic, parse_mode(mode)


class MusicGenerator:
    def __init__(self, weights: dict, critic: dict | None, config: dict, folder: Path):
        self.weights, self.critic, self.config, self.folder = weights, critic, config, folder
        self.z_dim = int(config["z_dim"])
        self.repair_fragments = True  # see repair_fragments(); evaluate.py measures both
        self.decoder = "counts"  # or "cells": see decode_counts() and binarize()
        self.harmonic_fit = decode.HARMONIC_FIT  # chord-agreement weight; evaluate.py also measures 0
        self.candidates = SELECTION_CANDIDATES  # latent draws the critic chooses among
        self.g_channels = int(config["g_channels"])
        self.priors = None  # PitchPriors from the model folder (from_folder), or none
        self.settings = SamplerSettings()  # sampler.json (from_folder); neutral without it
        self.chord_tables = None  # chord_tables.json (from_folder): the composer's chords
        self.register_weight, self.proximity_weight = REGISTER_WEIGHT, PROXIMITY_WEIGHT
        self.sound_offset = {k: tuple(v) for k, v in SOUND_LOGIT_OFFSET.items()}

    @classmethod
    def from_folder(cls, folder: Path) -> MusicGenerator:
        """The model in ``folder``: every size in its config bounded, every tensor checked
        against the config and for finite values (core/music/weights.py)."""
        folder = Path(folder)
        config = read_config(folder)
        weights, critic = load_weights(folder, config)
        gen = cls(weights, critic, config, folder)
        gen.priors = load_priors(folder)
        gen.settings = SamplerSettings.load(folder)
        gen.chord_tables = ChordTables.load(folder)
        return gen

    # -- latents and decoding ---------------------------------------------------------
    def _latents(self, seed: int, variation: int, bars: int, candidate: int = 0):
        # Per-bar noise is drawn bar by bar, so a longer song with the same seed starts
        # with exactly the bars of the shorter one.
        extra = [2, candidate] if candidate else []
        rng = np.random.default_rng(np.random.SeedSequence([seed, variation, *extra]))
        z, n = self.z_dim, bars + 2
        f = np.float32
        shared = rng.standard_normal((1, z)).astype(f)
        private = rng.standard_normal((1, N_TRACKS, z)).astype(f)
        per_bar = rng.standard_normal((n, 1 + N_TRACKS, z)).astype(f)
        return (shared, per_bar[None, :, 0], private, per_bar[:, 1:].transpose(1, 0, 2)[None])

    def _choose_latents(self, seed, variation, bars, cond, context, temperature, pitch_mask,
                        style):
        """The best of ``self.candidates`` latent draws, judged by the trained critic on the
        first phrase (discriminator rejection sampling, after Azadi et al., ICLR 2019).

        Judging only the first phrase keeps a longer song's opening equal to the shorter
        song's; the song-level latents chosen here carry the character of the whole song.
        """
        padded = -(-bars // PHRASE_BARS) * PHRASE_BARS
        if self.critic is None or self.candidates <= 1:
            return self._latents(seed, variation, padded)
        draws = [self._latents(seed, variation, padded, c) for c in range(self.candidates)]
        rolls = []
        for lat in draws:  # each decoded exactly as _run will decode the first phrase
            noise = np.random.default_rng(np.random.SeedSequence([seed, variation, 1]))
            with net.single_blas_thread():
                rolls.append(self._phrase(lat, 0, cond, context, noise, temperature, pitch_mask,
                                          style=style)[0])
        first = np.stack(rolls)
        before = np.zeros_like(first[:, :, :, :BAR_STEPS])
        before[:, :, 0] = context[0] > 0
        window = np.concatenate([before, first], axis=3).astype(np.float32)
        k = len(draws)
        with net.single_blas_thread():
            scores = net.critic_score(self.critic, window, np.repeat(cond, k, axis=0))
        return draws[int(np.argmax(scores))]

    def _phrase(self, latents, p: int, cond, context, noise_rng, temperature, pitch_mask,
                kept=None, style: str = "lieder", pitch_bonus=None):
        z, zt, zi, zit = latents
        window = slice(p * PHRASE_BARS, p * PHRASE_BARS + PHRASE_BARS + 2)
        logits = net.generator_logits(self.weights, self.g_channels, z, zt[:, window], zi,
                                      zit[:, :, window], cond, context)
        if self.decoder == "counts":
            priors = None
            if self.priors is not None:
                weight = np.resize(np.asarray(self.register_weight, np.float64), N_TRACKS)
                priors = Priors(weight[:, None] * self.priors.register[style],
                                self.proximity_weight * self.priors.interval[style],
                                last_melody_row(context))
            return decode_counts(logits, noise_rng, temperature, pitch_mask,
                                 self.repair_fragments, self.harmonic_fit, kept, priors,
                                 self.sound_offset[style][0], _accompaniment(self.sound_offset[style]),
                                 pitch_bonus=pitch_bonus)
        return binarize(logits, noise_rng, temperature, pitch_mask, self.repair_fragments)

    def _run(self, bars, latents, cond, first_context, noise_rng, temperature, pitch_mask,
             progress, cancel, done=0.0, share=1.0, style: str = "lieder", pitch_bonus=None):
        """``pitch_bonus``: (tracks, bars * 16, 84) log-probability added to each track's
        pitch choice (the composer's chords, core/music/compose.py), or None."""
        phrases = -(-bars // PHRASE_BARS)
        span = PHRASE_BARS * BAR_STEPS
        if pitch_bonus is not None:
            pitch_bonus = _pad_steps(pitch_bonus, phrases * span)
        batch = cond.shape[0]
        out = np.zeros((batch, N_TRACKS, 2, phrases * PHRASE_BARS * BAR_STEPS, N_PITCHES), np.uint8)
        context = first_context
        for p in range(phrases):
            cancel.check()
            with net.single_blas_thread():
                bonus = None if pitch_bonus is None else pitch_bonus[None, :, p * span:(p + 1) * span]
                roll = self._phrase(latents, p, cond, context, noise_rng, temperature, pitch_mask,
                                    style=style, pitch_bonus=bonus)
            out[..., p * span:(p + 1) * span, :] = roll
            context = roll[:, :, 0, -BAR_STEPS:].astype(np.float32)
            progress(done + share * (p + 1) / phrases, f"bar {min(bars, (p + 1) * PHRASE_BARS)} of {bars}")
        return out[..., : bars * BAR_STEPS, :]

    # -- public API ---------------------------------------------------------------------
    def generate(self, bars: int | None = None, seed: int = 0, key=0, mode: str = "major",
                 style: str = "lieder", tempo: float = 96.0, temperature: float = 1.0,
                 variations: int = 1, allow_chromatic: bool = False,
                 progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                 form: str | None = "auto", chords: str | None = None) -> list[Song]:
        """``variations`` songs. With a ``form`` (a preset, a list of sections, or "auto":
        one chosen for ``bars``) and optional ``chords``, each is composed: sections that
        come back, chords, cadences (core/music/compose.py). ``form=None`` gives the
        network's raw phrases, chained (evaluation and tests of the network itself)."""
        if form is not None or chords is not None:
            return self._compose(bars, seed, key, mode, style, tempo, temperature, variations,
                                 allow_chromatic, progress, cancel, form or "auto", chords)
        bars = 4 if bars is None else bars
        tonic, mode = _check_options(bars, key, mode, style, temperature)
        if not 1 <= int(variations) <= MAX_VARIATIONS:
            raise SongloomError(f"variations must be between 1 and {MAX_VARIATIONS}, got {variations}")
        if not 20 <= float(tempo) <= 400:
            raise SongloomError(f"tempo must be between 20 and 400 BPM, got {tempo}")
        progress, cancel = progress or no_progress, cancel or NEVER_CANCELLED
        mask = None if allow_chromatic else key_mask(tonic, mode)
        cond = net.condition(STYLES.index(style), tonic, int(mode == "minor"))
        songs = []
        for v in range(int(variations)):
            context = np.zeros((1, N_TRACKS, BAR_STEPS, N_PITCHES), np.float32)
            latents = self._choose_latents(seed, v, bars, cond, context, temperature, mask, style)
            noise = np.random.default_rng(np.random.SeedSequence([seed, v, 1]))
            roll = self._run(bars, latents, cond, context, noise, temperature, mask, progress,
                             cancel, v / variations, 1 / variations, style)[0]
            title = f"{style.title()} in {key_name(tonic, mode)}, seed {seed}"
            if variations > 1:
                title += f", variation {v + 1}"
            songs.append(roll_to_song(roll, tonic, mode, tempo, style, title))
        return songs

    def _compose(self, bars, seed, key, mode, style, tempo, temperature, variations,
                 allow_chromatic, progress, cancel, form, chords) -> list[Song]:
        from core.music.compose import compose, form_bars

        total = form_bars(bars if bars is not None else (None if form != "auto" else 4), form)
        tonic, mode = _check_options(total, key, mode, style, temperature)
        if not 1 <= int(variations) <= MAX_VARIATIONS:
            raise SongloomError(f"variations must be between 1 and {MAX_VARIATIONS}, got {variations}")
        if not 20 <= float(tempo) <= 400:
            raise SongloomError(f"tempo must be between 20 and 400 BPM, got {tempo}")
        progress = progress or no_progress
        songs = []
        for v in range(int(variations)):
            title = f"{style.title()} in {key_name(tonic, mode)}, seed {seed}"
            if variations > 1:
                title += f", variation {v + 1}"

            def step(done, message, v=v):
                progress((v + done) / variations, message)

            songs.append(compose(self, total, form, chords, seed, tonic, mode, style,
                                 temperature, allow_chromatic, v, tempo, title, step, cancel))
        return songs

    def compose_settings(self, style: str) -> dict:
        """The style's composing settings from the model folder (core/music/settings.py)."""
        return self.settings.compose(style)

    def continue_song(self, song: Song, bars: int, seed: int, temperature: float = 1.0,
                      style: str = "lieder", allow_chromatic: bool = False,
                      progress: ProgressFn | None = None,
                      cancel: CancelToken | None = None) -> Song:
        """Append ``bars`` bars that follow from the song's last bar, in the song's key."""
        _check_four_four(song)
        _check_options(bars, song.key, song.mode, style, temperature)
        progress, cancel = progress or no_progress, cancel or NEVER_CANCELLED
        have = song.bar_count()
        roll = song_to_roll(song, max(have, 1))
        context = roll[None, :, 0, -BAR_STEPS:].astype(np.float32) if have else \
            np.zeros((1, N_TRACKS, BAR_STEPS, N_PITCHES), np.float32)
        cond = net.condition(STYLES.index(style), song.key, int(song.mode == "minor"))
        mask = None if allow_chromatic else key_mask(song.key, song.mode)
        latents = self._choose_latents(seed, 0, bars, cond, context, temperature, mask, style)
        noise = np.random.default_rng(np.random.SeedSequence([seed, 0, 1]))
        new = self._run(bars, latents, cond, context, noise, temperature, mask, progress, cancel,
                        style=style)[0]
        out = copy.deepcopy(song)
        offset = have * song.ticks_per_bar()
        for t, role in enumerate(TRACK_ROLES):
            notes = _roll_track_notes(new[t], offset)
            if notes:
                _ensure_track(out, role, t, style).notes.extend(notes)
        return out

    def regenerate_track(self, song: Song, role: str, seed: int, temperature: float = 1.0,
                         style: str = "lieder", allow_chromatic: bool = False,
                         candidates: int = REGENERATE_CANDIDATES,
                         progress: ProgressFn | None = None,
                         cancel: CancelToken | None = None, pitch_bonus=None) -> Song:
        """Keep the other tracks and write a new ``role`` track over the song's bars.

        The latents behind a MIDI file are unknown, so for each 4-bar phrase this draws
        ``candidates`` fresh latent sets (new private latents for the track), splices each
        candidate track into the kept ones, and keeps the one the trained critic rates most
        realistic together with them (and with the bar before).
        """
        if role not in TRACK_ROLES:
            raise SongloomError(f"unknown track {role!r} (use {', '.join(TRACK_ROLES)})")
        _check_four_four(song)
        bars = song.bar_count()
        if bars < 1:
            raise SongloomError("the song has no notes to keep; generate a new one instead")
        _check_options(min(bars, MAX_BARS), song.key, song.mode, style, temperature)
        progress, cancel = progress or no_progress, cancel or NEVER_CANCELLED
        t_idx = TRACK_ROLES.index(role)
        phrases = -(-bars // PHRASE_BARS)
        span = PHRASE_BARS * BAR_STEPS
        roll = song_to_roll(song, phrases * PHRASE_BARS)
        roll[t_idx] = 0
        cond = net.condition(STYLES.index(style), song.key, int(song.mode == "minor"), candidates)
        mask = None if allow_chromatic else key_mask(song.key, song.mode)
        noise = np.random.default_rng(np.random.SeedSequence([seed, 0, 1]))
        lat = [np.concatenate(parts) for parts in zip(*(
            self._latents(seed, c, phrases * PHRASE_BARS) for c in range(candidates)), strict=True)]
        for p in range(phrases):
            cancel.check()
            lo = p * span
            before = roll[:, :, lo - BAR_STEPS:lo] if p else np.zeros_like(roll[:, :, :BAR_STEPS])
            context = np.repeat(before[None, :, 0].astype(np.float32), candidates, axis=0)
            full = np.repeat(roll[None, :, :, lo:lo + span], candidates, axis=0)
            with net.single_blas_thread():  # the new track is fitted to the kept ones
                bonus = None if pitch_bonus is None else _pad_steps(
                    pitch_bonus[:, lo:lo + span], span)[None]
                cand = self._phrase(lat, p, cond, context, noise, temperature, mask,
                                    full[:, :, 0].astype(bool), style, bonus)
            full[:, t_idx] = cand[:, t_idx]
            best = 0
            if self.critic is not None:
                window = np.concatenate([np.repeat(before[None], candidates, 0), full], axis=3)
                with net.single_blas_thread():
                    scores = net.critic_score(self.critic, window.astype(np.float32), cond)
                best = int(np.argmax(scores))
            roll[t_idx, :, lo:lo + span] = full[best, t_idx]
            progress((p + 1) / phrases, f"bar {min(bars, (p + 1) * PHRASE_BARS)} of {bars}")
        out = copy.deepcopy(song)
        track = _ensure_track(out, role, t_idx, style)
        track.notes = _roll_track_notes(roll[t_idx, :, : bars * BAR_STEPS], 0)
        return out

    def critic_scores(self, rolls: np.ndarray, style: str, tonic: int, mode: str) -> np.ndarray:
        """The critic's realism score for (B, 3, 2, 80, 84) context+phrase windows."""
        if self.critic is None:
            raise ModelError("this model ships no critic weights", self.folder)
        cond = net.condition(STYLES.index(style), tonic, int(mode == "minor"), len(rolls))
        return net.critic_score(self.critic, rolls.astype(np.float32), cond)


def key_mask(tonic: int, mode: str) -> np.ndarray:
    """(84,) bool: which pitch rows are in the key."""
    pcs = scale_pitch_classes(tonic, mode)
    return np.array([(i + LOWEST_PITCH) % 12 in pcs for i in range(N_PITCHES)])


def _pad_steps(bonus: np.ndarray, steps: int) -> np.ndarray:
    """(tracks, n, 84) -> (tracks, steps, 84), zeros after n (bars the song does not have)."""
    out = np.zeros((bonus.shape[0], steps, bonus.shape[2]), np.float64)
    out[:, :min(steps, bonus.shape[1])] = bonus[:, :steps]
    return out


def _accompaniment(offsets: tuple) -> tuple | None:
    """The harmony/bass sounding offsets, or None (sound where the count rounds to >= 1)."""
    rest = tuple(offsets[1:])
    return None if not rest or any(v is None for v in rest) else rest


def _check_four_four(song: Song) -> None:
    ts = song.time_signature
    if ts.numerator * 4 // ts.denominator != 4 or ts.numerator * 4 % ts.denominator:
        raise SongloomError(f"the music model writes 4/4 bars; this song is in "
                            f"{ts.numerator}/{ts.denominator}")


def _roll_track_notes(track_roll: np.ndarray, offset_ticks: int) -> list[Note]:
    return [Note(offset_ticks + s * TICKS_PER_STEP, (e - s) * TICKS_PER_STEP, p + LOWEST_PITCH, 90)
            for s, e, p in roll_notes(track_roll[0], track_roll[1])]


def _ensure_track(song: Song, role: str, index: int, style: str) -> Track:
    track = track_for_role(song, role)
    if track is None:
        template = roll_to_song(np.zeros((N_TRACKS, 2, BAR_STEPS, N_PITCHES), np.uint8),
                                style=style).tracks[index]
        used = {t.channel for t in song.tracks}
        template.channel = next(c for c in range(16) if c != 9 and c not in used)
        song.tracks.append(template)
        track = template
    return track
