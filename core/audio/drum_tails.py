"""Ending drum voices once nobody can hear them (offline renders only).

A drum hit in a SoundFont is a one-shot sample: FluidSynth plays it to the sample's end or
to the end of its release, whatever the note's length, so a ride struck every eighth note
keeps ten voices alive, most of them 40 to 80 dB below the newest hit. Each voice costs as
much to compute as a loud one; with drums a song renders at about two thirds of the speed
without them (issue 15 asks for at least 100x real time with drums).

Each hit's loudness over time is measured once per synth (``DrumProfiles``): the kit's key
alone on a spare channel, at the hit's velocity and note length (both rounded up, so the
measured tail is never shorter than the real one). A planned voice is then ended:
- ``OWN_DB`` below its own peak (the hit has died away: 60 dB is the reverberation-time
  convention, the level below which a sound is taken to have gone), or
- when a newer hit of the same key on the same channel starts ``MASK_DB`` louder than all
  that is left of the older one (the same sound, far louder, on top of it).
Ending fades the voice to silence within one FluidSynth block (1.5 ms, by attenuation), then
frees it three blocks later. Voices are found by FluidSynth's note id: every note-on takes
the next id, so a probe note just before the song tells which id each of the song's notes
gets; a voice found under an id with another channel or key stops the plan (the render then
sounds exactly as without it).

What it changes, measured on the bundled SoundFont (``songloom-cli bench drums``): see
docs/performance.md, "Drum voices".
"""

from __future__ import annotations

import bisect
import ctypes
import logging
import weakref
from dataclasses import dataclass

import numpy as np

from .events import NOTE_OFF, NOTE_ON, PROGRAM, apply_event
from .synth import BLOCK, SYNTH_CHANNELS, Synth, fluid_library

OWN_DB = 60.0
MASK_DB = 30.0
FADE_BLOCKS = 3  # the voice is freed this many blocks after its fade starts
_VEL_STEP = 8  # velocities are measured at the top of their 8-step band
_HOLD_STEP_S = 1 / 32  # note lengths likewise, in 1/32 s steps
_MAX_HOLD_S = 2.0  # a longer note is not planned (it is rare on a drum track)
_MAX_MEASURE_S = 12.0
_CHUNK = 4096
_GEN_REVERBSEND, _GEN_CHORUSSEND, _GEN_VOLENVRELEASE, _GEN_ATTENUATION = 16, 15, 38, 48
_SILENT = -200.0  # dB of a block with no sound
_QUIET_RATIO = 10 ** (-(OWN_DB + 6) / 20)

# What the last render's plan did (read by tests and the bench; not a setting).
last_plan_stats: dict = {}


def _lib():
    lib = fluid_library()
    if not getattr(lib, "_songloom_voice_api", False):
        vp, ci, cf = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
        protos = {
            "fluid_synth_get_voicelist": (None, [vp, ctypes.POINTER(vp), ci, ci]),
            "fluid_voice_get_channel": (ci, [vp]),
            "fluid_voice_get_key": (ci, [vp]),
            "fluid_voice_get_id": (ctypes.c_uint, [vp]),
            "fluid_voice_gen_set": (None, [vp, ci, cf]),
            "fluid_voice_update_param": (None, [vp, ci]),
            "fluid_synth_get_active_voice_count": (ci, [vp]),
            "fluid_synth_set_gen": (ci, [vp, ci, ci, cf]),
            "fluid_synth_get_channel_preset": (vp, [vp, ci]),
            "fluid_synth_all_sounds_off": (ci, [vp, ci]),
        }
        for name, (restype, argtypes) in protos.items():
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
        lib._songloom_voice_api = True
    return lib


@dataclass(frozen=True)
class Profile:
    peak_db: float
    quiet_block: int  # from this block on the hit stays OWN_DB below its peak
    blocks: int  # how long the voice lives when nobody ends it (huge: longer than measured)
    tail_max: np.ndarray  # tail_max[b]: the loudest block from b on (dB)


