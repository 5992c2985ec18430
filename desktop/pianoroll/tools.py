"""Mouse tools of the note grid (draw, select, move, resize) and the Edit-menu actions.

While the mouse is down the track shows a preview list; on release the original list
is put back and ONE ReplaceNotesCommand carries the whole gesture, so undo is exact.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, Qt

from core.model.song import TICKS_PER_BEAT, Note
from desktop.i18n import translate
from desktop.pianoroll.commands import ReplaceNotesCommand

MIN_TICKS = 10  # the shortest note a drag can make when snap is off


def clamp_pitch(p: int) -> int:
    return max(0, min(127, p))


class NoteTool:
    """Interprets mouse gestures on a NoteGridView as edits of its active track."""

    def __init__(self, view, doc, audition=None):
        self.view = view
        self.doc = doc
        self.mode = "draw"  # or "select"
        self.audition = audition or (lambda pitch: None)
        self.last_length = TICKS_PER_BEAT
        self._drag: dict | None = None

    # -- helpers ---------------------------------------------------------------------------
    def _pos(self, event) -> QPointF:
        return event.position()

    def _track(self):
        tracks = self.doc.song.tracks
        i = self.view.active_track
        return tracks[i] if 0 <= i < len(tracks) else None

    def _preview(self, notes: list[Note]) -> None:
        self._track().notes = notes
        self.view.update()

    def _commit(self, text: str, new_notes: list[Note], selected: list[Note]) -> None:
        drag = self._drag
        track = self._track()
        track.notes = drag["original"]  # restore before the command records "old"
        if new_notes != drag["original"]:
            self.doc.push(ReplaceNotesCommand(self.doc, self.view.active_track, new_notes, text))
        self.view.selection = {id(n) for n in selected}
        self.view.update()

    # -- gestures ---------------------------------------------------------------------------
    def press(self, event) -> None:
        track = self._track()
        if track is None:
            return
        pos = self._pos(event)
        view, m = self.view, self.view.mapping
        hit = view.note_at(pos)
        notes = list(track.notes)
        if event.button() == Qt.RightButton:
            if hit:
                doomed = notes[hit[0]]
                if id(doomed) in view.selection:
                    delete_selection(view, self.doc)
                else:
                    self.doc.push(ReplaceNotesCommand(
                        self.doc, view.active_track, [n for n in notes if n is not doomed],
                        translate("Roll", "Delete note")))
            return
        if event.button() != Qt.LeftButton:
            return
        tick, pitch = m.x_to_tick(pos.x()), m.y_to_pitch(pos.y())
        shift = bool(event.modifiers() & Qt.ShiftModifier)
        if hit:
            index, part = hit
            note = notes[index]
            if id(note) not in view.selection:
                view.selection = (view.selection | {id(note)}) if shift else {id(note)}
            elif shift:
                view.selection = view.selection - {id(note)}
                view.update()
                return
            grabbed = [n for n in notes if id(n) in view.selection]
            op = {"body": "move", "start": "resize_start", "end": "resize_end"}[part]
            self._drag = dict(op=op, original=track.notes, note=note, grabbed=grabbed,
                              tick=tick, pitch=pitch, moved=False)
            if op == "move":
                self.audition(note.pitch)
            self.last_length = note.duration
        elif self.mode == "draw":
            start = view.snap_tick(tick, "floor")
            note = Note(start, max(MIN_TICKS, self.last_length), clamp_pitch(pitch), 90)
            self._drag = dict(op="draw", original=track.notes, note=note, grabbed=[note],
                              tick=tick, pitch=pitch, moved=True)
            view.selection = {id(note)}
            self._preview(notes + [note])
            self.audition(note.pitch)
        else:
            self._drag = dict(op="rubber", original=track.notes, origin=pos,
                              base=set(view.selection) if shift else set(), moved=False)
            view.selection = set(self._drag["base"])
        view.update()

    def move(self, event) -> None:
        drag = self._drag
        if drag is None:
            return
        view, m = self.view, self.view.mapping
        pos = self._pos(event)
        tick, pitch = m.x_to_tick(pos.x()), m.y_to_pitch(pos.y())
        op = drag["op"]
        if op == "rubber":
            rect = QRectF(drag["origin"], pos).normalized()
            view.rubber_band = rect
            t0, t1 = m.x_to_tick(rect.left()), m.x_to_tick(rect.right())
            p_hi, p_lo = m.y_to_pitch(rect.top()), m.y_to_pitch(rect.bottom())
            inside = {id(n) for n in drag["original"]
                      if n.start < t1 and n.end > t0 and p_lo <= n.pitch <= p_hi}
            view.selection = drag["base"] | inside
            view.update()
            return
        new_notes, selected = self._transform(drag, tick, pitch)
        drag["moved"] = True
        drag["result"] = (new_notes, selected)
        view.selection = {id(n) for n in selected}
        self._preview(new_notes)

    def _transform(self, drag, tick: float, pitch: int) -> tuple[list[Note], list[Note]]:
        view, op, note = self.view, drag["op"], drag["note"]
        original, grabbed = drag["original"], drag["grabbed"]
        min_len = view.snap or MIN_TICKS
        if op == "draw":
            end = max(note.start + min_len, view.snap_tick(tick + (view.snap or 0) * 0.5))
            new = replace(note, duration=end - note.start)
            drag["grabbed"] = [new]
            drag["note"] = new
            return [n for n in original] + [new], [new]
        if op == "move":
            dt = view.snap_tick(note.start + tick - drag["tick"]) - note.start
            dt = max(dt, -min(n.start for n in grabbed))
            dp = pitch - drag["pitch"]
            lo, hi = min(n.pitch for n in grabbed), max(n.pitch for n in grabbed)
            dp = max(-lo, min(127 - hi, dp))
            changed = {id(n): replace(n, start=n.start + dt, pitch=n.pitch + dp) for n in grabbed}
            if dp != drag.get("last_dp", 0):
                self.audition(note.pitch + dp)
            drag["last_dp"] = dp
        elif op == "resize_end":
            end = view.snap_tick(tick)
            delta = end - note.end
            changed = {id(n): replace(n, duration=max(min_len, n.duration + delta))
                       for n in grabbed}
        else:  # resize_start: the end stays where it is
            start = view.snap_tick(tick)
            delta = start - note.start
            changed = {}
            for n in grabbed:
                new_start = max(0, min(n.end - min_len, n.start + delta))
                changed[id(n)] = replace(n, start=new_start, duration=n.end - new_start)
        new_notes = [changed.get(id(n), n) for n in original]
        return new_notes, list(changed.values())

    def release(self, event) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            return
        self._drag = drag
        view = self.view
        op = drag["op"]
        if op == "rubber":
            view.rubber_band = None
            view.update()
        elif op == "draw":
            new_notes, selected = drag.get("result") or (
                list(drag["original"]) + [drag["note"]], [drag["note"]])
            self.last_length = selected[0].duration
            self._commit(translate("Roll", "Draw note"), new_notes, selected)
        elif drag["moved"] and "result" in drag:
            text = {"move": translate("Roll", "Move notes"),
                    "resize_start": translate("Roll", "Resize notes"),
                    "resize_end": translate("Roll", "Resize notes")}[op]
            new_notes, selected = drag["result"]
            if op == "resize_end" and len(selected) == 1:
                self.last_length = selected[0].duration
            self._commit(text, new_notes, selected)
        self._drag = None

    def double_click(self, event) -> None:
        """Select mode: double-click on an empty cell draws a note there."""
        if self.mode == "select" and self.view.note_at(self._pos(event)) is None:
            self.mode = "draw"
            try:
                self.press(event)
                self.release(event)
            finally:
                self.mode = "select"


# -- Edit-menu actions on the selection --------------------------------------------------------
def _active_notes(view):
    return view.notes()


def delete_selection(view, doc) -> bool:
    notes = _active_notes(view)
    keep = [n for n in notes if id(n) not in view.selection]
    if len(keep) == len(notes):
        return False
    doc.push(ReplaceNotesCommand(doc, view.active_track, keep, translate("Roll", "Delete notes")))
    view.selection = set()
    return True


def duplicate_selection(view, doc) -> bool:
    """Copies of the selected notes right after the selection's end (Ctrl+D in most DAWs)."""
    chosen = view.selected_notes()
    if not chosen:
        return False
    span_start = min(n.start for n in chosen)
    span_end = max(n.end for n in chosen)
    bar = view.song.ticks_per_bar() or TICKS_PER_BEAT * 4
    # Paste at the next snap (or beat) line after the end, like pasting a phrase.
    step = view.snap or TICKS_PER_BEAT
    offset = -(-(span_end - span_start) // step) * step or bar
    copies = [replace(n, start=n.start + offset) for n in chosen]
    doc.push(ReplaceNotesCommand(doc, view.active_track, _active_notes(view) + copies,
                                 translate("Roll", "Duplicate notes")))
    view.selection = {id(n) for n in copies}
    return True


# The undo texts transform_selection gets (lupdate finds them here).
UNDO_TEXTS = (QT_TRANSLATE_NOOP("Roll", "Transpose"), QT_TRANSLATE_NOOP("Roll", "Nudge"))


def transform_selection(view, doc, text: str, dt: int = 0, dp: int = 0) -> bool:
    """Nudge (dt ticks) or transpose (dp semitones) the selection as one undo step.
    ``text`` is "Transpose" or "Nudge" (translated here)."""
    chosen = view.selected_notes()
    if not chosen:
        return False
    if any(n.start + dt < 0 or not 0 <= n.pitch + dp <= 127 for n in chosen):
        return False
    changed = {id(n): replace(n, start=n.start + dt, pitch=n.pitch + dp) for n in chosen}
    new = [changed.get(id(n), n) for n in _active_notes(view)]
    doc.push(ReplaceNotesCommand(doc, view.active_track, new, translate("Roll", text)))
    view.selection = {id(n) for n in changed.values()}
    return True


def select_all(view) -> None:
    view.selection = {id(n) for n in _active_notes(view)}
    view.update()
