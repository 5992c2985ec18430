"""Run by test_real_input_xvfb.py inside Xvfb (QT_QPA_PLATFORM=xcb): real X11 input from
xdotool, not Qt's synthetic events.

1. The wheel turned over the Generate panel's Bars spin box scrolls the panel and leaves
   Bars, Tempo, Seed and the lyrics model as they were; once Bars is clicked, the wheel
   changes it.
2. The whole-song MIDI handle dragged with the mouse onto another window delivers a
   readable .mid as text/uri-list with the Copy action.

Prints one JSON line with what it saw; the test asserts on it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea


class DropTarget(QLabel):
    """Stands in for a DAW's track area: accepts file drops and records them."""

    def __init__(self):
        super().__init__("Drop MIDI here")
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dropped: dict | None = None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        mime = event.mimeData()
        self.dropped = {"formats": list(mime.formats()),
                        "urls": [u.toLocalFile() for u in mime.urls()],
                        "action": event.dropAction().name}
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(check, timeout_s: float) -> bool:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if check():
            return True
        wait(30)
    return check()


def xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=20)


def centre(widget) -> tuple[int, int]:
    p = widget.mapToGlobal(widget.rect().center())
    return p.x(), p.y()


def main() -> int:
    app = QApplication(sys.argv[:1])
    from core.audio.fake_stream import FakeOutputStream
    from core.audio.player import Player
    from core.model.song import Note, Song, Track
    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme

    apply_theme(app, "light")
    song = Song(title="Real Input", tracks=[Track("Melody", role="melody", notes=[
        Note(i * 480, 480, 60 + i % 7) for i in range(8)])])
    window = MainWindow(song, player_factory=lambda: Player(stream_factory=FakeOutputStream))
    window.generation.auto_score = False
    window.setGeometry(0, 0, 1200, 760)
    window.show()
    target = DropTarget()
    target.setGeometry(1250, 200, 300, 300)
    target.show()
    wait_until(lambda: window.isVisible() and target.isVisible(), 10)
    wait(500)
    out: dict = {}

    # 1. The wheel over the Generate panel.
    panel = window.generation.panel
    window.generate_dock.raise_()
    area = panel.findChild(QScrollArea)
    wait(200)
    before = (panel.bars.value(), panel.tempo.value(), panel.music_seed.spin.value(),
              panel.model_choice.currentIndex(), area.verticalScrollBar().value())
    x, y = centre(panel.bars)
    xdo("mousemove", str(x), str(y))
    wait(150)
    for _ in range(3):
        xdo("click", "5")  # button 5: the wheel turned towards the user
        wait(120)
    wait_until(lambda: area.verticalScrollBar().value() != before[4], 3)
    after = (panel.bars.value(), panel.tempo.value(), panel.music_seed.spin.value(),
             panel.model_choice.currentIndex(), area.verticalScrollBar().value())
    out["wheel"] = {"before": before, "after": after,
                    "scroll_max": area.verticalScrollBar().maximum()}
    # Clicked first, the input is meant: the wheel changes it.
    area.verticalScrollBar().setValue(0)  # Bars back in view
    wait(100)
    x, y = centre(panel.bars)
    xdo("mousemove", str(x), str(y))
    xdo("click", "1")
    wait_until(panel.bars.hasFocus, 3)
    bars = panel.bars.value()
    xdo("click", "4")  # button 4: the wheel turned away from the user
    wait_until(lambda: panel.bars.value() != bars, 3)
    out["focused_wheel"] = [bars, panel.bars.value()]

    # 2. Drag the whole-song handle onto the drop target.
    handle = window.track_list.song_drag
    hx, hy = centre(handle)
    tx, ty = centre(target)
    script = ["mousemove", str(hx), str(hy), "sleep", "0.3", "mousedown", "1", "sleep", "0.2"]
    for i in range(1, 13):
        script += ["mousemove", str(hx + (tx - hx) * i // 12), str(hy + (ty - hy) * i // 12),
                   "sleep", "0.08"]
    script += ["sleep", "0.4", "mouseup", "1"]
    drag = subprocess.Popen(["xdotool", *script])  # the drag's own loop runs meanwhile
    wait_until(lambda: target.dropped is not None or drag.poll() is not None, 20)
    wait_until(lambda: target.dropped is not None, 3)
    drag.wait(timeout=10)
    out["drop"] = target.dropped
    if target.dropped and target.dropped["urls"]:
        from core.io.midi_io import read_midi

        midi = read_midi(target.dropped["urls"][0])
        out["midi_notes"] = sum(len(t.notes) for t in midi.tracks)
    window.files.dialogs.ask_save_changes = lambda name: "discard"
    window.close()
    target.close()
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
