"""The model card and the shippable folder of a trained lyrics model.

A training folder holds resumable state (optimizer moments, step counter); the shipped
folder holds only what loading needs (config, safetensors weights, tokenizer, format
marker), the originality index of the texts it learned from, and a card saying what it
was trained on, how long, and how well it predicts held-out text.
"""

from __future__ import annotations

import math
import shutil
from collections import Counter
from pathlib import Path

from core.io.atomic_write import atomic_dir, atomic_write_text
from core.lyrics.corpus import Document, is_validation

SHIPPED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "songloom.json", "corpus_index.npz", "MODEL_CARD.md")


def describe_sources(docs: list[Document]) -> list[str]:
    """One line per source: how many documents and lines came from where."""
    groups: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for d in docs:
        if "openscore-lieder" in d.source:
            key = "openscore-lieder song texts (*.txt, English only: stop-word test)"
        elif "poems.csv" in d.source:
            key = "public-domain-poems/poems.csv (all rows but prose poems)"
        else:
            key = f"user text {Path(d.source).name}"
        groups[key] += 1
        lines[key] += len(d.lines)
    return [f"- {k}: {groups[k]} documents, {lines[k]} lines" for k in sorted(groups)]


def _restart_note(cfg: dict) -> str:
    """A warm restart changes what the schedule line above means: say so."""
    start = cfg.get("schedule_start") or 0
    if not start:
        return ""
    return (f"- warm restart at step {start}: weights and AdamW moments carried over, the learning\n"
            f"  rate above (warm-up, peak, cosine to 10 %) counts from step {start} to step {cfg.get('steps')}.\n")


def _all_tokens_note(state: dict) -> str:
    if not state.get("val_perplexity_all"):
        return ""
    return (f"- **{state['val_perplexity_all']:.1f}** over every held-out token ({state.get('val_tokens_all', 0):,}"
            " tokens in non-overlapping windows); the figure above and the table\n  sample windows that start"
            " at a chunk of a document, which are easier to predict.\n")


def write_model_card(folder: Path, docs: list[Document], state: dict, extra: str = "") -> Path:
    cfg = state.get("config", {})
    val_loss = state.get("val_loss")
    ppl = math.exp(val_loss) if val_loss is not None else float("nan")
    n_val = sum(is_validation(d) for d in docs)
    tokens = state.get("step", 0) * cfg.get("batch_size", 0) * cfg.get("context", 0)
    history = "\n".join(f"| {s} | {t:.3f} | {v:.3f} | {math.exp(v):.1f} |" for s, t, v in state.get("history", []))
    text = f"""# Songloom lyrics GPT-2

A small GPT-2 (transformers `GPT2LMHeadModel`, {state.get('params', 0) / 1e6:.2f}M parameters:
{cfg.get('n_layer')} layers, {cfg.get('n_embd')} wide, {cfg.get('n_head')} heads, context
{cfg.get('context')} tokens) with a byte-level BPE tokenizer ({cfg.get('vocab_size')} tokens,
trained with `tokenizers` on the same text). Trained by Songloom on the CPU; loads with
`AutoModelForCausalLM.from_pretrained(folder, local_files_only=True)`.

## Data
{chr(10).join(describe_sources(docs))}

Each document is a `title:` line followed by its lines, each line tagged with its sung
syllable count and last word (`[8 hill] the sun goes down upon the hill`); Songloom's
constraint writer uses the tags to ask for a syllable count and a rhyme word. A fixed
~5 % of documents (CRC-32 of the source name mod 20 == 0; {n_val} documents here) is held
out for perplexity. Licences: the OpenScore Lieder texts are CC0 1.0; the poems are in the
public domain. The weights are released with Songloom (MIT).

## Training
- steps: {state.get('step')} of batch {cfg.get('batch_size')} x {cfg.get('context')} tokens
  (about {tokens / 1e6:.1f}M tokens seen), AdamW (betas 0.9/0.95, weight decay
  {cfg.get('weight_decay')}), peak learning rate {cfg.get('lr')}, warm-up {cfg.get('warmup')},
  cosine decay to 10 %; one CPU thread (a shared 2-core machine).
{_restart_note(cfg)}{extra}
## Held-out perplexity
- **{ppl:.1f}** per BPE token (mean cross-entropy {val_loss if val_loss is None else round(val_loss, 3)} nats)
  on the held-out documents, tags included (each line's tag, syllable count and end
  word, is part of the predicted text; the end word is then repeated at the line's end).
{_all_tokens_note(state)}
| step | train loss | held-out loss | held-out perplexity |
|---:|---:|---:|---:|
{history}

## Originality index
`corpus_index.npz` holds the CRC-32 hashes of every 4-word sequence of the training texts
and the corpus's word counts (numpy arrays, loaded with `allow_pickle=False`):
`songloom-cli score lyrics FILE` reports the longest run of words a text shares with them.

## Limits
A few million parameters trained for a couple of hours on one CPU core: the lines are
grammatical more often than not, rarely profound. English only. 19th-century diction
("thee", "o'er") shows through: the corpus is nineteenth-century verse and song.
"""
    return atomic_write_text(folder / "MODEL_CARD.md", text)


def export_model(train_dir: Path, out_dir: Path) -> Path:
    """Copy the loadable files of a training folder into ``out_dir`` (no optimizer state)."""
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        for name in SHIPPED_FILES:
            src = Path(train_dir) / name
            if src.exists():
                shutil.copy2(src, tmp / name)
    return out_dir
