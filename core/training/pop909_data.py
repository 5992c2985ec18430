"""POP909 (Wang et al., ISMIR 2020; MIT) as training songs for the music GAN's pop style.

Each song folder ``POP909/NNN/`` holds ``NNN.mid`` (tracks MELODY, BRIDGE, PIANO),
``beat_midi.txt`` (beat times in seconds; the third column marks downbeats),
``chord_midi.txt`` (start, end, Harte-style label such as ``F#:min7/b7``) and
``key_audio.txt`` (start, end, key such as ``Gb:maj``). What the model needs from it:

- melody = MELODY; BRIDGE (fills, a second melody) is left out: the model has no place
  for it and it is not part of the accompaniment;
- harmony and bass = PIANO split by register: a piano note is bass when it is the lowest
  piano note sounding at its onset and lies below BASS_SPLIT (middle C). A left-hand
  arpeggio over a held root therefore stays harmony; a bass line played alone is bass;
- time: note times (seconds, through the file's tempo map) are placed on the annotated
  beats by interpolation and quantised to 4 steps a beat, so a performance's rubato does
  not smear the grid; only bars whose next downbeat is 4 beats later are kept (4/4);
- keys and chords from the annotations (``ParsedSong.keys`` per key change; chord slots
  per half bar for core.training.chord_tables).

Training side only: reads the corpus, which is never shipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.errors import SongloomError
from core.io import smf
from core.model.chords import Chord
from core.model.pianoroll import BAR_STEPS, STEPS_PER_BEAT

BASS_SPLIT = 60  # MIDI pitch: a lowest-sounding piano note below middle C is the bass
STYLE = "pop"
_NOTE_NAMES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
# Harte qualities -> core.model.chords qualities (a seventh over sus4 kept as sus4: the
# chord tables count triads).
_QUALITY = {"maj": "", "min": "m", "sus2": "sus2", "sus4": "sus4", "sus4(b7)": "sus4",
            "min7": "m7", "maj7": "maj7", "7": "7", "maj6": "6", "min6": "m6", "dim": "dim",
            "dim7": "dim7", "hdim7": "m7b5", "aug": "aug", "minmaj7": "mmaj7"}
_DEGREE = {"1": 0, "b2": 1, "2": 2, "b3": 3, "3": 4, "4": 5, "#4": 6, "b5": 6, "5": 7,
           "#5": 8, "b6": 8, "6": 9, "b7": 10, "7": 11}


def _pc(name: str) -> int:
    pc = _NOTE_NAMES[name[0].upper()]
    for a in name[1:]:
        pc += {"#": 1, "b": -1}.get(a, 0)
    return pc % 12


def parse_key_label(label: str) -> tuple[int, str]:
    """``Gb:maj`` -> (6, "major")."""
    tonic, _, kind = label.strip().partition(":")
    if not tonic or tonic[0].upper() not in _NOTE_NAMES or kind not in ("maj", "min"):
        raise ValueError(f"unknown key label {label!r}")
    return _pc(tonic), "major" if kind == "maj" else "minor"


def parse_chord_label(label: str) -> Chord | None:
    """``F#:min7/b7`` -> Chord(6, "m7", bass 4); ``N`` (no chord) and unknown labels None."""
    root, _, rest = label.strip().partition(":")
    if not root or root[0].upper() not in _NOTE_NAMES or not rest:
        return None
    quality, _, bass = rest.partition("/")
    q = _QUALITY.get(quality)
    if q is None:
        return None
    r = _pc(root)
    b = (r + _DEGREE[bass]) % 12 if bass in _DEGREE else None
    return Chord(r, q, None if b is None or b == r else b)


def _read_table(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines() if line.strip()]


