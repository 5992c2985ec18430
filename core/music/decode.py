"""How a track's note probabilities become notes (numpy only): the note-count decoder,
the melody's line, whole-bar accompaniment rests, the chord-agreement term, and the
settings each was chosen with. ``sample.py`` runs the network and calls ``decode_counts``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core.model.pianoroll import BAR_STEPS, LOWEST_PITCH, N_PITCHES

ONSET_FLOOR = 0.05
NOISE_SPAN = 4  # steps that share one sampling noise value per pitch (see binarize)
MELODY_PITCH_SPAN = 2  # the melody's pitch is chosen per eighth (see decode_counts)
# Whether harmony and bass sound is drawn once per ACCOMPANIMENT_ROUND_SPAN steps (a beat;
# from 4 / 8 / 16: a bar left 7 % of the Lieder harmony's bars empty). The grid of the
# draws, not a tuned weight; the tuned settings are the model's (DecodeSettings).
ACCOMPANIMENT_ROUND_SPAN = 4


class DecodeSettings(NamedTuple):
    """The decoder's tuned settings, read from the model folder's ``sampler.json``
    (core/music/settings.py says how each was chosen). The defaults are NEUTRAL: each
    does nothing (a draw per beat, no shared bar draws, the network's own temperature)."""

    melody_round_span: int = NOISE_SPAN  # steps sharing the melody's sound-or-rest draw
    accompaniment_bar_share: float = 0.0  # share of accompaniment beats taking the bar's draw
    pitch_temperature: tuple[float, ...] = (1.0, 1.0, 1.0)  # per track, times the user's
    melody_return_penalty: float = 0.0  # log-probability off a move back to the pitch before


class Priors(NamedTuple):
    """Pitch priors for one decode, already weighted (see core/music/priors.py)."""

    register: np.ndarray  # (tracks, 84) log-probability of each pitch row per track
    interval: np.ndarray  # (167,) melody interval log-probability, index = interval + 83
    melody_prev: np.ndarray  # (B,) the melody's last sung pitch row before the phrase, -1


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
                  harmonic_fit: float = 0.0, kept: np.ndarray | None = None,
                  priors: Priors | None = None, sound_offset: float = 0.5,
                  accompaniment_offset: tuple[float, ...] | None = None,
                  pitch_bonus: np.ndarray | None = None,
                  settings: DecodeSettings = DecodeSettings()) -> np.ndarray:
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
    ``sound_offset`` (``sound_logit_offset`` in sampler.json, per style). With ``accompaniment_offset`` (one
    per track below the melody) harmony and bass sound on the same terms: whether a track
    sounds at a step is drawn from its calibrated chance that any cell is on, and then it
    plays at least one note; without it a track sounds where its expected count rounds to
    one or more. The melody's pitch is chosen per eighth (MELODY_PITCH_SPAN) from the
    mean log-probability over the eighth, so it cannot hop to another pitch for a single
    sixteenth, it is re-struck only on an eighth, and its sound-or-rest draw is shared over
    ``settings.melody_round_span`` steps. Pitch scores are divided by ``temperature`` times
    the track's ``settings.pitch_temperature``.
    Harmony, then bass, are drawn after the parts above them with a bonus of
    ``harmonic_fit`` (in log-probability) times the share of the beat in which a pitch's
    pitch class already sounds above: a product of the network's per-track
    probabilities with a chord-agreement term, because the tracks' cells are otherwise
    drawn independently of each other (0 turns it off). ``kept``, a
    (B, T, steps, 84) bool sounding map of tracks a user keeps (regenerate one track),
    replaces the parts above: every track is then fitted to all the kept tracks.
    ``priors`` add each track's range profile to its pitch scores and, for the melody, the
    proximity profile of the interval from its previous sung pitch; the melody is then
    chosen eighth by eighth, each choice knowing the last. ``pitch_bonus``, (B or 1, T,
    steps, 84) log-probability, joins every track's pitch scores as the priors do: the
    composer's chords (chord tones favoured, strongly on strong beats), not whether a
    track sounds.
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
        track_t = np.resize(np.asarray(settings.pitch_temperature, np.float64), t)[None, :, None, None]
        # Whether the melody holds is judged at the network's own temperature (the hotter
        # pitch choice is for where it moves to, see _melody_line).
        hold_score = score[:, 0] / temperature + gumbel[:, 0]
        score = score / (temperature * track_t) + gumbel
        r = np.repeat(rng.random((b, t, beats, 1)), NOISE_SPAN, axis=3).reshape(b, t, -1)[:, :, :steps]
        span = int(settings.melody_round_span)
        if span > NOISE_SPAN and steps % span == 0:
            rb = rng.random((b, steps // span, 1))
            r[:, 0] = np.repeat(rb, span, axis=2).reshape(b, steps)
        if t > 1:
            r[:, 1:] = _bar_shared(r[:, 1:], rng, settings.accompaniment_bar_share)
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
            rs = _bar_shared(rs, rng, settings.accompaniment_bar_share)
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
        if pitch_bonus is not None:
            bonus = bonus + pitch_bonus[:, ti]
        sc = score[:, ti] + bonus
        if ti == 0 and priors is not None:
            sounding[:, 0] = _melody_line(sc, count[:, 0], ps[:, 0] > 0, priors, hold_score + bonus,
                                          settings.melody_return_penalty)
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
                 hold_sc: np.ndarray | None = None, return_penalty: float = 0.0) -> np.ndarray:
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
    (default ``sc``). The melody's pitch temperature (pitch_temperature) is there to widen
    where it moves; judged at that temperature too, the network's holds lost to noise more
    often and chorale melodies played 5.3 notes a bar (4.9 judged this way; songs 3.0).

    ``return_penalty``: taken off the scores of the pitch the line left for the last one,
    where it moves: with the proximity profile's pull to small steps alone, the line
    trilled (a-b-a-b in 7-11 % of its four-note runs against 1.6 % in the Lieder, 4.0 %
    in POP909)."""
    b, steps, p = sc.shape
    span = MELODY_PITCH_SPAN if steps % MELODY_PITCH_SPAN == 0 else 1
    out = np.zeros((b, steps, p), bool)
    prev = priors.melody_prev.copy()
    before = np.full(b, -1, np.int64)  # the pitch sung before ``prev`` (-1: none)
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
            if return_penalty:
                near = near - return_penalty * ((rows[None, :] == before[:, None])
                                                & (before >= 0)[:, None])
            pick = np.where(move, near.argmax(axis=1), pick)
        sings = count[:, s0:s0 + span] >= 1  # (B, span)
        ok = np.isfinite(cand[batch, pick])
        out[batch[:, None], np.arange(s0, s0 + span)[None, :], pick[:, None]] = sings & ok[:, None]
        new = sings.any(axis=1) & ok
        before = np.where(new & (pick != prev), prev, before)
        prev = np.where(new, pick, prev)
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
