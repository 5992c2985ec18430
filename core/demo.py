"""The headless demo (``songloom-cli demo``, ``installer/run.sh --demo``): the main job end
to end on the bundled defaults, written into one folder.

It is a list of steps (``DEMO_STEPS``); each step is a function taking the shared
``DemoContext``: it may replace ``ctx.song``, record files in ``ctx.files`` and numbers
in ``ctx.facts``. To extend the demo (generate with the GAN, write lyrics with GPT-2,
render audio, print scores), write one function and add one ``DemoStep`` line in the
right place. A step that cannot run here (no trained model, no SoundFont) raises
``DemoStepSkipped("why")``: the demo says so and goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import SongloomError
from core.model.song import (
    LyricLine,
    Lyrics,
    LyricSection,
    Note,
    Song,
    Syllable,
    TempoChange,
    TimeSignature,
    Track,
)


class DemoStepSkipped(Exception):
    """Raised by a step that cannot run on this machine; the message says why."""


@dataclass
class DemoContext:
    out_dir: Path
    log: Callable[[str], None] = print
    song: Song | None = None
    files: dict[str, Path] = field(default_factory=dict)  # label -> written file
    facts: dict[str, Any] = field(default_factory=dict)  # numbers worth printing
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoStep:
    title: str
    run: Callable[[DemoContext], None]


# -- the starter song ---------------------------------------------------------------

# (syllable, word ends here) per melody note; two lines, two bars each.
_LYRIC_LINES = (
    [("Sing", True), ("a", False), ("long", True), ("the", True), ("wind", False), ("ing", True), ("road", True)],
    [("Home", True), ("is", True), ("wait", False), ("ing", True), ("at", True), ("the", True), ("end", True)],
)
_MELODY = ((67, 69, 71, 72, 74, 72, 71), (72, 71, 69, 67, 69, 71, 67))  # G major
_RHYTHM = (480, 480, 480, 480, 480, 480, 960)  # six quarters and a half: two 4/4 bars
_CHORDS = ((55, 59, 62), (55, 60, 64), (54, 57, 62), (55, 59, 62))  # G C D G
_BASS = ((43, 50), (48, 55), (50, 57), (43, 50))  # root and fifth, half notes


def starter_song() -> Song:
    """A four-bar song in G major with melody, harmony, bass and two aligned lyric lines."""
    bar = 1920
    melody, lines = Track("Melody", role="melody", program=53, channel=0), []
    tick = 0
    for pitches, words in zip(_MELODY, _LYRIC_LINES, strict=True):
        syllables = []
        for pitch, length, (text, word_end) in zip(pitches, _RHYTHM, words, strict=True):
            melody.notes.append(Note(tick, length - 30, pitch, 96))  # slightly detached
            syllables.append(Syllable(text, tick, word_end))
            tick += length
        text = "".join(s.text + (" " if s.word_end else "") for s in syllables).strip()
        lines.append(LyricLine(text, syllables))
    harmony = Track("Harmony", role="harmony", program=0, channel=1, volume=80)
    bass = Track("Bass", role="bass", program=32, channel=2)
    for i, chord in enumerate(_CHORDS):
        harmony.notes += [Note(i * bar, bar, p, 64) for p in chord]
        bass.notes += [Note(i * bar + h * bar // 2, bar // 2, p, 90) for h, p in enumerate(_BASS[i])]
    return Song(
        title="Winding Road (Songloom demo)",
        tempos=[TempoChange(0, 96.0)],
        time_signature=TimeSignature(4, 4),
        key=7,
        mode="major",
        tracks=[melody, harmony, bass],
        lyrics=Lyrics([LyricSection("verse", lines)]),
    )


# -- steps --------------------------------------------------------------------------


def compose_starter_song(ctx: DemoContext) -> None:
    ctx.song = starter_song()
    ctx.log(f"  {ctx.song.title}: {ctx.song.bar_count()} bars, {len(ctx.song.tracks)} tracks")


def generate_music(ctx: DemoContext) -> None:
    """The GAN writes 8 bars of melody, harmony and bass in the starter song's key."""
    from core.io.midi_io import write_midi
    from core.music.sample import load_generator

    try:
        gen = load_generator()
    except SongloomError as exc:
        raise DemoStepSkipped(f"no music model ({exc})") from None
    key, mode = (ctx.song.key, ctx.song.mode) if ctx.song else (0, "major")
    t0 = time.perf_counter()
    song = gen.generate(bars=8, seed=0, key=key, mode=mode, style="lieder", tempo=96.0)[0]
    ctx.facts["music generated"] = (f"8 bars, {sum(len(t.notes) for t in song.tracks)} notes in "
                                    f"{song.key_name} in {time.perf_counter() - t0:.3f} s")
    # The generated song becomes the demo's song (lyrics, files, audio and scores follow
    # it); the hand-written starter is kept as starter.mid, the reference for the sound
    # distance score.
    starter_path = ctx.out_dir / "starter.mid"
    write_midi(ctx.song, starter_path)
    ctx.files["starter"] = starter_path
    song.title = ctx.song.title
    ctx.song = song


