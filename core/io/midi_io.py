"""MIDI and karaoke (.mid, .midi, .kar) import and export of a Song.

Import (``read_midi``): types 0 and 1, and type 2 (its first song, with a warning).
Each (track chunk, channel) with notes becomes a Song track; channel 10 is drums. Tempo
changes, the first time and key signature, the first program, volume (CC7) and pan
(CC10) per channel, track names, and lyrics (Lyric events, or the Text events of a
karaoke file; see core/io/midi_lyrics.py for the encoding) are read. Pitch bend,
aftertouch, other controllers and SysEx are ignored. A note that never ends (no
note-off) is an error, except on the drum channel, where one-shot hits without note-offs
are common and last a 16th note. Bytes are parsed by core/io/smf.py, which bounds size, events and
ticks; whatever goes wrong, only ``MidiImportError`` (naming the file) leaves here, and
no Song is returned half-built.

Export (``write_midi``): type 1 at 480 ticks per beat. Track 1 is the conductor (song
title as its name, time and key signature, tempo map, lyric-section markers, the form's
sections as markers and its chords as Text events: core/io/midi_form.py); then one track
per Song track with its name, channel, program, volume and pan, and on the melody track
the lyrics as UTF-8 Lyric events at the syllable onsets. ``.kar`` adds the Soft Karaoke
"Words" track. Songloom's own track details (role, mute, solo, colour) ride along in a
sequencer-specific event that other programs ignore, so Songloom -> MIDI -> Songloom
keeps them. The file is written atomically.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable
from pathlib import Path

from core.errors import MidiImportError, SongloomError
from core.io import smf
from core.io.atomic_write import atomic_write_bytes
from core.io.bounded_read import read_bounded_bytes
from core.io.midi_form import form_events, form_payload, read_form
from core.io.midi_lyrics import KAR_HEADER, decode_lyric_events, encode_lyric_events
from core.io.safe_json import JsonContentError, has_lone_surrogate, parse_json
from core.model.limits import MAX_LINE_CHARS, song_limit_problem
from core.model.song import (
    ROLES,
    TICKS_PER_BEAT,
    Lyrics,
    Note,
    Song,
    TempoChange,
    TimeSignature,
    Track,
)
from core.model.theory import SHARP_NAMES, key_name
from core.model.track_names import default_track_name

MIDI_EXTENSIONS = (".mid", ".midi", ".kar")
log = logging.getLogger("songloom.midi")
MAX_TRACKS = 256  # (chunk, channel) pairs with notes; a big orchestral file has ~40
DRUM_CHANNEL = 9
# Sequencer-specific meta data: 0x7D is the MIDI ID for non-commercial use.
_SONGLOOM_TAG = bytes([0x7D]) + b"songloom:"
_ROLE_WORDS = (
    ("drums", ("drum", "perc", "kit")),
    ("bass", ("bass", "basso")),
    ("melody", ("melody", "voice", "vocal", "lead", "sing", "soprano", "solo")),
    ("harmony", ("harmony", "chord", "piano", "pad", "keys", "guitar", "strings", "organ")),
)


class MidiExportError(SongloomError):
    """A Song that cannot be written as MIDI, or a MIDI file that cannot be written."""


# -- import -------------------------------------------------------------------------


def read_midi(path: str | Path, warn: Callable[[str], None] | None = None) -> Song:
    """Read a MIDI/KAR file. ``warn`` receives one-line notes about compromises made
    while reading (default: the ``songloom.midi`` logger, at WARNING level)."""
    path = Path(path)
    notes_out: list[str] = []
    data = read_bounded_bytes(path, max_bytes=smf.MAX_FILE_BYTES, error_cls=MidiImportError,
                              kind="a MIDI file", too_large_for="a song")
    try:
        song = _song_from_smf(smf.parse_smf(data), path, notes_out.append)
    except MidiImportError as exc:
        raise MidiImportError(exc.reason, path) from None
    except Exception as exc:  # noqa: BLE001
        # A bug in Songloom, not in the file (core/io/smf.py checks everything); still, a file
        # must never cause a traceback: report it in one line with the exception's name.
        raise MidiImportError(f"unreadable MIDI data ({type(exc).__name__}: {exc})", path) from None
    for message in notes_out:
        if warn is None:
            # Without a handler configured this prints exactly "FILE: message" to stderr.
            log.warning("%s: %s", path, message)
        else:
            warn(message)
    return song


def _decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older karaoke files


def _song_from_smf(f: smf.SmfFile, path: Path, warn: Callable[[str], None]) -> Song:
    tracks = f.tracks
    if f.format == 2:
        warn(f"a type 2 file holds {len(tracks)} separate songs; only the first was read")
        tracks = tracks[:1]
    if f.smpte:
        fps, per_frame = f.smpte
        warn("SMPTE (frame-based) timing: read as 120 BPM")
        scale = TICKS_PER_BEAT * 2 / (fps * per_frame)
    else:
        scale = TICKS_PER_BEAT / f.ticks_per_beat

    def tick(t: int) -> int:
        return round(t * scale)

    metas = [(e[0], e[2], e[3], i) for i, t in enumerate(tracks) for e in t.events if e[1] == smf.META]
    metas.sort(key=lambda m: m[0])

    tempos: dict[int, float] = {}
    time_sigs, key_sigs, markers = [], [], []
    for t, mtype, data, _ in metas:
        if mtype == smf.META_TEMPO and len(data) == 3 and not f.smpte:
            usec = int.from_bytes(data, "big")
            if usec > 0:
                tempos[tick(t)] = _bpm(usec)
        elif mtype == smf.META_TIME_SIG and len(data) >= 2 and data[0] > 0 and data[1] <= 6:
            time_sigs.append((data[0], 2 ** data[1]))
        elif mtype == smf.META_KEY_SIG and len(data) == 2:
            sf = data[0] - 256 if data[0] > 127 else data[0]
            if -7 <= sf <= 7 and data[1] in (0, 1):
                key_sigs.append(((sf * 7 + (9 if data[1] else 0)) % 12, "minor" if data[1] else "major"))
        elif mtype == smf.META_MARKER:
            markers.append((tick(t), _decode_text(data)))
    if 0 not in tempos:
        tempos[0] = 120.0  # the MIDI default until the first tempo event
    if len(set(time_sigs)) > 1:
        warn("the time signature changes; Songloom keeps the first one")
    if len(set(key_sigs)) > 1:
        warn("the key signature changes; Songloom keeps the first one")

    song_tracks: list[Track] = []
    hanging = 0
    lyric_sources: list[tuple[int | None, list[tuple[int, str]]]] = []
    # Karaoke text per chunk: (is the "Words" track, events)
    kar_sources: list[tuple[bool, list[tuple[int, str]]]] = []
    title = None
    conductor_extra, conductor_text = None, []
    for index, trk in enumerate(tracks):
        name, extra, lyric_events, kar_text = "", None, [], []
        for t, mtype, data, _ in ((e[0], e[2], e[3], 0) for e in trk.events if e[1] == smf.META):
            if mtype == smf.META_TRACK_NAME and not name:
                name = _decode_text(data).strip()
            elif mtype == smf.META_SEQUENCER and data.startswith(_SONGLOOM_TAG):
                extra = _songloom_extra(data[len(_SONGLOOM_TAG) :])
            elif mtype == smf.META_LYRIC:
                lyric_events.append((tick(t), _decode_text(data)))
            elif mtype == smf.META_TEXT:
                text = _decode_text(data)
                if text.startswith("@"):
                    if text.startswith("@T") and title is None:
                        title = text[2:].strip() or None
                else:
                    kar_text.append((tick(t), text))
        if index == 0:
            conductor_extra, conductor_text = extra, kar_text
        if index == 0 and extra and "title" in extra:
            title = str(extra["title"])
        elif index == 0 and name and (f.format == 0 or not any(e[1] == smf.NOTE_ON for e in trk.events)):
            title = title or name
        # A type 0 file's one track name is the song's title, not a part's name.
        part_name = "" if f.format == 0 else name
        made, lost = _tracks_of_chunk(trk, index + 1, part_name, extra, tick, f.ticks_per_beat)
        hanging += lost
        if len(song_tracks) + len(made) > MAX_TRACKS:
            raise MidiImportError(f"more than {MAX_TRACKS} tracks with notes: too many for a song")
        if kar_text:
            kar_sources.append((name.lower() == "words", kar_text))
        if lyric_events:
            # Who sings them: the first track of this chunk (unless Songloom set roles).
            owner = len(song_tracks) if made and extra is None else None
            lyric_sources.append((owner, lyric_events))
        song_tracks.extend(made)
    if hanging:
        warn(f"{hanging} drum notes had no note-off; they last a 16th note")

    lyrics = Lyrics()
    if lyric_sources:
        best = max(lyric_sources, key=lambda s: len(s[1]))
        if len(lyric_sources) > 1:
            warn(f"lyrics on {len(lyric_sources)} tracks; Songloom keeps the longest")
        lyrics = decode_lyric_events(best[1], markers)
        owner = best[0]
        if owner is not None and not any(t.role == "melody" for t in song_tracks):
            song_tracks[owner].role = "melody"  # the lyrics are sung on it
    elif kar_sources and (path.suffix.lower() == ".kar" or any(
        e[1] == smf.META and e[2] == smf.META_TEXT and e[3].startswith(b"@KMIDI")
        for t in tracks for e in t.events
    )):
        # Soft Karaoke keeps the words on a track named "Words"; else the wordiest track.
        lyrics = decode_lyric_events(max(kar_sources, key=lambda k: (k[0], len(k[1])))[1], markers)

    key, mode = key_sigs[0] if key_sigs else (0, "major")
    song = Song(
        title=title or path.stem,
        tempos=[TempoChange(t, bpm) for t, bpm in sorted(tempos.items())],
        time_signature=TimeSignature(*(time_sigs[0] if time_sigs else (4, 4))),
        key=key,
        mode=mode,
        tracks=song_tracks,
        lyrics=lyrics,
    )
    # Karaoke files keep their words in Text events: none of those is read as a chord.
    karaoke = path.suffix.lower() == ".kar" or any(
        e[1] == smf.META and e[2] == smf.META_TEXT and e[3].startswith(b"@KMIDI")
        for t in tracks for e in t.events)
    song.sections, song.chords = read_form(
        conductor_extra, markers, [] if karaoke else conductor_text,
        max([song.end_tick(), *(t for t, _ in markers)]), song.ticks_per_bar() or 1920)
    problem = song_limit_problem(song)  # the limits every reader and writer shares
    if problem:
        raise MidiImportError(problem)
    return song


def _bpm(usec: int) -> float:
    """The simplest BPM (fewest decimals) stored as ``usec`` microseconds per beat, so a
    tempo typed as 97.5 comes back as 97.5, not 97.49998."""
    exact = 60_000_000 / usec
    for digits in range(4):
        candidate = round(exact, digits)
        if candidate > 0 and round(60_000_000 / candidate) == usec:
            return candidate
    return round(exact, 6)


def _songloom_extra(raw: bytes) -> dict | None:
    try:
        value = parse_json(raw.decode("utf-8"), max_depth=None)
    except (UnicodeDecodeError, JsonContentError):
        return None
    # Bounded (parse_json) and with every "\ud800" escape replaced: the UTF-8 decoder
    # refuses lone surrogates in plain text, but a JSON escape carries them through, and
    # such text could never be written again.
    return _without_surrogates(value) if isinstance(value, dict) else None


def _without_surrogates(value, depth: int = 0):
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace") \
            if has_lone_surrogate(value) else value
    if depth > 32:
        return None
    if isinstance(value, dict):
        return {_without_surrogates(k, depth + 1): _without_surrogates(v, depth + 1)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v, depth + 1) for v in value]
    return value


def _tracks_of_chunk(trk: smf.SmfTrack, number: int, name: str, extra: dict | None, tick, ticks_per_beat: int):
    """One Song track per channel with notes; (tracks, number of hanging notes)."""
    open_notes: dict[tuple[int, int], deque] = {}
    notes: dict[int, list[Note]] = {}
    program: dict[int, int] = {}
    control: dict[tuple[int, int], int] = {}
    for t, kind, a, b, c in trk.events:
        if kind == smf.NOTE_ON:
            open_notes.setdefault((a, b), deque()).append((t, c))
        elif kind == smf.NOTE_OFF:
            queue = open_notes.get((a, b))
            if queue:  # a stray note-off (nothing sounding) is ignored
                start, velocity = queue.popleft()
                s = tick(start)
                notes.setdefault(a, []).append(Note(s, max(1, tick(t) - s), b, velocity))
        elif kind == smf.PROGRAM:
            program.setdefault(a, b)
        elif kind == smf.CONTROL and b in (7, 10):
            control.setdefault((a, b), c)
    hanging = 0
    for (channel, pitch), queue in open_notes.items():
        for start, velocity in queue:
            if channel != DRUM_CHANNEL:
                raise MidiImportError(
                    f"track {number}: note {_pitch_name(pitch)} on channel {channel + 1} at "
                    f"beat {start / ticks_per_beat + 1:g} never ends (no note-off)"
                )
            # GM drums are one-shots and many files never switch them off: a 16th is fine.
            hanging += 1
            s = tick(start)
            notes.setdefault(channel, []).append(Note(s, TICKS_PER_BEAT // 4, pitch, velocity))
    channels = sorted(notes)
    if not channels and extra is not None and isinstance(extra.get("channel"), int):
        channels = [extra["channel"] % 16]  # an empty Songloom track: keep it
    made = []
    for channel in channels:
        prog = program.get(channel, 0)
        drum = channel == DRUM_CHANNEL
        # An unnamed part is named by instrument and channel ("Piano (ch 1)"): two unnamed
        # piano parts no longer both read "Acoustic Grand Piano".
        track_name = name or default_track_name(prog, channel, drum)
        if len(channels) > 1 and name:
            track_name = f"{track_name} (ch {channel + 1})"
        ours = extra if (extra is not None and len(channels) == 1) else {}
        role = ours.get("role")
        if role not in ROLES:
            # From the part's name; without one, a GM bass program (32-39) plays the bass.
            role = "drums" if drum else _guess_role(name) if name else "bass" if 32 <= prog <= 39 else "other"
        made.append(
            Track(
                name=track_name,
                role=role,
                program=prog,
                is_drum=bool(ours.get("is_drum", drum)),
                channel=channel,
                mute=bool(ours.get("mute", False)),
                solo=bool(ours.get("solo", False)),
                volume=control.get((channel, 7), 100),
                pan=control.get((channel, 10), 64),
                color=str(ours.get("color", "")),
                notes=sorted(notes.get(channel, []), key=lambda n: (n.start, n.pitch)),
            )
        )
    return made, hanging


def _pitch_name(pitch: int) -> str:
    return f"{SHARP_NAMES[pitch % 12]}{pitch // 12 - 1}"


def _guess_role(name: str) -> str:
    low = name.lower()
    for role, words in _ROLE_WORDS:
        if any(w in low for w in words):
            return role
    return "other"


# -- export -------------------------------------------------------------------------


def _check_song(song: Song, path: Path) -> None:
    def bad(what: str) -> MidiExportError:
        return MidiExportError(f"cannot write MIDI: {what}", path)

    limit = smf.MAX_BEATS * TICKS_PER_BEAT  # what read_midi accepts: keep files re-readable
    for t in song.tempos:
        if not (4.0 <= t.bpm <= 1000.0) or not 0 <= t.tick <= limit:
            raise bad(f"tempo {t.bpm} BPM at tick {t.tick} (use 4..1000 BPM)")
    if song.end_tick() > limit or any((y.tick or 0) > limit for y in song.lyrics.syllables()):
        raise bad(f"the song is longer than {smf.MAX_BEATS:,} beats")
    ts = song.time_signature
    den = ts.denominator
    if not (1 <= ts.numerator <= 255) or den < 1 or den & (den - 1) or den > 64:
        raise bad(f"time signature {ts.numerator}/{den} (the denominator must be 1, 2, 4, ... 64)")
    if not (0 <= song.key <= 11) or song.mode not in ("major", "minor"):
        raise bad(f"key {song.key} {song.mode}")
    problem = song_limit_problem(song)  # what read_midi would refuse, refused now
    if problem:
        raise bad(problem)
    for line in song.lyrics.lines():
        # read_midi rebuilds a line's text from its syllables, a space between words:
        # that text, not the one stored, must stay within the limit
        rebuilt = sum(len(y.text.strip()) + 1 for y in line.syllables if y.tick is not None)
        if rebuilt - 1 > MAX_LINE_CHARS:
            raise bad(f"a lyric line of {rebuilt - 1:,} characters as MIDI lyrics (at most "
                      f"{MAX_LINE_CHARS:,})")
    # read_midi reads at most smf.MAX_EVENTS events: count what this song writes (an upper
    # bound: per syllable a lyric, a karaoke text and a marker; per track five set-up events).
    events = (8 + len(song.tempos) + 3 * len(song.lyrics.syllables()) + 5 * len(song.tracks)
              + 2 * sum(len(t.notes) for t in song.tracks)
              + 2 * (len(song.sections) + len(song.chords)))
    if events > smf.MAX_EVENTS:
        raise bad(f"{events:,} MIDI events, more than the {smf.MAX_EVENTS:,} Songloom reads "
                  "back (save it as .songloom)")
    for t in song.tracks:
        for label, value, hi in (("channel", t.channel, 15), ("program", t.program, 127),
                                 ("volume", t.volume, 127), ("pan", t.pan, 127)):
            if not 0 <= value <= hi:
                raise bad(f"track {t.name!r}: {label} {value} is out of range 0..{hi}")
        for i, n in enumerate(t.notes):
            if not (0 <= n.pitch <= 127 and 1 <= n.velocity <= 127 and n.start >= 0 and n.duration >= 1):
                raise bad(
                    f"track {t.name!r} note {i + 1}: pitch {n.pitch}, velocity {n.velocity}, "
                    f"start {n.start}, duration {n.duration} (pitch 0..127, velocity 1..127)"
                )


# Key signature sharps (+) / flats (-) by tonic name, spelled as core.model.theory.key_name does.
_MAJOR_SF = {"C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5, "F#": 6, "C#": 7,
             "F": -1, "Bb": -2, "Eb": -3, "Ab": -4, "Db": -5, "Gb": -6, "Cb": -7}
_MINOR_SF = {"A": 0, "E": 1, "B": 2, "F#": 3, "C#": 4, "G#": 5, "D#": 6, "A#": 7,
             "D": -1, "G": -2, "C": -3, "F": -4, "Bb": -5, "Eb": -6, "Ab": -7}


def _text(mtype: int, text: str) -> bytes:
    return smf.meta_event(mtype, text.encode("utf-8"))


def midi_bytes(song: Song, kar: bool = False, path: Path | None = None) -> tuple[bytes, list[str]]:
    """The SMF image of ``song`` and the warnings a user should see."""
    path = path or Path("song.mid")
    _check_song(song, path)
    notes_out: list[str] = []
    encoded = encode_lyric_events(song.lyrics, kar=False)
    if encoded.unaligned:
        n = encoded.unaligned
        notes_out.append(
            "1 syllable is not aligned to a note and was not written" if n == 1
            else f"{n} syllables are not aligned to notes and were not written"
        )
    if encoded.out_of_order:
        notes_out.append("some lyric syllables were out of time order; they were written in time order")
    melody = song.melody_track()
    end = max([song.end_tick()] + [e[0] for e in encoded.events] + [t.tick for t in song.tempos]
              + [x.start for x in (*song.sections, *song.chords)])
    lyric_events = [(t, 2, _text(smf.META_LYRIC, x)) for t, x in encoded.events]

    ts = song.time_signature
    tonic = key_name(song.key, song.mode).split()[0]
    sf = (_MINOR_SF if song.mode == "minor" else _MAJOR_SF)[tonic]
    title_tag = _SONGLOOM_TAG + json.dumps({"title": song.title, **form_payload(song)},
                                           ensure_ascii=False).encode("utf-8")
    conductor = [
        (0, 0, _text(smf.META_TRACK_NAME, song.title)),
        (0, 0, smf.meta_event(smf.META_SEQUENCER, title_tag)),
        (0, 0, smf.meta_event(smf.META_TIME_SIG, bytes((ts.numerator, ts.denominator.bit_length() - 1, 24, 8)))),
        (0, 0, smf.meta_event(smf.META_KEY_SIG, bytes((sf & 0xFF, song.mode == "minor")))),
    ]
    for t in song.tempos:
        conductor.append((t.tick, 1, smf.meta_event(smf.META_TEMPO, round(60_000_000 / t.bpm).to_bytes(3, "big"))))
    conductor += [(t, 2, _text(smf.META_MARKER, name)) for t, name in encoded.markers]
    conductor += form_events(song, smf.META_MARKER, smf.META_TEXT, smf.meta_event)
    if kar:
        conductor += [(0, 0, _text(smf.META_TEXT, h)) for h in KAR_HEADER]
    chunks = [smf.encode_track(conductor, end)]
    if kar:
        words = [(0, 0, _text(smf.META_TRACK_NAME, "Words")), (0, 0, _text(smf.META_TEXT, "@T" + song.title))]
        words += [(t, 1, _text(smf.META_TEXT, x)) for t, x in encode_lyric_events(song.lyrics, kar=True).events]
        chunks.append(smf.encode_track(words, end))
    for track in song.tracks:
        ch = track.channel
        extra = {"role": track.role, "is_drum": track.is_drum, "channel": ch, "mute": track.mute,
                 "solo": track.solo, "color": track.color}
        payload = _SONGLOOM_TAG + json.dumps(extra, separators=(",", ":")).encode("utf-8")
        events = [
            (0, 0, _text(smf.META_TRACK_NAME, track.name)),
            (0, 0, smf.meta_event(smf.META_SEQUENCER, payload)),
            (0, 1, bytes((0xC0 | ch, track.program))),
            (0, 1, bytes((0xB0 | ch, 7, track.volume))),
            (0, 1, bytes((0xB0 | ch, 10, track.pan))),
        ]
        if track is melody:
            events += lyric_events
        # Note-offs before note-ons at the same tick, so repeated notes stay separate.
        on, off = 0x90 | ch, 0x80 | ch
        for n in track.notes:
            events.append((n.start, 4, bytes((on, n.pitch, n.velocity))))
            events.append((n.end, 3, bytes((off, n.pitch, 0))))
        chunks.append(smf.encode_track(events, end))
    if melody is None and lyric_events:
        chunks.append(smf.encode_track([(0, 0, _text(smf.META_TRACK_NAME, "Lyrics")), *lyric_events], end))
    return smf.encode_smf(chunks, TICKS_PER_BEAT), notes_out


def write_midi(song: Song, path: str | Path) -> list[str]:
    """Write ``song`` as .mid/.midi (or .kar with the karaoke track), atomically.

    Returns one-line warnings (e.g. lyrics that are not aligned to notes)."""
    path = Path(path)
    if path.suffix.lower() not in MIDI_EXTENSIONS:
        raise MidiExportError(f"not a MIDI file name (use {', '.join(MIDI_EXTENSIONS)})", path)
    data, notes_out = midi_bytes(song, kar=path.suffix.lower() == ".kar", path=path)
    if len(data) > smf.MAX_FILE_BYTES:  # read_midi's cap: never write what it refuses
        raise MidiExportError(f"cannot write MIDI: {len(data) / 2**20:.1f} MiB, more than the "
                              f"{smf.MAX_FILE_BYTES // 2**20} MiB Songloom reads back", path)
    atomic_write_bytes(path, data, error_cls=MidiExportError)
    return notes_out
