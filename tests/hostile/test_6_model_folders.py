"""Class 6: malformed model folders give one line naming the file, never a traceback."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hostile_harness import assert_clean_error, run_cli

from core.bench import hostile_files as hf

LYRICS = ("lyrics", "--lines", "1", "--syllables", "4", "--candidates", "1", "--rhyme", "free")


def _lyrics(folder, cwd):
    return run_cli(*LYRICS, "--model", folder, cwd=cwd)


def _generate(folder, cwd):
    return run_cli("generate", "music", "--model", folder, "--out", cwd / "o.mid", cwd=cwd)


NESTED = "[" * 100_000 + "]" * 100_000


# -- lyrics -----------------------------------------------------------------------------------

@pytest.mark.parametrize("content, needle", [
    (b"[]", "expected a JSON object"),
    (b'["songloom-tagged-lines-v1"]', "expected a JSON object"),
    (b'{"format": "songloom-tagged-lines-v1", "x": "\xff\xfe"}', "UTF-8"),
    (b'{"format": ' + NESTED.encode() + b"}", "nested"),
])
def test_songloom_json_that_is_not_an_object(tiny_gpt2, case_dir, content, needle):
    (tiny_gpt2 / "songloom.json").write_bytes(content)
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), needle, "songloom.json")


def test_a_corrupt_corpus_index(tiny_gpt2, case_dir):
    (tiny_gpt2 / "corpus_index.npz").write_bytes(b"PK\x03\x04" + os.urandom(200))
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), "corpus_index.npz")


def test_a_corpus_index_without_its_arrays(tiny_gpt2, case_dir):
    with open(tiny_gpt2 / "corpus_index.npz", "wb") as fh:
        np.savez(fh, something_else=np.zeros(3))
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), "missing", "corpus_index.npz")


def test_a_corpus_index_of_objects_is_refused_without_unpickling(tiny_gpt2, case_dir):
    with open(tiny_gpt2 / "corpus_index.npz", "wb") as fh:
        np.savez(fh, ngram_hashes=np.array([{"a": 1}], dtype=object),
                 vocab_words=np.array(["a"]), vocab_counts=np.array([1]))
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), "corpus_index.npz")


def test_a_dangling_weights_symlink(tiny_gpt2, case_dir):
    (tiny_gpt2 / "model.safetensors").unlink()
    (tiny_gpt2 / "model.safetensors").symlink_to(tiny_gpt2 / "gone.safetensors")
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), "broken symbolic link", "model.safetensors")


def test_a_weights_symlink_loop(tiny_gpt2, case_dir):
    (tiny_gpt2 / "model.safetensors").unlink()
    (tiny_gpt2 / "model.safetensors").symlink_to(tiny_gpt2 / "loop.safetensors")
    (tiny_gpt2 / "loop.safetensors").symlink_to(tiny_gpt2 / "model.safetensors")
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), "loop", "model.safetensors")


@pytest.mark.parametrize("content, needle", [
    (NESTED, "nested"),
    ('{"model_type": "gpt2", "n_embd": ' + "[" * 50 + "]" * 50 + "}", "nested"),
    ('{"model_type": "gpt2", "n_embd": 1' + "0" * 5000 + "}", "digits"),
    ('{"model_type": "gpt2", "n_embd": Infinity}', "Infinity"),
    ('{"model_type": "gpt2", "n_embd": -8, "n_layer": 1, "n_head": 2, "vocab_size": 257}',
     "n_embd"),
])
def test_a_hostile_lyrics_config(tiny_gpt2, case_dir, content, needle):
    (tiny_gpt2 / "config.json").write_text(content)
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), needle, "config.json")


def test_nan_weights(tiny_gpt2, case_dir):
    config = json.loads((tiny_gpt2 / "config.json").read_text())
    tensors = hf.gpt2_tensors(config)
    key = next(k for k in tensors if k.endswith("c_attn.weight"))
    tensors[key][0, 0] = np.nan
    (tiny_gpt2 / "model.safetensors").write_bytes(hf.safetensors_bytes(tensors))
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), "NaN", key)


def test_weights_of_another_size(tiny_gpt2, case_dir):
    """Weights for a wider model than the config describes."""
    wider = hf.gpt2_config(n_embd=16)
    (tiny_gpt2 / "model.safetensors").write_bytes(hf.safetensors_bytes(hf.gpt2_tensors(wider)))
    assert_clean_error(_lyrics(tiny_gpt2, case_dir), "shape")


# -- music ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, needle", [
    ("Infinity", "Infinity"), ("-1", "out of range"), ("1e400", "too large"),
    ("2.5", "whole number"), ("true", "whole number"), ('"32"', "whole number"),
])
def test_a_bad_z_dim(tiny_music, case_dir, value, needle):
    text = (tiny_music / "config.json").read_text()
    (tiny_music / "config.json").write_text(text.replace('"z_dim": 2', f'"z_dim": {value}'))
    assert_clean_error(_generate(tiny_music, case_dir), needle, "config.json")


@pytest.mark.parametrize("name", ["config.json", "pitch_priors.json"])
def test_a_deeply_nested_music_file(tiny_music, case_dir, name):
    (tiny_music / name).write_text(NESTED)
    assert_clean_error(_generate(tiny_music, case_dir), "nested", name)


def test_pitch_priors_of_the_wrong_shape(tiny_music, case_dir):
    (tiny_music / "pitch_priors.json").write_text(json.dumps(
        {"register": {"lieder": [[0.0]], "chorale": [[0.0]]}, "interval": {}}))
    assert_clean_error(_generate(tiny_music, case_dir), "pitch_priors.json")


def test_a_transposed_tensor(tiny_music, case_dir):
    from safetensors.numpy import load_file

    weights = load_file(str(tiny_music / "generator.safetensors"))
    weights["bars.0.fc.weight"] = np.ascontiguousarray(weights["bars.0.fc.weight"].T)
    (tiny_music / "generator.safetensors").write_bytes(hf.safetensors_bytes(weights))
    assert_clean_error(_generate(tiny_music, case_dir), "shape", "bars.0.fc.weight")


def test_a_wrong_shaped_critic_tensor(tiny_music, case_dir):
    from safetensors.numpy import load_file

    weights = load_file(str(tiny_music / "critic.safetensors"))
    weights["fc.weight"] = np.zeros((3, 3), np.float32)
    (tiny_music / "critic.safetensors").write_bytes(hf.safetensors_bytes(weights))
    assert_clean_error(_generate(tiny_music, case_dir), "shape", "critic.safetensors")


def test_a_corrupt_originality_index_in_score_music(tiny_music, case_dir):
    (tiny_music / "originality_index.npz").write_bytes(b"PK\x03\x04" + os.urandom(300))
    song = case_dir / "s.songloom"
    song.write_bytes(hf.project_text())
    out = run_cli("score", "music", song, "--model", tiny_music, cwd=case_dir)
    assert out.rc == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
    warnings = [x for x in out.error_lines if "originality_index.npz" in x]
    assert len(warnings) == 1 and warnings[0].startswith("songloom-cli: warning:"), out.stderr
    assert all(x.startswith("songloom-cli: warning:") for x in out.error_lines), out.stderr
