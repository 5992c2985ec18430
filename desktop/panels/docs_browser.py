"""Help > User guide and Getting started: the bundled docs/*.md shown offline in the app.

The pages are the same Markdown files the repository shows (docs/, found by
core.paths.docs_dir in a source checkout and inside the bundle). Qt renders Markdown
itself (QTextBrowser, by the .md suffix), so a link to another page opens it here with
Back and Forward; a web link goes to the system browser; a link to any other local file
(a model card, a screenshot) opens in the program the system has for it.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from desktop.i18n import translate

PAGE_SUFFIXES = (".md", ".markdown")


def heading_slug(text: str) -> str:
    """GitHub's anchor for a heading ("Where your files live" -> "where-your-files-live"),
    so a page's #links work here as they do on the web."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def page_title(path: Path) -> str:
    """The page's first '# ' heading, else its file name."""
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith("# "):
                    return line[2:].strip()
    except OSError:
        pass
    return path.stem


class DocsBrowser(QDialog):
    """A small offline reader for the docs folder (modeless: read while you work)."""

    def __init__(self, docs_dir: Path, parent=None):
        super().__init__(parent)
        self.docs_dir = Path(docs_dir)
        self.setWindowTitle(translate("Help", "Songloom Help"))
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # every link goes through _follow
        self.browser.anchorClicked.connect(self._follow)
        self.browser.sourceChanged.connect(self._source_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.back_button = QPushButton(translate("Help", "Back"))
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.forward_button = QPushButton(translate("Help", "Forward"))
        self.forward_button.clicked.connect(self.browser.forward)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.guide_button = QPushButton(translate("Help", "User guide"))
        self.guide_button.clicked.connect(lambda: self.show_page("user-guide.md"))
        for button in (self.back_button, self.forward_button):
            button.setEnabled(False)
        nav = QHBoxLayout()
        for button in (self.back_button, self.forward_button, self.guide_button):
            nav.addWidget(button)
        nav.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(nav)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(820, 640)

    def page_path(self, name: str) -> Path:
        return self.docs_dir / name

    def show_page(self, name: str) -> bool:
        """Open docs/``name``; False (and one line saying where it looked) if it is missing."""
        path = self.page_path(name)
        if not path.is_file():
            self.status.setText(translate(
                "Help", "The help page {path} is not installed here.").format(path=path))
            return False
        self.status.clear()
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
        return True

    def _source_changed(self, url: QUrl) -> None:
        if url.isLocalFile():
            self.setWindowTitle(translate("Help", "{page} — Songloom Help").format(
                page=page_title(Path(url.toLocalFile()))))

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        target = self.browser.source().resolved(url)
        fragment = target.fragment()
        target.setFragment("")
        current = QUrl(self.browser.source())
        current.setFragment("")
        if target == current or not url.path():
            self.scroll_to_heading(fragment)
            return
        path = Path(target.toLocalFile()) if target.isLocalFile() else None
        if path is None or not path.exists():
            self.status.setText(translate("Help", "Not found: {path}").format(
                path=path or target.toString()))
        elif path.suffix.lower() in PAGE_SUFFIXES:
            self.status.clear()
            self.browser.setSource(target)
            if fragment:
                self.scroll_to_heading(fragment)
        else:  # a screenshot, a model card's folder...: the system's own program
            QDesktopServices.openUrl(target)

    def scroll_to_heading(self, slug: str) -> bool:
        """Scroll to the heading whose GitHub anchor is ``slug`` (Qt's Markdown reader
        gives headings no anchors of their own)."""
        if not slug:
            return False
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and heading_slug(block.text()) == slug:
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                # Put the heading at the top, not just somewhere on screen.
                bar = self.browser.verticalScrollBar()
                bar.setValue(bar.maximum())
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False

