"""What the GUI thread does after a result stays small: lyric lines written for an
unchanged song arrive aligned by the worker; edits made meanwhile still win."""

from __future__ import annotations

import copy
import threading

from generation_helpers import make_window, needs_lyrics_model, run_job

from desktop.controllers.history import LyricParams, MusicParams
from desktop.runtime import generation_jobs


def _record_alignment_threads(monkeypatch) -> list[int]:
    threads: list[int] = []
    real = generation_jobs.align_sections

    def recording(song, sections):
        threads.append(threading.get_ident())
        return real(song, sections)

    monkeypatch.setattr(generation_jobs, "align_sections", recording)
    return threads


@needs_lyrics_model
def test_lyrics_for_an_unchanged_song_are_aligned_off_the_gui_thread(qtbot, monkeypatch):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=3)))
    threads = _record_alignment_threads(monkeypatch)
    name, ok = run_job(qtbot, c, lambda: c.generate_lyrics(LyricParams(lines=2, seed=4)))
    assert ok
    assert threads and threading.get_ident() not in threads  # only in the worker
    assert [s for s in window.song.lyrics.syllables() if s.tick is not None]


@needs_lyrics_model
def test_lyrics_realign_on_the_gui_thread_when_notes_changed_meanwhile(qtbot, monkeypatch):
    from core.model.song import Note

    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=3)))
    threads = _record_alignment_threads(monkeypatch)
    with qtbot.waitSignal(c.job_finished, timeout=60000):
        c.generate_lyrics(LyricParams(lines=2, seed=4))
        edited = copy.deepcopy(window.song)  # the user moves the first melody note
        melody = edited.track_by_role("melody")
        first = min(melody.notes, key=lambda n: n.start)
        melody.notes.remove(first)
        melody.notes.append(Note(first.start + 120, first.duration, first.pitch))
        window.apply_song(edited, "Move note")
    assert threading.get_ident() in threads  # aligned again, onto the edited melody
    melody = window.song.track_by_role("melody")
    assert Note(first.start + 120, first.duration, first.pitch) in melody.notes
    onsets = {n.start for n in melody.notes}
    ticks = [s.tick for s in window.song.lyrics.syllables() if s.tick is not None]
    assert ticks and set(ticks) <= onsets


def test_the_applied_take_is_a_copy_made_once_by_the_undo_command(qtbot):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=2, seed=5, variations=2)))
    take = c.variations[0]
    assert window.song == take and window.song is not take
    before = copy.deepcopy(take)
    window.song.tracks[0].notes[0].pitch += 1  # an edit in place leaves the take alone
    assert take == before
    c.keep_variation(1)
    assert window.song == c.variations[1] and window.song is not c.variations[1]
