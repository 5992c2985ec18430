"""A thin, fast wrapper around one FluidSynth synthesizer.

pyfluidsynth finds and loads libfluidsynth on every platform; we use its library handle
but call ``fluid_synth_write_float`` ourselves so audio goes straight into preallocated
numpy buffers (pyfluidsynth's ``get_samples`` allocates a new int16 array per call).

Offline renders share one warm synth per (SoundFont, sample rate) through
``warm_synth``: loading the 23 MB SF3 (Ogg-compressed samples) takes most of a second,
so only the first render pays it. The real-time player owns its own synth because its
callback runs on the audio thread at the same time as renders may run elsewhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

from core.errors import AudioError

# Channels 0..15 follow General MIDI (9 = drums); 16..31 are spare channels for songs
# with many tracks and for the player's note audition.
SYNTH_CHANNELS = 32
DRUM_BANK = 128
DEFAULT_GAIN = 0.7  # FluidSynth's own 0.2 leaves a three-track song peaking near -20 dBFS
BLOCK = 64  # FluidSynth's internal block (FLUID_BUFSIZE): events take effect on its edges

_FLUID_FAILED = -1
_LOG_LEVELS = range(5)  # FLUID_PANIC .. FLUID_DBG
_LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)

_lib_lock = threading.Lock()
_lib = None
_log_messages: list[str] = []
_log_callback = None  # keep a reference: ctypes callbacks die with their Python object


def _capture_log(level: int, message: bytes | None, _data) -> None:
    # FluidSynth prints warnings straight to stderr, which would break the CLI's one-line
    # error rule; we keep the last few so a failed SoundFont load can say why.
    if message and level <= 2:  # panic, error, warning
        _log_messages.append(message.decode("utf-8", "replace").strip())
        del _log_messages[:-20]


def import_pyfluidsynth():
    """Import pyfluidsynth quietly: with CI set it prints where it found the library on
    stdout, which would break the CLI's --json output and the self-test's one line."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        import fluidsynth
    return fluidsynth


def fluid_library():
    """The loaded libfluidsynth (through pyfluidsynth), with our prototypes set up."""
    global _lib, _log_callback
    with _lib_lock:
        if _lib is not None:
            return _lib
        try:
            fluidsynth = import_pyfluidsynth()  # loads the shared library
        except (ImportError, OSError) as exc:
            raise AudioError(f"FluidSynth is not installed or cannot be loaded ({exc})") from exc
        lib = fluidsynth._fl
        vp, ci, cf, cd, cc = (ctypes.c_void_p, ctypes.c_int, ctypes.c_float, ctypes.c_double,
                              ctypes.c_char_p)
        protos = {
            "new_fluid_settings": (vp, []),
            "delete_fluid_settings": (None, [vp]),
            "fluid_settings_setnum": (ci, [vp, cc, cd]),
            "fluid_settings_setint": (ci, [vp, cc, ci]),
            "new_fluid_synth": (vp, [vp]),
            "delete_fluid_synth": (None, [vp]),
            "fluid_synth_sfload": (ci, [vp, cc, ci]),
            "fluid_synth_program_select": (ci, [vp, ci, ci, ci, ci]),
            "fluid_synth_noteon": (ci, [vp, ci, ci, ci]),
            "fluid_synth_noteoff": (ci, [vp, ci, ci]),
            "fluid_synth_cc": (ci, [vp, ci, ci, ci]),
            "fluid_synth_all_notes_off": (ci, [vp, ci]),
            "fluid_synth_all_sounds_off": (ci, [vp, ci]),
            "fluid_synth_system_reset": (ci, [vp]),
            "fluid_synth_set_gain": (None, [vp, cf]),
            "fluid_synth_write_float": (ci, [vp, ci, vp, ci, ci, vp, ci, ci]),
            "fluid_set_log_function": (vp, [ci, _LOG_FN, vp]),
        }
        for name, (restype, argtypes) in protos.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
        _log_callback = _LOG_FN(_capture_log)
        for level in _LOG_LEVELS:
            lib.fluid_set_log_function(level, _log_callback, None)
        _lib = lib
        return lib


