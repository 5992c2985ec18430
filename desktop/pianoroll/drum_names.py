"""General MIDI drum names for the drum track's keyboard: what each key plays in every GM
kit (General MIDI 1 keys 35-81, with GM2/GS keys 27-34 and 82-87), a short name for the
keyboard's rows and the full one for its tooltip. Both go through Qt's translator
(context "Drums")."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# key: (row label, full General MIDI name)
DRUM_NAMES: dict[int, tuple[str, str]] = {
    27: (QT_TRANSLATE_NOOP("Drums", "High Q"), QT_TRANSLATE_NOOP("Drums", "High Q")),
    28: (QT_TRANSLATE_NOOP("Drums", "Slap"), QT_TRANSLATE_NOOP("Drums", "Slap")),
    29: (QT_TRANSLATE_NOOP("Drums", "Scratch Push"),
         QT_TRANSLATE_NOOP("Drums", "Scratch Push")),
    30: (QT_TRANSLATE_NOOP("Drums", "Scratch Pull"),
         QT_TRANSLATE_NOOP("Drums", "Scratch Pull")),
    31: (QT_TRANSLATE_NOOP("Drums", "Sticks"), QT_TRANSLATE_NOOP("Drums", "Sticks")),
    32: (QT_TRANSLATE_NOOP("Drums", "Square Click"),
         QT_TRANSLATE_NOOP("Drums", "Square Click")),
    33: (QT_TRANSLATE_NOOP("Drums", "Metronome"),
         QT_TRANSLATE_NOOP("Drums", "Metronome Click")),
    34: (QT_TRANSLATE_NOOP("Drums", "Metro Bell"),
         QT_TRANSLATE_NOOP("Drums", "Metronome Bell")),
    35: (QT_TRANSLATE_NOOP("Drums", "Kick 2"),
         QT_TRANSLATE_NOOP("Drums", "Acoustic Bass Drum")),
    36: (QT_TRANSLATE_NOOP("Drums", "Kick"), QT_TRANSLATE_NOOP("Drums", "Bass Drum 1")),
    37: (QT_TRANSLATE_NOOP("Drums", "Side Stick"), QT_TRANSLATE_NOOP("Drums", "Side Stick")),
    38: (QT_TRANSLATE_NOOP("Drums", "Snare"), QT_TRANSLATE_NOOP("Drums", "Acoustic Snare")),
    39: (QT_TRANSLATE_NOOP("Drums", "Clap"), QT_TRANSLATE_NOOP("Drums", "Hand Clap")),
    40: (QT_TRANSLATE_NOOP("Drums", "Snare 2"),
         QT_TRANSLATE_NOOP("Drums", "Electric Snare")),
    41: (QT_TRANSLATE_NOOP("Drums", "Low Floor Tom"),
         QT_TRANSLATE_NOOP("Drums", "Low Floor Tom")),
    42: (QT_TRANSLATE_NOOP("Drums", "Closed Hi-hat"),
         QT_TRANSLATE_NOOP("Drums", "Closed Hi-hat")),
    43: (QT_TRANSLATE_NOOP("Drums", "Floor Tom"),
         QT_TRANSLATE_NOOP("Drums", "High Floor Tom")),
    44: (QT_TRANSLATE_NOOP("Drums", "Pedal Hi-hat"),
         QT_TRANSLATE_NOOP("Drums", "Pedal Hi-hat")),
    45: (QT_TRANSLATE_NOOP("Drums", "Low Tom"), QT_TRANSLATE_NOOP("Drums", "Low Tom")),
    46: (QT_TRANSLATE_NOOP("Drums", "Open Hi-hat"),
         QT_TRANSLATE_NOOP("Drums", "Open Hi-hat")),
    47: (QT_TRANSLATE_NOOP("Drums", "Low-Mid Tom"),
         QT_TRANSLATE_NOOP("Drums", "Low-Mid Tom")),
    48: (QT_TRANSLATE_NOOP("Drums", "Hi-Mid Tom"), QT_TRANSLATE_NOOP("Drums", "Hi-Mid Tom")),
    49: (QT_TRANSLATE_NOOP("Drums", "Crash"), QT_TRANSLATE_NOOP("Drums", "Crash Cymbal 1")),
    50: (QT_TRANSLATE_NOOP("Drums", "High Tom"), QT_TRANSLATE_NOOP("Drums", "High Tom")),
    51: (QT_TRANSLATE_NOOP("Drums", "Ride"), QT_TRANSLATE_NOOP("Drums", "Ride Cymbal 1")),
    52: (QT_TRANSLATE_NOOP("Drums", "China"), QT_TRANSLATE_NOOP("Drums", "Chinese Cymbal")),
    53: (QT_TRANSLATE_NOOP("Drums", "Ride Bell"), QT_TRANSLATE_NOOP("Drums", "Ride Bell")),
    54: (QT_TRANSLATE_NOOP("Drums", "Tambourine"), QT_TRANSLATE_NOOP("Drums", "Tambourine")),
    55: (QT_TRANSLATE_NOOP("Drums", "Splash"), QT_TRANSLATE_NOOP("Drums", "Splash Cymbal")),
    56: (QT_TRANSLATE_NOOP("Drums", "Cowbell"), QT_TRANSLATE_NOOP("Drums", "Cowbell")),
    57: (QT_TRANSLATE_NOOP("Drums", "Crash 2"), QT_TRANSLATE_NOOP("Drums", "Crash Cymbal 2")),
    58: (QT_TRANSLATE_NOOP("Drums", "Vibraslap"), QT_TRANSLATE_NOOP("Drums", "Vibraslap")),
    59: (QT_TRANSLATE_NOOP("Drums", "Ride 2"), QT_TRANSLATE_NOOP("Drums", "Ride Cymbal 2")),
    60: (QT_TRANSLATE_NOOP("Drums", "High Bongo"), QT_TRANSLATE_NOOP("Drums", "High Bongo")),
    61: (QT_TRANSLATE_NOOP("Drums", "Low Bongo"), QT_TRANSLATE_NOOP("Drums", "Low Bongo")),
    62: (QT_TRANSLATE_NOOP("Drums", "Mute Conga"),
         QT_TRANSLATE_NOOP("Drums", "Mute High Conga")),
    63: (QT_TRANSLATE_NOOP("Drums", "High Conga"),
         QT_TRANSLATE_NOOP("Drums", "Open High Conga")),
    64: (QT_TRANSLATE_NOOP("Drums", "Low Conga"), QT_TRANSLATE_NOOP("Drums", "Low Conga")),
    65: (QT_TRANSLATE_NOOP("Drums", "High Timbale"),
         QT_TRANSLATE_NOOP("Drums", "High Timbale")),
    66: (QT_TRANSLATE_NOOP("Drums", "Low Timbale"),
         QT_TRANSLATE_NOOP("Drums", "Low Timbale")),
    67: (QT_TRANSLATE_NOOP("Drums", "High Agogo"), QT_TRANSLATE_NOOP("Drums", "High Agogo")),
    68: (QT_TRANSLATE_NOOP("Drums", "Low Agogo"), QT_TRANSLATE_NOOP("Drums", "Low Agogo")),
    69: (QT_TRANSLATE_NOOP("Drums", "Cabasa"), QT_TRANSLATE_NOOP("Drums", "Cabasa")),
    70: (QT_TRANSLATE_NOOP("Drums", "Maracas"), QT_TRANSLATE_NOOP("Drums", "Maracas")),
    71: (QT_TRANSLATE_NOOP("Drums", "Whistle"), QT_TRANSLATE_NOOP("Drums", "Short Whistle")),
    72: (QT_TRANSLATE_NOOP("Drums", "Long Whistle"),
         QT_TRANSLATE_NOOP("Drums", "Long Whistle")),
    73: (QT_TRANSLATE_NOOP("Drums", "Guiro"), QT_TRANSLATE_NOOP("Drums", "Short Guiro")),
    74: (QT_TRANSLATE_NOOP("Drums", "Long Guiro"), QT_TRANSLATE_NOOP("Drums", "Long Guiro")),
    75: (QT_TRANSLATE_NOOP("Drums", "Claves"), QT_TRANSLATE_NOOP("Drums", "Claves")),
    76: (QT_TRANSLATE_NOOP("Drums", "High Block"),
         QT_TRANSLATE_NOOP("Drums", "High Wood Block")),
    77: (QT_TRANSLATE_NOOP("Drums", "Low Block"),
         QT_TRANSLATE_NOOP("Drums", "Low Wood Block")),
    78: (QT_TRANSLATE_NOOP("Drums", "Mute Cuica"), QT_TRANSLATE_NOOP("Drums", "Mute Cuica")),
    79: (QT_TRANSLATE_NOOP("Drums", "Open Cuica"), QT_TRANSLATE_NOOP("Drums", "Open Cuica")),
    80: (QT_TRANSLATE_NOOP("Drums", "Mute Triangle"),
         QT_TRANSLATE_NOOP("Drums", "Mute Triangle")),
    81: (QT_TRANSLATE_NOOP("Drums", "Open Triangle"),
         QT_TRANSLATE_NOOP("Drums", "Open Triangle")),
    82: (QT_TRANSLATE_NOOP("Drums", "Shaker"), QT_TRANSLATE_NOOP("Drums", "Shaker")),
    83: (QT_TRANSLATE_NOOP("Drums", "Jingle Bell"), QT_TRANSLATE_NOOP("Drums", "Jingle Bell")),
    84: (QT_TRANSLATE_NOOP("Drums", "Bell Tree"), QT_TRANSLATE_NOOP("Drums", "Bell Tree")),
    85: (QT_TRANSLATE_NOOP("Drums", "Castanets"), QT_TRANSLATE_NOOP("Drums", "Castanets")),
    86: (QT_TRANSLATE_NOOP("Drums", "Mute Surdo"), QT_TRANSLATE_NOOP("Drums", "Mute Surdo")),
    87: (QT_TRANSLATE_NOOP("Drums", "Open Surdo"), QT_TRANSLATE_NOOP("Drums", "Open Surdo")),
}


def drum_label(key: int) -> str | None:
    """The short name a drum key's row shows ("Kick", "Closed Hi-hat"), translated;
    None for a key no GM kit uses."""
    names = DRUM_NAMES.get(key)
    return QCoreApplication.translate("Drums", names[0]) if names else None


def drum_tooltip(key: int) -> str:
    """The full General MIDI name and the key, e.g. "Bass Drum 1 (key 36)"; a key no GM
    kit uses says so."""
    names = DRUM_NAMES.get(key)
    if names is None:
        return QCoreApplication.translate("Drums", "Key {key}: no General MIDI drum").format(
            key=key)
    return QCoreApplication.translate("Drums", "{name} (key {key})").format(
        name=QCoreApplication.translate("Drums", names[1]), key=key)
