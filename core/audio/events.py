"""A Song as a time-sorted list of synthesizer events (numpy arrays, not Python objects).

Both the offline renderer and the real-time player consume this: times are seconds from the
song start following the tempo map, so the player can scale them (tempo slider) and the
renderer turns them into sample offsets. Set-up events (program, CC7 volume, CC10 pan) sit at
time 0 before any note; at equal times note-offs come before note-ons so a repeated pitch
re-strikes instead of being cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.errors import SongloomError
from core.model.song import TICKS_PER_BEAT, Song, Track

from .synth import SYNTH_CHANNELS

# Event kinds, in the order they must run when they share a time.
PROGRAM, CONTROL, NOTE_OFF, NOTE_ON = 0, 1, 2, 3
CC_VOLUME, CC_PAN = 7, 10
DRUM_CHANNEL = 9
# The player keeps the last channel for auditioning notes from the piano keyboard.
AUDITION_CHANNEL = SYNTH_CHANNELS - 1


@dataclass
class SongEvents:
    """Parallel arrays, sorted by (time, kind)."""

    times: np.ndarray  # float64 seconds
    kinds: np.ndarray  # int8: PROGRAM, CONTROL, NOTE_OFF, NOTE_ON
    chans: np.ndarray  # int16
    data1: np.ndarray  # int16: program / controller / key
    data2: np.ndarray  # int16: drums flag / value / velocity
    end_s: float  # when the last note is released
    note_count: int

    def __len__(self) -> int:
        return int(self.times.shape[0])

    def first_at_or_after(self, seconds: float) -> int:
        return int(np.searchsorted(self.times, seconds, side="left"))

    def setup_indices(self) -> np.ndarray:
        """The program and controller events (replayed after a seek)."""
        return np.flatnonzero(self.kinds <= CONTROL)


def ticks_to_seconds(song: Song, ticks: np.ndarray) -> np.ndarray:
    """Vectorised Song.tick_to_seconds (same tempo-map rules, one pass for all notes)."""
    tempos = sorted(song.tempos, key=lambda t: t.tick)
    if not tempos:
        tempos_ticks, bpms = np.array([0]), np.array([120.0])
    else:
        for change in tempos:
            if not change.bpm > 0:
                raise SongloomError(f"tempo {change.bpm} BPM at tick {change.tick} is not positive")
        # Before the first change the first tempo applies (as in Song.tick_to_seconds).
        tempos_ticks = np.array([0] + [t.tick for t in tempos], dtype=np.int64)
        bpms = np.array([tempos[0].bpm] + [t.bpm for t in tempos], dtype=np.float64)
    sec_per_tick = 60.0 / (bpms * TICKS_PER_BEAT)
    seg_start = np.concatenate(([0.0], np.cumsum(np.diff(tempos_ticks) * sec_per_tick[:-1])))
    idx = np.searchsorted(tempos_ticks, ticks, side="right") - 1
    idx = np.clip(idx, 0, len(tempos_ticks) - 1)
    return seg_start[idx] + (ticks - tempos_ticks[idx]) * sec_per_tick[idx]


def audible_tracks(song: Song) -> list[Track]:
    """Tracks that sound: if any track is soloed only the soloed ones, never the muted ones."""
    soloed = [t for t in song.tracks if t.solo]
    return [t for t in (soloed or song.tracks) if not t.mute]


def assign_channels(tracks: list[Track], reserve: int = 1) -> list[int]:
    """One synth channel per track: drums on 9 (GM channel 10), others in order around it.

    With more tracks than channels, tracks that share a program share a channel (their
    volume and pan then follow the first of them).
    """
    usable = [c for c in range(SYNTH_CHANNELS - reserve) if c != DRUM_CHANNEL]
    channels: list[int] = []
    by_sound: dict[tuple[bool, int], int] = {}
    drum_used = False
    for track in tracks:
        sound = (track.is_drum, track.program)
        if track.is_drum and not drum_used:
            chan, drum_used = DRUM_CHANNEL, True
        elif usable:
            chan = usable.pop(0)
        else:
            chan = by_sound.get(sound, len(channels) % (SYNTH_CHANNELS - reserve))
        by_sound.setdefault(sound, chan)
        channels.append(chan)
    return channels


def song_events(song: Song, reserve_channels: int = 1) -> SongEvents:
    tracks = audible_tracks(song)
    channels = assign_channels(tracks, reserve_channels)
    setup: list[tuple[int, int, int, int]] = []
    starts, ends, keys, vels, note_chans = [], [], [], [], []
    configured: set[int] = set()
    for track, chan in zip(tracks, channels, strict=True):
        if chan not in configured:
            configured.add(chan)
            setup += [
                (PROGRAM, chan, int(track.program) & 127, int(track.is_drum)),
                (CONTROL, chan, CC_VOLUME, _clamp7(track.volume)),
                (CONTROL, chan, CC_PAN, _clamp7(track.pan)),
            ]
        if not track.notes:
            continue
        arr = np.array([(n.start, n.duration, n.pitch, n.velocity) for n in track.notes],
                       dtype=np.int64)
        starts.append(arr[:, 0])
        ends.append(arr[:, 0] + np.maximum(arr[:, 1], 1))
        keys.append(np.clip(arr[:, 2], 0, 127))
        vels.append(np.clip(arr[:, 3], 1, 127))
        note_chans.append(np.full(len(arr), chan, dtype=np.int64))
    if starts:
        on_ticks, off_ticks = np.concatenate(starts), np.concatenate(ends)
        key, vel, nchan = np.concatenate(keys), np.concatenate(vels), np.concatenate(note_chans)
    else:
        on_ticks = off_ticks = key = vel = nchan = np.zeros(0, dtype=np.int64)
    n_notes, n_setup = len(on_ticks), len(setup)
    setup_arr = np.array(setup, dtype=np.int64).reshape(n_setup, 4)
    on_s = ticks_to_seconds(song, on_ticks)
    off_s = ticks_to_seconds(song, off_ticks)
    times = np.concatenate((np.zeros(n_setup), on_s, off_s))
    kinds = np.concatenate((setup_arr[:, 0], np.full(n_notes, NOTE_ON), np.full(n_notes, NOTE_OFF)))
    chans = np.concatenate((setup_arr[:, 1], nchan, nchan))
    data1 = np.concatenate((setup_arr[:, 2], key, key))
    data2 = np.concatenate((setup_arr[:, 3], vel, np.zeros(n_notes, dtype=np.int64)))
    order = np.lexsort((kinds, times))
    return SongEvents(
        times=times[order],
        kinds=kinds[order].astype(np.int8),
        chans=chans[order].astype(np.int16),
        data1=data1[order].astype(np.int16),
        data2=data2[order].astype(np.int16),
        end_s=float(off_s.max()) if n_notes else 0.0,
        note_count=n_notes,
    )


def _clamp7(value: int) -> int:
    return max(0, min(127, int(value)))


def apply_event(synth, kind: int, chan: int, d1: int, d2: int, program=None) -> None:
    """Send one event to a core.audio.synth.Synth. ``program(chan, number, drums)`` selects
    instruments on a synth with another API (``bench audio``'s bare pyfluidsynth baseline)."""
    if kind == NOTE_ON:
        synth.noteon(chan, d1, d2)
    elif kind == NOTE_OFF:
        synth.noteoff(chan, d1)
    elif kind == CONTROL:
        synth.cc(chan, d1, d2)
    else:
        (program or synth.program)(chan, d1, drums=bool(d2))
