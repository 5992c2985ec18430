"""The model card and shippable folder of the English lyrics model (pretrain + fine-tune).

``ship`` copies what loading needs from ``stage2/final`` (config, safetensors weights,
tokenizer, format marker), builds the originality index over every text the model has
read (today's model's texts, the books and WordNet), and writes MODEL_CARD.md from the
run's own records: the corpus sizes, both stages' trainer logs, and ``eval.json`` (the
held-out perplexity of the new and the previous model on the same song lines).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

from core.io.atomic_write import atomic_dir, atomic_write_text
from core.training import lyrics_corpus_en as corpus_en

SHIPPED = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
           "songloom.json")
LICENCES = """- OpenScore Lieder song texts: CC0 1.0 Universal.
- Public-domain poems ("Sonnet or Not, Bot?" collection): public domain.
- Project Gutenberg books (`../shared/data/gutenberg-en/texts`): published before 1929,
  authors dead before 1955, so public domain in the US and in life+70 countries; the
  Project Gutenberg header, footer and trademark were removed before use.
- WordNet 3.0 (Debian package `wordnet-base`): Princeton WordNet licence ("WordNet 3.0
  Copyright 2006 by Princeton University. All rights reserved."; permission to use, copy,
  modify and distribute for any purpose without fee, with the copyright notice and
  disclaimer kept: the full text is in `resources/licenses/training-data.txt`).
