"""A GPT-2 lyrics model folder, verified file by file before torch or transformers see it.

Why not ``from_pretrained(use_safetensors=True)``: given a junk ``model-00001-of-00001
.safetensors`` and a ``model.safetensors.index.json`` mapping every tensor to a
``weights.bin``, transformers followed the index and unpickled the ``.bin``. So Songloom
no longer lets transformers read weights at all. ``check_gpt2_folder`` checks the folder
(config sizes, one ``model.safetensors`` and no index or shards, tokenizer files, the
optional ``songloom.json`` and ``corpus_index.npz``); ``verify_gpt2_weights`` reads the
weights through core/io/safe_weights.load_verified_safetensors against the shapes the
config implies (every tensor present, none unknown, finite values); ``build_gpt2`` puts
them into a transformers ``GPT2LMHeadModel`` built from the config alone.

All of it runs before torch is imported, so a bad folder is refused in a fraction of a
second. Any GPT-2-architecture folder (the bundled English model, a Chinese one, a
fine-tune) goes through the same functions.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import numpy as np

from core.errors import ModelError
from core.io.regular_file import check_regular
from core.io.safe_json import bounded_int, load_json_file
from core.io.safe_weights import load_verified_safetensors, read_safetensors_header

WEIGHTS_FILE = "model.safetensors"
FORMAT_FILE = "songloom.json"
INDEX_FILE = "corpus_index.npz"
TOKENIZER_FILES = ("tokenizer.json", "vocab.json", "vocab.txt")
TOKENIZER_SIDE_FILES = ("tokenizer_config.json", "special_tokens_map.json", "merges.txt",
                        "added_tokens.json")
MAX_TOKENIZER_BYTES = 64 * 2**20
MAX_WEIGHT_BYTES = 4 * 2**30  # GPT-2 large (774M parameters) is 3.1 GB in float32
MAX_PARAMS = 1_000_000_000
# (low, high): far beyond the GPT-2 family (GPT-2 XL: 1600 wide, 48 layers, 25 heads).
CONFIG_LIMITS = {
    "vocab_size": (1, 1_000_000),
    "n_positions": (1, 32_768),
    "n_embd": (1, 8_192),
    "n_layer": (1, 128),
    "n_head": (1, 256),
}
_BUFFERS = (".attn.bias", ".attn.masked_bias")  # causal masks older checkpoints stored


def read_gpt2_config(folder: str | Path) -> dict:
    """``config.json`` of a GPT-2 folder, with every size bounded."""
    path = Path(folder) / "config.json"
    if not (path.exists() or path.is_symlink()):
        raise ModelError("not a model folder: config.json is missing", folder)
    config = load_json_file(path, error_cls=ModelError, what="model config")
    model_type = config.get("model_type")
    if model_type != "gpt2":
        raise ModelError(
            f"not a GPT-2 causal language model (model_type {str(model_type)[:40]!r}); "
            "Songloom writes lyrics with GPT-2-family models only", folder)
    if "auto_map" in config:
        raise ModelError("config.json asks to run the model's own code (auto_map); Songloom "
                         "never runs code from a model folder (no trust_remote_code)", folder)
    archs = config.get("architectures")
    if archs is not None and not (isinstance(archs, list) and any(
            isinstance(a, str) and a.endswith(("LMHeadModel", "ForCausalLM")) for a in archs)):
        raise ModelError(f"not a causal language model (architectures {str(archs)[:60]}); "
                         "Songloom writes lyrics with GPT-2 language models (GPT2LMHeadModel)",
                         folder)
    for name, (lo, hi) in CONFIG_LIMITS.items():
        if name in config or name != "n_positions":
            bounded_int(config.get(name), name, lo, hi, error_cls=ModelError, path=path)
    if config["n_embd"] % config["n_head"]:
        raise ModelError(f"n_embd {config['n_embd']} is not a multiple of n_head "
                         f"{config['n_head']}", path)
    if config.get("n_inner") is not None:
        bounded_int(config["n_inner"], "n_inner", 1, 65_536, error_cls=ModelError, path=path)
    for flag in ("tie_word_embeddings", "add_cross_attention"):
        if not isinstance(config.get(flag, flag == "tie_word_embeddings"), bool):
            raise ModelError(f"{flag} must be true or false", path)
    if config.get("add_cross_attention"):
        raise ModelError("a GPT-2 with cross-attention is not a plain language model", path)
    params = sum(math.prod(s) for s in gpt2_shapes(config).values())
    if params > MAX_PARAMS:
        raise ModelError(f"the config describes {params / 1e6:,.0f}M parameters (at most "
                         f"{MAX_PARAMS / 1e6:,.0f}M)", path)
    return config


def gpt2_shapes(config: dict, prefix: str = "transformer.") -> dict[str, tuple[int, ...]]:
    """Every tensor of a GPT2LMHeadModel with ``config``, and its shape (Conv1D weights
    are stored in x out)."""
    d, vocab, layers = config["n_embd"], config["vocab_size"], config["n_layer"]
    inner = config.get("n_inner") or 4 * d
    shapes = {f"{prefix}wte.weight": (vocab, d),
              f"{prefix}wpe.weight": (config.get("n_positions", 1024), d)}
    for i in range(layers):
        h = f"{prefix}h.{i}."
        shapes.update({
            h + "ln_1.weight": (d,), h + "ln_1.bias": (d,),
            h + "attn.c_attn.weight": (d, 3 * d), h + "attn.c_attn.bias": (3 * d,),
            h + "attn.c_proj.weight": (d, d), h + "attn.c_proj.bias": (d,),
            h + "ln_2.weight": (d,), h + "ln_2.bias": (d,),
            h + "mlp.c_fc.weight": (d, inner), h + "mlp.c_fc.bias": (inner,),
            h + "mlp.c_proj.weight": (inner, d), h + "mlp.c_proj.bias": (d,),
        })
    shapes.update({f"{prefix}ln_f.weight": (d,), f"{prefix}ln_f.bias": (d,)})
    if not config.get("tie_word_embeddings", True):
        shapes["lm_head.weight"] = (vocab, d)
    return shapes


def _check_weight_files(folder: Path) -> Path:
    """The one weights file: refuse pickles, shards and index files, which could point
    the loader anywhere."""
    names = sorted(p.name for p in folder.iterdir())
    index = [n for n in names if n.endswith(".index.json")]
    if index:
        raise ModelError(f"{index[0]}: sharded checkpoints and index files are not accepted "
                         f"(an index can point to pickle files); Songloom loads one "
                         f"{WEIGHTS_FILE}", folder)
    shards = [n for n in names if n.startswith("model-") and n.endswith(".safetensors")]
    if shards:
        raise ModelError(f"{shards[0]}: sharded checkpoints are not accepted; merge the "
                         f"shards into one {WEIGHTS_FILE}", folder)
    weights = folder / WEIGHTS_FILE
    if not (weights.exists() or weights.is_symlink()):
        if any(n.endswith((".bin", ".pt", ".pth", ".ckpt", ".pkl")) for n in names):
            raise ModelError(
                "only pickle weights (.bin/.pt) here; Songloom loads safetensors only "
                "for safety - convert the model with save_pretrained(safe_serialization=True)",
                folder)
        raise ModelError(f"no model weights ({WEIGHTS_FILE}) in this folder", folder)
    check_regular(weights, error_cls=ModelError, kind="a safetensors weights file")  # a
    # dangling or looping symlink, a FIFO: named here, before anything else reads it
    return weights


def _prefix(weights: Path) -> str:
    """'transformer.' for save_pretrained's names, '' for the original GPT-2 files."""
    tensors, _ = read_safetensors_header(weights, error_cls=ModelError,
                                         max_bytes=MAX_WEIGHT_BYTES)
    return "" if "wte.weight" in tensors and "transformer.wte.weight" not in tensors \
        else "transformer."


