"""The takes of a generation with several variations: preview, audition, keep, undo.

What a user met before: "Keep this take" replaced the song with the take as it was
generated, so lyrics written since were gone ("No lyrics yet"); selecting a take showed
nothing, so without a sound card takes could not be compared at all; and after Undo the
list still highlighted the take that was no longer in the song.

Now keeping a take keeps the lyrics, re-aligned to the take's melody; selecting a take
draws it over the song in the piano roll (and switches the audition when one plays);
and the list marks the take that is in the song, following undo and redo, because it
recognises the very Song objects the undo stack swaps in and out.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.model.song import Song
from desktop.i18n import translate

IN_SONG = QT_TRANSLATE_NOOP("Generate", " — in the song")


class Takes:
    def __init__(self, controller):
        self.c = controller
        self.songs: list[Song] = []  # as generated (private copies in the history)
        self.numbers: list[int] = []  # their history entry numbers
        # (Song object, take index): the objects the undo stack swaps in that are a take,
        # or a take with lyric or phrase edits on top (those replace the whole Song too).
        self.applied: list[tuple[Song, int]] = []
        self.auditioning = False
        self._shown_in_song: int | None = None

    # -- the list ------------------------------------------------------------------------
    def set(self, songs: list[Song], numbers: list[int]) -> None:
        self.songs, self.numbers = list(songs), list(numbers)
        self.applied = []
        self._shown_in_song = None
        self._relabel(None)
        self.preview(None)

    def labels(self, in_song: int | None) -> list[str]:
        return [translate("Generate", "Take {n} (#{number})").format(n=i + 1, number=n)
                + (translate("Generate", IN_SONG) if i == in_song else "")
                for i, n in enumerate(self.numbers)]

    def _relabel(self, in_song: int | None) -> None:
        panel = self.c.panel
        labels = self.labels(in_song) if len(self.songs) > 1 else []
        blocker = panel.variation_list.blockSignals(True)
        try:
            panel.set_variations(labels, in_song if in_song is not None else -1)
            if in_song is None:
                panel.variation_list.setCurrentRow(-1)
        finally:
            panel.variation_list.blockSignals(blocker)

    def in_song(self) -> int | None:
        """Which take the song is now (edits on top of it included), or None."""
        song = self.c.song
        return next((i for obj, i in self.applied if obj is song), None)

    def mark_applied(self, index: int) -> None:
        """``index`` was just put in the song (its undo command's copy is the song now)."""
        if 0 <= index < len(self.songs):
            self.applied.append((self.c.song, index))
        self.sync()

    def carry_over(self, before: int | None) -> None:
        """The song was replaced by an edit of itself (lyrics, phrases): still take
        ``before``."""
        if before is not None:
            self.applied.append((self.c.song, before))
        self.sync()

    def match_song(self) -> None:
        """After reopening a project: the take whose notes the song has is in the song."""
        song = self.c.song
        for i, take in enumerate(self.songs):
            if [t.notes for t in take.tracks] == [t.notes for t in song.tracks]:
                self.applied.append((song, i))
                break
        self.sync()

    def sync(self) -> None:
        """The song changed (an edit, undo, redo): mark the take that is in it."""
        now = self.in_song()
        if now == self._shown_in_song:
            return
        self._shown_in_song = now
        self._relabel(now)
        self.preview(None)

    # -- selecting, listening, keeping -------------------------------------------------------
    def selected(self, index: int) -> None:
        """A take was selected in the list: preview it, and switch an audition to it."""
        self.preview(index if index != self.in_song() else None)
        playback = getattr(self.c.window, "playback", None)
        if (self.auditioning and playback is not None and playback.is_playing
                and 0 <= index < len(self.songs)):
            playback.load(self.songs[index])  # the player keeps its position
            self.c._status(translate("Generate", "Listening to take {n}").format(n=index + 1))

    def preview(self, index: int | None) -> None:
        editor = getattr(self.c.window, "editor", None)
        if editor is None or not hasattr(editor, "set_preview"):
            return
        if index is None or not 0 <= index < len(self.songs):
            editor.set_preview(None)
        else:
            editor.set_preview(self.songs[index],
                           translate("Generate", "Take {n}").format(n=index + 1))

    def keep(self, index: int) -> bool:
        """Put take ``index`` in the song with the song's lyrics and title (one undo step)."""
        if not 0 <= index < len(self.songs):
            return False
        from desktop.runtime.generation_jobs import keep_lyrics

        current = self.c.song
        take = self.songs[index]
        song = copy.copy(keep_lyrics(current, take))  # (the take itself stays as it was)
        if current.title not in ("", "Untitled", *(t.title for t in self.songs)):
            song.title = current.title  # the user's own title, not another take's
        lines = len(current.lyrics.lines())
        self.c.window.apply_song(song, translate("Generate", "Keep take {n}").format(n=index + 1))
        self.mark_applied(index)
        if lines:
            from core.lyrics.syllables import melody_syllable_targets

            phrases = len(melody_syllable_targets(self.c.song))
            extra = translate("Generate", "; {n} line(s) go beyond its phrases").format(
                n=lines - phrases) if lines > phrases else ""
            self.c._status(translate(
                "Generate", "Kept take {n}: your lyrics are re-aligned to its melody").format(
                    n=index + 1) + extra)
        return True
