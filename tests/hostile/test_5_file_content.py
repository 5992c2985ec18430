"""Class 5: file content that raised tracebacks: 4,300-digit integers, lone surrogates,
more tracks than MIDI's header can count."""

from __future__ import annotations

import json
import time

import pytest
from hostile_harness import assert_clean_error, assert_nothing_left, run_cli, snapshot

from core.bench import hostile_files as hf
from core.errors import SongloomError

BIG = "9" * 5000


@pytest.mark.parametrize("where", ["version", "tempo tick", "note start", "key", "unknown field",
                                   "syllable tick", "negative"])
def test_an_integer_of_5000_digits_is_a_clean_error(case_dir, where):
    text = hf.project_text().decode()
    doc = json.loads(text)
    marker = "__BIG__"
    song = doc["song"]
    if where == "version":
        doc["version"] = marker
    elif where == "tempo tick":
        song["tempos"][0]["tick"] = marker
    elif where == "note start":
        song["tracks"][0]["notes"][0][0] = marker
    elif where == "key":
        song["key"] = marker
    elif where == "unknown field":
        song["later_feature"] = {"x": [marker]}
    elif where == "syllable tick":
        song["lyrics"]["sections"][0]["lines"][0]["syllables"][0]["tick"] = marker
    else:
        song["tempos"][0]["tick"] = "-" + marker
    raw = json.dumps(doc).replace(f'"{marker}"', BIG).replace(f'"-{marker}"', "-" + BIG)
    path = case_dir / "big-int.songloom"
    path.write_text(raw)
    assert_clean_error(run_cli("info", path, cwd=case_dir), "5,000 digits", "big-int.songloom")


@pytest.mark.parametrize("field", ["title", "track name", "section name", "syllable", "line"])
@pytest.mark.parametrize("command", [("info", "--json"), ("info",), ("convert",)])
def test_a_lone_surrogate_in_a_project_is_refused_where_it_is_read(case_dir, field, command):
    doc = hf.project_doc()
    song = doc["song"]
    bad = "A\ud800B"
    if field == "title":
        song["title"] = bad
    elif field == "track name":
        song["tracks"][0]["name"] = bad
    elif field == "section name":
        song["lyrics"]["sections"][0]["name"] = bad
    elif field == "syllable":
        song["lyrics"]["sections"][0]["lines"][0]["syllables"][1]["text"] = bad
    else:
        song["lyrics"]["sections"][0]["lines"][0]["text"] = bad
    path = case_dir / "surrogate.songloom"
    path.write_text(json.dumps(doc))  # ensure_ascii: the file itself is valid UTF-8
    before = snapshot(case_dir)
    args = [*command, path] + ([case_dir / "out.mid"] if command == ("convert",) else [])
    assert_clean_error(run_cli(*args, cwd=case_dir), "surrogate")
    assert_nothing_left(case_dir, before)


def test_a_lone_surrogate_in_songloom_s_midi_event_is_replaced(case_dir):
    """MIDI carries Songloom's title as JSON in a sequencer-specific event; a ``\\ud800``
    escape there cannot be refused by the UTF-8 decoder, so it becomes U+FFFD."""
    tag = b"\x7dsongloom:" + json.dumps({"title": "A\ud800B"}).encode()
    conductor = hf.track_chunk(hf.meta(0x7F, tag))
    path = case_dir / "tagged.mid"
    path.write_bytes(hf.midi_file([conductor, hf.track_chunk(hf.note())]))
    out = run_cli("info", "--json", path, cwd=case_dir)
    assert out.rc == 0, out.stderr[-2000:]
    assert json.loads(out.stdout)["title"] == "A\ufffdB"
    out = run_cli("convert", path, case_dir / "out.songloom", cwd=case_dir)
    assert out.rc == 0, out.stderr[-2000:]
    out = run_cli("convert", path, case_dir / "out.mid", cwd=case_dir)
    assert out.rc == 0, out.stderr[-2000:]


def test_a_song_with_more_tracks_than_midi_can_count_is_refused_at_write_time(case_dir):
    """70,000 tracks raised OverflowError in the MIDI header; now a clear error first."""
    from core.io.song_io import save_song
    from core.model.song import Song, Track

    song = Song(tracks=[Track(f"t{i}") for i in range(70_000)])
    for name in ("many.mid", "many.songloom"):
        started = time.process_time()
        with pytest.raises(SongloomError, match="70,000 tracks") as err:
            save_song(song, case_dir / name)
        assert time.process_time() - started < 2.0
        assert "\n" not in str(err.value)
    assert list(case_dir.iterdir()) == []
