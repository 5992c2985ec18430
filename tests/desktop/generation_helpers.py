"""Shared set-up for the generation/lyrics/scores tests (issue 7): a real main window with
a fake audio device, and waiting for the controller's jobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.model.song import Song
from core.paths import models_dir


class DiscardOnClose:
    """Closing a modified window asks; in tests the answer is "discard", never a modal box."""

    def ask_save_changes(self, name):
        return "discard"

    def warn(self, title, text):
        raise AssertionError(f"unexpected message box: {title}: {text}")


def fake_player():
    from core.audio.fake_stream import FakeOutputStream
    from core.audio.player import Player

    return Player(stream_factory=FakeOutputStream)


def make_window(qtbot, song: Song | None = None):
    from desktop.main_window import MainWindow

    window = MainWindow(song if song is not None else Song(), player_factory=fake_player)
    window.files.dialogs = DiscardOnClose()
    qtbot.addWidget(window)
    window.generation.auto_score = False
    return window


def ready_window(qtbot, song: Song):
    """A window whose lyric tools are loaded (the warm-up), as the app has them."""
    window = make_window(qtbot, song)
    with qtbot.waitSignal(window.generation.ready, timeout=60000):
        window.generation.warm_up()
    return window


def run_job(qtbot, controller, start, timeout_ms: int = 60000) -> tuple[str, bool]:
    """Start a controller job and wait for its end; returns (name, delivered)."""
    with qtbot.waitSignal(controller.job_finished, timeout=timeout_ms) as blocker:
        worker = start()
        assert worker is not None, controller.panel.status.text()
    return tuple(blocker.args)


def lyrics_model_available() -> bool:
    return (Path(models_dir()) / "lyrics-gpt2" / "config.json").exists()


needs_lyrics_model = pytest.mark.skipif(
    not lyrics_model_available(),
    reason="the bundled lyrics model (resources/models/lyrics-gpt2) is not installed yet")
