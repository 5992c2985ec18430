"""How Songloom's lyrics (sections, lines, syllables) travel inside MIDI and KAR files.

Writing (one Lyric meta event, FF 05, UTF-8, per aligned syllable, at its note onset,
on the melody track):

- ``Hel-`` ``lo``: a syllable whose word continues ends with ``-``;
- ``/``  before a syllable: it starts a new line;
- ``\\`` before a syllable: it starts a new section (verse, chorus, ...); the section's
  name is a Marker event (FF 06) at the same tick, which DAWs show on their timeline;
- a word that itself ends in ``-`` is written with a trailing space (``well- ``) so it is
  not mistaken for a continuing word.

``.kar`` files also get the Soft Karaoke form for karaoke players: Text events (FF 01)
on a track named ``Words``, ``\\`` and ``/`` as above, and a leading space where a new
word starts (no hyphens).

Reading accepts both forms and the other common ones: trailing spaces as word ends,
CR/LF characters as line and paragraph breaks (RP-026 style). Syllables that are not
aligned to a note (tick None) have no time and are not written; the writer reports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.model.song import LyricLine, Lyrics, LyricSection, Syllable

LINE_BREAK, SECTION_BREAK = "/", "\\"
KAR_HEADER = ("@KMIDI KARAOKE FILE", "@V0100", "@ISongloom")


@dataclass
class EncodedLyrics:
    events: list[tuple[int, str]]  # (tick, text) in time order
    markers: list[tuple[int, str]]  # (tick, section name)
    unaligned: int  # syllables left out because they have no tick
    out_of_order: bool  # some syllable came before the previous one in time


def _aligned(lyrics: Lyrics):
    """(syllable, break) for each aligned syllable, break in {'', '/', '\\'}; plus counts."""
    items, unaligned, pending = [], 0, ""
    for s_index, section in enumerate(lyrics.sections):
        for l_index, line in enumerate(section.lines):
            if s_index > 0 and l_index == 0:
                pending = SECTION_BREAK
            elif pending != SECTION_BREAK:
                pending = LINE_BREAK if items else ""
            for syl in line.syllables:
                text = syl.text.strip()
                if syl.tick is None or not text:
                    unaligned += 1
                    continue
                items.append((syl, text, pending if items else "", section.name))
                pending = ""
    return items, unaligned


def encode_lyric_events(lyrics: Lyrics, kar: bool = False) -> EncodedLyrics:
    """Lyric (or, with ``kar``, Soft Karaoke text) events for ``lyrics``, see module doc."""
    items, unaligned = _aligned(lyrics)
    events, markers = [], []
    last_tick, out_of_order, prev_word_end = 0, False, True
    for index, (syl, text, brk, section_name) in enumerate(items):
        if syl.tick < last_tick:
            out_of_order = True
        last_tick = max(last_tick, syl.tick)
        if index == 0 or brk == SECTION_BREAK:
            markers.append((syl.tick, section_name))
        if text.endswith("-"):
            # A word that really ends in "-": keep it apart from the continuation mark.
            text += " " if syl.word_end else ("-" if kar else "")
        if kar:
            joined = _cjk(text) and _cjk(items[index - 1][1]) if index > 0 else False
            lead = " " if (prev_word_end and not brk and index > 0 and not joined) else ""
            body = brk + lead + text
        else:
            body = brk + text + ("" if syl.word_end else "-")
        prev_word_end = syl.word_end
        events.append((syl.tick, body))
    if out_of_order:
        # MIDI events are in time order; keep the lyric order where ticks tie.
        events.sort(key=lambda e: e[0])
    return EncodedLyrics(events, markers, unaligned, out_of_order)


@dataclass
class _Token:
    tick: int
    text: str
    brk: str  # '', '/', '\\': break before this syllable
    new_word: bool  # a space before it: the previous word ended
    word_end: bool | None  # None: the file's convention decides


_LEADING = "/\\\r\n"  # break marks before a syllable
_TRAILING = "\r\n"  # and after one (RP-026 style)


def _tokens(events: list[tuple[int, str]]) -> tuple[list[_Token], bool]:
    """Syllables with their breaks. Linear in the text: a lyric event of 15 MB of '/' took
    minutes when each leading mark was sliced off one at a time (quadratic)."""
    tokens: list[_Token] = []
    pending_brk, pending_space, spaced = "", False, False
    for tick, raw in events:
        brk = pending_brk
        body = raw.replace("\r\n", "\r")
        stripped = body.lstrip(_LEADING)
        marks = body[: len(body) - len(stripped)]
        if marks:  # any section mark (or a section break pending) makes it a section break
            brk = SECTION_BREAK if (brk == SECTION_BREAK or "\\" in marks or "\n" in marks) \
                else LINE_BREAK
        body = stripped
        stripped = body.rstrip(_TRAILING)
        marks = body[len(stripped):]
        pending_brk = "" if not marks else SECTION_BREAK if "\n" in marks else LINE_BREAK
        body = stripped
        text = body.strip()
        if not text:  # a separator-only event: a space or a break
            pending_brk = pending_brk or brk
            pending_space = pending_space or bool(body)
            if tokens and body:
                tokens[-1].word_end = True
            continue
        new_word = pending_space or body[0].isspace()
        pending_space = False
        word_end: bool | None = None
        if body[-1].isspace():
            word_end = True
            if not text.endswith("-"):
                spaced = True
        elif text.endswith("-") and len(text) > 1:
            word_end, text = False, text[:-1]
        if new_word:
            spaced = True
            if tokens:
                tokens[-1].word_end = True
        tokens.append(_Token(tick, text, brk, new_word, word_end))
    return tokens, spaced


def decode_lyric_events(
    events: list[tuple[int, str]], markers: list[tuple[int, str]] | None = None
) -> Lyrics:
    """Lyrics from (tick, text) events in file order; markers name the sections."""
    tokens, spaced = _tokens(events)
    names: dict[int, list[str]] = {}
    for tick, name in markers or []:
        names.setdefault(tick, []).append(name.strip())
    sections: list[LyricSection] = []
    line: list[Syllable] = []
    for i, tok in enumerate(tokens):
        word_end = tok.word_end
        if word_end is None:
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            # Space convention: a word ends where the next one visibly starts.
            word_end = not spaced or nxt is None or nxt.new_word or bool(nxt.brk)
        if not sections or tok.brk == SECTION_BREAK:
            _close_line(sections, line)
            line = []
            candidates = names.get(tok.tick) or []
            sections.append(LyricSection(candidates.pop(0) if candidates else "verse", []))
        elif tok.brk == LINE_BREAK:
            _close_line(sections, line)
            line = []
        line.append(Syllable(tok.text, tok.tick, word_end))
    _close_line(sections, line)
    return Lyrics([s for s in sections if s.lines])


def _cjk(text: str) -> bool:
    """One CJK ideograph: Chinese is written without spaces between its syllables."""
    return len(text) == 1 and ("\u3400" <= text <= "\u9fff" or "\uf900" <= text <= "\ufaff")


def line_text(syllables: list[Syllable]) -> str:
    parts = []
    for i, s in enumerate(syllables):
        parts.append(s.text)
        nxt = syllables[i + 1].text if i + 1 < len(syllables) else ""
        if s.word_end and not (_cjk(s.text) and _cjk(nxt)):
            parts.append(" ")
    return "".join(parts).strip()


def _close_line(sections: list[LyricSection], syllables: list[Syllable]) -> None:
    if syllables and sections:
        sections[-1].lines.append(LyricLine(line_text(syllables), syllables))
