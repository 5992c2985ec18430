"""Train the Chinese lyrics GPT-2 with transformers' ``Trainer`` (resumable; ``torchrun``-ready).

Input: the folder written by ``core.training.lyrics_zh_data`` (train.npy / heldout.npy token
streams and the tokenizer). The streams are cut into fixed blocks of ``--context`` tokens;
the Trainer shuffles them with its seed, so a resumed run continues the same order.

Every checkpoint is also copied to ``--mirror`` (runs/ may be wiped); a run started with
``--resume`` continues from the newest checkpoint found in either place.

One CPU thread:  ``nice -n 19 python -m core.training.lyrics_zh_train --threads 1``
Several GPUs:    ``torchrun --nproc_per_node 4 -m core.training.lyrics_zh_train --resume``
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import time
from pathlib import Path

import numpy as np

from core.io.atomic_write import atomic_dir


class Blocks:
    """Fixed, non-overlapping blocks of a token stream, as Trainer examples."""

    def __init__(self, ids: np.ndarray, context: int, limit: int | None = None):
        n = len(ids) // context
        if limit is not None:
            # an evenly spaced subset, so a short evaluation still covers every source
            keep = np.linspace(0, n - 1, num=min(limit, n)).astype(np.int64)
        else:
            keep = np.arange(n)
        self.ids, self.context, self.keep = ids, context, keep

    def __len__(self) -> int:
        return len(self.keep)

    def __getitem__(self, i: int) -> dict:
        import torch

        start = int(self.keep[i]) * self.context
        block = torch.from_numpy(self.ids[start:start + self.context].astype(np.int64))
        return {"input_ids": block, "labels": block.clone()}


def _checkpoints(folder: Path) -> list[Path]:
    found = [p for p in folder.glob("checkpoint-*") if (p / "trainer_state.json").exists()]
    return sorted(found, key=lambda p: int(p.name.split("-")[1]))


def newest_checkpoint(out_dir: Path, mirror: Path | None) -> Path | None:
    """The newest complete checkpoint in the run folder or its mirror (copied back in)."""
    here = _checkpoints(out_dir)
    there = _checkpoints(mirror) if mirror and mirror.exists() else []
    best_here = here[-1] if here else None
    best_there = there[-1] if there else None

    def step(p):
        return int(p.name.split("-")[1]) if p else -1

    if step(best_there) > step(best_here):
        target = out_dir / best_there.name
        shutil.copytree(best_there, target, dirs_exist_ok=True)
        return target
    return best_here


def restart_factor(step: int, start: int, warmup: int, end: int) -> float:
    """A fresh warm-up and cosine from ``start`` to ``end`` (a warm restart), as a factor of the
    peak learning rate; 0 before ``start`` and after ``end``."""
    if step < start or step >= end:
        return 0.0
    done = step - start
    if done < warmup:
        return (done + 1) / warmup
    span = max(1, end - start - warmup)
    return 0.5 * (1.0 + math.cos(math.pi * (done - warmup) / span))


def build_model(vocab_size: int, context: int, layers: int, width: int, heads: int):
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config(
        vocab_size=vocab_size, n_positions=context, n_embd=width, n_layer=layers, n_head=heads,
        bos_token_id=2, eos_token_id=3, pad_token_id=0,
        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, tie_word_embeddings=True,
    )
    return GPT2LMHeadModel(config)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("runs/lyrics-zh/data"))
    ap.add_argument("--out", type=Path, default=Path("runs/lyrics-zh/ckpt"))
    ap.add_argument("--mirror", type=Path, default=Path("/root/songloom-runs/zh"))
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--save-every", type=int, default=200)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--eval-blocks", type=int, default=200)
    ap.add_argument("--final-eval-blocks", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: default)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--restart-at", type=int, default=None,
                    help="warm restart: a new warm-up (--warmup) and cosine to --steps from this "
                         "step, peak --lr, keeping the checkpoint's weights and AdamW moments")
    args = ap.parse_args(argv)

    import torch
    from transformers import PreTrainedTokenizerFast, Trainer, TrainerCallback, TrainingArguments

    if args.threads:
        torch.set_num_threads(args.threads)
    tokenizer = PreTrainedTokenizerFast.from_pretrained(str(args.data / "tokenizer"))
    train_ids = np.load(args.data / "train.npy")
    held_ids = np.load(args.data / "heldout.npy")
    train_set = Blocks(train_ids, args.context)
    eval_set = Blocks(held_ids, args.context, limit=args.eval_blocks)
    model = build_model(len(tokenizer), args.context, args.layers, args.width, args.heads)
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = args.out.parent / "train.log"

    class Log(TrainerCallback):
        """Plain-text log lines (step, loss, lr, held-out perplexity) and the mirror copy."""

        def __init__(self):
            self.t0 = time.time()

        def on_log(self, targs, state, control, logs=None, **kw):
            if not state.is_world_process_zero or not logs:
                return
            line = {"step": state.global_step, "min": round((time.time() - self.t0) / 60, 1)}
            line.update({k: round(v, 4) if isinstance(v, float) else v for k, v in logs.items()})
            if "eval_loss" in logs:
                line["eval_ppl"] = round(math.exp(logs["eval_loss"]), 2)
            with log_path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")

        def on_save(self, targs, state, control, **kw):
            if not state.is_world_process_zero or not args.mirror:
                return
            src = args.out / f"checkpoint-{state.global_step}"
            if not src.exists():
                return
            args.mirror.mkdir(parents=True, exist_ok=True)
            with atomic_dir(args.mirror / src.name) as tmp:
                shutil.copytree(src, tmp, dirs_exist_ok=True)
            for old in _checkpoints(args.mirror)[:-2]:
                shutil.rmtree(old, ignore_errors=True)

    class WarmRestart(TrainerCallback):
        """Replaces the resumed scheduler's curve and peak: a checkpoint's scheduler state carries
        the old run's peak learning rate and its cosine has already reached 0."""

        def on_train_begin(self, targs, state, control, optimizer=None, lr_scheduler=None, **kw):
            start, warm, end = args.restart_at, args.warmup, args.steps

            def factor(step):
                return restart_factor(step, start, warm, end)

            lr_scheduler.lr_lambdas = [factor] * len(optimizer.param_groups)
            lr_scheduler.base_lrs = [args.lr] * len(optimizer.param_groups)
            for group in optimizer.param_groups:
                group["initial_lr"] = args.lr
                group["lr"] = args.lr * factor(state.global_step)
            lr_scheduler._last_lr = [g["lr"] for g in optimizer.param_groups]

    targs = TrainingArguments(
        output_dir=str(args.out), per_device_train_batch_size=args.batch,
        per_device_eval_batch_size=args.batch, learning_rate=args.lr,
        lr_scheduler_type="cosine", warmup_steps=args.warmup, max_steps=args.steps,
        weight_decay=0.01, adam_beta2=0.98, logging_steps=20,
        save_steps=args.save_every, save_total_limit=2, eval_strategy="steps",
        eval_steps=args.eval_every, report_to=[], seed=args.seed, data_seed=args.seed,
        dataloader_num_workers=0, use_cpu=not torch.cuda.is_available(),
        bf16=torch.cuda.is_available(), disable_tqdm=True,
    )
    trainer = Trainer(model=model, args=targs, train_dataset=train_set, eval_dataset=eval_set,
                      callbacks=[Log()] + ([WarmRestart()] if args.restart_at is not None else []))
    resume = newest_checkpoint(args.out, args.mirror) if args.resume else None
    with log_path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"start": time.strftime("%H:%M:%S"), "resume": str(resume),
                            "steps": args.steps, "lr": args.lr, "restart_at": args.restart_at,
                            "blocks": len(train_set), "params": model.num_parameters()}) + "\n")
    trainer.train(resume_from_checkpoint=str(resume) if resume else None)
    metrics = trainer.evaluate(Blocks(held_ids, args.context, limit=args.final_eval_blocks))
    final = args.out.parent / "final"
    trainer.save_model(str(final))
    tokenizer.save_pretrained(str(final))
    result = {"step": trainer.state.global_step, "heldout_loss": metrics["eval_loss"],
              "heldout_ppl": math.exp(metrics["eval_loss"]),
              "heldout_tokens": len(held_ids) // args.context * args.context,
              "heldout_tokens_scored": min(len(held_ids) // args.context, args.final_eval_blocks) * args.context}
    (final / "training.json").write_text(json.dumps(result, indent=1), "utf-8")
    with log_path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"final": result}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
