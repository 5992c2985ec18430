"""File actions: New, Open, Save, Save As, Import/Export, recent files, autosave and
crash recovery, the unsaved-changes prompt. All reading and writing goes through core
(project_file, midi_io, audio.render); this module only asks the user and reports.

Dialogs go through ``Dialogs`` so tests replace them and never block on a modal box.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal

from core.errors import SongloomError
from core.model.song import Song
from desktop.i18n import translate

PROJECT_FILTER = QT_TRANSLATE_NOOP("Files", "Songloom project (*.songloom)")
OPEN_FILTER = QT_TRANSLATE_NOOP(
    "Files", "Songs (*.songloom *.mid *.midi *.kar);;Songloom project (*.songloom);;"
    "MIDI / karaoke (*.mid *.midi *.kar)")
MIDI_SUFFIXES = (".mid", ".midi", ".kar")


def load_any(path: str | Path) -> Song:
    """A .songloom project or a MIDI/KAR file, through core; SongloomError on bad input."""
    return load_any_document(path)[0]


def load_any_document(path: str | Path) -> tuple[Song, dict]:
    """(song, the project document's other blocks; {} for MIDI). The song's melody
    phrases are fixed here, once, when it has none stored yet (older files, MIDI)."""
    from core.model.phrases import fix_phrases

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".songloom":
        from core.io.project_file import load_project_document

        song, doc = load_project_document(path)
        return fix_phrases(song), doc
    if suffix in MIDI_SUFFIXES:
        from core.io.midi_io import read_midi

        song = read_midi(path)
        if not song.title or song.title == "Untitled":
            song.title = path.stem
        return fix_phrases(song), {}
    raise SongloomError("not a song file (open .songloom, .mid, .midi or .kar)", path)


def blank_song() -> Song:
    """What File > New gives: one empty melody track, so the first click draws a note."""
    from core.model.song import Track

    return Song(tracks=[Track(translate("Files", "Melody"), role="melody", program=0, channel=0)])


def _session_key() -> str:
    # os.urandom, not uuid: importing uuid (platform, ctypes probing) costs start-up time.
    return f"unsaved-{os.urandom(5).hex()}"


class Dialogs:
    """The modal questions the file actions ask; tests substitute a scripted object.

    The dialog classes are imported when a question is asked, not at start-up."""

    def __init__(self, parent):
        self.parent = parent

    def warn(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self.parent, title, text)

    def ask_save_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self.parent, translate("Files", "Unsaved changes"),
            translate("Files", "Save the changes to “{name}” before closing it?").format(
                name=name),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(answer, "cancel")

    def open_name(self, title: str, folder: str, filters: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getOpenFileName(self.parent, title, folder, filters)[0]

    def save_name(self, title: str, suggested: str, filters: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getSaveFileName(self.parent, title, suggested, filters)[0]

    def choose_recovery(self, entries) -> object | None:
        """The autosave to restore after a crash, or None to discard them all."""
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        labels = [
            f"{e.title} — {time.strftime('%Y-%m-%d %H:%M', time.localtime(e.saved_at))}"
            + (f" ({Path(e.source_path).name})" if e.source_path
               else translate("Files", " (never saved)"))
            for e in entries
        ]
        box = QMessageBox(
            QMessageBox.Question, translate("Files", "Recover unsaved work"),
            translate("Files", "Songloom did not close properly last time. Recover your "
                      "unsaved work?") + "\n\n" + "\n".join(labels[:5]), parent=self.parent)
        recover = box.addButton(translate("Files", "Recover"), QMessageBox.AcceptRole)
        box.addButton(translate("Files", "Discard"), QMessageBox.DestructiveRole)
        box.exec()
        if box.clickedButton() is not recover:
            return None
        if len(entries) == 1:
            return entries[0]
        label, ok = QInputDialog.getItem(self.parent, translate(
            "Files", "Recover"), translate("Files", "Which song?"), labels, 0, False)
        return entries[labels.index(label)] if ok else None


class FileController(QObject):
    """Owns the document's file identity, recent files and the autosave timer."""

    recent_changed = Signal()
    status = Signal(str)

    def __init__(self, window, doc, settings, save_settings=None):
        super().__init__(window)
        self.window = window
        self.doc = doc
        self.settings = settings
        self._save_settings = save_settings or (lambda s: None)
        self.dialogs = Dialogs(window)
        # Identifies this document's autosave; a saved file uses its own path instead.
        self.session_key = _session_key()
        self.last_autosave: Path | None = None
        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.set_autosave_interval(settings.autosave_interval_s)
        doc.undo_stack.cleanChanged.connect(self._clean_changed)

    # -- helpers ------------------------------------------------------------------------------
    @property
    def autosave_key(self) -> str:
        return self.doc.path or self.session_key

    def display_name(self) -> str:
        if self.doc.path:
            return Path(self.doc.path).name
        return self.doc.song.title or translate("Files", "Untitled")

    def _folder(self, dialog: str = "open") -> str:
        """Where the ``dialog`` (open, import, export, save) starts: the folder it was last
        used in, else home. Never the folder of the song last opened: that can be
        read-only (an examples folder, a mounted share), and exports sent there failed."""
        remembered = getattr(self.settings, f"{dialog}_folder", "")
        if remembered and Path(remembered).is_dir():
            return remembered
        return str(Path.home())

    def _used_folder(self, dialog: str, path: str | Path) -> None:
        setattr(self.settings, f"{dialog}_folder", str(Path(path).resolve().parent))
        self._save_settings(self.settings)

    def _remember(self, path: str) -> None:
        from desktop.settings import add_recent

        add_recent(self.settings, str(Path(path).resolve()))
        self._save_settings(self.settings)
        self.recent_changed.emit()

    def set_autosave_interval(self, seconds: int) -> None:
        self.autosave_timer.setInterval(max(10, int(seconds)) * 1000)
        if self.doc.modified:
            self.autosave_timer.start()

    def _clean_changed(self, clean: bool) -> None:
        # Autosave only runs while there is something unsaved (issue: "every 60 s while unsaved").
        if clean:
            self.autosave_timer.stop()
        elif not self.autosave_timer.isActive():
            self.autosave_timer.start()

    # -- prompts ---------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to drop the current song (saved, discarded); False = cancel."""
        if not self.doc.modified:
            return True
        answer = self.dialogs.ask_save_changes(self.display_name())
        if answer == "save":
            return self.save()
        if answer == "discard":
            self._forget_autosave()
            return True
        return False

    def _forget_autosave(self) -> None:
        from core.io.project_file import discard_autosave

        discard_autosave(self.autosave_key)

    # -- actions ----------------------------------------------------------------------------------
    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self._forget_autosave()
        self.session_key = _session_key()
        self.doc.reset(blank_song(), None)
        return True

    def open_dialog(self) -> bool:
        path = self.dialogs.open_name(translate("Files", "Open song"), self._folder("open"),
                                      translate("Files", OPEN_FILTER))
        if not path:
            return False
        self._used_folder("open", path)
        return self.open_path(path)

    def import_dialog(self) -> bool:
        path = self.dialogs.open_name(translate(
            "Files", "Import MIDI or karaoke file"), self._folder("import"),
                                      translate("Files", "MIDI / karaoke (*.mid *.midi *.kar)"))
        if not path:
            return False
        self._used_folder("import", path)
        return self.open_path(path)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        """Open a project, or import a MIDI/KAR file as a new unsaved song.

        A bad file shows a message naming it and why; the open song stays untouched."""
        path = Path(path)
        try:
            song, document = load_any_document(path)
        except SongloomError as exc:
            self.dialogs.warn(translate(
                "Files", "Cannot open file"), translate("Files", "{name} could not be "
                "opened.\n\n{exc}").format(name=path.name, exc=exc))
            return False
        except OSError as exc:
            self.dialogs.warn(translate(
                "Files", "Cannot open file"), f"{path}: {exc.strerror or exc}")
            return False
        if ask and not self.maybe_save():
            return False
        self._forget_autosave()
        is_project = path.suffix.lower() == ".songloom"
        self.session_key = _session_key()
        self.doc.reset(song, str(path.resolve()) if is_project else None)
        self._restore_generation(document.get("generation"))
        self._remember(str(path))
        self.status.emit(translate(
            "Files", "Opened {name}").format(name=path.name) if is_project else
                         translate("Files", "Imported {name}: Save As to keep it as a Songloom "
                                            "project").format(name=path.name))
        return True

    def save(self) -> bool:
        if not self.doc.path:
            return self.save_as()
        return self._save_to(Path(self.doc.path))

    def save_as(self) -> bool:
        # A saved project: Save As starts at its own file; a new song where the last one
        # was saved.
        suggested = self.doc.path or str(Path(self._folder("save")) /
                                         f"{self.doc.song.title or 'Untitled'}.songloom")
        path = self.dialogs.save_name(translate("Files", "Save song as"), suggested,
                                      translate("Files", PROJECT_FILTER))
        if not path:
            return False
        self._used_folder("save", path)
        path = Path(path)
        if path.suffix.lower() != ".songloom":
            path = path.with_name(path.name + ".songloom")
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        from core.io.project_file import save_project

        old_key = self.autosave_key
        try:
            save_project(self._song_to_write(), path, self._generation_block())
        except SongloomError as exc:
            self.dialogs.warn(translate("Files", "Cannot save"), str(exc))
            return False
        except OSError as exc:
            self.dialogs.warn(translate("Files", "Cannot save"), f"{path}: {exc.strerror or exc}")
            return False
        from core.io.project_file import discard_autosave

        discard_autosave(old_key)
        self.doc.path = str(path.resolve())
        self.doc.undo_stack.setClean()
        self._remember(str(path))
        self.status.emit(translate("Files", "Saved {name}").format(name=path.name))
        self.window.update_title()
        return True

    def export_midi(self, kar: bool = False) -> bool:
        from core.io.midi_io import write_midi

        suffix = ".kar" if kar else ".mid"
        suggested = str(Path(self._folder("export")) /
                        f"{self.doc.song.title or 'Untitled'}{suffix}")
        path = self.dialogs.save_name(
            translate("Files", "Export karaoke "
                "file") if kar else translate("Files", "Export MIDI file"), suggested,
            translate("Files", "Karaoke MIDI (*.kar)") if kar else translate("Files", "MIDI file "
                "(*.mid *.midi)"))
        if not path:
            return False
        self._used_folder("export", path)
        path = Path(path)
        if path.suffix.lower() not in (MIDI_SUFFIXES if not kar else (".kar",)):
            path = path.with_name(path.name + suffix)
        try:
            warnings = write_midi(self.doc.song, path)
        except SongloomError as exc:
            self.dialogs.warn(translate("Files", "Cannot export"), str(exc))
            return False
        note = f" ({'; '.join(warnings)})" if warnings else ""
        self.status.emit(translate(
            "Files", "Exported {name}{note}").format(name=path.name, note=note))
        return True

    def export_wav(self) -> bool:
        """Render through FluidSynth in a worker thread; the window stays responsive."""
        suggested = str(Path(self._folder("export")) / f"{self.doc.song.title or 'Untitled'}.wav")
        path = self.dialogs.save_name(translate(
            "Files", "Export audio"), suggested, translate("Files", "WAV audio (*.wav);;FLAC "
                                                                    "(*.flac)"))
        if not path:
            return False
        self._used_folder("export", path)
        path = Path(path)
        if path.suffix.lower() not in (".wav", ".flac"):
            path = path.with_name(path.name + ".wav")
        import copy

        from core.audio.render import render_to_file
        from desktop.runtime.workers import Worker

        song = copy.deepcopy(self.doc.song)  # edits during the render must not race it
        soundfont = self.settings.soundfont or None
        worker = Worker(render_to_file, song, path, soundfont=soundfont, name="Export audio",
                        parent=self)
        worker.progress.connect(lambda f, m: self.status.emit(translate(
            "Files", "Rendering {name}: {f:.0%}").format(
                                                              name=path.name, f=f)))
        worker.result.connect(lambda r: self.status.emit(
            translate("Files", "Exported {name}: {duration_s:.1f} s of audio in {render_s:.1f} "
                "s").format(name=path.name, duration_s=r.duration_s, render_s=r.render_s)))
        worker.error.connect(lambda msg: self.dialogs.warn(translate(
            "Files", "Cannot export audio"), msg))
        self._render_worker = worker
        worker.start()
        return True

    def _song_to_write(self):
        """The song, its melody phrases fixed first if they never were: the file keeps the
        phrases the lyric editor showed (detecting them the same way: nothing changes on
        screen, so this needs no undo step)."""
        from core.model.phrases import fix_phrases

        return fix_phrases(self.doc.song)

    # -- the generation session saved with the project ------------------------------------------
    def _generation_block(self) -> dict | None:
        """The Generate panel's options and the takes, for the project file (None when the
        panels are not built: nothing to save, and building them here would be waste)."""
        generation = getattr(self.window, "generation", None)
        if generation is None or not hasattr(generation, "history"):
            return None
        from desktop.controllers.session_state import generation_state

        return {"generation": generation_state(generation)}

    def _restore_generation(self, block) -> None:
        generation = getattr(self.window, "generation", None)
        if generation is None:
            return
        from desktop.controllers.session_state import restore_generation_state

        problem = restore_generation_state(generation, block)
        if problem:
            self.status.emit(problem)

    # -- autosave and recovery ------------------------------------------------------------------
    def autosave_now(self) -> Path | None:
        if not self.doc.modified:
            return None
        from core.io.project_file import autosave

        try:
            self.last_autosave = autosave(self._song_to_write(), self.autosave_key,
                                          source_path=self.doc.path,
                                          extra=self._generation_block())
        except SongloomError as exc:
            self.status.emit(translate("Files", "Autosave failed: {exc}").format(exc=exc))
            return None
        self.status.emit(translate(
            "Files", "Autosaved at {time}").format(time=time.strftime('%H:%M:%S')))
        return self.last_autosave

    def offer_recovery(self) -> bool:
        """At start-up: restore work a crash left behind (asks first)."""
        from core.io.project_file import discard_autosave, list_recoverable

        entries = list_recoverable()
        if not entries:
            return False
        chosen = self.dialogs.choose_recovery(entries)
        if chosen is None:
            for e in entries:
                discard_autosave(e.key)
            return False
        try:
            song, document = load_any_document(chosen.path)
        except SongloomError as exc:
            self.dialogs.warn(translate("Files", "Cannot recover"), str(exc))
            return False
        from core.model.phrases import fix_phrases

        fix_phrases(song)
        self.doc.reset(song, chosen.source_path)
        # Still unsaved: mark it modified so the title shows * and autosave continues.
        self.doc.undo_stack.resetClean()
        self.session_key = chosen.key if not chosen.source_path else self.session_key
        self._clean_changed(False)
        self._restore_generation(document.get("generation"))  # the takes, as they were
        self.status.emit(translate(
            "Files", "Recovered “{title}”: save it to keep it").format(title=chosen.title))
        for e in entries:
            if e is not chosen:
                discard_autosave(e.key)
        return True

    def on_close(self) -> bool:
        """The window is closing: prompt, then stop autosaving and remove our autosave."""
        if not self.maybe_save():
            return False
        self.autosave_timer.stop()
        self._forget_autosave()
        return True


def build_file_menu(window, menu) -> None:
    """File menu with the standard shortcuts; Open Recent follows the settings."""
    from PySide6.QtGui import QKeySequence

    files: FileController = window.files

    def add(text, slot, shortcut=None):
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    add(translate("Files", "&New"), files.new, QKeySequence.New)
    add(translate("Files", "&Open…"), files.open_dialog, QKeySequence.Open)
    recent = menu.addMenu(translate("Files", "Open &Recent"))

    def fill_recent():
        recent.clear()
        for path in files.settings.recent_files:
            action = recent.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: files.open_path(p))
        recent.setEnabled(bool(files.settings.recent_files))

    files.recent_changed.connect(fill_recent)
    fill_recent()
    menu.addSeparator()
    add(translate("Files", "&Save"), files.save, QKeySequence.Save)
    add(translate("Files", "Save &As…"), files.save_as, QKeySequence.SaveAs)
    menu.addSeparator()
    add(translate("Files", "&Import MIDI / KAR…"), files.import_dialog, "Ctrl+I")
    add(translate("Files", "Export &MIDI…"), lambda: files.export_midi(kar=False), "Ctrl+E")
    add(translate("Files", "Export &KAR (karaoke)…"), lambda: files.export_midi(kar=True))
    add(translate("Files", "Export &WAV…"), files.export_wav, "Ctrl+Shift+E")
    menu.addSeparator()
    add(translate(
        "Files", "Copy Song as MIDI File"), lambda: window.track_list.song_drag.copy_to_clipboard(),
        "Ctrl+Shift+C")
    add(translate(
        "Files", "Show Exports in File Manager"), lambda: window.track_list.song_drag.show_folder())
    menu.addSeparator()
    quit_ = add(translate("Files", "&Quit"), window.close)
    # Ctrl+Q everywhere (Windows has no standard Quit key; Alt+F4 closes the window there).
    quit_.setShortcuts([QKeySequence("Ctrl+Q")] + [k for k in QKeySequence.keyBindings(
        QKeySequence.Quit) if k != QKeySequence("Ctrl+Q")])
