"""The groove library: drum patterns per style, as text files Songloom writes and licenses
itself (MIT, resources/grooves/LICENSE.txt), read here.

A ``.groove`` file is a drummer's grid, one instrument a row, one character a 16th note
(``|`` between beats and spaces are only for the eye)::

    # rock: the verse is lighter, the chorus rides
    kit 16
    [verse]
    kick   x... .... x.x. ....
    snare  .... X... .... X..g
    hat    x.o. x.o. x.o. x.o.

Hits: ``X`` accent, ``x`` normal, ``o`` soft, ``g`` ghost, ``.`` or ``-`` rest. An
instrument is a name (``kick``, ``snare``, ``hat``, ``open``, ``ride``, ``crash`` ...,
see ``INSTRUMENTS``) or a General MIDI drum key 27-87. ``kit`` is the GM drum kit
(the program on bank 128: 0 Standard, 16 Power, 24 Electronic, 40 Brush ...).

Patterns, and how the drummer (core/music/drummer.py) uses them:
  [verse] [chorus]   the main grooves, one bar: lighter in verses, fuller in choruses
  [variation]        a bar of the main groove varied, at the end of a 4-bar phrase
  [chorus-variation] (optional) the chorus's own; else the chorus groove
  [intro]            (optional) the groove of an intro section; else the verse
  [fill1] [fill2]    fills of 1 beat (4 steps) and 2 beats (8 steps); several of each
                     may be given and one is picked per fill
  [pickup]           1 or 2 beats leading from an intro into the song
  [ending]           the last bar: the ending hit
  [downbeat]         hits added on every section's first downbeat (the crash)

A problem is a ``GrooveError`` naming the file and the line; a style whose file is bad
has no drums while the other styles keep theirs (``load_library``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.errors import SongloomError
from core.model.theory import GM_DRUM_KITS

STEPS_PER_BEAT = 4
BAR = 4 * STEPS_PER_BEAT
MAX_FILE_BYTES = 256 * 1024
VELOCITY = {"X": 118, "x": 96, "o": 72, "g": 38}
RESTS = ".-"
# GM drum keys by the names a drummer writes.
INSTRUMENTS = {
    "kick": 36, "kick2": 35, "snare": 38, "snare2": 40, "rim": 37, "clap": 39,
    "hat": 42, "pedal": 44, "open": 46, "ride": 51, "bell": 53, "crash": 49, "crash2": 57,
    "splash": 55, "china": 52, "tom1": 50, "tom2": 48, "tom3": 47, "tom4": 45,
    "floor": 43, "floor2": 41, "tambourine": 54, "cowbell": 56, "shaker": 70,
    "cabasa": 69, "claves": 75, "woodblock": 76,
}
# Pattern name -> allowed lengths in steps.
PATTERNS = {"verse": (BAR,), "chorus": (BAR,), "variation": (BAR,),
            "chorus-variation": (BAR,), "intro": (BAR,), "fill1": (STEPS_PER_BEAT,),
            "fill2": (2 * STEPS_PER_BEAT,), "pickup": (STEPS_PER_BEAT, 2 * STEPS_PER_BEAT),
            "ending": (BAR,), "downbeat": tuple(range(1, BAR + 1))}
KIT_NAMES = GM_DRUM_KITS  # the kit a groove's "kit" line names
REQUIRED = ("verse", "chorus", "variation", "fill1", "fill2", "pickup", "ending", "downbeat")
REPEATABLE = ("fill1", "fill2")


class GrooveError(SongloomError):
    """A groove file that cannot be read: the file and line, and why."""


@dataclass(frozen=True)
class Pattern:
    steps: int
    hits: tuple[tuple[int, int, int], ...]  # (step, GM key, velocity), sorted

    def keys(self) -> set[int]:
        return {k for _, k, _ in self.hits}


@dataclass
class Groove:
    style: str
    kit: int
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    source: str = ""

    def one(self, name: str) -> Pattern:
        """The pattern ``name`` (its first, when several), or its documented fallback."""
        fallback = {"chorus-variation": "chorus", "intro": "verse"}
        while name not in self.patterns:
            name = fallback[name]
        return self.patterns[name][0]

    def choices(self, name: str) -> list[Pattern]:
        return self.patterns[name]

    def keys(self) -> set[int]:
        return {k for ps in self.patterns.values() for p in ps for k in p.keys()}


def _instrument(word: str) -> int | None:
    if word.lower() in INSTRUMENTS:
        return INSTRUMENTS[word.lower()]
    if word.isdigit() and 27 <= int(word) <= 87:
        return int(word)
    return None


def parse_groove(text: str, style: str, source: str = "") -> Groove:
    """A ``.groove`` text -> a Groove; ``GrooveError`` naming ``source`` and the line."""
    where = source or f"{style}.groove"

    def fail(line_no: int, why: str) -> GrooveError:
        return GrooveError(f"line {line_no}: {why}", where)

    groove = Groove(style, 0, source=where)
    current: str | None = None
    rows: dict[int, list[str]] = {}
    started = 0
    lines = text.splitlines()

    def close(line_no: int) -> None:
        if current is None:
            return
        lengths = {len(r) for r in rows.values()}
        if not rows:
            raise fail(started, f"[{current}] has no instrument rows")
        allowed = PATTERNS[current]
        steps = lengths.pop()
        hits = sorted((i, key, VELOCITY[c]) for key, row in rows.items()
                      for i, c in enumerate(row) if c not in RESTS)
        if not hits:
            raise fail(started, f"[{current}] has no hits")
        if steps not in allowed:
            raise fail(started, f"[{current}] is {steps} steps long; it must be "
                       f"{' or '.join(map(str, allowed))} (16ths)")
        groove.patterns.setdefault(current, []).append(Pattern(steps, tuple(hits)))

    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            close(number)
            name = line.strip("[] ").lower()
            if not line.endswith("]") or name not in PATTERNS:
                raise fail(number, f"unknown pattern {line!r} (use "
                           f"{', '.join('[' + p + ']' for p in PATTERNS)})")
            if name in groove.patterns and name not in REPEATABLE:
                raise fail(number, f"[{name}] is given twice (only fills may repeat)")
            current, rows, started = name, {}, number
            continue
        word, _, rest = line.partition(" ")
        if word.lower() == "kit" and current is None:
            if not rest.strip().isdigit() or not 0 <= int(rest) <= 127:
                raise fail(number, f"kit must be a GM drum kit program 0-127, not {rest.strip()!r}")
            groove.kit = int(rest)
            continue
        if current is None:
            raise fail(number, f"{line[:40]!r} comes before any [pattern]")
        key = _instrument(word)
        if key is None:
            raise fail(number, f"unknown instrument {word!r} (use {', '.join(INSTRUMENTS)} "
                       "or a GM drum key 27-87)")
        if key in rows:
            raise fail(number, f"{word!r} appears twice in [{current}]")
        steps = rest.replace("|", "").replace(" ", "").replace("\t", "")
        bad = next((c for c in steps if c not in VELOCITY and c not in RESTS), None)
        if bad is not None:
            raise fail(number, f"{bad!r} is not a hit (use X x o g, and . for a rest)")
        if not steps:
            raise fail(number, f"{word!r} has no steps")
        if rows and len(steps) != len(next(iter(rows.values()))):
            first = len(next(iter(rows.values())))
            raise fail(number, f"{word!r} has {len(steps)} steps, the rows above {first}")
        rows[key] = list(steps)
    close(len(lines))
    missing = [p for p in REQUIRED if p not in groove.patterns]
    if missing:
        raise fail(max(1, len(lines)), f"no {', '.join('[' + p + ']' for p in missing)} "
                   f"(a groove needs {', '.join(REQUIRED)})")
    return groove


def grooves_dir() -> Path:
    from core.paths import resources_dir

    return resources_dir() / "grooves"


def read_groove(path: Path, style: str | None = None) -> Groove:
    """One groove file; ``GrooveError`` for a file that is unreadable or malformed."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise GrooveError(f"larger than {MAX_FILE_BYTES // 1024} KB: not a groove file", path)
        data = path.read_bytes()
    except OSError as exc:
        raise GrooveError(f"cannot read it ({exc.strerror or exc})", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise GrooveError(f"line {line}: not UTF-8 text", path) from None
    return parse_groove(text, style or path.stem, str(path))


@dataclass
class Library:
    grooves: dict[str, Groove]
    errors: dict[str, GrooveError]  # style -> why its file could not be used

    def groove(self, style: str) -> Groove:
        """The style's groove; its file's error if it had one."""
        if style in self.errors:
            raise self.errors[style]
        if style not in self.grooves:
            raise SongloomError(f"the {style} style has no drum groove (styles with drums: "
                                f"{', '.join(sorted(self.grooves)) or 'none'})")
        return self.grooves[style]


_cache: dict[tuple, Library] = {}


def load_library(folder: Path | None = None) -> Library:
    """Every ``<style>.groove`` in ``folder`` (default resources/grooves), read once per
    set of file times. A malformed file is kept as its style's error, the others load."""
    folder = Path(folder) if folder else grooves_dir()
    files = sorted(folder.glob("*.groove")) if folder.is_dir() else []
    stamp = (str(folder), tuple((f.name, _mtime(f)) for f in files))
    if stamp in _cache:
        return _cache[stamp]
    grooves, errors = {}, {}
    for f in files:
        try:
            grooves[f.stem] = read_groove(f)
        except GrooveError as exc:
            errors[f.stem] = exc
    lib = Library(grooves, errors)
    _cache.clear()
    _cache[stamp] = lib
    return lib


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1
