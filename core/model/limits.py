"""How large a song may be: one set of limits for every reader and every writer.

Why: a reader without limits lets a 280 kB file of 70,000 empty tracks keep the app busy
for minutes; a writer without the reader's limits writes files Songloom then refuses to
open. Each limit sits far above real music (a dense orchestral MIDI file has ~40 tracks
and ~100,000 notes) and is checked before the work it bounds. ``song_limit_problem``
says what in a built Song is over a limit; the readers check the same numbers while
reading, so a hostile file is refused before it is built.
"""

from __future__ import annotations

import re

from core.model.song import Song

MAX_TRACKS = 256
# All tracks together. A MIDI file holds at most smf.MAX_EVENTS (1,000,000) events, a
# note-on and a note-off each, so a larger song could not be exported; 500,000 notes load
# from a project in about a second.
MAX_NOTES = 500_000
MAX_TEMPO_CHANGES = 10_000
MAX_SECTIONS = 10_000
MAX_LINES = 100_000
MAX_SYLLABLES = 100_000
MAX_NAME_CHARS = 1_000  # title, track, section names, a colour
MAX_LINE_CHARS = 10_000  # a lyric line's text
MAX_SYLLABLE_CHARS = 1_000


def too_many(count: int, limit: int, what: str) -> str | None:
    if count > limit:
        return f"{count:,} {what} (Songloom handles at most {limit:,})"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def too_long(text: str, limit: int, what: str) -> str | None:
    """Over ``limit`` characters, or holding a lone UTF-16 surrogate (from a ``\\ud800``
    escape: it has no UTF-8 form, so no file could hold it)."""
    if len(text) > limit:
        return f"{what} is {len(text):,} characters long (at most {limit:,})"
    if not text.isascii() and _SURROGATE.search(text):
        return f"{what} holds an invalid character (a lone UTF-16 surrogate)"
    return None


def song_limit_problem(song: Song) -> str | None:
    """Why ``song`` is larger than Songloom reads back, or None."""
    checks = [
        too_many(len(song.tracks), MAX_TRACKS, "tracks"),
        too_many(sum(len(t.notes) for t in song.tracks), MAX_NOTES, "notes"),
        too_many(len(song.tempos), MAX_TEMPO_CHANGES, "tempo changes"),
        too_many(len(song.lyrics.sections), MAX_SECTIONS, "lyric sections"),
        too_long(song.title, MAX_NAME_CHARS, "the title"),
    ]
    for problem in checks:
        if problem:
            return problem
    lines = [line for s in song.lyrics.sections for line in s.lines]
    problem = too_many(len(lines), MAX_LINES, "lyric lines") or too_many(
        sum(len(line.syllables) for line in lines), MAX_SYLLABLES, "syllables")
    if problem:
        return problem
    for t in song.tracks:
        problem = too_long(t.name, MAX_NAME_CHARS, "a track name") or too_long(
            t.color, MAX_NAME_CHARS, "a track colour")
        if problem:
            return problem
    for s in song.lyrics.sections:
        problem = too_long(s.name, MAX_NAME_CHARS, "a section name")
        if problem:
            return problem
    for line in lines:
        problem = too_long(line.text, MAX_LINE_CHARS, "a lyric line")
        for y in line.syllables:
            problem = problem or too_long(y.text, MAX_SYLLABLE_CHARS, "a syllable")
        if problem:
            return problem
    return None
