"""Chinese lyrics from the Generate panel (issue 16): the language choice, a tune pattern
or the melody's phrases, one character per note in the editor and the piano roll, the
same seed giving the same lines, locks and a rewritten line, the scores, the choice saved
with the project, and bad input said in the panel.

The real bundled Chinese model, Qt offscreen, no mocks. Generated lines are not pinned
(the weights may be retrained): their lengths, rhymes and determinism are.
"""

from __future__ import annotations

import pytest
from generation_helpers import make_window, ready_window, run_job
from test_first_hour_files import ScriptedDialogs

from core.lyrics.zh.align import phrase_lengths
from core.lyrics.zh.model import bundled_zh_dir
from core.metrics.lyrics_zh import han_count, rhyme_adherence
from core.model.song import Note, Song, Track
from desktop.panels.lyric_editor import COL_SYL, COL_TEXT

pytestmark = pytest.mark.skipif(
    not (bundled_zh_dir() / "model.safetensors").is_file(),
    reason="the bundled Chinese lyrics model is not installed")


def phrase_song(lengths) -> Song:
    """A melody of one phrase per length (a rest between phrases), one note per character."""
    notes, at, starts = [], 0, []
    for n in lengths:
        starts.append(at)
        notes += [Note(at + i * 360, 360, 60 + (i % 5), 90) for i in range(n)]
        at += n * 360 + 1440
    # the phrases as the songwriter marked them (detection would join a 2-note phrase)
    return Song(title="试唱", tracks=[Track("人声", role="melody", notes=notes)],
                phrase_starts=starts)




def choose_chinese(panel, pattern: str = "", theme: str = "秋月", seed: int = 3) -> None:
    zh = panel.zh_options
    zh.language.setCurrentIndex(zh.language.findData("zh"))
    zh.pattern.setEditText(pattern) if pattern else zh.pattern.setCurrentIndex(0)
    panel.theme.setText(theme)
    panel.lyric_seed.spin.setValue(seed)
    panel.lyric_seed.lock.setChecked(True)


def click_generate(qtbot, window, timeout_ms: int = 180000) -> tuple:
    c = window.generation
    with qtbot.waitSignal(c.job_finished, timeout=timeout_ms) as blocker:
        c.panel.generate_lyrics_button.click()
        assert c.job is not None, c.panel.status.text()
    return tuple(blocker.args)


def verse(window) -> list[str]:
    return [ln.text for ln in window.song.lyrics.lines()]


def sung_on_notes(window) -> list[list[tuple[int, str]]]:
    """Per line, (tick, syllable) as the piano roll draws them."""
    return [[(s.tick, s.text) for s in ln.syllables] for ln in window.song.lyrics.lines()]


def test_a_tune_pattern_writes_its_lines_one_character_per_note(qtbot):
    from core.lyrics.zh.song_lyrics import pattern_book

    pattern = pattern_book().get("如梦令")
    lengths = [p.length for p in pattern.plans]
    song = phrase_song(lengths)
    assert phrase_lengths(song) == lengths  # (the set-up: one phrase per pattern line)
    window = ready_window(qtbot, song)
    panel = window.generation.panel
    choose_chinese(panel, "如梦令")
    # English-only rows give way to the Chinese ones.
    assert not panel.syllables.isVisibleTo(panel) and not panel.rhyme.isVisibleTo(panel)
    assert not panel.diction.isVisibleTo(panel)
    assert panel.zh_options.pattern.isVisibleTo(panel)
    assert panel.zh_options.tones.isEnabled()
    assert click_generate(qtbot, window) == ("Write lyrics", True)
    lines = verse(window)
    assert [han_count(x) for x in lines] == lengths == [len(x) for x in lines]
    assert rhyme_adherence(lines, [p.rhyme for p in pattern.plans]) == 1.0
    # The lyric editor counts characters; the roll has one character on each note.
    editor = window.generation.editor
    items = editor.line_items()
    assert [it.text(COL_TEXT) for it in items] == lines
    assert [it.text(COL_SYL).split(" / ")[:1] for it in items] == [[str(n)] for n in lengths]
    notes = [n.start for n in song.melody_track().notes]
    sung = [pair for line in sung_on_notes(window) for pair in line]
    assert [t for t, _ in sung] == notes
    assert "".join(ch for _, ch in sung) == "".join(lines)
    assert "如梦令" in panel.history_list.item(panel.history_list.count() - 1).text()
    # The same seed writes the same lines.
    window.generation.edit_lyrics([("verse", [])], "Clear")
    assert click_generate(qtbot, window) == ("Write lyrics", True)
    assert verse(window) == lines


