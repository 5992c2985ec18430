"""The jobs the desktop runs in worker threads: thin calls into core, nothing more.

Each function follows the core job protocol (``progress``, ``cancel``, and ``device``
where a model runs) and imports its core module lazily, so torch, transformers and
librosa are loaded in a worker after the window is shown, never at start-up. Songs are
passed in as private copies (the GUI may edit its own Song meanwhile) and results are
returned, never applied here: the controller applies them as one undoable command.
"""

from __future__ import annotations

import copy
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from core.jobs import CancelToken, no_progress
from core.model.requests import LyricParams, MusicParams
from core.model.song import LyricSection, Song, TempoChange
from desktop.i18n import translate
from desktop.runtime.process_tweaks import gc_paused, preload_torch_libraries

NEVER = CancelToken()

# -- warm-up -----------------------------------------------------------------------------


def resolve_device(device: str | None) -> str:
    """'auto' (or None) -> cuda / mps / cpu; an explicit choice is checked. Asks torch:
    jobs that call this are the ones that need it."""
    from core.device import choose_device

    preload_torch_libraries()
    return choose_device(device or "auto")


def warm_up(preference: str = "auto", progress=no_progress,
            cancel: CancelToken = NEVER) -> str:
    """Import the heavy libraries and load the CMU dictionary in the background.

    Returns the compute device the jobs will use (shown in the status bar).
    """
    progress(0.0, translate("Generate", "Loading the sound and model libraries…"))
    preload_torch_libraries()
    cancel.check()
    import torch

    # Leave one core to the GUI thread so the window stays smooth while a model runs.
    torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    progress(0.3, translate("Generate", "Loading the lyrics model library…"))
    with gc_paused():
        from transformers import GPT2LMHeadModel  # noqa: F401 - the lyric model's class
    cancel.check()
    progress(0.7, translate("Generate", "Loading the pronouncing dictionary…"))
    with gc_paused():
        from core.lyrics.syllables import count_syllables, syllabify

        count_syllables("warm")  # the first call parses the CMU dictionary (~0.5 s)
        from core.lyrics.lexicon import load_lexicon
        from core.lyrics.rhyme import _vocabulary_index

        # The words lyrics may use, and their rhyme index: the editor's rhyme suggestions
        # (asked on the GUI thread) would otherwise build it there (~0.5 s) on first use.
        _vocabulary_index(load_lexicon().counts)
        syllabify("beautiful")  # and the hyphenation patterns (~0.2 s; lyric editor, alignment)
        # the first drag to a DAW: not imported on the GUI thread
        import core.io.midi_io  # noqa: F401
    cancel.check()
    try:
        device = resolve_device(os.environ.get("SONGLOOM_DEVICE") or preference)
    except Exception:  # noqa: BLE001 - a device set in settings that is gone: use the CPU
        device = "cpu"
    progress(1.0, translate("Generate", "Ready ({device})").format(device=device))
    return device


def find_lyrics_models(folders: list[str], progress=no_progress,
                       cancel: CancelToken = NEVER) -> list:
    """The GPT-2 models on this computer for the Generate panel's model list (folders,
    the user's models folder, the Hugging Face cache; read from disk, never downloaded)."""
    from core.lyrics.model_picker import list_lyrics_models

    return list_lyrics_models([f for f in folders if f])


# What the first MFCC imports, heaviest parts one at a time (librosa.core.pitch and
# .audio compile numba kernels when imported: ~1 s).
SOUND_IMPORT_STEPS = ("scipy.fft", "scipy.signal", "numba", "librosa", "librosa.core.audio",
                      "librosa.core.pitch", "librosa.feature")


def warm_up_sound_metrics(progress=no_progress, cancel: CancelToken = NEVER) -> None:
    """First use of librosa's MFCCs takes ~2.5 s of lazy imports (numba, scipy): do it in
    the background after the models, so "Compare with…" answers at once. Between its
    steps it waits while a job the user asked for runs: a generation sharing the GIL with
    these imports and the GUI thread made the window stall for up to 100 ms."""
    import importlib

    import numpy as np

    from desktop.runtime.workers import wait_for_foreground_jobs

    for name in SOUND_IMPORT_STEPS:
        wait_for_foreground_jobs(cancel)
        with gc_paused():
            importlib.import_module(name)
    wait_for_foreground_jobs(cancel)
    with gc_paused():
        from core.metrics.audio import mel_cepstra

        mel_cepstra(np.zeros(8192, dtype=np.float32))


# -- music --------------------------------------------------------------------------------


