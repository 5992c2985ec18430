"""Chords: what a chord symbol means, how it is spelled, and where it sits in a song.

A ``Chord`` is a root pitch class, a quality and an optional bass (slash chord, or an
inversion figure in a Roman numeral). It is read from chord names ("C", "Am", "F#m7b5",
"Bb/D", "G7", "Cmaj7", "Bdim", "Csus4") or from Roman numerals in a key ("I", "vi",
"V7", "ii65", "vii°", "bVII", "V/V"), and written back either way. ``ChordEvent`` places
a chord on the song's timeline in ticks, as notes are placed (the chord lane edits these).

Roman numerals follow the usual analysis conventions (and the OpenScore Lieder
``.rntxt`` files): upper case is major, lower case minor, ``°`` diminished, ``ø``
half-diminished, ``+`` augmented; a figure ``7`` takes the seventh the key gives the
root (I7 in C is Cmaj7, V7 is G7, ii7 is Dm7); ``6``, ``64``, ``65``, ``43``, ``42``
are inversions; in minor, ``vii`` is built on the raised leading tone and ``VII`` on
the subtonic. Pure Python, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import SongloomError
from core.model.theory import (
    FLAT_NAMES,
    MAJOR_STEPS,
    NATURAL_MINOR_STEPS,
    SHARP_NAMES,
    scale_pitch_classes,
)
from core.model.theory import key_name as _key_name

# Intervals above the root per quality; the names are the suffixes chord names use.
QUALITIES: dict[str, tuple[int, ...]] = {
    "": (0, 4, 7), "m": (0, 3, 7), "dim": (0, 3, 6), "aug": (0, 4, 8),
    "sus2": (0, 2, 7), "sus4": (0, 5, 7), "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10), "m7b5": (0, 3, 6, 10), "dim7": (0, 3, 6, 9), "6": (0, 4, 7, 9),
    "m6": (0, 3, 7, 9), "mmaj7": (0, 3, 7, 11),
}
_QUALITY_ALIASES = {
    "": "", "maj": "", "M": "", "m": "m", "min": "m", "-": "m", "dim": "dim", "°": "dim",
    "o": "dim", "aug": "aug", "+": "aug", "sus2": "sus2", "sus4": "sus4", "sus": "sus4",
    "7": "7", "dom7": "7", "maj7": "maj7", "M7": "maj7", "Δ": "maj7", "Δ7": "maj7",
    "m7": "m7", "min7": "m7", "-7": "m7", "m7b5": "m7b5", "ø": "m7b5", "ø7": "m7b5",
    "dim7": "dim7", "°7": "dim7", "o7": "dim7", "6": "6", "m6": "m6", "mmaj7": "mmaj7",
    "mM7": "mmaj7",
}
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_NAME_RE = re.compile(r"^([A-G])([#b]*)([^/]*)(?:/([A-G][#b]*))?$")
_ROMAN_RE = re.compile(
    r"^([b#]*)(VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)(°|o|ø|\+)?(7|6|64|65|43|42|2)?"
    r"(?:/(.+))?$")
_ROMAN_DEGREE = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}
_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII")
_FLAT_MAJOR = {1, 3, 5, 8, 10}
_FLAT_MINOR = {0, 2, 3, 5, 7, 10}
# Spelling without a key: the names lead sheets use most.
_PLAIN_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def _norm(text: str) -> str:
    return text.strip().replace("♯", "#").replace("♭", "b")


@dataclass(frozen=True)
class Chord:
    root: int  # pitch class 0..11
    quality: str = ""  # a key of QUALITIES
    bass: int | None = None  # pitch class of a bass other than the root, else None

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise SongloomError(f"unknown chord quality {self.quality!r}")

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        """The chord's tones, root first (a slash bass outside the chord is added last)."""
        pcs = tuple((self.root + i) % 12 for i in QUALITIES[self.quality])
        if self.bass is not None and self.bass not in pcs:
            pcs += (self.bass,)
        return pcs

    @property
    def bass_pc(self) -> int:
        """The pitch class the bass plays: the slash bass, else the root."""
        return self.root if self.bass is None else self.bass

    @property
    def is_minor(self) -> bool:
        return self.quality in ("m", "m7", "m6", "mmaj7", "dim", "m7b5", "dim7")

    def name(self, key: int | None = None, mode: str = "major") -> str:
        """The chord name, spelled for ``key`` (flats in flat keys): "Bb/D", "F#m7"."""
        text = _spell(self.root, key, mode) + self.quality
        return text + (f"/{_spell(self.bass, key, mode)}" if self.bass is not None else "")

    def roman(self, key: int, mode: str = "major") -> str:
        """The Roman numeral of the chord in ``key``: "V7", "ii", "bVII", "IV6"."""
        return roman_numeral(self, key, mode)

    def in_key(self, key: int, mode: str = "major") -> bool:
        """All its tones belong to the key (minor: natural minor plus the raised seventh),
        i.e. the sampler can play it with chromatic notes off."""
        pcs = scale_pitch_classes(key, mode)
        return all(p in pcs for p in self.pitch_classes)