def test_from_the_melody_lock_a_line_rewrite_another_and_score(qtbot):
    from core.lyrics.zh.rhyme import rhyme_group

    song = phrase_song([6, 6])
    window = ready_window(qtbot, song)
    c = window.generation
    panel = c.panel
    choose_chinese(panel)  # the default pattern: from the melody
    assert not panel.zh_options.tones.isEnabled()  # 平仄 need a pattern
    assert click_generate(qtbot, window) == ("Write lyrics", True)
    first = verse(window)
    assert [han_count(x) for x in first] == [6, 6]
    assert [len(line) for line in sung_on_notes(window)] == [6, 6]
    assert all(len(ch) == 1 for line in sung_on_notes(window) for _, ch in line)
    # The first line locked, a new seed: it stays, the second is written again to rhyme.
    c.editor.select_line(0)
    c.editor.lock_button.click()
    choose_chinese(panel, seed=11)
    assert click_generate(qtbot, window) == ("Write lyrics", True)
    again = verse(window)
    assert again[0] == first[0] and han_count(again[1]) == 6
    assert rhyme_group(again[1][-1]) == rhyme_group(again[0][-1])
    # Rewrite the second line: versions of 6 characters rhyming with the first.
    name, delivered = run_job(qtbot, c, lambda: c.regenerate_line(1), timeout_ms=180000)
    assert delivered, panel.status.text()
    choices = [a.text() for a in c.editor.choices_menu.actions()]
    assert choices and again[1] not in choices
    assert all(han_count(x) == 6 and rhyme_group(x[-1]) == rhyme_group(again[0][-1])
               for x in choices)
    # The Chinese scores: line lengths and rhyme by pinyin final.
    with qtbot.waitSignal(c.scoring_finished, timeout=60000):
        c.score(music=False)
    scores = c.scores
    assert scores.shown_text("Line-length fit") == "100 %"
    assert scores.shown_text("Rhyme adherence") == "100 %"
    assert scores.shown_text("Longest shared characters, characters") is not None


def test_the_chinese_choice_is_saved_with_the_project(qtbot, tmp_path):
    window = make_window(qtbot)
    panel = window.generation.panel
    choose_chinese(panel, "浣溪沙", theme="春江", seed=42)
    panel.zh_options.zh_rhyme.setChecked(False)
    panel.zh_options.tones.setChecked(True)
    path = tmp_path / "zh.songloom"
    window.files.dialogs = ScriptedDialogs({"Save song as": str(path)})
    assert window.files.save_as()

    again = make_window(qtbot)
    assert again.generation.panel.zh_options.value() == "en"  # a fresh window
    assert again.files.open_path(path, ask=False)
    p = again.generation.panel.lyric_params(roll_seed=False)
    assert (p.language, p.pattern, p.zh_rhyme, p.tones, p.theme, p.seed) == (
        "zh", "浣溪沙", False, True, "春江", 42)
    assert not again.generation.panel.syllables.isVisibleTo(again.generation.panel)


def test_an_unknown_pattern_is_named_with_close_ones_and_nothing_runs(qtbot):
    window = make_window(qtbot, phrase_song([7, 7]))
    panel = window.generation.panel
    choose_chinese(panel, "浣溪")
    panel.generate_lyrics_button.click()
    assert window.generation.job is None
    status = panel.status.text()
    assert "浣溪" in status and "浣溪沙" in status


def test_a_melody_phrase_longer_than_any_line_is_said_in_the_panel(qtbot):
    window = make_window(qtbot, phrase_song([24]))
    panel = window.generation.panel
    choose_chinese(panel)
    assert click_generate(qtbot, window, timeout_ms=60000) == ("Write lyrics", False)
    status = panel.status.text()
    assert "24 notes" in status and "Traceback" not in status and "failed" not in status
    assert verse(window) == []


def test_english_lyrics_are_asked_for_as_before(qtbot):
    from core.model.requests import LyricParams

    window = make_window(qtbot)
    panel = window.generation.panel
    p = panel.lyric_params(roll_seed=False)
    assert p.language == "en" and panel.syllables.isVisibleTo(panel)
    assert p.describe() == LyricParams(seed=p.seed, theme=p.theme, lines=p.lines).describe()
    zh = panel.zh_options
    zh.language.setCurrentIndex(zh.language.findData("zh"))
    zh.language.setCurrentIndex(zh.language.findData("en"))
    assert panel.rhyme.isVisibleTo(panel) and not zh.pattern.isVisibleTo(panel)


def test_in_chinese_the_chinese_lyric_options_fit_1024x640_and_read_chinese(
        qtbot, tmp_path, chinese):
    """The Chinese rows and scores in the Chinese interface: nothing clipped at 1024x640,
    no sideways scrolling, no English left in the Generate panel."""
    from test_first_hour_layout import assert_docks_fit
    from test_i18n import english_left

    from desktop.diagnostics.screenshot import take_screenshot

    window = make_window(qtbot, phrase_song([6, 6]))
    panel = window.generation.panel
    choose_chinese(panel, "如梦令")
    assert panel.zh_options.language.currentText() == "中文"
    assert panel.zh_options.pattern.itemText(0) == "按旋律"
    window.generation.scores.show_lyrics({
        "lines": 7.0, "length_fit": 1.0, "rhyme_adherence_zh": 1.0, "tone_fit": 0.5,
        "longest_shared_chars": 0.0, "lines_with_run_over_5": 0.0, "copied_whole_lines": 0.0,
        "bleu_zh": 12.5, "chrf": 20.0})
    take_screenshot(window, tmp_path / "zh-lyrics.png", size=(1024, 640))
    assert_docks_fit(window)
    left = english_left(panel)
    assert not left, left
    window.playback.close()
