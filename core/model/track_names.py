"""Names for tracks a MIDI file left unnamed: a short instrument word and the channel.

Two unnamed piano parts both read "Acoustic Grand Piano" in the track list, and a
songwriter cannot tell them apart; "Piano (ch 1)" and "Piano (ch 2)" can be told apart
and still say what plays. Short names follow how musicians speak (Strings, Pad, Bass),
one per General MIDI program.
"""

from __future__ import annotations

# One short name per GM program 0..127 (the GM list itself is core.model.theory's).
GM_SHORT_NAMES = (
    # 0-7 pianos
    "Piano", "Bright Piano", "Electric Grand", "Honky-tonk", "E-Piano", "E-Piano 2",
    "Harpsichord", "Clavinet",
    # 8-15 chromatic percussion
    "Celesta", "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone",
    "Bells", "Dulcimer",
    # 16-23 organs
    "Organ", "Perc Organ", "Rock Organ", "Church Organ", "Reed Organ", "Accordion",
    "Harmonica", "Bandoneon",
    # 24-31 guitars
    "Nylon Guitar", "Guitar", "Jazz Guitar", "Clean Guitar", "Muted Guitar",
    "Overdrive Guitar", "Distortion Guitar", "Guitar Harmonics",
    # 32-39 basses
    "Bass", "Finger Bass", "Pick Bass", "Fretless Bass", "Slap Bass", "Slap Bass 2",
    "Synth Bass", "Synth Bass 2",
    # 40-47 strings
    "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings", "Pizzicato", "Harp",
    "Timpani",
    # 48-55 ensembles
    "Strings", "Strings 2", "Synth Strings", "Synth Strings 2", "Choir", "Voice",
    "Synth Voice", "Orchestra Hit",
    # 56-63 brass
    "Trumpet", "Trombone", "Tuba", "Muted Trumpet", "Horn", "Brass", "Synth Brass",
    "Synth Brass 2",
    # 64-71 reeds
    "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn",
    "Bassoon", "Clarinet",
    # 72-79 pipes
    "Piccolo", "Flute", "Recorder", "Pan Flute", "Bottle", "Shakuhachi", "Whistle",
    "Ocarina",
    # 80-87 synth leads
    "Square Lead", "Saw Lead", "Calliope", "Chiff Lead", "Charang", "Voice Lead",
    "Fifths Lead", "Bass Lead",
    # 88-95 synth pads
    "Pad", "Warm Pad", "Poly Pad", "Choir Pad", "Bowed Pad", "Metal Pad", "Halo Pad",
    "Sweep Pad",
    # 96-103 synth effects
    "Rain", "Soundtrack", "Crystal", "Atmosphere", "Brightness", "Goblins", "Echoes",
    "Sci-fi",
    # 104-111 ethnic
    "Sitar", "Banjo", "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai",
    # 112-119 percussive
    "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock", "Taiko", "Melodic Tom",
    "Synth Drum", "Reverse Cymbal",
    # 120-127 sound effects
    "Fret Noise", "Breath", "Seashore", "Bird", "Telephone", "Helicopter", "Applause",
    "Gunshot",
)
assert len(GM_SHORT_NAMES) == 128


def default_track_name(program: int, channel: int, is_drum: bool = False) -> str:
    """"Piano (ch 1)", "Strings (ch 2)", "Drums (ch 10)": channel counted from 1."""
    word = "Drums" if is_drum else GM_SHORT_NAMES[max(0, min(127, int(program)))]
    return f"{word} (ch {int(channel) + 1})"
