"""Undoable edits of the song. Each user action is exactly one QUndoCommand.

Commands swap whole lists (a track's notes, the song's tracks) or single attributes,
and never mutate a Note in place: the old list still holds the old Note objects, so
undo restores the song exactly, and a copy of a 10,000-note list is cheap.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.model.song import Note, Song, Track


class SongDocument(QObject):
    """The open song, its undo stack and its file; widgets listen to ``changed``."""

    changed = Signal()  # anything in the song changed (after a command ran)
    replaced = Signal()  # the whole Song object was swapped (new file, generation)
    opened = Signal()  # a different song was opened (New, Open, recovery): frame it anew

    def __init__(self, song: Song | None = None):
        super().__init__()
        self.song = song if song is not None else Song()
        self.undo_stack = QUndoStack(self)
        self.path: str | None = None  # the .songloom file, None until saved

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def reset(self, song: Song, path: str | None = None) -> None:
        """Open a different song: history starts afresh (like any editor on File > Open)."""
        self.song = song
        self.path = path
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.replaced.emit()
        self.changed.emit()
        self.opened.emit()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()


class _DocCommand(QUndoCommand):
    def __init__(self, doc: SongDocument, text: str):
        super().__init__(text)
        self.doc = doc

    def _done(self) -> None:
        self.doc.changed.emit()


class ReplaceNotesCommand(_DocCommand):
    """Replace the note list of one track (draw, move, resize, delete, velocity, ...)."""

    def __init__(self, doc: SongDocument, track_index: int, new_notes: list[Note], text: str):
        super().__init__(doc, text)
        self.track_index = track_index
        self.old_notes = list(doc.song.tracks[track_index].notes)
        self.new_notes = list(new_notes)

    def redo(self) -> None:
        self.doc.song.tracks[self.track_index].notes = list(self.new_notes)
        self._done()

    def undo(self) -> None:
        self.doc.song.tracks[self.track_index].notes = list(self.old_notes)
        self._done()


class _SetAttributesCommand(_DocCommand):
    """Set attributes of one object (``_target()``) to ``new`` on redo, back to ``old`` on
    undo."""

    deep = False  # copy values in and out: the song's lists (tempos) must not be shared

    def _record(self, changes: dict[str, Any]) -> None:
        target = self._target()
        self.old = {k: self._copy(getattr(target, k)) for k in changes}
        self.new = {k: self._copy(v) for k, v in changes.items()}

    def _target(self) -> Any:
        raise NotImplementedError

    def _copy(self, value: Any) -> Any:
        return copy.deepcopy(value) if self.deep else value

    def _apply(self, values: dict[str, Any]) -> None:
        target = self._target()
        for key, value in values.items():
            setattr(target, key, self._copy(value))
        self._done()

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class TrackPropertyCommand(_SetAttributesCommand):
    """Change attributes of one track (name, program, mute, solo, colour)."""

    def __init__(self, doc: SongDocument, track_index: int, text: str, **changes: Any):
        super().__init__(doc, text)
        self.track_index = track_index
        self._record(changes)

    def _target(self) -> Any:
        return self.doc.song.tracks[self.track_index]


class SongPropertyCommand(_SetAttributesCommand):
    """Change song attributes: tempos, key, mode, time_signature, title."""

    deep = True

    def __init__(self, doc: SongDocument, text: str, **changes: Any):
        super().__init__(doc, text)
        self._record(changes)

    def _target(self) -> Any:
        return self.doc.song


class ReplaceTracksCommand(_DocCommand):
    """Add, remove or reorder tracks by swapping the song's track list."""

    def __init__(self, doc: SongDocument, new_tracks: list[Track], text: str):
        super().__init__(doc, text)
        self.old_tracks = list(doc.song.tracks)
        self.new_tracks = list(new_tracks)

    def redo(self) -> None:
        self.doc.song.tracks = list(self.new_tracks)
        self.doc.replaced.emit()
        self._done()

    def undo(self) -> None:
        self.doc.song.tracks = list(self.old_tracks)
        self.doc.replaced.emit()
        self._done()


class ReplaceSongCommand(_DocCommand):
    """Swap the whole Song (a generation result, a continuation): one undo step."""

    def __init__(self, doc: SongDocument, new_song: Song, text: str):
        super().__init__(doc, text)
        self.old_song = doc.song
        # A private copy: the caller (e.g. a generation worker) may keep its own object.
        self.new_song = copy.deepcopy(new_song)

    def redo(self) -> None:
        self.doc.song = self.new_song
        self.doc.replaced.emit()
        self._done()

    def undo(self) -> None:
        self.doc.song = self.old_song
        self.doc.replaced.emit()
        self._done()
