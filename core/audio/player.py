"""Real-time playback: a sounddevice output stream pulling audio from one warm FluidSynth.

The stream's callback runs on the audio thread. It renders exactly the frames up to each
event's time inside the block (snapped to FluidSynth's 64-frame edge, <= 0.73 ms), so a
256-frame block (5.8 ms at 44.1 kHz) carries as many events as fall into it. The song
position is kept in song seconds and advanced by ``frames * tempo_scale / samplerate``, so
a tempo change is heard from the next block on.

Controls (play, pause, seek, loop, load, audition) come from the GUI thread and take a
short lock the callback also takes once per block; nothing slow happens under it (events
are computed before taking it). With no audio device, or no PortAudio library, the player
says so in ``unavailable_reason`` and every control is a harmless no-op; offline rendering
does not depend on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.errors import AudioError
from core.model.song import Song

from .events import AUDITION_CHANNEL, DRUM_CHANNEL, SongEvents, apply_event, song_events
from .soundfonts import bundled_soundfont, soundfont_or_bundled
from .synth import Synth

MIN_TEMPO_SCALE, MAX_TEMPO_SCALE = 0.25, 4.0
MIN_LOOP_S = 0.05
LATENCY_BUDGET_S = 0.025


def output_device_problem() -> str | None:
    """Why sound cannot play here, in words for the user; None when a device is there."""
    try:
        import sounddevice as sd
    except OSError:
        return "No audio output: the PortAudio library is not installed"
    except ImportError:
        return "No audio output: the sounddevice package is not installed"
    try:
        sd.query_devices(kind="output")
    except Exception:  # noqa: BLE001 - PortAudioError / ValueError when there is none
        return "No audio output device found"
    return None


def _sounddevice_stream(**kwargs):
    import sounddevice as sd

    return sd.OutputStream(**kwargs)


class Player:
    def __init__(self, soundfont: str | Path | None = None, stream_factory: Callable | None = None,
                 samplerate: int = 44100, blocksize: int = 256, device: str | None = None):
        self.samplerate = int(samplerate)
        # The output device by name ("" or None: the system default); one that cannot be
        # opened falls back to the default, saying so in device_warning.
        self.device = device or None
        self.device_warning = ""
        self.blocksize = int(blocksize)
        self._factory = stream_factory
        self.unavailable_reason = "" if stream_factory else (output_device_problem() or "")
        self.available = not self.unavailable_reason
        self.soundfont, self.soundfont_warning = soundfont_or_bundled(soundfont)
        self._lock = threading.Lock()
        self._stream = None
        self._synth: Synth | None = None
        self._ready = threading.Event()
        self._song: Song | None = None
        self._events: SongEvents | None = None
        self._idx = 0
        self._pos_s = 0.0  # song seconds at the start of the next block
        self._playing = False
        self._scale = 1.0
        self._loop: tuple[float, float] | None = None
        self._loop_ticks: tuple[int, int] | None = None
        self._audition_offs: list[tuple[int, int]] = []  # (synth frame, key)
        self._buf = np.zeros((max(self.blocksize, 4096), 2), dtype=np.float32)
        self.on_finished: Callable[[], None] | None = None  # called on the audio thread
        self.load_error: str = ""
        self.callback_error: str = ""  # set if the audio thread hit a bug (playback stops)
        self._closed = False
        if not self.available:
            self._ready.set()
        else:
            # Loading the SoundFont takes about a second: do it now, off the GUI thread.
            threading.Thread(target=self._load_synth, name="songloom-synth", daemon=True).start()

    # -- set-up --------------------------------------------------------------------------
    def _load_synth(self) -> None:
        try:
            try:
                synth = Synth(self.soundfont, self.samplerate)
            except AudioError as exc:
                bundled = bundled_soundfont()
                if self.soundfont == bundled:
                    raise
                # A chosen SoundFont that FluidSynth refuses: keep playing with ours.
                self.soundfont_warning = f"{exc}; using the bundled SoundFont instead"
                self.soundfont = bundled
                synth = Synth(bundled, self.samplerate)
        except AudioError as exc:
            self.load_error = str(exc)
        else:
            with self._lock:
                if self._closed:  # closed while loading: nobody will use it
                    synth.close()
                else:
                    self._synth = synth
                    self._apply_setup_locked()
        finally:
            self._ready.set()

    def wait_ready(self, timeout: float | None = 30.0) -> bool:
        """Block until the synth is loaded (the desktop never needs to: play() doesn't wait)."""
        return self._ready.wait(timeout) and self._synth is not None

    def _ensure_stream(self) -> bool:
        if not self.available:
            return False
        if self._stream is not None:
            return True
        factory = self._factory or _sounddevice_stream
        options = dict(samplerate=self.samplerate, blocksize=self.blocksize, channels=2,
                       dtype="float32", callback=self._callback,
                       latency=self.requested_latency_s)
        try:
            try:
                stream = factory(**options, **({"device": self.device} if self.device else {}))
            except Exception as exc:  # noqa: BLE001 - unplugged or renamed: the default
                if not self.device:
                    raise
                self.device_warning = (f"The audio output {self.device!r} cannot be opened "
                                       f"({exc}); playing on the system default")
                self.device = None
                stream = factory(**options)
            stream.start()
        except Exception as exc:  # noqa: BLE001 - PortAudioError, device busy, ...
            self.available = False
            self.unavailable_reason = f"Cannot open the audio output ({exc})"
            return False
        self._stream = stream
        return True

    @property
    def requested_latency_s(self) -> float:
        """What we ask the device for: one block plus this stays within 25 ms. (sounddevice's
        "low" can mean 90 ms on Windows MME, too late for a piano keyboard.)"""
        return max(0.005, LATENCY_BUDGET_S - self.blocksize / self.samplerate)

    @property
    def latency_s(self) -> float:
        """Output latency: the device's own figure if it has one, else one block."""
        lat = getattr(self._stream, "latency", None)
        return float(lat) if isinstance(lat, int | float) else self.blocksize / self.samplerate

    # -- transport -------------------------------------------------------------------
    def load(self, song: Song) -> None:
        """Play ``song`` from now on; while playing, the position (in ticks) is kept."""
        events = song_events(song)  # outside the lock: the audio thread must not wait for it
        with self._lock:
            tick = self._song.seconds_to_tick(self._pos_s) if self._song else 0
            self._song, self._events = song, events
            self._pos_s = song.tick_to_seconds(max(tick, 0))
            self._idx = events.first_at_or_after(self._pos_s)
            if self._loop_ticks:
                self._set_loop_locked(*self._loop_ticks)
            if self._synth is not None:
                self._synth.all_notes_off()
                self._apply_setup_locked()

    def play(self) -> bool:
        """Start or resume; returns False when there is no audio output."""
        if self._song is None or not self._ensure_stream():
            return False
        with self._lock:
            if self._events is not None and self._pos_s >= self._events.end_s:
                self._seek_locked(self._loop[0] if self._loop else 0.0)
            self._apply_setup_locked()
            self._playing = True
        return True

    def pause(self) -> None:
        with self._lock:
            self._playing = False
            if self._synth is not None:
                self._synth.all_notes_off()

    def stop(self) -> None:
        """Stop and go back to the start."""
        with self._lock:
            self._playing = False
            self._seek_locked(0.0)

    def seek(self, tick: int) -> None:
        with self._lock:
            seconds = self._song.tick_to_seconds(max(int(tick), 0)) if self._song else 0.0
            self._seek_locked(seconds)

    def set_loop(self, start_tick: int | None, end_tick: int | None) -> None:
        """Loop between two ticks while playing; (None, None) plays straight through."""
        with self._lock:
            if start_tick is None or end_tick is None:
                self._loop, self._loop_ticks = None, None
                return
            if end_tick <= start_tick:
                raise AudioError(f"loop end (tick {end_tick}) must come after its start "
                                 f"(tick {start_tick})")
            self._loop_ticks = (int(start_tick), int(end_tick))
            self._set_loop_locked(*self._loop_ticks)

    def set_tempo_scale(self, factor: float) -> None:
        """Play faster (>1) or slower (<1) than written; heard from the next block."""
        with self._lock:
            self._scale = min(max(float(factor), MIN_TEMPO_SCALE), MAX_TEMPO_SCALE)

    @property
    def tempo_scale(self) -> float:
        return self._scale

    @property
    def is_playing(self) -> bool:
        return self._playing

    @property
    def position_ticks(self) -> int:
        song = self._song
        return song.seconds_to_tick(self._pos_s) if song else 0

    @property
    def position_seconds(self) -> float:
        return self._pos_s

    def audition(self, pitch: int, velocity: int = 100, program: int = 0, channel: int = 0,
                 duration_s: float = 0.4) -> bool:
        """Sound one note now (the piano keyboard), playing or not. False without output."""
        if not self._ensure_stream() or self._synth is None:
            return False
        pitch, velocity = max(0, min(127, int(pitch))), max(1, min(127, int(velocity)))
        with self._lock:
            synth = self._synth
            synth.program(AUDITION_CHANNEL, int(program) & 127, drums=channel == DRUM_CHANNEL)
            synth.noteon(AUDITION_CHANNEL, pitch, velocity)
            off_at = synth.frames_written + max(1, int(duration_s * self.samplerate))
            self._audition_offs.append((off_at, pitch))
        return True

    def close(self) -> None:
        """Stop the stream and free the synth (a synth still loading is freed when ready)."""
        with self._lock:
            self._playing = False
            self._closed = True
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            finally:
                self._stream = None
        with self._lock:
            if self._synth is not None:
                self._synth.close()
                self._synth = None

    # -- helpers (hold self._lock) -------------------------------------------------------
    def _seek_locked(self, seconds: float) -> None:
        self._pos_s = max(0.0, seconds)
        if self._events is not None:
            self._idx = self._events.first_at_or_after(self._pos_s)
        if self._synth is not None:
            self._synth.all_sounds_off()

    def _set_loop_locked(self, start_tick: int, end_tick: int) -> None:
        if self._song is None:
            self._loop = None
            return
        start, end = self._song.tick_to_seconds(start_tick), self._song.tick_to_seconds(end_tick)
        self._loop = (start, end) if end - start >= MIN_LOOP_S else None

    def _apply_setup_locked(self) -> None:
        if self._synth is None or self._events is None:
            return
        ev = self._events
        for i in ev.setup_indices().tolist():
            apply_event(self._synth, int(ev.kinds[i]), int(ev.chans[i]), int(ev.data1[i]),
                        int(ev.data2[i]))

    # -- the audio thread ----------------------------------------------------------------
    def _callback(self, outdata, frames, time_info, status) -> None:
        try:
            finished = self._fill(outdata, frames)
        except Exception as exc:  # noqa: BLE001 - an exception would kill the stream for good
            outdata.fill(0.0)
            self._playing = False
            self.callback_error = f"{type(exc).__name__}: {exc}"
            return
        if finished and self.on_finished is not None:
            self.on_finished()

    def _fill(self, outdata, frames: int) -> bool:
        if frames > len(self._buf):
            self._buf = np.zeros((frames, 2), dtype=np.float32)
        buf = self._buf
        finished = False
        with self._lock:
            synth = self._synth
            if synth is None:
                outdata.fill(0.0)
                return False
            cursor = 0
            block_start = synth.frames_written
            if self._playing and self._events is not None:
                cursor, finished = self._play_block(synth, buf, frames)
            self._audition_offs_in(synth, buf, cursor, frames, block_start)
        outdata[:frames] = buf[:frames]
        return finished

    def _audition_offs_in(self, synth: Synth, buf, cursor: int, frames: int, block_start: int):
        # Audition note-offs due in this block are sent at their frame; the rest waits.
        pending = sorted(self._audition_offs)
        self._audition_offs = []
        for due, key in pending:
            offset = due - block_start
            if offset >= frames:
                self._audition_offs.append((due, key))
                continue
            offset = max(cursor, offset)
            synth.write(buf, cursor, offset)
            cursor = offset
            synth.noteoff(AUDITION_CHANNEL, key)
        synth.write(buf, cursor, frames)

    def _play_block(self, synth: Synth, buf, frames: int) -> tuple[int, bool]:
        """Render the song into ``buf[:frames]`` (or up to its end); returns (cursor, ended)."""
        ev = self._events
        times, n_events = ev.times, len(ev)
        rate = self.samplerate / self._scale  # output frames per song second
        pos0 = self._pos_s  # song time at frame 0 of this block
        cursor = 0
        while True:
            limit = frames
            loop = self._loop
            looping = loop is not None and pos0 + cursor / rate < loop[1]
            if looping:
                limit = min(frames, max(cursor, round((loop[1] - pos0) * rate)))
            while self._idx < n_events:
                i = self._idx
                offset = round((times[i] - pos0) * rate)
                if offset >= limit:
                    break
                offset = min(max(cursor, cursor + synth.grid_offset(offset - cursor)), limit)
                synth.write(buf, cursor, offset)
                cursor = offset
                apply_event(synth, int(ev.kinds[i]), int(ev.chans[i]), int(ev.data1[i]),
                            int(ev.data2[i]))
                self._idx = i + 1
            synth.write(buf, cursor, limit)
            cursor = limit
            if looping and limit < frames:
                # Jump back: release what sounds, continue from the loop start at this frame.
                synth.all_notes_off()
                pos0 = loop[0] - cursor / rate
                self._idx = ev.first_at_or_after(loop[0])
                continue
            break
        self._pos_s = pos0 + frames / rate
        if self._pos_s >= ev.end_s and self._loop is None and self._idx >= n_events:
            self._playing = False  # the release tail keeps ringing; the playhead rests at the end
            self._pos_s = ev.end_s
            return frames, True
        return frames, False
