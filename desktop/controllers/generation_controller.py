"""GenerationController: runs generation and scoring jobs for one main window.

The panels (generate, scores, lyric editor) talk only to it; it runs every job in a
Worker and applies results through ``window.apply_song`` (one undoable command each).
desktop/controllers/integration.py builds it and puts the panels into the window.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from core.model.requests import LyricParams, MusicParams
from core.model.song import Song
from desktop.controllers.history import GenerationHistory, describe
from desktop.controllers.takes import Takes
from desktop.i18n import translate
from desktop.panels.generate_panel import GeneratePanel
from desktop.panels.lyric_editor import LyricEditor
from desktop.panels.scores_panel import ScoresPanel
from desktop.runtime.workers import Worker, hold_background_work

if TYPE_CHECKING:
    from desktop.runtime.generation_jobs import LyricsResult


JOB_NAMES = (  # (shown while they run; translated in _start)
    QT_TRANSLATE_NOOP("Generate", "Generate music"),
    QT_TRANSLATE_NOOP("Generate", "Follow the chords"),
    QT_TRANSLATE_NOOP("Generate", "Continue"), QT_TRANSLATE_NOOP("Generate", "Write lyrics"),
    QT_TRANSLATE_NOOP("Generate", "Rewrite line"), QT_TRANSLATE_NOOP("Generate", "Scoring"),
    QT_TRANSLATE_NOOP("Generate", "Scoring lyrics"),
    QT_TRANSLATE_NOOP("Generate", "Sound distance"),
)


def _jobs():
    """desktop.runtime.generation_jobs, imported on first use: not on the start-up path."""
    return importlib.import_module("desktop.runtime.generation_jobs")


def _compute_preference() -> str:
    try:
        from desktop.settings import load_settings

        return load_settings().compute_device or "auto"
    except Exception:  # noqa: BLE001 - settings are optional here
        return "auto"


class GenerationController(QObject):
    """Runs generation and scoring jobs for one window; panels talk only to it."""

    job_finished = Signal(str, bool)  # job name, delivered a result
    scores_updated = Signal(str)  # "music", "lyrics" or "audio"
    ready = Signal(str)  # warm-up done: the compute device
    scoring_finished = Signal(bool)  # all requested scores shown (False: an error)

    def __init__(self, window, panel: GeneratePanel, scores: ScoresPanel,
                 editor: LyricEditor, auto_score: bool = True):
        super().__init__(window)
        self.window, self.panel, self.scores, self.editor = window, panel, scores, editor
        self.history = GenerationHistory()
        self.takes = Takes(self)
        self.job: Worker | None = None
        self.score_job: Worker | None = None
        self.warmup_job: Worker | None = None
        self.sound_warmup_job: Worker | None = None
        self.device: str | None = None
        self.preference = _compute_preference()
        self.auto_score = auto_score
        self.last_lyric_params = LyricParams()
        self.lyric_reference_lines: list[str] | None = None
        self.last_error = ""
        panel.music_requested.connect(self.generate_music)
        panel.regenerate_track_requested.connect(self.regenerate_track)
        panel.continue_requested.connect(self.continue_song)
        panel.lyrics_requested.connect(self.generate_lyrics)
        panel.cancel_requested.connect(self.cancel)
        panel.variation_auditioned.connect(self.audition_variation)
        panel.variation_kept.connect(self.keep_variation)
        panel.variation_list.currentRowChanged.connect(self.takes.selected)
        panel.history_restore_requested.connect(self.restore)
        editor.edit_requested.connect(self.edit_lyrics)
        editor.regenerate_line_requested.connect(self.regenerate_line)
        editor.continue_requested.connect(self.continue_lyrics)
        panel.theme.textChanged.connect(lambda text: setattr(editor, "theme", text.strip()))
        editor.phrases_requested.connect(self.set_phrases)
        roll = getattr(window, "editor", None)  # the piano roll: its chord lane's offer
        if roll is not None and hasattr(roll, "follow_chords_requested"):
            roll.follow_chords_requested.connect(self.follow_chords)
        scores.score_requested.connect(self.score)
        scores.lyric_reference_chosen.connect(self.set_lyric_reference)
        scores.mcd_requested.connect(self.measure_mcd)
        window.song_changed.connect(self._song_changed)
        playback = getattr(window, "playback", None)
        if playback is not None:  # background warm-ups pause while the song plays
            hold = f"playback {id(playback)}"
            playback.state_changed.connect(lambda playing: hold_background_work(hold, playing))
            playback.destroyed.connect(lambda *_: hold_background_work(hold, False))
        self._followed_key: tuple | None = None
        self._changes = 0  # song changes seen: tells whether a job's snapshot is still current
        self._lyrics_from_change = -1
        self._song_changed()  # the panel starts in the open song's key
        self.lyrics_folder_changed(self._settings_lyrics_dir())

    # -- helpers -----------------------------------------------------------------------
    @property
    def song(self) -> Song:
        return self.window.song

    @property
    def variations(self) -> list[Song]:
        return self.takes.songs

    @property
    def take_numbers(self) -> list[int]:
        return self.takes.numbers

    def _music_model_dir(self) -> str:
        """Settings > Music model folder ("" = the bundled model)."""
        settings = getattr(self.window, "settings", None)
        return getattr(settings, "music_model_dir", "") or ""

    def _settings_lyrics_dir(self) -> str:
        """Settings > Lyrics model folder ("" = the bundled model)."""
        settings = getattr(self.window, "settings", None)
        return getattr(settings, "lyrics_model_dir", "") or ""

    def lyrics_folder_changed(self, folder: str) -> None:
        """The Settings dialog's lyrics-model folder becomes the Generate panel's model (the
        one lyrics are written with until the songwriter picks another there)."""
        import os

        if folder and os.path.isdir(folder):
            self.panel.add_model_folder(folder)
        elif not folder:
            self.panel.model_choice.setCurrentIndex(0)  # the bundled model

    def _status(self, text: str, ms: int = 6000) -> None:
        bar = getattr(self.window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, ms)

    def _start(self, fn: Callable, *args, name: str, on_result: Callable,
               use_device: bool = True, label: str = "", **kwargs) -> Worker | None:
        """``name``: the job's name (English: its thread, job_finished); ``label``: what
        the panel shows (default: ``name`` translated)."""
        label = label or translate("Generate", name)
        if self.job is not None and self.job.is_running:
            self._status(translate(
                "Generate", "A generation is already running: wait or press Cancel"))
            return None
        if use_device:
            kwargs["device"] = self.device or self.preference
        worker = Worker(fn, *args, name=name, parent=self, **kwargs)
        worker.progress.connect(self.panel.set_progress)
        worker.notice.connect(self._notice)
        worker.error.connect(self._error)

        def delivered(value) -> None:
            on_result(value)
            self.job_finished.emit(name, True)

        worker.result.connect(delivered)
        worker.finished.connect(lambda: self._job_ended(worker))
        self.job = worker
        self.panel.set_busy(f"{label}…")
        self._label = label
        return worker.start()

    def _job_ended(self, worker: Worker) -> None:
        if worker is not self.job:
            return
        if worker.was_cancelled:
            self.panel.set_idle(translate("Generate", "Cancelled — the song is unchanged"))
            self.job_finished.emit(worker.name, False)
        elif worker.state == "done":
            self.panel.set_idle(self.panel.status.text() if worker.fell_back_to_cpu
                                else translate("Generate", "{job}: done").format(
                                    job=getattr(self, "_label", worker.name)))
        else:
            self.panel.set_idle(self.panel.status.text())
            self.job_finished.emit(worker.name, False)

    def _notice(self, text: str) -> None:
        # After a GPU out-of-memory error the session stays on the CPU (retrying the GPU
        # for every job would fail the same way); Settings or a restart brings it back.
        self.device = "cpu"
        self._status(text, 15000)
        self.panel.status.setText(text)
        self._show_device(translate("Generate", "the GPU ran out of memory"))

    def _error(self, text: str) -> None:
        self.last_error = text
        self.panel.status.setText(text)
        self._status(text, 15000)
        if QApplication.platformName() not in ("offscreen", "minimal"):
            box = QMessageBox(QMessageBox.Icon.Warning, "Songloom", text,
                              QMessageBox.StandardButton.Ok, self.window)
            box.open()  # not exec(): a message never blocks generation or playback

    def cancel(self) -> None:
        if self.job is not None and self.job.is_running:
            self.job.cancel()

    def _show_device(self, why: str = "") -> None:
        label = getattr(self.window, "device_label", None)
        names = {"cuda": "GPU (CUDA)", "mps": "GPU (Apple MPS)", "cpu": "CPU"}
        device = self.device or self.preference
        text = translate("Main", "Compute: {device}").format(device=names.get(device, device)) \
            + (f" ({why})" if why else "")
        if label is not None and hasattr(label, "setText"):
            label.setText(text)
        else:
            self._status(text, 8000)

    # -- warm-up -------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Import torch & co. and load the lyric dictionary in the background."""
        if self.warmup_job is not None:
            return
        worker = Worker(_jobs().warm_up, preference=self.preference, name="Warm-up", parent=self)
        worker.result.connect(self._warmed_up)
        worker.error.connect(self._warm_up_failed)
        self.warmup_job = worker.start()

    def _warmed_up(self, device: str) -> None:
        self.device = device
        self.window.compute_device = device  # the one detection (the status bar reads it)
        self._show_device()
        self._refresh_editor()
        self._show_phrases()
        self.ready.emit(device)
        models = Worker(_jobs().find_lyrics_models, [self._settings_lyrics_dir()],
                        name="Find lyrics models", parent=self, background=True)
        models.result.connect(self.panel.set_lyrics_models)
        self.models_job = models.start()
        if self.sound_warmup_job is None:  # quietly: only to make the first MCD fast
            self.sound_warmup_job = Worker(_jobs().warm_up_sound_metrics, name="Warm-up sound",
                                           parent=self, background=True).start()

    def _warm_up_failed(self, text: str) -> None:
        # Jobs will say what is missing when asked; the window must stay usable.
        self._status(translate("Generate", "Models unavailable: {text}").format(text=text), 15000)
        self._warmed_up("cpu")

    def _refresh_editor(self) -> None:
        try:
            self.editor.set_song(self.song)
        except Exception as exc:  # noqa: BLE001 - e.g. the lyric libraries missing
            self.editor.summary.setText(translate(
                "Generate", "Lyric tools unavailable: {exc}").format(exc=exc))

    # -- music ---------------------------------------------------------------------------
    def generate_music(self, params: MusicParams) -> Worker | None:
        old = copy.deepcopy(self.song)
        return self._start(_jobs().generate_music, params, old, name="Generate music",
                           model_dir=self._music_model_dir(),
                           on_result=lambda songs: self._music_done(params, songs))

    def _music_done(self, params: MusicParams, songs: list[Song]) -> None:
        numbers = []
        for i, song in enumerate(songs):
            entry = self.history.add("music" if len(songs) == 1 else "variation", params, song,
                                     describe(params)
                                     + (translate("Generate", ", take {n}/{count}").format(
                                         n=i + 1, count=len(songs)) if len(songs) > 1 else ""))
            numbers.append(entry.number)
        self._refresh_history()
        self.takes.set(songs, numbers)
        # (no copy here: the undo command takes its own)
        self.window.apply_song(songs[0], translate(
            "Generate", "Generate music (seed {seed})").format(seed=params.seed))
        self.takes.mark_applied(0)
        self._after_generation()

    def audition_variation(self, index: int) -> None:
        """Play take ``index`` without changing the song (through the transport, so the
        playhead moves); while it plays, picking another take switches to it at the same
        position: an A/B comparison."""
        if not 0 <= index < len(self.variations):
            return
        playback = getattr(self.window, "playback", None)
        if playback is None or not playback.can_play:
            self._status(translate(
                "Generate", "No sound output here: the selected take is drawn over the song in "
                "the piano roll instead"))
            self.takes.preview(index)
            return
        playback.stop()
        playback.seek(0)
        playback.load(self.variations[index])
        playback.play()
        self.takes.auditioning = True
        self._status(translate(
            "Generate", "Listening to take {n} (the song is unchanged until you keep it)").format(
                n=index + 1))

    def keep_variation(self, index: int) -> None:
        if self.takes.keep(index):
            self._after_generation()

    def regenerate_track(self, role: str, params: MusicParams) -> Worker | None:
        # Drums can be added to any song with bars; the other parts only rewritten.
        if role == "drums" and self.song.end_tick() == 0:
            self.panel.status.setText(translate(
                "Generate", "Nothing to drum to yet: generate some music first"))
            return None
        if role != "drums" and self.song.track_by_role(role) is None:
            self.panel.status.setText(translate(
                "Generate", "This song has no {role} track to regenerate").format(
                role=translate("Generate", role)))
            return None
        return self._start(_jobs().regenerate_track, copy.deepcopy(self.song), role, params,
                           name=f"Regenerate {role}", model_dir=self._music_model_dir(),
                           label=translate("Generate", "Regenerate {role}").format(
                               role=translate("Generate", role)),
                           on_result=lambda s: self._song_done(
                               "regenerate", params, self._with_track_from(s, role),
                               translate("Generate", "Regenerate {role} (seed {seed})").format(
                                   role=translate("Generate", role), seed=params.seed)))

    def _with_track_from(self, result: Song, role: str) -> Song:
        """The current song with ``role``'s track taken from ``result``: edits made to the
        other tracks while the job ran are kept."""
        new_track = result.track_by_role(role)
        song = copy.deepcopy(self.song)
        old = song.track_by_role(role)
        if role == "drums" and old is None:  # a MIDI file's kit may carry another role
            old = next((t for t in song.tracks if t.is_drum), None)
        if new_track is not None and old is None and role == "drums":  # drums added
            song.tracks.append(copy.deepcopy(new_track))
            return song
        if new_track is None or old is None:
            return result
        song.tracks[song.tracks.index(old)] = copy.deepcopy(new_track)
        return song

    def follow_chords(self, roles: tuple) -> Worker | None:
        """After a chord edit: ``roles`` (harmony, bass) written again over the song's
        chords in one job and one undo step; the melody and every other track are kept."""
        params = self.panel.music_params()
        return self._start(_jobs().regenerate_tracks, copy.deepcopy(self.song), tuple(roles),
                           params, name="Follow the chords", model_dir=self._music_model_dir(),
                           on_result=lambda s: self._song_done(
                               "regenerate", params, self._with_tracks_from(s, roles),
                               translate(
                                   "Generate", "Regenerate {roles} to follow the chords").format(
                                   roles=translate("Generate", " and ").join(
                                       translate("Generate", r) for r in roles))))

    def _with_tracks_from(self, result: Song, roles) -> Song:
        song = copy.deepcopy(self.song)
        for role in roles:
            new, old = result.track_by_role(role), song.track_by_role(role)
            if new is not None and old is not None:
                song.tracks[song.tracks.index(old)] = copy.deepcopy(new)
        return song

    def continue_song(self, params: MusicParams) -> Worker | None:
        if self.song.end_tick() == 0:
            self.panel.status.setText(translate(
                "Generate", "Nothing to continue yet: generate some music first"))
            return None
        return self._start(_jobs().continue_song, copy.deepcopy(self.song), params,
                           name="Continue", model_dir=self._music_model_dir(),
                           on_result=lambda s: self._song_done(
                               "continue", params, s, translate(
                                   "Generate", "Continue {bars} bars").format(bars=params.bars)))

    def _song_done(self, kind: str, params, song: Song, text: str) -> None:
        self.history.add(kind, params, song, text)
        self._refresh_history()
        self.window.apply_song(song, text)
        self._after_generation()

    # -- lyrics --------------------------------------------------------------------------
    def generate_lyrics(self, params: LyricParams,
                        locked: dict[int, str] | None = None) -> Worker | None:
        """Write the verse; the editor's locked lines (or ``locked``) are kept as they are."""
        self.last_lyric_params = params
        self.editor.theme = params.theme
        self._lyrics_from_change = self._changes
        if locked is None:
            locked = self._verse_locks(self.editor.locked_lines())
        return self._start(_jobs().write_lyrics, copy.deepcopy(self.song), params,
                           name="Write lyrics", locked=locked,
                           on_result=lambda r: self._lyrics_done(params, r))

    def _verse_lines(self) -> tuple[int, list[str]]:
        """(flat index of the verse section's first line, its lines): the section the
        lyrics jobs write."""
        at = 0
        for sec in self.song.lyrics.sections:
            if sec.name == "verse":
                return at, [ln.text for ln in sec.lines]
            at += len(sec.lines)
        return at, []

    def _verse_locks(self, flat: dict[int, str]) -> dict[int, str]:
        start, lines = self._verse_lines()
        return {i - start: t for i, t in flat.items() if 0 <= i - start < len(lines)}

    def continue_lyrics(self) -> Worker | None:
        """Keep the verse's lines so far and write on: up to the panel's line count, or
        four more when the verse already has that many."""
        _, lines = self._verse_lines()
        lines = [t for t in lines if t.strip()]
        params = self.panel.lyric_params()
        if not lines:
            return self.generate_lyrics(params)
        params.lines = params.lines if params.lines > len(lines) else len(lines) + 4
        return self.generate_lyrics(params, locked=dict(enumerate(lines)))

    def _lyrics_done(self, params: LyricParams, result: LyricsResult) -> None:
        if self._changes == self._lyrics_from_change:
            # The song is as the job found it: the worker's alignment is the one (done
            # there: 16 ms for 1,250 melody notes, ~100 ms for 10,000, off the GUI thread).
            song = result.song
        else:
            # Aligned onto the song as it is now: notes edited while the lines were being
            # written are kept, and the syllables sit on the current melody.
            others = [(sec.name, [ln.text for ln in sec.lines])
                      for sec in self.song.lyrics.sections if sec.name != "verse"]
            song = _jobs().align_sections(self.song, [*others, ("verse", list(result.lines))])
        self.history.add("lyrics", params, song, describe(params), lines=result.lines)
        self._refresh_history()
        self._apply_edit(song, translate(
            "Generate", "Write lyrics (seed {seed})").format(seed=params.seed))
        self._after_generation(music=False)
        if result.notes:  # a theme the model cannot write in, a line off its syllables...
            self._status(" · ".join(result.notes), 15000)

    def regenerate_line(self, index: int) -> Worker | None:
        lines = [ln.text for ln in self.song.lyrics.lines()]
        if not 0 <= index < len(lines):
            return None
        seed = self.panel.lyric_seed.roll()
        # The panel's current theme, rhyme scheme, model...: what the user sees is used.
        params = self.panel.lyric_params(roll_seed=False)
        self.editor.theme = params.theme
        return self._start(_jobs().rewrite_line, copy.deepcopy(self.song),
                           params, lines, index, seed,
                           name="Rewrite line",
                           on_result=lambda choices: self.editor.offer_choices(index, choices))

    def edit_lyrics(self, sections, text: str) -> None:
        self._apply_edit(_jobs().align_sections(self.song, sections), text)

    def _apply_edit(self, song: Song, text: str) -> None:
        """Apply an edit of the song's words or phrases (one undo step): the music, and so
        the take it is, stays the same."""
        take = self.takes.in_song()
        self.window.apply_song(song, text)
        self.takes.carry_over(take)

    def set_phrases(self, starts: list[int], text: str) -> None:
        """New phrase boundaries from the lyric editor: the lyrics re-aligned onto them, one
        undo step."""
        song = copy.deepcopy(self.song)
        song.phrase_starts = sorted(set(starts))
        sections = [(s.name, [ln.text for ln in s.lines]) for s in song.lyrics.sections]
        if any(lines for _, lines in sections):
            song = _jobs().align_sections(song, sections)
        self._apply_edit(song, text)

    def load_history(self, entries, take_numbers: list[int]) -> None:
        """A saved session (desktop/controllers/session_state.py): its history and takes."""
        self.history.entries = list(entries)
        self.history._next = max((e.number for e in entries), default=0) + 1
        self._refresh_history()
        by_number = {e.number: e for e in entries}
        takes = [n for n in take_numbers if n in by_number]
        self.takes.set([by_number[n].song for n in takes], takes)
        self.takes.match_song()

    # -- history -------------------------------------------------------------------------
    def _refresh_history(self) -> None:
        self.panel.set_history([(e.number, e.label()) for e in self.history.entries])

    def restore(self, number: int) -> None:
        entry = self.history.get(number)
        self.window.apply_song(self.history.restore(number), translate(
            "Generate", "Bring back #{number}").format(number=number))
        if entry.kind in ("music", "variation"):
            self.panel.set_music_params(MusicParams(**entry.params))
        self._after_generation()

    # -- scores --------------------------------------------------------------------------
    def _after_generation(self, music: bool = True) -> None:
        if self.auto_score:
            self.score(music=music)

    def set_lyric_reference(self, path: str) -> None:
        if not path:
            self.lyric_reference_lines = None
            return
        from core.errors import SongloomError
        from core.lyrics.corpus import read_text_file

        try:  # a regular, bounded, UTF-8 file: a FIFO or /dev/zero must not hang the app
            lines = read_text_file(Path(path)).lines
        except SongloomError as exc:
            self._error(translate(
                "Generate", "cannot read the reference text: {exc}").format(exc=exc))
            return
        self.lyric_reference_lines = lines
        self.score(music=False)

    def score(self, music: bool = True) -> Worker | None:
        """Compute the music scores (and then the lyric scores) in a worker."""
        if self.score_job is not None and self.score_job.is_running:
            self.score_job.cancel()  # the song changed: the old numbers are stale
        song = copy.deepcopy(self.song)
        lines = [ln.text for ln in song.lyrics.lines() if ln.text.strip()]
        self.scores.set_busy(True)
        self.scores.set_status(translate("Generate", "Scoring…"))
        if music and song.end_tick() > 0:
            worker = Worker(_jobs().music_scores, song, name="Scoring", parent=self)
            worker.result.connect(lambda r: self._music_scored(r, song, lines))
        elif lines:
            worker = self._lyric_worker(song, lines)
        else:
            self.scores.set_busy(False)
            self.scores.set_status(translate("Generate", "Nothing to score yet"))
            return None
        worker.error.connect(self._score_error)
        self.score_job = worker
        return worker.start()

    def _lyric_worker(self, song: Song, lines: list[str]) -> Worker:
        worker = Worker(_jobs().lyric_scores, lines, self.lyric_reference_lines,
                        self.history.lyric_drafts(), song, self.last_lyric_params.rhyme,
                        name="Scoring lyrics", parent=self, params=self.last_lyric_params)
        worker.result.connect(self._lyrics_scored)
        return worker

    def _music_scored(self, result: dict, song: Song, lines: list[str]) -> None:
        self.scores.show_music(result)
        self.scores_updated.emit("music")
        if lines:
            worker = self._lyric_worker(song, lines)
            worker.error.connect(self._score_error)
            self.score_job = worker.start()
        else:
            self._scored()

    def _lyrics_scored(self, scores: dict) -> None:
        self.scores.show_lyrics(scores)
        self.scores_updated.emit("lyrics")
        self._scored()

    def _scored(self) -> None:
        self.scores.set_busy(False)
        self.scores.set_status(translate("Generate", "Scores are up to date"))
        self.scoring_finished.emit(True)

    def _score_error(self, text: str) -> None:
        self.scores.set_busy(False)
        self.scores.set_status(text)
        self.scoring_finished.emit(False)

    def measure_mcd(self, path: str) -> Worker | None:
        song = copy.deepcopy(self.song)
        if song.end_tick() == 0:
            self.scores.set_status(translate(
                "Generate", "The song is empty: nothing to compare yet"))
            return None
        self.scores.set_busy(True)
        self.scores.set_status(translate("Generate", "Rendering and comparing the sound…"))
        soundfont = None
        try:
            from desktop.settings import load_settings

            soundfont = load_settings().soundfont or None
        except Exception:  # noqa: BLE001 - the bundled SoundFont is the default
            soundfont = None
        worker = Worker(_jobs().audio_distance, song, path, soundfont, name="Sound distance",
                        parent=self)
        worker.result.connect(self._mcd_done)
        worker.error.connect(self._score_error)
        self.score_job = worker
        return worker.start()

    def _mcd_done(self, value: float) -> None:
        self.scores.show_mcd(value)
        self.scores_updated.emit("audio")
        self._scored()

    # -- the song changed (edits, undo, open) ---------------------------------------------
    def _song_changed(self, *args) -> None:
        self._changes += 1
        self.takes.auditioning = False  # the transport plays the song again from now on
        self.takes.sync()
        song = self.song
        # Follow the song's key only when it changes (open, new, transport key change),
        # so a key the user picked in the panel survives ordinary note edits.
        song_key = (song.key, song.mode, song.tempo) if song is not None else None
        if song_key is not None and song_key != self._followed_key:
            self._followed_key = song_key
            self.panel.follow_song_key(*song_key)
        self._show_phrases()  # (phrases need no dictionary: shown from the start)
        if self.device is not None:  # before the warm-up, the CMU dictionary is not loaded
            self._refresh_editor()

    def _show_phrases(self) -> None:
        try:
            from core.lyrics.syllables import melody_syllable_targets

            self.panel.set_melody_phrases(len(melody_syllable_targets(self.song)))
        except Exception:  # noqa: BLE001 - only a hint
            pass
