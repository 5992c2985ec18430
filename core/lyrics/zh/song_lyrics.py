"""Chinese lyrics for a song, as the app asks for them (LyricParams with language "zh").

The plan comes from a tune pattern (词牌) or, with no pattern, from the melody: one line
per phrase, one character per note (what ``songloom-cli lyrics --melody`` does). The
lines are written by core.lyrics.zh.writer with the song's locked lines kept; one line
can be written again, in a few versions, the others staying as they are.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.errors import SongloomError
from core.jobs import CancelToken
from core.lyrics.zh.align import phrase_lengths
from core.lyrics.zh.patterns import LinePlan, PatternBook, melody_plan, parse_scheme
from core.model.requests import LyricParams
from core.model.song import Song

FROM_MELODY = ""  # LyricParams.pattern: the line lengths are the melody's phrases
MAX_CHOICES = 3  # versions of a rewritten line (each is a whole sampling of the line)


def pattern_book(folder: str | Path | None = None) -> PatternBook:
    """The tune patterns shipped beside the Chinese model (read once; ~80 kB)."""
    from core.lyrics.zh.model import bundled_zh_dir

    return PatternBook.load((Path(folder) if folder else bundled_zh_dir()) / "patterns.json")


def pattern_names(book: PatternBook | None = None) -> list[str]:
    """Every pattern, the most written first (the ones a songwriter knows come first)."""
    book = book or pattern_book()
    return book.most_common(len(book.names))


def check_pattern(name: str, book: PatternBook | None = None) -> str:
    """The pattern's name as the book spells it, or "" for the melody; an unknown name is
    one SongloomError naming the close patterns."""
    name = name.strip()
    if not name:
        return FROM_MELODY
    return (book or pattern_book()).get(name).name


def song_plans(book: PatternBook, params: LyricParams, song: Song,
               notes: list[str] | None = None) -> tuple[tuple[LinePlan, ...], str, str]:
    """(line plans, header title, kind) for ``params`` on ``song``."""
    if params.pattern.strip():
        pattern = book.get(params.pattern)
        plans = pattern.plans
        if not params.zh_rhyme:
            plans = tuple(replace(p, rhyme="-") for p in plans)
        return plans, pattern.name, "ci"
    plans = melody_plan(phrase_lengths(song), book, None if params.zh_rhyme else "free",
                        notes=notes)
    return plans, params.theme, "shi"


def _request(params: LyricParams, song: Song, locked: dict[int, str] | None,
             notes: list[str] | None = None):
    """The writer's request; the plan first, so a bad pattern or melody is said before the
    model loads (seconds)."""
    from core.lyrics.zh.writer import ZhRequest

    plans, title, kind = song_plans(pattern_book(), params, song, notes)
    keep = {i: t for i, t in (locked or {}).items() if 0 <= i < len(plans) and t.strip()}
    temperature = min(3.0, max(0.05, params.temperature))
    return ZhRequest(plans=plans, title=title or "", kind=kind, theme=params.theme,
                     seed=params.seed, temperature=temperature,
                     enforce_tones=params.tones and bool(params.pattern.strip()), locked=keep)


def _model():
    """The bundled Chinese model (the panel's Model choice is for English GPT-2 folders)."""
    from core.lyrics.zh.model import load_zh_model

    return load_zh_model(None)


def write_song_lyrics(song: Song, params: LyricParams, locked: dict[int, str] | None = None,
                      on_line=None, cancel: CancelToken | None = None
                      ) -> tuple[list[str], list[int], list[str]]:
    """(lines, target lengths, notes) for the song; ``on_line(index, text, total)`` as each
    line is done, ``cancel`` checked between lines."""
    from core.lyrics.zh.writer import write_zh

    notes: list[str] = []
    req = _request(params, song, locked, notes)
    req.validate()
    zm = _model()

    def done(index: int, line) -> None:
        if cancel is not None:
            cancel.check()
        if on_line is not None:
            on_line(index, line.text, len(req.plans))

    out = write_zh(zm, req, on_line=done)
    return [x.text for x in out.lines], [p.length for p in req.plans], notes


def rewrite_song_line(song: Song, params: LyricParams, lines: list[str], index: int, seed: int,
                      choices: int = MAX_CHOICES, cancel: CancelToken | None = None) -> list[str]:
    """Up to ``choices`` new versions of line ``index`` (its plan's length, rhyming with the
    lines of its set), the other lines kept; none equal to the line now."""
    from core.lyrics.zh.writer import regenerate_line

    req = _request(params, song, None)
    if not 0 <= index < len(req.plans):
        raise SongloomError(f"line {index + 1}: the plan has {len(req.plans)} lines "
                            f"({params.pattern or 'from the melody'})", None)
    kept = (list(lines) + [""] * len(req.plans))[:len(req.plans)]
    zm = _model()
    out: list[str] = []
    for k in range(max(1, min(choices, MAX_CHOICES))):
        if cancel is not None:
            cancel.check()
        text = regenerate_line(zm, req, kept, index, variation=seed * MAX_CHOICES + k + 1) \
            .lines[index].text
        if text not in out and text != kept[index]:
            out.append(text)
    return out


def score_plan(params: LyricParams, song: Song | None, count: int,
               book: PatternBook | None = None
               ) -> tuple[list[int], list[str], list[str | None] | None]:
    """(target lengths, rhyme marks, tones or None) the scores judge ``count`` lines by:
    the pattern's when one was asked for, else the melody's phrases (cycled) with the even
    lines rhyming."""
    if params.pattern.strip():
        try:
            plans = (book or pattern_book()).get(params.pattern).plans
        except SongloomError:
            plans = ()
        if plans:
            marks = [p.rhyme if params.zh_rhyme else "-" for p in plans]
            return [p.length for p in plans], marks, [p.tones for p in plans]
    phrases = phrase_lengths(song) if song is not None else []
    targets = [phrases[i % len(phrases)] for i in range(count)] if phrases else []
    return targets, parse_scheme(None if params.zh_rhyme else "free", count), None
