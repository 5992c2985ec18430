"""The lyric editor's writing workflow: locked lines survive Generate lyrics, Continue
writes on from the lines there are, the Settings lyrics-model folder is the model lyrics
are written with, and the writer's notes reach the status bar."""

from __future__ import annotations

import shutil

from generation_helpers import make_window, needs_lyrics_model, run_job

from core.model.song import Note, Song, Track
from core.paths import models_dir
from desktop.panels.lyric_editor import COL_RHYME


def four_phrase_song() -> Song:
    notes = []
    for p in range(4):
        notes += [Note(p * 3840 + i * 480, 480, 60 + i, 90) for i in range(6)]
    return Song(title="Workflow", tracks=[Track("Voice", role="melody", notes=notes)])


def ready_window(qtbot, song: Song):
    window = make_window(qtbot, song)
    with qtbot.waitSignal(window.generation.ready, timeout=60000):
        window.generation.warm_up()
    return window


def _lines(window) -> list[str]:
    return [ln.text for ln in window.song.lyrics.lines()]


@needs_lyrics_model
def test_a_locked_line_is_kept_when_lyrics_are_generated(qtbot):
    window = ready_window(qtbot, four_phrase_song())
    c = window.generation
    c.edit_lyrics([("verse", ["", "the night is long and cold", "", ""])], "Type")
    c.editor.select_line(1)
    c.editor.lock_button.click()
    assert c.editor.lock_button.isChecked()
    assert c.editor.locked_lines() == {1: "the night is long and cold"}
    assert "🔒" in c.editor.line_items()[1].text(COL_RHYME)
    c.panel.lines.setValue(4)
    c.panel.lyric_seed.spin.setValue(3)
    name, ok = run_job(qtbot, c, lambda: (c.panel.generate_lyrics_button.click(), c.job)[1],
                       timeout_ms=180000)
    assert ok, c.last_error
    lines = _lines(window)
    assert len(lines) == 4 and lines[1] == "the night is long and cold" and all(lines)
    # Unlocked, the next generation may change it.
    c.editor.select_line(1)
    c.editor.lock_button.click()
    assert c.editor.locked_lines() == {}


@needs_lyrics_model
def test_continue_writes_on_from_my_first_lines(qtbot):
    window = ready_window(qtbot, four_phrase_song())
    c = window.generation
    mine = ["I left the porch light on for you", "the road was quiet after rain"]
    c.edit_lyrics([("verse", mine)], "Type")
    c.panel.lines.setValue(4)
    name, ok = run_job(qtbot, c, lambda: (c.editor.continue_button.click(), c.job)[1],
                       timeout_ms=180000)
    assert ok, c.last_error
    lines = _lines(window)
    assert lines[:2] == mine and len(lines) == 4 and all(lines)


@needs_lyrics_model
def test_the_settings_lyrics_folder_is_the_model_lyrics_are_written_with(qtbot, tmp_path):
    from desktop.settings import Settings

    folder = shutil.copytree(models_dir() / "lyrics-gpt2", tmp_path / "my-lyrics-model")
    window = ready_window(qtbot, four_phrase_song())
    c = window.generation
    assert c.panel.lyric_params().model_dir == ""  # the bundled model
    new = Settings(**window.settings.__dict__)
    new.lyrics_model_dir = str(folder)
    window.apply_settings(new)
    assert c.panel.lyric_params().model_dir == str(folder)
    c.panel.lines.setValue(2)
    name, ok = run_job(qtbot, c, lambda: (c.panel.generate_lyrics_button.click(), c.job)[1],
                       timeout_ms=180000)
    assert ok, c.last_error
    from core.lyrics import model_store

    # The job loaded (and cached) that folder's model, not the bundled one.
    assert any(key[0] == str(folder.resolve()) for key in model_store._cache)
    new = Settings(**window.settings.__dict__)
    new.lyrics_model_dir = ""
    window.apply_settings(new)
    assert c.panel.lyric_params().model_dir == ""


@needs_lyrics_model
def test_a_theme_the_model_cannot_write_is_said_in_the_status_bar(qtbot):
    window = ready_window(qtbot, four_phrase_song())
    c = window.generation
    c.panel.theme.setText("冬天的路")
    c.panel.lines.setValue(2)
    name, ok = run_job(qtbot, c, lambda: (c.panel.generate_lyrics_button.click(), c.job)[1],
                       timeout_ms=180000)
    assert ok, c.last_error
    assert "Chinese" in window.statusBar().currentMessage()
