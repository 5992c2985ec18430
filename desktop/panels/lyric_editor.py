"""The lyric editor (below the piano roll): sections and lines, syllables against the
melody, rhyme letters, rhyme suggestions, and the writing workflow: lock the lines to keep
(Generate lyrics writes the others around them), continue from the lines written so far,
and rewrite one line from five versions to choose from.

The widget shows a Song's lyrics and never changes the Song itself: every edit is sent
as ``edit_requested(sections, description)`` with the full new text, and the controller
turns it into one undoable command (re-aligning syllables to the melody notes, which the
piano roll then shows and MIDI/KAR export writes as lyric events).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.lyrics.rhyme import last_word, last_word_span
from core.model.song import Song
from desktop.i18n import kind_from_title, section_title, translate
from desktop.panels.flow_layout import FlowLayout
from desktop.widgets.builders import push_button, text_field
from desktop.widgets.elided_label import ElidedLabel

SECTION_NAMES = ("verse", "chorus", "bridge", "pre-chorus", "intro", "outro")
COL_RHYME, COL_TEXT, COL_SYL, COL_PHRASE = 0, 1, 2, 3
MISMATCH = QColor("#d64545")
MATCH = QColor("#2e8b57")

Sections = list[tuple[str, list[str]]]


def _bars(song: Song, phrase: list) -> str:
    """"bars 3–5": where a phrase is sung ("no notes" once its notes were deleted)."""
    if not phrase:
        return translate("Lyrics", "no notes")
    tpb = song.ticks_per_bar() or 1920
    first, last = phrase[0].start // tpb + 1, (phrase[-1].end - 1) // tpb + 1
    return (translate("Lyrics", "bar {first}").format(first=first) if first == last
            else translate("Lyrics", "bars {first}–{last}").format(first=first, last=last))


def _rhyme_functions():
    """core's rhyme helpers, imported when first needed (the CMU dictionary is heavy)."""
    from core.lyrics import rhyme

    return rhyme.rhymes, rhyme.rhyme_suggestions


def _line_end(text: str) -> str:
    """The sung end of a line: a Chinese line's last character, else its last word."""
    from core.lyrics.zh.rhyme import is_han

    han = [c for c in text if is_han(c)]
    return han[-1] if han else last_word(text)


def rhyme_letters(lines: list[str]) -> list[str]:
    """A letter per line: lines whose last words rhyme share a letter (AABB, ABAB ...).
    Chinese lines rhyme by their last characters' finals (中华新韵 groups, as the Chinese
    lyric writer rhymes); a Chinese and an English ending never rhyme."""
    from core.lyrics.zh.rhyme import is_han
    from core.lyrics.zh.rhyme import rhymes as zh_rhymes

    english_rhymes, _ = _rhyme_functions()

    def rhymes(a: str, b: str) -> bool:
        if is_han(a[-1]) != is_han(b[-1]):
            return False
        return zh_rhymes(a, b) if is_han(a[-1]) else english_rhymes(a, b)

    letters: list[str] = []
    ends: list[tuple[str, str]] = []  # (word, letter) of earlier lines
    for text in lines:
        word = _line_end(text)
        letter = ""
        if word:
            letter = next((lt for w, lt in ends if w == word or rhymes(w, word)), "")
            if not letter:
                used = {lt for _, lt in ends}
                letter = next(chr(c) for c in range(ord("A"), ord("Z") + 1)
                              if chr(c) not in used) if len(used) < 26 else "?"
            ends.append((word, letter))
        letters.append(letter)
    return letters


