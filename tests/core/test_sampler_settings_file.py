"""sampler.json's limits, in process: each setting's edge values are read and one step
past them is one ModelError naming the setting and the file.

tests/hostile/test_6_sampler_json.py drives clearly broken files through the CLI; these
pin the edges (written from the mutation run of issue 19, docs/development.md
"Surviving mutants": a bound moved by one, a message or a default changed, went unseen).
"""

from __future__ import annotations

import json

import pytest

from core.errors import ModelError
from core.music.settings import NEUTRAL_COMPOSE, NEUTRAL_DECODE, SETTINGS_FILE, SamplerSettings


def _load(tmp_path, **parts):
    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"format_version": 1, **parts}))
    return SamplerSettings.load(tmp_path)


def _refused(tmp_path, needle: str, **parts) -> str:
    with pytest.raises(ModelError) as exc:
        _load(tmp_path, **parts)
    text = str(exc.value)
    assert needle in text and SETTINGS_FILE in text, text
    return text


DECODE_EDGES = [  # (setting, values read, values refused)
    ("pitch_temperature", [[0, 0, 0], [10, 10, 10]], [[-0.1, 1, 1], [1, 10.1, 1], [1, 1]]),
    ("register_weight", [[0, 0, 0], [10, 10, 10]], [[1, 1, 10.5], [1, 1, 1, 1]]),
    ("melody_round_span", [4, 8, 16], [3, 5, 9, 17, 0]),
    ("accompaniment_bar_share", [0, 1, 0.5], [-0.01, 1.01]),
    ("proximity_weight", [0, 20], [-1, 20.5]),
    ("harmonic_fit", [0, 20], [-0.5, 21]),
    ("melody_return_penalty", [0, 1, 20], [-0.1, 20.5, True]),
    ("sound_logit_offset", [{"lieder": [-10, None, 10]}, {}],
     [{"lieder": [-10.5, None, None]}, {"lieder": [0, 0, 10.5]}, {"lieder": [0, 0]}]),
]


@pytest.mark.parametrize("name, good, bad", DECODE_EDGES, ids=[e[0] for e in DECODE_EDGES])
def test_decode_settings_are_read_to_their_edges_and_refused_past_them(tmp_path, name, good,
                                                                       bad):
    for value in good:
        assert _load(tmp_path, decode={name: value}).decode()[name] == value
    for value in bad:
        text = _refused(tmp_path, f"decode.{name}", decode={name: value})
        if not isinstance(value, list | dict):
            assert f"= {value!r}" in text, text  # the value the file holds, as written


COMPOSE_EDGES = [
    ("chord_weight", [{"bass": 0, "melody_strong": 20}], [{"bass": 20.5}, {"bass": -1}]),
    ("fill_min_steps", [[1, 1, 1], [16, 16, 16]], [[0, 1, 1], [1, 17, 1], [1, 1]]),
    ("fill_tracks", [[True, False, True], [1, 0, 0]], [[True, False], [2, 0, 0]]),
    ("cadence_hold_steps", [[1], [16], [8, 12]], [[], [0], [17], [8, 17], 16]),
    ("breath_steps", [0, 8], [-1, 9]),
    ("bass_max_leap", [0, 48], [-1, 49]),
    ("authentic_tonic_share", [0, 1], [-0.1, 1.1]),
    ("accompaniment_figure_share", [0, 1], [1.5]),
    ("repeat_variation", [{"exact": 0, "rhythm": 1}, {"ending": 100}],
     [{"exact": 0, "rhythm": 0}, {"exact": 101}, {"often": 1}]),
    ("instrumental_sections", [[], ["intro", "x" * 40], ["intro"] * 64],
     [["x" * 41], [7], ["intro"] * 65]),
    ("chorus_inner_repeat", [True, False], [1, "yes"]),
    ("default_form", ["verse", "v", "v" * 400], ["", "v" * 401]),
    ("chord_table", ["", "pop", "x" * 40], ["x" * 41, 7, None]),
    ("melody_diminution", [0, 0.5, 1], [-0.1, 1.1, True]),
    ("chorus_lift", [0, 3, 10], [-1, 10.5, "high"]),
    ("resolve_dissonances", [True, False], [1, "yes"]),
]


@pytest.mark.parametrize("name, good, bad", COMPOSE_EDGES, ids=[e[0] for e in COMPOSE_EDGES])
def test_compose_settings_are_read_to_their_edges_and_refused_past_them(tmp_path, name, good,
                                                                         bad):
    for value in good:
        got = _load(tmp_path, compose={"chorale": {name: value}}).compose("chorale")[name]
        assert got == value  # (a nested object replaces the neutral one whole)
    for value in bad:
        _refused(tmp_path, f"compose.chorale.{name}", compose={"chorale": {name: value}})


