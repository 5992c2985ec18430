"""The groove library (resources/grooves): every style's file reads, has what a drummer
needs, and a malformed file is one error naming the file and line while the other styles
keep their drums."""

from __future__ import annotations

import shutil

import pytest

from core.errors import SongloomError
from core.model.sections import Section
from core.model.song import Note, Song, Track
from core.model.styles import REGISTRY
from core.music import drummer
from core.music.grooves import (
    INSTRUMENTS,
    REQUIRED,
    GrooveError,
    grooves_dir,
    load_library,
    parse_groove,
    read_groove,
)

DRUM_STYLES = [n for n, s in REGISTRY.items() if s.drums]
KICK, SNARE, RIM, CLAP = 36, 38, 37, 39
HAT, OPEN, RIDE, CRASH = 42, 46, 51, 49


def test_every_drum_style_has_a_groove_file_with_every_pattern():
    lib = load_library()
    assert not lib.errors
    assert sorted(lib.grooves) == sorted(DRUM_STYLES)
    for style in DRUM_STYLES:
        g = lib.groove(style)
        assert all(p in g.patterns for p in REQUIRED), style
        assert all(p.steps == 4 for p in g.choices("fill1"))  # one beat
        assert all(p.steps == 8 for p in g.choices("fill2"))  # two beats
        assert g.one("pickup").steps in (4, 8)
        assert any(k == CRASH for _, k, _ in g.one("downbeat").hits)
        assert g.one("ending").hits[0][0] == 0  # the ending hit is on the downbeat


def test_the_grooves_are_licensed_mit_by_the_project():
    text = (grooves_dir() / "LICENSE.txt").read_text()
    assert "MIT License" in text and "written for Songloom" in text
    for f in grooves_dir().glob("*.groove"):
        assert "MIT" in f.read_text().splitlines()[0], f.name


def _hits(pattern, key):
    return [s for s, k, _ in pattern.hits if k == key]


@pytest.mark.parametrize("style", ["pop", "rock", "ballad", "folk"])
def test_backbeat_on_two_and_four_kick_on_one(style):
    g = load_library().groove(style)
    for name in ("verse", "chorus"):
        p = g.one(name)
        backbeat = set(_hits(p, SNARE) if name == "chorus" or style == "rock" else
                       _hits(p, RIM) + _hits(p, SNARE))
        assert {4, 12} <= backbeat, (style, name)
        assert 0 in _hits(p, KICK)


def test_rock_rides_in_the_chorus_and_keeps_hats_in_eighths_in_the_verse():
    g = load_library().groove("rock")
    assert _hits(g.one("verse"), HAT) == list(range(0, 16, 2))
    assert _hits(g.one("chorus"), RIDE) == list(range(0, 16, 2))
    assert not _hits(g.one("verse"), RIDE)
    assert _hits(g.one("variation"), OPEN)  # the hat opens into the next bar
    ghosts = [v for _, k, v in g.one("verse").hits if k == SNARE and v < 50]
    assert ghosts  # a ghost note between the backbeats


def test_electronic_is_four_on_the_floor_with_off_beat_hats():
    g = load_library().groove("electronic")
    for name in ("verse", "chorus", "variation"):
        assert _hits(g.one(name), KICK) == [0, 4, 8, 12]
    assert _hits(g.one("chorus"), OPEN) == [2, 6, 10, 14]


def test_pop_chorus_has_sixteenth_hats_and_claps_on_the_backbeat():
    g = load_library().groove("pop")
    assert len(_hits(g.one("chorus"), HAT)) >= 12
    assert _hits(g.one("chorus"), CLAP) == [4, 12]


def test_ballad_and_folk_play_light_brush_patterns():
    for style in ("ballad", "folk"):
        g = load_library().groove(style)
        assert g.kit == 40  # GM Brush kit
        verse = g.one("verse")
        assert max(v for _, _, v in verse.hits) <= 96  # no accents in a verse
        assert any(v < 50 for _, _, v in verse.hits)  # brush taps


