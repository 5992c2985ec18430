"""Keys, modes and scales: the little music theory every part of Songloom shares."""

from __future__ import annotations

from core.errors import SongloomError

SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
# Key pickers show both spellings, as DAWs do: a song in Bb should not read "A#".
KEY_CHOICE_NAMES = tuple(s if s == f else f"{s}/{f}" for s, f in zip(SHARP_NAMES, FLAT_NAMES,
                                                                     strict=True))
# Keys conventionally spelled with flats (major tonics; minor keys use their relative).
_FLAT_MAJOR = {1, 3, 5, 8, 10}
_FLAT_MINOR = {0, 2, 3, 5, 7, 10}

MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
NATURAL_MINOR_STEPS = (0, 2, 3, 5, 7, 8, 10)

_LETTER = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def parse_key(text: str) -> int:
    """'D', 'f#', 'Bb', 'E♭' -> pitch class 0..11; raises SongloomError otherwise."""
    s = text.strip().replace("♯", "#").replace("♭", "b")
    if not s or s[0].upper() not in _LETTER:
        raise SongloomError(f"unknown key {text!r} (use C, C#, Db, D, ... B)")
    pc = _LETTER[s[0].upper()]
    for ch in s[1:]:
        if ch == "#":
            pc += 1
        elif ch == "b":
            pc -= 1
        else:
            raise SongloomError(f"unknown key {text!r} (use C, C#, Db, D, ... B)")
    return pc % 12


def parse_mode(text: str) -> str:
    m = text.strip().lower()
    aliases = {"maj": "major", "ionian": "major", "min": "minor", "aeolian": "minor"}
    m = aliases.get(m, m)
    if m not in ("major", "minor"):
        raise SongloomError(f"unknown mode {text!r} (use major or minor)")
    return m


def key_name(tonic: int, mode: str = "major") -> str:
    flats = (tonic % 12) in (_FLAT_MINOR if mode == "minor" else _FLAT_MAJOR)
    name = (FLAT_NAMES if flats else SHARP_NAMES)[tonic % 12]
    return f"{name} {mode}"


def scale_pitch_classes(tonic: int, mode: str, harmonic_seventh: bool = True) -> set[int]:
    """Pitch classes of the key; minor is natural minor plus the raised seventh."""
    steps = MAJOR_STEPS if mode == "major" else NATURAL_MINOR_STEPS
    pcs = {(tonic + s) % 12 for s in steps}
    if mode == "minor" and harmonic_seventh:
        pcs.add((tonic + 11) % 12)
    return pcs


GM_PROGRAM_NAMES = (
    "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano",
    "Honky-tonk Piano", "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet",
    "Celesta", "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone",
    "Tubular Bells", "Dulcimer", "Drawbar Organ", "Percussive Organ", "Rock Organ",
    "Church Organ", "Reed Organ", "Accordion", "Harmonica", "Tango Accordion",
    "Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)",
    "Electric Guitar (clean)", "Electric Guitar (muted)", "Overdriven Guitar",
    "Distortion Guitar", "Guitar Harmonics", "Acoustic Bass", "Electric Bass (finger)",
    "Electric Bass (pick)", "Fretless Bass", "Slap Bass 1", "Slap Bass 2", "Synth Bass 1",
    "Synth Bass 2", "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings",
    "Pizzicato Strings", "Orchestral Harp", "Timpani", "String Ensemble 1",
    "String Ensemble 2", "Synth Strings 1", "Synth Strings 2", "Choir Aahs", "Voice Oohs",
    "Synth Voice", "Orchestra Hit", "Trumpet", "Trombone", "Tuba", "Muted Trumpet",
    "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2", "Soprano Sax",
    "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn", "Bassoon", "Clarinet",
    "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle",
    "Ocarina", "Lead 1 (square)", "Lead 2 (sawtooth)", "Lead 3 (calliope)",
    "Lead 4 (chiff)", "Lead 5 (charang)", "Lead 6 (voice)", "Lead 7 (fifths)",
    "Lead 8 (bass + lead)", "Pad 1 (new age)", "Pad 2 (warm)", "Pad 3 (polysynth)",
    "Pad 4 (choir)", "Pad 5 (bowed)", "Pad 6 (metallic)", "Pad 7 (halo)", "Pad 8 (sweep)",
    "FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)",
    "FX 5 (brightness)", "FX 6 (goblins)", "FX 7 (echoes)", "FX 8 (sci-fi)", "Sitar",
    "Banjo", "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai", "Tinkle Bell",
    "Agogo", "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom", "Synth Drum",
    "Reverse Cymbal", "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet",
    "Telephone Ring", "Helicopter", "Applause", "Gunshot",
)

# The drum kits General MIDI 2 (and the GS sets most SoundFonts follow) put on the drum
# bank, by program: what a drum track's program selects.
GM_DRUM_KITS = {0: "Standard", 8: "Room", 16: "Power", 24: "Electronic", 25: "TR-808",
                32: "Jazz", 40: "Brush", 48: "Orchestra"}