def write_lyrics_step(ctx: DemoContext) -> None:
    """GPT-2 writes lyrics that fit the melody's phrases (issue 4) and they are aligned to it."""
    from core.lyrics.constraints import LyricRequest, write_lyrics
    from core.lyrics.model_store import load_lyrics_model
    from core.lyrics.syllables import align_lyrics, melody_syllable_targets

    try:
        lm = load_lyrics_model()
    except SongloomError as exc:
        raise DemoStepSkipped(f"no lyrics model ({exc})") from None
    targets = melody_syllable_targets(ctx.song)
    if not targets:
        raise DemoStepSkipped("the song has no melody to write lyrics for")
    t0 = time.perf_counter()
    request = LyricRequest(theme="the long road home", lines=len(targets), syllables=targets,
                           rhyme="AABB", seed=0)
    lines = write_lyrics(lm, request, on_line=lambda i, text: ctx.log(f"  {text}"))
    ctx.song = align_lyrics(ctx.song, lines, section="verse")
    path = ctx.out_dir / "lyrics.txt"
    from core.io.atomic_write import atomic_write_bytes

    atomic_write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))
    ctx.files["lyrics"] = path
    ctx.facts["lyrics written"] = f"{len(lines)} lines in {time.perf_counter() - t0:.2f} s"


def save_project_file(ctx: DemoContext) -> None:
    from core.io.project_file import save_project

    ctx.files["project"] = save_project(ctx.song, ctx.out_dir / "demo.songloom")


def export_midi_files(ctx: DemoContext) -> None:
    from core.io.midi_io import write_midi

    for label, name in (("MIDI", "demo.mid"), ("karaoke", "demo.kar")):
        path = ctx.out_dir / name
        for warning in write_midi(ctx.song, path):
            ctx.log(f"  warning: {warning}")
        ctx.files[label] = path


def check_midi_round_trip(ctx: DemoContext) -> None:
    """Read the exported MIDI back: what a DAW receives is what was written."""
    from core.io.midi_io import read_midi

    back = read_midi(ctx.files["MIDI"], warn=lambda m: ctx.log(f"  note: {m}"))
    same_notes = [sorted((n.start, n.duration, n.pitch, n.velocity) for n in t.notes) for t in back.tracks] == [
        sorted((n.start, n.duration, n.pitch, n.velocity) for n in t.notes) for t in ctx.song.tracks
    ]
    same_words = [s.text for s in back.lyrics.syllables()] == [s.text for s in ctx.song.lyrics.syllables()]
    ctx.facts["MIDI round trip"] = "notes and syllables identical" if same_notes and same_words else "CHANGED"
    if not (same_notes and same_words):
        raise SongloomError("the exported MIDI file does not read back identically", ctx.files["MIDI"])


