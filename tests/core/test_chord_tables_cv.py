"""Training side of issue 14: the chord tables from Roman-numeral analyses and voices, and
the cross-validation ranges (synthetic inputs; no corpus needed)."""

from __future__ import annotations

import numpy as np

from core.model.chords import Chord
from core.training.chord_tables import build_tables, chorale_slots, parse_rntxt, rntxt_slots
from core.training.music_cv import build_ranges, fold_of
from core.training.music_data import ParsedSong, save_parsed

RNTXT = """Composer: Someone
Title: Test

Time Signature: 4/4

m1 C: I
m2 IV b3 V7
m3 I b3 Ger65
m4 e: V/V b3 i
"""


def test_rntxt_reads_keys_beats_secondaries_and_leaves_unknown_chords_out():
    events, beats = parse_rntxt(RNTXT)
    assert beats == 4
    assert [(m, b) for m, b, *_ in events] == [(1, 1), (2, 1), (2, 3), (3, 1), (3, 3), (4, 1), (4, 3)]
    assert events[2][4] == Chord(7, "7")
    assert events[4][4] is None  # an augmented sixth is no chord of a key
    assert events[5][2:4] == (4, "minor") and events[5][4] == Chord(6, "")  # V/V in E minor
    slots = rntxt_slots(RNTXT)
    assert [None if s is None else s[2].name() for s in slots] == [
        "C", "C", "F", "G7", "C", None, "F#", "Em"]


def test_tables_count_windows_in_their_key_and_drop_single_occurrences():
    c, f, g = (0, "major", Chord(0)), (0, "major", Chord(5)), (0, "major", Chord(7, "7"))
    song = [c, c, f, f, g, g, c, c] * 2 + [None, None]
    tables = build_tables({"pop": [song, song]})
    tab = tables["styles"]["pop"]["table"]["major"]
    two = {tuple(k): v for k, v in tab["windows"]["2"]}
    assert two[("I", "I", "IV", "IV")] == 4 and ("V7", "V7", "I", "I") in two
    assert tab["moves"]["IV"]["V7"] == 4
    assert tables["styles"]["pop"]["songs"] == 2


def _song(name, pitches, style="chorale", heldout=False):
    rows = []
    for i, p in enumerate(pitches):  # one bar each: melody p, harmony p-5 and p-8, bass p-24
        s = i * 16
        rows += [(0, s, s + 16, p), (1, s, s + 16, p - 5), (1, s, s + 16, p - 8), (2, s, s + 16, p - 24)]
    notes = np.asarray(rows, np.int32)
    return ParsedSong(name, style, heldout, notes, np.arange(0, 16 * len(pitches), 16, dtype=np.int32),
                      16 * len(pitches))


def test_chorale_chords_come_from_the_voices():
    slots = chorale_slots(_song("x", [72, 77, 79, 72]))
    assert [s[2].name() for s in slots[::2]] == ["C", "F", "G", "C"]


def test_ranges_are_the_min_and_max_of_five_song_folds(tmp_path):
    names = [f"jsb:train:{i}" for i in range(20)]
    for i, name in enumerate(names):
        save_parsed(_song(name, [72, 77, 79, 72] if i % 2 else [72, 72, 79, 72]), tmp_path)
    save_parsed(_song("jsb:test:0", [72, 77, 79, 72], heldout=True), tmp_path)
    ranges = build_ranges(tmp_path)
    st = ranges["styles"]["chorale"]
    assert sum(st["songs_per_fold"]) == 20 and st["heldout_songs"] == 1
    assert sorted({fold_of(n) for n in names}) == [0, 1, 2, 3, 4]
    row = st["rows"]["melody repeat_exact"]
    assert row["min"] == min(row["folds"]) and row["max"] == max(row["folds"])
    assert st["rows"]["melody final_tonic"]["heldout"] == 1.0
    assert len(st["rows"]) == 30


def test_a_songs_fold_does_not_depend_on_where_the_data_folder_lives():
    rel = "openscore-lieder/scores/Schubert,_Franz/Op_3/lc1.mxl"
    folds = {fold_of(root + rel) for root in ("../shared/data/", "/work/shared/data/", "/d/", "")}
    assert len(folds) == 1
    pops = {fold_of(root + "pop909/POP909/471/471.mid") for root in ("/a/", "../b/data/")}
    assert len(pops) == 1
    # different songs still spread over the folds
    assert len({fold_of(f"/x/openscore-lieder/scores/s{i}.mxl") for i in range(40)}) == 5