class DrumProfiles:
    """Single-hit loudness curves of one synth, measured on first use and kept."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int, int, int, int], Profile] = {}
        self.measured_s = 0.0  # audio rendered for measuring (for the bench)

    def get(self, synth: Synth, chan: int, kit: int, key: int, vel: int,
            hold: int) -> Profile:
        vel = min(127, (vel + _VEL_STEP - 1) // _VEL_STEP * _VEL_STEP)
        step = max(BLOCK, int(synth.samplerate * _HOLD_STEP_S) // BLOCK * BLOCK)
        hold = -(-hold // step) * step
        key_ = (synth.sfid, kit, key, vel, hold)
        prof = self._cache.get(key_)
        if prof is None:
            prof = self._cache[key_] = self._measure(synth, chan, kit, key, vel, hold)
        return prof

    def _measure(self, synth: Synth, chan: int, kit: int, key: int, vel: int,
                 hold: int) -> Profile:
        lib = _lib()
        synth.program(chan, kit, drums=True)
        synth.noteon(chan, key, vel)
        buf = np.zeros((_CHUNK, 2), np.float32)
        levels, pos, released, ended, peak_rms = [], 0, False, False, 0.0
        limit = int(_MAX_MEASURE_S * synth.samplerate)
        while pos < limit:
            n = _CHUNK if released or hold - pos > _CHUNK else hold - pos
            synth.write(buf, 0, n)
            pos += n
            if not released and pos >= hold:
                synth.noteoff(chan, key)
                released = True
            block = buf[:n // BLOCK * BLOCK].reshape(-1, BLOCK * 2)
            levels.append(np.sqrt(np.mean(np.square(block, dtype=np.float64), axis=1)))
            if released and lib.fluid_synth_get_active_voice_count(synth._synth) == 0:
                ended = True
                break
            # Past the note-off a whole chunk far below the peak: the rest is not needed.
            if released and levels[-1].max() < peak_rms * _QUIET_RATIO:
                break
            peak_rms = max(peak_rms, float(levels[-1].max()))
        lib.fluid_synth_all_sounds_off(synth._synth, chan)
        synth.write(buf, 0, BLOCK)  # lets FluidSynth free the voices before the song
        self.measured_s += (pos + BLOCK) / synth.samplerate
        rms = np.concatenate(levels)
        db = np.where(rms > 0, 20 * np.log10(np.maximum(rms, 1e-30)), _SILENT)
        # The voice's sound reaches the output one block after its note-on.
        db = np.append(db[1:], _SILENT)
        tail_max = np.maximum.accumulate(db[::-1])[::-1]
        peak = float(db.max())
        loud = np.flatnonzero(tail_max > peak - OWN_DB)
        quiet = int(loud[-1]) + 1 if len(loud) else 0
        return Profile(peak, quiet, len(db) if ended else 1 << 30, tail_max)


_profiles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def profiles_for(synth: Synth) -> DrumProfiles:
    prof = _profiles.get(synth)
    if prof is None:
        prof = _profiles[synth] = DrumProfiles()
    return prof


def active_voices(synth: Synth) -> int:
    """How many voices FluidSynth is computing now (for the bench and tests)."""
    return _lib().fluid_synth_get_active_voice_count(synth._synth)


def _spare_channel(used: set[int]) -> int | None:
    free = [c for c in range(SYNTH_CHANNELS) if c not in used]
    return free[-1] if free else None


def _effects(synth: Synth, on: bool) -> None:
    lib = fluid_library()
    for name in ("reverb", "chorus"):
        fn = getattr(lib, f"fluid_synth_{name}_on", None)
        if fn is not None:  # FluidSynth 2.2+
            fn.argtypes, fn.restype = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int], ctypes.c_int
            fn(synth._synth, -1, int(on))
        else:
            fn = getattr(lib, f"fluid_synth_set_{name}_on")
            fn.argtypes, fn.restype = [ctypes.c_void_p, ctypes.c_int], None
            fn(synth._synth, int(on))


class TailPlan:
    """When each drum voice of one song ends: extra events for core.audio.render."""

    FADE, END = 4, 5  # event kinds after core.audio.events' four

    def __init__(self, channels: set[int]) -> None:
        self.ok = True
        self.faded = 0
        self.channels = channels
        self._checked = False
        self._voices = (ctypes.c_void_p * 8)()

    def apply(self, synth: Synth, kind: int, chan: int, d1: int, d2: int) -> None:
        """core.audio.events.apply_event, plus FADE and END (d1 key, d2 FluidSynth id)."""
        if kind < self.FADE:
            apply_event(synth, kind, chan, d1, d2)
            return
        if not self.ok:
            return
        lib = _lib()
        if not self._checked:
            # A note-on on a channel without a preset takes no id: the ids would shift.
            self._checked = True
            if any(not lib.fluid_synth_get_channel_preset(synth._synth, c)
                   for c in self.channels):
                self.ok = False
                return
        voices = self._voices
        voices[0] = None
        lib.fluid_synth_get_voicelist(synth._synth, voices, len(voices), d2)
        found = [v for v in voices if v]
        for v in found:
            if lib.fluid_voice_get_channel(v) != chan or lib.fluid_voice_get_key(v) != d1:
                logging.getLogger("songloom.audio").debug(
                    "drum tails: note id %d is not key %d on channel %d; plan stopped",
                    d2, d1, chan)
                self.ok = False
                return
        gen, value = ((_GEN_ATTENUATION, 1440.0) if kind == self.FADE
                      else (_GEN_VOLENVRELEASE, -12000.0))
        for v in found:
            lib.fluid_voice_gen_set(v, gen, value)
            lib.fluid_voice_update_param(v, gen)
        if found:
            # A voice's update waits in FluidSynth's queue until a synth call returns
            # (writing audio is not one): this call sends it on, for the next block.
            lib.fluid_synth_get_active_voice_count(synth._synth)
        self.faded += kind == self.FADE and bool(found)


def _next_note_id(synth: Synth, chan: int, key: int) -> int:
    """The FluidSynth id the next note-on will get: a probe note, removed unheard."""
    lib = _lib()
    synth.noteon(chan, key, 1)
    voices = (ctypes.c_void_p * 64)()
    lib.fluid_synth_get_voicelist(synth._synth, voices, len(voices), -1)
    ids = [lib.fluid_voice_get_id(v) for v in voices if v and lib.fluid_voice_get_channel(v) == chan]
    lib.fluid_synth_all_sounds_off(synth._synth, chan)
    return (max(ids) + 1) if ids else -1


def plan(synth: Synth, frame_list: list[int], kinds: list[int], chans: list[int],
         d1: list[int], d2: list[int]) -> tuple[TailPlan, list] | None:
    """Measure what is needed, then the song's events with FADE/END events merged in
    (frames, kinds, chans, d1, d2 lists), or None when the song has no drum channel or
    the synth cannot be planned for."""
    drum_kits = {c: a for k, c, a, b in zip(kinds, chans, d1, d2, strict=True)
                 if k == PROGRAM and b}
    if not drum_kits:
        return None
    lib = _lib()
    spare = _spare_channel(set(chans))
    if spare is None:
        return None
    profiles = profiles_for(synth)
    if synth.effects:
        _effects(synth, False)
    for gen in (_GEN_REVERBSEND, _GEN_CHORUSSEND):  # measuring must not feed the effects
        lib.fluid_synth_set_gen(synth._synth, spare, gen, -1000.0)
    try:
        ops = _plan_ops(synth, profiles, spare, drum_kits, frame_list, kinds, chans, d1, d2)
        # The probe plays a key the song plays, in its kit: a key the kit lacks starts no
        # voice to read the id from, and another preset would be decoded for nothing.
        probe = next(((c, a) for k, c, a in zip(kinds, chans, d1, strict=False)
                      if k == NOTE_ON and c in drum_kits), None)
        first_id = -1
        if probe is not None:
            synth.program(spare, drum_kits[probe[0]], drums=True)
            first_id = _next_note_id(synth, spare, probe[1])
    finally:
        for gen in (_GEN_REVERBSEND, _GEN_CHORUSSEND):
            lib.fluid_synth_set_gen(synth._synth, spare, gen, 0.0)
        if synth.effects:
            _effects(synth, True)
    # Only voices ended while the song plays: the render's release tail has no events
    # (and the END after its FADE must come after the fade has been heard).
    last = frame_list[-1]
    ops = [op for op in ops if op[1] == TailPlan.END and op[0] <= last
           or op[1] == TailPlan.FADE and op[0] + FADE_BLOCKS * BLOCK <= last]
    if first_id < 0 or not ops:
        return None
    on_ordinal = np.cumsum(np.asarray(kinds) == NOTE_ON) - 1
    extra = [(frame, kind, chan, key, first_id + int(on_ordinal[event]))
             for frame, kind, chan, key, event in ops]
    song = list(zip(frame_list, kinds, chans, d1, d2, strict=True))
    merged = sorted(song + extra, key=lambda e: e[0])  # stable: song events first
    last_plan_stats.clear()
    last_plan_stats.update(voices_ended=len(extra) // 2, measured_s=round(profiles.measured_s, 2))
    return TailPlan(set(chans)), [list(col) for col in zip(*merged, strict=True)]


def _plan_ops(synth, profiles, spare, drum_kits, frame_list, kinds, chans, d1, d2) -> list:
    """(frame, FADE/END, channel, key, index of the note-on event) for every drum voice
    that can end early."""
    groups: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    offs: dict[tuple[int, int], list[int]] = {}
    for i, (f, k, c, a, b) in enumerate(zip(frame_list, kinds, chans, d1, d2, strict=True)):
        if c not in drum_kits:
            continue
        if k == NOTE_ON:
            groups.setdefault((c, a), []).append((f, b, i))
        elif k == NOTE_OFF:
            offs.setdefault((c, a), []).append(f)
    max_hold = int(_MAX_HOLD_S * synth.samplerate)
    ops = []
    for (chan, key), notes in groups.items():
        off = offs.get((chan, key), [])  # in time order, as the events are
        starts = [f for f, _v, _i in notes]
        held = []
        for n, (f, _vel, _i) in enumerate(notes):
            # Released by its note-off or by the next hit of the same key, whichever is first
            # (a note-off at the very frame of the note-on comes before it: not its own).
            j = bisect.bisect_right(off, f)
            end = off[j] if j < len(off) else f + max_hold + 1
            if n + 1 < len(notes):
                end = min(end, starts[n + 1])
            held.append(max(BLOCK, end - f))
        profs = [None if h > max_hold else
                 profiles.get(synth, spare, drum_kits[chan], key, vel, h)
                 for (f, vel, _i), h in zip(notes, held, strict=True)]
        for n, (f, _vel, event) in enumerate(notes):
            p = profs[n]
            if p is None:
                continue
            end = f + p.quiet_block * BLOCK
            for m in range(n + 1, len(notes)):
                g = notes[m][0]
                if g >= end:
                    break
                q = profs[m]
                b = (g - f) // BLOCK
                if q is not None and b < len(p.tail_max) and p.tail_max[b] <= q.peak_db - MASK_DB:
                    end = g
                    break
            if end < f + (p.blocks - FADE_BLOCKS - 1) * BLOCK:
                ops.append((end, TailPlan.FADE, chan, key, event))
                ops.append((end + FADE_BLOCKS * BLOCK, TailPlan.END, chan, key, event))
    return ops
