"""Open and save a Song by file extension (.mid/.midi/.kar/.songloom), and describe it.

The one place that knows which formats exist: the CLI, the desktop's open/save dialogs
and drag and drop all come through here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.errors import SongloomError, one_line
from core.model.song import Song
from core.model.theory import GM_PROGRAM_NAMES

PROJECT_EXTENSIONS = (".songloom",)
MIDI_EXTENSIONS = (".mid", ".midi", ".kar")
SONG_EXTENSIONS = PROJECT_EXTENSIONS + MIDI_EXTENSIONS


class UnknownFormatError(SongloomError):
    """A file name whose extension Songloom does not read or write."""


def _kind(path: Path) -> str:
    if path.is_dir():
        raise UnknownFormatError("is a folder; give a file name such as song.mid or song.songloom", path)
    ext = path.suffix.lower()
    if ext in PROJECT_EXTENSIONS:
        return "project"
    if ext in MIDI_EXTENSIONS:
        return "midi"
    shown = ext or "no extension"
    raise UnknownFormatError(f"unknown song file type ({shown}; use {', '.join(SONG_EXTENSIONS)})", path)


def load_song(path: str | Path, warn: Callable[[str], None] | None = None) -> Song:
    """Read a project or MIDI/KAR file. ``warn`` gets one-line notes about MIDI compromises."""
    path = Path(path)
    if _kind(path) == "project":
        from core.io.project_file import load_project

        return load_project(path)
    from core.io.midi_io import read_midi

    return read_midi(path, warn=warn)


def carried_blocks(source: str | Path) -> dict[str, Any] | None:
    """The app's ``generation`` block of a ``.songloom`` source (style, form, takes), for a
    song written from it, e.g. with lyrics added: the app then reopens it on its own style.
    None for MIDI, which has nowhere to keep it."""
    source = Path(source)
    if _kind(source) != "project":
        return None
    from core.io.project_file import read_project_document

    block = read_project_document(source).get("generation")
    return {"generation": block} if isinstance(block, dict) else None


def check_song_path(path: str | Path) -> None:
    """Raise UnknownFormatError now, before any work, for a name Songloom cannot write."""
    _kind(Path(path))


def save_song(song: Song, path: str | Path, extra: dict[str, Any] | None = None) -> list[str]:
    """Write ``song`` in the format the extension names, atomically; returns warnings.

    ``extra``: more top-level blocks for a ``.songloom`` project (the generation options,
    so the app's Generate panel reopens on the song's style); MIDI has nowhere to keep them.
    """
    path = Path(path)
    if _kind(path) == "project":
        from core.io.project_file import save_project

        save_project(song, path, extra)
        return []
    from core.io.midi_io import write_midi

    return write_midi(song, path)


def song_summary(song: Song) -> dict[str, Any]:
    """What ``songloom-cli info`` shows: plain JSON types only."""
    lyrics = song.lyrics
    syllables = lyrics.syllables()
    return {
        "title": song.title,
        "duration_s": round(song.duration_seconds(), 3),
        "bars": song.bar_count(),
        "end_tick": song.end_tick(),
        "ticks_per_beat": 480,
        "tempo_bpm": song.tempo,
        "tempo_changes": [{"tick": t.tick, "bpm": t.bpm} for t in song.tempos],
        "key": song.key_name,
        "time_signature": f"{song.time_signature.numerator}/{song.time_signature.denominator}",
        "tracks": [
            {
                "name": t.name,
                "role": t.role,
                "program": t.program,
                "instrument": "Drum kit" if t.is_drum else GM_PROGRAM_NAMES[t.program % 128],
                "midi_channel": t.channel + 1,
                "is_drum": t.is_drum,
                "notes": len(t.notes),
                "pitch_range": [min(n.pitch for n in t.notes), max(n.pitch for n in t.notes)]
                if t.notes
                else None,
                "mute": t.mute,
                "solo": t.solo,
            }
            for t in song.tracks
        ],
        "lyrics": {
            "sections": [s.name for s in lyrics.sections],
            "lines": [line.text for line in lyrics.lines()],
            "syllables": len(syllables),
            "aligned_syllables": sum(1 for s in syllables if s.tick is not None),
        },
    }


def format_summary(name: str, info: dict[str, Any]) -> str:
    """The human-readable ``info`` text. Every text from the file is shown with control
    characters escaped (``\\x1b``): a track name holding ANSI/OSC escape codes must not
    recolour, retitle or clear the user's terminal."""
    info = {**info, "tracks": [{**t, "name": one_line(t["name"])} for t in info["tracks"]],
            "lyrics": {**info["lyrics"], "lines": [one_line(x) for x in info["lyrics"]["lines"]]}}
    name = one_line(name)
    minutes, seconds = divmod(info["duration_s"], 60)
    tempo = f"{info['tempo_bpm']:g} BPM"
    if len(info["tempo_changes"]) > 1:
        tempo += f" ({len(info['tempo_changes']) - 1} tempo changes)"
    out = [
        f"{name}: {info['title']!r}",
        f"  {int(minutes)}:{seconds:04.1f} ({info['bars']} bars), {tempo}, "
        f"{info['key']}, {info['time_signature']}",
    ]
    if not info["tracks"]:
        out.append("  no tracks")
    width = max((len(t["name"]) for t in info["tracks"]), default=0)
    for i, t in enumerate(info["tracks"], 1):
        flags = "".join(f" [{f}]" for f in ("mute", "solo") if t[f])
        out.append(
            f"  {i:>2}. {t['name']:<{width}}  {t['role']:<7}  ch {t['midi_channel']:>2}  "
            f"{t['instrument']} - {_count(t['notes'], 'note')}{flags}"
        )
    ly = info["lyrics"]
    if ly["syllables"]:
        out.append(
            f"  lyrics: {_count(len(ly['sections']), 'section')}, {_count(len(ly['lines']), 'line')}, "
            f"{_count(ly['syllables'], 'syllable')} ({ly['aligned_syllables']} on notes)"
        )
        out += [f"    {line}" for line in ly["lines"]]
    else:
        out.append("  lyrics: none")
    return "\n".join(out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