def _note_seconds(mid: smf.SmfFile) -> dict[str, list[tuple[float, float, int]]]:
    """{track name: [(start s, end s, pitch)]} through the file's tempo map."""
    tempos = sorted((ev[0], int.from_bytes(ev[3], "big")) for trk in mid.tracks
                    for ev in trk.events if ev[1] == smf.META and ev[2] == smf.META_TEMPO)
    tpb = mid.ticks_per_beat
    marks, secs, last_tick, last_sec, usec = [0], [0.0], 0, 0.0, 500_000
    for tick, tempo in tempos:
        last_sec += (tick - last_tick) * usec / 1e6 / tpb
        last_tick, usec = tick, tempo
        marks.append(tick)
        secs.append(last_sec)
    tempo_at = [500_000] + [t for _, t in tempos]

    def seconds(tick: int) -> float:
        i = int(np.searchsorted(marks, tick, side="right")) - 1
        return secs[i] + (tick - marks[i]) * tempo_at[i] / 1e6 / tpb

    out: dict[str, list[tuple[float, float, int]]] = {}
    for trk in mid.tracks:
        names = [ev[3] for ev in trk.events if ev[1] == smf.META and ev[2] == smf.META_TRACK_NAME]
        name = names[0].decode("latin-1").strip().upper() if names else ""
        open_notes: dict[int, int] = {}
        notes = out.setdefault(name, [])
        for ev in trk.events:
            tick, kind = ev[0], ev[1]
            if kind == smf.NOTE_ON and ev[4] > 0:
                open_notes.setdefault(ev[3], tick)
            elif kind in (smf.NOTE_ON, smf.NOTE_OFF) and ev[3] in open_notes:
                start = open_notes.pop(ev[3])
                notes.append((seconds(start), seconds(tick), ev[3]))
    return out


class BeatGrid:
    """Seconds <-> steps on the annotated beats (linear beyond the first and last beat)."""

    def __init__(self, beat_rows: list[list[str]]):
        self.times = np.asarray([float(r[0]) for r in beat_rows])
        self.downbeat = np.asarray([float(r[2]) > 0.5 for r in beat_rows])
        if len(self.times) < 8 or np.any(np.diff(self.times) <= 0):
            raise ValueError("too few or unordered beats")

    def step(self, seconds: float | np.ndarray) -> np.ndarray:
        t, idx = self.times, np.arange(len(self.times), dtype=float)
        beat = np.interp(seconds, t, idx)
        first, last = (t[1] - t[0]), (t[-1] - t[-2])
        beat = np.where(seconds < t[0], (seconds - t[0]) / first, beat)
        beat = np.where(seconds > t[-1], idx[-1] + (seconds - t[-1]) / last, beat)
        return np.round(beat * STEPS_PER_BEAT).astype(np.int64)

    def bar_starts(self) -> np.ndarray:
        """Steps of downbeats whose bar lasts 4 beats (the next downbeat 4 beats later)."""
        down = np.flatnonzero(self.downbeat)
        keep = [d for d, e in zip(down, down[1:], strict=False) if e - d == 4]
        return np.asarray(keep, np.int64) * STEPS_PER_BEAT


def split_piano(piano: np.ndarray) -> np.ndarray:
    """Piano notes (start, end, pitch) -> bool per note: is it the bass? The lowest note
    sounding at its onset (notes held from before count) and below BASS_SPLIT."""
    is_bass = np.zeros(len(piano), bool)
    for i, (s, _, p) in enumerate(piano):
        if p >= BASS_SPLIT:
            continue
        sounding = (piano[:, 0] <= s) & (piano[:, 1] > s)
        is_bass[i] = p <= piano[sounding, 2].min()
        # Two notes of one onset at the same lowest pitch cannot both be the bass.
        same = sounding & (piano[:, 2] == p) & (np.arange(len(piano)) < i) & is_bass
        is_bass[i] &= not same.any()
    return is_bass


