"""Training data for the music GAN: corpora -> cached note lists -> 4-bar piano-roll phrases.

Two corpora (see ../shared/data/README.md):
- OpenScore Lieder (MusicXML, CC0): voice -> melody, piano right hand -> harmony,
  piano left hand -> bass. music21 parses about a song a second, so each song is parsed
  once and cached as a small .npz of quantised notes (``allow_pickle=False``).
  Only bars that last four quarter notes (4/4, 2/2) are used: the model's bar is 16
  sixteenth steps, and forcing 3/4 or 6/8 into that bar would teach it wrong downbeats.
- JSB chorales (JSON, 16th grid): soprano -> melody, alto+tenor -> harmony, bass -> bass.

The time grid is 4 steps per beat (16 per 4/4 bar). Keys come from a Krumhansl-Schmuckler
estimate per phrase, so a phrase that modulates is labelled with the key it is in.
music21 is imported only inside the Lieder parser (it is a training-only dependency).
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import SongloomError
from core.io.atomic_write import atomic_write_npz
from core.model.pianoroll import (
    BAR_STEPS,
    LOWEST_PITCH,
    N_PITCHES,
    N_TRACKS,
    PHRASE_BARS,
    STEPS_PER_BEAT,
    estimate_key,
)
from core.model.styles import STYLES

HELDOUT_FRACTION = 0.1  # Lieder songs held out by a hash of their path


# ---------------------------------------------------------------------------------------
# Parsing: one song -> notes (track, start_step, end_step, pitch, onset) + valid bar starts
# ---------------------------------------------------------------------------------------
@dataclass
class ParsedSong:
    name: str
    style: str
    heldout: bool
    notes: np.ndarray  # int32 (n, 4): track, start_step, end_step, pitch  (end exclusive)
    bar_starts: np.ndarray  # int32 step indices of usable 16-step bars
    length: int  # steps
    # Annotated keys (POP909): int32 (n, 3) rows of (from step, tonic, minor); None where
    # the corpus has none and each phrase's key is estimated from its notes.
    keys: np.ndarray | None = None


def _score_text(mxl_path: Path) -> str | None:
    try:
        with zipfile.ZipFile(mxl_path) as z:
            name = next(n for n in z.namelist() if n.endswith(".xml") and "META-INF" not in n)
            return z.read(name).decode("utf-8", "replace")
    except (zipfile.BadZipFile, StopIteration, OSError):
        return None


def prefilter_reason(mxl_path: Path) -> str:
    """Why a score cannot give voice/right hand/left hand phrases ("" if it can), from the
    XML text alone (~100x faster than parsing it with music21).

    It must use only 4-quarter bars (4/4, 2/2) and be laid out as songs for voice and piano
    are: one-staff voice parts, then one two-staff keyboard part. Other layouts put
    something else where the hands are expected (found in the training data: a 4-voice
    part-song gave its tenor as "harmony", piano four-hands gave the secondo alone, a
    three-staff piano lost its top staff), and those songs left the harmony empty in up to
    100 % of their bars.
    """
    import re

    text = _score_text(mxl_path)
    if text is None:
        return "unreadable"
    sigs = set(re.findall(r"<beats>(\d+)</beats>\s*<beat-type>(\d+)</beat-type>", text))
    if not sigs or not all(int(b) * 4 // int(t) == 4 and int(b) * 4 % int(t) == 0 for b, t in sigs):
        return "not 4/4"
    parts = re.findall(r"<part\s[^>]*>(.*?)</part>", text, re.S)
    staves = [max([int(x) for x in re.findall(r"<staves>(\d+)</staves>", p)] or [1]) for p in parts]
    if len(staves) < 2 or staves[-1] != 2 or any(n != 1 for n in staves[:-1]):
        return f"not voice + two-staff piano (staves per part: {staves})"
    return ""


def parse_lieder_song(mxl_path: Path) -> ParsedSong | None:
    try:
        import music21
    except ImportError as exc:  # training-only dependency: say how to get it
        raise SongloomError(
            "reading MusicXML for training needs music21, which the app does not install; "
            "install the training extra: .venv/bin/pip install -e '.[train]'", mxl_path) from exc

    score = music21.converter.parse(str(mxl_path))
    parts = list(score.parts)
    if len(parts) < 3:
        return None
    chosen = (parts[0], parts[-2], parts[-1])  # voice, piano RH, piano LH
    rows: list[tuple[int, int, int, int]] = []
    for track, part in enumerate(chosen):
        for el in part.flatten().notes:
            ql = float(el.duration.quarterLength)
            if ql <= 0:  # grace notes
                continue
            start = round(float(el.offset) * STEPS_PER_BEAT)
            end = max(start + 1, round((float(el.offset) + ql) * STEPS_PER_BEAT))
            tie = getattr(el, "tie", None)
            continuing = tie is not None and tie.type in ("stop", "continue")
            pitches = [p.midi for p in el.pitches] if el.isChord else [el.pitch.midi]
            for p in pitches:
                rows.append((track, start, end, p if not continuing else -p - 1))
    notes = _merge_ties(rows)
    if not _every_track_plays(notes):
        return None  # a voice or a hand with no notes at all (e.g. both hands on one staff)
    bar_starts = []
    for m in parts[0].getElementsByClass("Measure"):
        if abs(float(m.duration.quarterLength) - 4.0) < 1e-6:
            bar_starts.append(round(float(m.offset) * STEPS_PER_BEAT))
    length = int(notes[:, 2].max()) if len(notes) else 0
    return ParsedSong(str(mxl_path), "lieder", _is_heldout(str(mxl_path)), notes,
                      np.asarray(bar_starts, np.int32), length)


def _every_track_plays(notes: np.ndarray) -> bool:
    return all((notes[:, 0] == t).any() for t in range(N_TRACKS))


def _merge_ties(rows: list[tuple[int, int, int, int]]) -> np.ndarray:
    """Tie continuations (pitch stored as -p-1) extend the previous note of that pitch."""
    rows.sort(key=lambda r: (r[0], r[1]))
    out: list[list[int]] = []
    last: dict[tuple[int, int], list[int]] = {}
    for track, start, end, p in rows:
        if p < 0:
            key = (track, -p - 1)
            prev = last.get(key)
            if prev is not None and prev[2] >= start - 1:
                prev[2] = max(prev[2], end)
                continue
            p = -p - 1
        note = [track, start, end, p]
        out.append(note)
        last[(track, p)] = note
    return np.asarray(out, np.int32).reshape(-1, 4)


def _is_heldout(name: str) -> bool:
    digest = hashlib.sha1(Path(name).name.encode()).digest()
    return digest[0] < 256 * HELDOUT_FRACTION


def load_jsb(path: Path) -> list[ParsedSong]:
    """JSB chorales: one entry per 16th step, four voices; equal consecutive pitches merge.

    The file does not mark held vs repeated notes or bar lines, so a repeated pitch becomes
    one longer note and the downbeat phase is estimated from where long bass notes start.
    """
    data = json.loads(Path(path).read_text())
    songs = []
    for split, chorales in data.items():
        for i, steps in enumerate(chorales):
            voice_track = (0, 1, 1, 2)
            rows = []
            for v, track in enumerate(voice_track):
                seq = [s[v] if v < len(s) else -1 for s in steps]
                t = 0
                while t < len(seq):
                    p, u = seq[t], t
                    while u < len(seq) and seq[u] == p:
                        u += 1
                    if p >= 0:
                        rows.append((track, t, u, int(p)))
                    t = u
            notes = np.asarray(rows, np.int32).reshape(-1, 4)
            phase = _downbeat_phase(notes)
            bar_starts = np.arange(phase, len(steps) - BAR_STEPS + 1, BAR_STEPS, dtype=np.int32)
            songs.append(ParsedSong(f"jsb:{split}:{i}", "chorale", split == "test", notes,
                                    bar_starts, len(steps)))
    return songs


def _downbeat_phase(notes: np.ndarray) -> int:
    bass = notes[notes[:, 0] == 2]
    score = np.zeros(BAR_STEPS)
    for _, s, e, _ in bass:
        score[s % BAR_STEPS] += e - s
    beats = [score[p] + 0.5 * score[(p + 8) % BAR_STEPS] for p in range(0, BAR_STEPS, 4)]
    return int(np.argmax(beats)) * 4


# ---------------------------------------------------------------------------------------
# Cache of parsed songs
# ---------------------------------------------------------------------------------------
def _cache_file(cache_dir: Path, name: str) -> Path:
    return cache_dir / (hashlib.sha1(name.encode()).hexdigest()[:16] + ".npz")


def save_parsed(song: ParsedSong, cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    extra = {} if song.keys is None else {"keys": np.asarray(song.keys, np.int32)}
    atomic_write_npz(_cache_file(cache_dir, song.name), notes=song.notes,
                     bar_starts=song.bar_starts,
                     meta=np.asarray([song.name, song.style, str(int(song.heldout)),
                                      str(song.length)]), **extra)


def load_parsed(file: Path) -> ParsedSong:
    with np.load(file, allow_pickle=False) as z:
        name, style, held, length = (str(x) for x in z["meta"])
        keys = z["keys"] if "keys" in z.files else None
        return ParsedSong(name, style, held == "1", z["notes"], z["bar_starts"], int(length),
                          keys)


def parse_corpora(data_dir: Path, cache_dir: Path, time_budget_s: float = 1e9,
                  log: Callable[[str], None] = print) -> None:
    """Parse JSB and the 4/4 Lieder into ``cache_dir`` (resumable; skips cached songs).

    Lieder songs are visited in a fixed shuffled order so that a time-limited run gives
    a subset spread over all composers; songs that fail or are not in 4/4 are recorded
    in ``skipped.txt`` so they are not retried.
    """
    t0 = time.monotonic()
    cache_dir.mkdir(parents=True, exist_ok=True)
    jsb = Path(data_dir) / "jsb-chorales" / "Jsb16thSeparated.json"
    if jsb.exists() and not (cache_dir / "jsb.done").exists():
        for song in load_jsb(jsb):
            save_parsed(song, cache_dir)
        (cache_dir / "jsb.done").write_text("ok\n")
        log("parsed JSB chorales")
    files = sorted((Path(data_dir) / "openscore-lieder").rglob("*.mxl"))
    order = np.random.default_rng(0).permutation(len(files))
    skipped_file = cache_dir / "skipped.txt"
    skipped = set(skipped_file.read_text().splitlines()) if skipped_file.exists() else set()
    done = 0
    for k, i in enumerate(order):
        f = files[i]
        if str(f) in skipped:
            continue
        cached = _cache_file(cache_dir, str(f))
        if cached.exists():
            # A cache made before a filter was added is held to it too (the text check is
            # cheap): the song is dropped as a fresh parse would drop it.
            if prefilter_reason(f) or not _every_track_plays(load_parsed(cached).notes):
                cached.unlink()
                with skipped_file.open("a") as fh:
                    fh.write(f"{f}\n")
                log(f"dropped from the cache (layout): {f}")
            continue
        if time.monotonic() - t0 > time_budget_s:
            log(f"time budget reached after {k} of {len(files)} Lieder files")
            break
        reason = prefilter_reason(f)
        if not reason:
            try:
                song = parse_lieder_song(f)
                if song is None or len(song.bar_starts) < PHRASE_BARS:
                    reason = "too few 4/4 bars, or a part without notes"
                else:
                    save_parsed(song, cache_dir)
                    done += 1
            except SongloomError:
                raise  # e.g. music21 missing: not this score's fault, so don't skip it for ever
            except Exception as exc:  # noqa: BLE001 - a bad score is skipped, not fatal
                reason = f"parse error {type(exc).__name__}"
        if reason:
            with skipped_file.open("a") as fh:
                fh.write(f"{f}\n")
        if k % 20 == 0:
            log(f"lieder {k}/{len(files)} parsed={done} {time.monotonic() - t0:.0f}s")


# ---------------------------------------------------------------------------------------
# Phrases: song rolls concatenated into one array, phrases indexed into it
# ---------------------------------------------------------------------------------------
@dataclass
class PhraseSet:
    """All rolls in one uint8 array (steps, tracks, 2 maps [sounding, onset], pitches).

    A phrase is ``CONTEXT_BARS + PHRASE_BARS`` bars starting at ``starts[i]``; the context
    bar is the real bar before the phrase, all zeros at the start of a song.
    """

    rolls: np.ndarray
    starts: np.ndarray  # int64 row of the context bar
    has_context: np.ndarray  # bool
    style: np.ndarray  # int64 index into STYLES
    key: np.ndarray  # int64 tonic 0..11
    minor: np.ndarray  # int64 0/1
    song: np.ndarray  # int64 song index (for originality and the split)

    def __len__(self) -> int:
        return len(self.starts)

    def phrases(self, idx: np.ndarray) -> np.ndarray:
        """(n, tracks, 2, (1+PHRASE_BARS)*BAR_STEPS, pitches) uint8."""
        span = (1 + PHRASE_BARS) * BAR_STEPS
        rows = self.starts[idx][:, None] + np.arange(span)[None, :]
        x = self.rolls[rows]  # (n, span, tracks, 2, pitches)
        x[~self.has_context[idx], :BAR_STEPS] = 0
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1, 4))


def song_roll(notes: np.ndarray, length: int) -> np.ndarray:
    roll = np.zeros((length, N_TRACKS, 2, N_PITCHES), np.uint8)
    for track, start, end, pitch in notes:
        p = pitch - LOWEST_PITCH
        if 0 <= p < N_PITCHES and start < length:
            roll[start:min(end, length), track, 0, p] = 1
            roll[start, track, 1, p] = 1
    return roll


def build_phrases(songs: list[ParsedSong], stride_bars: int = 1,
                  styles: tuple[str, ...] = STYLES) -> PhraseSet:
    """Every 4-bar phrase of ``songs`` (one starting every ``stride_bars`` bars); a song's
    style is its index in ``styles`` (the network's conditioning order)."""
    rolls, starts, has_ctx, style_ids, keys, minors, song_ids = [], [], [], [], [], [], []
    offset = 0
    for sid, song in enumerate(songs):
        if not len(song.bar_starts):
            continue
        # One blank bar before the song so that a context slice never reads another song.
        length = int(max(song.length, song.bar_starts.max() + BAR_STEPS)) + BAR_STEPS
        roll = song_roll(np.c_[song.notes[:, :3] + [0, BAR_STEPS, BAR_STEPS], song.notes[:, 3]],
                         length)
        bars = set(int(b) for b in song.bar_starts)
        for j, b in enumerate(song.bar_starts):
            if j % stride_bars:
                continue
            if not all(b + k * BAR_STEPS in bars for k in range(PHRASE_BARS)):
                continue
            lo = b + BAR_STEPS
            phrase = roll[lo:lo + PHRASE_BARS * BAR_STEPS]
            if not phrase[:, :, 0].any():
                continue
            if song.keys is not None and len(song.keys):
                k = song.keys[max(0, int(np.searchsorted(song.keys[:, 0], b, "right")) - 1)]
                tonic, mode = int(k[1]), "minor" if k[2] else "major"
            else:
                weights = phrase[:, :, 0].sum(axis=(0, 1)).astype(float)
                tonic, mode = estimate_key(weights)
            rolls_ctx = (b - BAR_STEPS) in bars
            starts.append(offset + lo - BAR_STEPS)
            has_ctx.append(rolls_ctx)
            style_ids.append(styles.index(song.style))
            keys.append(tonic)
            minors.append(int(mode == "minor"))
            song_ids.append(sid)
        rolls.append(roll)
        offset += len(roll)
    return PhraseSet(np.concatenate(rolls) if rolls else np.zeros((0, N_TRACKS, 2, N_PITCHES), np.uint8),
                     np.asarray(starts, np.int64), np.asarray(has_ctx, bool),
                     np.asarray(style_ids, np.int64), np.asarray(keys, np.int64),
                     np.asarray(minors, np.int64), np.asarray(song_ids, np.int64))


def load_cached_songs(cache_dir: Path) -> list[ParsedSong]:
    return [load_parsed(f) for f in sorted(Path(cache_dir).glob("*.npz"))]


if __name__ == "__main__":  # python -m core.training.music_data DATA_DIR CACHE_DIR [BUDGET_S]
    import sys

    parse_corpora(Path(sys.argv[1]), Path(sys.argv[2]),
                  float(sys.argv[3]) if len(sys.argv) > 3 else 1e9,
                  log=lambda m: print(m, flush=True))
