"""The sampler's settings, read from the model folder's ``sampler.json``.

Settings belong to the model they were chosen for, not to the code: a retrained model
brings its own. Every setting has a NEUTRAL value, the one that does nothing (no chord
bonus, no filled bars, no reuse variation...); a model folder without ``sampler.json``
(or without one of its entries) samples with the neutral value, and the tests reset each
setting to it to show that it matters.

Layout (format_version 1)::

    {"format_version": 1,
     "decode": {...},
     "compose": {"lieder": {...}, "chorale": {...}}}

``decode`` (the network's notes; core/music/decode.py and sample.py), each chosen on a
VALIDATION slice of the training split (core/training/music_evaluate.py: 800 training
phrases as reference, the conditions of 200, seeds 50000+), never on held-out songs; the
model card tells the measurements:
- ``pitch_temperature`` per track (melody, harmony, bass), times the user's temperature:
  a GAN favours its safest notes (harmony/bass pitch-class entropy 2.24 / 1.99 bits
  against the songs' 2.61 / 2.30); 1.6 from 1.0 / 1.3 / 1.6 / 2.0 (melody from 1.0 to 3.0);
- ``sound_logit_offset`` per style, (melody, harmony, bass) in logits, or null for the
  count rule: each part sounds as often as the validation songs (chorale parts
  nearly always; ``python -m core.training.music_evaluate MODEL CACHE --calibrate``);
- ``accompaniment_bar_share``: share of harmony/bass beat draws (sound or rest) taken
  from one draw per bar, so a piano hand rests for whole bars (0.8 from 0 to 1.0);
- ``melody_round_span``: steps that share the melody's sound-or-rest draw (16, a bar:
  a singer's rests come together; from 8 / 16);
- ``register_weight`` per track and ``proximity_weight``: weights of the pitch priors
  (range and melodic-interval profiles, core/music/priors.py): (1, 2, 2) and 2;
- ``harmonic_fit``: weight of the chord-agreement term between the parts (2 from 2 / 3 / 4).

``compose`` per style (core/music/compose.py, form.py, shaping.py):
- ``chord_weight``: log-probability bonus of chord tones in the network's pitch choice,
  ``melody_strong`` (beats 1 and 3), ``melody_weak``, ``harmony``, ``bass``, and
  ``bass_root`` (the chord's bass note where a chord begins);
- ``repeat_variation``: weights of "exact", "rhythm" (same rhythm, new pitches) and
  "ending" (a new ending) for a repeated section other than a chorus;
- ``chorus_inner_repeat``: a chorus's later phrases begin as its first;
- ``fill_tracks``: per track (melody, harmony, bass), whether every bar sounds (the
  melody: every bar of a sung phrase);
- ``instrumental_sections``: section kinds the voice does not sing (a Lied's piano intro);
- ``cadence_hold_steps``: how long a phrase's last note is held (one is drawn);
- ``breath_steps``: the rest before the next phrase;
- ``authentic_tonic_share``: how often an authentic cadence inside the song ends on the
  tonic itself (else another tone of the tonic chord; the song's last note always does);
- ``default_form``: the style's typical form, what ``bench music`` measures;
- ``accompaniment_figure_share``: how often a later bar of a phrase takes the harmony's
  and bass's rhythm of the phrase's first bar (re-pitched to its chord): a piano figure;
- ``fill_min_steps``: per track, the steps of its 16 a bar must sound not to count as
  thin; a thin bar takes the figure of its section's nearest full bar (as an empty one);
- ``bass_max_leap``: semitones beyond which a bass note moves by octaves towards the
  note before it (0: never).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from core.errors import ModelError

SETTINGS_FILE = "sampler.json"
NEUTRAL_COMPOSE = {
    "chord_weight": {"melody_strong": 0.0, "melody_weak": 0.0, "harmony": 0.0, "bass": 0.0,
                     "bass_root": 0.0},
    "repeat_variation": {"exact": 1.0, "rhythm": 0.0, "ending": 0.0},
    "chorus_inner_repeat": False,
    "fill_tracks": [False, False, False],
    "instrumental_sections": [],
    "cadence_hold_steps": [16],
    "breath_steps": 0,
    "authentic_tonic_share": 1.0,
    "default_form": "verse chorus verse chorus",
    "accompaniment_figure_share": 0.0,
    "bass_max_leap": 0,
    "fill_min_steps": [1, 1, 1],
}


NEUTRAL_DECODE = {
    "pitch_temperature": [1.0, 1.0, 1.0],
    "sound_logit_offset": {},  # a style not named: the melody at 0, the others by count
    "accompaniment_bar_share": 0.0,
    "melody_round_span": 4,  # one draw per beat, as every other draw
    "register_weight": [0.0, 0.0, 0.0],
    "proximity_weight": 0.0,
    "harmonic_fit": 0.0,
}


class SamplerSettings:
    def __init__(self, raw: dict | None = None, path: Path | None = None):
        self.raw = raw or {"format_version": 1}
        self.path = path

    @classmethod
    def load(cls, model_dir: Path) -> SamplerSettings:
        file = Path(model_dir) / SETTINGS_FILE
        if not file.exists():
            return cls(None, None)
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or int(raw.get("format_version", 0)) != 1:
                raise ValueError("unknown format_version")
            for style, st in raw.get("compose", {}).items():
                _check_compose(style, st)
            _check_decode(raw.get("decode", {}))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ModelError(f"missing or invalid sampler settings ({exc})", file) from exc
        return cls(raw, file)

    def decode(self) -> dict:
        """The decoder's settings, neutral where the file says nothing."""
        out = copy.deepcopy(NEUTRAL_DECODE)
        out.update(copy.deepcopy(self.raw.get("decode", {})))
        return out

    def sound_offset(self, style: str) -> tuple:
        """(melody, harmony, bass) sounding offsets of a style; None = the count rule."""
        v = self.decode()["sound_logit_offset"].get(style, [0.0, None, None])
        return tuple(None if x is None else float(x) for x in v)

    def compose(self, style: str) -> dict:
        """The style's compose settings, neutral where the file says nothing."""
        out = copy.deepcopy(NEUTRAL_COMPOSE)
        out.update(copy.deepcopy(self.raw.get("compose", {}).get(style, {})))
        return out