def _generator(device: str, model_dir: str = ""):
    """The music model: Settings > Music model folder, or the bundled one (""). It samples
    in numpy on the CPU whatever the device setting: no torch import for it."""
    from core.music.sample import load_generator

    with gc_paused():  # building a model allocates a lot: no GC pauses on the GUI
        return load_generator(model_dir or None)


def generate_music(params: MusicParams, old: Song | None = None, progress=no_progress,
                   cancel: CancelToken = NEVER, device: str = "cpu",
                   model_dir: str = "") -> list[Song]:
    """``params.variations`` new songs; the old song's title and lyric text carry over.
    Each new song's melody phrases are found now and stored (a generation sets them)."""
    from core.model.phrases import fix_phrases
    from core.music import styled

    progress(0.0, translate("Generate", "Loading the music model…"))
    gen = _generator(device, model_dir)
    cancel.check()
    songs = styled.generate(
        gen, params.style, seed=params.seed, tempo=params.tempo, humanize=params.humanize,
        bars=params.form_bars, key=params.key, mode=params.mode,
        temperature=params.temperature, variations=params.variations,
        allow_chromatic=params.allow_chromatic, form=params.form or "auto",
        chords=params.chords or None, progress=progress, cancel=cancel)
    cancel.check()
    songs = [_fresh_phrases(s) for s in songs]
    if old is not None:
        songs = [adopt_song_settings(old, keep_lyrics(old, s)) for s in songs]
    return [fix_phrases(s) for s in songs]


def _fresh_phrases(song: Song) -> Song:
    from core.model.phrases import detect_phrase_starts

    song.phrase_starts = detect_phrase_starts(song) or None
    return song


def regenerate_track(song: Song, role: str, params: MusicParams, progress=no_progress,
                     cancel: CancelToken = NEVER, device: str = "cpu",
                     model_dir: str = "") -> Song:
    """A new ``role`` track (drums: from the style's groove, added when the song has none);
    a new melody brings its own phrases, another track keeps the song's."""
    from core.music import styled

    progress(0.0, translate("Generate", "Loading the music model…"))
    gen = _generator(device, model_dir) if role != styled.DRUM_ROLE else None
    cancel.check()
    out = styled.regenerate_track(gen, song, role, params.seed, params.style,
                                  temperature=params.temperature,
                                  allow_chromatic=params.allow_chromatic,
                                  humanize=params.humanize, progress=progress, cancel=cancel)
    if out.melody_track() is not None and out.melody_track().role == role:
        return _fresh_phrases(out)
    out.phrase_starts = copy.copy(song.phrase_starts)
    return out


def regenerate_tracks(song: Song, roles: tuple, params: MusicParams, progress=no_progress,
                      cancel: CancelToken = NEVER, device: str = "cpu",
                      model_dir: str = "") -> Song:
    """Several tracks written again in turn (the chord lane's "follow the chords"), each
    over the song as the one before left it."""
    for i, role in enumerate(roles):
        def part(fraction: float, message: str, i: int = i) -> None:
            progress((i + fraction) / len(roles), message)

        song = regenerate_track(song, role, params, part, cancel, device, model_dir)
    return song


def continue_song(song: Song, params: MusicParams, progress=no_progress,
                  cancel: CancelToken = NEVER, device: str = "cpu", model_dir: str = "") -> Song:
    """The song with bars appended: its phrases are kept, the new bars get their own."""
    from core.model.phrases import extend_phrase_starts, phrase_starts
    from core.music import styled

    progress(0.0, translate("Generate", "Loading the music model…"))
    gen = _generator(device, model_dir)
    cancel.check()
    end, before = song.end_tick(), phrase_starts(song)
    out = styled.continue_song(gen, song, params.bars, params.seed, params.style,
                               temperature=params.temperature, humanize=params.humanize,
                               progress=progress, cancel=cancel)
    out.phrase_starts = extend_phrase_starts(before, out, end) or None
    return out


def keep_lyrics(old: Song, new: Song) -> Song:
    """``new`` with ``old``'s lyric text re-aligned to its melody (music was replaced)."""
    sections = [(s.name, [line.text for line in s.lines]) for s in old.lyrics.sections]
    if not any(lines for _, lines in sections):
        return new
    return align_sections(new, sections)


def adopt_song_settings(old: Song, new: Song) -> Song:
    """Keep the user's title when a generation replaces the whole song."""
    if old.title and old.title != "Untitled":
        new.title = old.title
    if not new.tempos:
        new.tempos = [TempoChange(0, old.tempo)]
    return new


# -- lyrics -------------------------------------------------------------------------------


