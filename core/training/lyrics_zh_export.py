"""Copy a trained Chinese model into the shipped folder: weights (safetensors only),
config.json, tokenizer.json, songloom.json and training.json (step, held-out perplexity).

``python -m core.training.lyrics_zh_export --from runs/lyrics-zh/final`` (or a checkpoint
folder; with ``--heldout-blocks N`` its held-out perplexity is measured here first).
The data files beside it (patterns, index, tables) come from ``lyrics_zh_assets``.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
from pathlib import Path

import numpy as np


def heldout_ppl(folder: Path, data: Path, blocks: int) -> dict:
    import torch
    from transformers import GPT2LMHeadModel

    torch.set_num_threads(1)
    model = GPT2LMHeadModel.from_pretrained(str(folder), use_safetensors=True).eval()
    ctx = model.config.n_positions
    ids = np.load(data / "heldout.npy")
    n = len(ids) // ctx
    pick = np.linspace(0, n - 1, num=min(blocks, n)).astype(np.int64)
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast.from_pretrained(str(data / "tokenizer"))
    vocab = sorted(tok.get_vocab().items(), key=lambda kv: kv[1])
    first_char = next(i for t, i in vocab if len(t) == 1)
    total = count = char_total = char_count = 0.0
    with torch.inference_mode():
        for start in range(0, len(pick), 16):
            rows = [ids[i * ctx:(i + 1) * ctx] for i in pick[start:start + 16]]
            x = torch.from_numpy(np.stack(rows).astype(np.int64))
            logits = model(input_ids=x).logits[:, :-1]
            target = x[:, 1:]
            nll = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                                    target.reshape(-1), reduction="none")
            is_char = (target.reshape(-1) >= first_char)
            total += float(nll.sum())
            count += nll.numel()
            char_total += float(nll[is_char].sum())
            char_count += int(is_char.sum())
    # per token (characters and tags, the way the Trainer scores it) and per character only
    # (the tags are easy to predict and flatter the first figure)
    return {"heldout_loss": total / count, "heldout_ppl": math.exp(total / count),
            "heldout_char_ppl": math.exp(char_total / char_count),
            "heldout_tokens_scored": int(count), "heldout_chars_scored": int(char_count)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path("runs/lyrics-zh/data"))
    ap.add_argument("--out", type=Path, default=Path("resources/models/lyrics-gpt2-zh"))
    ap.add_argument("--heldout-blocks", type=int, default=0)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("model.safetensors", "config.json"):
        shutil.copyfile(args.src / name, args.out / name)
    shutil.copyfile(args.data / "tokenizer" / "tokenizer.json", args.out / "tokenizer.json")
    (args.out / "songloom.json").write_text(
        json.dumps({"format": "songloom-zh-char-v1", "language": "zh"}) + "\n", "utf-8")
    info = {}
    if (args.src / "training.json").exists():
        info = json.loads((args.src / "training.json").read_text("utf-8"))
    state = args.src / "trainer_state.json"
    if state.exists():
        info["step"] = json.loads(state.read_text("utf-8"))["global_step"]
    if args.heldout_blocks:
        info.update(heldout_ppl(args.src, args.data, args.heldout_blocks))
    (args.out / "training.json").write_text(json.dumps(info, indent=1) + "\n", "utf-8")
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
