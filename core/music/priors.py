"""Pitch priors for the sampler: where each part sits (range) and how a melody moves (proximity).

Why: the GAN's per-cell probabilities say little about octave. Its melody puts real mass
an octave or two away from where it sings (cells at A3 and A1 beside C5), and the note
counts decoder draws from all of it, so generated melodies leapt more than an octave in
29 % of their intervals (the songs: 0.1 %) and the bass climbed into the soprano's
register. Temperley's melodic model (D. Temperley, *Music and Probability*, MIT Press
2007, ch. 4) scores a pitch as the product of a RANGE profile (where the voice sits) and a
PROXIMITY profile (how far from the previous note); the sampler multiplies the network's
probabilities by the same two profiles, estimated here from the TRAINING split:

- ``register[style][track]``: log-probability of each of the 84 pitch rows, from the
  sounding cells of the training songs, spread over the -6..+5 semitone shifts training
  applies (so a key's register is not pinned to the keys the corpus happens to use), with
  add-one smoothing;
- ``interval[style]``: log-probability of the interval between consecutive melody notes
  (Temperley's proximity profile: note to note, rests skipped, a repeated pitch counted as
  0), with add-one smoothing. Note to note, not eighth to eighth: on the eighth grid a
  held note counts as a run of 0s, and the network already says where a note holds, so
  that profile made every note hold (the melodies sang one note a bar).

``build_priors`` is the training side (needs the parsed corpus); ``load_priors`` is all
the app needs and reads one small JSON file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.errors import ModelError
from core.model.pianoroll import LOWEST_PITCH, N_PITCHES, N_TRACKS
from core.model.styles import STYLES

PRIORS_FILE = "pitch_priors.json"
SHIFTS = range(-6, 6)  # training's transposition augmentation (train.transpose_batch)


def _log_normalised(counts: np.ndarray) -> list[float]:
    c = counts.astype(np.float64) + 1.0  # add-one: no pitch or interval is impossible
    return [round(float(v), 4) for v in np.log(c / c.sum())]


def sung_line(notes: np.ndarray) -> np.ndarray:
    """A parsed song's melody as sung: the highest pitch struck at each melody onset."""
    top: dict[int, int] = {}
    for _, start, _, pitch in notes[notes[:, 0] == 0]:
        top[int(start)] = max(top.get(int(start), 0), int(pitch))
    return np.asarray([top[k] for k in sorted(top)], np.int64)


def build_priors(songs, styles: tuple[str, ...] = STYLES) -> dict:
    """Range profiles per style and track, and the melody's note-to-note interval profile
    per style, from parsed songs (pass the training split only); ``styles``: the model's."""
    names = tuple(styles)
    register = np.zeros((len(names), N_TRACKS, N_PITCHES), np.float64)
    interval = np.zeros((len(names), 2 * N_PITCHES - 1), np.float64)
    for song in songs:
        s = names.index(song.style)
        for track, start, end, pitch in song.notes:
            p = int(pitch) - LOWEST_PITCH
            if 0 <= p < N_PITCHES:
                register[s, track, p] += int(end) - int(start)
        sung = sung_line(song.notes)
        if len(sung) > 1:
            np.add.at(interval[s], np.diff(sung) + N_PITCHES - 1, 1)
    spread = np.zeros_like(register)
    for k in SHIFTS:  # the register of every key training shows the network
        if k >= 0:
            spread[..., k:] += register[..., :N_PITCHES - k]
        else:
            spread[..., :k] += register[..., -k:]
    return {"format_version": 1, "lowest_pitch": LOWEST_PITCH, "styles": list(names),
            "register": {st: [_log_normalised(spread[i, t]) for t in range(N_TRACKS)]
                         for i, st in enumerate(names)},
            "interval": {st: _log_normalised(interval[i]) for i, st in enumerate(names)}}


def save_priors(priors: dict, model_dir: Path) -> None:
    from core.io.atomic_write import atomic_write_json

    # 0o644: shipped files must be readable by every user of an install.
    atomic_write_json(Path(model_dir) / PRIORS_FILE, priors, separators=(",", ":"), mode=0o644)


class PitchPriors:
    """Log-probability tables ready for the sampler, per style."""

    def __init__(self, register: dict[str, np.ndarray], interval: dict[str, np.ndarray]):
        self.register = register  # style -> (tracks, 84)
        self.interval = interval  # style -> (167,), index = interval + 83


def load_priors(model_dir: Path) -> PitchPriors | None:
    """The model folder's priors, or None where it has none (a model trained before them)."""
    from core.io.safe_json import load_json_file

    file = Path(model_dir) / PRIORS_FILE
    if not (file.exists() or file.is_symlink()):
        return None
    # A user's file: regular, bounded, plain JSON (a deeply nested one used to raise
    # RecursionError); what it holds is checked below.
    try:
        raw = load_json_file(file, error_cls=ModelError, what="pitch priors")
    except ModelError as exc:
        raise ModelError(f"invalid pitch priors: {exc.reason}", file) from None
    try:
        # The styles the file was built for (a model's own list; older files: the two).
        names = raw.get("styles", ["lieder", "chorale"])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("'styles' is not a list of names")
        register = {st: np.asarray(raw["register"][st], np.float64) for st in names}
        interval = {st: np.asarray(raw["interval"][st], np.float64) for st in names}
        if any(r.shape != (N_TRACKS, N_PITCHES) for r in register.values()) or any(
                i.shape != (2 * N_PITCHES - 1,) for i in interval.values()):
            raise ValueError("tables of the wrong shape")
        if not all(np.isfinite(a).all() for a in [*register.values(), *interval.values()]):
            raise ValueError("non-finite values")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"missing or invalid pitch priors ({exc})", file) from exc
    return PitchPriors(register, interval)