def align_sections(song: Song, sections: list[tuple[str, list[str]]]) -> Song:
    """A copy of ``song`` whose lyrics are ``sections``, sung in order on the melody.

    core's align_lyrics aligns one list of lines to the melody phrases; the sections are
    sung one after another, so align them all as one list and split them back.
    """
    from core.lyrics.syllables import align_lyrics
    from core.lyrics.zh.align import line_syllables

    flat = [line for _, lines in sections for line in lines]
    # Chinese lines one character per note, English ones by syllables (a mixed song too).
    aligned = align_lyrics(song, flat, section="__all__", split=line_syllables)
    all_lines = next(s for s in aligned.lyrics.sections if s.name == "__all__").lines
    out, at = [], 0
    for name, lines in sections:
        out.append(LyricSection(name=name, lines=all_lines[at:at + len(lines)]))
        at += len(lines)
    aligned.lyrics.sections = [s for s in out if s.lines] or []
    return aligned


def syllable_targets(song: Song, params: LyricParams) -> list[int]:
    """Per-line syllable targets: the melody's phrases (cycled, for a second verse) or
    the number the user typed."""
    if params.syllables_from_melody:
        from core.lyrics.syllables import melody_syllable_targets

        phrases = melody_syllable_targets(song)
        if phrases:
            return [phrases[i % len(phrases)] for i in range(params.lines)]
    return [params.syllables] * params.lines


@dataclass
class LyricsResult:
    lines: list[str]
    song: Song
    targets: list[int] = field(default_factory=list)
    # What the writer wants the songwriter to know: a theme the model cannot write in, a
    # line that missed its syllables, a line it could not write.
    notes: list[str] = field(default_factory=list)


def _lyrics_model(params: LyricParams, device: str):
    from core.lyrics.model_store import load_lyrics_model

    with gc_paused():
        return load_lyrics_model(params.model_dir or None, device=resolve_device(device))


def _request(params: LyricParams, targets: list[int], seed: int | None = None):
    from core.lyrics.constraints import LyricRequest

    return LyricRequest(theme=params.theme, lines=len(targets), syllables=list(targets),
                        rhyme=params.rhyme, seed=params.seed if seed is None else seed,
                        temperature=params.temperature, diction=params.diction)


def write_lyrics(song: Song, params: LyricParams, section: str = "verse",
                 progress=no_progress, cancel: CancelToken = NEVER,
                 device: str = "cpu", locked: dict[int, str] | None = None) -> LyricsResult:
    """The verse's lines; ``locked`` (line index -> text) are kept as they are and the
    others written around them (a "continue" locks the lines written so far)."""
    from core.lyrics.constraints import write_verse

    progress(0.0, translate("Generate", "Loading the lyrics model…"))
    if params.language == "zh":
        return _write_zh(song, params, section, progress, cancel, locked)
    model = _lyrics_model(params, device)
    targets = syllable_targets(song, params)
    cancel.check()
    total = len(targets)
    locked = {i: t for i, t in (locked or {}).items() if 0 <= i < total and t.strip()}

    def on_line(index: int, text: str) -> None:
        # Streams each finished line into the panel's status while the rest are written.
        progress((index + 1) / total, f"{index + 1}/{total}: {text}")

    verse = write_verse(model, _request(params, targets), locked=locked, progress=progress,
                        cancel=cancel, on_line=on_line)
    cancel.check()
    others = [(s.name, [ln.text for ln in s.lines]) for s in song.lyrics.sections
              if s.name != section]
    new_song = align_sections(song, [*others, (section, list(verse.lines))])
    return LyricsResult(list(verse.lines), new_song, targets, verse.notes + verse.miss_messages())


def _write_zh(song: Song, params: LyricParams, section: str, progress, cancel: CancelToken,
              locked: dict[int, str] | None) -> LyricsResult:
    """Chinese lines (core.lyrics.zh): a tune pattern's or the melody's line lengths, one
    character per note; locked lines kept."""
    from core.lyrics.zh.song_lyrics import write_song_lyrics

    def on_line(index: int, text: str, total: int) -> None:
        progress((index + 1) / total, f"{index + 1}/{total}: {text}")

    lines, targets, notes = write_song_lyrics(song, params, locked, on_line, cancel)
    cancel.check()
    others = [(s.name, [ln.text for ln in s.lines]) for s in song.lyrics.sections
              if s.name != section]
    return LyricsResult(lines, align_sections(song, [*others, (section, lines)]), targets, notes)


