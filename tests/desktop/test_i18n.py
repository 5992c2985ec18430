"""The interface in Simplified Chinese (issue 16 part 5) and Chinese lines counted one
character per note in the lyric editor (part 3).

With the zh_CN translator installed, the main window and every dialog are opened
offscreen and each visible text (labels, buttons, menu items, titles, tooltips, combo
items, headers, placeholders) is read: none may be left in English beyond the names
that stay as they are everywhere (MIDI, BPM, GPT-2, note names, file patterns...).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from generation_helpers import make_window, ready_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTreeWidget,
    QWidget,
)

from core.model.song import Note, Song, Track
from desktop.i18n import install_translators, resolve_language, translate
from desktop.panels.lyric_editor import COL_SYL, COL_TEXT
from desktop.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
# Names that stay as they are in a Chinese interface (Chinese DAWs and scores print them
# so): formats and protocols, units, model and metric names, the app's own name, keys.
ALLOWED = {
    "midi", "bpm", "gpt", "gpu", "cpu", "cuda", "mps", "apple", "nvidia", "daw", "kar",
    "wav", "flac", "songloom", "bleu", "chrf", "mcd", "self", "distinct", "fluidr",
    "mono", "ctrl", "shift", "alt", "space", "home", "esc", "del", "backspace", "pgup",
    "pgdown", "left", "right", "up", "down", "ins", "end", "tab", "return", "enter",
    "english",  # Settings > Language lists each language in its own words
}


def english_words(text: str) -> list[str]:
    """The English words a reader would meet in ``text``: none where the text is
    Chinese (a track name or file name inside it is the user's own)."""
    plain = re.sub(r"<[^>]+>", " ", text or "")
    if CJK.search(plain):
        return []
    plain = re.sub(r"\*\.\w+|\(\*\)", " ", plain)  # file patterns
    words = re.findall(r"[A-Za-z][A-Za-z']{2,}", plain)
    # (rhyme schemes and form letters: AABB, ABAB, AABA)
    return [w for w in words if w.lower() not in ALLOWED and not re.fullmatch("[A-D]+", w)]


def _menu_texts(menu: QMenu):
    yield "menu", menu.title()
    for action in menu.actions():
        if action.isSeparator():
            continue
        yield "action", action.text()
        yield "action tooltip", action.toolTip() if action.toolTip() != action.text().replace(
            "&", "") else ""
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def visible_texts(top: QWidget, gm_names: set[str]):
    """(what, text) for every text a user can read on ``top`` and its children."""
    yield "title", top.windowTitle()
    for w in [top, *top.findChildren(QWidget)]:
        tip = w.toolTip()
        if tip:
            yield f"{type(w).__name__} tooltip", tip
        if isinstance(w, QLabel):
            yield "label", w.text()
        elif isinstance(w, QAbstractButton):
            yield "button", w.text()
        elif isinstance(w, QGroupBox):
            yield "group", w.title()
        elif isinstance(w, QDockWidget):
            yield "dock", w.windowTitle()
        elif isinstance(w, QLineEdit):
            yield "placeholder", w.placeholderText()
        elif isinstance(w, QPlainTextEdit):
            yield "placeholder", w.placeholderText()
        elif isinstance(w, QTabBar):
            yield from (("tab", w.tabText(i)) for i in range(w.count()))
        elif isinstance(w, QTreeWidget):
            header = w.headerItem()
            yield from (("header", header.text(i)) for i in range(w.columnCount()))
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                text = w.itemText(i)
                # General MIDI instrument names are printed in English by Chinese DAWs
                # too; a combo of audio devices lists the system's own names.
                if re.sub(r"^\d{3} ", "", text) not in gm_names:
                    yield "combo item", text
                yield "combo item tooltip", w.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""
        elif isinstance(w, QMenu):
            yield from _menu_texts(w)


def english_left(top: QWidget) -> list[tuple[str, str]]:
    from core.model.theory import GM_PROGRAM_NAMES

    gm = set(GM_PROGRAM_NAMES)
    return sorted({(what, text) for what, text in visible_texts(top, gm)
                   if text and english_words(text)})




def melody_song() -> Song:
    notes = [Note(i * 480, 480, 60 + i, 90) for i in range(6)]
    notes += [Note(3840 + i * 480, 480, 67 - i, 90) for i in range(6)]
    # (the title and track name are the user's: in Chinese, as a Chinese user's are)
    return Song(title="试唱", tracks=[Track("人声", role="melody", notes=notes)])


# -- language choice -------------------------------------------------------------------------
def test_the_language_follows_the_setting_then_the_system_locale():
    assert resolve_language("zh_CN", "en_US") == "zh_CN"
    assert resolve_language("en", "zh_CN") == "en"
    assert resolve_language("system", "zh_CN") == "zh_CN"
    assert resolve_language("system", "zh_TW") == "zh_CN"  # the one Chinese translation
    assert resolve_language("system", "de_DE") == "en"
    assert resolve_language("bogus", "C") == "en"


def test_the_settings_choice_is_stored_and_applied_at_the_next_start(qtbot, qapp):
    from desktop.panels.settings_dialog import SettingsDialog

    window = make_window(qtbot)
    dialog = SettingsDialog(window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "system"
    assert [dialog.language.itemText(i) for i in range(1, 3)] == ["English", "简体中文"]
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    window.apply_settings(dialog.result_settings())
    assert "restart" in window.statusBar().currentMessage().lower() \
        or "starts again" in window.statusBar().currentMessage()
    stored = load_settings()
    assert stored.language == "zh_CN"
    # What desktop/app.py does at start-up with the stored settings:
    try:
        assert install_translators(qapp, stored.language) == "zh_CN"
        assert translate("Main", "&File") == "文件(&F)"
        assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own
    finally:
        install_translators(qapp, "en")
    assert translate("Main", "&File") == "&File"
    window.playback.close()


def test_a_broken_language_value_in_the_settings_file_falls_back_to_the_system(qtbot):
    from PySide6.QtCore import QSettings

    from core import paths

    store = QSettings(str(paths.user_data_dir() / "settings.ini"), QSettings.IniFormat)
    store.setValue("language", "klingon")
    store.sync()
    assert load_settings().language == "system"


# -- the translation files ----------------------------------------------------------------------
@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "pyside6-lupdate").exists()
                    and shutil.which("pyside6-lupdate") is None,
                    reason="PySide6's lupdate is not installed")
