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
  the user's temperature: ``pitch_temperature`` in the model's sampler.json). The MuseGAN-style coin flip per cell is kept
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
    N_PITCHES,
    N_TRACKS,
    PHRASE_BARS,
    TRACK_ROLES,
    roll_to_song,
    song_to_roll,
)
from core.model.song import Song
from core.model.styles import STYLES
from core.model.theory import key_name, parse_key, parse_mode
from core.music import numpy_net as net
from core.music.decode import DecodeSettings, Priors, binarize, decode_counts, last_melody_row
from core.music.priors import load_priors
from core.music.progressions import TABLES_FILE, ChordTables
from core.music.settings import SamplerSettings
from core.music.song_rolls import ensure_track, key_mask, roll_track_notes
from core.music.weights import GENERATOR_FILE, LEGACY_STYLES, load_weights, read_config

MAX_BARS = 512
MAX_VARIATIONS = 64
REGENERATE_CANDIDATES = 8
SELECTION_CANDIDATES = 8
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


# The CLI's bound (a signed 64-bit number): numpy's SeedSequence raises ValueError on a
# negative seed, and a seed of thousands of digits cannot even be put in a song's title.
MAX_SEED = 2**63 - 1


def check_seed(seed) -> int:
    """``seed`` as an int in 0..MAX_SEED; else one SongloomError saying so. Checked here,
    not only in the CLI: the app and scripts call the generator directly."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise SongloomError(f"the seed must be a whole number, got {type(seed).__name__}")
    if not 0 <= int(seed) <= MAX_SEED:
        # str() of an int over 4,300 digits raises ValueError: the size from its bits
        digits = int(abs(int(seed)).bit_length() * math.log10(2)) + 1
        shown = seed if abs(int(seed)) < 10**30 else f"a number of about {digits:,} digits"
        raise SongloomError(f"the seed must be between 0 and {MAX_SEED}, got {shown}")
    return int(seed)


def _check_options(bars: int, key, mode: str, style: str, temperature: float,
                   styles: tuple[str, ...] = STYLES) -> tuple[int, str]:
    """``styles``: the model's own (a model may know a style the app's list does not yet
    name, e.g. a pop model trained before its release)."""
    if not isinstance(bars, int) or not 1 <= bars <= MAX_BARS:
        raise SongloomError(f"bars must be between 1 and {MAX_BARS}, got {bars}")
    known = tuple(dict.fromkeys((*STYLES, *styles)))
    if style not in known:
        raise SongloomError(f"unknown style {style!r} (use {' or '.join(known)})")
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
        self.settings = SamplerSettings()  # sampler.json (from_folder); neutral without it
        self.candidates = SELECTION_CANDIDATES  # latent draws the critic chooses among
        self.g_channels = int(config["g_channels"])
        self.priors = None  # PitchPriors from the model folder (from_folder), or none
        self.chord_tables = None  # chord_tables.json (from_folder): the composer's chords
        self.apply_settings(self.settings)

    @classmethod
    def from_folder(cls, folder: Path) -> MusicGenerator:
        """The model in ``folder``: every size in its config bounded, every tensor checked
        against the config and for finite values (core/music/weights.py)."""
        folder = Path(folder)
        config = read_config(folder)
        weights, critic = load_weights(folder, config)
        gen = cls(weights, critic, config, folder)
        gen.priors = load_priors(folder)
        gen.apply_settings(SamplerSettings.load(folder))
        gen.chord_tables = ChordTables.load(folder)
        if gen.chord_tables is None and (default_model_dir() / TABLES_FILE).is_file():
            # A model trained before the composer existed: the shipped model's progressions
            # (Roman numerals per style, not tied to its weights) rather than no song at all.
            gen.chord_tables = ChordTables.load(default_model_dir())
        return gen

    def apply_settings(self, settings: SamplerSettings) -> None:
        """Take the sampler's settings (core/music/settings.py) as the attributes the
        decoder reads; evaluation changes these attributes to compare values."""
        self.settings = settings
        d = settings.decode()
        self.harmonic_fit = float(d["harmonic_fit"])  # chord-agreement weight
        self.register_weight = tuple(d["register_weight"])
        self.proximity_weight = float(d["proximity_weight"])
        self.sound_offset = {st: settings.sound_offset(st) for st in self.styles}
        self.decode_settings = DecodeSettings(int(d["melody_round_span"]),
                                              float(d["accompaniment_bar_share"]),
                                              tuple(d["pitch_temperature"]),
                                              float(d["melody_return_penalty"]))

    @property
    def styles(self) -> tuple[str, ...]:
        """The styles this model was trained on, in its conditioning order."""
        return tuple(self.config.get("styles", LEGACY_STYLES))

    def condition(self, style: str, key: int, minor: int, batch: int = 1) -> np.ndarray:
        """The network's condition for ``style`` (one clear error for a style the app
        knows but this model was not trained on)."""
        if style not in self.styles:
            raise SongloomError(f"style {style!r} needs a model trained on it; the model in "
                                f"{self.folder} knows {' and '.join(self.styles)}")
        return net.condition(self.styles.index(style), key, minor, batch, len(self.styles))

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
                                 pitch_bonus=pitch_bonus, settings=self.decode_settings)
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
                 form: str | None = "auto", chords: str | None = None,
                 arrangement: str | None = None) -> list[Song]:
        """``variations`` songs. With a ``form`` (a preset, a list of sections, or "auto":
        one chosen for ``bars``) and optional ``chords``, each is composed: sections that
        come back, chords, cadences (core/music/compose.py). ``form=None`` gives the
        network's raw phrases, chained (evaluation and tests of the network itself).
        ``arrangement``: the arrangement style (pop, rock...) the song is written for; its
        composing settings replace the model style's where it names them."""
        seed = check_seed(seed)
        if form is not None or chords is not None:
            return self._compose(bars, seed, key, mode, style, tempo, temperature, variations,
                                 allow_chromatic, progress, cancel, form or "auto", chords,
                                 arrangement)
        bars = 4 if bars is None else bars
        tonic, mode = _check_options(bars, key, mode, style, temperature, self.styles)
        if not 1 <= int(variations) <= MAX_VARIATIONS:
            raise SongloomError(f"variations must be between 1 and {MAX_VARIATIONS}, got {variations}")
        if not 20 <= float(tempo) <= 400:
            raise SongloomError(f"tempo must be between 20 and 400 BPM, got {tempo}")
        progress, cancel = progress or no_progress, cancel or NEVER_CANCELLED
        mask = None if allow_chromatic else key_mask(tonic, mode)
        cond = self.condition(style, tonic, int(mode == "minor"))
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
                 allow_chromatic, progress, cancel, form, chords,
                 arrangement=None) -> list[Song]:
        from core.music.compose import compose, form_bars

        total = form_bars(bars if bars is not None else (None if form != "auto" else 4), form)
        tonic, mode = _check_options(total, key, mode, style, temperature, self.styles)
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
                                 temperature, allow_chromatic, v, tempo, title, step, cancel,
                                 arrangement=arrangement))
        return songs

    def compose_settings(self, style: str, arrangement: str | None = None) -> dict:
        """The style's composing settings from the model folder (core/music/settings.py),
        those the ``arrangement`` style names replacing them."""
        return self.settings.compose(style, arrangement)

    def continue_song(self, song: Song, bars: int, seed: int, temperature: float = 1.0,
                      style: str = "lieder", allow_chromatic: bool = False,
                      progress: ProgressFn | None = None,
                      cancel: CancelToken | None = None) -> Song:
        """Append ``bars`` bars that follow from the song's last bar, in the song's key."""
        _check_four_four(song)
        seed = check_seed(seed)
        _check_options(bars, song.key, song.mode, style, temperature, self.styles)
        progress, cancel = progress or no_progress, cancel or NEVER_CANCELLED
        have = song.bar_count()
        roll = song_to_roll(song, max(have, 1))
        context = roll[None, :, 0, -BAR_STEPS:].astype(np.float32) if have else \
            np.zeros((1, N_TRACKS, BAR_STEPS, N_PITCHES), np.float32)
        cond = self.condition(style, song.key, int(song.mode == "minor"))
        mask = None if allow_chromatic else key_mask(song.key, song.mode)
        latents = self._choose_latents(seed, 0, bars, cond, context, temperature, mask, style)
        noise = np.random.default_rng(np.random.SeedSequence([seed, 0, 1]))
        new = self._run(bars, latents, cond, context, noise, temperature, mask, progress, cancel,
                        style=style)[0]
        out = copy.deepcopy(song)
        offset = have * song.ticks_per_bar()
        for t, role in enumerate(TRACK_ROLES):
            notes = roll_track_notes(new[t], offset)
            if notes:
                ensure_track(out, role, t, style).notes.extend(notes)
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
        seed = check_seed(seed)
        if pitch_bonus is None and song.chords:
            # A song with chords: the new track follows them and its phrases end on
            # cadences (core/music/compose.py, which calls back here with its pitch bonus).
            from core.music.compose import regenerate_track

            return regenerate_track(self, song, role, seed, temperature, style,
                                    allow_chromatic, progress=progress, cancel=cancel)
        _check_four_four(song)
        bars = song.bar_count()
        if bars < 1:
            raise SongloomError("the song has no notes to keep; generate a new one instead")
        _check_options(min(bars, MAX_BARS), song.key, song.mode, style, temperature,
                       self.styles)
        progress, cancel = progress or no_progress, cancel or NEVER_CANCELLED
        t_idx = TRACK_ROLES.index(role)
        phrases = -(-bars // PHRASE_BARS)
        span = PHRASE_BARS * BAR_STEPS
        roll = song_to_roll(song, phrases * PHRASE_BARS)
        roll[t_idx] = 0
        cond = self.condition(style, song.key, int(song.mode == "minor"), candidates)
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
        track = ensure_track(out, role, t_idx, style)
        track.notes = roll_track_notes(roll[t_idx, :, : bars * BAR_STEPS], 0)
        return out

    def critic_scores(self, rolls: np.ndarray, style: str, tonic: int, mode: str) -> np.ndarray:
        """The critic's realism score for (B, 3, 2, 80, 84) context+phrase windows."""
        if self.critic is None:
            raise ModelError("this model ships no critic weights", self.folder)
        cond = self.condition(style, tonic, int(mode == "minor"), len(rolls))
        return net.critic_score(self.critic, rolls.astype(np.float32), cond)


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


