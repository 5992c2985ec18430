"""A strict, bounded Standard MIDI File reader (chunks and events, no music logic).

Why our own reader and not mido's: a file from the internet must never hang Songloom,
eat gigabytes or raise a stray exception. This reader checks every length against the
bytes that are really there, caps file size, event count and tick values before doing
the work, and reports each problem as ``MidiImportError`` naming the track and the tick.
It keeps only what Songloom uses (notes, program and controller changes, meta events);
pitch bend, aftertouch and SysEx are skipped. ``core.io.midi_io`` turns the result into a Song.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import MidiImportError

MAX_FILE_BYTES = 16 * 1024 * 1024  # the largest real song files are a few MB
MAX_EVENTS = 1_000_000  # a dense orchestral file has ~200,000
MAX_BEATS = 50_000  # 4 h at 200 BPM: later delta times are corruption, not music
SMPTE_FPS = (24, 25, 29, 30)

# Event kinds (first item after the tick in each event tuple).
NOTE_ON, NOTE_OFF, PROGRAM, CONTROL, META = range(5)
# Meta event types Songloom reads.
META_TEXT, META_TRACK_NAME, META_LYRIC, META_MARKER = 0x01, 0x03, 0x05, 0x06
META_END_OF_TRACK, META_TEMPO, META_TIME_SIG, META_KEY_SIG = 0x2F, 0x51, 0x58, 0x59
META_SEQUENCER = 0x7F


@dataclass
class SmfTrack:
    # (tick, kind, a, b, c): NOTE_ON (ch, pitch, vel), NOTE_OFF (ch, pitch, 0),
    # PROGRAM (ch, program, 0), CONTROL (ch, controller, value), META (type, data, 0)
    events: list[tuple] = field(default_factory=list)
    end_tick: int = 0  # the last event's tick (End of Track included, clamped)


@dataclass
class SmfFile:
    format: int
    ticks_per_beat: int  # for SMPTE files: ticks per second / 2 (as if 120 BPM)
    smpte: tuple[int, int] | None  # (frames per second, ticks per frame)
    tracks: list[SmfTrack]
    announced_tracks: int


_MAGIC_HINTS = (
    (b"RIFF", "a RIFF file (WAV audio?)"),
    (b"ID3", "an MP3 file"),
    (b"\xff\xfb", "an MP3 file"),
    (b"OggS", "an Ogg audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"PK\x03\x04", "a ZIP archive (compressed MusicXML .mxl?)"),
    (b"<?xml", "an XML file (MusicXML?)"),
    (b"{", "a JSON file (a .songloom project?)"),
    (b"%PDF", "a PDF document"),
)


def _not_midi(data: bytes) -> str:
    if not data:
        return "the file is empty"
    for magic, what in _MAGIC_HINTS:
        if data.startswith(magic):
            return f"not a MIDI file: it looks like {what}"
    return "not a MIDI file (no 'MThd' header)"


def _unwrap_rmid(data: bytes) -> bytes:
    """RIFF-wrapped MIDI (.rmi): return the SMF inside its 'data' chunk."""
    pos = 12
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if cid == b"data":
            return data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)
    return b""


# Channel messages Songloom keeps, by their status nibble (0xA0, 0xD0, 0xE0 are skipped).
_CHANNEL_KINDS = {0x80: NOTE_OFF, 0x90: NOTE_ON, 0xB0: CONTROL, 0xC0: PROGRAM}


class _TrackReader:
    """Reads the events of one MTrk chunk; every read is bounds-checked."""

    def __init__(self, data: bytes, start: int, end: int, number: int, max_tick: int):
        self.data, self.pos, self.end = data, start, end
        self.number, self.max_tick, self.tick = number, max_tick, 0

    def fail(self, reason: str) -> MidiImportError:
        return MidiImportError(f"track {self.number}, tick {self.tick}: {reason}")

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.fail("the track ends in the middle of an event (truncated chunk?)")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varlen(self) -> int:
        value = 0
        for _ in range(4):
            b = self.byte()
            value = (value << 7) | (b & 0x7F)
            if not b & 0x80:
                return value
        raise self.fail("a variable-length number is longer than 4 bytes")

    def take(self, n: int) -> bytes:
        if n > self.end - self.pos:
            raise self.fail(f"an event says {n} bytes follow, but only {self.end - self.pos} do")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def read(self, budget: list[int]) -> SmfTrack:
        """The track's events. The common event (a one-byte delta time and a channel
        message, 3-4 bytes) is read inline; everything else, and every error, goes
        through ``_event``. A million events take about half a second, so a file at the
        event cap is refused within the 2 s every hostile file gets."""
        track = SmfTrack()
        events = track.events
        self.running = None
        data, end, max_tick = self.data, self.end, self.max_tick
        left = budget[0]
        kinds = _CHANNEL_KINDS
        while self.pos < end:
            pos = self.pos
            delta = data[pos]
            status = data[pos + 1] if pos + 4 <= end and delta < 0x80 else 0xF0
            if 0x80 <= status < 0xF0:
                p = pos + 2
            elif status < 0x80 and self.running is not None:
                status, p = self.running, pos + 1
            else:
                status = 0xF0  # meta, SysEx, errors: the careful path
            kind = status & 0xF0
            if status != 0xF0:
                a = data[p]
                b = 0 if kind in (0xC0, 0xD0) else data[p + 1]
                tick = self.tick + delta
                if a < 128 and b < 128 and tick <= max_tick:
                    self.running, self.tick = status, tick
                    self.pos = p + (1 if kind in (0xC0, 0xD0) else 2)
                    code = kinds.get(kind)
                    if code is not None:
                        if code == NOTE_ON and b == 0:
                            events.append((tick, NOTE_OFF, status & 0x0F, a, 0))
                        else:
                            events.append((tick, code, status & 0x0F, a,
                                           0 if code in (NOTE_OFF, PROGRAM) else b))
                    left -= 1
                    if left < 0:
                        raise MidiImportError(f"more than {MAX_EVENTS:,} events: too large for Songloom")
                    continue
            if self._event(events):
                track.end_tick = min(self.tick, self.max_tick)
                budget[0] = left
                return track
            left -= 1
            if left < 0:
                raise MidiImportError(f"more than {MAX_EVENTS:,} events: too large for Songloom")
        # No End of Track event: tolerated (common in hand-made files).
        track.end_tick = min(self.tick, self.max_tick)
        budget[0] = left
        return track

    def _event(self, events: list) -> bool:
        """Read one event of any kind, checking everything; True at End of Track."""
        self.tick += self.varlen()
        status = self.byte()
        if status < 0x80:
            if self.running is None:
                raise self.fail("running status without an earlier status byte")
            self.pos -= 1
            status = self.running
        if status == 0xFF:
            mtype = self.byte()
            payload = self.take(self.varlen())
            if mtype == META_END_OF_TRACK:
                return True
            self._check_tick()
            events.append((self.tick, META, mtype, payload, 0))
            # Running status survives meta events here: many real files rely on it.
        elif status in (0xF0, 0xF7):
            self.take(self.varlen())  # SysEx: skipped
            self._check_tick()
        elif status > 0xF0:
            raise self.fail(f"status byte 0x{status:02X} (a real-time message) cannot appear in a file")
        else:
            self.running = status
            kind, channel = status & 0xF0, status & 0x0F
            a = self.byte()
            b = 0 if kind in (0xC0, 0xD0) else self.byte()
            if a > 127 or b > 127:
                raise self.fail(f"data byte 0x{max(a, b):02X} is above 127 (corrupt event 0x{status:02X})")
            self._check_tick()
            if kind == 0x90 and b > 0:
                events.append((self.tick, NOTE_ON, channel, a, b))
            elif kind in (0x80, 0x90):
                events.append((self.tick, NOTE_OFF, channel, a, 0))
            elif kind == 0xB0:
                events.append((self.tick, CONTROL, channel, a, b))
            elif kind == 0xC0:
                events.append((self.tick, PROGRAM, channel, a, 0))
        return False

    def _check_tick(self) -> None:
        if self.tick > self.max_tick:
            raise self.fail(f"events lie past {MAX_BEATS:,} beats (a corrupt, huge delta time?)")


def parse_smf(data: bytes) -> SmfFile:
    """Parse an SMF image. Raises MidiImportError (without a path; the caller adds it)."""
    if len(data) > MAX_FILE_BYTES:
        raise MidiImportError(f"too large for a song ({len(data) // 2**20} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB)")
    if data[:4] == b"RIFF" and data[8:12] == b"RMID":
        data = _unwrap_rmid(data)
    if data[:4] != b"MThd":
        raise MidiImportError(_not_midi(data))
    if len(data) < 14:
        raise MidiImportError("the header chunk is cut short")
    header_len = int.from_bytes(data[4:8], "big")
    if header_len < 6 or 8 + header_len > len(data):
        raise MidiImportError(f"the header chunk has a wrong length ({header_len})")
    fmt = int.from_bytes(data[8:10], "big")
    ntracks = int.from_bytes(data[10:12], "big")
    division = int.from_bytes(data[12:14], "big")
    if fmt > 2:
        raise MidiImportError(f"unknown MIDI file type {fmt} (only 0, 1 and 2 exist)")
    if ntracks == 0:
        raise MidiImportError("the header announces no tracks")
    if fmt == 0 and ntracks != 1:
        raise MidiImportError(f"a type 0 file has one track, but the header announces {ntracks}")
    smpte = None
    if division & 0x8000:
        fps, per_frame = 256 - (division >> 8), division & 0xFF
        if fps not in SMPTE_FPS or per_frame == 0:
            raise MidiImportError(f"invalid SMPTE time division {fps} fps x {per_frame}")
        smpte = (fps, per_frame)
        ticks_per_beat = max(1, fps * per_frame // 2)  # treated as 120 BPM: 2 beats a second
    elif division == 0:
        raise MidiImportError("the time division is 0 ticks per beat")
    else:
        ticks_per_beat = division
    max_tick = MAX_BEATS * ticks_per_beat
    tracks: list[SmfTrack] = []
    budget = [MAX_EVENTS]
    pos = 8 + header_len
    while len(tracks) < ntracks:
        if len(data) - pos < 8:
            raise MidiImportError(
                f"the header announces {ntracks} tracks but the file ends after {len(tracks)} (truncated?)"
            )
        cid, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "big")
        pos += 8
        if size > len(data) - pos:
            raise MidiImportError(
                f"track {len(tracks) + 1}: the chunk says {size} bytes but only {len(data) - pos} "
                "remain (truncated file or wrong chunk length)"
            )
        if cid == b"MTrk":
            tracks.append(_TrackReader(data, pos, pos + size, len(tracks) + 1, max_tick).read(budget))
        elif not all(32 <= c < 127 for c in cid):
            raise MidiImportError(f"track {len(tracks) + 1}: a chunk has no valid name (wrong chunk length before it?)")
        pos += size  # unknown chunk types are skipped, as the standard says
    return SmfFile(fmt, ticks_per_beat, smpte, tracks, ntracks)


# -- writing ------------------------------------------------------------------------
# Our own encoder rather than mido's: mido validates every message object, which made a
# 30,000-note export take seconds; these few byte rules are all a type 1 file needs.


def varlen(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def meta_event(mtype: int, data: bytes) -> bytes:
    return bytes((0xFF, mtype)) + varlen(len(data)) + data


def encode_track(events: list[tuple[int, int, bytes]], end_tick: int) -> bytes:
    """One MTrk chunk from (tick, order, event bytes); ties keep ``order``, then list order.

    Channel messages use running status, as most MIDI software writes them."""
    body = bytearray()
    last_tick, running = 0, None
    for tick, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        body += varlen(tick - last_tick)
        last_tick = tick
        status = event[0]
        if status < 0xF0 and status == running:
            body += event[1:]
        else:
            body += event
            running = status if status < 0xF0 else None
    body += varlen(max(0, end_tick - last_tick)) + meta_event(META_END_OF_TRACK, b"")
    return b"MTrk" + len(body).to_bytes(4, "big") + bytes(body)


def encode_smf(tracks: list[bytes], ticks_per_beat: int) -> bytes:
    """A type 1 Standard MIDI File from encoded MTrk chunks."""
    header = b"MThd" + (6).to_bytes(4, "big") + (1).to_bytes(2, "big")
    header += len(tracks).to_bytes(2, "big") + ticks_per_beat.to_bytes(2, "big")
    return header + b"".join(tracks)
