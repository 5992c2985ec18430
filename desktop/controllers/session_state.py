"""The generation session saved with a project: the panel's options and the takes.

Reopening a project used to bring back the notes and the lyrics but not how they were
made: the Generate panel fell back to its defaults (4 bars, lieder, one variation) and
the takes and history were gone. They are stored in the project file under
``"generation"`` (readers that do not know the key ignore it, so older Songloom
versions still open these files):

    {"music": {MusicParams}, "lyrics": {LyricParams},
     "history": [{"number", "kind", "params", "summary", "created", "lines", "song"}],
     "takes": [history numbers of the current variations]}

Only the newest ``SAVED_ENTRIES`` history entries are written (each holds a whole song).
A damaged block never stops a project from opening: what can be read is restored and
the rest is reported in one line.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from desktop.controllers.history import HistoryEntry
from desktop.i18n import translate

SAVED_ENTRIES = 24
KINDS = ("music", "variation", "regenerate", "continue", "lyrics", "line")


def generation_state(controller) -> dict[str, Any]:
    """What ``restore_generation_state`` needs, as plain JSON types."""
    from core.io.project_file import song_to_dict

    panel = controller.panel
    entries = controller.history.entries[-SAVED_ENTRIES:]
    takes = [n for n in controller.take_numbers if any(e.number == n for e in entries)]
    return {
        "music": asdict(panel.music_params(roll_seed=False)),
        "lyrics": asdict(panel.lyric_params(roll_seed=False)),
        "history": [{"number": e.number, "kind": e.kind, "params": e.params,
                     "summary": e.summary, "created": e.created, "lines": list(e.lines),
                     "song": song_to_dict(e.song)} for e in entries],
        "takes": takes,
    }


def _params(base, data: Any):
    """A copy of ``base`` (the panel's options now) with the known, well-typed fields of
    ``data``; anything odd keeps the panel's value."""
    if not isinstance(data, dict):
        return None
    cls = type(base)
    out = cls(**asdict(base))
    for f in fields(cls):
        value = data.get(f.name)
        default = getattr(out, f.name)
        if value is None or isinstance(value, bool) != isinstance(default, bool):
            continue
        if isinstance(default, float) and isinstance(value, int | float):
            setattr(out, f.name, float(value))
        elif isinstance(value, type(default)):
            setattr(out, f.name, value)
    return out


def restore_generation_state(controller, data: Any) -> str:
    """Put a saved session back; returns '' or one line saying what was skipped."""
    from core.errors import SongloomError
    from core.io.project_file import song_from_dict

    if data is None:  # a song without a saved session: the old song's takes go
        controller.load_history([], [])
        return ""
    if not isinstance(data, dict):
        controller.load_history([], [])
        return translate("Generate", "Could not restore the saved generation settings (unreadable)")
    panel = controller.panel
    problems = []
    music = _params(panel.music_params(roll_seed=False), data.get("music"))
    if music is not None:
        try:
            panel.set_music_params(music)
        except (ValueError, TypeError):
            problems.append(translate("Generate", "music settings"))
    lyrics = _params(panel.lyric_params(roll_seed=False), data.get("lyrics"))
    if lyrics is not None:
        panel.set_lyric_params(lyrics)
    entries, skipped = [], 0
    raw = data.get("history")
    for item in (raw if isinstance(raw, list) else []):
        try:
            number, kind = item["number"], item["kind"]
            if not isinstance(number, int) or kind not in KINDS:
                raise ValueError(kind)
            song = song_from_dict(item["song"])
            entries.append(HistoryEntry(
                number, kind, dict(item.get("params") or {}), song,
                str(item.get("summary", "")), float(item.get("created", 0.0)),
                [str(x) for x in item.get("lines", []) if isinstance(x, str)]))
        except (KeyError, TypeError, ValueError, SongloomError):
            skipped += 1
    if skipped:
        problems.append(translate("Generate", "1 history entry") if skipped == 1 else
                        translate("Generate", "{n} history entries").format(n=skipped))
    takes = [n for n in data.get("takes", []) if isinstance(n, int)] \
        if isinstance(data.get("takes"), list) else []
    controller.load_history(entries, takes)
    return translate("Generate", "Could not restore {what}").format(
        what=", ".join(problems)) if problems else ""
