"""``songloom-cli bench stalls``: how long the GUI thread is blocked while the app warms
up, generates N bars of music and writes lyrics for them, through the real window,
controller and workers (offscreen, fake audio device).

The baseline, measured first in the same run: the same heartbeat over an idle window for
a second - what the machine's load alone costs the GUI thread. The bar is absolute: the
issue's 50 ms.
"""

from __future__ import annotations

import os
import tempfile
import time

from desktop.diagnostics.heartbeat import STALL_LIMIT_MS

IDLE_BASELINE_S = 1.0
SETTLE_S = 0.5  # after each result: its repaint and the panels' updates happen here


def bench_stalls(bars: int = 64, variations: int = 2, lines: int = 8, seed: int = 3) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    scratch = tempfile.TemporaryDirectory(prefix="songloom-stall-bench-")
    os.environ["SONGLOOM_DATA_DIR"] = scratch.name  # no autosaves among the user's
    try:
        return _measure(bars, variations, lines, seed)
    finally:
        scratch.cleanup()


def _measure(bars: int, variations: int, lines: int, seed: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from core.errors import SongloomError
    from core.model.requests import LyricParams, MusicParams
    from core.model.song import Song
    from desktop.diagnostics.heartbeat import Heartbeat
    from desktop.diagnostics.qt_wait import wait_until
    from desktop.main_window import MainWindow

    def fake_player():
        from core.audio.fake_stream import FakeOutputStream
        from core.audio.player import Player

        return Player(stream_factory=FakeOutputStream)

    app = QApplication.instance() or QApplication(["songloom-bench"])
    window = MainWindow(Song(title="Stall bench"), player_factory=fake_player)
    window.show()
    app.processEvents()
    generation = window.generation
    controller = generation.build() if hasattr(generation, "build") else generation
    controller.auto_score = False
    hb = Heartbeat(interval_ms=5, capture_stacks=True)
    hb.start()
    figures: dict = {}
    done: list[bool] = []
    controller.job_finished.connect(lambda _name, ok: done.append(ok))

    def run(start, what: str) -> float:
        done.clear()
        t0 = time.perf_counter()
        if start() is None:
            raise SongloomError(f"{what} did not start: {controller.panel.status.text()}")
        if not wait_until(lambda: bool(done), 600) or not done[-1]:
            raise SongloomError(f"{what} failed: {controller.last_error or 'timed out'}")
        seconds = time.perf_counter() - t0
        wait_until(lambda: False, SETTLE_S)
        return seconds

    try:
        with hb.phase("idle (baseline)"):
            wait_until(lambda: False, IDLE_BASELINE_S)
        with hb.phase("warm-up"):
            # As the app does it: the audio starts, then (once it has) the model warm-up.
            window.start_background_services()
            if not wait_until(lambda: controller.device is not None, 300):
                raise SongloomError("the warm-up did not finish in 300 s")
            sound = controller.sound_warmup_job
            wait_until(lambda: sound is None or not sound.thread_running(), 300)
        with hb.phase("generate music"):
            figures["music_s"] = round(run(lambda: controller.generate_music(MusicParams(
                bars=bars, seed=seed, variations=variations)), "music generation"), 3)
        figures["notes"] = sum(len(t.notes) for t in window.song.tracks)
        with hb.phase("write lyrics"):
            figures["lyrics_s"] = round(run(lambda: controller.generate_lyrics(LyricParams(
                theme="a river at night", lines=lines, seed=seed)), "lyric generation"), 3)
    finally:
        hb.stop()
        window.playback.close()
        window.hide()
    phases = {k: round(v, 1) for k, v in hb.phases.items()}
    idle = phases.get("idle (baseline)", 0.0)
    work = max((v for k, v in phases.items() if k != "idle (baseline)"), default=0.0)
    return {
        "what": "stalls", "bars": bars, "variations": variations, "lines": lines,
        **figures,
        "longest_gui_stall_ms": work,
        "idle_baseline_stall_ms": idle,
        "ratio_to_idle_baseline": round(work / idle, 2) if idle else None,
        "stall_by_phase_ms": phases,
        "longest_stalls": hb.stalls[:5],
        "budget": {"stall_ms_max": STALL_LIMIT_MS},
    }
