"""What the user asks a generation for: the options of a music and a lyrics request.

Plain dataclasses (no Qt): the Generate panel fills them, the workers' jobs read them,
the generation history keeps them with each result so it can be made again by seed.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.model.styles import DEFAULT_STYLE
from core.model.theory import key_name

RHYME_SCHEMES = ("ABAB", "AABB", "ABCB", "free")


@dataclass
class MusicParams:
    bars: int = 4
    seed: int = 0
    key: int = 0
    mode: str = "major"
    style: str = DEFAULT_STYLE
    tempo: float = 96.0
    temperature: float = 1.0
    variations: int = 1
    allow_chromatic: bool = False
    humanize: bool = True  # the drums a few ms and velocity steps off the grid (seeded)
    # The song's form: "auto" (chosen for ``bars``), a preset ("AABA", "verse-chorus",
    # "verse-chorus-bridge") or the user's own sequence ("intro verse chorus outro"),
    # which then fixes the length. ``chords``: the progression typed by the user, as
    # names or Roman numerals ("I vi IV V"); "" = drawn from the style's own tables.
    form: str = "auto"
    chords: str = ""

    @property
    def form_bars(self) -> int | None:
        """The bars to ask for: ``bars`` for the automatic form, else the form's own."""
        return self.bars if self.form in ("", "auto") else None

    def describe(self) -> str:
        form = "" if self.form in ("", "auto") else f", form {self.form}"
        chords = f", chords {self.chords}" if self.chords else ""
        length = f"{self.bars} bars" if self.form_bars is not None else "the form's bars"
        return (f"{length}, {key_name(self.key, self.mode)}, {self.style}{form}{chords}, "
                f"{self.tempo:g} BPM, seed {self.seed}, temp {self.temperature:g}")


@dataclass
class LyricParams:
    theme: str = ""
    lines: int = 4
    syllables_from_melody: bool = True
    syllables: int = 8
    rhyme: str = "ABAB"
    temperature: float = 0.9
    seed: int = 0
    model_dir: str = ""  # "" = the bundled model
    diction: str = "modern"  # or "poetic": thee, thou, o'er allowed
    # Chinese lyrics (core.lyrics.zh), one character per note: the fields above that count
    # syllables or name rhyme letters are English-only and left as they are.
    language: str = "en"  # or "zh"
    pattern: str = ""  # zh: a tune pattern (词牌); "" = one line per melody phrase
    zh_rhyme: bool = True  # zh: the pattern's rhyming lines (or the even lines) rhyme
    tones: bool = False  # zh: follow the pattern's 平仄 where it is firm

    def describe(self) -> str:
        theme = f'"{self.theme}"' if self.theme else "free"
        if self.language == "zh":
            pattern = self.pattern or "from the melody"
            rhyme = "rhymed" if self.zh_rhyme else "unrhymed"
            tones = ", tones" if self.tones and self.pattern else ""
            return f"{theme}, Chinese, {pattern}, {rhyme}{tones}, seed {self.seed}"
        syl = "melody syllables" if self.syllables_from_melody else f"{self.syllables} syllables"
        poetic = ", poetic" if self.diction == "poetic" else ""
        return f"{theme}, {self.lines} lines, {syl}, {self.rhyme}{poetic}, seed {self.seed}"
