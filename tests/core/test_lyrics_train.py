"""Training: from scratch, resume, fine-tune, cancel; safetensors only; bad text files."""

from __future__ import annotations

import json

import pytest
import torch
from test_lyrics_support import LINES, tiny_docs, tiny_model_dir  # noqa: F401 - fixture

from core.errors import ModelError
from core.jobs import CancelToken, JobCancelled
from core.lyrics.corpus import LyricsCorpusError, format_document, read_text_file
from core.training.lyrics_train import TrainConfig, lr_at, train

TINY = dict(batch_size=2, context=64, vocab_size=400, n_layer=2, n_embd=32, n_head=2, warmup=1,
            save_every=2, eval_batches=1)


def test_resume_continues_from_the_saved_step(tmp_path):
    out = tmp_path / "m"
    seen = []
    state = train(tiny_docs(), out, TrainConfig(steps=2, **TINY), log=lambda m: None)
    assert state["step"] == 2
    state = train(tiny_docs(), out, TrainConfig(steps=4, **TINY), resume=True, log=lambda m: None,
                  progress=lambda f, m: seen.append(m))
    # The schedule length comes from the saved run; it restarts at step 3, not 1.
    assert seen[0].startswith("step 3/")
    assert json.loads((out / "train_state.json").read_text())["step"] == state["step"]
    assert {p.suffix for p in out.iterdir()} <= {".json", ".safetensors", ".npz", ".md"}
    assert "perplexity" in (out / "MODEL_CARD.md").read_text()
    assert "over every held-out token" in (out / "MODEL_CARD.md").read_text()
    assert 1 < state["val_perplexity_all"] < 400 and state["val_tokens_all"] > 0  # vocab 400


def test_warm_restart_gives_a_fresh_schedule_that_later_resumes_keep(tmp_path):
    out = tmp_path / "w"
    train(tiny_docs(), out, TrainConfig(steps=4, **TINY), log=lambda m: None)
    # Old run: its cosine has decayed by step 4. The restart warms up again from step 4.
    cfg = TrainConfig(steps=8, **{**TINY, "warmup": 2, "lr": 5e-4})
    assert lr_at(4, cfg) < 0.8 * cfg.lr  # no schedule_start: the old run's decay goes on
    restarted = TrainConfig(**{**cfg.__dict__, "schedule_start": 4})
    assert lr_at(4, restarted) == pytest.approx(cfg.lr / 2)  # warmup step 1 of 2
    assert lr_at(5, restarted) == pytest.approx(cfg.lr)
    assert lr_at(7, restarted) < lr_at(6, restarted) <= cfg.lr  # cosine decay to the new end
    seen = []
    train(tiny_docs(), out, TrainConfig(steps=6, **{**TINY, "warmup": 2, "lr": 5e-4}), resume=True,
          restart_schedule=True, log=lambda m: None, progress=lambda f, m: seen.append(m))
    assert seen[0].startswith("step 5/6")
    saved = json.loads((out / "train_state.json").read_text())["config"]
    assert saved["schedule_start"] == 4 and saved["lr"] == 5e-4 and saved["warmup"] == 2
    # A plain resume afterwards keeps the restarted schedule, not the caller's defaults.
    train(tiny_docs(), out, TrainConfig(steps=8, **TINY), resume=True, log=lambda m: None)
    saved = json.loads((out / "train_state.json").read_text())["config"]
    assert saved["schedule_start"] == 4 and saved["lr"] == 5e-4 and saved["steps"] == 8
    assert "warm restart at step 4" in (out / "MODEL_CARD.md").read_text()
    with pytest.raises(ModelError, match="warm restart needs steps > 8"):
        train(tiny_docs(), out, TrainConfig(steps=8, **TINY), resume=True, restart_schedule=True,
              log=lambda m: None)


def test_cancel_saves_a_resumable_checkpoint(tmp_path):
    out = tmp_path / "c"
    cancel = CancelToken()

    def progress(fraction, message):
        if message.startswith("step 3/"):
            cancel.cancel()

    with pytest.raises(JobCancelled):
        train(tiny_docs(), out, TrainConfig(steps=50, **TINY), progress=progress, cancel=cancel,
              log=lambda m: None)
    assert json.loads((out / "train_state.json").read_text())["step"] == 3


def test_fine_tune_on_own_lyrics_lowers_their_loss(tiny_model_dir, tmp_path):  # noqa: F811
    text = tmp_path / "mine.txt"
    text.write_text("\n".join(LINES * 3) + "\n", encoding="utf-8")
    doc = read_text_file(text)
    cfg = TrainConfig(steps=12, batch_size=4, context=64, lr=3e-3, warmup=1, save_every=12, eval_batches=1)
    state = train([doc], tmp_path / "ft", cfg, from_model=tiny_model_dir, log=lambda m: None)
    assert state["step"] == 12
    from core.lyrics.model_store import load_lyrics_model

    def loss(folder):
        lm = load_lyrics_model(folder)
        ids = lm.tokenizer(format_document(doc)[0], return_tensors="pt")["input_ids"][:, :64]
        with torch.inference_mode():
            return float(lm.model(input_ids=ids, labels=ids).loss)

    assert loss(tmp_path / "ft") < loss(tiny_model_dir) - 0.1  # it learned the user's lines
    assert load_lyrics_model(tmp_path / "ft").tagged


def test_non_utf8_text_is_a_clear_error(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 au lait\n".encode("latin-1"))
    with pytest.raises(LyricsCorpusError, match="latin1.txt: not UTF-8"):
        read_text_file(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(LyricsCorpusError, match="no lines"):
        read_text_file(empty)


def test_the_model_learns_the_next_token_not_the_one_after(tiny_model_dir):  # noqa: F811
    # GPT2LMHeadModel shifts labels itself: shifting them again would train it to predict
    # two tokens ahead, and sampled text would be word salad.
    from core.lyrics.model_store import load_lyrics_model

    lm = load_lyrics_model(tiny_model_dir)
    ids = lm.tokenizer(format_document(tiny_docs()[0])[0], return_tensors="pt")["input_ids"][:, :64]
    with torch.inference_mode():
        pred = lm.model(ids).logits.argmax(-1)[0]
    tokens = ids[0]
    next_acc = float((pred[:-1] == tokens[1:]).float().mean())
    skip_acc = float((pred[:-2] == tokens[2:]).float().mean())
    assert next_acc > skip_acc + 0.2, (next_acc, skip_acc)
