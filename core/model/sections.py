"""A song's form: named sections (intro, verse, pre-chorus, chorus, bridge, outro, A/B/C).

A ``Section`` spans whole bars of the song's timeline, in ticks like notes and chords, so
the section lane, MIDI markers and the generator agree on where it starts. A form is
typed as a preset ("AABA", "verse-chorus", "verse-chorus-bridge") or as the user's own
sequence of section names ("intro verse chorus verse chorus outro"), optionally with a
length per section ("verse:16"). Pure Python, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import SongloomError

SECTION_KINDS = ("intro", "verse", "pre-chorus", "chorus", "bridge", "outro", "A", "B", "C")
_ALIASES = {"prechorus": "pre-chorus", "pre": "pre-chorus", "refrain": "chorus",
            "a": "A", "b": "B", "c": "C"}
# Bars per section when the form does not say: phrases of 4 bars, two to a section; intro
# and outro are one phrase; a pre-chorus one phrase that leads into the chorus.
DEFAULT_BARS = {"intro": 4, "verse": 8, "pre-chorus": 4, "chorus": 8, "bridge": 8, "outro": 4,
                "A": 8, "B": 8, "C": 8}
PRESETS = {
    "AABA": "A A B A",
    "verse-chorus": "verse chorus verse chorus",
    "verse-chorus-bridge": "verse chorus verse chorus bridge chorus",
}
MAX_SECTION_BARS = 64
MAX_SECTIONS = 64
_TOKEN_RE = re.compile(r"^([A-Za-z-]+)(?::(\d+))?$")


@dataclass
class Section:
    """A named span of the song: ``start`` and ``duration`` in ticks (whole bars)."""

    name: str  # one of SECTION_KINDS
    start: int
    duration: int

    @property
    def end(self) -> int:
        return self.start + self.duration


def section_kind(text: str) -> str:
    """"Verse", "pre-chorus", "prechorus", "a" -> the canonical kind; error otherwise."""
    t = text.strip()
    if t in SECTION_KINDS:
        return t
    low = t.lower()
    if low in SECTION_KINDS:
        return low
    if low in _ALIASES:
        return _ALIASES[low]
    raise SongloomError(f"unknown section {text!r} (use {', '.join(SECTION_KINDS)})")


def parse_form(text: str) -> list[tuple[str, int]]:
    """A preset name or a sequence of sections -> [(kind, bars)].

    "verse-chorus" -> verse 8, chorus 8, verse 8, chorus 8; "intro:2 verse chorus" ->
    intro 2, verse 8, chorus 8. Commas and spaces both separate sections."""
    s = text.strip()
    preset = next((v for k, v in PRESETS.items() if k.lower() == s.lower()), None)
    if preset is not None:
        s = preset
    tokens = [t for t in re.split(r"[\s,]+", s) if t]
    if not tokens:
        raise SongloomError(f"unknown form {text!r} (use {', '.join(PRESETS)} or a list of "
                            f"sections such as \"intro verse chorus outro\")")
    if len(tokens) > MAX_SECTIONS:
        raise SongloomError(f"form {text!r} has {len(tokens)} sections (at most {MAX_SECTIONS})")
    out = []
    for tok in tokens:
        m = _TOKEN_RE.match(tok)
        if not m:
            raise SongloomError(f"unknown section {tok!r} in form {text!r} (use names such as "
                                "verse or chorus, optionally with bars: verse:8)")
        try:
            kind = section_kind(m.group(1))
        except SongloomError:
            if len(tokens) == 1:
                raise SongloomError(f"unknown form {text!r} (use {', '.join(PRESETS)} or a list "
                                    "of sections: intro, verse, pre-chorus, chorus, bridge, "
                                    "outro, A, B, C)") from None
            raise
        bars = int(m.group(2)) if m.group(2) else DEFAULT_BARS[kind]
        if not 1 <= bars <= MAX_SECTION_BARS:
            raise SongloomError(f"section {tok!r}: a section lasts 1 to {MAX_SECTION_BARS} bars")
        out.append((kind, bars))
    return out


def auto_form(bars: int) -> list[tuple[str, int]]:
    """The form of a request that names none: up to 8 bars one verse; longer songs
    alternate verse and chorus in 8-bar sections (a last short remainder joins the
    section before it, so no section is shorter than 4 bars)."""
    if bars <= 8:
        return [("verse", bars)]
    out, left, kinds = [], bars, ("verse", "chorus")
    while left > 0:
        n = 8 if left - 8 >= 4 or left == 8 else left
        out.append((kinds[len(out) % 2], n))
        left -= n
    return out


def layout_sections(form: list[tuple[str, int]], ticks_per_bar: int, start: int = 0
                    ) -> list[Section]:
    """[(kind, bars)] -> consecutive Sections from ``start``."""
    out, tick = [], start
    for kind, bars in form:
        out.append(Section(kind, tick, bars * ticks_per_bar))
        tick += bars * ticks_per_bar
    return out


def section_labels(sections: list[Section]) -> list[str]:
    """Display names: "Intro", "Verse 1", "Chorus 1", "Verse 2"...; a kind that occurs
    once is not numbered."""
    total = {k: sum(s.name == k for s in sections) for k in {s.name for s in sections}}
    seen: dict[str, int] = {}
    out = []
    for s in sections:
        seen[s.name] = seen.get(s.name, 0) + 1
        title = s.name if s.name in ("A", "B", "C") else s.name.capitalize()
        out.append(f"{title} {seen[s.name]}" if total[s.name] > 1 else title)
    return out


def kind_of_label(label: str) -> str | None:
    """A marker's text -> its section kind ("Verse 2" -> "verse"), None if it names none."""
    t = label.strip()
    m = re.match(r"^(.*?)[\s_]*\d*$", t)
    head = m.group(1) if m else t
    try:
        return section_kind(head)
    except SongloomError:
        return None


def section_at(sections: list[Section], tick: int) -> Section | None:
    return next((s for s in sections if s.start <= tick < s.end), None)


def check_sections(sections: list[Section]) -> None:
    """Sections must be known kinds, in order, and must not overlap."""
    last_end = 0
    for s in sections:
        section_kind(s.name)
        if s.duration <= 0 or s.start < last_end:
            raise SongloomError(f"section {s.name!r} at tick {s.start} overlaps the one before "
                                "it or is empty")
        last_end = s.end