GOOD = """kit 0
[verse]
kick   x...|....|x...|....
snare  ....|x...|....|x...
[chorus]
kick   x...|....|x...|....
[variation]
kick   x...|....|x...|..x.
[fill1]
snare  xxxx
[fill2]
snare  xxxx|xxxx
[pickup]
snare  xxxx
[ending]
crash  x...|....|....|....
[downbeat]
crash  x
"""


@pytest.mark.parametrize("change,line,words", [
    (("snare  ....|x...|....|x...", "snare  ....|x...|....|x.."), 4, "15 steps"),
    (("snare  ....|x...|....|x...", "snaer  ....|x...|....|x..."), 4, "unknown instrument"),
    (("[fill1]\nsnare  xxxx", "[fill1]\nsnare  xxqx"), 10, "'q' is not a hit"),
    (("[fill2]\nsnare  xxxx|xxxx", "[fill2]\nsnare  xxxx|xx"), 11, "must be 8"),
    (("[ending]", "[endnig]"), 15, "unknown pattern"),
    (("kit 0", "kit 300"), 1, "kit must be"),
    (("[downbeat]\ncrash  x\n", ""), 16, "no [downbeat]"),
    (("[chorus]", "[verse]"), 5, "given twice"),
])
def test_a_malformed_groove_names_the_file_and_line(change, line, words):
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(GrooveError) as err:
        parse_groove(text, "x", "/grooves/x.groove")
    msg = str(err.value)
    assert msg.startswith("/grooves/x.groove: ") and f"line {line}:" in msg and words in msg
    assert "\n" not in msg


def test_the_good_example_parses():
    g = parse_groove(GOOD, "x")
    assert g.one("verse").steps == 16 and g.one("downbeat").steps == 1
    assert set(INSTRUMENTS) >= {"kick", "snare", "hat", "open", "ride", "crash"}


def _song(bars=8, sections=()):
    tpb = 1920
    return Song(tracks=[Track("M", "melody", notes=[Note(0, bars * tpb, 60)])],
                sections=[Section(k, a * tpb, n * tpb) for k, a, n in sections])


def test_a_broken_file_leaves_the_other_styles_drumming(tmp_path):
    folder = tmp_path / "grooves"
    shutil.copytree(grooves_dir(), folder)
    (folder / "pop.groove").write_text(GOOD.replace("x...|....|x...|..x.", "x..|....|x...|..x."))
    (folder / "folk.groove").write_bytes(b"kit 40\n[verse]\nkick \xff\xfe\n")
    lib = load_library(folder)
    assert set(lib.errors) == {"pop", "folk"}
    assert "pop.groove: line 7:" in str(lib.errors["pop"])
    assert "folk.groove: line 3: not UTF-8" in str(lib.errors["folk"])
    with pytest.raises(GrooveError, match=r"pop\.groove: line 7"):
        drummer.drum_track(_song(), "pop", library=lib)
    track = drummer.drum_track(_song(), "rock", library=lib)  # the others still play
    assert track.is_drum and track.notes


def test_a_style_without_a_groove_file_says_which_styles_have_drums(tmp_path):
    lib = load_library(tmp_path)
    with pytest.raises(SongloomError, match="has no drum groove"):
        lib.groove("rock")


def test_mangled_groove_files_only_ever_raise_a_groove_error(tmp_path):
    """Random damage to a real groove (bytes dropped, swapped, repeated): either it still
    reads or the error is a GrooveError naming the file and a line, never a traceback."""
    import random

    base = (grooves_dir() / "rock.groove").read_bytes()
    rng = random.Random(15)
    path = tmp_path / "rock.groove"
    for _ in range(300):
        data = bytearray(base)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(data))
            action = rng.randrange(3)
            if action == 0:
                del data[i:i + rng.randint(1, 40)]
            elif action == 1:
                data[i] = rng.choice(b"x.X|[]#\n kit0123g\xff")
            else:
                data[i:i] = data[i:i + rng.randint(1, 30)]
        path.write_bytes(bytes(data))
        try:
            read_groove(path)
        except GrooveError as exc:
            assert str(exc).startswith(str(path)) and " line " in f" {exc.reason}"
    (tmp_path / "dir.groove").mkdir()
    lib = load_library(tmp_path)
    assert "dir" in lib.errors and "cannot read it" in str(lib.errors["dir"])
