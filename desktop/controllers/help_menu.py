"""The Help menu: Getting started, Keyboard shortcuts, User guide, About.

Kept out of main_window.py, which only calls ``build_help_menu``. The guide pages are
the bundled docs/*.md (core.paths.docs_dir), read offline in desktop/panels/docs_browser.py.
The shortcuts are read from the window's actions and buttons each time the dialog opens,
so the list is always the keys the window really answers to.
"""

from __future__ import annotations

import re

from desktop.i18n import translate

GETTING_STARTED = "getting-started.md"
USER_GUIDE = "user-guide.md"


def _clean(text: str) -> str:
    """A menu text as a reader sees it: no '&' mnemonics, no '…', no leading symbol."""
    text = re.sub(r"\s*\(&\w\)", "", text)  # a translation's mnemonic: 文件(&F)
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "")
    return text.lstrip("▶■⟲ ").strip()


def _typed(seq) -> bool:
    """False for a dedicated key a keyboard may have (Undo, Help, Copy): Qt's standard
    bindings include them, but they are no key a reader can press on most keyboards."""
    from PySide6.QtCore import Qt

    if seq.count() != 1:
        return True
    combo = seq[0]
    key = combo.key().value if hasattr(combo.key(), "value") else int(combo.key())
    if combo.keyboardModifiers() != Qt.KeyboardModifier.NoModifier or key < 0x01000000:
        return True
    K = Qt.Key
    typed = {K.Key_Escape, K.Key_Tab, K.Key_Backspace, K.Key_Return, K.Key_Enter,
             K.Key_Insert, K.Key_Delete, K.Key_Home, K.Key_End, K.Key_Left, K.Key_Up,
             K.Key_Right, K.Key_Down, K.Key_PageUp, K.Key_PageDown}
    return any(key == k.value for k in typed) or K.Key_F1.value <= key <= K.Key_F35.value


def _keys(shortcuts) -> str:
    from PySide6.QtGui import QKeySequence

    native = QKeySequence.SequenceFormat.NativeText
    names: list[str] = []
    for seq in shortcuts:
        name = seq.toString(native)
        if name and name not in names and _typed(seq):
            names.append(name)
    return translate("Help", " or ").join(names)


def menu_actions(menu) -> list:
    """A menu's actions, its submenus' included (Open Recent's files)."""
    out = []
    for action in menu.actions():
        out.append(action)
        if action.menu() is not None:
            out.extend(menu_actions(action.menu()))
    return out


def _group_of(widget, window) -> str:
    """Where an action or button outside the menus lives: the piano roll, a dock, the window."""
    editor = getattr(window, "editor", None)
    while widget is not None and widget is not window:
        if widget is editor:
            return translate("Help", "Piano roll")
        if hasattr(widget, "toggleViewAction"):  # a QDockWidget: its title
            return _clean(widget.windowTitle())
        widget = widget.parent()
    return translate("Help", "Window")


def window_shortcuts(window) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(what, keys), ...]) for every action and button of ``window`` that has a
    shortcut: first the menus in their order, then the rest by where it lives."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton

    generation = getattr(window, "generation", None)
    if hasattr(type(generation), "build_in_steps"):  # panels not built yet: build them now
        generation.build()
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[int] = set()
    for menu in window.menus.values():
        rows = groups.setdefault(_clean(menu.title()), [])
        for action in menu_actions(menu):
            keys = _keys(action.shortcuts())
            if keys and id(action) not in seen:
                seen.add(id(action))
                rows.append((_clean(action.text()), keys))
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if keys and id(action) not in seen:
            seen.add(id(action))
            groups.setdefault(_group_of(action.parent(), window), []).append(
                (_clean(action.text()), keys))
    for button in window.findChildren(QAbstractButton):
        if getattr(button, "defaultAction", lambda: None)() is not None:
            continue  # a tool button showing an action: the action is listed already
        keys = _keys([button.shortcut()])
        if keys:
            groups.setdefault(_group_of(button, window), []).append(
                (_clean(button.text()), keys))
    return [(title, rows) for title, rows in groups.items() if rows]


def show_getting_started(window):
    return _show_docs(window, GETTING_STARTED)


def show_user_guide(window):
    return _show_docs(window, USER_GUIDE)


def _show_docs(window, name: str):
    from PySide6.QtCore import Qt

    from core.paths import docs_dir
    from desktop.panels.docs_browser import DocsBrowser

    browser = getattr(window, "docs_browser", None)
    if browser is None:
        browser = DocsBrowser(docs_dir(), window)
        browser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        window.docs_browser = browser
    browser.show_page(name)
    browser.show()
    browser.raise_()
    browser.activateWindow()
    return browser


def show_shortcuts(window):
    from desktop.panels.shortcuts_dialog import ShortcutsDialog

    dialog = getattr(window, "shortcuts_dialog", None)
    groups = window_shortcuts(window)
    if dialog is None:
        dialog = ShortcutsDialog(groups, window)
        window.shortcuts_dialog = dialog
    else:
        dialog.set_groups(groups)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def build_help_menu(window, menu) -> None:
    from PySide6.QtGui import QKeySequence

    menu.addAction(translate("Help", "&Getting Started"), lambda: show_getting_started(window))
    shortcuts = menu.addAction(translate(
        "Help", "&Keyboard Shortcuts"), lambda: show_shortcuts(window))
    shortcuts.setShortcut(QKeySequence("Ctrl+/"))
    guide = menu.addAction(translate("Help", "&User Guide"), lambda: show_user_guide(window))
    guide.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents))
    menu.addSeparator()
    menu.addAction(translate("Help", "&About Songloom"), window.show_about)
