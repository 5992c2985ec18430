"""Chinese lines on a melody: one character per note, and reading Chinese lyric files.

A Chinese character is one sung syllable, so a line is split into characters (Latin words
in a mixed line stay whole words, one syllable each: they are sung as written, and the
writer never produces them). Punctuation is not sung and gets no note.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.errors import SongloomError
from core.lyrics.zh.rhyme import is_han
from core.model.song import Song, Syllable

MAX_TEXT_BYTES = 4 * 2**20  # lyrics, not a corpus
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9'’]+")


def sung_units(text: str) -> list[str]:
    """The syllables of a mixed line: each Chinese character, each Latin word."""
    return _UNIT.findall(text)


def char_syllables(text: str) -> list[Syllable]:
    return [Syllable(u) for u in sung_units(text)]


def has_han(text: str) -> bool:
    return any(is_han(c) for c in text)


def line_syllables(text: str) -> list[Syllable]:
    """The sung syllables of a line in either language: a line with any Chinese character
    is sung one character per note (its Latin words one note each, as align_zh does);
    any other line is split into English syllables."""
    if has_han(text):
        return char_syllables(text)
    from core.lyrics.syllables import syllabify

    return syllabify(text)


def line_syllable_count(text: str) -> int:
    """How many notes ``text`` is sung on (the lyric editor's count): characters for a
    Chinese line, syllables for an English one."""
    if has_han(text):
        return len(sung_units(text))
    from core.lyrics.syllables import count_syllables

    return count_syllables(text)


def align_zh(song: Song, lines: list[str], section: str = "verse") -> Song:
    """A copy of ``song`` whose lyrics are ``lines``, one line per melody phrase and one
    character per note. A phrase with more notes than characters holds the last one over
    the rest (a melisma); extra characters share the phrase's last note. (English
    align_lyrics with characters for syllables: its phrases are fixed on the copy too.)"""
    from core.lyrics.syllables import align_lyrics

    return align_lyrics(song, lines, section, split=char_syllables)


def phrase_lengths(song: Song) -> list[int]:
    """Notes per melody phrase: the characters each line needs."""
    from core.lyrics.syllables import melody_phrases

    return [len(p) for p in melody_phrases(song)]


def read_zh_lines(path: str | Path) -> list[str]:
    """Lines of a UTF-8 text file (blank lines dropped); one clear error otherwise."""
    from core.io.regular_file import read_text_lines

    return read_text_lines(path, max_bytes=MAX_TEXT_BYTES, error_cls=SongloomError,
                           clean=lambda line: " ".join(line.split()), keep=bool)


def han_only(text: str) -> str:
    return "".join(c for c in text if is_han(c))


def has_cjk(text: str) -> bool:
    return any(is_han(c) for c in text)


def kar_note(song: Song) -> str | None:
    """What a .kar export should tell the user when the lyrics hold Chinese characters."""
    if not any(has_cjk(s.text) for s in song.lyrics.syllables()):
        return None
    return ("the lyrics hold Chinese characters: the .kar file stores them as UTF-8, which "
            "most karaoke players (they read .kar text as Latin-1 or the system code page) "
            "show as garbage; players that read UTF-8 and MuseScore show them, and a .mid "
            "file's Lyric events carry them as UTF-8 too")

