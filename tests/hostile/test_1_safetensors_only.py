"""Class 1: "safetensors only" must hold for the content, not the file name.

The attack (issue 20): a junk ``model-00001-of-00001.safetensors``, a ``weights.bin``
written with ``torch.save`` and a ``model.safetensors.index.json`` mapping every tensor to
it made ``songloom-cli lyrics --model DIR`` succeed: transformers unpickled the .bin.
Every folder here must be refused with one line, before torch is even imported (so within
the 2 s bound), and the pickle's trap (it creates a file when unpickled) must never fire.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from hostile_harness import assert_clean_error, assert_nothing_left, run_cli, snapshot

from core.bench import hostile_files as hf

LYRICS = ("lyrics", "--lines", "1", "--syllables", "4", "--candidates", "1", "--rhyme", "free")


class _Trap:
    """Unpickling this creates ``marker``: proof that code from a pickle ran."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _trap_pickle(marker: Path) -> bytes:
    return pickle.dumps({"transformer.wte.weight": _Trap(marker)}, protocol=2)


def _torch_bin(config: dict) -> bytes:
    import io

    import torch

    buf = io.BytesIO()
    torch.save({k: torch.from_numpy(v) for k, v in hf.gpt2_tensors(config).items()}, buf)
    return buf.getvalue()


def _run_lyrics(folder: Path, cwd: Path):
    return run_cli(*LYRICS, "--model", folder, cwd=cwd)


def test_the_sharded_index_to_a_torch_pickle_is_refused(tiny_gpt2, case_dir):
    """The issue's exact folder: junk shard, torch.save'd .bin, an index pointing to it."""
    (tiny_gpt2 / "model.safetensors").unlink()
    config = json.loads((tiny_gpt2 / "config.json").read_text())
    (tiny_gpt2 / "model-00001-of-00001.safetensors").write_bytes(b"junk" * 16)
    (tiny_gpt2 / "weights.bin").write_bytes(_torch_bin(config))
    index = {"metadata": {}, "weight_map": {k: "weights.bin" for k in hf.gpt2_tensors(config)}}
    (tiny_gpt2 / "model.safetensors.index.json").write_text(json.dumps(index))
    before = snapshot(tiny_gpt2)
    line = assert_clean_error(_run_lyrics(tiny_gpt2, case_dir), "index")
    assert "model.safetensors.index.json" in line
    assert_nothing_left(tiny_gpt2, before)


def test_an_index_beside_a_good_file_is_refused_and_the_pickle_never_runs(tiny_gpt2, case_dir):
    marker = case_dir / "PICKLE-RAN"
    (tiny_gpt2 / "weights.bin").write_bytes(_trap_pickle(marker))
    index = {"weight_map": {"transformer.wte.weight": "weights.bin"}}
    (tiny_gpt2 / "model.safetensors.index.json").write_text(json.dumps(index))
    assert_clean_error(_run_lyrics(tiny_gpt2, case_dir), "index")
    assert not marker.exists()


@pytest.mark.parametrize("name", ["pytorch_model.bin", "model.pt"])
def test_pickle_weights_alone_are_refused(tiny_gpt2, case_dir, name):
    marker = case_dir / "PICKLE-RAN"
    (tiny_gpt2 / "model.safetensors").unlink()
    (tiny_gpt2 / name).write_bytes(_trap_pickle(marker))
    assert_clean_error(_run_lyrics(tiny_gpt2, case_dir), "safetensors only")
    assert not marker.exists()


def test_a_pickle_named_model_safetensors_is_refused(tiny_gpt2, case_dir):
    marker = case_dir / "PICKLE-RAN"
    (tiny_gpt2 / "model.safetensors").write_bytes(_trap_pickle(marker))
    assert_clean_error(_run_lyrics(tiny_gpt2, case_dir), "pickle")
    assert not marker.exists()


def test_a_checkpoint_missing_tensors_is_refused(tiny_gpt2, case_dir):
    """A file holding only ``wte`` used to load, random values filling the rest."""
    config = json.loads((tiny_gpt2 / "config.json").read_text())
    only_wte = {k: v for k, v in hf.gpt2_tensors(config).items() if k.endswith("wte.weight")}
    (tiny_gpt2 / "model.safetensors").write_bytes(hf.safetensors_bytes(only_wte))
    assert_clean_error(_run_lyrics(tiny_gpt2, case_dir), "missing", "model.safetensors")


def test_a_header_that_lies_about_offsets_is_refused(tiny_gpt2, case_dir):
    config = json.loads((tiny_gpt2 / "config.json").read_text())
    data = bytearray(hf.safetensors_bytes(hf.gpt2_tensors(config)))
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    first = next(k for k in header if k != "__metadata__")
    header[first]["data_offsets"][1] += 4  # overlaps the next tensor
    raw = json.dumps(header).encode().ljust(n)
    (tiny_gpt2 / "model.safetensors").write_bytes(bytes(data[:8]) + raw + bytes(data[8 + n:]))
    assert_clean_error(_run_lyrics(tiny_gpt2, case_dir), "safetensors")


