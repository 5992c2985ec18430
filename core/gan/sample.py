"""Fast music generation with the shipped GAN: numpy only, no torch, no training code.

``load_generator()`` reads ``resources/models/music-gan`` (safetensors + config.json) and
returns a cached ``MusicGenerator``. Everything is deterministic: the same seed and
options give the same notes (latents come from ``SeedSequence([seed, variation])``, the
binarisation noise from a separate stream, so changing the temperature keeps the latents).

How notes are made (documented in MODEL_CARD.md):
- Out-of-key pitches get probability 0 unless ``allow_chromatic`` (natural minor plus the
  raised seventh in minor), so every note is in the key asked for.
- Note counts, not coin flips (``decode_counts``): at each step a track plays as many
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
import json
import math
import threading
from pathlib import Path
from typing import NamedTuple

import numpy as np

from core.errors import ModelError, SongloomError
from core.gan import numpy_net as net
from core.gan.priors import load_priors
from core.jobs import NEVER_CANCELLED, CancelToken, ProgressFn, no_progress
from core.pianoroll import (
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
from core.song import Note, Song, Track
from core.theory import key_name, parse_key, parse_mode, scale_pitch_classes

STYLES = ("lieder", "chorale")
MAX_BARS = 512
MAX_VARIATIONS = 64
REGENERATE_CANDIDATES = 8
SELECTION_CANDIDATES = 8
ONSET_FLOOR = 0.05
NOISE_SPAN = 4  # steps that share one sampling noise value per pitch (see binarize)
MELODY_PITCH_SPAN = 2  # the melody's pitch is chosen per eighth (see decode_counts)
# How the sampler's settings below were chosen: on a VALIDATION slice of the TRAINING split
# (core/gan/evaluate.py validation_set: 800 training phrases as reference, the conditions of
# 200 of them, seeds 50000+), never on the held-out split the model card reports.
#
# Weight of the chord-agreement term in decode_counts, from 2 / 3 / 4 (it was 4 while the
# harmony and bass pitch choice was untempered; with PITCH_TEMPERATURE, already 3 made the
# parts agree more than the songs do: TD melody-harmony 0.56 against 0.76).
HARMONIC_FIT = 2.0
# The melody's sound-or-rest rounding draws one uniform per bar: every step still sounds
# with its probability, but the rests of a bar come together, as a singer's do between
# phrases, instead of as scattered gaps. From 8 / 16 steps (8 left too few empty bars
# once the melody's sounding probability stopped being cut by the key mask).
MELODY_ROUND_SPAN = 16
# Calibration of each track's sounding probability (the chance that any of its cells is
# on, read before the key mask), in logits, per style: (melody, harmony, bass). A GAN
# under-covers rare modes, here whole steps: the network's melody sounds in 69 % of the
# steps of the validation Lieder and 71 % of the chorales', where the songs sing in 72 %
# and 99.5 %; the chorale bass sounded in 72 % of the steps (the chorales: 99.6 %) and left
# 1.3 % of its bars empty (the chorales: none). Each offset is chosen from
# evaluate.SOUND_OFFSETS so that the decoded track sounds as often as the validation
# songs' (``python -m core.gan.evaluate MODEL CACHE --calibrate``), not by the empty-bar
# rates the issue targets. None keeps the count rule for the Lieder accompaniment: offset
# 0 matched its sounding share better (0.90 / 0.88 against the songs' 0.87 / 0.87; the count
# rule 0.91 / 0.84) but scattered the bass's rests (validation bass EB 0.003-0.009 over 3
# seed sets against the songs' 0.028; the count rule 0.014-0.019) at the same 11 of 12
# validation targets.
# Calibrating the chorales costs a validation target too (11 of 12 in each seed set: bass
# EB 0.014-0.019 against 0.028), because their bass's spurious empty bars had been making
# up for the Lieder bass's missing ones; a chorale bass that drops out for a quarter of
# the time is the worse fault, so it is calibrated.
# Whether harmony and bass sound is drawn once per ACCOMPANIMENT_ROUND_SPAN steps (a beat;
# from 4 / 8 / 16: a bar left 7 % of the Lieder harmony's bars empty).
ACCOMPANIMENT_ROUND_SPAN = 4
# Share of the harmony's and bass's beat draws (sound or rest) that are taken from one draw
# per bar instead of the beat's own (see _bar_shared). With independent beats the
# accompaniment left too few whole bars empty: on the validation slice over 5 seed sets,
# harmony EB 0.006-0.018 and bass EB 0.011-0.026 against the songs' 0.021 and 0.028
# (10.4 of 12 targets met on average). From 0 / 0.6 / 0.7 / 0.8 / 0.9 / 1.0, 0.8 met the
# most (11.4, tied with 0.7; the smaller gap of the mean EBs, harmony 0.0205 and bass
# 0.032, broke the tie); 1.0 overshoots (bass EB up to 0.05).
ACCOMPANIMENT_BAR_SHARE = 0.8
SOUND_LOGIT_OFFSET = {"lieder": (0.0, None, None), "chorale": (5.0, 5.0, 4.0)}
# Pitch-choice temperature per track (melody, harmony, bass), multiplied by the user's
# ``temperature``. The trained network's harmony and bass pitch choices are sharper than the
# songs' (pitch-class entropy 2.24 / 1.99 bits per phrase against 2.61 / 2.30 in the
# validation songs): a GAN favours its safest notes. 1.6 from 1.0 / 1.3 / 1.6 / 2.0. The
# melody's spread was right (2.11 against 2.17 bits) until the pitch priors narrowed it
# (1.70 bits, 6.9 semitones a phrase against 2.12 and 9.5). Its temperature widens where
# it moves, not whether it holds (_melody_line). Re-chosen from 1.0 / 1.3 / 1.6 / 2.0 / 2.5
# / 3.0 over 3 validation seed sets: most targets met (1.0 and 1.6 tie), then entropy
# nearest the songs' among those whose melody still sounds with its accompaniment as often
# as the songs' does (evaluate.melody_chord_share within 0.02 of the songs' 0.606): 1.6,
# with 1.82 bits, 7.3 semitones, 0.596 (3.0: 1.96 bits but 0.57). It costs rhythm in the
# chorales: 4.8 melody notes a bar against 4.4 at 1.0 (the chorales: 3.0; Lieder 3.2 against
# 3.0, songs 3.3), since a hotter pick the network would not hold moves on sooner.
PITCH_TEMPERATURE = (1.6, 1.6, 1.6)
# Weights of the pitch priors (core/gan/priors.py: Temperley's range and proximity
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
_PICKLE_MAGIC = (b"\x80", b"PK\x03\x04")  # pickle protocol >= 2, torch.save zip archive
_cache: dict[tuple[str, float], MusicGenerator] = {}
_cache_lock = threading.Lock()


def default_model_dir() -> Path:
    from core.paths import models_dir

    return models_dir() / "music-gan"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Weights as numpy arrays; refuses pickles and reports corrupt files as ModelError."""
    if not path.is_file():
        raise ModelError("model weights are missing", path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_PICKLE_MAGIC):
        raise ModelError("is a pickle/PyTorch archive, not safetensors; refusing to load it "
                         "(pickles can run code)", path)
    from safetensors.numpy import load_file

    try:
        header_len = int.from_bytes(head, "little")
        if len(head) < 8 or header_len > path.stat().st_size:
            raise ValueError("bad header length")
        return {k: v.astype(np.float32) for k, v in load_file(str(path)).items()}
    except Exception as exc:  # noqa: BLE001 - any parse failure means a corrupt file
        raise ModelError(f"corrupt safetensors weights ({exc})", path) from exc


