"""A phrase's closing chords and the --chords text, tested where they are made
(core/music/form.py). Written from the mutation run of issue 19 (docs/development.md,
"Surviving mutants"): the composer tests reach these only through whole songs."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import SongloomError
from core.model.chords import Chord
from core.music.form import BEATS_PER_BAR, Phrase, _close, parse_chord_spec
from core.music.progressions import ChordTables
from core.music.sample import default_model_dir

HOLD = Chord(2, "m")  # ii: what the phrase held before it was closed

C, G, A_MINOR, E = Chord(0), Chord(7), Chord(9, "m"), Chord(4)


def _closed(bars: int, cadence: str, key=0, mode="major", tables=None, seed=0):
    beats = [HOLD] * (bars * BEATS_PER_BAR)
    phrase = Phrase(start_bar=0, bars=bars, cadence=cadence)
    _close(beats, phrase, key, mode, "lieder", np.random.default_rng(seed), tables, False)
    return beats


@pytest.fixture(scope="module")
def tables():
    return ChordTables.load(default_model_dir())


@pytest.mark.parametrize("seed", range(6))
def test_a_closing_changes_the_last_two_bars_only_and_ends_on_the_tonic(tables, seed):
    beats = _closed(4, "authentic", tables=tables, seed=seed)
    assert beats[:2 * BEATS_PER_BAR] == [HOLD] * 8  # the phrase's first two bars stay
    assert HOLD not in beats[8:] and len(beats) == 16
    before_tonic = [c for c in beats[8:] if c != C]
    assert beats[-1] == C and before_tonic[-1].root == 7  # V (or V7) -> I


@pytest.mark.parametrize("seed", range(6))
def test_a_half_cadence_ends_on_the_dominant(tables, seed):
    beats = _closed(4, "half", tables=tables, seed=seed)
    assert beats[:8] == [HOLD] * 8 and beats[-1].root == 7 and beats[-1].quality in ("", "7")


def test_a_one_bar_phrase_closes_within_its_bar(tables):
    beats = _closed(1, "authentic", tables=tables)
    assert len(beats) == BEATS_PER_BAR and beats[-1] == C


def test_without_tables_the_closing_is_dominant_then_tonic():
    assert _closed(4, "authentic")[8:] == [G] * 6 + [C] * 2
    assert _closed(4, "half")[8:] == [G] * 8
    assert _closed(2, "authentic", key=9, mode="minor") == [E] * 6 + [A_MINOR] * 2
    assert _closed(4, "open")[8:] == [G] * 6 + [C] * 2  # anything but half closes


def test_chord_text_per_section_in_the_song_s_key_and_mode():
    spec = parse_chord_spec("verse=i iv V i; chorus = III VII i i", 9, "minor")
    assert spec["verse"] == [[A_MINOR], [Chord(2, "m")], [E], [A_MINOR]]
    assert spec["chorus"][0] == [Chord(0)]
    assert parse_chord_spec("I V", 0, "major") == {"*": [[C], [G]]}


@pytest.mark.parametrize("text", ["", " ; ", "verse=I=V", "verse=I V; =IV"])
def test_bad_chord_text_is_one_clear_error(text):
    with pytest.raises(SongloomError) as exc:
        parse_chord_spec(text, 0, "major")
    if not text.strip(" ;"):
        assert "empty chord progression" in str(exc.value)
