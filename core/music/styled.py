"""Generation in any style of the registry (core/model/styles.py): the network writes in
the style's model style, then the arrangement (core/music/arrange.py) gives it the style's
band. The CLI and the app's jobs call these; ``MusicGenerator`` itself knows only the
model's styles.
"""

from __future__ import annotations

from core.model.song import Song
from core.model.styles import get_style
from core.music import arrange, drummer

DRUM_ROLE = "drums"


def take_seed(seed: int, variation: int) -> int:
    """The drummer's seed of take ``variation`` (takes play different fills)."""
    return seed * 64 + variation


def generate(gen, style: str, seed: int = 0, tempo: float | None = None,
             humanize: bool = True, **options) -> list[Song]:
    """``MusicGenerator.generate`` in ``style``: same options; ``tempo`` None is the
    style's usual tempo."""
    spec = get_style(style)
    arrangement = None if spec.name == spec.model_style else spec.name
    songs = gen.generate(style=spec.model_style, seed=seed,
                         tempo=float(spec.default_tempo if tempo is None else tempo),
                         arrangement=arrangement, **options)
    if spec.name == spec.model_style and not spec.arranged:
        return songs
    out = []
    for v, song in enumerate(songs):
        done = arrange.arrange(song, style, take_seed(seed, v), humanize)
        done.title = arrange.retitle(song.title, spec.model_style, style)
        out.append(done)
    return out


def regenerate_track(gen, song: Song, role: str, seed: int, style: str,
                     temperature: float = 1.0, allow_chromatic: bool = False,
                     humanize: bool = True, progress=None, cancel=None) -> Song:
    """A new ``role`` track (melody, harmony, bass or drums), every other track kept note
    for note. Drums come from the style's groove; the others from the network in the
    style's model style, then played as the style plays them."""
    spec = get_style(style)
    if role == DRUM_ROLE:
        if progress:
            progress(0.5, "drums")
        return arrange.regenerate_drums(song, style, seed, humanize)
    from core.music.compose import regenerate_track as compose_regenerate

    out = compose_regenerate(gen, song, role, seed, temperature, spec.model_style,
                             allow_chromatic, progress=progress, cancel=cancel,
                             arrangement=None if spec.name == spec.model_style else spec.name)
    return arrange.arrange(out, style, seed, humanize, instruments=False, roles=(role,))


def continue_song(gen, song: Song, bars: int, seed: int, style: str,
                  temperature: float = 1.0, allow_chromatic: bool = False,
                  humanize: bool = True, progress=None, cancel=None) -> Song:
    """The song with ``bars`` bars appended by the network; a song with drums gets them in
    the new bars too (the old ending bar is played through into them)."""
    spec = get_style(style)
    old_bars = song.bar_count()
    out = gen.continue_song(song, bars, seed, temperature, style=spec.model_style,
                            allow_chromatic=allow_chromatic, progress=progress, cancel=cancel)
    old = arrange.drum_track_of(out)
    if old is None or not spec.drums:
        return out
    tpb = out.ticks_per_bar()
    keep_before = max(0, old_bars - 1) * tpb
    fresh = drummer.drum_track(out, style, seed, humanize)
    # The old ending's hits ring for a bar: they go with that bar.
    old.notes = ([n for n in old.notes if n.start < keep_before
                  and n.end <= keep_before + drummer.TICKS_PER_STEP]
                 + [n for n in fresh.notes if n.start >= keep_before])
    return out
