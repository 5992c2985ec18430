"""Training the English lyrics GPT-2 with transformers' ``Trainer``: pretrain, then fine-tune.

Why ``Trainer``: the same command runs on one CPU thread, one GPU, or several GPUs and
machines under ``torchrun`` (it reads the distributed environment itself), and its
checkpoints (safetensors weights; optimizer, scheduler and RNG state loaded back with
``torch.load(weights_only=True)``) make every stage resumable with
``resume_from_checkpoint``.

Two stages, each its own folder under ``--out``:
- ``stage1``: all English text (Gutenberg books, WordNet glosses, the song texts and poems
  twice over so the song form stays the most familiar one), every line tagged
  ``[syllables lastword]`` as the constraint writer expects, packed into
  fixed windows.
- ``stage2``: the song texts and poems alone, windows starting at a chunk (a ``title:``
  line), the way the writer prompts, at a lower learning rate.

Each checkpoint is also copied to ``--mirror`` (outside the work tree), and a resume looks
there when the run folder has none, so a run survives the loss of ``runs/``.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from core.errors import ModelError
from core.io.atomic_write import atomic_dir
from core.lyrics.corpus import EOS, Document, format_document
from core.training.lyrics_train import songloom_info


@dataclass
class StageConfig:
    """One stage's optimisation settings (saved beside its checkpoints)."""

    max_steps: int = 3000
    batch_size: int = 8
    context: int = 256
    lr: float = 3e-4
    min_lr_rate: float = 0.1  # cosine decays to this share of the peak
    warmup_steps: int = 50
    weight_decay: float = 0.05
    save_steps: int = 400
    eval_windows: int = 48
    logging_steps: int = 50
    seed: int = 0
    max_minutes: float = 0.0  # > 0: save and stop (resumably) after this long


class WindowDataset:
    """Token windows for causal LM training: ``input_ids`` and ``labels`` (the model
    shifts labels itself), padding labelled -100."""

    def __init__(self, ids, starts, context: int, pad_id: int):
        self.ids, self.starts, self.context, self.pad_id = ids, starts, context, pad_id

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> dict:
        import torch

        s = int(self.starts[i])
        window = self.ids[s : s + self.context].tolist()
        pad = self.context - len(window)
        return {"input_ids": torch.tensor(window + [self.pad_id] * pad),
                "labels": torch.tensor(window + [-100] * pad),
                "attention_mask": torch.tensor([1] * len(window) + [0] * pad)}


def encode_chunks(tokenizer, docs: list[Document]):
    """All chunks of ``docs`` as one token array and the offset where each chunk starts."""
    import numpy as np

    chunks = [c for d in docs for c in format_document(d)]
    ids: list[int] = []
    starts: list[int] = []
    for i in range(0, len(chunks), 2000):  # batches keep the peak memory small
        for enc in tokenizer(chunks[i : i + 2000], add_special_tokens=False)["input_ids"]:
            starts.append(len(ids))
            ids.extend(enc)
    return np.asarray(ids, dtype=np.int64), np.asarray(starts, dtype=np.int64)


def packed_dataset(tokenizer, docs: list[Document], context: int, seed: int) -> WindowDataset:
    """Non-overlapping windows over the documents in a seeded order (pretraining: each
    token is seen once per pass however short its document)."""
    import numpy as np

    order = list(docs)
    random.Random(seed).shuffle(order)
    ids, _ = encode_chunks(tokenizer, order)
    starts = np.arange(0, max(1, len(ids) - 1), context, dtype=np.int64)
    return WindowDataset(ids, starts, context, tokenizer.eos_token_id)


def chunk_dataset(tokenizer, docs: list[Document], context: int) -> WindowDataset:
    """One window per chunk, starting at its ``title:`` line (how the writer prompts)."""
    ids, starts = encode_chunks(tokenizer, docs)
    return WindowDataset(ids, starts, context, tokenizer.eos_token_id)