def verify_gpt2_weights(folder: str | Path, config: dict) -> dict[str, np.ndarray]:
    """The weights of a GPT-2 folder as float32 arrays named as GPT2LMHeadModel names them,
    verified against ``config`` (from ``read_gpt2_config``): header, every tensor's shape
    and dtype, no tensor missing or unknown, finite values. ModelError otherwise."""
    folder = Path(folder)
    weights = _check_weight_files(folder)
    prefix = _prefix(weights)
    shapes = gpt2_shapes(config, prefix)
    tied = config.get("tie_word_embeddings", True)

    def ignorable(name: str) -> bool:
        return name.endswith(_BUFFERS) or (tied and name == "lm_head.weight")

    arrays = load_verified_safetensors(weights, shapes, error_cls=ModelError,
                                       max_bytes=MAX_WEIGHT_BYTES, ignorable=ignorable)
    if prefix == "":
        arrays = {(k if k == "lm_head.weight" else "transformer." + k): v
                  for k, v in arrays.items()}
    return arrays


def read_format(folder: Path) -> dict:
    """``songloom.json`` (Songloom's own notes on the model), or {} where there is none."""
    path = folder / FORMAT_FILE
    if not (path.exists() or path.is_symlink()):
        return {}
    return load_json_file(path, error_cls=ModelError, what="songloom.json")


