"""The About box: version, and the licences of everything Songloom ships (from the
bundled licence index, core.licenses), with the full texts one click away, shown as
paragraphs that wrap to the pane (desktop/panels/licence_text.py says why)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core import __version__
from core.errors import SongloomError
from desktop.i18n import translate

# Shown even when the licence index is missing (e.g. a source checkout without it).
ESSENTIALS = (
    ("Qt / PySide6", "LGPL-3.0-only"),
    ("FluidSynth", "LGPL-2.1-or-later"),
    ("FluidR3 Mono GM SoundFont", "MIT"),
    (QT_TRANSLATE_NOOP("Help", "Bundled music and lyrics models"),
     QT_TRANSLATE_NOOP("Help", "trained by Songloom; see their model cards")),
    (QT_TRANSLATE_NOOP("Help", "Training data"), QT_TRANSLATE_NOOP(
        "Help", "JSB chorales, OpenScore Lieder (CC0), public-domain poems")),
)


def about_text() -> str:
    from PySide6 import __version__ as pyside_version

    lines = [
        f"<h2>Songloom {__version__}</h2>",
        "<p>" + translate("Help", "An offline songwriting studio: GAN music, GPT-2 lyrics, "
                          "FluidSynth sound, MIDI out to your DAW. Everything runs on your "
                          "computer.") + "</p>",
        f"<p>Qt {qVersion()} · PySide6 {pyside_version}</p>",
        "<p>" + translate("Help", "<b>Licences</b> of what Songloom ships:") + "</p><ul>",
    ]
    lines += [f"<li>{translate('Help', name)}: {translate('Help', lic)}</li>"
              for name, lic in ESSENTIALS]
    lines.append("</ul>")
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(translate("Help", "About Songloom"))
        layout = QVBoxLayout(self)
        head = QLabel(about_text())
        head.setWordWrap(True)
        layout.addWidget(head)
        self.entries = []
        try:
            from core.licenses import bundled_licenses

            self.entries = bundled_licenses()
        except SongloomError as exc:
            layout.addWidget(QLabel(translate(
                "Help", "The full licence texts are not bundled here: {exc}").format(exc=exc)))
        if self.entries:
            split = QSplitter()
            self.list = QListWidget()
            # Long names end in "…" (with the whole name in the tooltip and above the text)
            # rather than behind a sideways scroll bar.
            self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
            self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            for e in self.entries:
                self.list.addItem(f"{e.title} — {e.license}")
                self.list.item(self.list.count() - 1).setToolTip(f"{e.title}\n{e.license}")
            # The chosen part's name and licence in full (the list may elide them), then
            # its text.
            self.heading = QLabel()
            self.heading.setWordWrap(True)
            self.heading.setTextFormat(Qt.TextFormat.PlainText)
            self.text = QTextBrowser()
            self.text.setOpenLinks(False)
            right = QWidget()
            column = QVBoxLayout(right)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(self.heading)
            column.addWidget(self.text, 1)
            self.list.currentRowChanged.connect(self._show)
            split.addWidget(self.list)
            split.addWidget(right)
            split.setSizes([260, 520])
            layout.addWidget(split, 1)
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(820, 600)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            entry = self.entries[row]
            self.heading.setText(f"{entry.title} — {entry.license}")
            try:
                text = entry.text()
            except SongloomError as exc:
                self.text.setPlainText(str(exc))
                return
            from desktop.panels.licence_text import licence_html

            self.text.setHtml(licence_html(text, self.text.fontMetrics().averageCharWidth()))
