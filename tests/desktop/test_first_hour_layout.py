"""Issue 18, item 5: the window works from 1024x640 up. The screenshot check at that size:
no clipped label or button text, no horizontal scroll bar in the side panels; and the
side panels keep their width when a status text changes."""

from __future__ import annotations

from generation_helpers import make_window
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QWidget,
)
from test_first_hour_scores import LYRICS, RESULT

from core.lyrics.syllables import align_lyrics
from core.model.song import Note, Song, Track
from desktop.panels.score_rows import ScoreCell
from desktop.widgets.elided_label import ElidedLabel


def sketch() -> Song:
    melody = Track("Melody", role="melody", notes=[Note(i * 480, 480, 60 + i % 7)
                                                   for i in range(16)])
    bass = Track("Bass", role="bass", channel=1, program=32,
                 notes=[Note(i * 1920, 1920, 36) for i in range(4)])
    song = Song(title="Layout", tracks=[melody, bass])
    return align_lyrics(song, ["the river runs so deep and wide", "and carries me home"])


def outside_viewport(w: QWidget) -> bool:
    """True when ``w`` reaches past the right edge of the scroll area it is in (cut off
    there, with no sideways scroll bar to reach it)."""
    parent = w.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is None or not parent.viewport().isAncestorOf(w):
        return False
    right = w.mapTo(parent.viewport(), w.rect().topRight()).x()
    return right > parent.viewport().width() + 1


def assert_docks_fit(window) -> None:
    """Each dock in front in turn: no clipped text, no sideways scrolling, and the piano
    roll keeps a useful share of the window."""
    for dock in (window.generate_dock, window.scores_dock):
        dock.raise_()
        QApplication.processEvents()
        problems = clipped_texts(window)
        assert not problems, problems
        for area in dock.findChildren(QScrollArea):
            assert not area.horizontalScrollBar().isVisible(), dock.objectName()
    assert window.editor.view.width() >= 400


def clipped_texts(root: QWidget) -> list[str]:
    """Visible labels, buttons and inputs that are cut: narrower than their text needs,
    or reaching past the edge of the panel they scroll in. Elided labels shorten on
    purpose (with the whole text in their tooltip)."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0:
            continue
        if isinstance(w, QLabel | QAbstractButton | QAbstractSpinBox | QComboBox | QLineEdit
                      | ScoreCell) and outside_viewport(w):
            out.append(f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r} is cut off "
                       "at the panel's edge")
            continue
        if isinstance(w, ElidedLabel):
            if w.is_elided():
                assert w.text() in w.toolTip(), w.text()
            continue
        if isinstance(w, QLabel):
            text = w.text()
            if not text or w.wordWrap() or w.pixmap() is not None and not w.pixmap().isNull():
                continue
            if "<" in text:  # rich text: its plain width is what the layout measured
                continue
            need = w.fontMetrics().horizontalAdvance(text) + w.contentsMargins().left() \
                + w.contentsMargins().right() + 2 * w.margin()
            if w.width() + 1 < need:
                out.append(f"label {text!r}: {w.width()} < {need}")
        elif isinstance(w, QPushButton | QCheckBox | QToolButton) and w.text():
            if w.width() + 1 < w.sizeHint().width():
                out.append(f"{type(w).__name__} {w.text()!r}: {w.width()} < "
                           f"{w.sizeHint().width()}")
    return out


def test_at_1024x640_nothing_is_clipped_and_no_panel_scrolls_sideways(qtbot, tmp_path):
    from desktop.diagnostics.screenshot import take_screenshot

    window = make_window(qtbot, sketch())
    scores = window.generation.scores
    scores.show_music(RESULT)  # a full panel: three tracks, pairs, originality, lyrics
    scores.show_lyrics(LYRICS)
    out = take_screenshot(window, tmp_path / "small.png", size=(1024, 640))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 640)
    assert (window.width(), window.height()) == (1024, 640)
    assert_docks_fit(window)
    assert all(isinstance(b, QAbstractButton) for b in window.findChildren(QPushButton))


def test_side_panels_keep_their_width_when_status_texts_change(qtbot):
    window = make_window(qtbot, sketch())
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    widths = (window.generate_dock.width(), window.track_list.width(), window.editor.width())
    long = "Cancelled — the song is unchanged; " * 4
    window.generation.panel.status.setText(long)
    window.generation.panel.set_melody_phrases(12)
    window.generation.scores.set_status(long)
    window.generation.editor.summary.setText(long)
    window.song.tracks[0].name = "A very long track name for the melody of this song"
    window.doc.changed.emit()
    for _ in range(3):
        QApplication.processEvents()
    assert (window.generate_dock.width(), window.track_list.width(),
            window.editor.width()) == widths
    assert window.width() == 1024
