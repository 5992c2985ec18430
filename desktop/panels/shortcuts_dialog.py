"""Help > Keyboard shortcuts: every key the window answers to, and the mouse moves.

The keys are not a hand-kept list: desktop/controllers/help_menu.py reads them from the
window's own actions and buttons when the dialog opens, so a new or changed shortcut
shows here without anyone remembering to add it. The mouse moves below are the ones the
piano roll and track list handle (desktop/pianoroll/view.py, tools.py, ruler.py,
velocity_lane.py, keyboard.py; desktop/panels/track_list.py, desktop/dnd.py).
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

MOUSE = (
    ("Piano roll", (
        ("Click in the grid", "Draw a note (Draw tool); drag to set its length"),
        ("Right-click a note", "Delete it"),
        ("Drag a note", "Move it in time and pitch; drag its left or right end to resize"),
        ("Drag on empty grid", "Select notes in a box (Select tool)"),
        ("Shift+click", "Add a note to the selection, or take it out"),
        ("Double-click an empty cell", "Draw a note there (Select tool)"),
        ("Wheel", "Scroll up and down"),
        ("Shift+wheel", "Scroll sideways"),
        ("Ctrl+wheel", "Zoom in time"),
        ("Ctrl+Shift+wheel", "Taller or shorter rows"),
        ("Click a piano key", "Hear the note"),
        ("Click the ruler", "Move the playhead"),
        ("Drag on the ruler", "Set the loop range"),
        ("Drag across the velocity lane", "Set how hard the notes are played"),
    )),
    ("Tracks", (
        ("Click a track", "Edit that track in the piano roll"),
        ("Double-click a track's name", "Rename it"),
        ("Drag a ⠿ MIDI handle", "Drop the track, or the whole song, into your DAW as a MIDI file"),
        ("Right-click a ⠿ MIDI handle", "Copy the MIDI file, or show it in the file manager"),
    )),
)


def shortcuts_html(groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """``groups``: (title, [(action, keys), ...]) from the window; then the mouse."""
    parts = ["<h2>Keyboard shortcuts</h2>"]

    def table(title: str, rows, first_is_keys: bool) -> None:
        parts.append(f"<h3>{escape(title)}</h3><table cellspacing='0' cellpadding='3'>")
        for a, b in rows:
            keys, what = (a, b) if first_is_keys else (b, a)
            parts.append(f"<tr><td width='210'><b>{escape(keys)}</b></td>"
                         f"<td>{escape(what)}</td></tr>")
        parts.append("</table>")

    for title, rows in groups:
        table(title, rows, first_is_keys=False)
    parts.append("<h2>Mouse</h2>")
    for title, rows in MOUSE:
        table(title, rows, first_is_keys=True)
    return "\n".join(parts)


class ShortcutsDialog(QDialog):
    def __init__(self, groups, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts — Songloom")
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
