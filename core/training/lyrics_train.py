"""Training the lyrics GPT-2: from scratch on the bundled corpora, or fine-tuning on your lyrics.

A resumable job: every ``save_every`` steps the weights (safetensors), the optimizer's
moments (safetensors too: never pickle) and the step counter (JSON) are written
atomically, so ``--resume`` continues where a cancelled or killed run stopped. The
learning-rate schedule is a function of the step, so a resumed run follows the same curve.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from core.errors import ModelError
from core.io.atomic_write import atomic_write_bytes, atomic_write_json, atomic_write_text
from core.jobs import NEVER_CANCELLED, CancelToken, JobCancelled, ProgressFn, no_progress
from core.lyrics.corpus import EOS, Document, format_document, is_validation

FORMAT_NAME = "songloom-tagged-lines-v1"
FORMAT_FILE = "songloom.json"
STATE_FILE = "train_state.json"
OPTIM_FILE = "optimizer.safetensors"


@dataclass
class TrainConfig:
    steps: int = 1500
    batch_size: int = 16
    context: int = 256
    lr: float = 1e-3
    warmup: int = 60
    weight_decay: float = 0.05
    seed: int = 0
    save_every: int = 50
    eval_batches: int = 4
    max_minutes: float = 0.0  # 0 = no wall-clock limit; >0 stops (resumably) after it
    # The step the learning-rate schedule counts from: > 0 after a warm restart, so a
    # resumed model gets a fresh warmup + cosine decay instead of the tail of the old one.
    schedule_start: int = 0
    # Architecture of a model trained from scratch.
    vocab_size: int = 8000
    n_layer: int = 4
    n_embd: int = 256
    n_head: int = 4



def songloom_info(bundled: Path | None = None) -> dict:
    """What a trained model's ``songloom.json`` holds: the tagged-line format, and the
    bundled model's ``decode`` settings (the writer's candidate counts and re-score
    weights, chosen by reading its lines: a retrained model keeps them rather than
    falling back to defaults)."""
    from core.paths import models_dir

    info: dict = {"format": FORMAT_NAME}
    source = bundled or models_dir() / "lyrics-gpt2" / FORMAT_FILE
    try:
        decode = json.loads(source.read_text(encoding="utf-8")).get("decode")
    except (OSError, ValueError, AttributeError):
        decode = None
    if isinstance(decode, dict):
        info["decode"] = decode
    return info

def train_tokenizer(texts: list[str], vocab_size: int, out_dir: Path):
    """A byte-level BPE tokenizer (GPT-2's scheme) trained on our text, saved in HF format."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        min_frequency=2,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=EOS, eos_token=EOS, unk_token=EOS, pad_token=EOS
    )
    fast.model_max_length = 1024
    out_dir.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(str(out_dir))
    return fast


class TokenStream:
    """All training chunks as one token array, with the offset where each chunk starts."""

    def __init__(self, tokenizer, chunks: list[str]):
        import numpy as np

        ids: list[int] = []
        starts: list[int] = []
        for enc in tokenizer(chunks, add_special_tokens=False)["input_ids"]:
            starts.append(len(ids))
            ids.extend(enc)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.starts = np.asarray(starts, dtype=np.int64)
        self.eos_id = tokenizer.convert_tokens_to_ids(EOS)

    def __len__(self) -> int:
        return len(self.ids)

    def batch(self, rng: random.Random, batch_size: int, context: int):
        import torch

        xs, ys = [], []
        for _ in range(batch_size):
            s = int(self.starts[rng.randrange(len(self.starts))])
            window = self.ids[s : s + context].tolist()
            pad = context - len(window)
            # Labels are the inputs themselves: GPT2LMHeadModel shifts them by one inside.
            xs.append(window + [self.eos_id] * pad)
            ys.append(window + [-100] * pad)
        return torch.tensor(xs), torch.tensor(ys)


def save_checkpoint(model, optimizer, out_dir: Path, state: dict) -> None:
    """Weights + optimizer moments as safetensors, step counter as JSON, each atomically."""
    from safetensors.torch import save

    out_dir.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(str(out_dir))
    weights = {k: v.detach().contiguous().clone() for k, v in model.state_dict().items()}
    weights.pop("lm_head.weight", None)  # tied to the token embedding
    atomic_write_bytes(out_dir / "model.safetensors", save(weights, metadata={"format": "pt"}))
    moments = {}
    names = {p: n for n, p in model.named_parameters()}
    for p, st in optimizer.state.items():
        for key in ("exp_avg", "exp_avg_sq"):
            if key in st:
                moments[f"{names[p]}::{key}"] = st[key].contiguous()
    if moments:
        atomic_write_bytes(out_dir / OPTIM_FILE, save(moments))
    atomic_write_json(out_dir / STATE_FILE, state, indent=1)
    atomic_write_json(out_dir / FORMAT_FILE, songloom_info(), indent=1)