def load_generator(model_dir: str | Path | None = None, device: str = "cpu") -> MusicGenerator:
    """Load (once; cached by folder and file time) the shipped music model.

    ``device`` is accepted for the shared contract; sampling runs in numpy on the CPU,
    which takes milliseconds, so a GPU would only add start-up time.
    """
    folder = Path(model_dir) if model_dir else default_model_dir()
    weights_file = folder / "generator.safetensors"
    try:
        stamp = weights_file.stat().st_mtime
    except OSError as exc:
        raise ModelError("model weights are missing", weights_file) from exc
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
        self.harmonic_fit = HARMONIC_FIT  # chord-agreement weight; evaluate.py also measures 0
        self.candidates = SELECTION_CANDIDATES  # latent draws the critic chooses among
        self.g_channels = int(config["g_channels"])
        self.priors = None  # PitchPriors from the model folder (from_folder), or none
        self.register_weight, self.proximity_weight = REGISTER_WEIGHT, PROXIMITY_WEIGHT
        self.sound_offset = {k: tuple(v) for k, v in SOUND_LOGIT_OFFSET.items()}

    @classmethod
    def from_folder(cls, folder: Path) -> MusicGenerator:
        cfg_file = folder / "config.json"
        try:
            config = json.loads(cfg_file.read_text())
            int(config["z_dim"]), int(config["g_channels"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"missing or invalid model config ({exc})", cfg_file) from exc
        weights = read_safetensors(folder / "generator.safetensors")
        expected = f"bars.{N_TRACKS - 1}.up_pitch.weight"
        if expected not in weights or "context.weight" not in weights:
            raise ModelError("not a Songloom music-GAN generator (layers missing)",
                             folder / "generator.safetensors")
        critic_file = folder / "critic.safetensors"
        critic = read_safetensors(critic_file) if critic_file.exists() else None
        gen = cls(weights, critic, config, folder)
        gen.priors = load_priors(folder)
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
                kept=None, style: str = "lieder"):
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
                                 self.sound_offset[style][0], _accompaniment(self.sound_offset[style]))
        return binarize(logits, noise_rng, temperature, pitch_mask, self.repair_fragments)

    def _run(self, bars, latents, cond, first_context, noise_rng, temperature, pitch_mask,
             progress, cancel, done=0.0, share=1.0, style: str = "lieder"):
        phrases = -(-bars // PHRASE_BARS)
        batch = cond.shape[0]
        out = np.zeros((batch, N_TRACKS, 2, phrases * PHRASE_BARS * BAR_STEPS, N_PITCHES), np.uint8)
        context = first_context
        for p in range(phrases):
            cancel.check()
            with net.single_blas_thread():
                roll = self._phrase(latents, p, cond, context, noise_rng, temperature, pitch_mask,
                                    style=style)
            span = PHRASE_BARS * BAR_STEPS
            out[..., p * span:(p + 1) * span, :] = roll
            context = roll[:, :, 0, -BAR_STEPS:].astype(np.float32)
            progress(done + share * (p + 1) / phrases, f"bar {min(bars, (p + 1) * PHRASE_BARS)} of {bars}")
        return out[..., : bars * BAR_STEPS, :]

    # -- public API ---------------------------------------------------------------------
    def generate(self, bars: int = 4, seed: int = 0, key=0, mode: str = "major",
                 style: str = "lieder", tempo: float = 96.0, temperature: float = 1.0,
                 variations: int = 1, allow_chromatic: bool = False,
                 progress: ProgressFn | None = None, cancel: CancelToken | None = None) -> list[Song]:
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
                         cancel: CancelToken | None = None) -> Song:
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
                cand = self._phrase(lat, p, cond, context, noise, temperature, mask,
                                    full[:, :, 0].astype(bool), style)
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


