"""The sampler's settings, read from the model folder's ``sampler.json``.

Settings belong to the model they were chosen for, not to the code: a retrained model
brings its own. Every setting has a NEUTRAL value, the one that does nothing (no chord
bonus, no filled bars, no reuse variation...); a model folder without ``sampler.json``
(or without one of its entries) samples with the neutral value, and the tests reset each
setting to it to show that it matters.

Layout (format_version 1)::

    {"format_version": 1,
     "compose": {"lieder": {...}, "chorale": {...}}}

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
- ``melody_conform_share``: how often a melody note on beat 1 or 3 that is not a chord
  tone is moved to one (the network's pitch choice already leans to chord tones).
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
    "melody_conform_share": 0.0,
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
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ModelError(f"missing or invalid sampler settings ({exc})", file) from exc
        return cls(raw, file)

    def compose(self, style: str) -> dict:
        """The style's compose settings, neutral where the file says nothing."""
        out = copy.deepcopy(NEUTRAL_COMPOSE)
        out.update(copy.deepcopy(self.raw.get("compose", {}).get(style, {})))
        return out


def _check_compose(style: str, st: dict) -> None:
    if not isinstance(st, dict):
        raise ValueError(f"compose.{style} is not an object")
    unknown = set(st) - set(NEUTRAL_COMPOSE)
    if unknown:
        raise ValueError(f"compose.{style}: unknown settings {sorted(unknown)}")
    for k, v in st.get("chord_weight", {}).items():
        if k not in NEUTRAL_COMPOSE["chord_weight"] or not 0 <= float(v) <= 20:
            raise ValueError(f"compose.{style}.chord_weight.{k} = {v!r}")
    if len(st.get("fill_tracks", [0, 0, 0])) != 3:
        raise ValueError(f"compose.{style}.fill_tracks needs 3 values")
    holds = st.get("cadence_hold_steps", [16])
    if not holds or not all(1 <= int(h) <= 16 for h in holds):
        raise ValueError(f"compose.{style}.cadence_hold_steps = {holds!r}")
    if not 0 <= int(st.get("breath_steps", 0)) <= 8:
        raise ValueError(f"compose.{style}.breath_steps = {st.get('breath_steps')!r}")