def _load_optimizer(optimizer, model, out_dir: Path, step: int) -> None:
    import torch
    from safetensors.torch import load_file

    path = out_dir / OPTIM_FILE
    if not path.exists():
        return
    moments = load_file(str(path))
    for name, p in model.named_parameters():
        if f"{name}::exp_avg" in moments:
            optimizer.state[p] = {
                "step": torch.tensor(float(step)),
                "exp_avg": moments[f"{name}::exp_avg"],
                "exp_avg_sq": moments[f"{name}::exp_avg_sq"],
            }


def lr_at(step: int, cfg: TrainConfig) -> float:
    step -= cfg.schedule_start
    length = cfg.steps - cfg.schedule_start
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    frac = min(1.0, (step - cfg.warmup) / max(1, length - cfg.warmup))
    return cfg.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def evaluate(model, stream: TokenStream, cfg: TrainConfig) -> float:
    """Mean cross-entropy (nats per token) over a fixed set of held-out windows."""
    import torch

    rng = random.Random(1234)
    losses = []
    model.eval()
    with torch.inference_mode():
        for _ in range(cfg.eval_batches):
            x, y = stream.batch(rng, cfg.batch_size, cfg.context)
            losses.append(float(model(input_ids=x, labels=y).loss))
    model.train()
    return sum(losses) / len(losses)


def evaluate_all(model, stream: TokenStream, context: int) -> tuple[float, int]:
    """Mean cross-entropy over *every* held-out token (non-overlapping windows), and the
    token count: ``evaluate``'s sample of windows is cheap enough to run every checkpoint,
    this is the figure for the model card."""
    import torch

    ids = torch.as_tensor(stream.ids)
    total, count = 0.0, 0
    model.eval()
    with torch.inference_mode():
        for start in range(0, max(0, len(ids) - 1), context):
            window = ids[start : start + context + 1]
            if len(window) < 2:
                break
            logits = model(input_ids=window[None, :-1]).logits[0].float()
            total += float(torch.nn.functional.cross_entropy(logits, window[1:], reduction="sum"))
            count += len(window) - 1
    model.train()
    return (total / count if count else float("nan")), count


def read_train_state(out_dir: Path) -> dict:
    """The saved ``train_state.json`` of a run to resume, checked: a file cut off by a
    crash, a ``[]`` or a negative step is one ModelError naming it, not a traceback."""
    from core.io.safe_json import bounded_int, load_json_file

    path = Path(out_dir) / STATE_FILE
    if not (path.exists() or path.is_symlink()):
        raise ModelError("nothing to resume: no training state in this folder", out_dir)
    state = load_json_file(path, error_cls=ModelError, what="training state", max_depth=8)
    bounded_int(state.get("step"), "step", 0, 10**9, error_cls=ModelError, path=path)
    config = state.setdefault("config", {})
    if not isinstance(config, dict):
        raise ModelError("config must be an object", path)
    for key in ("steps", "warmup", "schedule_start"):
        if key in config:
            bounded_int(config[key], f"config.{key}", 0, 10**9, error_cls=ModelError, path=path)
    lr = config.get("lr", 1e-3)
    if isinstance(lr, bool) or not isinstance(lr, int | float) or not 0 < lr < 1:
        raise ModelError(f"config.lr {lr!r} is not a learning rate", path)
    if not isinstance(state.setdefault("history", []), list):
        raise ModelError("history must be a list", path)
    return state