@dataclass
class ChordEvent:
    """A chord on the song's timeline: from ``start`` for ``duration`` ticks."""

    start: int
    duration: int
    chord: Chord

    @property
    def end(self) -> int:
        return self.start + self.duration


def _spell(pc: int, key: int | None, mode: str) -> str:
    """A pitch class's name: as the key spells it where it is in the key, else plain."""
    if key is None or pc not in scale_pitch_classes(key % 12, mode):
        return _PLAIN_NAMES[pc]
    flats = (key % 12) in (_FLAT_MINOR if mode == "minor" else _FLAT_MAJOR)
    return (FLAT_NAMES if flats else SHARP_NAMES)[pc]


def _pc(letter: str, accidentals: str) -> int:
    return (_LETTERS[letter] + accidentals.count("#") - accidentals.count("b")) % 12


def parse_chord_name(text: str) -> Chord:
    """"C", "Am", "F#m7", "Bb/D", "Ebmaj7", "Bdim", "G7sus4"-free names -> Chord."""
    s = _norm(text)
    m = _NAME_RE.match(s)
    if not m or m.group(3) not in _QUALITY_ALIASES:
        raise SongloomError(f"unknown chord symbol {text!r} (use names like C, Am, F#m7, "
                            "Bb/D, G7, Cmaj7, Bdim, Csus4, or Roman numerals like I vi IV V)")
    root = _pc(m.group(1), m.group(2))
    bass = _pc(m.group(4)[0], m.group(4)[1:]) if m.group(4) else None
    return Chord(root, _QUALITY_ALIASES[m.group(3)], None if bass == root else bass)


def _scale(mode: str) -> tuple[int, ...]:
    return MAJOR_STEPS if mode == "major" else NATURAL_MINOR_STEPS


