"""Hypothesis strategies for Songs (shared by the round-trip tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from core.io.midi_lyrics import line_text
from core.model.song import (
    MODES,
    ROLES,
    LyricLine,
    Lyrics,
    LyricSection,
    Note,
    Song,
    Syllable,
    TempoChange,
    TimeSignature,
    Track,
)

# Names and words as people type them: letters (also accented and non-Latin), digits,
# inner spaces and punctuation; no surrounding whitespace.
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüßéèçñøåœ日本語Ωж'"
names = st.text(alphabet=_LETTERS + "0123456789 ()#&.,!?-", min_size=1, max_size=24).map(str.strip).filter(bool)
syllable_texts = st.one_of(
    st.text(alphabet=_LETTERS, min_size=1, max_size=8),
    # punctuation around words, and words that really end in a hyphen ("well-")
    st.tuples(st.text(alphabet=_LETTERS, min_size=1, max_size=6), st.sampled_from([",", "!", "?", "-", "'s", "-er"]))
    .map("".join),
)


def _no_unison_overlaps(notes: list[Note]) -> list[Note]:
    """MIDI cannot tell overlapping notes of one pitch apart; DAWs never write them."""
    kept, busy_until = [], {}
    for n in sorted(notes, key=lambda n: (n.start, n.pitch)):
        if n.start >= busy_until.get(n.pitch, 0):
            kept.append(n)
            busy_until[n.pitch] = n.end
    return kept


notes = st.builds(
    Note,
    start=st.integers(0, 40_000),
    duration=st.integers(1, 4_000),
    pitch=st.integers(0, 127),
    velocity=st.integers(1, 127),
)


@st.composite
def tracks(draw) -> Track:
    channel = draw(st.integers(0, 15))
    return Track(
        name=draw(names),
        role=draw(st.sampled_from(ROLES)),
        program=draw(st.integers(0, 127)),
        is_drum=channel == 9,
        channel=channel,
        mute=draw(st.booleans()),
        solo=draw(st.booleans()),
        volume=draw(st.integers(0, 127)),
        pan=draw(st.integers(0, 127)),
        color=draw(st.sampled_from(["", "#ff8800", "#3366cc"])),
        notes=_no_unison_overlaps(draw(st.lists(notes, max_size=40))),
    )


@st.composite
def aligned_lyrics(draw) -> Lyrics:
    """Sections of lines of syllables with onsets in time order (as the aligner makes)."""
    tick = draw(st.integers(0, 2000))
    sections = []
    for _ in range(draw(st.integers(0, 3))):
        lines = []
        for _ in range(draw(st.integers(1, 3))):
            syllables = []
            for _ in range(draw(st.integers(1, 6))):
                tick += draw(st.sampled_from([0, 120, 240, 480, 960]))
                syllables.append(Syllable(draw(syllable_texts), tick, draw(st.booleans())))
            syllables[-1].word_end = True  # a line ends a word
            lines.append(LyricLine(line_text(syllables), syllables))
        sections.append(LyricSection(draw(names), lines))
    return Lyrics(sections)


@st.composite
def tempo_maps(draw) -> list[TempoChange]:
    ticks = sorted(draw(st.sets(st.integers(1, 50_000), max_size=4)))
    bpms = draw(st.lists(st.integers(2000, 30000), min_size=len(ticks) + 1, max_size=len(ticks) + 1))
    return [TempoChange(t, b / 100) for t, b in zip([0, *ticks], bpms, strict=True)]


@st.composite
def midi_songs(draw) -> Song:
    """Songs that MIDI can carry exactly (up to tempo rounding to whole microseconds)."""
    return Song(
        title=draw(names),
        tempos=draw(tempo_maps()),
        time_signature=TimeSignature(draw(st.integers(1, 15)), draw(st.sampled_from([1, 2, 4, 8, 16, 32]))),
        key=draw(st.integers(0, 11)),
        mode=draw(st.sampled_from(MODES)),
        tracks=draw(st.lists(tracks(), min_size=1, max_size=4)),
        lyrics=draw(aligned_lyrics()),
    )


@st.composite
def any_songs(draw) -> Song:
    """Anything a Song can hold, for .songloom files: any text, unaligned syllables,
    overlapping notes, empty tracks and sections, fractional tempos."""
    any_text = st.text(max_size=20)
    syllable = st.builds(Syllable, any_text, st.one_of(st.none(), st.integers(0, 10**7)), st.booleans())
    line = st.builds(LyricLine, any_text, st.lists(syllable, max_size=5))
    section = st.builds(LyricSection, any_text, st.lists(line, max_size=3))
    track = st.builds(
        Track,
        name=any_text,
        role=st.sampled_from(ROLES),
        program=st.integers(0, 127),
        is_drum=st.booleans(),
        channel=st.integers(0, 15),
        mute=st.booleans(),
        solo=st.booleans(),
        volume=st.integers(0, 127),
        pan=st.integers(0, 127),
        color=any_text,
        notes=st.lists(notes, max_size=30),
    )
    tempo = st.builds(TempoChange, st.integers(0, 10**6), st.floats(1.0, 2000.0, allow_nan=False))
    return Song(
        title=draw(any_text),
        tempos=draw(st.lists(tempo, max_size=4)),
        time_signature=TimeSignature(draw(st.integers(1, 99)), draw(st.sampled_from([1, 2, 4, 8, 16, 32, 64]))),
        key=draw(st.integers(0, 11)),
        mode=draw(st.sampled_from(MODES)),
        tracks=draw(st.lists(track, max_size=4)),
        lyrics=Lyrics(draw(st.lists(section, max_size=3))),
    )
