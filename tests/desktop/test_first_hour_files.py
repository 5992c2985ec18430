"""Issue 18, item 10: Open, Import and Export each start in the folder they were last
used in (never a read-only song folder for exports); reopening a project brings back the
generation settings and the takes; unnamed MIDI tracks are named by instrument and
channel."""

from __future__ import annotations

import os

import mido
import pytest
from generation_helpers import make_window, run_job

from core.io.midi_io import write_midi
from core.io.project_file import save_project
from core.model.song import Note, Song, Track


class ScriptedDialogs:
    """The file dialogs' answers, recording the folder each one started in."""

    def __init__(self, answers: dict[str, str]):
        self.answers, self.started_in = answers, {}

    def open_name(self, title, folder, filters):
        self.started_in[title] = folder
        return self.answers.get(title, "")

    def save_name(self, title, suggested, filters):
        self.started_in[title] = os.path.dirname(suggested)
        return self.answers.get(title, "")

    def warn(self, title, text):
        raise AssertionError(f"{title}: {text}")

    def ask_save_changes(self, name):
        return "discard"


def small_song() -> Song:
    return Song(title="Folders", tracks=[Track("M", role="melody",
                                               notes=[Note(i * 480, 480, 60 + i) for i in range(4)])])


def test_each_file_dialog_remembers_its_own_folder(qtbot, tmp_path):
    songs, midis, exports, readonly = (tmp_path / n for n in ("songs", "midis", "exports", "ro"))
    for folder in (songs, midis, exports, readonly):
        folder.mkdir()
    save_project(small_song(), readonly / "shared.songloom")
    write_midi(small_song(), midis / "tune.mid")
    readonly.chmod(0o555)
    try:
        window = make_window(qtbot)
        files = window.files
        home = os.path.expanduser("~")
        dialogs = ScriptedDialogs({
            "Open song": str(readonly / "shared.songloom"),
            "Import MIDI or karaoke file": str(midis / "tune.mid"),
            "Export MIDI file": str(exports / "out.mid"),
        })
        files.dialogs = dialogs
        assert files.open_dialog()
        assert dialogs.started_in["Open song"] == home
        # The song came from a read-only folder: Export does not start there.
        assert files.export_midi()
        assert dialogs.started_in["Export MIDI file"] == home
        assert (exports / "out.mid").is_file()
        assert files.import_dialog()
        assert dialogs.started_in["Import MIDI or karaoke file"] == home
        # Each dialog now starts where it was last used, whatever was opened since.
        files.open_dialog()
        files.import_dialog()
        files.export_midi()
        assert dialogs.started_in["Open song"] == str(readonly)
        assert dialogs.started_in["Import MIDI or karaoke file"] == str(midis)
        assert dialogs.started_in["Export MIDI file"] == str(exports)
        from desktop.settings import load_settings

        saved = load_settings()  # remembered across sessions
        assert (saved.open_folder, saved.import_folder, saved.export_folder) == \
            (str(readonly), str(midis), str(exports))
    finally:
        readonly.chmod(0o755)


def test_reopening_a_project_restores_the_generation_settings_and_takes(qtbot, tmp_path):
    window = make_window(qtbot)
    c = window.generation
    panel = c.panel
    panel.style.setCurrentText("chorale")
    panel.bars.setValue(6)
    panel.variations.setValue(3)
    panel.theme.setText("winter road")
    run_job(qtbot, c, lambda: c.generate_music(panel.music_params()))
    panel.variation_list.setCurrentRow(1)
    panel.keep_button.click()
    takes = [t.tracks[0].notes for t in c.variations]
    history = [e.label() for e in c.history.entries]
    path = tmp_path / "session.songloom"
    window.files.dialogs = ScriptedDialogs({"Save song as": str(path)})
    assert window.files.save_as()

    again = make_window(qtbot)
    assert again.generation.panel.style.currentText() == "lieder"  # a fresh window
    assert again.files.open_path(path, ask=False)
    c2 = again.generation
    p2 = c2.panel
    assert (p2.style.currentText(), p2.bars.value(), p2.variations.value()) == ("chorale", 6, 3)
    assert p2.theme.text() == "winter road"
    assert [e.label() for e in c2.history.entries] == history
    assert [t.tracks[0].notes for t in c2.variations] == takes
    assert p2.variation_list.count() == 3
    assert p2.variation_list.currentRow() == 1  # take 2 is the one in the song
    assert "in the song" in p2.variation_list.item(1).text()
    # A take brought back from the file is kept like a fresh one.
    p2.variation_list.setCurrentRow(2)
    p2.keep_button.click()
    assert again.song.tracks[0].notes == takes[2]
    # A file without a session: the takes of the song before it are gone.
    plain = tmp_path / "plain.songloom"
    save_project(small_song(), plain)
    assert again.files.open_path(plain, ask=False)
    assert p2.variation_list.count() == 0 and len(c2.history) == 0