- The weights are released with Songloom (MIT)."""


def _trainer_history(stage_dir: Path) -> tuple[list[dict], dict]:
    """The log history and config of a stage (from its newest checkpoint's trainer_state)."""
    from core.training.lyrics_trainer import last_checkpoint

    ckpt = last_checkpoint(stage_dir)
    hist = json.loads((ckpt / "trainer_state.json").read_text())["log_history"] if ckpt else []
    cfg_path = stage_dir / "stage_config.json"
    cfg = json.loads(cfg_path.read_text()) if cfg_path.exists() else {}
    return hist, cfg


def _stage_table(hist: list[dict], eval_keys: list[str], base: dict | None = None) -> str:
    train = {h["step"]: h["loss"] for h in hist if "loss" in h}
    evals: dict[int, dict] = {}
    for h in hist:
        for k in eval_keys:
            if f"eval_{k}_loss" in h:
                evals.setdefault(h["step"], {})[k] = h[f"eval_{k}_loss"]
    head = "| step | train loss | " + " | ".join(f"held-out {k} loss (ppl)" for k in eval_keys)
    rows = [head + " |", "|---:|---:|" + "---:|" * len(eval_keys)]
    if base:  # the previous model on the same windows: the row to beat
        cells = [f"{base[f'eval_{k}_loss']:.3f} ({math.exp(base[f'eval_{k}_loss']):.1f})"
                 if f"eval_{k}_loss" in base else "" for k in eval_keys]
        rows.append("| previous model | | " + " | ".join(cells) + " |")
    for step in sorted(evals):
        cells = [f"{evals[step][k]:.3f} ({math.exp(evals[step][k]):.1f})" if k in evals[step]
                 else "" for k in eval_keys]
        near = min(train, key=lambda s: abs(s - step)) if train else None
        loss = f"{train[near]:.3f}" if near is not None else ""
        rows.append(f"| {step} | {loss} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _stage_line(name: str, hist: list[dict], cfg: dict, tokens_per_step: int) -> str:
    steps = max((h.get("step", 0) for h in hist), default=0)
    return (f"- {name}: {steps} steps of batch {cfg.get('batch_size')} x {cfg.get('context')} "
            f"tokens (about {steps * tokens_per_step / 1e6:.1f}M tokens), AdamW (betas 0.9/0.95, "
            f"weight decay {cfg.get('weight_decay')}), peak learning rate {cfg.get('lr')} after "
            f"{cfg.get('warmup_steps')} warm-up steps, cosine to {cfg.get('min_lr_rate')} of it")


def write_card(out: Path, folder: Path, sources: dict, notes: str = "", samples: str = "") -> Path:
    """MODEL_CARD.md in ``folder`` from the run in ``out``."""
    ev = json.loads((out / "eval.json").read_text())
    new, base = ev.get("new", {}), ev.get("baseline", {})
    h1, c1 = _trainer_history(out / "stage1")
    h2, c2 = _trainer_history(out / "stage2")
    config = json.loads((folder / "config.json").read_text())
    base_windows = out / "base_eval.json"
    bw = json.loads(base_windows.read_text()) if base_windows.exists() else None
    s1 = ev.get("stage1", {})
    stage1_row = (f"| after stage 1 (not shipped) | {s1['perplexity']:.1f} | "
                  f"{s1['word_perplexity']:.0f} |\n" if s1 else "")
    books = sorted(d.source.split("/", 1)[1] for d in sources["gutenberg"])
    held_books = [d.source.split("/", 1)[1] for d in sources["gutenberg"]
                  if not corpus_en.split_holdout([d])[0]]
    size = lambda k: c1.get("batch_size", 8) * c1.get("context", 256)  # noqa: E731
    text = f"""# Songloom lyrics GPT-2 (English)

A small GPT-2 (transformers `GPT2LMHeadModel`, {new.get('params', 0) / 1e6:.2f}M parameters:
{config['n_layer']} layers, {config['n_embd']} wide, {config['n_head']} heads, context
{config['n_positions']} tokens) with a byte-level BPE tokenizer ({config['vocab_size']} tokens).
Loads with `AutoModelForCausalLM.from_pretrained(folder, local_files_only=True)`.
Lines are tagged with their sung syllable count and last word
(`[8 hill] the sun goes down upon the hill`), after a `title:` line; the constraint writer
asks for a syllable count and a rhyme word through the tag (format
`songloom-tagged-lines-v1`, unchanged).

## Data
{chr(10).join('- ' + x for x in corpus_en.describe(sources))}

- songs: openscore-lieder song texts (English only) and public-domain-poems/poems.csv
  (all rows but prose poems), as before.
- gutenberg: {len(books)} books; paragraphs cut into sentences and sentences into
  clause-sized lines (3-24 syllables: split at commas and the like, long clauses before a
  conjunction, short ones merged up to 12 syllables); chapter headings, contents lists,
  title pages and illustration notes dropped; dialogue kept. Books: {', '.join(books)}.
- wordnet: WordNet 3.0 (Debian `wordnet-base`), one document per synset titled with its
  first word: the definition and the example sentences, each a tagged line.

Held out, by document: CRC-32 of the source name mod 20 == 0 (the rule today's model
was held to, so the same 83 song documents are held out), here the book(s)
{', '.join(held_books)} and {sum(1 for d in sources['wordnet'] if not corpus_en.split_holdout([d])[0])}
WordNet synsets.

Licence: MIT (weights); trained on CC0, public-domain and WordNet 3.0 (Princeton licence) text
{LICENCES}

## Training
Transformers `Trainer` (`python -m core.training.lyrics_en_pipeline`: the same command
resumes from its checkpoints and runs under `torchrun`), one nice'd CPU thread on a
shared 2-core machine.
- start: the previous bundled model (5200 steps, 11.3M tokens of the song texts and
  poems; its tokenizer is kept): on this compute a warm start is worth more than a new
  tokenizer and a model from scratch, and per-token perplexities compare directly.
{_stage_line('stage 1, pretraining on all the English text (song lines twice over)', h1, c1, size(1))}
{_stage_line('stage 2, fine-tuning on the song texts and poems', h2, c2, size(2))}
{notes}
Stage 1 (held-out losses on 48 song windows and 48 prose windows at each checkpoint):

{_stage_table(h1, ['songs', 'prose'], bw)}

Stage 2:

{_stage_table(h2, ['songs'], bw)}

## Held-out perplexity (same text for both models)
Every one of the {new.get('tokens', 0):,} tokens of the 83 held-out song documents (their
chunks, a title line and up to 12 tagged lines each, concatenated and cut into
non-overlapping 256-token windows: the previous card's "every held-out token" figure).
Both models use the same tokenizer, so per-token figures compare directly; "per word"
divides the same total by the words of the lines (titles and tags are predicted text
too, hence its size; only the ratio between rows means anything).

| model | perplexity per BPE token | per word |
|---|---:|---:|
| previous bundled model | {base.get('perplexity', float('nan')):.1f} | {base.get('word_perplexity', float('nan')):.0f} |
{stage1_row}| this model | **{new.get('perplexity', float('nan')):.1f}** | **{new.get('word_perplexity', float('nan')):.0f}** |

{samples}
## Originality index
`corpus_index.npz` holds the CRC-32 hashes of every 4-word sequence of the training texts
(now the books and WordNet too, about 6M 4-grams: a chance collision is about one in 700
per 4-gram, and can only make the shared-run figure larger) and the corpus's word counts.

## Limits
Five million parameters trained for a few CPU hours: grammatical more often than the
previous model, rarely profound. English only. Old-fashioned words still occur (the books
are from before 1929): the writer's diction control filters them.
"""
    return atomic_write_text(Path(folder) / "MODEL_CARD.md", text)


def ship(out: Path, dest: Path, sources: dict, notes: str = "", samples: str = "") -> Path:
    """Export stage2/final into ``dest`` (atomically replaced), index and card included."""
    from core.lyrics.originality import build_index

    src = Path(out) / "stage2" / "final"
    with atomic_dir(dest) as tmp:
        for name in SHIPPED:
            shutil.copy2(src / name, tmp / name)
        build_index([d.lines for docs in sources.values() for d in docs], tmp)
        write_card(out, tmp, sources, notes, samples)
    return Path(dest)