def check_tokenizer_files(folder: Path) -> None:
    if not any((folder / n).exists() or (folder / n).is_symlink() for n in TOKENIZER_FILES):
        raise ModelError("no tokenizer files (tokenizer.json or vocab.json) in this folder",
                         folder)
    for name in TOKENIZER_FILES + TOKENIZER_SIDE_FILES:
        path = folder / name
        if not (path.exists() or path.is_symlink()):
            continue
        st = check_regular(path, error_cls=ModelError, kind="a tokenizer file")
        if st.st_size > MAX_TOKENIZER_BYTES:
            raise ModelError(f"too large for a tokenizer file ({st.st_size // 2**20} MiB)", path)
        if name.endswith(".json"):
            doc = load_json_file(path, error_cls=ModelError, what=name,
                                 max_bytes=MAX_TOKENIZER_BYTES, max_depth=64, expect=None)
            if name == "tokenizer_config.json" and isinstance(doc, dict) and "auto_map" in doc:
                raise ModelError("the tokenizer asks to run its own code (auto_map); Songloom "
                                 "never runs code from a model folder (no trust_remote_code)",
                                 path)


def check_gpt2_folder(folder: str | Path, english_index: bool = True) -> tuple[dict, dict]:
    """(config, songloom.json) of a GPT-2 folder whose every file checks out; the weights
    are verified separately (``verify_gpt2_weights``), as reading them is the slow part.
    ``english_index=False`` for a model whose corpus_index.npz has another layout (the
    Chinese model's: its own loader checks it)."""
    folder = Path(folder)
    config = read_gpt2_config(folder)
    _check_weight_files(folder)
    check_tokenizer_files(folder)
    fmt = read_format(folder)
    if english_index and ((folder / INDEX_FILE).exists() or (folder / INDEX_FILE).is_symlink()):
        from core.lyrics.originality import OriginalityIndex

        OriginalityIndex.load(folder)  # a corrupt index is an error now, not mid-request
    return config, fmt


def _no_init():
    try:
        from transformers.initialization import no_init_weights
    except ImportError:
        try:
            from transformers.modeling_utils import no_init_weights
        except ImportError:
            return contextlib.nullcontext()
    return no_init_weights()


def build_gpt2(config: dict, arrays: dict[str, np.ndarray], folder: Path):
    """A GPT2LMHeadModel (eval mode, float32) from the config and verified weights only."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    try:
        cfg = GPT2Config.from_dict({k: v for k, v in config.items() if k != "auto_map"})
        with _no_init():
            model = GPT2LMHeadModel(cfg)
    except Exception as exc:  # noqa: BLE001 - any value transformers rejects
        raise ModelError(f"invalid model config ({type(exc).__name__}: "
                         f"{' '.join(str(exc).split())[:200]})", folder / "config.json") from None
    state = {k: torch.from_numpy(v) for k, v in arrays.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    allowed_missing = {"lm_head.weight"} if config.get("tie_word_embeddings", True) else set()
    if set(missing) - allowed_missing or unexpected:
        raise ModelError(f"the weights do not fit GPT-2 (missing {sorted(missing)[:3]}, "
                         f"unexpected {sorted(unexpected)[:3]})", folder / WEIGHTS_FILE)
    if config.get("tie_word_embeddings", True):
        model.tie_weights()
    return model.float().eval()