def test_a_recovered_autosave_brings_back_the_takes(qtbot):
    """A crash after generating three takes: the autosave holds the takes and the options,
    and recovery puts them back in the Generate panel with the song."""
    from core.io.project_file import list_recoverable

    crashed = make_window(qtbot)
    c = crashed.generation
    c.panel.style.setCurrentText("chorale")
    c.panel.variations.setValue(3)
    run_job(qtbot, c, lambda: c.generate_music(c.panel.music_params()))
    takes = [t.tracks[0].notes for t in c.variations]
    assert len(takes) == 3 and crashed.files.autosave_now() is not None
    crashed.files.autosave_timer.stop()  # the crash: never closed, the autosave stays

    class Recover(ScriptedDialogs):
        def choose_recovery(self, entries):
            return entries[0]

    fresh = make_window(qtbot)
    fresh.files.dialogs = Recover({})
    assert fresh.files.offer_recovery()
    p = fresh.generation.panel
    assert p.style.currentText() == "chorale"
    assert [t.tracks[0].notes for t in fresh.generation.variations] == takes
    assert p.variation_list.count() == 3
    assert len(list_recoverable()) == 1  # kept until the song is saved or discarded


def test_a_damaged_session_block_still_opens_the_song(qtbot, tmp_path):
    import json

    path = tmp_path / "odd.songloom"
    save_project(small_song(), path, {"generation": {
        "music": {"bars": "many", "style": "chorale"},
        "history": [{"number": 1, "kind": "music", "song": {"tracks": "x"}}], "takes": [1]}})
    window = make_window(qtbot)
    messages = []
    window.files.status.connect(messages.append)
    assert window.files.open_path(path, ask=False)
    assert window.song.title == "Folders"
    assert window.generation.panel.style.currentText() == "chorale"
    assert window.generation.panel.bars.value() == 8  # "many" was not a number
    assert any("1 history entry" in m for m in messages)
    assert json.loads(path.read_text())["song"]["title"] == "Folders"


def test_a_project_written_by_the_cli_reopens_on_its_own_style_and_form(qtbot, tmp_path):
    """`songloom-cli generate music --style rock -o x.songloom` and then File > Open: the
    Generate panel shows rock and the song's key, tempo and form, not the app's defaults
    (a "generate again" would otherwise turn the rock song into a Lied)."""
    from core.cli import main

    path = tmp_path / "rock.songloom"
    assert main(["generate", "music", "--style", "rock", "--key", "E", "--mode", "minor",
                 "--form", "verse-chorus", "--seed", "4", "--out", str(path)]) == 0
    window = make_window(qtbot)
    assert window.files.open_path(path, ask=False)
    panel = window.generation.panel
    assert panel.style.currentText() == "rock"
    assert (panel.key.currentIndex(), panel.mode.currentText()) == (4, "minor")
    assert panel.music_seed.spin.value() == 4
    assert panel.music_params().form == "verse-chorus"
    assert panel.tempo.value() == round(window.song.tempo)


@pytest.mark.parametrize("programs", [(0, 48), (0, 0)])
def test_unnamed_midi_tracks_are_named_by_instrument_and_channel(qtbot, tmp_path, programs):
    mid = mido.MidiFile(type=1, ticks_per_beat=480)
    for channel, program in enumerate(programs):
        track = mido.MidiTrack([mido.Message("program_change", channel=channel, program=program),
                                mido.Message("note_on", channel=channel, note=60 + channel,
                                             velocity=90),
                                mido.Message("note_off", channel=channel, note=60 + channel,
                                             time=480)])
        mid.tracks.append(track)
    mid.save(tmp_path / "unnamed.mid")
    window = make_window(qtbot)
    assert window.files.open_path(tmp_path / "unnamed.mid", ask=False)
    names = [row.name.text() for row in window.track_list.rows]
    expected = {(0, 48): ["Piano (ch 1)", "Strings (ch 2)"],
                (0, 0): ["Piano (ch 1)", "Piano (ch 2)"]}[programs]
    assert names == expected