def parse_roman(text: str, key: int, mode: str = "major") -> Chord:
    """A Roman numeral in ``key`` -> Chord ("V7" in C major -> G7; "V/V" -> D)."""
    s = _norm(text)
    m = _ROMAN_RE.match(s)
    if not m:
        raise SongloomError(f"unknown chord symbol {text!r} (use Roman numerals like I vi IV "
                            "V7 ii65 vii° bVII V/V, or chord names like C Am F G)")
    accidentals, numeral, sign, figure, target = m.groups()
    if target:  # a secondary chord: the numeral is read in the key of its target
        try:
            t = parse_roman(target, key, mode)
        except SongloomError:
            raise SongloomError(f"unknown chord symbol {text!r} (cannot read its target "
                                f"{target!r})") from None
        if t.quality not in ("", "m", "7", "maj7", "m7"):
            raise SongloomError(f"unknown chord symbol {text!r} (cannot tonicise {target!r})")
        key, mode = t.root, "minor" if t.is_minor else "major"
    degree = _ROMAN_DEGREE[numeral.lower()]
    steps = _scale(mode)
    offset = steps[degree]
    if mode == "minor" and numeral == "vii":
        offset = 11  # the leading tone, as in V and vii° of harmonic minor
    offset += accidentals.count("#") - accidentals.count("b")
    root = (key + offset) % 12
    upper = numeral.isupper()
    triad = {"°": "dim", "o": "dim", "ø": "dim", "+": "aug"}.get(sign or "", "" if upper else "m")
    quality = triad
    if figure in ("7", "65", "43", "42", "2"):
        quality = _seventh(root, triad, sign, key, mode, diatonic=not accidentals and not target
                           and not (mode == "minor" and numeral == "vii"))
    tones = [(root + i) % 12 for i in QUALITIES[quality]]
    inversion = {"6": 1, "64": 2, "65": 1, "43": 2, "42": 3, "2": 3}.get(figure or "", 0)
    bass = tones[inversion] if inversion < len(tones) else None
    return Chord(root, quality, None if inversion == 0 else bass)


def _seventh(root: int, triad: str, sign: str | None, key: int, mode: str, diatonic: bool) -> str:
    if sign == "ø":
        return "m7b5"
    if sign in ("°", "o"):
        return "dim7"
    if triad == "aug":
        return "aug"
    if diatonic and triad in ("", "m"):
        pcs = scale_pitch_classes(key, mode, harmonic_seventh=False)
        if mode == "minor" and (root - key) % 12 == 7:
            pcs = scale_pitch_classes(key, mode)  # V7 in minor: the dominant seventh
        seventh_major = (root + 11) % 12 in pcs and (root + 10) % 12 not in pcs
        if triad == "":
            return "maj7" if seventh_major else "7"
        return "mmaj7" if seventh_major else "m7"
    return "7" if triad == "" else "m7"


def is_roman(text: str) -> bool:
    return bool(_ROMAN_RE.match(_norm(text)))


def parse_chord(text: str, key: int = 0, mode: str = "major") -> Chord:
    """A chord name or a Roman numeral (read in ``key``), whichever the text is."""
    s = _norm(text)
    if s and s[0] in _LETTERS:
        return parse_chord_name(s)
    return parse_roman(s, key, mode)


def roman_numeral(chord: Chord, key: int, mode: str = "major") -> str:
    """Spell ``chord`` as a Roman numeral in ``key`` that parse_roman reads back as the
    same chord: diatonic degrees plain, a chromatic major or dominant chord as a secondary
    dominant where it is one (V7/IV), other roots with b or # (bVII, #iv°); sevenths as
    "7", inversions by figure (6, 64, 65, 43, 42). A chord no numeral spells exactly (a
    sus or sixth chord on a chromatic root) falls back to its name."""
    plain = _plain_roman(chord, key, mode)
    if not chord.in_key(key, mode) or _reads_as(plain, key, mode) != chord:
        for text in _secondary_romans(chord, key, mode):
            if _reads_as(text, key, mode) == chord:
                return text
    return plain if _reads_as(plain, key, mode) == chord else chord.name(key, mode)


def _reads_as(text: str, key: int, mode: str) -> Chord | None:
    try:
        return parse_roman(text, key, mode)
    except SongloomError:
        return None


def _secondary_romans(chord: Chord, key: int, mode: str) -> list[str]:
    """V, V7, vii°, vii°7, viiø7 of the chord's diatonic target (root a fifth below, or a
    semitone above for the leading-tone chords), with the chord's inversion figure."""
    q = chord.quality
    if q in ("", "7"):
        target, head = (chord.root + 5) % 12, "V"
    elif q in ("dim", "dim7", "m7b5"):
        target, head = (chord.root + 1) % 12, "vii" + ("ø" if q == "m7b5" else "°")
    else:
        return []
    steps = _scale(mode)
    offset = (target - key) % 12
    if offset not in steps or offset == 0:
        return []
    diatonic_triad = "" if Chord(target, "").in_key(key, mode) else "m"
    numeral = _NUMERALS[steps.index(offset)]
    numeral = numeral.lower() if diatonic_triad == "m" else numeral
    seventh = len(QUALITIES[q]) == 4
    tones = [(chord.root + i) % 12 for i in QUALITIES[q]]
    inv = tones.index(chord.bass) if chord.bass in tones else 0
    figures = ("7", "65", "43", "42") if seventh else ("", "6", "64")
    return [f"{head}{figures[inv]}/{numeral}"] if inv < len(figures) else []


