"""Piano-roll conversion, key estimation and the training-data pipeline."""

from __future__ import annotations

import numpy as np
import pytest
from gan_corpus import DATA, REAL_JSB, jsb_file

from core.model.pianoroll import (
    LOWEST_PITCH,
    estimate_key,
    roll_notes,
    roll_to_song,
    song_to_roll,
    track_for_role,
)
from core.model.song import Note, Song, Track
from core.training import music_data as gdata
from core.training.music_train import transpose_batch


def test_roll_round_trip_keeps_repeated_notes_apart():
    melody = Track("M", role="melody", notes=[Note(0, 240, 72), Note(240, 240, 72), Note(480, 960, 74)])
    bass = Track("B", role="bass", notes=[Note(0, 1920, 48)])
    roll = song_to_roll(Song(tracks=[melody, bass]), bars=1)
    assert roll.shape == (3, 2, 16, 84)
    back = roll_to_song(roll, key=2, mode="minor", tempo=80)
    m = back.track_by_role("melody")
    assert [(n.start, n.duration, n.pitch) for n in m.notes] == [(0, 240, 72), (240, 240, 72), (480, 960, 74)]
    assert [(n.start, n.duration, n.pitch) for n in back.track_by_role("bass").notes] == [(0, 1920, 48)]
    assert back.key_name == "D minor" and back.tempo == 80
    assert not back.track_by_role("harmony").notes


def test_roll_notes_without_onsets_merges_held_cells():
    s = np.zeros((8, 84), np.uint8)
    s[0:3, 5] = 1
    s[5:8, 5] = 1
    assert roll_notes(s) == [(0, 3, 5), (5, 8, 5)]


def test_tracks_without_roles_are_assigned_by_register():
    hi = Track("a", notes=[Note(0, 480, 76)])
    mid = Track("b", notes=[Note(0, 480, 64)])
    lo = Track("c", notes=[Note(0, 480, 40)])
    song = Song(tracks=[lo, hi, mid])
    assert track_for_role(song, "melody") is hi
    assert track_for_role(song, "harmony") is mid
    assert track_for_role(song, "bass") is lo


@pytest.mark.parametrize("tonic,mode,steps", [(0, "major", (0, 2, 4, 5, 7, 9, 11)),
                                              (9, "minor", (0, 2, 3, 5, 7, 8, 10))])
def test_estimate_key_finds_the_scale_with_tonic_weight(tonic, mode, steps):
    w = np.zeros(12)
    for s in steps:
        w[(tonic + s) % 12] = 1
    w[tonic] += 2
    w[(tonic + 7) % 12] += 1
    assert estimate_key(w) == (tonic, mode)


def test_jsb_chorales_become_labelled_phrases(tmp_path):
    jsb = jsb_file(tmp_path)
    songs = gdata.load_jsb(jsb)
    if jsb == REAL_JSB:
        assert len(songs) == 382 and sum(s.heldout for s in songs) == 77  # their test split
    else:
        assert len(songs) == 13 and sum(s.heldout for s in songs) == 3  # the "test" split
    phrases = gdata.build_phrases(songs[:10])
    x = phrases.phrases(np.arange(len(phrases)))
    assert x.shape[1:] == (3, 2, 80, 84)
    assert (phrases.style == gdata.STYLES.index("chorale")).all()
    # onsets are a subset of sounding cells; the 4 phrase bars are never all silent
    assert not (x[:, :, 1] & ~x[:, :, 0]).any()
    assert x[:, :, 0, 16:].reshape(len(x), -1).any(axis=1).all()
    # a chorale is mostly in the estimated key
    k, minor = int(phrases.key[0]), int(phrases.minor[0])
    from core.metrics.music import in_scale_rate

    assert in_scale_rate([x[0, 0, 0, 16:]], k, "minor" if minor else "major") > 0.8


def test_parsed_songs_survive_the_cache(tmp_path):
    song = gdata.load_jsb(jsb_file(tmp_path))[3]
    gdata.save_parsed(song, tmp_path)
    (back,) = gdata.load_cached_songs(tmp_path)
    assert back.name == song.name and back.style == "chorale" and back.heldout == song.heldout
    assert np.array_equal(back.notes, song.notes) and np.array_equal(back.bar_starts, song.bar_starts)


