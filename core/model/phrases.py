"""Melody phrases: where each sung line begins, stored in the song so it stays put.

A lyric line is sung on one melody phrase. Phrases used to be re-detected from the rests
on every look, so one note added inside line 2 could move the split of line 1 (a short
fragment joined a different neighbour) and the syllable counts jumped after reopening a
file. Now a song keeps ``phrase_starts``: the tick where each phrase begins. They are
detected once (a generation, the first load of an older file, the first lyrics written)
and then change only when the user or a generation changes them.

Phrase ``i`` holds the melody notes starting in ``[starts[i], starts[i + 1])``; notes
before the first start belong to the first phrase and the last phrase runs to the end.
Pure Python on the Song model: no Qt, no I/O.
"""

from __future__ import annotations

from core.model.song import TICKS_PER_BEAT, Note, Song

# A rest at least this long (ticks) ends a melody phrase; an eighth note is where a
# singer can breathe at a moderate tempo.
PHRASE_GAP_TICKS = TICKS_PER_BEAT // 2
# A phrase longer than this many notes is split at its longest note, so one line never
# has to carry a whole wordless vocalise.
MAX_PHRASE_NOTES = 16
# A "phrase" of one or two notes between rests gives a one-word line nobody would write
# (generated melodies rest often): such fragments join a neighbouring phrase.
MIN_PHRASE_NOTES = 4


def sung_notes(song: Song) -> list[Note]:
    """The melody's notes in time order, a chord in it sung as its top note."""
    track = song.melody_track()
    if track is None:
        return []
    notes: list[Note] = []
    for note in track.sorted_notes():
        if notes and note.start == notes[-1].start:
            if note.pitch > notes[-1].pitch:
                notes[-1] = note
            continue
        notes.append(note)
    return notes


# -- detection (from rests) ------------------------------------------------------------


def detect_phrases(notes: list[Note]) -> list[list[Note]]:
    """``notes`` (time order) grouped into phrases: split at rests, fragments joined,
    over-long runs split at their longest middle note."""
    phrases: list[list[Note]] = []
    for note in notes:
        if phrases and note.start - phrases[-1][-1].end < PHRASE_GAP_TICKS:
            phrases[-1].append(note)
        else:
            phrases.append([note])
    result: list[list[Note]] = []
    for phrase in _merge_fragments(phrases):
        result.extend(split_long(phrase))
    return result


def _merge_fragments(phrases: list[list[Note]]) -> list[list[Note]]:
    """Join phrases shorter than MIN_PHRASE_NOTES to the shorter neighbour, while the
    result stays singable as one line (MAX_PHRASE_NOTES)."""
    phrases = [list(p) for p in phrases]
    changed = True
    while changed and len(phrases) > 1:
        changed = False
        for i, phrase in enumerate(phrases):
            if len(phrase) >= MIN_PHRASE_NOTES:
                continue
            options = [j for j in (i - 1, i + 1) if 0 <= j < len(phrases)
                       and len(phrases[j]) + len(phrase) <= MAX_PHRASE_NOTES]
            if not options:
                continue
            j = min(options, key=lambda k: len(phrases[k]))
            lo, hi = min(i, j), max(i, j)
            phrases[lo:hi + 1] = [phrases[lo] + phrases[hi]]
            changed = True
            break
    return phrases


def split_long(phrase: list[Note], limit: int = MAX_PHRASE_NOTES) -> list[list[Note]]:
    if len(phrase) <= limit:
        return [phrase]
    cut = breath_point(phrase)
    return split_long(phrase[:cut], limit) + split_long(phrase[cut:], limit)


def breath_point(phrase: list[Note]) -> int:
    """Where to split a phrase in two: after the longest note of its middle half, where a
    singer would breathe (an index 1..len-1)."""
    if len(phrase) < 2:
        return len(phrase)
    lo, hi = len(phrase) // 4, max(len(phrase) // 4 + 1, 3 * len(phrase) // 4)
    middle = len(phrase) // 2
    best = max(range(lo, min(hi, len(phrase) - 1)),
               key=lambda i: (phrase[i].duration, -abs(i - middle)), default=0)
    return best + 1


def detect_phrase_starts(song: Song) -> list[int]:
    """Phrase starts found from the melody's rests (what an older file is given once)."""
    return [p[0].start for p in detect_phrases(sung_notes(song))]


# -- the stored boundaries ---------------------------------------------------------------


def phrase_starts(song: Song) -> list[int]:
    """The song's phrase starts: stored ones, else detected (not stored: see fix_phrases)."""
    stored = song.phrase_starts
    return list(stored) if stored is not None else detect_phrase_starts(song)


def fix_phrases(song: Song) -> Song:
    """Store the detected phrase starts in ``song`` when it has none yet (in place).

    Called where phrases start to matter for good: a file loaded, a generation, the first
    lyrics aligned. A song with no melody notes keeps None (nothing to fix yet)."""
    if song.phrase_starts is None:
        starts = detect_phrase_starts(song)
        if starts:
            song.phrase_starts = starts
    return song


def melody_phrases(song: Song) -> list[list[Note]]:
    """The melody's notes grouped into the song's phrases (a phrase may be empty when the
    user deleted its notes: the lines after it keep their phrases)."""
    notes = sung_notes(song)
    if song.phrase_starts is None:
        return detect_phrases(notes)
    starts = sorted(set(song.phrase_starts))
    if not starts:
        return [notes] if notes else []
    phrases: list[list[Note]] = [[] for _ in starts]
    import bisect

    for note in notes:
        phrases[max(0, bisect.bisect_right(starts, note.start) - 1)].append(note)
    return phrases


def split_phrase(song: Song, index: int) -> list[int] | None:
    """Phrase starts with phrase ``index`` split at its breath point (None: too short)."""
    phrases = melody_phrases(song)
    if not 0 <= index < len(phrases) or len(phrases[index]) < 2:
        return None
    starts = phrase_starts(song) or [phrases[0][0].start]
    cut = phrases[index][breath_point(phrases[index])].start
    return sorted(set(starts) | {cut})


def join_phrase(song: Song, index: int) -> list[int] | None:
    """Phrase starts with phrase ``index`` joined to the next one (None: it is the last)."""
    starts = sorted(set(phrase_starts(song)))
    if not 0 <= index < len(starts) - 1:
        return None
    return starts[:index + 1] + starts[index + 2:]


def extend_phrase_starts(old: list[int] | None, song: Song, from_tick: int) -> list[int]:
    """``old`` starts kept before ``from_tick`` and detected ones after it (a continuation
    appends music: the existing lines keep their phrases, the new bars get their own)."""
    kept = [t for t in (old or []) if t < from_tick]
    new = [p[0].start for p in detect_phrases([n for n in sung_notes(song)
                                               if n.start >= from_tick])]
    return sorted(set(kept) | set(new))