def _check_decode(d: dict) -> None:
    if not isinstance(d, dict):
        raise ValueError("decode is not an object")
    unknown = set(d) - set(NEUTRAL_DECODE)
    if unknown:
        raise ValueError(f"decode: unknown settings {sorted(unknown)}")
    for name in ("pitch_temperature", "register_weight"):
        v = d.get(name, [1.0, 1.0, 1.0])
        if len(v) != 3 or not all(0 <= float(x) <= 10 for x in v):
            raise ValueError(f"decode.{name} = {v!r}")
    for style, v in d.get("sound_logit_offset", {}).items():
        if len(v) != 3 or not all(x is None or -10 <= float(x) <= 10 for x in v):
            raise ValueError(f"decode.sound_logit_offset.{style} = {v!r}")
    if int(d.get("melody_round_span", 4)) not in (4, 8, 16):
        raise ValueError(f"decode.melody_round_span = {d.get('melody_round_span')!r}")
    for name in ("accompaniment_bar_share",):
        if not 0 <= float(d.get(name, 0)) <= 1:
            raise ValueError(f"decode.{name} = {d.get(name)!r}")
    for name in ("proximity_weight", "harmonic_fit"):
        if not 0 <= float(d.get(name, 0)) <= 20:
            raise ValueError(f"decode.{name} = {d.get(name)!r}")


def _check_compose(style: str, st: dict) -> None:
    if not isinstance(st, dict):
        raise ValueError(f"compose.{style} is not an object")
    unknown = set(st) - set(NEUTRAL_COMPOSE)
    if unknown:
        raise ValueError(f"compose.{style}: unknown settings {sorted(unknown)}")
    for k, v in st.get("chord_weight", {}).items():
        if k not in NEUTRAL_COMPOSE["chord_weight"] or not 0 <= float(v) <= 20:
            raise ValueError(f"compose.{style}.chord_weight.{k} = {v!r}")
    if len(st.get("fill_min_steps", [1, 1, 1])) != 3 or not all(
            1 <= int(x) <= 16 for x in st.get("fill_min_steps", [1, 1, 1])):
        raise ValueError(f"compose.{style}.fill_min_steps = {st.get('fill_min_steps')!r}")
    if len(st.get("fill_tracks", [0, 0, 0])) != 3:
        raise ValueError(f"compose.{style}.fill_tracks needs 3 values")
    holds = st.get("cadence_hold_steps", [16])
    if not holds or not all(1 <= int(h) <= 16 for h in holds):
        raise ValueError(f"compose.{style}.cadence_hold_steps = {holds!r}")
    if not 0 <= int(st.get("breath_steps", 0)) <= 8:
        raise ValueError(f"compose.{style}.breath_steps = {st.get('breath_steps')!r}")