def render_audio(ctx: DemoContext) -> None:
    """Render the song through FluidSynth with the bundled SoundFont (issue 5)."""
    from core.audio.render import render_to_file
    from core.errors import AudioError

    path = ctx.out_dir / "demo.wav"
    try:
        result = render_to_file(ctx.song, path, lazy_samples=True)
    except AudioError as exc:
        if "FluidSynth is not installed" in str(exc):
            raise DemoStepSkipped(str(exc)) from None
        raise
    ctx.files["audio"] = path
    ctx.facts["audio render"] = (f"{result.duration_s:.1f} s of 44.1 kHz stereo in "
                                 f"{result.render_s:.2f} s ({result.realtime_factor:.0f}x real time)")


def print_scores(ctx: DemoContext) -> None:
    """The scores panel's numbers (issue 7): music metrics of the generated song beside the
    model's held-out reference, the lyric metrics, and the sound distance between songs."""
    import math

    from core.metrics.music import song_metrics
    from core.scoring import reference_metrics

    def fmt(v) -> str:
        return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"

    song = ctx.song
    try:
        reference = reference_metrics().get("all", {})
    except SongloomError:
        reference = {}
    for track, values in song_metrics(song).items():
        ref = reference.get(track, {})
        ctx.log(f"  {track:<8} " + "  ".join(f"{m} {fmt(v)} (data {fmt(ref.get(m))})"
                                            for m, v in values.items()))
    lines = [line.text for line in ctx.song.lyrics.lines()]
    if lines:
        from core.lyrics.syllables import melody_syllable_targets
        from core.scoring import lyrics_scores

        t = lyrics_scores(lines, syllables=melody_syllable_targets(ctx.song)[:len(lines)],
                          rhyme="AABB")
        ctx.facts["lyric scores"] = ", ".join(f"{k} {fmt(t[k])}" for k in (
            "syllable_fit", "rhyme_adherence", "distinct_2") if k in t)
    starter = ctx.files.get("starter")
    if starter and "MIDI" in ctx.files:
        from core.errors import AudioError
        from core.scoring import mcd_files

        try:
            ctx.facts["sound distance (MCD) generated vs starter"] = \
                f"{mcd_files(ctx.files['MIDI'], starter):.2f} dB"
        except AudioError as exc:
            ctx.log(f"  no sound distance: {exc}")


DEMO_STEPS: list[DemoStep] = [
    DemoStep("compose a starter song", compose_starter_song),
    DemoStep("generate music with the GAN", generate_music),
    DemoStep("write lyrics with GPT-2", write_lyrics_step),
    DemoStep("save the project", save_project_file),
    DemoStep("export MIDI and karaoke files", export_midi_files),
    DemoStep("read the MIDI file back", check_midi_round_trip),
    DemoStep("render the song to WAV", render_audio),
    DemoStep("print the scores", print_scores),
]


def run_demo(
    out_dir: str | Path, log: Callable[[str], None] = print, steps: list[DemoStep] | None = None
) -> DemoContext:
    """Run every demo step into ``out_dir``; SongloomError from a step stops the demo."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SongloomError(f"cannot create the demo folder: {exc.strerror or exc}", out_dir) from None
    ctx = DemoContext(out_dir=out_dir, log=log)
    steps = DEMO_STEPS if steps is None else steps
    log(f"Songloom demo -> {out_dir}")
    started = time.perf_counter()
    for number, step in enumerate(steps, 1):
        log(f"[{number}/{len(steps)}] {step.title}")
        t0 = time.perf_counter()
        try:
            step.run(ctx)
        except DemoStepSkipped as why:
            ctx.skipped.append(f"{step.title}: {why}")
            log(f"  skipped: {why}")
            continue
        log(f"  done in {time.perf_counter() - t0:.1f} s")
    log(f"Finished in {time.perf_counter() - started:.1f} s. Files:")
    for label, path in ctx.files.items():
        size = path.stat().st_size if path.exists() else 0
        log(f"  {label:<10} {path} ({size:,} bytes)")
    for name, value in ctx.facts.items():
        log(f"  {name}: {value}")
    return ctx