def parse_pop909_song(folder: Path, heldout: bool):
    """One POP909 song folder -> ParsedSong (style "pop", with keys), or None if unusable."""
    from core.training.music_data import ParsedSong, _every_track_plays

    folder = Path(folder)
    mid_path = folder / f"{folder.name}.mid"
    try:
        mid = smf.parse_smf(mid_path.read_bytes())
        grid = BeatGrid(_read_table(folder / "beat_midi.txt"))
        keys_rows = _read_table(folder / "key_audio.txt")
    except (OSError, ValueError, IndexError, SongloomError):
        return None
    tracks = _note_seconds(mid)
    rows = []
    for track, name in ((0, "MELODY"), (1, "PIANO")):
        notes = tracks.get(name, [])
        if not notes:
            return None
        arr = np.asarray(notes, float)
        start, end = grid.step(arr[:, 0]), grid.step(arr[:, 1])
        end = np.maximum(end, start + 1)
        quant = np.c_[start, end, arr[:, 2].astype(np.int64)]
        quant = quant[quant[:, 0] >= 0]
        if track == 0:
            rows += [(0, s, e, p) for s, e, p in quant]
            continue
        bass = split_piano(quant)
        rows += [(2 if b else 1, s, e, p) for (s, e, p), b in zip(quant, bass, strict=True)]
    notes = np.asarray(sorted(rows, key=lambda r: (r[0], r[1], r[3])), np.int32).reshape(-1, 4)
    if not len(notes) or not _every_track_plays(notes):
        return None
    keys = []
    for r in keys_rows:
        try:
            tonic, mode = parse_key_label(r[2])
        except (ValueError, IndexError):
            continue
        keys.append((max(0, int(grid.step(float(r[0])))), tonic, int(mode == "minor")))
    if not keys:
        return None
    bar_starts = grid.bar_starts()
    bar_starts = bar_starts[bar_starts + BAR_STEPS <= int(notes[:, 2].max()) + BAR_STEPS]
    song = ParsedSong(str(mid_path), STYLE, heldout, notes, bar_starts.astype(np.int32),
                      int(notes[:, 2].max()))
    song.keys = np.asarray(sorted(keys), np.int32).reshape(-1, 3)
    return song


def chord_slots(folder: Path, keys: np.ndarray, bar_starts: np.ndarray):
    """Half-bar chord slots [(key, mode, Chord) or None] over the song's 4/4 bars, for
    core.training.chord_tables (the chord sounding at each half bar's start)."""
    folder = Path(folder)
    grid = BeatGrid(_read_table(folder / "beat_midi.txt"))
    rows = _read_table(folder / "chord_midi.txt")
    starts = grid.step(np.asarray([float(r[0]) for r in rows]))
    chords = [parse_chord_label(r[2]) for r in rows]
    slots = []
    for b in (int(x) for x in bar_starts):
        for at in (b, b + BAR_STEPS // 2):
            i = int(np.searchsorted(starts, at, side="right")) - 1
            k = int(np.searchsorted(keys[:, 0], at, side="right")) - 1
            chord = chords[i] if i >= 0 else None
            key = keys[max(k, 0)]
            slots.append(None if chord is None
                         else (int(key[1]), "minor" if key[2] else "major", chord))
    return slots


def song_folders(data_dir: Path) -> list[Path]:
    root = Path(data_dir) / "pop909" / "POP909"
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.isdigit()) \
        if root.is_dir() else []


def parse_pop909(data_dir: Path, cache_dir: Path, log=print) -> int:
    """Parse every POP909 song into ``cache_dir`` (skips cached ones); held-out songs are
    chosen by the same name hash as the Lieder. Returns the number of songs cached.

    Keep this cache apart from the lieder/chorale one (runs/cache): tools that read that
    cache condition on the shipped model's styles, which have no pop slot until a model
    trained with it ships."""
    from core.training.music_data import _cache_file, _is_heldout, save_parsed

    cached = 0
    for k, folder in enumerate(song_folders(data_dir)):
        name = str(folder / f"{folder.name}.mid")
        if _cache_file(Path(cache_dir), name).exists():
            cached += 1
            continue
        song = parse_pop909_song(folder, _is_heldout(name))
        if song is None or len(song.bar_starts) < 4:
            log(f"skipped {folder.name}: unreadable, no 4/4 bars or a part without notes")
            continue
        save_parsed(song, Path(cache_dir))
        cached += 1
        if k % 100 == 0:
            log(f"pop909 {k} songs")
    return cached


if __name__ == "__main__":  # python -m core.training.pop909_data DATA_DIR CACHE_DIR
    import sys

    print(parse_pop909(Path(sys.argv[1]), Path(sys.argv[2]),
                       log=lambda m: print(m, flush=True)), "songs cached")
