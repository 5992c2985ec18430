"""Loading the Chinese lyrics model and the tables the writer needs.

Offline, safetensors only, no remote code. The folder holds the GPT-2 (config.json,
model.safetensors), tokenizer.json (one character per token plus the tags), patterns.json,
corpus_index.npz (originality) and cooc.npz (theme neighbours).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from core.errors import ModelError
from core.lyrics.zh.patterns import PatternBook
from core.lyrics.zh.rhyme import GROUP_NAMES, is_han, is_level, rhyme_group

BUNDLED_NAME = "lyrics-gpt2-zh"
FORMAT = "songloom-zh-char-v1"
_cache: dict[str, ZhModel] = {}
_lock = threading.Lock()


def bundled_zh_dir() -> Path:
    from core.paths import models_dir

    return models_dir() / BUNDLED_NAME


@dataclass
class ZhModel:
    model: object      # GPT2LMHeadModel, eval mode
    tokenizer: object  # PreTrainedTokenizerFast
    folder: Path

    @cached_property
    def vocab(self) -> list[str]:
        items = sorted(self.tokenizer.get_vocab().items(), key=lambda kv: kv[1])
        return [t for t, _ in items]

    @cached_property
    def ids(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.vocab)}

    @cached_property
    def han(self) -> np.ndarray:
        """True for tokens that are one Chinese character (what a line may be made of)."""
        return np.array([is_han(t) for t in self.vocab])

    @cached_property
    def _tables(self) -> dict[str, np.ndarray]:
        # pypinyin takes seconds over the whole vocabulary: the build step ships the answers
        tables = read_char_tables(self.folder)
        n = len(self.vocab)
        if any(len(a) != n for a in tables.values()):
            return {}  # tables of another vocabulary: computed from pypinyin instead
        return tables

    def _char_table(self, name: str, dtype, reading) -> np.ndarray:
        """One value per token: the shipped table ``name`` when it matches the vocabulary,
        else ``reading(character)`` from pypinyin for each Chinese character (None: -1)."""
        if name in self._tables:
            return self._tables[name].astype(dtype)
        out = np.full(len(self.vocab), -1, dtype=dtype)
        for i in np.flatnonzero(self.han):
            value = reading(self.vocab[i])
            out[i] = -1 if value is None else int(value)
        return out

    @cached_property
    def groups(self) -> np.ndarray:
        """中华新韵 group per token, -1 for non-characters and unknown readings."""
        return self._char_table("groups", np.int16, rhyme_group)

    @cached_property
    def levels(self) -> np.ndarray:
        """1 for 平, 0 for 仄, -1 unknown, per token."""
        return self._char_table("levels", np.int8, is_level)

    @cached_property
    def patterns(self) -> PatternBook:
        return PatternBook.load(self.folder / "patterns.json")

    @cached_property
    def index(self):
        from core.lyrics.zh.originality import ZhOriginalityIndex

        path = self.folder / "corpus_index.npz"
        if not os.path.lexists(path):
            raise ModelError("the originality index (corpus_index.npz) is missing", self.folder)
        return ZhOriginalityIndex.load(path)

    @cached_property
    def neighbours(self) -> np.ndarray:
        out = read_neighbours(self.folder)
        n = len(self.vocab)
        if out is None:
            return np.full((n, 0), -1, dtype=np.int16)
        # token ids, looked up per row: a wrong row count or an id past the vocabulary would
        # fail (IndexError) in the middle of writing a line
        if out.shape[0] != n or (out.size and int(out.max()) >= n):
            raise ModelError(f"not a valid neighbour table: 'neighbours' must be {n} rows of "
                             f"token ids below {n} (found shape {out.shape})",
                             self.folder / "cooc.npz")
        return out

    def group_of(self, ch: str) -> int | None:
        """Rhyme group of a character: from the shipped table when it is in the vocabulary
        (pypinyin's dictionaries take seconds to load), else from pypinyin."""
        i = self.ids.get(ch)
        if i is not None and self.han[i]:
            g = int(self.groups[i])
            return None if g < 0 else g
        return rhyme_group(ch)

    def warm_up(self) -> None:
        """One tiny forward pass: torch's first call costs a few hundred ms of set-up that
        should not land on the first line a user waits for."""
        import torch

        with torch.inference_mode():
            self.model(input_ids=torch.tensor([[self.ids["[BOS]"]] * 4] * 2), use_cache=True)
        _ = self.groups, self.levels, self.neighbours, self.index

    @property
    def context(self) -> int:
        return int(self.model.config.n_positions)

    def tag(self, text: str) -> int:
        return self.ids[text]

    def length_tag(self, n: int) -> int:
        return self.ids[f"[L{n}]"]

    def rhyme_tag(self, group: int | None) -> int:
        return self.ids["[R-]" if group is None else f"[R{GROUP_NAMES[group]}]"]

    def char_ids(self, text: str) -> list[int]:
        unk = self.ids["[UNK]"]
        return [self.ids.get(c, unk) for c in text]


# The shipped tables are KBs; an index of a larger corpus stays far below these.
MAX_TABLE_BYTES = 64 * 2**20


def _read_npz(path: Path, names: dict) -> dict[str, np.ndarray]:
    from core.io.safe_weights import read_npz

    return read_npz(path, names, error_cls=ModelError, max_bytes=MAX_TABLE_BYTES,
                    max_array_bytes=MAX_TABLE_BYTES)


def read_char_tables(folder: Path) -> dict[str, np.ndarray]:
    """``char_tables.npz``'s groups and levels, range-checked; {} where there is none."""
    path = folder / "char_tables.npz"
    if not os.path.lexists(path):  # lexists: a dangling symlink is reported, not skipped
        return {}
    z = _read_npz(path, {"groups": ("i", "u"), "levels": ("i", "u")})
    # the values index GROUP_NAMES and compare with 0/1: out of range would be a traceback
    # (or a silently wrong rhyme) far from the file that caused it
    for name, hi in (("groups", len(GROUP_NAMES) - 1), ("levels", 1)):
        a = z[name]
        if a.ndim != 1 or (a.size and not (-1 <= int(a.min()) and int(a.max()) <= hi)):
            raise ModelError(f"not valid character tables: {name!r} needs one value in "
                             f"-1..{hi} per token", path)
    return z


def read_neighbours(folder: Path) -> np.ndarray | None:
    """``cooc.npz``'s neighbour ids (-1 for none), or None where there is no file."""
    path = folder / "cooc.npz"
    if not os.path.lexists(path):
        return None
    out = _read_npz(path, {"neighbours": ("i", "u")})["neighbours"]
    if out.ndim != 2 or (out.size and int(out.min()) < -1):
        raise ModelError(f"not a valid neighbour table: 'neighbours' must be rows of token "
                         f"ids (found shape {out.shape})", path)
    return out


def check_zh_files(path: Path):
    """Every table of the folder read and checked before torch and transformers are
    imported (seconds): a broken file is one line naming it, at once. The tables are a few
    kB and read again when used; the originality index (megabytes) is returned, or None."""
    from tokenizers import Tokenizer

    from core.lyrics.gpt2_weights import check_tokenizer_files
    from core.lyrics.zh.originality import ZhOriginalityIndex

    check_tokenizer_files(path)  # regular files, sizes, safe JSON: then the parser may read it
    try:  # the Rust parser alone (milliseconds), before transformers
        Tokenizer.from_file(str(path / "tokenizer.json"))
    except Exception as exc:  # noqa: BLE001 - tokenizers raises a bare Exception
        reason = " ".join(str(exc).split())[:200]
        raise ModelError(f"not a usable tokenizer ({reason})", path / "tokenizer.json") from None
    PatternBook.load(path / "patterns.json")  # cached by path
    read_char_tables(path)
    read_neighbours(path)
    if os.path.lexists(path / "corpus_index.npz"):
        return ZhOriginalityIndex.load(path / "corpus_index.npz")
    return None


def load_zh_model(folder: str | Path | None = None) -> ZhModel:
    path = Path(folder).expanduser() if folder else bundled_zh_dir()
    key = str(path.resolve())
    with _lock:
        if key in _cache:
            return _cache[key]
        for name in ("config.json", "model.safetensors", "tokenizer.json", "patterns.json"):
            if not os.path.lexists(path / name):  # a dangling link: the reader says so
                raise ModelError(f"not a Chinese lyrics model folder ({name} is missing)", path)
        index = check_zh_files(path)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import PreTrainedTokenizerFast
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars are noise on a CLI

        from core.lyrics.gpt2_weights import build_gpt2, check_gpt2_folder, verify_gpt2_weights

        # The weights go through the same verification as the English model's: one
        # model.safetensors (an index or shard could point transformers at a pickle), every
        # tensor the config implies, finite values; transformers never reads them.
        config, _ = check_gpt2_folder(path, english_index=False)
        model = build_gpt2(config, verify_gpt2_weights(path, config), path)
        try:
            tok = PreTrainedTokenizerFast(tokenizer_file=str(path / "tokenizer.json"),
                                          bos_token="[BOS]", eos_token="[EOS]",
                                          unk_token="[UNK]", pad_token="[PAD]",
                                          sep_token="[SEP]")
        except Exception as exc:  # noqa: BLE001 - tokenizers raises a bare Exception for valid
            # JSON of the wrong layout ("invalid type: map, expected a string")
            reason = " ".join(str(exc).split())[:200]
            raise ModelError(f"not a usable tokenizer ({reason})", path / "tokenizer.json") \
                from None
        if model.config.vocab_size < len(tok):
            raise ModelError("the tokenizer has more tokens than the model", path)
        model.eval()
        zh = ZhModel(model, tok, path)
        if index is not None:
            zh.__dict__["index"] = index  # what the cached property would read again
        if "[L1]" not in zh.ids or "[R-]" not in zh.ids:
            raise ModelError("the tokenizer lacks the line tags this writer needs", path)
        _cache[key] = zh
        return zh
