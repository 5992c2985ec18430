"""The styles Songloom writes in: the one registry the sampler, the arranger, the drummer,
the CLI and the Generate panel all read.

Two lists, for two different things:

- ``STYLES``: the music *model's* styles, in the order of the network's conditioning (a
  style's index is its one-hot input, so a shipped model fixes it; a new model style goes
  at the end and needs a retrained model). The pitch priors, training data and sampler
  settings are keyed by these.
- ``STYLE_NAMES``: the styles a user picks, each an *arrangement* (``Style``): which model
  style writes its melodic material (one field, ``model_style``: when a pop model style
  is trained, pop's entry names it), the instruments, a tempo range, how the harmony and
  bass are played from the generated chords and notes, and the drum groove (a file in
  resources/grooves, core/music/grooves.py). lieder and chorale play the network's notes
  as written and have no drums.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import SongloomError

STYLES = ("lieder", "chorale")  # the music network's conditioning, in its order
DEFAULT_STYLE = STYLES[0]

# How an accompaniment part is played (core/music/players.py implements each, in two
# figures; the seed picks one).
HARMONY_PLAYS = {
    "as-written": "the network's notes as written",
    "comp": "keys comping: 1, the and of 2 and 4 (or quarters) in verses, eighths (or a "
            "3-3-2 push) in choruses",
    "power-eighths": "power chords in eighths (or pushes), palm-muted in verses, open in "
                     "choruses",
    "arpeggio": "broken chords in eighths over root, fifth, octave and tenth",
    "pad": "held chords (or half notes), pushed in choruses",
    "strum": "strummed chords, down-down-up-up-down-up (or quarters, then eighths)",
}
BASS_PLAYS = {
    "as-written": "the network's notes as written",
    "pop": "the root on 1 and 3 with pickups (or a 3-3-2 figure)",
    "eighth-pump": "the root in straight eighths (or quarters with eighth pickups)",
    "offbeat-pump": "the root on every off-beat eighth, jumping octaves",
    "root-long": "the root held for each chord, the fifth late in a long chord",
    "root-fifth": "root and fifth alternating",
}


@dataclass(frozen=True)
class Style:
    name: str
    model_style: str  # the entry of STYLES whose material the network writes
    programs: tuple[int, int, int]  # General MIDI programs of melody, harmony, bass
    tempo_range: tuple[int, int]  # BPM a song of the style usually takes
    default_tempo: int
    harmony: str  # a key of HARMONY_PLAYS
    bass: str  # a key of BASS_PLAYS
    drums: bool  # plays the groove resources/grooves/<name>.groove
    description: str

    @property
    def arranged(self) -> bool:
        """The network's notes are re-played or a drum track added."""
        return self.harmony != "as-written" or self.bass != "as-written" or self.drums


REGISTRY: dict[str, Style] = {s.name: s for s in (
    Style("lieder", "lieder", (73, 0, 32), (60, 120), 96, "as-written", "as-written", False,
          "voice and piano songs: flute melody, piano, acoustic bass"),
    Style("chorale", "chorale", (52, 19, 19), (60, 96), 84, "as-written", "as-written", False,
          "four-part Bach chorales: choir and organ"),
    Style("pop", "lieder", (54, 4, 33), (90, 128), 112, "comp", "pop", True,
          "synth voice, electric piano comping, finger bass, standard kit"),
    Style("rock", "lieder", (30, 29, 34), (100, 160), 126, "power-eighths", "eighth-pump", True,
          "distortion lead, overdriven guitar chords, pick bass in eighths, power kit"),
    Style("ballad", "lieder", (66, 0, 33), (60, 84), 72, "arpeggio", "root-long", True,
          "tenor sax, piano arpeggios, held bass, brushes"),
    Style("electronic", "lieder", (81, 89, 38), (118, 132), 124, "pad", "offbeat-pump", True,
          "saw lead, warm pad, synth bass pumping off-beats, four on the floor"),
    Style("folk", "lieder", (40, 25, 32), (84, 126), 100, "strum", "root-fifth", True,
          "fiddle, strummed steel-string guitar, acoustic bass root-fifth, brushes"),
)}
STYLE_NAMES = tuple(REGISTRY)
# General MIDI programs of the generated melody, harmony and bass, by style.
STYLE_PROGRAMS = {name: s.programs for name, s in REGISTRY.items()}


def get_style(name: str) -> Style:
    """The style called ``name``; one clear error naming the known styles otherwise."""
    style = REGISTRY.get(name) if isinstance(name, str) else None
    if style is None:
        raise SongloomError(f"unknown style {name!r} (known styles: {', '.join(STYLE_NAMES)})")
    return style


def model_style(name: str) -> str:
    """The music-model style that writes ``name``'s material ("rock" -> "lieder")."""
    return get_style(name).model_style


def style_index(style: str) -> int:
    """The network's conditioning index of the model style ``style`` (an arrangement style
    counts as the model style that writes it)."""
    if style in REGISTRY:
        style = REGISTRY[style].model_style
    try:
        return STYLES.index(style)
    except ValueError:
        raise SongloomError(f"unknown style {style!r} (known styles: "
                            f"{', '.join(STYLE_NAMES)})") from None


def check_registry() -> None:
    """Every style's fields are usable (a test calls this; a bad entry is a bug)."""
    for s in REGISTRY.values():
        assert s.model_style in STYLES, s
        assert s.harmony in HARMONY_PLAYS and s.bass in BASS_PLAYS, s
        assert all(0 <= p <= 127 for p in s.programs), s
        lo, hi = s.tempo_range
        assert 20 <= lo <= s.default_tempo <= hi <= 300, s
