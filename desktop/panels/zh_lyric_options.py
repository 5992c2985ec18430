"""The Generate panel's language choice and its Chinese lyric options.

English or 中文 for the lyrics. With 中文 the panel asks for a tune pattern (词牌) or the
melody's own line lengths (one character per note of each phrase), rhyme on or off and
the optional 平仄 check; the English-only rows (lines, syllables, rhyme letters, words,
model) are hidden, since the pattern or the melody sets the lines and their lengths.
The pattern names are read from the Chinese model's folder the first time 中文 is picked
(not at start-up).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QCompleter, QFormLayout, QHBoxLayout

from core.errors import SongloomError
from core.model.requests import LyricParams
from desktop.i18n import translate

FROM_MELODY = ""  # the pattern value of "from the melody" (core.lyrics.zh.song_lyrics)


class ZhLyricOptions(QObject):
    """Adds its rows to the lyrics form: the language first, the Chinese rows after the
    theme. ``english_rows``: the form's rows (widgets or layouts) hidden while 中文 is on."""

    language_changed = Signal(str)  # "en" or "zh"

    def __init__(self, form: QFormLayout, english_rows: list, theme, parent=None):
        super().__init__(parent)
        self.form, self.english_rows, self.theme = form, english_rows, theme
        self._english_placeholder = theme.placeholderText()
        self.language = QComboBox()
        self.language.addItem(translate("Generate", "English"), "en")
        self.language.addItem(translate("Generate", "Chinese (中文)"), "zh")
        self.language.setToolTip(translate(
            "Generate", "The language of the lyrics: Chinese is written one character per "
            "note, to a tune pattern (词牌) or to the melody's phrases"))
        self.pattern = QComboBox()
        self.pattern.setEditable(True)
        self.pattern.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.pattern.addItem(translate("Generate", "from the melody"), FROM_MELODY)
        self.pattern.setToolTip(translate(
            "Generate", "A tune pattern (词牌) sets how many lines and characters, and which "
            "lines rhyme; type to search. From the melody: one line per phrase, one character "
            "per note"))
        completer = self.pattern.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # 溪 finds 浣溪沙
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.zh_rhyme = QCheckBox(translate("Generate", "Rhyme"))
        self.zh_rhyme.setChecked(True)
        self.zh_rhyme.setToolTip(translate(
            "Generate", "The pattern's rhyming lines (from the melody: the even lines) end on "
            "characters of one rhyme group (中华新韵, by pinyin final)"))
        self.tones = QCheckBox(translate("Generate", "Tones (平仄)"))
        self.tones.setToolTip(translate(
            "Generate", "Follow the tune pattern's level and oblique tones (平仄) where the "
            "pattern is firm (a pattern only)"))
        self.checks = QHBoxLayout()
        self.checks.addWidget(self.zh_rhyme)
        self.checks.addWidget(self.tones)
        self.checks.addStretch(1)
        self._filled = False
        form.insertRow(0, translate("Generate", "Language"), self.language)
        at, _ = form.getWidgetPosition(theme)
        form.insertRow(at + 1, translate("Generate", "Tune pattern"), self.pattern)
        form.insertRow(at + 2, "", self.checks)
        self.language.currentIndexChanged.connect(lambda _i: self._language_changed())
        self.pattern.currentIndexChanged.connect(lambda _i: self._pattern_changed())
        self.pattern.editTextChanged.connect(lambda _t: self._pattern_changed())
        self._language_changed()

    # -- state -------------------------------------------------------------------------------
    def value(self) -> str:
        return self.language.currentData() or "en"

    def pattern_value(self) -> str:
        """The pattern typed or picked ("" = from the melody); the shown name of an item
        maps to its value, anything else is taken as typed (checked on request)."""
        text = self.pattern.currentText().strip()
        at = self.pattern.findText(text)
        return (self.pattern.itemData(at) or "") if at >= 0 else text

    def fill(self) -> str:
        """The bundled patterns, most written first; "" or why they cannot be read."""
        if self._filled:
            return ""
        from core.lyrics.zh.song_lyrics import pattern_names

        try:
            names = pattern_names()
        except SongloomError as exc:
            return str(exc)
        self._filled = True
        for name in names:
            self.pattern.addItem(name, name)
        return ""

    def check(self) -> str:
        """"" when the pattern is known (or from the melody), else the one-line reason
        naming the close patterns."""
        from core.lyrics.zh.song_lyrics import pattern_book

        problem = self.fill()
        name = self.pattern_value()
        if problem or not name:
            return problem
        book = pattern_book()
        if name in book.patterns:
            return ""
        close = book.close_names(name)
        if close:
            return translate("Generate", "Unknown tune pattern \"{name}\"; close ones: "
                             "{names}").format(name=name, names="、".join(close))
        return translate("Generate", "Unknown tune pattern \"{name}\"; common ones: "
                         "{names}").format(name=name, names="、".join(book.most_common(8)))

    def apply(self, params: LyricParams) -> LyricParams:
        params.language = self.value()
        params.pattern = self.pattern_value()
        params.zh_rhyme = self.zh_rhyme.isChecked()
        params.tones = self.tones.isChecked()
        return params

    def show_params(self, p: LyricParams) -> None:
        zh = p.language == "zh"
        if zh:
            self.fill()
        self.zh_rhyme.setChecked(p.zh_rhyme)
        self.tones.setChecked(p.tones)
        at = self.pattern.findData(p.pattern) if p.pattern else 0
        if at >= 0:
            self.pattern.setCurrentIndex(at)
        else:  # a pattern this model does not have: shown as typed, checked on request
            self.pattern.setEditText(p.pattern)
        self.language.setCurrentIndex(max(0, self.language.findData("zh" if zh else "en")))

    # -- the rows shown ----------------------------------------------------------------------
    def _language_changed(self) -> None:
        zh = self.value() == "zh"
        if zh:
            self.fill()
        for row in self.english_rows:
            self.form.setRowVisible(row, not zh)
        self.form.setRowVisible(self.pattern, zh)
        self.form.setRowVisible(self.checks, zh)
        self.theme.setPlaceholderText(
            translate("Generate", "a theme: characters or words, e.g. 秋月") if zh
            else self._english_placeholder)
        self._pattern_changed()
        self.language_changed.emit(self.value())

    def _pattern_changed(self) -> None:
        # 平仄 are the pattern's: from the melody there is nothing to check them against
        self.tones.setEnabled(bool(self.pattern_value()))
