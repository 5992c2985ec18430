"""The English lyrics model, end to end: build the corpus, pretrain, fine-tune, evaluate.

    python -m core.training.lyrics_en_pipeline --data ../shared/data --out runs/lyrics-en \
        --mirror /root/songloom-runs/lyrics-en [--stage all|1|2|eval] [--threads 1]

Run the same command again to resume: each stage continues from its newest checkpoint
(in ``--out``, else in ``--mirror``); a finished stage (its ``final`` folder exists) is
skipped. Under ``torchrun --nproc_per_node N python -m core.training.lyrics_en_pipeline ...``
the Trainer spreads each batch over the processes.

``--init bundled`` (the default) starts from today's bundled model and keeps its
tokenizer: on one shared CPU thread the compute buys about one pass over the new text,
which is worth more on top of the 11M tokens that model has already learned than from
scratch, and per-token perplexities then compare directly. ``--init scratch`` trains a
new byte-level BPE tokenizer on the whole corpus and a new GPT-2 of ``--n-layer`` x
``--n-embd`` (for a GPU).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
from pathlib import Path

from core.commands.options import add_options, numbers
from core.io.atomic_write import atomic_write_json
from core.lyrics.corpus import Document
from core.training import lyrics_corpus_en as corpus_en
from core.training.lyrics_trainer import (
    StageConfig,
    chunk_dataset,
    format_document,
    load_model,
    new_model,
    packed_dataset,
    perplexity_report,
    run_stage,
)

CORPUS_CACHE = "corpus.json"
SONG_UPSAMPLE = 2  # stage 1 reads the song lines twice: the form the writer asks for


def load_sources(data_dir: Path, out: Path, wordnet_dir: Path, log) -> dict[str, list[Document]]:
    """The documents by source, cached as JSON in ``out`` (building them takes minutes)."""
    cache = out / CORPUS_CACHE
    if cache.exists():
        raw = json.loads(cache.read_text(encoding="utf-8"))
        return {k: [Document(**d) for d in v] for k, v in raw.items()}
    t0 = time.monotonic()
    sources = corpus_en.english_documents(data_dir, wordnet_dir)
    if not sources["songs"] or not sources["gutenberg"]:
        raise SystemExit(f"lyrics_en_pipeline: no song texts or books under {data_dir}")
    if not sources["wordnet"]:
        raise SystemExit(f"lyrics_en_pipeline: no WordNet under {wordnet_dir} (Debian: apt-get "
                         "install wordnet-base; installer/setup.sh does with SONGLOOM_EXTRAS=train)")
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_json(cache, {k: [dataclasses.asdict(d) for d in v] for k, v in sources.items()})
    log(f"corpus built in {time.monotonic() - t0:.0f}s")
    return sources


def stage_configs(args) -> tuple[StageConfig, StageConfig]:
    s1 = StageConfig(max_steps=args.steps1, lr=args.lr1, warmup_steps=50, save_steps=args.save_steps,
                     batch_size=args.batch_size, max_minutes=args.max_minutes)
    s2 = StageConfig(max_steps=args.steps2, lr=args.lr2, warmup_steps=30, save_steps=args.save_steps,
                     batch_size=args.batch_size, max_minutes=args.max_minutes)
    return s1, s2


def initial_model(args, sources, log):
    """(model, tokenizer): today's bundled model, or a new tokenizer and GPT-2."""
    if args.init == "bundled":
        return load_model(args.base)
    from core.training.lyrics_train import train_tokenizer

    texts = [c for docs in sources.values() for d in docs for c in format_document(d)]
    tok = train_tokenizer(texts, args.vocab_size, args.out / "tokenizer")
    log(f"new tokenizer: {len(tok)} tokens")
    return new_model(tok, args.n_layer, args.n_embd, args.n_head, args.context), tok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("runs/lyrics-en"))
    ap.add_argument("--mirror", type=Path, default=None, help="checkpoint copies outside the tree")
    ap.add_argument("--wordnet", type=Path, default=corpus_en.WORDNET_DIR)
    ap.add_argument("--base", type=Path, default=Path("resources/models/lyrics-gpt2"),
                    help="today's model: the starting point (--init bundled) and the baseline")
    ap.add_argument("--stage", choices=["all", "1", "2", "eval", "corpus", "ship"], default="all",
                    help="ship: export the fine-tuned model to --ship-to if it beats --base on "
                         "held-out song lines, else write its card as a draft in --out/draft")
    ap.add_argument("--ship-to", type=Path, default=Path("resources/models/lyrics-gpt2"))
    ap.add_argument("--init", choices=["bundled", "scratch"], default="bundled")
    add_options(ap, numbers(threads=1, steps1=3000, steps2=1500, lr1=3e-4, lr2=1.5e-4,
                            batch_size=8, save_steps=400, max_minutes=0.0, context=256,
                            vocab_size=8000, n_layer=4, n_embd=256, n_head=4))
    args = ap.parse_args(argv)

    import torch

    torch.set_num_threads(max(1, args.threads))
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = args.out / "train.log"

    def log(msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        with open(log_path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    sources = load_sources(args.data, args.out, args.wordnet, log)
    for line in corpus_en.describe(sources):
        log(line)
    if args.stage == "corpus":
        return 0
    split = {k: corpus_en.split_holdout(v) for k, v in sources.items()}
    s1, s2 = stage_configs(args)
    mirror = args.mirror
    stage1_final = args.out / "stage1" / "final"
    stage2_final = args.out / "stage2" / "final"
    if args.stage in ("all", "1") and not stage1_final.exists():
        model, tok = initial_model(args, sources, log)
        song_eval = chunk_dataset(tok, split["songs"][1], s1.context)
        prose_eval = packed_dataset(tok, split["gutenberg"][1] + split["wordnet"][1], s1.context, 1)
        train_docs = split["gutenberg"][0] + split["wordnet"][0] + split["songs"][0] * SONG_UPSAMPLE
        train_ds = packed_dataset(tok, train_docs, s1.context, s1.seed)
        log(f"stage 1: {len(train_ds)} windows ({len(train_ds.ids)} tokens), "
            f"held out {len(song_eval.ids)} song / {len(prose_eval.ids)} prose tokens")
        run_stage(model, tok, train_ds, {"songs": song_eval, "prose": prose_eval},
                  args.out / "stage1", s1, mirror / "stage1" if mirror else None)
        if not stage1_final.exists():
            log("stage 1 stopped before its last step; run the same command to resume")
            return 0
    if args.stage in ("all", "2") and not stage2_final.exists():
        model, tok = load_model(stage1_final)
        song_eval = chunk_dataset(tok, split["songs"][1], s2.context)
        train_ds = chunk_dataset(tok, split["songs"][0], s2.context)
        log(f"stage 2: {len(train_ds)} windows ({len(train_ds.ids)} tokens)")
        run_stage(model, tok, train_ds, {"songs": song_eval}, args.out / "stage2", s2,
                  mirror / "stage2" if mirror else None)
        if not stage2_final.exists():
            log("stage 2 stopped before its last step; run the same command to resume")
            return 0
    if args.stage in ("all", "eval"):
        evaluate(args, split, log)
    if args.stage == "ship":
        return ship_or_draft(args, sources, log)
    return 0


def ship_or_draft(args, sources, log) -> int:
    """Replace the bundled model only when the new one predicts the held-out song lines
    better (per token and per word); otherwise leave it and write a draft card."""
    from core.training.lyrics_en_card import ship

    ev = json.loads((args.out / "eval.json").read_text())
    new, base = ev["new"], ev["baseline"]
    wins = new["perplexity"] < base["perplexity"] and new["word_perplexity"] < base["word_perplexity"]
    notes_path = args.out / "card_notes.md"
    notes = notes_path.read_text(encoding="utf-8") if notes_path.exists() else ""
    samples_path = args.out / "samples.md"
    samples = samples_path.read_text(encoding="utf-8") if samples_path.exists() else ""
    dest = args.ship_to if wins else args.out / "draft"
    ship(args.out, dest, sources, notes, samples)
    log(f"{'shipped to' if wins else 'does not beat the baseline; draft in'} {dest}: "
        f"ppl/token {new['perplexity']:.2f} vs {base['perplexity']:.2f}, "
        f"ppl/word {new['word_perplexity']:.1f} vs {base['word_perplexity']:.1f}")
    return 0


def evaluate(args, split, log) -> dict:
    """Held-out perplexity over every song-line token, new model and baseline, same text.

    Tokenizers may differ, so the comparison figure is per word (total nats / words),
    which does not depend on how a tokenizer cuts the text; per-token perplexity is given
    too (directly comparable when the tokenizer is the same)."""
    from core.lyrics.syllables import words

    path = args.out / "eval.json"
    # A model already evaluated (same weights file, same time stamp) is not run again.
    old = json.loads(path.read_text()) if path.exists() else {}
    results = {}
    n_words = sum(len(words(x)) + len(words(_tag_word(x))) for d in split["songs"][1]
                  for x in d.lines)
    for name, folder in (("baseline", args.base), ("stage1", args.out / "stage1" / "final"),
                         ("new", args.out / "stage2" / "final")):
        if not (Path(folder) / "config.json").exists():
            continue
        stamp = (Path(folder) / "model.safetensors").stat().st_mtime_ns
        if old.get(name, {}).get("stamp") == stamp and old[name].get("folder") == str(folder):
            results[name] = old[name]
            continue
        model, tok = load_model(folder)
        ds = chunk_dataset(tok, split["songs"][1], args.context)
        rep = perplexity_report(model, ds)
        rep["nats_per_word"] = rep["loss"] * rep["tokens"] / max(1, n_words)
        rep["word_perplexity"] = math.exp(rep["nats_per_word"])
        rep["params"] = sum(p.numel() for p in model.parameters())
        results[name] = {"folder": str(folder), "stamp": stamp, **rep}
        log(f"held-out songs, {name}: ppl/token {rep['perplexity']:.2f} over {rep['tokens']} "
            f"tokens, ppl/word {rep['word_perplexity']:.1f}")
        path.write_text(json.dumps(results, indent=1))
    return results


def _tag_word(line: str) -> str:
    """The tag's end word counts as a word too (it is predicted text)."""
    from core.lyrics.syllables import words

    w = words(line)
    return w[-1] if w else ""


if __name__ == "__main__":
    sys.exit(main())

