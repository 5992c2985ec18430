"""Scores as the app and the CLI show them: the pure metrics (core/metrics) composed with
what they must not touch themselves, the model folders' reference data.

core/metrics holds pure functions over songs, lines and arrays (an import contract in
pyproject.toml keeps file I/O and model stores out of them); this module finds the
bundled model's files and hands their contents to them.
"""

from __future__ import annotations

from pathlib import Path


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


def lyrics_scores(
    lines: list[str],
    ref_lines: list[str] | None = None,
    syllables: list[int] | int | None = None,
    rhyme: str | None = None,
    variations: list[list[str]] | None = None,
    model_dir: str | Path | None = None,
) -> dict[str, float]:
    """core.metrics.text.text_metrics, with originality against the training texts of the
    lyrics model in ``model_dir`` (the bundled model by default; nan where it has no index)."""
    from core.lyrics.originality import OriginalityIndex
    from core.metrics.text import text_metrics

    if model_dir is None:
        from core.lyrics.model_store import bundled_model_dir

        model_dir = bundled_model_dir()
    index = OriginalityIndex.load(Path(model_dir)) if lines else None
    return text_metrics(lines, ref_lines, syllables, rhyme, variations, originality_index=index)


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

