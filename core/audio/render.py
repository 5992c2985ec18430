"""Offline rendering: a Song (or a MIDI / .songloom file) to stereo float32 audio, WAV or FLAC.

One warm FluidSynth per SoundFont and sample rate is reused (core.audio.synth.warm_synth).
Audio is written straight into preallocated buffers; between two events FluidSynth renders
exactly the frames up to the next event's offset, snapped to the edge of FluidSynth's own
64-frame block (it cannot start a voice inside one), so every note lands within 0.73 ms of
its exact time at 44.1 kHz, and the number of FluidSynth calls grows with the number of
notes, not with their length.

Files are streamed in one-second blocks (an hour-long song never sits in memory), written
to a hidden temporary file beside the target and moved into place only when complete.
Before a byte is written the output's size is checked: songs longer than
``MAX_RENDER_S`` (2 hours) are refused (a 478-byte project at 1 BPM once asked for 530 GB
of WAV), and so is a render the disk has no room for. The temporary file is removed on
every way out: an error, a cancel, Ctrl-C.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import AudioError, SongloomError
from core.io.atomic_write import atomic_path, write_error_reason
from core.jobs import NEVER_CANCELLED, CancelToken, ProgressFn, no_progress
from core.model.song import Song

from . import drum_tails
from .events import CONTROL, NOTE_ON, SongEvents, apply_event, song_events
from .soundfonts import resolve_soundfont
from .synth import BLOCK, Synth, warm_synth

SAMPLE_RATES = (22050, 32000, 44100, 48000, 88200, 96000)
OUTPUT_FORMATS = {".wav": "WAV", ".flac": "FLAC"}
BIT_DEPTHS = {16: "PCM_16", 24: "PCM_24", 32: "FLOAT"}
# The release tail ends when a block's peak falls below -80 dBFS, or after this long.
TAIL_MAX_S = 4.0
TAIL_SILENCE = 1e-4
TAIL_BLOCK = 2048
MAX_RENDER_S = 2 * 3600  # documented in `songloom-cli render --help` and the export dialog
WAV_MAX_BYTES = 2**32 - 1  # RIFF sizes are 32-bit
_BYTES_PER_SAMPLE = {16: 2, 24: 3, 32: 4}


@dataclass
class RenderResult:
    duration_s: float  # length of the audio written, release tail included
    render_s: float  # wall time of rendering and writing (SoundFont loading excluded)
    realtime_factor: float  # duration_s / render_s
    path: str = ""
    samplerate: int = 44100
    peak: float = 0.0  # largest absolute sample before any clipping to the file's range
    clipped: bool = False
    load_s: float = 0.0  # opening the SoundFont (0 when the synth was already warm)


def _check_rate(samplerate: int) -> int:
    if int(samplerate) not in SAMPLE_RATES:
        rates = ", ".join(str(r) for r in SAMPLE_RATES)
        raise AudioError(f"sample rate {samplerate} Hz is not supported (use one of {rates})")
    return int(samplerate)


def _events_for(song: Song, what: str | Path | None = None) -> SongEvents:
    events = song_events(song, reserve_channels=0)
    if events.note_count == 0:
        raise SongloomError("nothing to render: the song has no notes that sound "
                            "(empty, or every track muted)", what)
    if events.end_s > MAX_RENDER_S:
        raise AudioError(f"the song is {events.end_s / 3600:,.1f} hours long: too long to "
                         f"render (the limit is {MAX_RENDER_S // 3600} hours)", what)
    return events


def check_output_size(events: SongEvents, out_path: Path, samplerate: int, bit_depth: int,
                      fmt: str) -> int:
    """The most bytes the file can take (PCM size; FLAC is usually half); AudioError when
    the format cannot hold it or the disk has no room for it."""
    frames = int((events.end_s + TAIL_MAX_S) * samplerate) + TAIL_BLOCK
    size = frames * 2 * _BYTES_PER_SAMPLE[bit_depth] + 4096
    if fmt == "WAV" and size > WAV_MAX_BYTES:
        raise AudioError(f"a WAV file holds at most 4 GiB; this render needs "
                         f"{size / 2**30:.1f} GiB (use FLAC or fewer bits)", out_path)
    try:
        free = shutil.disk_usage(out_path.parent).free
    except OSError:
        return size  # cannot tell (e.g. some network folders): a full disk is still reported
    if size + (1 << 20) > free:
        raise AudioError(f"not enough free space: the render needs up to {size / 2**20:,.1f} "
                         f"MiB, the disk has {free / 2**20:,.1f} MiB free", out_path)
    return size


def _prime_samples(synth: Synth, events: SongEvents, scratch: np.ndarray) -> None:
    """Start and kill every (channel, key, velocity) the song plays, silently, once.

    FluidSynth measures each sample's loudness the first time a voice uses it and then ends
    quiet release tails earlier; priming means the first dry render of a song is already the
    same as every later one (so scores of one MIDI file are reproducible). Only for dry
    synths: with reverb the burst would ring into the song, and wet renders differ slightly
    anyway (the reverb's modulation phase survives a reset).
    """
    on = events.kinds == NOTE_ON
    setup = events.kinds <= CONTROL
    for k, c, a, b in zip(events.kinds[setup].tolist(), events.chans[setup].tolist(),
                          events.data1[setup].tolist(), events.data2[setup].tolist(), strict=True):
        apply_event(synth, k, c, a, b)
    triples = np.unique(np.stack((events.chans[on], events.data1[on], events.data2[on]), 1), axis=0)
    for start in range(0, len(triples), 128):  # stay under the 256-voice polyphony
        for c, key, vel in triples[start:start + 128].tolist():
            synth.noteon(c, key, vel)
        synth.write(scratch, 0, BLOCK)
        synth.all_sounds_off()
        synth.write(scratch, 0, BLOCK)
    # No reset here: it would unselect the presets, and a lazily loading synth would then
    # decode their samples all over again for the song itself.


def iter_blocks(synth: Synth, events: SongEvents, samplerate: int, block_frames: int,
                cancel: CancelToken = NEVER_CANCELLED,
                end_drum_tails: bool = True) -> Iterator[np.ndarray]:
    """Yield the song as consecutive (n, 2) float32 blocks, release tail included.

    Every yielded array is a view into one reused buffer: copy or write it before asking
    for the next block. ``end_drum_tails``: end drum voices nobody can hear any more
    (core/audio/drum_tails.py; False renders every voice to its end, for comparisons).
    """
    synth.reset()
    buf = np.zeros((block_frames, 2), dtype=np.float32)
    if not synth.effects:
        _prime_samples(synth, events, buf)
    # reset() leaves the synth on a block edge, so song frame 0 is one: snapping every event
    # to the nearest multiple of BLOCK makes it land exactly there (see Synth.grid_offset).
    frames = np.rint(events.times * (samplerate / BLOCK)).astype(np.int64) * BLOCK
    frame_list, kinds, chans = frames.tolist(), events.kinds.tolist(), events.chans.tolist()
    d1, d2 = events.data1.tolist(), events.data2.tolist()
    apply = apply_event
    planned = (drum_tails.plan(synth, frame_list, kinds, chans, d1, d2)
               if end_drum_tails and frame_list else None)
    if planned is not None:
        apply, (frame_list, kinds, chans, d1, d2) = planned[0].apply, planned[1]
    n_events = len(frame_list)
    end_frame = int(frames[-1]) if n_events else 0
    pos = i = 0
    while pos < end_frame:
        cancel.check()
        n = min(block_frames, end_frame - pos)
        block_end, cursor = pos + n, 0
        while i < n_events and frame_list[i] < block_end:
            offset = frame_list[i] - pos
            if offset > cursor:
                synth.write(buf, cursor, offset)
                cursor = offset
            apply(synth, kinds[i], chans[i], d1[i], d2[i])
            i += 1
        synth.write(buf, cursor, n)
        pos = block_end
        yield buf[:n]
    while i < n_events:  # events exactly at the end (the last note-offs)
        apply(synth, kinds[i], chans[i], d1[i], d2[i])
        i += 1
    # Release tail: reverb and note releases ring on after the last note-off.
    tail_left = int(TAIL_MAX_S * samplerate)
    tail = buf[: min(TAIL_BLOCK, block_frames)]
    while tail_left > 0:
        cancel.check()
        n = min(len(tail), tail_left)
        synth.write(tail, 0, n)
        tail_left -= n
        yield tail[:n]
        if float(np.abs(tail[:n]).max()) < TAIL_SILENCE:
            break


def render_song(song: Song, soundfont: str | Path | None = None, samplerate: int = 44100,
                cancel: CancelToken = NEVER_CANCELLED, effects: bool = True,
                lazy_samples: bool = False, end_drum_tails: bool = True) -> np.ndarray:
    """The whole song as a (frames, 2) float32 array (tail included). For files use
    ``render_to_file``, which streams. ``effects=False`` renders dry (no reverb or chorus)
    and bit-identically every time, as the audio scores need. ``lazy_samples``: see
    core.audio.synth.warm_synth (for one-off processes)."""
    samplerate = _check_rate(samplerate)
    events = _events_for(song)  # (length-checked: the buffer below holds the whole song)
    synth, lock = warm_synth(resolve_soundfont(soundfont), samplerate, effects, lazy_samples)
    song_frames = int(np.rint(events.times[-1] * samplerate))
    out = np.empty((song_frames + int(TAIL_MAX_S * samplerate) + TAIL_BLOCK, 2), np.float32)
    filled = 0
    with lock:
        # Big blocks: fewer Python iterations; event timing is exact whatever the size.
        for block in iter_blocks(synth, events, samplerate, 1 << 16, cancel, end_drum_tails):
            out[filled: filled + len(block)] = block
            filled += len(block)
    return out[:filled]


def load_song_file(path: str | Path, warn=None) -> Song:
    """A Song from a .mid/.midi/.kar or .songloom file (errors name the file)."""
    from core.io.song_io import load_song

    # load_song reads regular files only, at most the format's cap: a FIFO, a device or a
    # folder is refused there, before it is opened.
    return load_song(path, warn=warn)


def _write_failure(exc: BaseException, out_path: Path) -> str:
    """libsndfile reports a full disk as "System error."; look at the disk instead."""
    if isinstance(exc, OSError):
        return write_error_reason(exc, out_path.parent)
    try:
        if shutil.disk_usage(out_path.parent).free < (1 << 20):
            return "the disk is full"
    except OSError:
        pass
    return f"cannot write the audio file ({' '.join(str(exc).split())})"


def render_to_file(song_or_path: Song | str | Path, out_path: str | Path,
                   soundfont: str | Path | None = None, samplerate: int = 44100,
                   bit_depth: int = 16, progress: ProgressFn | None = None,
                   cancel: CancelToken = NEVER_CANCELLED, warn=None,
                   lazy_samples: bool = False) -> RenderResult:
    """Render to ``out_path`` (.wav or .flac). Nothing is left behind on error or cancel."""
    out_path = Path(out_path)
    fmt = OUTPUT_FORMATS.get(out_path.suffix.lower())
    if fmt is None:
        raise AudioError("audio files must end in .wav or .flac", out_path)
    if bit_depth not in BIT_DEPTHS or (fmt == "FLAC" and bit_depth == 32):
        raise AudioError(f"{bit_depth}-bit is not available for {fmt} (use 16 or 24)", out_path)
    if not out_path.parent.is_dir():
        raise AudioError("the folder to write into does not exist", out_path.parent)
    samplerate = _check_rate(samplerate)
    progress = progress or no_progress
    if isinstance(song_or_path, Song):
        song, source = song_or_path, None
    else:
        source = Path(song_or_path)
        song = load_song_file(source, warn=warn)
    sf_path = resolve_soundfont(soundfont)
    events = _events_for(song, source)
    check_output_size(events, out_path, samplerate, bit_depth, fmt)

    import soundfile

    t0 = time.perf_counter()
    synth, lock = warm_synth(sf_path, samplerate, lazy_samples=lazy_samples)
    started = time.perf_counter()
    total = max(1, int(events.end_s * samplerate))
    written, peak, clip = 0, 0.0, bit_depth != 32
    try:
        # The .part is removed on any exception, KeyboardInterrupt too: it can be gigabytes.
        with atomic_path(out_path, error_cls=AudioError) as tmp, lock, \
                soundfile.SoundFile(tmp, "w", samplerate=samplerate, channels=2, format=fmt,
                                    subtype=BIT_DEPTHS[bit_depth]) as fh:
            for block in iter_blocks(synth, events, samplerate, samplerate, cancel):
                peak = max(peak, float(np.abs(block).max(initial=0.0)))
                if clip:  # integer formats wrap around instead of clipping
                    np.clip(block, -1.0, 1.0, out=block)
                fh.write(block)
                written += len(block)
                progress(min(written / total, 1.0), "rendering audio")
    except BaseException as exc:
        if isinstance(exc, OSError | RuntimeError) and not isinstance(exc, SongloomError):
            raise AudioError(_write_failure(exc, out_path), out_path) from None
        raise
    elapsed = time.perf_counter() - started
    duration = written / samplerate
    return RenderResult(duration_s=duration, render_s=elapsed,
                        realtime_factor=duration / elapsed if elapsed > 0 else float("inf"),
                        path=str(out_path), samplerate=samplerate, peak=peak,
                        clipped=clip and peak > 1.0, load_s=started - t0)
