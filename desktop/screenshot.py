"""`songloom --screenshot OUT.png [FILE]`: lay the window out offscreen at 1280x800 with
FILE loaded and write the image (for the README, bug reports and visual checks)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

SIZE = (1280, 800)


def take_screenshot(window, out_path: str | Path) -> Path:
    out_path = Path(out_path)
    window.resize(*SIZE)
    window.show()
    # Synchronously here: a screenshot should show the real device and audio state.
    window.playback.start(window.settings.soundfont)
    window.detect_device(blocking=True)
    for _ in range(3):
        QApplication.processEvents()
    window.editor.fit_song()
    QApplication.processEvents()
    image = window.grab()
    if not image.save(str(out_path)):
        raise OSError(f"cannot write the image {out_path}")
    return out_path