def test_the_messages_say_what_is_wrong_and_show_the_value(tmp_path):
    assert "format_version = 2 (this version reads 1)" in _refused(
        tmp_path, "format_version", format_version=2)
    assert "unknown sections ['extra']" in _refused(tmp_path, "unknown", extra={})
    assert "compose is not an object" in _refused(tmp_path, "compose", compose=[])
    assert "decode is not an object" in _refused(tmp_path, "decode", decode=[])
    assert "decode.sound_logit_offset is not an object" in _refused(
        tmp_path, "decode", decode={"sound_logit_offset": []})
    assert "(needs 3 values)" in _refused(tmp_path, "decode.pitch_temperature",
                                          decode={"pitch_temperature": [1, 1]})
    assert "(needs a list of at most 64)" in _refused(
        tmp_path, "compose.lieder.instrumental_sections",
        compose={"lieder": {"instrumental_sections": ["intro"] * 65}})
    for setting, value in (("breath_steps", True), ("authentic_tonic_share", True)):
        text = _refused(tmp_path, f"compose.lieder.{setting}", compose={"lieder": {setting: value}})
        assert "= True" in text  # a bool is not a number, though Python counts it as one
    assert "= 'yes' (true or false)" in _refused(
        tmp_path, "chorus_inner_repeat", compose={"lieder": {"chorus_inner_repeat": "yes"}})
    assert "fill_tracks[0] = 2 (true or false)" in _refused(
        tmp_path, "fill_tracks", compose={"lieder": {"fill_tracks": [2, 0, 0]}})
    assert "instrumental_sections[0] = 7 (a section kind)" in _refused(
        tmp_path, "instrumental_sections", compose={"lieder": {"instrumental_sections": [7]}})
    assert "default_form = '' (a form" in _refused(
        tmp_path, "default_form", compose={"lieder": {"default_form": ""}})
    assert "cadence_hold_steps is empty" in _refused(
        tmp_path, "cadence_hold_steps", compose={"lieder": {"cadence_hold_steps": []}})
    # A long value is shown cut to 40 characters; one of exactly 40 is shown whole.
    long = _refused(tmp_path, "decode.pitch_temperature", decode={"pitch_temperature": "x" * 60})
    assert "= '" + "x" * 36 + "... (needs" in long
    whole = _refused(tmp_path, "decode.pitch_temperature", decode={"pitch_temperature": "y" * 38})
    assert "= '" + "y" * 38 + "' (needs" in whole
    cut = _refused(tmp_path, "decode.pitch_temperature", decode={"pitch_temperature": "z" * 39})
    assert "= '" + "z" * 36 + "... (needs" in cut  # 41 characters: cut


def test_a_broken_file_is_a_model_error_not_a_traceback(tmp_path):
    (tmp_path / SETTINGS_FILE).write_text('{"format_version": 1, "decode": {')
    with pytest.raises(ModelError, match=SETTINGS_FILE):
        SamplerSettings.load(tmp_path)


def test_every_setting_may_be_left_out_and_reads_as_neutral(tmp_path):
    settings = _load(tmp_path, compose={"lieder": {}})  # no decode section at all
    assert settings.decode() == NEUTRAL_DECODE and settings.compose("lieder") == NEUTRAL_COMPOSE
    assert settings.path == tmp_path / SETTINGS_FILE
    assert _load(tmp_path, decode={}).compose("pop") == NEUTRAL_COMPOSE
    assert settings.sound_offset("lieder") == (0.0, None, None)  # melody at 0, others by count
    assert SamplerSettings.load(tmp_path / "nowhere").path is None


def test_an_arrangement_style_replaces_only_the_settings_it_names(tmp_path):
    settings = _load(tmp_path, compose={"lieder": {"breath_steps": 4, "chord_table": "lieder"},
                                        "pop": {"chord_table": "pop"}})
    pop = settings.compose("lieder", "pop")
    assert pop["chord_table"] == "pop" and pop["breath_steps"] == 4
    assert settings.compose("lieder")["chord_table"] == "lieder"
    assert settings.compose("lieder", "lieder") == settings.compose("lieder")
    assert settings.compose("lieder", "rock") == settings.compose("lieder")  # names nothing


@pytest.mark.parametrize("raw, needle", [
    ({}, "format_version"),
    ({"format_version": 2}, "format_version"),
    ({"format_version": 1, "decode": {"stop_boost": 1}}, "decode: unknown settings"),
    ({"format_version": 1, "compose": {"lieder": {"swing": 1}}}, "compose.lieder: unknown"),
    ({"format_version": 1, "compose": {"lieder": {"chord_weight": {"alto": 1}}}},
     "compose.lieder.chord_weight: unknown"),
])
def test_a_file_of_another_version_or_with_unknown_settings_is_refused(tmp_path, raw, needle):
    (tmp_path / SETTINGS_FILE).write_text(json.dumps(raw))
    with pytest.raises(ModelError, match=needle):
        SamplerSettings.load(tmp_path)
