"""`songloom --screenshot OUT.png [--size WxH] [FILE]`: lay the window out offscreen at
1280x800 (or WxH) with FILE loaded and write the image (for the README, bug reports and
the visual check at 1024x640 and 1600x1000)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

SIZE = (1280, 800)


def _wait_for_panels(window, timeout_ms: int = 60_000) -> None:
    """The generation panels fill in after their warm-up (models, dictionaries): wait for
    it, so the picture shows the song's lyrics as a user sees them a moment after start."""
    generation = getattr(window, "generation", None)
    if generation is None or not hasattr(generation, "ready"):
        return
    if getattr(generation, "device", None) is not None:
        return  # already warm
    loop = QEventLoop()
    generation.ready.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    generation.warm_up()
    job = getattr(generation, "warmup_job", None)
    if job is not None and hasattr(job, "finished"):
        job.finished.connect(loop.quit)  # failed or cancelled: do not wait for the timeout
    loop.exec()
    window.song_changed.emit()


def take_screenshot(window, out_path: str | Path, size: tuple[int, int] = SIZE) -> Path:
    out_path = Path(out_path)
    window.resize(*size)
    window.show()
    # Synchronously here: a screenshot should show the real device and audio state.
    window.playback.start(window.settings.soundfont, blocking=True,
                          device=window.settings.audio_device)
    window.detect_device(blocking=True)
    _wait_for_panels(window)
    for _ in range(3):
        QApplication.processEvents()
    window.editor.fit_song()
    QApplication.processEvents()
    image = window.grab()
    if not image.save(str(out_path)):
        raise OSError(f"cannot write the image {out_path}")
    return out_path