def test_every_string_is_in_the_ts_translated_and_compiled_into_the_qm():
    """installer/i18n.sh --check: lupdate over desktop/ changes nothing in the .ts, no
    message is 'unfinished', and lrelease of the .ts gives the committed .qm."""
    done = subprocess.run(["bash", str(ROOT / "installer" / "i18n.sh"), "--check"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def test_translations_keep_their_placeholders():
    import xml.etree.ElementTree as ET

    tree = ET.parse(ROOT / "resources" / "i18n" / "songloom_zh_CN.ts")
    bad = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text or ""
        target = message.find("translation").text or ""
        if sorted(re.findall(r"\{[^}]*\}", source)) != sorted(re.findall(r"\{[^}]*\}", target)):
            bad.append((source, target))
        if not CJK.search(target) and english_words(target):
            bad.append((source, target))
    assert not bad


# -- the Chinese interface, as shown ---------------------------------------------------------
def test_the_main_window_shows_no_english_in_chinese(qtbot, chinese):
    window = make_window(qtbot, melody_song())
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    window.generation.editor.set_song(window.song)
    left = english_left(window)
    for menu in window.menus.values():
        left += [(w, t) for w, t in _menu_texts(menu) if t and english_words(t)]
    assert not left, "\n".join(f"{w}: {t!r}" for w, t in left)
    assert window.menus["file"].title() == "文件(&F)"
    assert window.generate_dock.windowTitle() == "生成"
    window.playback.close()


def test_in_chinese_at_1024x640_nothing_is_clipped_and_no_panel_scrolls_sideways(
        qtbot, tmp_path, chinese):
    """The 1024x640 check of issue 18 (test_first_hour_layout) with the Chinese texts:
    full scores, the lyric editor, both docks."""
    from test_first_hour_layout import assert_docks_fit, sketch
    from test_first_hour_scores import LYRICS, RESULT

    from desktop.diagnostics.screenshot import take_screenshot

    window = make_window(qtbot, sketch())
    window.generation.scores.show_music(RESULT)
    window.generation.scores.show_lyrics(LYRICS)
    take_screenshot(window, tmp_path / "zh.png", size=(1024, 640))
    assert window.menus["edit"].title() == "编辑(&E)"
    assert_docks_fit(window)
    window.playback.close()


def test_each_dialog_shows_no_english_in_chinese(qtbot, chinese):
    from core.paths import docs_dir
    from desktop.controllers.help_menu import window_shortcuts
    from desktop.panels.about import AboutDialog
    from desktop.panels.docs_browser import DocsBrowser
    from desktop.panels.settings_dialog import SettingsDialog
    from desktop.panels.shortcuts_dialog import ShortcutsDialog

    window = make_window(qtbot, melody_song())
    shortcuts = ShortcutsDialog(window_shortcuts(window), window)
    dialogs = [SettingsDialog(window.settings, window), shortcuts, DocsBrowser(docs_dir(), window)]
    about = AboutDialog(window)
    for d in [*dialogs, about]:
        qtbot.addWidget(d)
        d.show()
    left = [item for d in dialogs for item in english_left(d)]
    # The About box lists the licences of what ships: their names and licence texts are
    # the projects' own; its title, buttons and the text above the list are Songloom's.
    left += [(w, t) for w, t in english_left(about)
             if w in ("title", "button") or (w == "label" and "<h2>" in t)]
    assert not left, "\n".join(f"{w}: {t!r}" for w, t in left)
    html = shortcuts.view.toHtml()
    assert "键盘快捷键" in html and "钢琴卷帘" in html and "Click in the grid" not in html
    assert about.windowTitle() == "关于 Songloom"
    window.playback.close()


def test_section_kinds_show_in_chinese_and_typed_chinese_names_are_kinds(qtbot, chinese):
    from desktop.i18n import kind_from_title, section_label

    assert section_label("Verse 2") == "主歌 2" and section_label("Chorus") == "副歌"
    assert kind_from_title("副歌") == "chorus" and kind_from_title(" Bridge ") == "bridge"
    window = ready_window(qtbot, melody_song())
    editor = window.generation.editor
    editor.set_song(window.song)
    editor.section_kind.setCurrentIndex(editor.section_kind.findData("chorus"))
    assert editor.section_kind.currentText() == "副歌"
    editor.add_section_button.click()
    assert [s.name for s in window.song.lyrics.sections] == ["chorus"]
    assert editor.tree.topLevelItem(0).text(0) == "副歌"
    window.playback.close()


# -- Chinese lyrics: one character per note (part 3) -----------------------------------------------
def test_chinese_lines_count_characters_and_sit_one_per_note(qtbot):
    window = ready_window(qtbot, melody_song())
    editor = window.generation.editor
    editor.set_song(window.song)
    editor.add_section_button.click()
    editor.select_line(0)
    editor.line_items()[0].setText(COL_TEXT, "明月几时有，")  # as typing into the cell does
    editor.add_line_button.click()
    editor.line_items()[1].setText(COL_TEXT, "把酒问 sky")
    items = editor.line_items()
    assert items[0].text(COL_SYL) == "5 / 6  ✗"  # five characters, the comma is not sung
    assert items[1].text(COL_SYL).startswith("4 / 6")  # a Latin word in it: one note
    song = window.song
    first = song.lyrics.lines()[0]
    assert [s.text for s in first.syllables] == list("明月几时有")
    notes = song.melody_track().notes
    assert [s.tick for s in first.syllables] == [n.start for n in notes[:5]]
    # English lines are still split into syllables.
    editor.line_items()[1].setText(COL_TEXT, "beautiful sky")
    assert editor.line_items()[1].text(COL_SYL).startswith("4 / 6")
    window.playback.close()


def test_history_summaries_are_cores_in_english_and_chinese_in_chinese(qapp):
    from core.model.requests import LyricParams, MusicParams
    from desktop.controllers.history import describe

    requests = [MusicParams(), MusicParams(form="AABA", chords="C G", style="rock", mode="minor"),
                LyricParams(), LyricParams(theme="雨", syllables_from_melody=False,
                                           diction="poetic", rhyme="free")]
    assert [describe(p) for p in requests] == [p.describe() for p in requests]
    assert install_translators(qapp, "zh_CN") == "zh_CN"
    try:
        shown = [describe(p) for p in requests]
    finally:
        install_translators(qapp, "en")
    assert shown[1] == "小节数随曲式，C 小调，摇滚，曲式 AABA，和弦 C G，96 BPM，种子 0，随机度 1"
    assert shown[3] == "\"雨\"，4 行，每行 8 个音节，自由，诗意，种子 0"
    assert not [s for s in shown if english_words(s)]


def test_chinese_lines_get_rhyme_letters_by_their_finals():
    from desktop.panels.lyric_editor import rhyme_letters

    # 楼 lóu and 州 zhōu share a final; 岸 àn and 鹤楼's 楼 do not.
    assert rhyme_letters(["春风又绿江南岸", "故人西辞黄鹤楼", "烟花三月下扬州"]) == ["A", "B", "B"]
    # A Chinese ending never rhymes with an English one.
    assert rhyme_letters(["the night", "明月光", "the light", "霜"]) == ["A", "B", "A", "B"]


def test_the_lyric_editor_takes_input_method_text(qtbot):
    """Chinese is typed through an input method: the line field accepts its commits."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent

    window = ready_window(qtbot, melody_song())
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    editor = window.generation.editor
    editor.add_section_button.click()
    qtbot.waitUntil(lambda: len(editor.line_items()) == 1)
    item = editor.line_items()[0]
    editor.tree.setFocus()
    editor.tree.setCurrentItem(item, COL_TEXT)
    editor.tree.editItem(item, COL_TEXT)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    field = QApplication.focusWidget()
    assert field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert field.inputMethodQuery(Qt.InputMethodQuery.ImEnabled)
    preedit = QInputMethodEvent("chun'feng", [])  # the pinyin being typed: not text yet
    QApplication.sendEvent(field, preedit)
    assert field.text() == ""
    event = QInputMethodEvent()
    event.setCommitString("春风又绿江南岸")
    QApplication.sendEvent(field, event)
    assert field.text() == "春风又绿江南岸"
    qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter commits the line, as typed
    qtbot.waitUntil(lambda: window.song.lyrics.lines()[0].text == "春风又绿江南岸")
    assert editor.line_items()[0].text(COL_SYL) == "7 / 6  ✗"
    window.playback.close()
