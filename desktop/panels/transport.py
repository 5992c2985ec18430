"""The transport bar and the playback adapter over core.audio.player.Player.

The Player (core) owns the synth and the audio stream; this module only forwards
play/stop/seek/loop and reads the playhead on a timer (DESIGN.md, data flow 3).
Without the player module or without an output device the bar stays usable for
editing and the status bar says why there is no sound.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QToolBar

from core.model.song import TICKS_PER_BEAT, TempoChange, TimeSignature
from core.model.theory import KEY_CHOICE_NAMES, key_name
from desktop.i18n import translate
from desktop.pianoroll.commands import SongPropertyCommand


def _audio_prefix() -> str:
    """"Audio: " in the interface language (the statuses start with it)."""
    return translate("Transport", "Audio: {status}").split("{status}")[0]


def position_text(song, tick: float) -> str:
    """'bar.beat  m:ss.t' as DAWs show it."""
    tick = max(0, int(tick))
    bar_len = song.ticks_per_bar() or TICKS_PER_BEAT * 4
    beat_len = TICKS_PER_BEAT * 4 // max(1, song.time_signature.denominator)
    bar, rest = divmod(tick, bar_len)
    seconds = song.tick_to_seconds(tick)
    return f"{bar + 1}.{rest // beat_len + 1}   {int(seconds // 60)}:{seconds % 60:04.1f}"


def _call_factory(factory, soundfont: str | None, device: str | None):
    """A test's or the self-test's player factory: given the SoundFont and the output
    device when it takes them, called bare when it does not."""
    import inspect

    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return factory()
    takes_all = any(p.kind is p.VAR_KEYWORD for p in params.values())
    kwargs = {k: v for k, v in (("soundfont", soundfont), ("device", device))
              if takes_all or k in params}
    return factory(**kwargs)


CORE_REASONS = (  # core.audio.player's reasons for no sound, shown translated
    QT_TRANSLATE_NOOP("Transport", "No audio output: the PortAudio library is not installed"),
    QT_TRANSLATE_NOOP("Transport", "No audio output: the sounddevice package is not installed"),
    QT_TRANSLATE_NOOP("Transport", "No audio output device found"),
)
MODES = (QT_TRANSLATE_NOOP("Transport", "major"), QT_TRANSLATE_NOOP("Transport", "minor"))


class Playback(QObject):
    """Qt-side adapter: owns a core Player when one can be made, emits the playhead."""

    position_changed = Signal(float)  # ticks
    state_changed = Signal(bool)  # playing
    audio_status = Signal(str)  # one line for the status bar
    ready = Signal()  # start() finished: ``player`` and ``status`` are final
    _player_made = Signal(object, str)  # from the audio-start thread

    def __init__(self, parent=None, player_factory=None):
        super().__init__(parent)
        self.player = None
        self.status = translate("Transport", "Audio: starting…")
        self._player_factory = player_factory
        self._song = None
        self._dirty = False
        self._was_playing = False
        self._starting = False
        self.started = False  # start() has finished once (player made, or why not)
        self._closed = False
        self._play_when_ready = False
        self._device: str | None = None  # Settings > Audio output ("" / None: the default)
        self._restart_args: tuple | None = None
        self._loop: tuple[int, int] | None = None
        self._player_made.connect(self._adopt)
        self._timer = QTimer(self)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._poll)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(150)  # edits arrive in bursts: load the synth once
        self._reload.timeout.connect(self._load_now)

    def start(self, soundfont: str | None = None, blocking: bool = False,
              device: str | None = None) -> None:
        """Create the player after the window is shown, on a background thread.

        Importing sounddevice initialises PortAudio and probes the output devices
        (0.3-0.8 s measured): on the GUI thread that froze the window just as it appeared.
        The player arrives through a queued signal (``ready``); Play pressed meanwhile
        starts as soon as it is there. ``blocking`` (screenshots) makes it here and now.
        """
        if self.player is not None or self._starting or self._closed:
            return  # (closed: a start-up timer that fires after the window closed)
        self._device = device or None
        if blocking:
            self._adopt(*self._make_player(soundfont))
            return
        self._starting = True
        self._set_status(translate("Transport", "Audio: starting…"))
        threading.Thread(target=self._make_in_background, args=(soundfont,),
                         name="songloom-audio-start", daemon=True).start()

    def restart(self, soundfont: str | None = None, device: str | None = None) -> None:
        """Settings changed the SoundFont or the output device: a new player now."""
        if self._starting:  # the first start is still on its way: it is replaced below
            self._restart_args = (soundfont, device)
            return
        was_playing = self.is_playing
        if self.player is not None:
            self.player.close()
            self.player = None
        self.started = False
        self._play_when_ready = was_playing
        self.start(soundfont, device=device)

    def _make_player(self, soundfont: str | None) -> tuple[object | None, str]:
        """(player, status line); runs on the audio-start thread or, blocking, here."""
        device = self._device
        try:
            if self._player_factory is not None:
                player = _call_factory(self._player_factory, soundfont or None, device)
            else:
                from core.audio.player import Player

                player = Player(soundfont=soundfont or None, device=device)
        except ImportError:
            return None, translate(
                "Transport", "Audio: playback is not installed (core.audio.player missing)")
        except Exception as exc:  # noqa: BLE001 - a SoundFont or driver problem, shown to the user
            return None, translate("Transport", "Audio: off ({exc})").format(exc=exc)
        if not getattr(player, "available", False):
            reason = getattr(player, "unavailable_reason", "") or translate(
                "Transport", "no output device")
            return player, translate("Transport", "Audio: {status}").format(
                status=translate("Transport", reason))  # core's words, in CORE_REASONS
        return player, translate("Transport", "Audio: ready")

    def _make_in_background(self, soundfont: str | None) -> None:
        from desktop.runtime.process_tweaks import preload_numpy

        preload_numpy()  # the player needs numpy: mapped without holding the GIL
        player, status = self._make_player(soundfont)
        try:
            self._player_made.emit(player, status)  # queued to the GUI thread
        except RuntimeError:  # the window (and this object) went away meanwhile
            if player is not None:
                player.close()

    def _adopt(self, player, status: str) -> None:
        self._starting = False
        self.started = True
        if self._closed:  # the window closed while the player was being made
            if player is not None:
                player.close()
            return
        pending = self._restart_args
        if pending is not None:  # Settings changed while this one was being made
            self._restart_args = None
            if player is not None:
                player.close()
            self.start(pending[0], device=pending[1])
            return
        self.player = player
        self._set_status(status)
        if self.player is not None:
            if self._song is not None:
                self._load_now()
            if self._loop is not None:  # a loop dragged on the ruler meanwhile
                self.player.set_loop(*self._loop)
        self.ready.emit()
        if self._play_when_ready:  # Space pressed while audio was starting
            self._play_when_ready = False
            self.play()

    @property
    def settled(self) -> bool:
        """The audio start is over: the player is made (or refused) and its SoundFont is
        loaded (or failed). Heavy library loading waits for this
        (desktop/controllers/integration.py)."""
        if not self.started:
            return False
        player = self.player
        if player is None or not getattr(player, "available", False):
            return True
        wait = getattr(player, "wait_ready", None)
        return wait is None or bool(wait(0)) or bool(getattr(player, "load_error", ""))

    @property
    def starting(self) -> bool:
        """True while the player is being made in the background."""
        return self._starting

    def _set_status(self, text: str) -> None:
        self.status = text
        self.audio_status.emit(text)

    @property
    def can_play(self) -> bool:
        return self.player is not None and bool(getattr(self.player, "available", False))

    def load(self, song) -> None:
        self._song = song
        if self.player is not None:
            self._reload.start()

    def _load_now(self) -> None:
        if self.player is not None and self._song is not None:
            try:
                self.player.load(self._song)
            except Exception as exc:  # noqa: BLE001
                self._set_status(translate(
                    "Transport", "Audio: cannot play this song ({exc})").format(exc=exc))

    def play(self) -> bool:
        if self._starting:  # plays as soon as the player is there (a fraction of a second)
            self._play_when_ready = True
            return True
        if not self.can_play:
            return False
        if self._reload.isActive():
            self._reload.stop()
            self._load_now()
        self.player.play()
        self._timer.start()
        self.state_changed.emit(True)
        return True

    def _halt(self, pause: bool) -> None:
        """Silence the player (paused: play resumes there; else stopped) and the clock."""
        self._play_when_ready = False
        if self.player is not None:
            if pause:
                self.player.pause()
            else:
                self.player.stop()
        self._timer.stop()
        self.state_changed.emit(False)

    def stop(self) -> None:
        self._halt(pause=False)
        self.position_changed.emit(self.position())

    def pause(self) -> None:
        self._halt(pause=True)

    def seek(self, tick: int) -> None:
        if self.player is not None:
            self.player.seek(int(tick))
        self.position_changed.emit(float(tick))

    def set_loop(self, start: int | None, end: int | None) -> None:
        self._loop = None if start is None or end is None else (start, end)
        if self.player is not None:
            self.player.set_loop(start, end)

    def audition(self, pitch: int, program: int = 0, channel: int = 0) -> None:
        if self.can_play:
            self.player.audition(pitch, velocity=100, program=program, channel=channel)

    def position(self) -> float:
        return float(self.player.position_ticks) if self.player is not None else 0.0

    @property
    def is_playing(self) -> bool:
        return self.player is not None and bool(self.player.is_playing)

    def _poll(self) -> None:
        self.position_changed.emit(self.position())
        if not self.is_playing:
            self._timer.stop()
            self.state_changed.emit(False)

    def close(self) -> None:
        self._closed = True  # a player still being made is closed on arrival
        self._timer.stop()
        if self.player is not None:
            try:
                self.player.close()
            finally:
                self.player = None


class TransportBar(QToolBar):
    """Play/stop, loop, tempo, key, time signature and the position readout."""

    loop_changed = Signal(object)  # (start, end) ticks or None

    def __init__(self, doc, playback: Playback, parent=None):
        super().__init__(translate("Transport", "Transport"), parent)
        self.setObjectName("transport")
        self.doc = doc
        self.playback = playback
        self.loop_range: tuple[int, int] | None = None
        self.play_action = QAction(translate("Transport", "▶ Play"), self)
        self.play_action.setShortcut(QKeySequence(Qt.Key_Space))
        self.play_action.setToolTip(translate("Transport", "Play / stop (Space)"))
        self.play_action.triggered.connect(self.toggle_play)
        self.stop_action = QAction(translate("Transport", "■ Stop"), self)
        self.stop_action.setToolTip(translate("Transport", "Stop and go back to the start (Home)"))
        self.stop_action.setShortcut(QKeySequence(Qt.Key_Home))
        self.stop_action.triggered.connect(self.stop_and_rewind)
        self.loop_action = QAction(translate("Transport", "⟲ Loop"), self)
        self.loop_action.setCheckable(True)
        self.loop_action.setShortcut(QKeySequence("L"))
        self.loop_action.setToolTip(translate(
            "Transport", "Loop the range dragged on the ruler (L)"))
        self.loop_action.toggled.connect(self._loop_toggled)
        for a in (self.play_action, self.stop_action, self.loop_action):
            self.addAction(a)
        self.addSeparator()

        self.tempo = QDoubleSpinBox()
        self.tempo.setRange(20.0, 300.0)
        self.tempo.setDecimals(1)
        self.tempo.setSuffix(" BPM")
        self.tempo.setKeyboardTracking(False)
        self.tempo.setToolTip(translate("Transport", "Tempo"))
        self.tempo.valueChanged.connect(self._tempo_edited)
        self.key = QComboBox()
        for pc in range(12):
            self.key.addItem(KEY_CHOICE_NAMES[pc], pc)
        self.key.setToolTip(translate(
            "Transport", "Key: its scale rows are highlighted in the piano roll"))
        self.mode = QComboBox()
        for mode in MODES:  # the song's mode is the item's data
            self.mode.addItem(translate("Transport", mode), mode)
        self.key.currentIndexChanged.connect(self._key_edited)
        self.mode.currentIndexChanged.connect(self._key_edited)
        self.numerator = QSpinBox()
        self.numerator.setRange(1, 32)
        self.denominator = QComboBox()
        for d in (2, 4, 8, 16):
            self.denominator.addItem(str(d), d)
        self.numerator.setToolTip(translate("Transport", "Time signature"))
        self.numerator.valueChanged.connect(self._meter_edited)
        self.denominator.currentIndexChanged.connect(self._meter_edited)
        self.position = QLabel()
        self.position.setMinimumWidth(130)
        self.position.setToolTip(translate("Transport", "Position: bar.beat and minutes:seconds"))
        for label, widget in ((translate("Transport", "Tempo"), self.tempo),
                              (translate("Transport", "Key"), self.key), (None, self.mode),
                              (translate("Transport", "Time"), self.numerator),
                              ("/", self.denominator)):
            if label:
                self.addWidget(QLabel(f" {label} "))
            self.addWidget(widget)
        self.addSeparator()
        self.addWidget(self.position)
        doc.changed.connect(self.refresh)
        playback.position_changed.connect(self._show_position)
        playback.state_changed.connect(self._state_changed)
        self.refresh()

    # -- model -> widgets -------------------------------------------------------------------------
    def refresh(self) -> None:
        song = self.doc.song
        with QSignalBlocker(self.tempo):
            self.tempo.setValue(song.tempo)
        with QSignalBlocker(self.key), QSignalBlocker(self.mode):
            self.key.setCurrentIndex(song.key % 12)
            self.mode.setCurrentIndex(max(0, self.mode.findData(song.mode)))
            self.key.setToolTip(translate("Transport", "Key: {key}").format(
                key=key_name(song.key, song.mode).replace(
                    song.mode, translate("Transport", song.mode))))
        with QSignalBlocker(self.numerator), QSignalBlocker(self.denominator):
            self.numerator.setValue(song.time_signature.numerator)
            i = self.denominator.findData(song.time_signature.denominator)
            self.denominator.setCurrentIndex(max(0, i))
        self._show_position(self.playback.position())

    def _show_position(self, tick: float) -> None:
        self.position.setText(position_text(self.doc.song, tick))

    def _state_changed(self, playing: bool) -> None:
        self.play_action.setText(translate("Transport", "❚❚ Pause") if playing
                                 else translate("Transport", "▶ Play"))

    # -- widgets -> commands ---------------------------------------------------------------------
    def _tempo_edited(self, bpm: float) -> None:
        song = self.doc.song
        if abs(song.tempo - bpm) < 1e-6:
            return
        rest = [t for t in song.tempos if t.tick > 0]
        self.doc.push(SongPropertyCommand(self.doc, translate(
            "Transport", "Tempo {bpm:g} BPM").format(bpm=bpm),
                                          tempos=[TempoChange(0, float(bpm))] + rest))

    def _key_edited(self) -> None:
        key, mode = self.key.currentData(), self.mode.currentData()
        if (key, mode) != (self.doc.song.key, self.doc.song.mode):
            self.doc.push(SongPropertyCommand(self.doc, translate(
                "Transport", "Key {key}").format(key=key_name(key, mode)),
                                              key=key, mode=mode))

    def _meter_edited(self) -> None:
        ts = TimeSignature(self.numerator.value(), self.denominator.currentData())
        if ts != self.doc.song.time_signature:
            self.doc.push(SongPropertyCommand(
                self.doc, translate("Transport", "Time signature {n}/{d}").format(
                    n=ts.numerator, d=ts.denominator),
                time_signature=ts))

    # -- playback ----------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.playback.is_playing:
            self.playback.pause()
        elif not self.playback.play():
            self.window().statusBar().showMessage(
                translate("Transport", "Cannot play: {reason}").format(
                    reason=self.playback.status.removeprefix(_audio_prefix())), 5000)

    def stop_and_rewind(self) -> None:
        self.playback.stop()
        self.playback.seek(self.loop_range[0] if self.loop_action.isChecked()
                           and self.loop_range else 0)

    def set_loop_range(self, start: int, end: int) -> None:
        self.loop_range = (start, end)
        if self.loop_action.isChecked():
            self.playback.set_loop(start, end)
            self.loop_changed.emit(self.loop_range)
        else:
            self.loop_action.setChecked(True)

    def _loop_toggled(self, on: bool) -> None:
        if on and self.loop_range is None:
            bar = self.doc.song.ticks_per_bar()
            self.loop_range = (0, max(bar, self.doc.song.bar_count() * bar))
        if on:
            self.playback.set_loop(*self.loop_range)
        else:
            self.playback.set_loop(None, None)
        self.loop_changed.emit(self.loop_range if on else None)
