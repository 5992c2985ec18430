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
  the melody's too (2.0 and 2.4 widened it, but with the return penalty below they
  overshot the songs' UPC and range);
- ``sound_logit_offset`` per style, (melody, harmony, bass) in logits, or null for the
  count rule: each part sounds as often as the validation songs (chorale parts
  nearly always; ``python -m core.training.music_evaluate MODEL CACHE --calibrate``);
- ``accompaniment_bar_share``: share of harmony/bass beat draws (sound or rest) taken
  from one draw per bar, so a piano hand rests for whole bars (0.8 from 0 to 1.0);
- ``melody_round_span``: steps that share the melody's sound-or-rest draw (16, a bar:
  a singer's rests come together; from 8 / 16);
- ``register_weight`` per track and ``proximity_weight``: weights of the pitch priors
  (range and melodic-interval profiles, core/music/priors.py): (1, 2, 2) and 2 (the
  melody's 0.25 widened its phrases but let a verse sink to the bottom of the roll);
- ``harmonic_fit``: weight of the chord-agreement term between the parts (2 from 2 / 3 / 4);
- ``melody_return_penalty``: log-probability taken off a melody's move back to the pitch it
  just left (core/music/decode.py _melody_line): without it the line trilled a-b-a-b in
  7-11 % of its four-note runs (the Lieder 1.6 %, POP909 4.0 %) and its UPC and range were
  2.3-2.5 and 8.2-8.5 semitones a phrase against the Lieder's 2.7-2.8 and 9.6-10.1; 1 from
  0 / 1 / 2 with the melody's temperature 1.6 / 2.0 / 2.4 and the Lieder's melody chord
  bonus 1.5 / 1.0 / 0.5, on the composed songs' cross-validation rows, seeds 30000+
  (tests/core/test_melody_settings.py).

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
  note before it (0: never);
- ``chord_table``: whose progressions the style draws from ``chord_tables.json`` (a style
  of that file; "": its own model style's): the band styles play pop songs' chords;
- ``melody_diminution``: the share of a phrase's melody notes of a quarter or longer
  (not its cadence bar's) sung as two notes, the second a step towards the next note, as a
  pop singer sets more syllables to a bar than a Lied;
- ``chorus_lift``: how much a chorus's melody leans upwards (the pitch bonus, in
  log-probability, an octave above the melody's register; as much less an octave
  below): a chorus is sung higher than the verses;
- ``resolve_dissonances``: a melody note held a beat or longer outside its chord moves
  to a chord tone unless it resolves by step (core/music/shaping.py).

An arrangement style of core/model/styles.py (pop, rock...) composes with its model
style's settings (lieder's), each setting it names in ``compose`` replacing that one.
"""

from __future__ import annotations

import copy
import os
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
    "chord_table": "",
    "melody_diminution": 0.0,
    "chorus_lift": 0.0,
    "resolve_dissonances": False,
}


NEUTRAL_DECODE = {
    "pitch_temperature": [1.0, 1.0, 1.0],
    "sound_logit_offset": {},  # a style not named: the melody at 0, the others by count
    "accompaniment_bar_share": 0.0,
    "melody_round_span": 4,  # one draw per beat, as every other draw
    "register_weight": [0.0, 0.0, 0.0],
    "proximity_weight": 0.0,
    "harmonic_fit": 0.0,
    "melody_return_penalty": 0.0,
}


class SamplerSettings:
    def __init__(self, raw: dict | None = None, path: Path | None = None):
        self.raw = raw or {"format_version": 1}
        self.path = path

    @classmethod
    def load(cls, model_dir: Path) -> SamplerSettings:
        from core.io.safe_json import load_json_file

        file = Path(model_dir) / SETTINGS_FILE
        if not os.path.lexists(file):  # lexists: a dangling symlink is reported, not skipped
            return cls(None, None)
        # regular file (no FIFO, no /dev/zero), size, UTF-8, depth, digits, NaN/Infinity
        raw = load_json_file(file, error_cls=ModelError, what="sampler settings")
        try:
            if raw.get("format_version") != 1 or isinstance(raw.get("format_version"), bool):
                raise ValueError(f"format_version = {_shown(raw.get('format_version'))} "
                                 "(this version reads 1)")
            unknown = set(raw) - {"format_version", "decode", "compose"}
            if unknown:
                raise ValueError(f"unknown sections {sorted(unknown)}")
            compose = raw.get("compose", {})
            if not isinstance(compose, dict):
                raise ValueError("compose is not an object")
            for style, st in compose.items():
                _check_compose(style, st)
            _check_decode(raw.get("decode", {}))
        except ValueError as exc:
            raise ModelError(f"invalid sampler settings: {exc}", file) from None
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

    def compose(self, style: str, arrangement: str | None = None) -> dict:
        """The style's compose settings, neutral where the file says nothing; with an
        ``arrangement`` style (pop over lieder), the ones it names replace the style's."""
        out = copy.deepcopy(NEUTRAL_COMPOSE)
        out.update(copy.deepcopy(self.raw.get("compose", {}).get(style, {})))
        if arrangement and arrangement != style:
            out.update(copy.deepcopy(self.raw.get("compose", {}).get(arrangement, {})))
        return out


def _shown(v) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _num(v, key: str, lo: float, hi: float) -> float:
    """``v`` as a finite number in lo..hi, else ValueError naming ``key`` (JSON text has
    no NaN here: the reader refuses it; bools and strings are not numbers)."""
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
        raise ValueError(f"{key} = {_shown(v)} (a number from {lo:g} to {hi:g})")
    return float(v)


def _int(v, key: str, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise ValueError(f"{key} = {_shown(v)} (a whole number from {lo} to {hi})")
    return v


def _list(v, key: str, n: int | None = None, most: int = 64) -> list:
    if not isinstance(v, list) or (n is not None and len(v) != n) or len(v) > most:
        need = f"{n} values" if n is not None else f"a list of at most {most}"
        raise ValueError(f"{key} = {_shown(v)} (needs {need})")
    return v


def _obj(v, key: str, allowed) -> dict:
    if not isinstance(v, dict):
        raise ValueError(f"{key} is not an object")
    unknown = set(v) - set(allowed)
    if unknown:
        raise ValueError(f"{key}: unknown settings {sorted(unknown)}")
    return v


def _check_decode(d: dict) -> None:
    _obj(d, "decode", NEUTRAL_DECODE)
    for name in ("pitch_temperature", "register_weight"):
        for i, x in enumerate(_list(d.get(name, [1.0, 1.0, 1.0]), f"decode.{name}", 3)):
            _num(x, f"decode.{name}[{i}]", 0, 10)
    offsets = d.get("sound_logit_offset", {})
    if not isinstance(offsets, dict):
        raise ValueError("decode.sound_logit_offset is not an object")
    for style, v in offsets.items():
        key = f"decode.sound_logit_offset.{style}"
        for i, x in enumerate(_list(v, key, 3)):
            if x is not None:
                _num(x, f"{key}[{i}]", -10, 10)
    span = _int(d.get("melody_round_span", 4), "decode.melody_round_span", 1, 16)
    if span not in (4, 8, 16):
        raise ValueError(f"decode.melody_round_span = {span} (4, 8 or 16)")
    _num(d.get("accompaniment_bar_share", 0), "decode.accompaniment_bar_share", 0, 1)
    for name in ("proximity_weight", "harmonic_fit", "melody_return_penalty"):
        _num(d.get(name, 0), f"decode.{name}", 0, 20)


def _check_compose(style: str, st: dict) -> None:
    base = f"compose.{style}"
    _obj(st, base, NEUTRAL_COMPOSE)
    for k, v in _obj(st.get("chord_weight", {}), f"{base}.chord_weight",
                     NEUTRAL_COMPOSE["chord_weight"]).items():
        _num(v, f"{base}.chord_weight.{k}", 0, 20)
    variation = _obj(st.get("repeat_variation", {}), f"{base}.repeat_variation",
                     NEUTRAL_COMPOSE["repeat_variation"])
    # the weights are normalised into a draw: all zero would divide by zero
    if variation and sum(_num(v, f"{base}.repeat_variation.{k}", 0, 100)
                         for k, v in variation.items()) <= 0:
        raise ValueError(f"{base}.repeat_variation: the weights add up to 0")
    for i, x in enumerate(_list(st.get("fill_min_steps", [1, 1, 1]), f"{base}.fill_min_steps", 3)):
        _int(x, f"{base}.fill_min_steps[{i}]", 1, 16)
    for i, x in enumerate(_list(st.get("fill_tracks", [0, 0, 0]), f"{base}.fill_tracks", 3)):
        if not isinstance(x, bool | int) or x not in (0, 1):
            raise ValueError(f"{base}.fill_tracks[{i}] = {_shown(x)} (true or false)")
    for name in ("chorus_inner_repeat", "resolve_dissonances"):
        if not isinstance(st.get(name, False), bool):
            raise ValueError(f"{base}.{name} = {_shown(st[name])} (true or false)")
    for i, x in enumerate(_list(st.get("instrumental_sections", []),
                                f"{base}.instrumental_sections")):
        if not isinstance(x, str) or len(x) > 40:
            raise ValueError(f"{base}.instrumental_sections[{i}] = {_shown(x)} (a section kind)")
    holds = _list(st.get("cadence_hold_steps", [16]), f"{base}.cadence_hold_steps")
    if not holds:
        raise ValueError(f"{base}.cadence_hold_steps is empty")
    for i, h in enumerate(holds):
        _int(h, f"{base}.cadence_hold_steps[{i}]", 1, 16)
    _int(st.get("breath_steps", 0), f"{base}.breath_steps", 0, 8)
    _int(st.get("bass_max_leap", 0), f"{base}.bass_max_leap", 0, 48)
    table = st.get("chord_table", "")
    if not isinstance(table, str) or len(table) > 40:
        raise ValueError(f"{base}.chord_table = {_shown(table)} (a style of chord_tables.json)")
    _num(st.get("chorus_lift", 0), f"{base}.chorus_lift", 0, 10)
    for name in ("authentic_tonic_share", "accompaniment_figure_share", "melody_diminution"):
        _num(st.get(name, 0), f"{base}.{name}", 0, 1)
    form = st.get("default_form", "verse")
    if not isinstance(form, str) or not 0 < len(form) <= 400:
        raise ValueError(f"{base}.default_form = {_shown(form)} (a form such as 'verse chorus')")
