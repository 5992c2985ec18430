"""The one domain model: a Song with tracks of notes and lyrics aligned to the melody.

Plain dataclasses, no Qt, no I/O. Times are integer ticks at ``TICKS_PER_BEAT`` (480)
per quarter note, so edits and MIDI round trips never accumulate float error.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from core.model.chords import ChordEvent
from core.model.sections import Section
from core.model.theory import key_name

TICKS_PER_BEAT = 480

ROLES = ("melody", "harmony", "bass", "drums", "other")
MODES = ("major", "minor")


@dataclass
class Note:
    start: int  # ticks from the song start
    duration: int  # ticks, >= 1
    pitch: int  # MIDI 0..127
    velocity: int = 90  # MIDI 1..127

    @property
    def end(self) -> int:
        return self.start + self.duration

    def __deepcopy__(self, memo) -> Note:
        # Every field is an int: a new Note is a deep copy, ~5x faster than deepcopy's
        # generic path (songs are copied for undo and history on the GUI thread).
        return Note(self.start, self.duration, self.pitch, self.velocity)


@dataclass
class TempoChange:
    tick: int
    bpm: float


@dataclass
class TimeSignature:
    numerator: int = 4
    denominator: int = 4

    def ticks_per_bar(self) -> int:
        return TICKS_PER_BEAT * 4 * self.numerator // self.denominator


@dataclass
class Track:
    name: str
    role: str = "other"
    program: int = 0  # General MIDI program 0..127
    is_drum: bool = False
    channel: int = 0  # 0..15; drums live on 9 (MIDI channel 10)
    mute: bool = False
    solo: bool = False
    volume: int = 100  # MIDI CC7 0..127
    pan: int = 64  # MIDI CC10 0..127, 64 = centre
    color: str = ""  # "#rrggbb" or "" for the UI's choice
    notes: list[Note] = field(default_factory=list)

    def sorted_notes(self) -> list[Note]:
        return sorted(self.notes, key=lambda n: (n.start, n.pitch))


@dataclass
class Syllable:
    text: str
    # Onset tick of the melody note this syllable is sung on; None while not aligned.
    tick: int | None = None
    # False when the word continues in the next syllable ("Hel-" "lo").
    word_end: bool = True


@dataclass
class LyricLine:
    text: str
    syllables: list[Syllable] = field(default_factory=list)


@dataclass
class LyricSection:
    name: str = "verse"  # verse, chorus, bridge, ...
    lines: list[LyricLine] = field(default_factory=list)


@dataclass
class Lyrics:
    sections: list[LyricSection] = field(default_factory=list)

    def lines(self) -> list[LyricLine]:
        return [line for s in self.sections for line in s.lines]

    def syllables(self) -> list[Syllable]:
        return [syl for line in self.lines() for syl in line.syllables]

    def is_empty(self) -> bool:
        return not any(s.lines for s in self.sections)


@dataclass
class Song:
    title: str = "Untitled"
    tempos: list[TempoChange] = field(default_factory=lambda: [TempoChange(0, 120.0)])
    time_signature: TimeSignature = field(default_factory=TimeSignature)
    key: int = 0  # tonic pitch class, 0 = C
    mode: str = "major"
    tracks: list[Track] = field(default_factory=list)
    lyrics: Lyrics = field(default_factory=Lyrics)
    # Tick where each melody phrase (one sung lyric line) begins; None until they are
    # first fixed. Kept apart from any song sections: see core/model/phrases.py.
    phrase_starts: list[int] | None = None
    # The form (intro, verse, chorus, ...) and the chord progression on the timeline, in
    # ticks; both empty for a song that has none (an older file, a foreign MIDI file).
    # See core/model/sections.py and core/model/chords.py.
    sections: list[Section] = field(default_factory=list)
    chords: list[ChordEvent] = field(default_factory=list)

    # -- queries -----------------------------------------------------------------
    @property
    def tempo(self) -> float:
        """The starting tempo in BPM."""
        return self.tempos[0].bpm if self.tempos else 120.0

    @property
    def key_name(self) -> str:
        return key_name(self.key, self.mode)

    def track_by_role(self, role: str) -> Track | None:
        return next((t for t in self.tracks if t.role == role), None)

    def melody_track(self) -> Track | None:
        """The track lyrics are sung on: role melody, else the first non-drum track."""
        return self.track_by_role("melody") or next(
            (t for t in self.tracks if not t.is_drum), None
        )

    def end_tick(self) -> int:
        return max((n.end for t in self.tracks for n in t.notes), default=0)

    def ticks_per_bar(self) -> int:
        return self.time_signature.ticks_per_bar()

    def bar_count(self) -> int:
        tpb = self.ticks_per_bar()
        return -(-self.end_tick() // tpb) if tpb else 0

    def tick_to_seconds(self, tick: int) -> float:
        """Seconds from the start to ``tick``, following the tempo map."""
        tempos = sorted(self.tempos, key=lambda t: t.tick) or [TempoChange(0, 120.0)]
        seconds, last_tick, bpm = 0.0, 0, tempos[0].bpm
        for change in tempos:
            if change.tick >= tick:
                break
            seconds += (change.tick - last_tick) * 60.0 / (bpm * TICKS_PER_BEAT)
            last_tick, bpm = change.tick, change.bpm
        return seconds + (tick - last_tick) * 60.0 / (bpm * TICKS_PER_BEAT)

    def seconds_to_tick(self, seconds: float) -> int:
        tempos = sorted(self.tempos, key=lambda t: t.tick) or [TempoChange(0, 120.0)]
        elapsed, last_tick, bpm = 0.0, 0, tempos[0].bpm
        for change in tempos[1:]:
            span = (change.tick - last_tick) * 60.0 / (bpm * TICKS_PER_BEAT)
            if elapsed + span > seconds:
                break
            elapsed += span
            last_tick, bpm = change.tick, change.bpm
        return last_tick + round((seconds - elapsed) * bpm * TICKS_PER_BEAT / 60.0)

    def duration_seconds(self) -> float:
        return self.tick_to_seconds(self.end_tick())

    def tempo_at(self, tick: int) -> float:
        tempos = sorted(self.tempos, key=lambda t: t.tick)
        ticks = [t.tick for t in tempos]
        i = bisect.bisect_right(ticks, tick) - 1
        return tempos[max(i, 0)].bpm if tempos else 120.0
