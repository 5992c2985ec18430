"""Shared helpers for the lyrics tests: a tiny GPT-2 trained for two steps by our own trainer."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.lyrics.corpus import Document

LINES = [
    "the stars are bright above the hill",
    "and all the night is calm and still",
    "I walked alone beside the sea",
    "and heard the wind that sang to me",
    "the river runs into the light",
    "we danced together through the night",
    "my heart is full of summer rain",
    "and I will see you once again",
]


def tiny_docs() -> list[Document]:
    return [Document(title=f"song {i}", lines=LINES[i:] + LINES[:i], source=f"test{i}") for i in range(8)]


def make_tiny_model(folder: Path) -> Path:
    from core.lyrics.originality import build_index
    from core.training.lyrics_train import TrainConfig, train

    # 40 quick steps: enough for the tiny model to learn the line format and end lines.
    cfg = TrainConfig(steps=40, batch_size=4, context=64, vocab_size=400, n_layer=2, n_embd=32,
                      n_head=2, warmup=5, lr=1e-2, save_every=40, eval_batches=1)
    train(tiny_docs(), folder, cfg, log=lambda m: None)
    build_index([d.lines for d in tiny_docs()], folder)
    return folder


_made: list[Path] = []


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    # Each test module that imports this fixture gets its own FixtureDef; build once.
    if not _made:
        _made.append(make_tiny_model(tmp_path_factory.mktemp("tiny-gpt2")))
    return _made[0]
