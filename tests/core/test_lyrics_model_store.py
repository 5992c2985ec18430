"""Loading models: the bundled one, local folders, and clear errors for everything else."""

from __future__ import annotations

import json
import shutil

import pytest
from test_lyrics_support import tiny_model_dir  # noqa: F401 - fixture

from core.errors import ModelError
from core.lyrics.model_store import bundled_model_dir, load_lyrics_model


def test_tiny_model_loads_and_is_tagged(tiny_model_dir):  # noqa: F811
    lm = load_lyrics_model(tiny_model_dir)
    assert lm.tagged
    assert lm.model.config.model_type == "gpt2"
    assert load_lyrics_model(tiny_model_dir) is lm  # cached
    assert not list(tiny_model_dir.glob("*.bin")) and not list(tiny_model_dir.glob("*.pt"))


def _copy(src, dst):
    shutil.copytree(src, dst)
    return dst


def test_model_from_the_hugging_face_cache_by_name(tiny_model_dir, tmp_path, monkeypatch):  # noqa: F811
    # The layout huggingface_hub keeps: models--org--name/{refs/main, snapshots/<commit>/}.
    repo = tmp_path / "hub" / "models--someone--tiny-gpt2"
    commit = "0123456789abcdef0123456789abcdef01234567"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    _copy(tiny_model_dir, repo / "snapshots" / commit)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    lm = load_lyrics_model("someone/tiny-gpt2")
    assert lm.folder.name == commit
    with pytest.raises(ModelError, match="no model of that name"):
        load_lyrics_model("someone/absent-model")


def test_missing_folder(tmp_path):
    with pytest.raises(ModelError, match="no such folder"):
        load_lyrics_model(tmp_path / "nope")


def test_not_a_model_folder(tmp_path):
    with pytest.raises(ModelError, match="config.json is missing"):
        load_lyrics_model(tmp_path)


def test_not_a_causal_gpt2(tiny_model_dir, tmp_path):  # noqa: F811
    folder = _copy(tiny_model_dir, tmp_path / "bert")
    cfg = json.loads((folder / "config.json").read_text())
    cfg["model_type"] = "bert"
    (folder / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="not a GPT-2 causal language model"):
        load_lyrics_model(folder)


def test_pickle_weights_are_refused(tiny_model_dir, tmp_path):  # noqa: F811
    folder = _copy(tiny_model_dir, tmp_path / "pickled")
    (folder / "model.safetensors").rename(folder / "pytorch_model.bin")
    with pytest.raises(ModelError, match="safetensors only"):
        load_lyrics_model(folder)


def test_corrupt_weights(tiny_model_dir, tmp_path):  # noqa: F811
    folder = _copy(tiny_model_dir, tmp_path / "corrupt")
    (folder / "model.safetensors").write_bytes(b"\x00" * 100)
    with pytest.raises(ModelError, match="not a valid safetensors file") as err:
        load_lyrics_model(folder)
    assert "\n" not in str(err.value)


def test_bundled_model_loads_with_plain_transformers():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = bundled_model_dir()
    model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True)
    tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    assert model.config.model_type == "gpt2"
    assert 2e6 < sum(p.numel() for p in model.parameters()) < 20e6
    assert tok.eos_token == "<|endoftext|>"
    card = (folder / "MODEL_CARD.md").read_text()
    assert "perplexity" in card.lower()
    assert (folder / "corpus_index.npz").exists()


def test_a_small_model_decodes_on_one_cpu_thread_a_large_one_keeps_the_setting(tiny_model_dir):  # noqa: F811
    """A second intra-op thread only makes a small model's tiny ops wait for a busy core."""
    import torch

    from core.lyrics import model_store

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        monkey_default = model_store._default_threads
        model_store._default_threads = 2
        lm = load_lyrics_model(tiny_model_dir)
        assert torch.get_num_threads() == 1
        big = model_store.LyricsModel(model=lm.model, tokenizer=lm.tokenizer, folder=lm.folder)
        old = model_store.SMALL_MODEL_PARAMS
        model_store.SMALL_MODEL_PARAMS = 0  # the same weights, judged as "large"
        try:
            assert model_store.fit_cpu_threads(big) == 2 and torch.get_num_threads() == 2
        finally:
            model_store.SMALL_MODEL_PARAMS = old
    finally:
        model_store._default_threads = monkey_default
        torch.set_num_threads(before)