def train(
    docs: list[Document],
    out_dir: Path,
    cfg: TrainConfig,
    from_model: Path | None = None,
    resume: bool = False,
    restart_schedule: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    log: Callable[[str], None] = print,
) -> dict:
    """Train (or fine-tune, or resume) and return the final state dict (step, losses, ppl).

    ``restart_schedule`` (with ``resume``): a warm restart. Weights and optimizer moments
    continue, but the learning rate follows ``cfg``'s own warmup + cosine from the saved step
    to ``cfg.steps``; later plain resumes keep that new schedule.
    """
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    from core.lyrics.model_store import load_lyrics_model

    out_dir = Path(out_dir)
    torch.manual_seed(cfg.seed)
    state = {"step": 0, "train_loss": None, "val_loss": None, "history": []}
    if resume:
        state = read_train_state(out_dir)
        lm = load_lyrics_model(out_dir, cached=False)
        model, tokenizer = lm.model, lm.tokenizer
        if restart_schedule:
            if cfg.steps <= state["step"]:
                raise ModelError(f"a warm restart needs steps > {state['step']} (got {cfg.steps})", out_dir)
            cfg = TrainConfig(**{**asdict(cfg), "schedule_start": state["step"]})
        else:
            # The saved schedule continues; steps > 0 extends (or shortens) the run.
            keys = ("steps", "lr", "warmup", "schedule_start")
            saved = {k: v for k, v in state.get("config", {}).items() if k in keys}
            if cfg.steps > 0:
                saved.pop("steps", None)
            cfg = TrainConfig(**{**asdict(cfg), **saved})
    elif from_model is not None:
        lm = load_lyrics_model(from_model, cached=False)
        model, tokenizer = lm.model, lm.tokenizer
        tokenizer.save_pretrained(str(out_dir))
    else:
        texts = [c for d in docs for c in format_document(d)]
        tokenizer = train_tokenizer(texts, cfg.vocab_size, out_dir)
        config = GPT2Config(
            vocab_size=len(tokenizer), n_positions=cfg.context, n_embd=cfg.n_embd,
            n_layer=cfg.n_layer, n_head=cfg.n_head, bos_token_id=tokenizer.eos_token_id,
            eos_token_id=tokenizer.eos_token_id, tie_word_embeddings=True,
        )
        model = GPT2LMHeadModel(config)
    if not resume:
        tokenizer.save_pretrained(str(out_dir))
    cfg.context = min(cfg.context, model.config.n_positions)
    model.train()
    train_docs = [d for d in docs if not is_validation(d)] or docs
    val_docs = [d for d in docs if is_validation(d)] or docs[:1]
    train_stream = TokenStream(tokenizer, [c for d in train_docs for c in format_document(d)])
    val_stream = TokenStream(tokenizer, [c for d in val_docs for c in format_document(d)])
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model {n_params / 1e6:.2f}M params; train {len(train_stream)} tokens, "
        f"val {len(val_stream)} tokens; steps {state['step']}..{cfg.steps}")

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg.lr, betas=(0.9, 0.95),
    )
    if resume:
        _load_optimizer(optimizer, model, out_dir, state["step"])
    rng = random.Random(cfg.seed * 1_000_003 + state["step"])
    state["config"] = asdict(cfg)
    started = time.monotonic()
    running = None
    try:
        while state["step"] < cfg.steps:
            cancel.check()
            step = state["step"]
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step, cfg)
            x, y = train_stream.batch(rng, cfg.batch_size, cfg.context)
            loss = model(input_ids=x, labels=y).loss
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            value = loss.item()
            running = value if running is None else 0.95 * running + 0.05 * value
            state["step"] = step + 1
            state["train_loss"] = running
            progress(state["step"] / cfg.steps, f"step {state['step']}/{cfg.steps} loss {running:.3f}")
            if state["step"] % cfg.save_every == 0 or state["step"] == cfg.steps:
                state["val_loss"] = evaluate(model, val_stream, cfg)
                state["history"].append([state["step"], round(running, 4), round(state["val_loss"], 4)])
                save_checkpoint(model, optimizer, out_dir, state)
                log(f"step {state['step']} train {running:.3f} val {state['val_loss']:.3f} "
                    f"ppl {math.exp(state['val_loss']):.1f} lr {lr_at(step, cfg):.2e} "
                    f"{time.monotonic() - started:.0f}s")
            if cfg.max_minutes and time.monotonic() - started > cfg.max_minutes * 60:
                log(f"stopping after {cfg.max_minutes} minutes at step {state['step']} (resumable)")
                break
    except JobCancelled:
        save_checkpoint(model, optimizer, out_dir, state)
        log(f"cancelled at step {state['step']}; saved, resume with --resume")
        raise
    state["val_loss"] = evaluate(model, val_stream, cfg)
    state["val_perplexity"] = math.exp(state["val_loss"])
    loss_all, state["val_tokens_all"] = evaluate_all(model, val_stream, cfg.context)
    state["val_perplexity_all"] = math.exp(loss_all)
    state["params"] = n_params
    save_checkpoint(model, optimizer, out_dir, state)
    finish_folder(out_dir, docs, state, from_model)
    return state


def finish_folder(out_dir: Path, docs: list[Document], state: dict, from_model: Path | None = None) -> None:
    """The originality index of everything the model has read, and its model card."""
    from core.lyrics.model_store import resolve_model_dir
    from core.lyrics.originality import build_index
    from core.training.lyrics_model_card import write_model_card

    base = resolve_model_dir(from_model) if from_model is not None else None
    if state.get("base_model") is None and base is not None:
        state["base_model"] = str(base)
    base_folder = Path(state["base_model"]) if state.get("base_model") else None
    if base_folder is not None and base_folder.resolve() == Path(out_dir).resolve():
        base_folder = None
    build_index([d.lines for d in docs], out_dir, base=base_folder)
    extra = f"- fine-tuned from: {base_folder}\n" if base_folder else ""
    write_model_card(out_dir, docs, state, extra)
    atomic_write_text(out_dir / STATE_FILE, json.dumps(state, indent=1))