def rewrite_line(song: Song, params: LyricParams, lines: list[str], index: int, seed: int,
                 progress=no_progress, cancel: CancelToken = NEVER,
                 device: str = "cpu", choices: int = 5) -> list[str]:
    """Up to ``choices`` new versions of line ``index``, each fitting its syllables and the
    rhyme with the lines around it (which stay as they are)."""
    from core.lyrics.constraints import rewrite_line as core_rewrite

    progress(0.0, translate("Generate", "Loading the lyrics model…"))
    if params.language == "zh":
        from core.lyrics.zh.song_lyrics import rewrite_song_line

        return rewrite_song_line(song, params, lines, index, seed, choices, cancel)
    model = _lyrics_model(params, device)
    cancel.check()
    p = copy.copy(params)
    p.lines = len(lines)
    targets = syllable_targets(song, p)
    out = core_rewrite(model, _request(params, targets, seed), list(lines), index, n=choices,
                       cancel=cancel)
    cancel.check()
    progress(1.0, "")
    return out


# -- scores -------------------------------------------------------------------------------


def music_scores(song: Song, progress=no_progress, cancel: CancelToken = NEVER) -> dict:
    """The song's music metrics, the bundled model's held-out reference, originality."""
    from core.metrics.music import song_metrics
    from core.scoring import reference_metrics

    progress(0.1, translate("Generate", "Scoring the music…"))
    values = song_metrics(song)
    cancel.check()
    note = ""
    try:
        held_out = reference_metrics()
        # {"all": {track: {metric: v}}, "phrases": n}: the whole held-out split.
        reference = held_out.get("all", held_out) if isinstance(held_out, dict) else {}
    except Exception as exc:  # noqa: BLE001 - scores are still useful without it
        reference, note = {}, translate(
            "Generate", "No training-data reference ({exc})").format(exc=exc)
    originality: dict = {}
    try:
        from core.music.originality import OriginalityIndex
        from core.music.originality import originality as song_originality
        from core.music.sample import default_model_dir

        originality = song_originality(song, OriginalityIndex.load(default_model_dir()))
    except Exception as exc:  # noqa: BLE001 - the model may ship without its index
        note = note or translate("Generate", "Originality unavailable ({exc})").format(exc=exc)
    cancel.check()
    return {"values": values, "reference": reference, "originality": originality, "note": note}


def lyric_scores(lines: list[str], ref_lines: list[str] | None, drafts: list[list[str]],
                 song: Song | None = None, rhyme: str = "ABAB", progress=no_progress,
                 cancel: CancelToken = NEVER, params: LyricParams | None = None) -> dict:
    """Lyric metrics: BLEU/chrF against the reference text (when chosen), self-BLEU
    across the lyric drafts of this session, syllable fit to the melody, rhyme. Chinese
    lines (any line with a Chinese character) get the Chinese scores."""
    from core.lyrics.zh.align import has_han
    from core.scoring import lyrics_scores, zh_lyrics_scores

    progress(0.1, translate("Generate", "Scoring the lyrics…"))
    if any(has_han(x) for x in lines):
        from core.lyrics.zh.song_lyrics import score_plan

        p = params if params is not None and params.language == "zh" else LyricParams()
        targets, marks, tones = score_plan(p, song, len(lines))
        return zh_lyrics_scores(lines, targets, marks, tones, ref_lines or None)
    targets = None
    if song is not None:
        from core.lyrics.syllables import melody_syllable_targets

        phrases = melody_syllable_targets(song)
        if phrases:
            targets = [phrases[i % len(phrases)] for i in range(len(lines))]
    scores = lyrics_scores(lines, ref_lines=ref_lines or None, syllables=targets,
                           rhyme=None if rhyme == "free" else rhyme,
                           variations=drafts if len(drafts) >= 2 else None)
    cancel.check()
    return dict(scores)


def audio_distance(song: Song, reference: str | Path, soundfont: str | Path | None = None,
                   progress=no_progress, cancel: CancelToken = NEVER) -> float:
    """Mel-cepstral distance (dB) of the song's sound against a WAV or MIDI reference.

    The song goes through the same path as a MIDI reference (core renders both with the
    SoundFont, dry, at the MCD sample rate), so a song compared with its own exported
    MIDI scores 0 and only real differences count.
    """
    from core.io.project_file import save_project
    from core.scoring import mcd_files

    progress(0.1, translate("Generate", "Rendering the song…"))
    with tempfile.TemporaryDirectory(prefix="songloom-mcd-") as tmp:
        own = Path(tmp) / "song.songloom"
        save_project(song, own)
        cancel.check()
        progress(0.3, translate("Generate", "Measuring the distance…"))
        value = mcd_files(own, reference, soundfont=soundfont)
    cancel.check()
    return float(value)
