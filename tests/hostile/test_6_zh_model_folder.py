"""Class 6, the Chinese lyrics model (lyrics-gpt2-zh's layout): every file of a malformed
folder gives one line naming it, within the time bound, before torch is even imported."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hostile_harness import assert_clean_error, assert_nothing_left, run_cli, snapshot

from core.bench import hostile_files as hf

NESTED = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def tiny_zh(tmp_path):
    return hf.write_tiny_zh_model(tmp_path / "tiny-zh")


def _lyrics(folder, cwd):
    before = snapshot(folder)
    out = run_cli("lyrics", "--language", "zh", "--pattern", hf.ZH_PATTERN, "--candidates", "1",
                  "--model", folder, cwd=cwd)
    assert_nothing_left(folder, before)
    return out


def _npz(path, **arrays):
    path.unlink(missing_ok=True)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_the_tiny_folder_itself_checks_out(tiny_zh):
    """The cases below break one file each of a folder that is otherwise valid."""
    from core.lyrics.zh.model import check_zh_files

    index = check_zh_files(tiny_zh)
    assert index is not None and index.is_corpus_line("春风明月夜")


@pytest.mark.parametrize("content, needle", [
    (b"[]", "expected a JSON object"),
    (b'{"format": "songloom-zh-patterns-v1", "x": "\xff\xfe"}', "UTF-8"),
    (b'{"format": ' + NESTED.encode() + b"}", "nested"),
    (b'{"format": "songloom-zh-patterns-v1", "n": 1' + b"0" * 5000 + b"}", "digits"),
    (b'{"format": "songloom-zh-patterns-v1", "rhyme_group_weights": {"a": NaN}}', "NaN"),
    (b'{"format": "other"}', "format"),
    (b'{"format": "songloom-zh-patterns-v1", "patterns": []}', "patterns"),
    (b'{"format": "songloom-zh-patterns-v1", "rhyme_group_weights": {"a": -1}}',
     "rhyme_group_weights"),
    (json.dumps({"format": "songloom-zh-patterns-v1", "patterns": {"x": {
        "lines": [5, "5"], "rhyme": "AA", "tones": ["*****", "*****"]}}}).encode(), "lines"),
    (json.dumps({"format": "songloom-zh-patterns-v1", "patterns": {"x": {
        "lines": [5, 10**6], "rhyme": "AA", "tones": [None, None]}}}).encode(), "lines"),
    (json.dumps({"format": "songloom-zh-patterns-v1", "patterns": {"x": {
        "lines": [5, 5], "rhyme": "A", "tones": [None, None]}}}).encode(), "rhyme"),
    (json.dumps({"format": "songloom-zh-patterns-v1", "patterns": {"x": {
        "lines": [5, 5], "rhyme": "AA", "tones": ["**", None]}}}).encode(), "tones"),
])
def test_a_broken_patterns_json(tiny_zh, case_dir, content, needle):
    (tiny_zh / "patterns.json").write_bytes(content)
    assert_clean_error(_lyrics(tiny_zh, case_dir), needle, "patterns.json")


@pytest.mark.parametrize("name", ["patterns.json", "char_tables.npz", "cooc.npz",
                                  "corpus_index.npz"])
@pytest.mark.parametrize("kind, needle", [
    ("fifo", "FIFO"), ("dev-zero", "device"), ("dangling", "broken symbolic link"),
    ("folder", "folder"),
])
def test_a_table_that_is_not_a_regular_file(tiny_zh, case_dir, name, kind, needle):
    path = tiny_zh / name
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dangling":
        path.symlink_to(tiny_zh / "gone")
    else:
        path.mkdir()
    assert_clean_error(_lyrics(tiny_zh, case_dir), needle, name)


@pytest.mark.parametrize("name", ["char_tables.npz", "cooc.npz", "corpus_index.npz"])
def test_a_corrupt_table(tiny_zh, case_dir, name):
    (tiny_zh / name).write_bytes(b"PK\x03\x04" + os.urandom(200))
    assert_clean_error(_lyrics(tiny_zh, case_dir), name)


@pytest.mark.parametrize("name, arrays, needle", [
    ("char_tables.npz", {"groups": np.zeros(3, np.int8)}, "'levels' is missing"),
    ("char_tables.npz", {"groups": np.full(3, 99, np.int8), "levels": np.zeros(3, np.int8)},
     "groups"),
    ("char_tables.npz", {"groups": np.zeros(3, np.int8), "levels": np.full(3, 2, np.int8)},
     "levels"),
    ("char_tables.npz", {"groups": np.zeros(3), "levels": np.zeros(3, np.int8)}, "float64"),
    ("char_tables.npz", {"groups": np.array([{"a": 1}], dtype=object),
                         "levels": np.zeros(1, np.int8)}, "object"),
    ("cooc.npz", {"other": np.zeros(3, np.int16)}, "'neighbours' is missing"),
    ("cooc.npz", {"neighbours": np.zeros(3, np.int16)}, "shape"),
    ("cooc.npz", {"neighbours": np.full((3, 2), -5, np.int16)}, "neighbour"),
    ("corpus_index.npz", {"bits": np.zeros(8, np.uint8), "m": np.int64(64)}, "missing"),
    ("corpus_index.npz", {"bits": np.zeros(8, np.uint8), "m": np.int64(10**9),
                          "k": np.int64(3), "lines": np.zeros(0, np.uint32)}, "m, k"),
    ("corpus_index.npz", {"bits": np.zeros(8, np.uint8), "m": np.int64(64),
                          "k": np.int64(10**6), "lines": np.zeros(0, np.uint32)}, "m, k"),
    ("corpus_index.npz", {"bits": np.zeros(8, np.uint8), "m": np.zeros(2, np.int64),
                          "k": np.int64(3), "lines": np.zeros(0, np.uint32)}, "m, k"),
])
def test_a_table_with_the_wrong_arrays(tiny_zh, case_dir, name, arrays, needle):
    _npz(tiny_zh / name, **arrays)
    assert_clean_error(_lyrics(tiny_zh, case_dir), needle, name)


@pytest.mark.parametrize("name, content, needle", [
    ("songloom.json", b"[]", "expected a JSON object"),
    ("songloom.json", b'{"format": "\xff"}', "UTF-8"),
    ("config.json", NESTED.encode(), "nested"),
    ("tokenizer.json", b"[" * 100_000, "tokenizer.json"),
])
def test_a_broken_model_file(tiny_zh, case_dir, name, content, needle):
    (tiny_zh / name).write_bytes(content)
    assert_clean_error(_lyrics(tiny_zh, case_dir), needle, name)


def test_a_dangling_weights_symlink(tiny_zh, case_dir):
    (tiny_zh / "model.safetensors").unlink()
    (tiny_zh / "model.safetensors").symlink_to(tiny_zh / "gone.safetensors")
    assert_clean_error(_lyrics(tiny_zh, case_dir), "broken symbolic link", "model.safetensors")


def test_a_neighbour_table_of_another_vocabulary(tiny_zh):
    """Rows are checked against the tokenizer (known only once it is loaded): refused when
    the table is first used, not an IndexError while a line is being written."""
    from core.errors import ModelError
    from core.lyrics.zh.model import load_zh_model

    _npz(tiny_zh / "cooc.npz", neighbours=np.full((5, 2), 4000, np.int16))
    zm = load_zh_model(tiny_zh)
    with pytest.raises(ModelError, match="cooc.npz"):
        _ = zm.neighbours


@pytest.mark.parametrize("model, needle", [
    ({"type": "WordLevel", "unk_token": "[UNK]", "vocab": {"a": {}}}, "tokenizer"),
    ({"type": "NoSuchModel"}, "tokenizer"),
], ids=["map-for-an-id", "unknown-model"])
def test_a_tokenizer_json_of_the_wrong_layout(tiny_zh, case_dir, model, needle):
    """Valid JSON the tokenizers library rejects with a bare Exception (a fuzzer finding)."""
    doc = hf.zh_tokenizer(hf.zh_vocab())
    doc["model"] = model
    (tiny_zh / "tokenizer.json").write_text(json.dumps(doc))
    assert_clean_error(_lyrics(tiny_zh, case_dir), needle, "tokenizer.json")