@contextlib.contextmanager
def _stderr_captured():
    """Keep file descriptor 2 away from FluidSynth while it opens a SoundFont.

    When its own loader fails, FluidSynth tries the file as DLS through libinstpatch, whose
    GLib assertions print "** CRITICAL **" lines straight to fd 2, around the CLI's one-line
    error. Their text goes to the songloom.audio log (debug) instead."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read(8192).decode("utf-8", "replace").strip()
            if text:
                logging.getLogger("songloom.audio").debug("FluidSynth stderr: %s", text)


def _load_failure() -> str:
    """The most telling of FluidSynth's messages: its own parser's, not the DLS fallback's
    or the closing "Failed to load SoundFont"."""
    useful = [m for m in _log_messages
              if not m.startswith(("Failed to load SoundFont", "ipatch_"))]
    return (useful or _log_messages or ["FluidSynth cannot load it"])[0][:200]


class Synth:
    """One FluidSynth instance with one SoundFont loaded. Not thread-safe by itself."""

    def __init__(self, soundfont: str | Path, samplerate: int = 44100, gain: float = DEFAULT_GAIN,
                 effects: bool = True, dynamic_loading: bool = False):
        lib = fluid_library()
        self._lib = lib
        self.soundfont = Path(soundfont)
        self.samplerate = int(samplerate)
        self._settings = lib.new_fluid_settings()
        lib.fluid_settings_setnum(self._settings, b"synth.sample-rate", float(samplerate))
        lib.fluid_settings_setint(self._settings, b"synth.midi-channels", SYNTH_CHANNELS)
        lib.fluid_settings_setnum(self._settings, b"synth.gain", float(gain))
        # Reverb and chorus make it sound like a room; scores turn them off because the
        # reverb's modulation phase survives a reset, so two wet renders differ slightly.
        lib.fluid_settings_setint(self._settings, b"synth.reverb.active", int(effects))
        lib.fluid_settings_setint(self._settings, b"synth.chorus.active", int(effects))
        self.effects = effects
        # Dynamic loading decodes a preset's samples only when a channel selects it: a
        # one-off CLI render starts in a fraction of the time of decoding the whole SF3.
        lib.fluid_settings_setint(self._settings, b"synth.dynamic-sample-loading",
                                  int(dynamic_loading))
        # Real-time CPU use matters more than the last notes of a huge cluster.
        lib.fluid_settings_setint(self._settings, b"synth.polyphony", 256)
        self._synth = lib.new_fluid_synth(self._settings)
        self.frames_written = 0  # since creation; FluidSynth's block grid is relative to it
        if not self._synth:
            lib.delete_fluid_settings(self._settings)
            raise AudioError("FluidSynth could not create a synthesizer")
        del _log_messages[:]
        with _stderr_captured():
            self.sfid = lib.fluid_synth_sfload(self._synth, str(self.soundfont).encode(), 0)
        if self.sfid == _FLUID_FAILED:
            self.close()
            raise AudioError(f"not a usable SoundFont ({_load_failure()})", self.soundfont)

    # -- events ------------------------------------------------------------------------
    def program(self, chan: int, program: int, drums: bool = False) -> None:
        bank = DRUM_BANK if drums else 0
        if self._lib.fluid_synth_program_select(self._synth, chan, self.sfid, bank, program) != 0:
            # Not every SoundFont has every GM preset: fall back to the first of its bank.
            self._lib.fluid_synth_program_select(self._synth, chan, self.sfid, bank, 0)

    def noteon(self, chan: int, key: int, vel: int) -> None:
        self._lib.fluid_synth_noteon(self._synth, chan, key, vel)

    def noteoff(self, chan: int, key: int) -> None:
        self._lib.fluid_synth_noteoff(self._synth, chan, key)

    def cc(self, chan: int, ctrl: int, value: int) -> None:
        self._lib.fluid_synth_cc(self._synth, chan, ctrl, value)

    def all_notes_off(self) -> None:
        """Release every sounding note (they fade out with their release)."""
        for chan in range(SYNTH_CHANNELS):
            self._lib.fluid_synth_all_notes_off(self._synth, chan)

    def all_sounds_off(self) -> None:
        """Silence everything at once (a seek or stop must not leave a tail)."""
        for chan in range(SYNTH_CHANNELS):
            self._lib.fluid_synth_all_sounds_off(self._synth, chan)

    def reset(self) -> None:
        """Back to a fresh state: voices, controllers, programs and effect tails, with the
        next frame on a block boundary (so two renders of one song are bit-identical)."""
        self._lib.fluid_synth_system_reset(self._synth)
        leftover = -self.frames_written % BLOCK
        if leftover:
            self.write(np.zeros((leftover, 2), np.float32))

    def grid_offset(self, offset: int) -> int:
        """The block boundary nearest to ``offset`` frames from now.

        FluidSynth renders in 64-frame blocks and applies an event at the start of the next
        block it renders; writing exactly up to a boundary before sending the event makes
        the event land there, at most 32 frames (0.73 ms at 44.1 kHz) from its exact time.
        """
        absolute = self.frames_written + offset
        return offset + (round(absolute / BLOCK) * BLOCK - absolute)

    # -- audio -------------------------------------------------------------------------
    def write(self, out: np.ndarray, start: int = 0, stop: int | None = None) -> None:
        """Render frames ``start:stop`` of ``out`` (a C-contiguous (n, 2) float32 array)."""
        stop = out.shape[0] if stop is None else stop
        count = stop - start
        if count <= 0:
            return
        ptr = out.ctypes.data
        self.frames_written += count
        self._lib.fluid_synth_write_float(self._synth, count, ptr, 2 * start, 2, ptr,
                                          2 * start + 1, 2)

    def close(self) -> None:
        if getattr(self, "_synth", None):
            self._lib.delete_fluid_synth(self._synth)
            self._synth = None
        if getattr(self, "_settings", None):
            self._lib.delete_fluid_settings(self._settings)
            self._settings = None


_warm_lock = threading.Lock()
_warm: dict[tuple[str, int, bool, bool], tuple[Synth, threading.Lock]] = {}
_WARM_MAX = 3  # each synth holds its decoded SoundFont (~100 MB for FluidR3Mono)


def warm_synth(soundfont: Path, samplerate: int, effects: bool = True,
               lazy_samples: bool = False) -> tuple[Synth, threading.Lock]:
    """The shared offline synth for this SoundFont and rate, and the lock to hold while using it.

    ``lazy_samples`` suits one-off processes (the CLI): the SoundFont opens in ~20 ms
    instead of seconds, but every render decodes its presets again (~0.1 s each), so a
    long-lived app keeps the default and pays the full load once.
    """
    key = (str(Path(soundfont).resolve()), int(samplerate), bool(effects), bool(lazy_samples))
    with _warm_lock:
        entry = _warm.get(key)
        if entry is None:
            while len(_warm) >= _WARM_MAX:
                old_key = next(iter(_warm))
                old_synth, old_lock = _warm.pop(old_key)
                with old_lock:
                    old_synth.close()
            entry = (Synth(soundfont, samplerate, effects=effects,
                           dynamic_loading=lazy_samples), threading.Lock())
            _warm[key] = entry
        return entry