class Priors(NamedTuple):
    """Pitch priors for one decode, already weighted (see core/gan/priors.py)."""

    register: np.ndarray  # (tracks, 84) log-probability of each pitch row per track
    interval: np.ndarray  # (167,) melody interval log-probability, index = interval + 83
    melody_prev: np.ndarray  # (B,) the melody's last sung pitch row before the phrase, -1


def _accompaniment(offsets: tuple) -> tuple | None:
    """The harmony/bass sounding offsets, or None (sound where the count rounds to >= 1)."""
    rest = tuple(offsets[1:])
    return None if not rest or any(v is None for v in rest) else rest


def last_melody_row(context: np.ndarray) -> np.ndarray:
    """(B, T, steps, 84) context bar -> (B,) highest pitch row of the melody's last sounding
    step, -1 where the melody is silent in that bar."""
    mel = context[:, 0] > 0  # (B, steps, 84)
    out = np.full(len(context), -1, np.int64)
    for i in range(len(context)):
        steps = np.flatnonzero(mel[i].any(axis=1))
        if len(steps):
            out[i] = int(np.flatnonzero(mel[i, steps[-1]])[-1])
    return out


def decode_counts(logits: np.ndarray, rng: np.random.Generator, temperature: float,
                  pitch_mask: np.ndarray | None, repair: bool = True,
                  harmonic_fit: float = HARMONIC_FIT, kept: np.ndarray | None = None,
                  priors: Priors | None = None, sound_offset: float = 0.5,
                  accompaniment_offset: tuple[float, ...] | None = None) -> np.ndarray:
    """(B, T, 2, steps, 84) logits -> uint8 roll, by note counts (the default decoder).

    At each step a track plays as many notes as the network expects there (the sum of
    its sounding probabilities, rounded stochastically with one draw per beat), and
    which pitches is drawn without replacement in proportion to their probabilities
    (Gumbel-top-k with one noise value per pitch and beat, so notes hold across the
    beat). Temperature 0 takes the most probable pitches and rounds the count.
    Compared with a coin flip per cell, a hundred unlikely cells cannot add up to stray
    notes five octaves away from the part's register. Re-attacks of a held pitch follow
    the onset map (see ONSET_FLOOR).

    The melody (one voice) sounds with the probability that any of its cells is on,
    ``1 - prod(1 - p)``, not the sum: the network spreads an uncertain note over
    neighbouring pitches, and summing those counts one note several times, which left
    too few rests. That probability is read before the key mask and calibrated by
    ``sound_offset`` (SOUND_LOGIT_OFFSET, per style). With ``accompaniment_offset`` (one
    per track below the melody) harmony and bass sound on the same terms: whether a track
    sounds at a step is drawn from its calibrated chance that any cell is on, and then it
    plays at least one note; without it a track sounds where its expected count rounds to
    one or more. The melody's pitch is chosen per eighth (MELODY_PITCH_SPAN) from the
    mean log-probability over the eighth, so it cannot hop to another pitch for a single
    sixteenth, it is re-struck only on an eighth, and its sound-or-rest draw is shared over
    a bar (MELODY_ROUND_SPAN). Pitch scores are divided by ``temperature`` times the
    track's PITCH_TEMPERATURE.
    Harmony, then bass, are drawn after the parts above them with a bonus of
    ``harmonic_fit`` (in log-probability) times the share of the beat in which a pitch's
    pitch class already sounds above: a product of the network's per-track
    probabilities with a chord-agreement term, because the tracks' cells are otherwise
    drawn independently of each other (see HARMONIC_FIT; 0 turns it off). ``kept``, a
    (B, T, steps, 84) bool sounding map of tracks a user keeps (regenerate one track),
    replaces the parts above: every track is then fitted to all the kept tracks.
    ``priors`` add each track's range profile to its pitch scores and, for the melody, the
    proximity profile of the interval from its previous sung pitch; the melody is then
    chosen eighth by eighth, each choice knowing the last.
    """
    probs = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
    # Whether the singer sings is read before the key mask: the mask decides which pitch,
    # and the network, which has only half learned the key, puts a third of its melody
    # probability on out-of-key rows. Read after it, the melody rested in 48 % of the
    # steps (the songs: 22 %).
    any_on = (1.0 - np.prod(1.0 - probs[:, :, 0], axis=-1)).clip(1e-9, 1 - 1e-9)  # (B, T, steps)
    sings = any_on[:, 0]
    if pitch_mask is not None:
        probs[..., ~pitch_mask] = 0.0
    ps, po = probs[:, :, 0], probs[:, :, 1]
    b, t, steps, p = ps.shape
    expected = ps.sum(axis=-1)
    expected[:, 0] = 1.0 / (1.0 + np.exp(np.log1p(-sings) - np.log(sings) - sound_offset))
    with np.errstate(divide="ignore"):
        logp = np.log(ps)
    melody = logp[:, 0]
    if steps % MELODY_PITCH_SPAN == 0:
        melody = melody.reshape(b, -1, MELODY_PITCH_SPAN, p).mean(axis=2)
        melody = np.repeat(melody, MELODY_PITCH_SPAN, axis=1)
    score = logp.copy()
    score[:, 0] = melody
    if temperature > 0:
        beats = -(-steps // NOISE_SPAN)
        u = rng.random((b, t, beats, 1, p)).clip(1e-12, 1 - 1e-12)
        gumbel = np.repeat(-np.log(-np.log(u)), NOISE_SPAN, axis=3).reshape(b, t, -1, p)[:, :, :steps]
        track_t = np.resize(np.asarray(PITCH_TEMPERATURE, np.float64), t)[None, :, None, None]
        # Whether the melody holds is judged at the network's own temperature (the hotter
        # pitch choice is for where it moves to, see _melody_line).
        hold_score = score[:, 0] / temperature + gumbel[:, 0]
        score = score / (temperature * track_t) + gumbel
        r = np.repeat(rng.random((b, t, beats, 1)), NOISE_SPAN, axis=3).reshape(b, t, -1)[:, :, :steps]
        if MELODY_ROUND_SPAN > NOISE_SPAN and steps % MELODY_ROUND_SPAN == 0:
            rb = rng.random((b, steps // MELODY_ROUND_SPAN, 1))
            r[:, 0] = np.repeat(rb, MELODY_ROUND_SPAN, axis=2).reshape(b, steps)
        if t > 1:
            r[:, 1:] = _bar_shared(r[:, 1:], rng, ACCOMPANIMENT_BAR_SHARE)
        count = np.floor(expected + r)
    else:
        count = np.round(expected)
        hold_score = score[:, 0]
    if accompaniment_offset is not None and t > 1:
        off = np.resize(np.asarray(accompaniment_offset, np.float64), t - 1)[None, :, None]
        p_sound = 1.0 / (1.0 + np.exp(np.log1p(-any_on[:, 1:]) - np.log(any_on[:, 1:]) - off))
        if temperature > 0:
            span = ACCOMPANIMENT_ROUND_SPAN if steps % ACCOMPANIMENT_ROUND_SPAN == 0 else 1
            rs = np.repeat(rng.random((b, t - 1, steps // span, 1)), span, axis=3).reshape(b, t - 1, steps)
            rs = _bar_shared(rs, rng, ACCOMPANIMENT_BAR_SHARE)
            sound = rs >= 1.0 - p_sound
        else:
            sound = p_sound >= 0.5
        count[:, 1:] = np.where(sound, np.maximum(count[:, 1:], 1), 0)
    # A held pitch is struck again where the network gives an onset more than half its
    # sounding probability. The floor keeps pitches the network barely believes in (whose
    # two tiny probabilities have a ratio near 1) from being re-struck every sixteenth.
    on = po / (ps + ONSET_FLOOR) > 0.5
    # The melody's pitch is chosen per eighth, and so are its re-strikes: a re-strike on the
    # second sixteenth split a chosen eighth into two sixteenths (most of the melody's
    # 15 % one-step notes; the songs have 7 %).
    if steps % MELODY_PITCH_SPAN == 0:
        on[:, 0, np.arange(steps) % MELODY_PITCH_SPAN != 0] = False
    count[:, 0] = np.minimum(count[:, 0], 1)  # the melody is one voice
    sounding = np.zeros_like(ps, dtype=bool)
    for ti in range(t):
        bonus = 0.0  # chord term and range profile
        above = sounding[:, :ti] if kept is None else np.delete(kept, ti, axis=1)
        if above.shape[1] and harmonic_fit and steps % NOISE_SPAN == 0:
            bonus = bonus + harmonic_fit * _beat_pitch_classes(above)[..., _PITCH_PC]
        if priors is not None:
            bonus = bonus + priors.register[ti]
        sc = score[:, ti] + bonus
        if ti == 0 and priors is not None:
            sounding[:, 0] = _melody_line(sc, count[:, 0], ps[:, 0] > 0, priors, hold_score + bonus)
            continue
        rank = np.argsort(np.argsort(-sc, axis=-1), axis=-1)
        sounding[:, ti] = (rank < count[:, ti, :, None]) & (ps[:, ti] > 0)
    onsets = on & sounding
    if repair:
        sounding = repair_fragments(sounding, onsets)
    return np.stack([sounding, onsets], axis=2).astype(np.uint8)


def _bar_shared(u: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    """Uniform draws (..., steps), one per beat, of which a random ``share`` of the beats
    take their bar's draw instead: each value is still uniform, so every beat sounds
    exactly as often as before, but the beats of a bar now tend to agree. A piano left
    hand rests for whole bars; with independent beats, a bar fell silent only where the
    network was sure of all four, so the rests came scattered."""
    if share <= 0 or u.shape[-1] % BAR_STEPS:
        return u
    lead = u.shape[:-1]
    bars, beats = u.shape[-1] // BAR_STEPS, u.shape[-1] // NOISE_SPAN
    per_bar = np.repeat(rng.random((*lead, bars)), BAR_STEPS // NOISE_SPAN, axis=-1)
    take = rng.random((*lead, beats)) < share
    beat_u = u[..., ::NOISE_SPAN]
    return np.repeat(np.where(take, per_bar, beat_u), NOISE_SPAN, axis=-1)


def _melody_line(sc: np.ndarray, count: np.ndarray, allowed: np.ndarray, priors: Priors,
                 hold_sc: np.ndarray | None = None) -> np.ndarray:
    """(B, steps, 84) pitch scores, (B, steps) 0/1 counts -> (B, steps, 84) sounding map of
    a one-voice line, eighth by eighth. Whether the line holds its last sung pitch (carried
    over rests and from the bar before) is the network's call: it holds where that pitch
    scores best. Where the network wants another pitch, the proximity profile of the
    interval from the last pitch joins the scores of the other pitches, so the line moves
    about as far as the songs' melodies do.

    Why not add the profile to every pitch at every eighth: it is note to note, so its
    unison is a repeated note, while here the same pitch mostly means a held one. Added
    everywhere, it made chorale melodies (whose profile has almost no repeats) move on every
    eighth, 7.7 notes a bar against the chorales' 3.0, and Lieder melodies (22 % repeats)
    hold too long, 2.2 against 3.3; with the unison kept in the choice of where to move,
    the Lieder repeats became holds (2.6 notes a bar).

    ``hold_sc``: the same scores at the network's own temperature, to judge holding by
    (default ``sc``). The melody's pitch temperature (PITCH_TEMPERATURE) is there to widen
    where it moves; judged at that temperature too, the network's holds lost to noise more
    often and chorale melodies played 5.3 notes a bar (4.9 judged this way; songs 3.0)."""
    b, steps, p = sc.shape
    span = MELODY_PITCH_SPAN if steps % MELODY_PITCH_SPAN == 0 else 1
    out = np.zeros((b, steps, p), bool)
    prev = priors.melody_prev.copy()
    rows = np.arange(p)
    batch = np.arange(b)
    moving = priors.interval.copy()
    moving[N_PITCHES - 1] = -np.inf  # a move goes somewhere else
    hold_sc = sc if hold_sc is None else hold_sc
    for s0 in range(0, steps, span):
        cand = np.where(allowed[:, s0], sc[:, s0], -np.inf)
        held = np.where(allowed[:, s0], hold_sc[:, s0], -np.inf).argmax(axis=1)
        move = (prev >= 0) & (held != prev)
        pick = np.where(prev >= 0, held, cand.argmax(axis=1))  # a first note: the hot choice
        if move.any():
            near = cand + moving[rows[None, :] - np.maximum(prev, 0)[:, None] + N_PITCHES - 1]
            pick = np.where(move, near.argmax(axis=1), pick)
        sings = count[:, s0:s0 + span] >= 1  # (B, span)
        ok = np.isfinite(cand[batch, pick])
        out[batch[:, None], np.arange(s0, s0 + span)[None, :], pick[:, None]] = sings & ok[:, None]
        prev = np.where(sings.any(axis=1) & ok, pick, prev)
    return out


_PITCH_PC = (np.arange(N_PITCHES) + LOWEST_PITCH) % 12
_PC_ONEHOT = (_PITCH_PC[:, None] == np.arange(12)).astype(np.float32)  # (84, 12)


def _beat_pitch_classes(upper: np.ndarray) -> np.ndarray:
    """(B, k, steps, P) bool maps of the tracks decoded so far -> (B, steps, 12): the share
    of each beat in which each pitch class sounds in any of them."""
    b, _, steps, _ = upper.shape
    pcs = upper.any(axis=1).astype(np.float32) @ _PC_ONEHOT > 0  # (B, steps, 12)
    beats = pcs.reshape(b, -1, NOISE_SPAN, 12).mean(axis=2)
    return np.repeat(beats, NOISE_SPAN, axis=1)


def binarize(logits: np.ndarray, rng: np.random.Generator, temperature: float,
             pitch_mask: np.ndarray | None, repair: bool = True) -> np.ndarray:
    """(B, T, 2, steps, 84) logits -> uint8 roll with a coin flip per cell (MuseGAN-style;
    kept for comparison, ``MusicGenerator.decoder = "cells"``): each step is
    Bernoulli(sigmoid(logit / T)) with noise shared per pitch over ``NOISE_SPAN`` steps."""
    logits = logits.copy()
    if pitch_mask is not None:
        logits[..., ~pitch_mask] = -np.inf
    b, t, _, steps, p = logits.shape
    if temperature > 0:
        # Sounding: one noise value per pitch and bar (held notes stay whole). Onsets are
        # single-step events, so they get independent noise per cell.
        u = rng.random((b, t, steps // NOISE_SPAN, 1, p)).clip(1e-6, 1 - 1e-6)
        held = np.repeat(np.log(u) - np.log1p(-u), NOISE_SPAN, axis=3).reshape(b, t, steps, p)
        v = rng.random((b, t, steps, p)).clip(1e-6, 1 - 1e-6)
        noise = np.stack([held, np.log(v) - np.log1p(-v)], axis=2)
        decided = logits / temperature + noise > 0
    else:
        decided = logits > 0
    sounding, onsets = decided[:, :, 0], decided[:, :, 1] & decided[:, :, 0]
    melody = sounding[:, 0]
    top = np.where(melody, logits[:, 0, 0], -np.inf).argmax(axis=2)  # (B, steps)
    mono = np.zeros_like(melody)
    np.put_along_axis(mono, top[..., None], True, axis=2)
    sounding[:, 0] = mono & melody
    onsets = onsets & sounding
    if repair:
        sounding = repair_fragments(sounding, onsets)
    return np.stack([sounding, onsets], axis=2).astype(np.uint8)


def repair_fragments(sounding: np.ndarray, onsets: np.ndarray) -> np.ndarray:
    """Lengthen isolated one-step notes (a 16th blip with silence after it) to an eighth.

    Thresholding probabilities that hover around the cut leaves such blips; a 16th that is
    followed by another note (a run, a re-struck pitch) is left alone. In the melody the
    next step must be silent in every pitch, so the line stays monophonic.
    (B, T, steps, P) bool maps; returns the new sounding map.
    """
    s = sounding.copy()
    prev = np.zeros_like(s)
    prev[:, :, 1:] = s[:, :, :-1]
    nxt = np.zeros_like(s)
    nxt[:, :, :-1] = s[:, :, 1:]
    nxt_onset = np.zeros_like(s)
    nxt_onset[:, :, :-1] = onsets[:, :, 1:]
    starts = s & (~prev | onsets)
    single = starts & (~nxt | nxt_onset)
    free = ~nxt
    free[:, 0] &= ~nxt[:, 0].any(axis=2, keepdims=True)  # melody: whole next step silent
    grow = single & free
    grow[:, :, -1] = False
    s[:, :, 1:] |= grow[:, :, :-1]
    return s


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