def test_transposition_moves_notes_and_key_together():
    x = np.zeros((4, 3, 2, 80, 84), np.uint8)
    x[:, 0, 0, :, 60 - LOWEST_PITCH] = 1
    keys = np.array([0, 0, 0, 0])
    out, new_keys = transpose_batch(x, keys, np.random.default_rng(1))
    for i in range(4):
        (pitch,) = np.flatnonzero(out[i, 0, 0, 0])
        assert (pitch + LOWEST_PITCH - 60) % 12 == new_keys[i]


@pytest.mark.skipif(not (DATA / "openscore-lieder").is_dir(),
                    reason="needs the OpenScore Lieder corpus in ../shared/data (MusicXML parsing "
                           "of a real song; not in a fresh clone)")
def test_one_lieder_song_parses_to_voice_and_piano(tmp_path):
    files = sorted((DATA / "openscore-lieder").rglob("*.mxl"))
    four_four = next(f for f in files[:60] if not gdata.prefilter_reason(f))
    song = gdata.parse_lieder_song(four_four)
    assert song is not None and song.style == "lieder"
    tracks = set(song.notes[:, 0].tolist())
    assert tracks == {0, 1, 2}
    assert (song.notes[:, 2] > song.notes[:, 1]).all()
    assert len(song.bar_starts) >= 4 and (np.diff(song.bar_starts) >= 16).all()


def test_missing_music21_is_a_clear_error_not_a_skipped_score(tmp_path, monkeypatch):
    """Without the training extra, parsing says what to install and marks no score as bad."""
    import sys

    from core.errors import SongloomError

    monkeypatch.setitem(sys.modules, "music21", None)  # import music21 -> ImportError
    with pytest.raises(SongloomError, match=r"music21.*\.\[train\]") as info:
        gdata.parse_lieder_song(tmp_path / "song.mxl")
    assert "song.mxl" in str(info.value)


def _mxl(path, staves_per_part, beats="4"):
    """A minimal compressed MusicXML file with the given staves per part."""
    import zipfile

    parts = "".join(f'<part id="P{i}"><measure number="1"><attributes><time><beats>{beats}</beats>'
                    f"<beat-type>4</beat-type></time><staves>{n}</staves></attributes></measure></part>"
                    for i, n in enumerate(staves_per_part))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("score.xml", f"<score-partwise>{parts}</score-partwise>")
    return path


@pytest.mark.parametrize("staves,ok", [((1, 2), True), ((1, 1, 2), True), ((1, 1, 1, 1, 2), True),
                                       ((1, 1, 1, 1), False), ((1, 2, 2), False), ((1, 3), False),
                                       ((2, 2), False), ((2,), False)])
def test_only_voices_over_a_two_staff_piano_are_taken(tmp_path, staves, ok):
    reason = gdata.prefilter_reason(_mxl(tmp_path / "s.mxl", staves))
    assert (reason == "") == ok, reason
    if not ok:
        assert "two-staff piano" in reason and str(list(staves)) in reason


def test_the_prefilter_names_other_metres_and_unreadable_files(tmp_path):
    assert gdata.prefilter_reason(_mxl(tmp_path / "a.mxl", (1, 2), beats="3")) == "not 4/4"
    (tmp_path / "b.mxl").write_bytes(b"not a zip")
    assert gdata.prefilter_reason(tmp_path / "b.mxl") == "unreadable"


def test_a_cache_made_before_the_layout_filter_is_held_to_it(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "cache"
    (data / "openscore-lieder").mkdir(parents=True)
    bad = _mxl(data / "openscore-lieder" / "quartet.mxl", (1, 1, 1, 1))
    notes = np.asarray([[0, 0, 4, 60], [1, 0, 4, 55], [2, 0, 4, 48]], np.int32)
    gdata.save_parsed(gdata.ParsedSong(str(bad), "lieder", False, notes,
                                       np.arange(0, 64, 16, dtype=np.int32), 64), cache)
    assert len(gdata.load_cached_songs(cache)) == 1
    logs: list[str] = []
    gdata.parse_corpora(data, cache, log=logs.append)
    assert gdata.load_cached_songs(cache) == [] and any("quartet.mxl" in m for m in logs)
    assert str(bad) in (cache / "skipped.txt").read_text()
