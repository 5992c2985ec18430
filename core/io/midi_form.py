"""A song's form and chords inside MIDI files (used by core/io/midi_io.py).

Written on the conductor track, where DAWs and MuseScore look:
- each section as a Marker event (FF 06) at its start, named as the section lane names it
  ("Intro", "Verse 1", "Chorus 1", ...);
- each chord as a Text event (FF 01) at its start, its name spelled for the song's key
  ("Bb", "F#m7", "G7/B");
- both, exactly, in the conductor's Songloom sequencer event (``sections``, ``chords``),
  so Songloom -> MIDI -> Songloom keeps them to the tick.

Read back from that event when the file is Songloom's (its lyric-section markers are
then the lyrics' alone); from any other file, markers that
name a section ("Chorus", "verse 2", "Bridge") become sections running to the next one,
and conductor-track Text events that are chord names become chords lasting until the
next chord. Anything else (lyric markers, other text) is left alone.
"""

from __future__ import annotations

from core.errors import SongloomError
from core.model.chords import ChordEvent, parse_chord_name
from core.model.sections import Section, check_sections, kind_of_label, section_kind, section_labels
from core.model.song import Song

MAX_FORM_ITEMS = 10_000  # sections or chords: far above any song, bounds a hostile file


def form_payload(song: Song) -> dict:
    """The exact form and chords for the conductor's Songloom event (empty when none)."""
    out: dict = {}
    if song.sections:
        out["sections"] = [[s.name, s.start, s.duration] for s in song.sections]
    if song.chords:
        out["chords"] = [[c.start, c.duration, c.chord.name()] for c in song.chords]
    return out


def form_events(song: Song, marker_type: int, text_type: int, meta_event) -> list[tuple]:
    """(tick, order, event bytes) for the conductor track: section markers, chord texts."""
    events = []
    for s, label in zip(song.sections, section_labels(song.sections), strict=True):
        events.append((s.start, 2, meta_event(marker_type, label.encode("utf-8"))))
    for c in song.chords:
        name = c.chord.name(song.key, song.mode)
        events.append((c.start, 2, meta_event(text_type, name.encode("utf-8"))))
    return events


def _exact(extra: dict) -> tuple[list[Section], list[ChordEvent]] | None:
    """Sections and chords from a Songloom event; None when it is malformed (the markers
    and texts are read instead)."""
    try:
        sections = [Section(section_kind(str(n)), int(a), int(d))
                    for n, a, d in extra.get("sections", [])[:MAX_FORM_ITEMS]]
        chords = [ChordEvent(int(a), int(d), parse_chord_name(str(c)))
                  for a, d, c in extra.get("chords", [])[:MAX_FORM_ITEMS]]
        check_sections(sections)
        if any(c.start < 0 or c.duration < 1 for c in chords):
            return None
    except (SongloomError, TypeError, ValueError):
        return None
    return sections, chords


def read_form(extra: dict | None, markers: list[tuple[int, str]],
              texts: list[tuple[int, str]], end_tick: int, ticks_per_bar: int
              ) -> tuple[list[Section], list[ChordEvent]]:
    """The form and chords of a file: exact from Songloom's event, else from the section
    markers and the chord-name texts of the conductor track."""
    if extra is not None:  # written by Songloom: its event says it all (lyric markers are
        exact = _exact(extra)  # lyrics', and a song without a form has none)
        if exact is not None:
            return exact
    named = sorted({(t, k) for t, label in markers[:MAX_FORM_ITEMS]
                    if (k := kind_of_label(label)) is not None})
    sections = []
    last_bar_end = -(-max(end_tick, 1) // ticks_per_bar) * ticks_per_bar
    for i, (tick, kind) in enumerate(named):
        nxt = named[i + 1][0] if i + 1 < len(named) else last_bar_end
        if nxt > tick and (not sections or tick >= sections[-1].end):
            sections.append(Section(kind, tick, nxt - tick))
    chords: list[ChordEvent] = []
    for tick, text in sorted(texts[:MAX_FORM_ITEMS]):
        try:
            chord = parse_chord_name(text)
        except SongloomError:
            continue
        if chords and chords[-1].start == tick:
            continue
        if chords:
            chords[-1].duration = tick - chords[-1].start
        chords.append(ChordEvent(tick, 1, chord))
    if chords:
        chords[-1].duration = max(1, last_bar_end - chords[-1].start)
    return sections, chords
