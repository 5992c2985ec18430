"""Sample verses from two lyrics models side by side, for reading as a songwriter would.

    python -m core.training.lyrics_en_samples runs/lyrics-en/stage2/final \
        resources/models/lyrics-gpt2 --out runs/lyrics-en/samples.md

Both models write the same requests through the app's constraint writer (8 lines of 8
syllables, ABAB, the same themes and seeds), so the difference is the model. The counts
under each verse (archaic words, lines whose words are not all in the CMU dictionary)
are rough aids to reading, not the quality benchmark.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

THEMES = ("winter road", "first love", "city lights", "the sea")
ARCHAIC = {"thee", "thou", "thy", "thine", "hath", "doth", "art", "ye", "o'er", "ne'er", "e'er",
           "'tis", "twas", "'twas", "wilt", "shalt", "dost", "canst", "hast", "nay", "whence"}


def _counts(lines: list[str]) -> tuple[int, int]:
    from core.lyrics.syllables import _cmu_count, words

    ws = [w.lower() for x in lines for w in words(x)]
    archaic = sum(w in ARCHAIC for w in ws)
    unknown = sum(_cmu_count(w) is None for w in ws)
    return archaic, unknown


def verses(folder: Path, themes=THEMES, seeds=(1,), n_lines: int = 8, syllables: int = 8):
    """[(theme, seed, lines, seconds)] written by the model in ``folder``."""
    from core.lyrics.constraints import LyricRequest, write_lyrics
    from core.lyrics.model_store import load_lyrics_model

    lm = load_lyrics_model(folder, cached=False)
    out = []
    for theme in themes:
        for seed in seeds:
            t0 = time.monotonic()
            req = LyricRequest(theme=theme, lines=n_lines, syllables=syllables, seed=seed)
            lines = write_lyrics(lm, req)
            out.append((theme, seed, lines, time.monotonic() - t0))
    return out


def markdown(named: list[tuple[str, Path]], themes=THEMES, seeds=(1,)) -> str:
    parts = ["## Samples (8 lines of 8 syllables, ABAB, through the app's constraint writer)\n"]
    for name, folder in named:
        total_a = total_u = total_w = 0
        block = []
        for theme, seed, lines, secs in verses(folder, themes, seeds):
            a, u = _counts(lines)
            total_a, total_u = total_a + a, total_u + u
            from core.lyrics.syllables import words

            total_w += sum(len(words(x)) for x in lines)
            block.append(f"*{theme}* (seed {seed}, {secs:.1f} s)\n\n" + "\n".join(f"    {x}" for x in lines))
        parts.append(f"### {name}\n\narchaic words {total_a} of {total_w}, words outside the CMU "
                     f"dictionary {total_u}\n\n" + "\n\n".join(block) + "\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("new", type=Path)
    ap.add_argument("old", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    text = markdown([("this model", args.new), ("previous model", args.old)], seeds=tuple(args.seeds))
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