def _plain_roman(chord: Chord, key: int, mode: str) -> str:
    offset = (chord.root - key) % 12
    steps = _scale(mode)
    q = chord.quality
    lower = chord.is_minor or q in ("dim", "m7b5", "dim7")
    if offset in steps:
        degree, acc = steps.index(offset), ""
    elif mode == "minor" and offset == 11:
        degree, acc = 6, ""
    elif offset == 6:  # the tritone: #iv(°) for minor chords, bV for major ones
        degree, acc = (3, "#") if lower else (4, "b")
    else:  # other chromatic roots: named as flattened degrees of the major scale
        degree = next(d for d, s in enumerate(MAJOR_STEPS) if (s - offset) % 12 in (0, 1))
        acc = "" if MAJOR_STEPS[degree] == offset else "b"
    numeral = _NUMERALS[degree]
    text = acc + (numeral.lower() if lower else numeral)
    text += {"dim": "°", "dim7": "°", "m7b5": "ø", "aug": "+"}.get(q, "")
    seventh = len(QUALITIES[q]) == 4 and q not in ("6", "m6")
    tones = [(chord.root + i) % 12 for i in QUALITIES[q]]
    inv = tones.index(chord.bass) if chord.bass is not None and chord.bass in tones else 0
    figures = ("7", "65", "43", "42") if seventh else ("", "6", "64")
    return text + (figures[inv] if inv < len(figures) else "?")


# -- progressions --------------------------------------------------------------------


def parse_progression(text: str, key: int, mode: str = "major") -> list[list[Chord]]:
    """A progression -> bars of chords. Without "|", each chord fills one bar ("I vi IV V"
    is 4 bars); with "|", bars are separated by it and the chords inside a bar share it
    evenly ("C Am | F G" is 2 bars of 2 chords). A bar holds 1, 2 or 4 chords."""
    s = text.strip()
    if not s:
        raise SongloomError("empty chord progression")
    if "|" in s:
        bars = [part.split() for part in s.strip("|").split("|")]
    else:
        bars = [[tok] for tok in s.split()]
    out = []
    for bar in bars:
        if len(bar) not in (1, 2, 4):
            raise SongloomError(f"bar {' '.join(bar) or '(empty)'!r} in {text!r}: a bar holds "
                                "1, 2 or 4 chords")
        out.append([parse_chord(tok, key, mode) for tok in bar])
    return out


def check_in_key(bars: list[list[Chord]], key: int, mode: str, allow_chromatic: bool) -> None:
    """Refuse a chord with tones outside the key while chromatic notes are off (the key
    mask could not play it)."""
    if allow_chromatic:
        return
    for bar in bars:
        for c in bar:
            if not c.in_key(key, mode):
                raise SongloomError(
                    f"chord {c.name(key, mode)} ({c.roman(key, mode)}) has notes outside "
                    f"{_key_name(key, mode)}; allow chromatic notes or choose a chord in the key")


def progression_text(bars: list[list[Chord]], key: int | None = None, mode: str = "major",
                     roman: bool = False) -> str:
    """Bars of chords -> text that parse_progression reads back."""
    def one(c: Chord) -> str:
        return c.roman(key or 0, mode) if roman else c.name(key, mode)

    if all(len(b) == 1 for b in bars):
        return " ".join(one(b[0]) for b in bars)
    return " | ".join(" ".join(one(c) for c in b) for b in bars)
