"""Styles as arrangements: a song the network wrote (in the style's model style) played by
the style's band: its instruments, its way of playing the harmony and the bass from the
chords and notes (core/music/players.py), and its drummer (core/music/drummer.py).

Pure functions over Songs (no I/O beyond the groove library); ``arrange`` is what
``MusicGenerator.generate`` runs after writing a song in an arrangement style, and
``regenerate_drums`` what "Regenerate drums" runs: every other track is kept note for note.
"""

from __future__ import annotations

import copy

import numpy as np

from core.errors import SongloomError
from core.model.song import Song, Track
from core.model.styles import get_style
from core.music import drummer, players

FULL_KINDS = drummer.FULL_SECTIONS
ROLE_CODES = {"melody": 0, "harmony": 1, "bass": 2, "drums": 3}


def full_bars(song: Song) -> set[int]:
    """The bars played fuller: those of choruses (and B sections, outros)."""
    tpb = song.ticks_per_bar()
    return {b for kind, lo, n in drummer.song_form(song) if kind in FULL_KINDS
            for b in range(lo, lo + n)} if tpb else set()


def figure(seed: int, role: str) -> int:
    """Which of the style's figures (core/music/players.py VARIANTS) a part plays, drawn
    from the seed: a new take or a regenerated part may play the other one."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 16, ROLE_CODES[role]]))
    return int(rng.integers(players.VARIANTS))


def play_track(song: Song, role: str, style: str, variant: int = 0) -> list | None:
    """The notes of the ``role`` track ("harmony" or "bass") as the style plays it, in its
    figure ``variant``; None when the style plays it as written or the song has no chords
    to play from."""
    spec = get_style(style)
    how = spec.harmony if role == "harmony" else spec.bass if role == "bass" else "as-written"
    track = song.track_by_role(role)
    if how == "as-written" or not song.chords or track is None:
        return None
    drummer.check_meter(song)
    bars, tpb = song.bar_count(), song.ticks_per_bar()
    full = full_bars(song)
    play = players.play_harmony if role == "harmony" else players.play_bass
    return play(how, track.notes, song.chords, bars, tpb, full, variant)


def arrange(song: Song, style: str, seed: int = 0, humanized: bool = True,
            instruments: bool = True, roles: tuple[str, ...] = ("harmony", "bass", "drums"),
            variants: dict[str, int] | None = None) -> Song:
    """A copy of ``song`` arranged for ``style``: with ``instruments``, the style's GM
    programs on melody, harmony and bass; the ``roles`` it re-plays (harmony, bass: in the
    figure ``variants`` names, else one drawn from ``seed``) and its drum track (replacing
    any). lieder and chorale change nothing but instruments."""
    spec = get_style(style)
    out = copy.deepcopy(song)
    if instruments:
        for role, program in zip(("melody", "harmony", "bass"), spec.programs, strict=True):
            t = out.track_by_role(role)
            if t is not None and not t.is_drum:
                t.program = program
    for role in ("harmony", "bass"):
        if role in roles:
            variant = (variants or {}).get(role, figure(seed, role))
            notes = play_track(out, role, style, variant)
            if notes is not None:
                out.track_by_role(role).notes = notes
    if spec.drums and "drums" in roles and out.bar_count() > 0:
        drummer.set_drums(out, drummer.drum_track(out, style, seed, humanized))
    return out


def regenerate_drums(song: Song, style: str, seed: int, humanized: bool = True) -> Song:
    """``song`` with a new drum track in ``style`` (added when it has none); every other
    track, the form and the chords kept as they are."""
    spec = get_style(style)
    if not spec.drums:
        with_drums = ", ".join(n for n in _styles_with_drums())
        raise SongloomError(f"the {style} style has no drums (styles with drums: {with_drums})")
    if song.bar_count() < 1:
        raise SongloomError("the song has no bars to play drums to; generate some music first")
    out = copy.deepcopy(song)
    drummer.set_drums(out, drummer.drum_track(out, style, seed, humanized))
    return out


def _styles_with_drums() -> list[str]:
    from core.model.styles import REGISTRY

    return [n for n, s in REGISTRY.items() if s.drums]


def drum_track_of(song: Song) -> Track | None:
    return next((t for t in song.tracks if t.is_drum), None)


def retitle(title: str, model_style: str, style: str) -> str:
    """"Lieder in C major, seed 3" -> "Rock in C major, seed 3"."""
    old = model_style.title()
    return style.title() + title[len(old):] if title.startswith(old) else title