class LyricEditor(QWidget):
    edit_requested = Signal(object, str)  # Sections, undo text
    regenerate_line_requested = Signal(int)  # flat line index: offer versions of it
    continue_requested = Signal()  # write on from the lines there are
    phrases_requested = Signal(object, str)  # new phrase start ticks, undo text

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("LyricEditor")
        self._song: Song | None = None
        self._shown_key: tuple | None = None
        self._filling = False
        # Texts of the lines the songwriter locked: a locked line is kept when lyrics are
        # generated. By text, so adding or deleting lines elsewhere keeps the right ones.
        self._locked: set[str] = set()
        self.theme = ""  # the Generate panel's theme: rhyme suggestions close to it first
        self.choices_menu: QMenu | None = None
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([translate("Lyrics", "Rhyme"), translate("Lyrics", "Line"),
                                   translate("Lyrics", "Syllables / notes"),
                                   translate("Lyrics", "Phrase")])
        self.tree.headerItem().setToolTip(
            COL_PHRASE, translate(
                "Lyrics", "The melody phrase each line is sung on (its bars). Phrases stay where "
                "they are when notes are edited; split or join them with the buttons."))
        header = self.tree.header()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RHYME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SYL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_PHRASE, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setEditTriggers(QTreeWidget.EditTrigger.DoubleClicked
                                  | QTreeWidget.EditTrigger.EditKeyPressed
                                  | QTreeWidget.EditTrigger.SelectedClicked)
        self.tree.itemChanged.connect(self._item_edited)
        self.tree.currentItemChanged.connect(lambda *_: self._selection_changed())

        self.section_kind = QComboBox()
        for name in SECTION_NAMES:  # the kind is the item's data
            self.section_kind.addItem(section_title(name), name)
        self.add_section_button = push_button(translate("Lyrics", "Add section"),
                                              self._add_section)
        self.add_line_button = push_button(translate("Lyrics", "Add line"), self._add_line)
        self.delete_button = push_button(
            translate("Lyrics", "Delete"), self._delete_selected,
            translate("Lyrics", "Delete the selected line or section"))
        self.regenerate_button = push_button(
            translate("Lyrics", "Rewrite line…"), self._regenerate_selected,
            translate("Lyrics", "Five new versions of the selected line to choose from, each "
                      "fitting its syllables and rhyme; the other lines stay"))
        self.lock_button = QPushButton(translate("Lyrics", "Lock line"))
        self.lock_button.setCheckable(True)
        self.lock_button.setToolTip(translate(
            "Lyrics", "Keep the selected line when lyrics are generated; the others are "
            "written around it"))
        self.lock_button.toggled.connect(self._lock_toggled)
        self.continue_button = push_button(
            translate("Lyrics", "Continue"), self.continue_requested,
            translate("Lyrics", "Keep the lines written so far and write the rest of the verse "
                      "after them"))
        self.split_phrase_button = push_button(
            translate("Lyrics", "Split phrase"), self._split_phrase,
            translate("Lyrics", "Split the selected line's melody phrase in two at its longest "
                      "middle note (the lines after it move on by one phrase)"))
        self.join_phrase_button = push_button(
            translate("Lyrics", "Join phrases"), self._join_phrase,
            translate("Lyrics", "Sing the selected line over its phrase and the next one together"))
        # A row that wraps when narrow: every button keeps its whole label.
        buttons = FlowLayout()
        for w in (self.section_kind, self.add_section_button, self.add_line_button,
                  self.delete_button, self.lock_button, self.regenerate_button,
                  self.continue_button, self.split_phrase_button, self.join_phrase_button):
            buttons.addWidget(w)
        self.summary = ElidedLabel()

        self.word = text_field(translate("Lyrics", "word"), translate(
            "Lyrics", "Rhymes from the CMU Pronouncing Dictionary: common words and words "
            "close to the theme first"))
        self.word.returnPressed.connect(self._refresh_suggestions)
        self.suggestions = QListWidget()
        self.suggestions.setToolTip(translate(
            "Lyrics", "Double-click: put this word at the end of the line"))
        self.suggestions.itemDoubleClicked.connect(lambda item: self.use_suggestion(item.text()))
        side = QWidget()
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.addWidget(QLabel(translate("Lyrics", "Rhymes for")))
        side_col.addWidget(self.word)
        side_col.addWidget(self.suggestions, 1)

        main = QWidget()
        main_col = QVBoxLayout(main)
        main_col.setContentsMargins(0, 0, 0, 0)
        main_col.addLayout(buttons)
        main_col.addWidget(self.summary)
        main_col.addWidget(self.tree, 1)
        split = QSplitter()
        split.addWidget(main)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)

    # -- showing a song ------------------------------------------------------------------
    def set_song(self, song: Song) -> None:
        from core.lyrics.syllables import melody_phrases
        from core.lyrics.zh.align import line_syllable_count as count_syllables

        self._song = song
        sections = [(s.name, [ln.text for ln in s.lines]) for s in song.lyrics.sections]
        # Every edit anywhere in the song arrives here; rebuild only when what this view
        # shows can have changed (the lyric text, the melody's notes or its phrases).
        melody = song.melody_track()
        key = (tuple((n, tuple(lines)) for n, lines in sections),
               tuple((n.start, n.duration) for n in melody.notes) if melody else (),
               tuple(song.phrase_starts or ()))
        if key == self._shown_key:
            return
        self._shown_key = key
        phrases = melody_phrases(song)
        targets = [len(p) for p in phrases]
        # Rebuilding the list deletes a line editor that has the focus; Qt would hand the
        # focus to the next field (the rhyme word), which then took Ctrl+Z from the window.
        focus = QApplication.focusWidget()
        had_focus = focus is not None and (focus is self.tree or self.tree.isAncestorOf(focus))
        flat = [t for _, lines in sections for t in lines]
        letters = rhyme_letters(flat)
        current = self.current_line_index()
        self._filling = True
        try:
            self.tree.clear()
            index, mismatches = 0, 0
            bold = QFont()
            bold.setBold(True)
            for name, lines in sections:
                title = section_title(name)  # a name of the user's own: as typed, capitalised
                top = QTreeWidgetItem([title if title != name else name.capitalize(), "", ""])
                top.setData(COL_TEXT, Qt.ItemDataRole.UserRole, name)
                top.setFont(COL_RHYME, bold)
                top.setFlags(top.flags() | Qt.ItemFlag.ItemIsEditable)
                top.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(top)
                for text in lines:
                    count = count_syllables(text)
                    target = targets[index] if index < len(targets) else None
                    mark = " 🔒" if text and text in self._locked else ""
                    item = QTreeWidgetItem([letters[index] + mark, text, "",
                                            _bars(song, phrases[index])
                                            if index < len(phrases) else ""])
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                    item.setData(COL_TEXT, Qt.ItemDataRole.UserRole, index)
                    if target is None:
                        item.setText(COL_SYL, translate(
                            "Lyrics", "{count} / no phrase").format(count=count))
                        item.setToolTip(COL_SYL, translate(
                            "Lyrics", "The melody has no phrase left for this line"))
                    else:
                        ok = abs(count - target) == 0
                        mismatches += not ok
                        item.setText(COL_SYL, f"{count} / {target}" + ("" if ok else "  ✗"))
                        item.setForeground(COL_SYL, QBrush(MATCH if ok else MISMATCH))
                        item.setToolTip(COL_SYL, translate(
                            "Lyrics", "{count} syllables sung on {target} melody notes").format(
                                count=count, target=target)
                            + ("" if ok else f" — {count - target:+d}"))
                    top.addChild(item)
                    index += 1
                top.setExpanded(True)
            self.summary.setText(
                translate("Lyrics", "{index} lines, {mismatches} off the melody").format(
                    index=index, mismatches=mismatches) if index
                else translate("Lyrics", "No lyrics yet"))
        finally:
            self._filling = False
        if current is not None:
            self.select_line(min(current, max(0, len(flat) - 1)))
        self._selection_changed()
        if had_focus:
            self.tree.setFocus()

    def sections(self) -> Sections:
        out: Sections = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            name = kind_from_title(top.text(COL_RHYME)).lower() or "verse"
            out.append((name, [top.child(j).text(COL_TEXT) for j in range(top.childCount())]))
        return out

    def line_items(self) -> list[QTreeWidgetItem]:
        return [top.child(j) for i in range(self.tree.topLevelItemCount())
                for top in [self.tree.topLevelItem(i)] for j in range(top.childCount())]

    def current_line_index(self) -> int | None:
        item = self.tree.currentItem()
        if item is None or item.parent() is None:
            return None
        return item.data(COL_TEXT, Qt.ItemDataRole.UserRole)

    def select_line(self, index: int) -> None:
        items = self.line_items()
        if 0 <= index < len(items):
            self.tree.setCurrentItem(items[index], COL_TEXT)

    # -- edits -----------------------------------------------------------------------------
    def _emit(self, sections: Sections, text: str) -> None:
        self.edit_requested.emit(sections, text)

    def _item_edited(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling:
            return
        if item.parent() is None:
            self._emit(self.sections(), translate("Lyrics", "Rename lyric section"))
        elif column == COL_TEXT:
            old = self._line_text(item.data(COL_TEXT, Qt.ItemDataRole.UserRole))
            if old in self._locked:  # a locked line the songwriter reworded stays locked
                self._locked.discard(old)
                self._locked.add(item.text(COL_TEXT))
            self._emit(self.sections(), translate("Lyrics", "Edit lyric line"))

    def _line_text(self, index) -> str | None:
        """The line's text in the song shown (before an edit in the tree)."""
        if self._song is None or index is None:
            return None
        lines = [ln.text for ln in self._song.lyrics.lines()]
        return lines[index] if 0 <= index < len(lines) else None

    # -- the writing workflow ----------------------------------------------------------------
    def locked_lines(self) -> dict[int, str]:
        """Flat line index -> text of every locked line."""
        return {i: item.text(COL_TEXT) for i, item in enumerate(self.line_items())
                if item.text(COL_TEXT) and item.text(COL_TEXT) in self._locked}

    def set_locked(self, index: int, locked: bool) -> None:
        items = self.line_items()
        if not 0 <= index < len(items) or not items[index].text(COL_TEXT):
            return
        text = items[index].text(COL_TEXT)
        (self._locked.add if locked else self._locked.discard)(text)
        self._shown_key = None  # redraw the lock marks
        if self._song is not None:
            self.set_song(self._song)

    def _lock_toggled(self, on: bool) -> None:
        index = self.current_line_index()
        if index is not None and not self._filling:
            self.set_locked(index, on)

    def offer_choices(self, index: int, choices: list[str]) -> QMenu | None:
        """A menu of new versions of line ``index``; picking one puts it in (one undo step)."""
        if not choices:
            self.summary.setText(translate(
                "Lyrics", "No new version of line {n} fits its syllables and rhyme; try "
                "again").format(n=index + 1))
            return None
        menu = QMenu(self)
        for text in choices:
            action = menu.addAction(text)
            action.triggered.connect(
                lambda _=False, t=text: self.set_line(
                    index, t, translate("Lyrics", "Rewrite line {n}").format(n=index + 1)))
        self.choices_menu = menu
        menu.popup(self.regenerate_button.mapToGlobal(self.regenerate_button.rect().bottomLeft()))
        return menu

    def set_line(self, index: int, text: str, description: str = "") -> None:
        description = description or translate("Lyrics", "Edit lyric line")
        sections, at = self.sections(), 0
        for _, lines in sections:
            if index < at + len(lines):
                lines[index - at] = text
                self._emit(sections, description)
                return
            at += len(lines)

    def _add_section(self) -> None:
        self._emit([*self.sections(), (self.section_kind.currentData(), [""])],
                   translate("Lyrics", "Add {section}").format(
                       section=self.section_kind.currentText()))

    def _add_line(self) -> None:
        sections = self.sections() or [("verse", [])]
        item = self.tree.currentItem()
        at = len(sections) - 1
        if item is not None:
            top = item if item.parent() is None else item.parent()
            at = self.tree.indexOfTopLevelItem(top)
        sections[at][1].append("")
        self._emit(sections, translate("Lyrics", "Add lyric line"))

    def _delete_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        sections = self.sections()
        if item.parent() is None:
            del sections[self.tree.indexOfTopLevelItem(item)]
            self._emit(sections, translate("Lyrics", "Delete lyric section"))
        else:
            s = self.tree.indexOfTopLevelItem(item.parent())
            del sections[s][1][item.parent().indexOfChild(item)]
            self._emit(sections, translate("Lyrics", "Delete lyric line"))

    def _split_phrase(self) -> None:
        from core.model.phrases import split_phrase

        self._change_phrases(split_phrase, lambda i: translate(
            "Lyrics", "Split phrase {n}").format(n=i + 1))

    def _join_phrase(self) -> None:
        from core.model.phrases import join_phrase

        self._change_phrases(join_phrase, lambda i: translate(
            "Lyrics", "Join phrases {n} and {next}").format(n=i + 1, next=i + 2))

    def _change_phrases(self, change, label) -> None:
        """Ask for the phrase starts ``change(song, line)`` gives for the selected line (None:
        nothing to change), as the undo step ``label(line)``."""
        index = self.current_line_index()
        starts = change(self._song, index) if self._song is not None \
            and index is not None else None
        if starts is not None:
            self.phrases_requested.emit(starts, label(index))

    def _regenerate_selected(self) -> None:
        index = self.current_line_index()
        if index is not None:
            self.regenerate_line_requested.emit(index)

    # -- rhyme suggestions ------------------------------------------------------------------
    def _selection_changed(self) -> None:
        index = self.current_line_index()
        self.regenerate_button.setEnabled(index is not None)
        self.lock_button.setEnabled(index is not None)
        self._filling, was = True, self._filling
        try:
            text = self.line_items()[index].text(COL_TEXT) if index is not None else ""
            self.lock_button.setChecked(bool(text) and text in self._locked)
        finally:
            self._filling = was
        self.split_phrase_button.setEnabled(index is not None)
        self.join_phrase_button.setEnabled(index is not None)
        self.delete_button.setEnabled(self.tree.currentItem() is not None)
        if index is not None:
            word = last_word(self.line_items()[index].text(COL_TEXT))
            if word and word != self.word.text():
                self.word.setText(word)
                self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        from core.lyrics.verse import rhyme_words

        word = self.word.text().strip()
        self.suggestions.clear()
        if word:
            # Common real words, those close to the theme first (not the dictionary's
            # alphabetical names and oddities: "beit, feit, fite").
            self.suggestions.addItems(rhyme_words(word, self.theme, n=40))

    def use_suggestion(self, word: str) -> None:
        """Put ``word`` in place of the selected line's last word."""
        index = self.current_line_index()
        if index is None:
            return
        text = self.line_items()[index].text(COL_TEXT)
        span = last_word_span(text)
        if span:
            new = text[:span[0]] + word + text[span[1]:]
        else:
            new = (text + " " + word).strip()
        self.set_line(index, new, translate("Lyrics", "Rhyme with “{word}”").format(word=word))
