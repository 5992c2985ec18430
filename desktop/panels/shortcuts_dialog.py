"""Help > Keyboard shortcuts: every key the window answers to, and the mouse moves.

The keys are not a hand-kept list: desktop/controllers/help_menu.py reads them from the
window's own actions and buttons when the dialog opens, so a new or changed shortcut
shows here without anyone remembering to add it. The mouse moves below are the ones the
piano roll and track list handle (desktop/pianoroll/view.py, tools.py, ruler.py,
velocity_lane.py, keyboard.py; desktop/panels/track_list.py, desktop/dnd.py).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from desktop.i18n import translate

# (translated as they are shown: shortcuts_html)
MOUSE = (
    (QT_TRANSLATE_NOOP("Help", "Piano roll"), (
        (QT_TRANSLATE_NOOP("Help", "Click in the grid"),
         QT_TRANSLATE_NOOP("Help", "Draw a note (Draw tool); drag to set its length")),
        (QT_TRANSLATE_NOOP("Help", "Right-click a note"),
         QT_TRANSLATE_NOOP("Help", "Delete it")),
        (QT_TRANSLATE_NOOP("Help", "Drag a note"),
         QT_TRANSLATE_NOOP(
             "Help", "Move it in time and pitch; drag its left or right end to resize")),
        (QT_TRANSLATE_NOOP("Help", "Drag on empty grid"),
         QT_TRANSLATE_NOOP("Help", "Select notes in a box (Select tool)")),
        (QT_TRANSLATE_NOOP("Help", "Shift+click"),
         QT_TRANSLATE_NOOP("Help", "Add a note to the selection, or take it out")),
        (QT_TRANSLATE_NOOP("Help", "Double-click an empty cell"),
         QT_TRANSLATE_NOOP("Help", "Draw a note there (Select tool)")),
        (QT_TRANSLATE_NOOP("Help", "Wheel"),
         QT_TRANSLATE_NOOP("Help", "Scroll up and down")),
        (QT_TRANSLATE_NOOP("Help", "Shift+wheel"),
         QT_TRANSLATE_NOOP("Help", "Scroll sideways")),
        (QT_TRANSLATE_NOOP("Help", "Ctrl+wheel"),
         QT_TRANSLATE_NOOP("Help", "Zoom in time")),
        (QT_TRANSLATE_NOOP("Help", "Ctrl+Shift+wheel"),
         QT_TRANSLATE_NOOP("Help", "Taller or shorter rows")),
        (QT_TRANSLATE_NOOP("Help", "Click a piano key"),
         QT_TRANSLATE_NOOP("Help", "Hear the note")),
        (QT_TRANSLATE_NOOP("Help", "Click the ruler"),
         QT_TRANSLATE_NOOP("Help", "Move the playhead")),
        (QT_TRANSLATE_NOOP("Help", "Drag on the ruler"),
         QT_TRANSLATE_NOOP("Help", "Set the loop range")),
        (QT_TRANSLATE_NOOP("Help", "Drag across the velocity lane"),
         QT_TRANSLATE_NOOP("Help", "Set how hard the notes are played")),
    )),
    (QT_TRANSLATE_NOOP("Help", "Tracks"), (
        (QT_TRANSLATE_NOOP("Help", "Click a track"),
         QT_TRANSLATE_NOOP("Help", "Edit that track in the piano roll")),
        (QT_TRANSLATE_NOOP("Help", "Double-click a track's name"),
         QT_TRANSLATE_NOOP("Help", "Rename it")),
        (QT_TRANSLATE_NOOP("Help", "Drag a ⠿ MIDI handle"),
         QT_TRANSLATE_NOOP(
             "Help", "Drop the track, or the whole song, into your DAW as a MIDI file")),
        (QT_TRANSLATE_NOOP("Help", "Right-click a ⠿ MIDI handle"),
         QT_TRANSLATE_NOOP("Help", "Copy the MIDI file, or show it in the file manager")),
    )),
)


def shortcuts_html(groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """``groups``: (title, [(action, keys), ...]) from the window; then the mouse."""
    parts = ["<h2>" + escape(translate("Help", "Keyboard shortcuts")) + "</h2>"]

    def table(title: str, rows, first_is_keys: bool) -> None:
        parts.append(f"<h3>{escape(title)}</h3><table cellspacing='0' cellpadding='3'>")
        for a, b in rows:
            keys, what = (a, b) if first_is_keys else (b, a)
            parts.append(f"<tr><td width='210'><b>{escape(keys)}</b></td>"
                         f"<td>{escape(what)}</td></tr>")
        parts.append("</table>")

    for title, rows in groups:
        table(title, rows, first_is_keys=False)
    parts.append("<h2>" + escape(translate("Help", "Mouse")) + "</h2>")
    for title, rows in MOUSE:
        table(translate("Help", title), [(translate("Help", a), translate("Help", b))
                                         for a, b in rows], first_is_keys=True)
    return "\n".join(parts)


class ShortcutsDialog(QDialog):
    def __init__(self, groups, parent=None):
        super().__init__(parent)
        self.setWindowTitle(translate("Help", "Keyboard Shortcuts — Songloom"))
        self.groups = groups
        self.view = QTextBrowser()
        self.view.setHtml(shortcuts_html(groups))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(600, 680)

    def set_groups(self, groups) -> None:
        self.groups = groups
        self.view.setHtml(shortcuts_html(groups))
