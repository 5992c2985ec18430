"""``.songloom`` project files: versioned JSON, atomic save, autosave and crash recovery.

Format (UTF-8 JSON, version 1)::

    {"format": "songloom", "version": 1, "app": "Songloom 0.1.0",
     "song": {"title": ..., "tempos": [{"tick": 0, "bpm": 96.0}],
              "time_signature": {"numerator": 4, "denominator": 4}, "key": 0, "mode": "major",
              "tracks": [{"name", "role", "program", "is_drum", "channel", "mute", "solo",
                          "volume", "pan", "color",
                          "notes": [[start, duration, pitch, velocity], ...]}],
              "lyrics": {"sections": [{"name", "lines": [{"text", "syllables":
                          [{"text", "tick", "word_end"}]}]}]},
              "phrase_starts": [tick, ...],
              "sections": [{"name": "verse", "start": tick, "duration": ticks}, ...],
              "chords": [{"start": tick, "duration": ticks, "chord": "G7/B"}, ...]}}

``phrase_starts`` (the tick where each sung melody phrase begins) came later in version 1
and is optional: the app gives a file without it phrases detected from the melody's rests
once, when it opens it, and keeps them from then on (core/model/phrases.py says why).
``sections`` (the form) and ``chords`` (chord names, as core/model/chords.py spells them)
came later still; a file without them loads with no form and no chords, as before.

Notes are stored as 4-number arrays so a 10,000-note song stays small and quick to load.
Readers ignore keys they do not know (a later version 1.x may add some); a higher
``version`` is refused with a message saying a newer Songloom wrote the file. Every
problem is a ``ProjectFileError`` naming the file and the field.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import __version__
from core.errors import ProjectFileError, SongloomError
from core.io.atomic_write import atomic_write_bytes
from core.io.bounded_read import read_bounded_bytes
from core.io.safe_json import (
    JSON_HOOKS,
    JsonContentError,
    has_lone_surrogate,
    int_limit_reason,
    shown_number,
    size_problem,
)
from core.model import limits
from core.model.chords import ChordEvent, parse_chord_name
from core.model.sections import Section, check_sections, section_kind
from core.model.song import (
    MODES,
    ROLES,
    TICKS_PER_BEAT,
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

FORMAT = "songloom"
VERSION = 1
EXTENSION = ".songloom"
MAX_FILE_BYTES = 64 * 1024 * 1024  # a 30,000-note song is about 1.8 MB
# Times beyond 50,000 beats (hours of music) are corruption; the MIDI reader draws the
# same line (core/io/smf.py), and renderers and the piano roll never meet absurd lengths.
MAX_TICK = 50_000 * TICKS_PER_BEAT


# -- Song <-> dict ------------------------------------------------------------------


def song_to_dict(song: Song) -> dict[str, Any]:
    """The ``song`` object of a project file (plain JSON types only)."""
    return {
        "title": song.title,
        "tempos": [{"tick": t.tick, "bpm": t.bpm} for t in song.tempos],
        "time_signature": {
            "numerator": song.time_signature.numerator,
            "denominator": song.time_signature.denominator,
        },
        "key": song.key,
        "mode": song.mode,
        "tracks": [
            {
                "name": t.name,
                "role": t.role,
                "program": t.program,
                "is_drum": t.is_drum,
                "channel": t.channel,
                "mute": t.mute,
                "solo": t.solo,
                "volume": t.volume,
                "pan": t.pan,
                "color": t.color,
                "notes": [[n.start, n.duration, n.pitch, n.velocity] for n in t.notes],
            }
            for t in song.tracks
        ],
        "lyrics": {
            "sections": [
                {
                    "name": s.name,
                    "lines": [
                        {
                            "text": line.text,
                            "syllables": [
                                {"text": y.text, "tick": y.tick, "word_end": y.word_end}
                                for y in line.syllables
                            ],
                        }
                        for line in s.lines
                    ],
                }
                for s in song.lyrics.sections
            ]
        },
        **({} if song.phrase_starts is None else {"phrase_starts": list(song.phrase_starts)}),
        **({"sections": [{"name": s.name, "start": s.start, "duration": s.duration}
                         for s in song.sections]} if song.sections else {}),
        **({"chords": [{"start": c.start, "duration": c.duration, "chord": c.chord.name()}
                       for c in song.chords]} if song.chords else {}),
    }


class _Reader:
    """Typed field access that reports the JSON path of a bad value."""

    def __init__(self, path: str | Path | None):
        self.path = path

    def fail(self, where: str, what: str) -> ProjectFileError:
        return ProjectFileError(f"{where}: {what}", self.path)

    def expect(self, value: Any, where: str, cls: type, what: str) -> Any:
        if not isinstance(value, cls):
            raise self.fail(where, f"expected {what}, got {_kind(value)}")
        return value

    def obj(self, value: Any, where: str) -> dict:
        return self.expect(value, where, dict, "an object")

    def array(self, value: Any, where: str) -> list:
        return self.expect(value, where, list, "a list")

    def field(self, d: dict, name: str, where: str, default: Any = ...) -> Any:
        if name in d:
            return d[name]
        if default is ...:
            raise self.fail(where, f"missing field {name!r}")
        return default

    def int_(self, value: Any, where: str, lo: int, hi: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"expected a whole number, got {_kind(value)}")
        if value < lo or (hi is not None and value > hi):
            span = f"{lo}..{hi}" if hi is not None else f">= {lo}"
            raise self.fail(where, f"{shown_number(value)} is out of range ({span})")
        return value

    def str_(self, value: Any, where: str, choices: tuple[str, ...] | None = None) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected text, got {_kind(value)}")
        if has_lone_surrogate(value):  # a "\ud800" escape: no UTF-8 form, cannot be saved
            raise self.fail(where, "holds an invalid character (a lone UTF-16 surrogate)")
        if choices is not None and value not in choices:
            raise self.fail(where, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def bool_(self, value: Any, where: str) -> bool:
        return self.expect(value, where, bool, "true or false")

    def float_(self, value: Any, where: str, lo: float, hi: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"expected a number, got {_kind(value)}")
        if not math.isfinite(value) or not lo <= value <= hi:
            raise self.fail(where, f"{value} is out of range ({lo:g}..{hi:g})")
        return float(value)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value),
                     f"the number {shown_number(value)}" if isinstance(value, int | float) else "?")


def _count_problem(d: dict) -> str | None:
    """What in the raw ``song`` object is over core/model/limits.py's limits (counts and
    text lengths), found without building anything; wrong types are left to the reader."""

    def items(obj, key) -> list:
        value = obj.get(key) if isinstance(obj, dict) else None
        return value if isinstance(value, list) else []

    def text(obj, key) -> str:
        value = obj.get(key) if isinstance(obj, dict) else None
        return value if isinstance(value, str) else ""

    tracks = items(d, "tracks")
    sections = items(d.get("lyrics"), "sections")
    lines = [line for s in sections for line in items(s, "lines")]
    syllables = [y for line in lines for y in items(line, "syllables")]
    problem = (limits.too_many(len(tracks), limits.MAX_TRACKS, "tracks")
               or limits.too_many(sum(len(items(t, "notes")) for t in tracks), limits.MAX_NOTES,
                                  "notes")
               or limits.too_many(len(items(d, "tempos")), limits.MAX_TEMPO_CHANGES,
                                  "tempo changes")
               or limits.too_many(len(sections), limits.MAX_SECTIONS, "lyric sections")
               or limits.too_many(len(lines), limits.MAX_LINES, "lyric lines")
               or limits.too_many(len(syllables), limits.MAX_SYLLABLES, "syllables")
               or limits.too_long(text(d, "title"), limits.MAX_NAME_CHARS, "the title"))
    for t in tracks:
        problem = problem or limits.too_long(text(t, "name"), limits.MAX_NAME_CHARS, "a track name")
    for s in sections:
        problem = problem or limits.too_long(text(s, "name"), limits.MAX_NAME_CHARS,
                                             "a section name")
    for line in lines:
        problem = problem or limits.too_long(text(line, "text"), limits.MAX_LINE_CHARS,
                                             "a lyric line")
    for y in syllables:
        problem = problem or limits.too_long(text(y, "text"), limits.MAX_SYLLABLE_CHARS,
                                             "a syllable")
    return problem


def song_from_dict(data: Any, path: str | Path | None = None) -> Song:
    """Build a Song from the ``song`` object; ProjectFileError names any bad field."""
    r = _Reader(path)
    d = r.obj(data, "song")
    problem = _count_problem(d)
    if problem:  # before building anything: 70,000 empty tracks kept the app busy for minutes
        raise ProjectFileError(problem, path)
    tempos = []
    for i, t in enumerate(r.array(r.field(d, "tempos", "song", [{"tick": 0, "bpm": 120.0}]), "song.tempos")):
        w = f"song.tempos[{i}]"
        t = r.obj(t, w)
        tempos.append(
            TempoChange(
                r.int_(r.field(t, "tick", w), w + ".tick", 0, MAX_TICK),
                r.float_(r.field(t, "bpm", w), w + ".bpm", 1.0, 2000.0),
            )
        )
    ts = r.obj(r.field(d, "time_signature", "song", {"numerator": 4, "denominator": 4}), "song.time_signature")
    num = r.int_(r.field(ts, "numerator", "song.time_signature"), "song.time_signature.numerator", 1, 99)
    den = r.int_(r.field(ts, "denominator", "song.time_signature"), "song.time_signature.denominator", 1, 64)
    if den & (den - 1):
        raise r.fail("song.time_signature.denominator", f"{den} is not a power of two")
    tracks = [_track(r, t, f"song.tracks[{i}]") for i, t in enumerate(r.array(r.field(d, "tracks", "song", []), "song.tracks"))]
    lyr = r.obj(r.field(d, "lyrics", "song", {"sections": []}), "song.lyrics")
    sections = []
    for i, s in enumerate(r.array(r.field(lyr, "sections", "song.lyrics", []), "song.lyrics.sections")):
        w = f"song.lyrics.sections[{i}]"
        s = r.obj(s, w)
        lines = []
        for j, line in enumerate(r.array(r.field(s, "lines", w, []), w + ".lines")):
            lw = f"{w}.lines[{j}]"
            line = r.obj(line, lw)
            syllables = []
            for k, y in enumerate(r.array(r.field(line, "syllables", lw, []), lw + ".syllables")):
                yw = f"{lw}.syllables[{k}]"
                y = r.obj(y, yw)
                tick = r.field(y, "tick", yw, None)
                syllables.append(
                    Syllable(
                        r.str_(r.field(y, "text", yw), yw + ".text"),
                        None if tick is None else r.int_(tick, yw + ".tick", 0, MAX_TICK),
                        r.bool_(r.field(y, "word_end", yw, True), yw + ".word_end"),
                    )
                )
            lines.append(LyricLine(r.str_(r.field(line, "text", lw, ""), lw + ".text"), syllables))
        sections.append(LyricSection(r.str_(r.field(s, "name", w, "verse"), w + ".name"), lines))
    return Song(
        title=r.str_(r.field(d, "title", "song", "Untitled"), "song.title"),
        tempos=tempos,
        time_signature=TimeSignature(num, den),
        key=r.int_(r.field(d, "key", "song", 0), "song.key", 0, 11),
        mode=r.str_(r.field(d, "mode", "song", "major"), "song.mode", MODES),
        tracks=tracks,
        lyrics=Lyrics(sections),
        phrase_starts=_phrase_starts(r, d),
        sections=_form_sections(r, d),
        chords=_chord_events(r, d),
    )


def _spans(r: _Reader, d: dict, key: str, label: str, parse, make) -> list:
    """The song's list ``key`` of {label, start, duration} objects: ``label`` read by
    ``parse`` (its SongloomError reported at that field), each item ``make(parsed, start,
    duration)``."""
    out = []
    for i, item in enumerate(r.array(r.field(d, key, "song", []), f"song.{key}")):
        w = f"song.{key}[{i}]"
        item = r.obj(item, w)
        text = r.str_(r.field(item, label, w), f"{w}.{label}")
        try:
            value = parse(text)
        except SongloomError as exc:
            raise r.fail(f"{w}.{label}", exc.reason) from None
        out.append(make(value, r.int_(r.field(item, "start", w), w + ".start", 0, MAX_TICK),
                        r.int_(r.field(item, "duration", w), w + ".duration", 1, MAX_TICK)))
    return out


def _form_sections(r: _Reader, d: dict) -> list[Section]:
    """The form (absent in files written before sections: an empty form)."""
    out = _spans(r, d, "sections", "name", section_kind, Section)
    try:
        check_sections(out)
    except SongloomError as exc:
        raise r.fail("song.sections", exc.reason) from None
    return out


def _chord_events(r: _Reader, d: dict) -> list[ChordEvent]:
    """The chord progression (absent in files written before chords: none)."""
    out = _spans(r, d, "chords", "chord", parse_chord_name,
                 lambda chord, start, duration: ChordEvent(start, duration, chord))
    return sorted(out, key=lambda e: e.start)


def _phrase_starts(r: _Reader, d: dict) -> list[int] | None:
    raw = r.field(d, "phrase_starts", "song", None)
    if raw is None:
        return None
    starts = [r.int_(t, f"song.phrase_starts[{i}]", 0, MAX_TICK)
              for i, t in enumerate(r.array(raw, "song.phrase_starts"))]
    return sorted(set(starts))


def _track(r: _Reader, t: Any, w: str) -> Track:
    t = r.obj(t, w)
    notes = []
    for i, n in enumerate(r.array(r.field(t, "notes", w, []), w + ".notes")):
        # The common case checked inline (a song at the note cap loads in about a second);
        # anything else goes through the checks below, which name what is wrong.
        if type(n) is list and len(n) == 4:
            s, d, p, v = n
            if (type(s) is int and type(d) is int and type(p) is int and type(v) is int
                    and 0 <= s <= MAX_TICK and 1 <= d <= MAX_TICK and 0 <= p <= 127
                    and 1 <= v <= 127):
                notes.append(Note(s, d, p, v))
                continue
        nw = f"{w}.notes[{i}]"
        if not isinstance(n, list) or len(n) != 4:
            raise r.fail(nw, "expected [start, duration, pitch, velocity]")
        notes.append(
            Note(
                r.int_(n[0], nw + " start", 0, MAX_TICK),
                r.int_(n[1], nw + " duration", 1, MAX_TICK),
                r.int_(n[2], nw + " pitch", 0, 127),
                r.int_(n[3], nw + " velocity", 1, 127),
            )
        )
    return Track(
        name=r.str_(r.field(t, "name", w, ""), w + ".name"),
        role=r.str_(r.field(t, "role", w, "other"), w + ".role", ROLES),
        program=r.int_(r.field(t, "program", w, 0), w + ".program", 0, 127),
        is_drum=r.bool_(r.field(t, "is_drum", w, False), w + ".is_drum"),
        channel=r.int_(r.field(t, "channel", w, 0), w + ".channel", 0, 15),
        mute=r.bool_(r.field(t, "mute", w, False), w + ".mute"),
        solo=r.bool_(r.field(t, "solo", w, False), w + ".solo"),
        volume=r.int_(r.field(t, "volume", w, 100), w + ".volume", 0, 127),
        pan=r.int_(r.field(t, "pan", w, 64), w + ".pan", 0, 127),
        color=r.str_(r.field(t, "color", w, ""), w + ".color"),
        notes=notes,
    )


# -- files --------------------------------------------------------------------------


def _syllable_row(syllable: dict) -> str:
    return json.dumps(syllable, ensure_ascii=False, allow_nan=False)


def _note_row(note: list) -> str:
    if all(type(v) is int for v in note):
        return f"[{note[0]},{note[1]},{note[2]},{note[3]}]"
    return json.dumps(note, allow_nan=False)  # odd values: let validation name them


def project_bytes(song: Song, extra: dict[str, Any] | None = None) -> bytes:
    """The file's bytes: indented JSON (diff-friendly), one note per line.

    A song over the limits every reader applies (core/model/limits.py), or with text no
    UTF-8 file can hold, is refused here, so nothing is written that would not load."""
    problem = limits.song_limit_problem(song)
    if problem:
        raise ProjectFileError(f"song cannot be saved: {problem}")
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "app": f"Songloom {__version__}"}
    doc.update(extra or {})
    doc["song"] = song_to_dict(song)
    # Note lists and syllable lists go in afterwards, one compact row per line: plain
    # indenting would put every number on a line of its own (files five times larger), and
    # json's indenting encoder is pure Python (100,000 syllables took seconds to save).
    marker = f"@rows-{uuid.uuid4().hex}-"
    blocks: list[str] = []

    def rows_marker(rows: list, row, pad: str) -> str:
        lines = [row(r) for r in rows]
        blocks.append(f"[\n{pad} " + f",\n{pad} ".join(lines) + f"\n{pad}]" if lines else "[]")
        return f"{marker}{len(blocks) - 1}"

    for track in doc["song"]["tracks"]:
        track["notes"] = rows_marker(track["notes"], _note_row, "    ")
    for section in doc["song"]["lyrics"]["sections"]:
        for line in section["lines"]:
            line["syllables"] = rows_marker(line["syllables"], _syllable_row, "       ")
    try:
        # allow_nan=False: NaN/inf would write a file no JSON reader accepts.
        text = json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)
        # One pass over the text (a replace per track copied it all each time).
        text = re.sub(f'"{re.escape(marker)}(\\d+)"', lambda m: blocks[int(m.group(1))], text)
    except (TypeError, ValueError) as exc:
        raise ProjectFileError(f"song cannot be saved: {exc}") from None
    data = (text + "\n").encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise ProjectFileError(f"song cannot be saved: {len(data) / 2**20:.0f} MiB is more than "
                               f"the {MAX_FILE_BYTES // 2**20} MiB a project may hold")
    return data


def save_project(song: Song, path: str | Path, extra: dict[str, Any] | None = None) -> Path:
    """Save atomically; the previous file is kept as ``<name>.bak``. ``extra``: more
    top-level blocks (readers ignore the ones they do not know).

    The whole file is encoded before anything on disk is touched, so a song that cannot
    be saved leaves the old file as it was.
    """
    path = Path(path)
    data = project_bytes(song, extra)
    try:
        back = json.loads(data)
    except ValueError as exc:
        raise ProjectFileError(f"song cannot be saved: {exc}", path) from None
    song_from_dict(back["song"], path)  # never write what we could not read back
    return atomic_write_bytes(path, data, backup=True, error_cls=ProjectFileError)


def read_project_document(path: str | Path) -> dict[str, Any]:
    """The parsed, format-checked JSON document (song not yet validated)."""
    path = Path(path)
    raw = read_bounded_bytes(path, max_bytes=MAX_FILE_BYTES, error_cls=ProjectFileError,
                             kind="a project file", too_large_for="a Songloom project")
    if not raw.strip():
        raise ProjectFileError("the file is empty (an interrupted copy?)", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectFileError(f"not a Songloom project (not UTF-8 text at byte {exc.start})", path) from None
    try:
        problem = size_problem(text)
        if problem:  # before parsing: 64 MB of "[[]]" would be 20 million lists
            raise JsonContentError(f"too many values for a Songloom project: {problem}")
        doc = json.loads(text, **JSON_HOOKS)
    except JsonContentError as exc:  # a 5,000-digit number, NaN, 1e999
        raise ProjectFileError(str(exc), path) from None
    except json.JSONDecodeError as exc:
        if not text.lstrip().startswith("{"):
            raise ProjectFileError("not a Songloom project (not JSON)", path) from None
        hint = "the file is cut short" if _unclosed(text) else "broken JSON"
        raise ProjectFileError(f"{hint} at line {exc.lineno} column {exc.colno}: {exc.msg}", path) from None
    except RecursionError:
        raise ProjectFileError("broken JSON: nested too deeply", path) from None
    except ValueError as exc:  # int() of more than 4,300 digits
        raise ProjectFileError(int_limit_reason(exc), path) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProjectFileError("not a Songloom project (no \"format\": \"songloom\")", path)
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        shown = shown_number(version) if isinstance(version, int) else repr(version)[:40]
        raise ProjectFileError(f"bad format version {shown}", path)
    if version > VERSION:
        raise ProjectFileError(
            f"written by a newer Songloom (format version {shown_number(version)}; this one reads up to "
            f"{VERSION}); please update Songloom",
            path,
        )
    if "song" not in doc:
        raise ProjectFileError("missing field 'song'", path)
    return doc


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _unclosed(text: str) -> bool:
    """True when the JSON text ends inside a string or an open object/list: cut short.
    (Regular expressions and counts, not a loop per character: files reach 64 MB.)"""
    rest = _JSON_STRING.sub("", text)
    if '"' in rest:  # a string that never closes
        return True
    return rest.count("{") + rest.count("[") > rest.count("}") + rest.count("]")


def load_project(path: str | Path) -> Song:
    """Read a ``.songloom`` file; ProjectFileError says what is wrong and where."""
    return load_project_document(path)[0]


def load_project_document(path: str | Path) -> tuple[Song, dict[str, Any]]:
    """The song and the whole document (its other blocks, e.g. the app's "generation").

    The song is exactly what the file holds: a file from before stored phrase boundaries
    has ``phrase_starts`` None; the app fixes them once when it opens the file."""
    doc = read_project_document(path)
    return song_from_dict(doc["song"], path), doc


# -- autosave and recovery -----------------------------------------------------------


@dataclass(frozen=True)
class RecoveryEntry:
    key: str  # the document it belongs to: its file path, or an id for an unsaved song
    path: Path  # the autosave file; load it with load_project
    title: str
    saved_at: float  # Unix time
    source_path: str | None  # the project file the work came from, if it had one


def _autosave_folder(folder: str | Path | None) -> Path:
    if folder is not None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    from core.paths import autosave_dir

    return autosave_dir()


def autosave_path(key: str, folder: str | Path | None = None) -> Path:
    # A readable prefix for people looking in the folder, a hash so keys never collide.
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(key).stem or key)[:40] or "song"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return _autosave_folder(folder) / f"{readable}-{digest}{EXTENSION}"


def autosave(
    song: Song, key: str, source_path: str | Path | None = None, folder: str | Path | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Save unsaved work under ``key`` in the autosave folder (atomic, no ``.bak``).
    ``extra``: more top-level blocks, as for ``save_project`` (the app's takes and
    generation options, so a recovered song comes back with them)."""
    meta = {
        **(extra or {}),
        "autosave": {
            "key": key,
            "saved_at": time.time(),
            "source_path": None if source_path is None else str(source_path),
        }
    }
    path = autosave_path(key, folder)
    return atomic_write_bytes(path, project_bytes(song, meta), error_cls=ProjectFileError)


def list_recoverable(folder: str | Path | None = None) -> list[RecoveryEntry]:
    """Autosaved songs left behind (e.g. by a crash), newest first; unreadable ones skipped."""
    entries = []
    for path in _autosave_folder(folder).glob(f"*{EXTENSION}"):
        try:
            doc = read_project_document(path)
            song = song_from_dict(doc["song"], path)
            meta = doc.get("autosave") or {}
            entries.append(
                RecoveryEntry(
                    key=str(meta.get("key", path.stem)),
                    path=path,
                    title=song.title,
                    saved_at=float(meta.get("saved_at", path.stat().st_mtime)),
                    source_path=meta.get("source_path"),
                )
            )
        except (ProjectFileError, OSError, TypeError, ValueError):
            continue
    return sorted(entries, key=lambda e: e.saved_at, reverse=True)


def discard_autosave(key: str, folder: str | Path | None = None) -> None:
    """Forget the autosave of ``key`` (after a successful save, or when declined)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(autosave_path(key, folder))
