"""The licence index the About box and `songloom-cli licenses` show."""

from __future__ import annotations

import json

import pytest

from core.cli import main as cli_main
from core.licenses import LicenseIndexError, bundled_licenses, find_license, licenses_summary

# Parts a user of the bundle receives; each must come with its licence text.
MUST_HAVE = {
    "Songloom": "MIT",
    "PySide6_Essentials": "LGPL-3.0",
    "shiboken6": "LGPL-3.0",
    "torch": "BSD-3-Clause",
    "transformers": "Apache",
    "librosa": "ISC",
    "libfluidsynth3": "LGPL-2.1",
    "fluidr3mono-gm-soundfont": "MIT",
    "libportaudio2": "",
}


def test_every_bundled_part_has_its_licence_text():
    entries = {e.name: e for e in bundled_licenses()}
    for name, licence in MUST_HAVE.items():
        assert name in entries, f"{name} missing from the licence index"
        assert licence in entries[name].license or licence in entries[name].text()
    for entry in entries.values():
        assert entry.path.is_file(), entry
        assert len(entry.text()) > 200, f"{entry.name}: licence text suspiciously short"


def test_the_qt_licence_is_the_real_lgpl_text():
    text = find_license("pyside6-essentials").text()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3" in text


def test_summary_groups_our_own_licence_first():
    summary = licenses_summary()
    assert summary.splitlines()[0] == "Songloom:"
    assert "torch" in summary and "Native libraries and SoundFont:" in summary


def test_damaged_index_names_the_file(tmp_path):
    (tmp_path / "index.json").write_text("[{\"name\": \"x\"}]")
    with pytest.raises(LicenseIndexError, match="index.json: entry 1 lacks"):
        bundled_licenses(tmp_path)
    with pytest.raises(LicenseIndexError, match="no licence index"):
        bundled_licenses(tmp_path / "nowhere")


def test_cli_lists_and_prints_licences(capsys):
    assert cli_main(["licenses", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"torch", "libfluidsynth3"} <= {e["name"] for e in listed}
    assert cli_main(["licenses", "libfluidsynth3"]) == 0
    assert "fluidsynth" in capsys.readouterr().out.lower()


def test_cli_unknown_part_is_one_error_line(capsys):
    assert cli_main(["licenses", "no-such-part"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["songloom-cli: error: no-such-part: no bundled component of that name "
                   "(songloom-cli licenses lists them)"]
