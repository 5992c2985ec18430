"""Scores as the app and the CLI show them: the pure metrics (core/metrics) composed with
what they must not touch themselves, the model folders' reference data.

core/metrics holds pure functions over songs, lines and arrays (an import contract in
pyproject.toml keeps file I/O and model stores out of them); this module finds the
bundled model's files and hands their contents to them, and reads (or renders) the audio
files the sound distance compares.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def reference_metrics(model_dir: str | Path | None = None) -> dict:
    """The held-out split's metric values shipped with the music model
    (``heldout_metrics.json``): a regular, bounded, plain-JSON file, or a ModelError."""
    from core.errors import ModelError
    from core.io.safe_json import load_json_file

    if model_dir is None:
        from core.paths import models_dir

        model_dir = models_dir() / "music-gan"
    return load_json_file(Path(model_dir) / "heldout_metrics.json", error_cls=ModelError,
                          what="held-out metrics")


def lyrics_scores(lines: list[str], *args, model_dir: str | Path | None = None,
                  **kwargs) -> dict[str, float]:
    """core.metrics.text.text_metrics (same arguments), with originality against the
    training texts of the lyrics model in ``model_dir`` (the bundled model by default;
    nan where it has no index)."""
    from core.lyrics.originality import OriginalityIndex
    from core.metrics.text import text_metrics

    if model_dir is None:
        from core.lyrics.model_store import bundled_model_dir

        model_dir = bundled_model_dir()
    index = OriginalityIndex.load(Path(model_dir)) if lines else None
    return text_metrics(lines, *args, originality_index=index, **kwargs)


def zh_lyrics_scores(lines: list[str], targets: list[int], marks: list[str],
                     tones: list | None = None, refs: list[str] | None = None,
                     model_dir: str | Path | None = None) -> dict[str, float]:
    """Chinese lines' scores (core.metrics.lyrics_zh) with originality against the Chinese
    model's corpus index: line-length fit (nan without targets), rhyme by 中华新韵 group,
    平仄 fit for a pattern, BLEU (sacrebleu zh) / chrF with a reference, the longest run of
    characters shared with the training texts (0: none over 5) and the lines copied."""
    import math

    from core.lyrics.zh.model import bundled_zh_dir
    from core.lyrics.zh.originality import ZhOriginalityIndex
    from core.metrics.lyrics_zh import zh_scores

    path = Path(model_dir or bundled_zh_dir()) / "corpus_index.npz"
    index = ZhOriginalityIndex.load(path) if lines and path.is_file() else None
    raw = zh_scores(lines, targets, marks, tones, index, refs)
    runs, fit = raw.pop("copied_runs", None), raw.pop("length_fit")
    out = {"lines": float(raw.pop("lines")), "length_fit": fit if targets else math.nan,
           "rhyme_adherence_zh": raw.pop("rhyme_adherence")}
    if runs is not None:
        out["longest_shared_chars"] = float(max(runs, default=0))
    for key, value in raw.items():
        out["bleu_zh" if key == "bleu" else key] = float(value)
    return out


def form_ranges(model_dir: str | Path | None = None) -> dict:
    """The cross-validation ranges shipped with the music model (``cv_ranges.json``,
    written by core/training/music_cv.py): per style and row, the 5 folds' values, their
    min and max, and the held-out songs' value. A ModelError when missing or invalid."""
    from core.errors import ModelError
    from core.io.safe_json import load_json_file

    if model_dir is None:
        from core.paths import models_dir

        model_dir = models_dir() / "music-gan"
    path = Path(model_dir) / "cv_ranges.json"
    data = load_json_file(path, error_cls=ModelError, what="cross-validation ranges")
    if not isinstance(data, dict) or not isinstance(data.get("styles"), dict):
        raise ModelError("cross-validation ranges without styles", path)
    return data


def judge_form_rows(values: dict[str, float], style_ranges: dict) -> dict[str, dict]:
    """Each cross-validation row: the value, the folds' min and max, the held-out songs'
    value, and whether the value lies within the folds' range."""
    import math

    out = {}
    for name, r in style_ranges["rows"].items():
        v = values.get(name, float("nan"))
        within = (not math.isnan(v)) and r["min"] - 1e-9 <= v <= r["max"] + 1e-9
        out[name] = {"value": v, "min": r["min"], "max": r["max"], "heldout": r["heldout"],
                     "within": bool(within)}
    return out


def song_form_rows(song, model_dir: str | Path | None = None) -> dict[str, dict]:
    """A song's cross-validation rows judged against each style's folds: {style: rows}."""
    from core.metrics.form import cv_values
    from core.model.pianoroll import song_to_roll

    ranges = form_ranges(model_dir)
    values = cv_values([song_to_roll(song)], [(song.key, song.mode)])
    return {style: judge_form_rows(values, st) for style, st in ranges["styles"].items()}


def load_audio(path: str | Path, soundfont: str | Path | None = None,
               lazy_samples: bool = False) -> tuple[np.ndarray, int]:
    """A clip for comparison: an audio file as it is, or a MIDI/.songloom file rendered dry."""
    from core.errors import AudioError, SongloomError
    from core.io.regular_file import check_regular
    from core.metrics.audio import MAX_CLIP_S, MCD_SAMPLERATE, MIDI_SUFFIXES

    path = Path(path)
    if not (path.exists() or path.is_symlink()):
        raise AudioError("file not found", path)
    check_regular(path, error_cls=AudioError, kind="an audio or song file")  # never a FIFO
    if path.suffix.lower() in MIDI_SUFFIXES:
        from core.audio.render import load_song_file, render_song

        song = load_song_file(path)
        if song.duration_seconds() > MAX_CLIP_S:  # refuse before rendering minutes of audio
            raise AudioError(f"song of {song.duration_seconds():.0f} s is too long to compare "
                             f"(MCD compares clips up to {MAX_CLIP_S:.0f} s)", path)
        try:
            audio = render_song(song, soundfont, MCD_SAMPLERATE, effects=False,
                                lazy_samples=lazy_samples)
            return audio, MCD_SAMPLERATE
        except SongloomError as exc:
            if exc.path:
                raise
            raise AudioError(exc.reason, path) from exc
    import soundfile

    try:
        info = soundfile.info(str(path))
        if info.frames / info.samplerate > MAX_CLIP_S:
            raise AudioError(f"clip of {info.frames / info.samplerate:.0f} s is too long to "
                             f"compare (MCD compares clips up to {MAX_CLIP_S:.0f} s)", path)
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except AudioError:
        raise
    except Exception as exc:  # noqa: BLE001 - libsndfile's errors for non-audio files
        raise AudioError("not an audio file Songloom can read (WAV, FLAC, OGG, AIFF, or a "
                         "MIDI/.songloom file to render)", path) from exc
    if data.shape[0] == 0:
        raise AudioError("the audio file holds no samples", path)
    return data, int(rate)


def mcd_files(path_a: str | Path, path_b: str | Path, soundfont: str | Path | None = None,
              lazy_samples: bool = False) -> float:
    """MCD in dB between two files (WAV/FLAC/OGG/AIFF, or MIDI/.songloom rendered with
    ``soundfont``, the bundled one by default). Different sample rates are resampled."""
    from core.metrics.audio import mel_cepstral_distance

    a, sr_a = load_audio(path_a, soundfont, lazy_samples)
    b, sr_b = load_audio(path_b, soundfont, lazy_samples)
    return mel_cepstral_distance(a, b, sr_a, sr_b)