def subset(ds: WindowDataset, n: int) -> WindowDataset:
    """A fixed, evenly spread ``n`` windows: cheap enough to evaluate at every save."""
    import numpy as np

    if n <= 0 or n >= len(ds):
        return ds
    pick = np.linspace(0, len(ds) - 1, n).astype(np.int64)
    return WindowDataset(ds.ids, ds.starts[pick], ds.context, ds.pad_id)


def mean_nll_all(model, ds: WindowDataset) -> tuple[float, int]:
    """Mean cross-entropy (nats) over *every* token of ``ds.ids`` in non-overlapping
    windows, and the token count: the held-out figure of the model card."""
    import torch

    ids = torch.as_tensor(ds.ids)
    total, count = 0.0, 0
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        for start in range(0, max(0, len(ids) - 1), ds.context):
            window = ids[start : start + ds.context + 1].to(model.device)
            if len(window) < 2:
                break
            logits = model(input_ids=window[None, :-1]).logits[0].float()
            total += float(torch.nn.functional.cross_entropy(logits, window[1:], reduction="sum"))
            count += len(window) - 1
    model.train(was_training)
    return (total / count if count else float("nan")), count


def last_checkpoint(folder: Path) -> Path | None:
    """The newest complete ``checkpoint-N`` folder (one with trainer_state.json)."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    done = [p for p in folder.glob("checkpoint-*")
            if p.name.split("-")[-1].isdigit() and (p / "trainer_state.json").exists()]
    return max(done, key=lambda p: int(p.name.split("-")[-1]), default=None)


def find_resume_point(stage_dir: Path, mirror: Path | None) -> Path | None:
    """The newest checkpoint in the run folder or, failing that, in the mirror (copied back)."""
    local = last_checkpoint(stage_dir)
    remote = last_checkpoint(mirror) if mirror else None
    if remote is not None and (local is None or _step(remote) > _step(local)):
        stage_dir.mkdir(parents=True, exist_ok=True)
        target = stage_dir / remote.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(remote, target)
        return target
    return local


def _step(ckpt: Path) -> int:
    return int(ckpt.name.split("-")[-1])


def copy_tree_atomic(src: Path, dst: Path) -> None:
    with atomic_dir(dst) as tmp:
        shutil.copytree(src, tmp, dirs_exist_ok=True)


def _callbacks(log_path: Path, mirror: Path | None, cfg: StageConfig):
    from transformers import TrainerCallback

    class LogAndMirror(TrainerCallback):
        """Readable log lines, a wall-clock stop, and each checkpoint mirrored."""

        def __init__(self):
            self.started = time.monotonic()

        def on_log(self, args, state, control, logs=None, **kw):
            line = " ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}"
                            for k, v in (logs or {}).items())
            with open(log_path, "a", encoding="utf-8") as fh:
                fh.write(f"{time.strftime('%H:%M:%S')} step {state.global_step} {line}\n")

        def on_step_end(self, args, state, control, **kw):
            if cfg.max_minutes and time.monotonic() - self.started > cfg.max_minutes * 60:
                control.should_save = True
                control.should_training_stop = True
                with open(log_path, "a", encoding="utf-8") as fh:
                    fh.write(f"stopping after {cfg.max_minutes} min at step {state.global_step}"
                             " (resumable)\n")

        def on_save(self, args, state, control, **kw):
            if mirror is None or not state.is_world_process_zero:
                return
            ckpt = Path(args.output_dir) / f"checkpoint-{state.global_step}"
            if ckpt.exists():
                dst = mirror / ckpt.name
                copy_tree_atomic(ckpt, dst)
                for old in mirror.glob("checkpoint-*"):  # keep the newest two
                    if old.name.split("-")[-1].isdigit() and _step(old) < state.global_step - 2 * args.save_steps + 1:
                        shutil.rmtree(old, ignore_errors=True)

    return [LogAndMirror()]


def run_stage(model, tokenizer, train_ds, eval_sets: dict, stage_dir: Path, cfg: StageConfig,
              mirror: Path | None = None, resume: bool = True) -> dict:
    """Train one stage with ``Trainer``; resumes from the newest checkpoint when there is
    one; saves the final model to ``stage_dir/final`` and returns the trainer state."""
    from transformers import Trainer, TrainingArguments

    stage_dir = Path(stage_dir)
    stage_dir.mkdir(parents=True, exist_ok=True)
    if mirror is not None:
        mirror.mkdir(parents=True, exist_ok=True)
    (stage_dir / "stage_config.json").write_text(json.dumps(asdict(cfg), indent=1))
    args = TrainingArguments(
        output_dir=str(stage_dir), max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size, per_device_eval_batch_size=cfg.batch_size,
        learning_rate=cfg.lr, lr_scheduler_type="cosine_with_min_lr",
        lr_scheduler_kwargs={"min_lr_rate": cfg.min_lr_rate}, warmup_steps=cfg.warmup_steps,
        weight_decay=cfg.weight_decay, adam_beta1=0.9, adam_beta2=0.95, max_grad_norm=1.0,
        logging_steps=cfg.logging_steps, save_steps=cfg.save_steps, save_total_limit=2,
        eval_strategy="steps" if eval_sets else "no", eval_steps=cfg.save_steps,
        seed=cfg.seed, data_seed=cfg.seed, report_to="none", disable_tqdm=True,
        dataloader_num_workers=0, remove_unused_columns=False,
    )
    trainer = Trainer(
        model=model, args=args, train_dataset=train_ds,
        eval_dataset={k: subset(v, cfg.eval_windows) for k, v in eval_sets.items()} or None,
        callbacks=_callbacks(stage_dir / "train.log", mirror, cfg),
    )
    ckpt = find_resume_point(stage_dir, mirror) if resume else None
    with open(stage_dir / "train.log", "a", encoding="utf-8") as fh:
        n_params = sum(p.numel() for p in model.parameters())
        fh.write(f"{time.strftime('%H:%M:%S')} start: {n_params / 1e6:.2f}M params, "
                 f"{len(train_ds)} windows of {cfg.context}, resume from {ckpt}\n")
    trainer.train(resume_from_checkpoint=str(ckpt) if ckpt else None)
    if trainer.state.global_step >= cfg.max_steps:
        save_final(trainer.model, tokenizer, stage_dir / "final")
        if mirror is not None:
            copy_tree_atomic(stage_dir / "final", mirror / "final")
    return {"global_step": trainer.state.global_step, "log_history": trainer.state.log_history}


def save_final(model, tokenizer, folder: Path) -> Path:
    """A loadable model folder (safetensors, tokenizer, the tagged-format marker)."""
    with atomic_dir(folder) as tmp:
        model.config.use_cache = True  # Trainer turns the KV cache off; the writer wants it
        model.save_pretrained(str(tmp), safe_serialization=True)
        tokenizer.save_pretrained(str(tmp))
        (tmp / "songloom.json").write_text(json.dumps(songloom_info(), indent=1))
    return folder


def load_model(folder: Path):
    """Model + tokenizer from a local folder, offline, safetensors only."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = Path(folder)
    if not (folder / "config.json").exists():
        raise ModelError("not a model folder: config.json is missing", folder)
    tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(
        str(folder), local_files_only=True, use_safetensors=True, trust_remote_code=False)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return model, tok


def new_model(tokenizer, n_layer: int, n_embd: int, n_head: int, context: int):
    """A fresh GPT-2 of the given shape for ``tokenizer`` (tied input/output embeddings)."""
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config(
        vocab_size=len(tokenizer), n_positions=context, n_embd=n_embd, n_layer=n_layer,
        n_head=n_head, bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=True, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
    )
    return GPT2LMHeadModel(config)


def perplexity_report(model, held_out: WindowDataset) -> dict:
    loss, n = mean_nll_all(model, held_out)
    return {"loss": loss, "perplexity": math.exp(loss), "tokens": n}


__all__ = ["EOS", "StageConfig", "WindowDataset", "chunk_dataset", "packed_dataset", "run_stage",
           "find_resume_point", "load_model", "new_model", "save_final", "mean_nll_all",
           "perplexity_report"]
