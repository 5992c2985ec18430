"""Class 6, a music model's sampler.json, and class 7's seed at the generator itself (not
only the CLI): one line naming the file and the key, never a traceback."""

from __future__ import annotations

import json
import os

import pytest
from hostile_harness import assert_clean_error, assert_nothing_left, run_cli, snapshot

NESTED = "[" * 100_000 + "]" * 100_000


def _generate(folder, cwd):
    before = snapshot(cwd)
    out = run_cli("generate", "music", "--model", folder, "--out", cwd / "o.mid", cwd=cwd)
    assert_nothing_left(cwd, before)
    return out


def _settings(**parts) -> str:
    return json.dumps({"format_version": 1, **parts})


@pytest.mark.parametrize("content, needle", [
    ("[]", "expected a JSON object"),
    (NESTED, "nested"),
    ('{"format_version": 1' + "0" * 5000 + "}", "digits"),
    ('{"format_version": 1, "decode": {"proximity_weight": NaN}}', "NaN"),
    ('{"format_version": 1, "decode": {"proximity_weight": 1e999}}', "too large"),
    ('{"format_version": 1, "decode": {', "broken JSON"),
    ('{"format_version": true}', "format_version"),
    ('{"format_version": 2}', "format_version"),
    ('{"format_version": 1, "extra": {}}', "unknown sections"),
    (_settings(compose=[]), "compose is not an object"),
    (_settings(decode=[]), "decode is not an object"),
    (_settings(decode={"pitch_temperature": "111"}), "decode.pitch_temperature"),
    (_settings(decode={"pitch_temperature": [1, 1, "1"]}), "decode.pitch_temperature[2]"),
    (_settings(decode={"pitch_temperature": [1, 1, True]}), "decode.pitch_temperature[2]"),
    (_settings(decode={"register_weight": [1, 1, 1e300]}), "decode.register_weight[2]"),
    (_settings(decode={"sound_logit_offset": []}), "decode.sound_logit_offset"),
    (_settings(decode={"sound_logit_offset": {"lieder": 3}}), "decode.sound_logit_offset.lieder"),
    (_settings(decode={"melody_round_span": 10**30}), "decode.melody_round_span"),
    (_settings(decode={"melody_round_span": 5}), "decode.melody_round_span"),
    (_settings(decode={"accompaniment_bar_share": -0.5}), "decode.accompaniment_bar_share"),
    (_settings(compose={"lieder": []}), "compose.lieder is not an object"),
    (_settings(compose={"lieder": {"chord_weight": []}}), "compose.lieder.chord_weight"),
    (_settings(compose={"lieder": {"chord_weight": {"bass": "2"}}}),
     "compose.lieder.chord_weight.bass"),
    (_settings(compose={"lieder": {"repeat_variation": {"exact": 0, "rhythm": 0}}}),
     "compose.lieder.repeat_variation"),
    (_settings(compose={"lieder": {"repeat_variation": {"exact": -1}}}),
     "compose.lieder.repeat_variation.exact"),
    (_settings(compose={"lieder": {"fill_tracks": [2, 0, 0]}}), "compose.lieder.fill_tracks[0]"),
    (_settings(compose={"lieder": {"fill_tracks": 3}}), "compose.lieder.fill_tracks"),
    (_settings(compose={"lieder": {"fill_min_steps": [1, 1, 1.5]}}),
     "compose.lieder.fill_min_steps[2]"),
    (_settings(compose={"lieder": {"chorus_inner_repeat": "yes"}}),
     "compose.lieder.chorus_inner_repeat"),
    (_settings(compose={"lieder": {"instrumental_sections": [1]}}),
     "compose.lieder.instrumental_sections[0]"),
    (_settings(compose={"lieder": {"instrumental_sections": ["intro"] * 1000}}),
     "compose.lieder.instrumental_sections"),
    (_settings(compose={"lieder": {"cadence_hold_steps": []}}), "compose.lieder.cadence_hold_steps"),
    (_settings(compose={"lieder": {"cadence_hold_steps": [4, 10**20]}}),
     "compose.lieder.cadence_hold_steps[1]"),
    (_settings(compose={"lieder": {"breath_steps": None}}), "compose.lieder.breath_steps"),
    (_settings(compose={"lieder": {"bass_max_leap": -3}}), "compose.lieder.bass_max_leap"),
    (_settings(compose={"lieder": {"authentic_tonic_share": 2}}),
     "compose.lieder.authentic_tonic_share"),
    (_settings(compose={"lieder": {"default_form": 5}}), "compose.lieder.default_form"),
])
def test_a_broken_sampler_json(tiny_music, case_dir, content, needle):
    (tiny_music / "sampler.json").write_text(content)
    assert_clean_error(_generate(tiny_music, case_dir), needle, "sampler.json")


def test_a_sampler_json_that_is_not_utf8(tiny_music, case_dir):
    (tiny_music / "sampler.json").write_bytes(b'{"format_version": 1, "x": "\xff"}')
    assert_clean_error(_generate(tiny_music, case_dir), "UTF-8", "sampler.json")


@pytest.mark.parametrize("kind, needle", [
    ("fifo", "FIFO"), ("dev-zero", "device"), ("dangling", "broken symbolic link"),
    ("folder", "folder"),
])
def test_a_sampler_json_that_is_not_a_regular_file(tiny_music, case_dir, kind, needle):
    path = tiny_music / "sampler.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dangling":
        path.symlink_to(tiny_music / "gone.json")
    else:
        path.mkdir()
    assert_clean_error(_generate(tiny_music, case_dir), needle, "sampler.json")


def test_a_valid_sampler_json_is_read(tiny_music, case_dir):
    """The cases above break one key of a file like this one, which generates."""
    (tiny_music / "sampler.json").write_text(_settings(
        decode={"pitch_temperature": [1.2, 1, 1], "melody_round_span": 8,
                "sound_logit_offset": {"lieder": [0.5, None, None]}},
        compose={"lieder": {"fill_tracks": [True, 0, False], "repeat_variation": {"exact": 1},
                            "cadence_hold_steps": [8, 12], "default_form": "verse chorus"}}))
    out = run_cli("generate", "music", "--model", tiny_music, "--out", case_dir / "o.mid",
                  cwd=case_dir)
    assert out.rc == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert (case_dir / "o.mid").stat().st_size > 0


# -- the seed, at the generator (the app and scripts call it without the CLI) ----------------

@pytest.mark.parametrize("seed, needle", [
    (-1, "got -1"), (2**63, "between 0 and"), (-(10**5000), "5,001 digits"),
    (1.5, "whole number"), ("7", "whole number"), (True, "whole number"),
], ids=["minus-one", "2**63", "5001-digits", "float", "text", "bool"])
def test_the_generator_refuses_a_bad_seed(tiny_music, seed, needle):
    from core.errors import SongloomError
    from core.model.song import Song
    from core.music.sample import load_generator

    gen = load_generator(tiny_music)
    calls = [lambda: gen.generate(bars=4, seed=seed),
             lambda: gen.generate(bars=4, seed=seed, form=None),
             lambda: gen.continue_song(Song(), 4, seed=seed),
             lambda: gen.regenerate_track(gen.generate(bars=4, seed=1)[0], "bass", seed=seed)]
    for call in calls:
        with pytest.raises(SongloomError, match=needle) as info:
            call()
        assert "\n" not in str(info.value) and len(str(info.value)) < 200