def test_integer_weights_are_refused(tiny_gpt2, case_dir):
    config = json.loads((tiny_gpt2 / "config.json").read_text())
    tensors = hf.gpt2_tensors(config)
    key = next(k for k in tensors if k.endswith("ln_f.bias"))
    tensors[key] = np.zeros(tensors[key].shape, np.int64)
    (tiny_gpt2 / "model.safetensors").write_bytes(hf.safetensors_bytes(tensors))
    assert_clean_error(_run_lyrics(tiny_gpt2, case_dir), "I64")


def test_the_music_model_refuses_a_pickle_and_missing_tensors(tiny_music, case_dir):
    marker = case_dir / "PICKLE-RAN"
    good = (tiny_music / "generator.safetensors").read_bytes()
    (tiny_music / "generator.safetensors").write_bytes(_trap_pickle(marker))
    out = run_cli("generate", "music", "--model", tiny_music, "--out", case_dir / "o.mid",
                  cwd=case_dir)
    assert_clean_error(out, "pickle")
    assert not marker.exists() and not (case_dir / "o.mid").exists()

    tensors = {"context.weight": np.zeros((2, 4032), np.float32)}
    (tiny_music / "generator.safetensors").write_bytes(hf.safetensors_bytes(tensors))
    out = run_cli("generate", "music", "--model", tiny_music, "--out", case_dir / "o.mid",
                  cwd=case_dir)
    assert_clean_error(out, "missing")
    (tiny_music / "generator.safetensors").write_bytes(good)


def test_the_tiny_folders_themselves_load(tiny_gpt2, tiny_music):
    """The builders make valid folders, so each refusal above is about what was broken."""
    from core.lyrics.model_store import load_lyrics_model
    from core.music.sample import MusicGenerator

    lm = load_lyrics_model(tiny_gpt2, cached=False)
    assert lm.model.config.n_embd == hf.GPT2_TINY["n_embd"]
    assert MusicGenerator.from_folder(tiny_music).generate(bars=1, seed=0, form=None)


def test_the_bundled_model_loads_exactly_as_transformers_would():
    """Loading through the verified path gives the same network as from_pretrained."""
    import torch
    from transformers import AutoModelForCausalLM

    from core.lyrics.model_store import bundled_model_dir, load_lyrics_model

    folder = bundled_model_dir()
    if not (folder / "model.safetensors").exists():
        pytest.skip("no bundled lyrics model in this checkout")
    ours = load_lyrics_model(folder, cached=False).model
    ref = AutoModelForCausalLM.from_pretrained(str(folder), local_files_only=True,
                                               use_safetensors=True).eval()
    ids = torch.arange(24).reshape(2, 12) * 37 % ref.config.vocab_size
    with torch.no_grad():
        assert torch.equal(ours(ids).logits, ref(ids).logits)


def test_the_chinese_model_loader_verifies_the_same_way(tiny_gpt2, case_dir):
    """core/lyrics/zh/model.py went through from_pretrained(use_safetensors=True): the
    index-to-a-pickle folder must be refused there too, and NaN weights."""
    from core.errors import ModelError
    from core.lyrics.zh.model import load_zh_model

    # Since 420a0bd the folder's tables are checked before the weights: a valid (empty)
    # patterns file, and no English originality index (the Chinese one is optional).
    (tiny_gpt2 / "patterns.json").write_text(
        json.dumps({"format": "songloom-zh-patterns-v1", "patterns": {}}))
    (tiny_gpt2 / "corpus_index.npz").unlink()
    marker = case_dir / "PICKLE-RAN"
    (tiny_gpt2 / "weights.bin").write_bytes(_trap_pickle(marker))
    (tiny_gpt2 / "model.safetensors.index.json").write_text(
        json.dumps({"weight_map": {"transformer.wte.weight": "weights.bin"}}))
    with pytest.raises(ModelError, match="index"):
        load_zh_model(tiny_gpt2)
    (tiny_gpt2 / "model.safetensors.index.json").unlink()
    config = json.loads((tiny_gpt2 / "config.json").read_text())
    tensors = hf.gpt2_tensors(config)
    next(iter(tensors.values()))[0, 0] = np.nan
    (tiny_gpt2 / "model.safetensors").write_bytes(hf.safetensors_bytes(tensors))
    with pytest.raises(ModelError, match="NaN"):
        load_zh_model(tiny_gpt2)
    assert not marker.exists()


def test_the_bundled_chinese_model_loads_exactly_as_transformers_would():
    import torch
    from transformers import GPT2LMHeadModel

    from core.lyrics.zh.model import bundled_zh_dir, load_zh_model

    folder = bundled_zh_dir()
    if not (folder / "model.safetensors").exists():
        pytest.skip("no bundled Chinese lyrics model in this checkout")
    ours = load_zh_model(folder).model
    ref = GPT2LMHeadModel.from_pretrained(str(folder), local_files_only=True,
                                          use_safetensors=True).eval()
    ids = torch.arange(24).reshape(2, 12) * 7 % ref.config.vocab_size
    with torch.no_grad():
        assert torch.equal(ours(ids).logits, ref(ids).logits)
