"""Rendered through the bundled SoundFont, every drum note sounds (issue 15): each kit a
groove names is a preset of the font, each drum key a groove plays is heard alone in its
kit, each style's instruments sound; a rock song's mix does not clip."""

from __future__ import annotations

import math

from core.audio.soundfonts import bundled_soundfont
from core.bench.drums import SILENT_DB, audible, mix_levels, soundfont_presets
from core.music import styled
from core.music.grooves import load_library
from core.music.sample import load_generator


def test_every_kit_key_and_instrument_of_every_style_sounds():
    presets = soundfont_presets(bundled_soundfont())
    assert (128, 0) in presets and (0, 0) in presets  # the reader sees both banks
    result = audible()
    assert result["missing_presets"] == [] and result["silent"] == []
    lib = load_library()
    for style, groove in lib.grooves.items():
        levels = result["drum_keys"][style]["rms_db"]
        assert set(levels) == groove.keys()
        assert all(v > SILENT_DB for v in levels.values()), (style, levels)


def test_a_missing_kit_or_program_is_reported():
    from core.bench.drums import missing_presets

    melodic_only = {(0, p) for p in range(128)}
    assert "rock: drum kit 16" in missing_presets(melodic_only)
    assert "folk: program 40" in missing_presets(melodic_only - {(0, 40)} | {(128, 40)})
    assert missing_presets(soundfont_presets(bundled_soundfont())) == []


def test_a_rock_mix_with_drums_does_not_clip_and_the_drums_sit_with_the_band():
    song = styled.generate(load_generator(), "rock", seed=0, bars=4)[0]
    m = mix_levels(song)
    assert m["peak_dbfs"] < 0
    assert -12 < m["drums_minus_band_db"] < 6
    assert math.isfinite(m["rms_dbfs"]) and m["rms_dbfs"] < -10
