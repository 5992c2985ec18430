"""Finding and loading a lyrics model: the bundled GPT-2, a local folder, or the HF cache.

Always offline (``local_files_only`` and ``HF_HUB_OFFLINE``), never ``trust_remote_code``,
and safetensors only in substance, not just by name: the weights are read and verified by
core/lyrics/gpt2_weights.py (one ``model.safetensors``, every tensor the config implies,
finite values), never by transformers. A folder that is missing, corrupt or not a GPT-2
causal LM gives a one-line ModelError naming the file and the reason.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ModelError
from core.lyrics.gpt2_weights import (  # noqa: F401 - FORMAT_FILE: re-exported
    FORMAT_FILE,
    WEIGHTS_FILE,
    build_gpt2,
    check_gpt2_folder,
    verify_gpt2_weights,
)

BUNDLED_NAME = "lyrics-gpt2"
TAGGED_FORMAT = "songloom-tagged-lines-v1"
# The GPT-2 family: what our decoder's hand-written forward pass implements.
GPT2_TYPES = {"gpt2"}

_cache: dict[tuple, LyricsModel] = {}
_lock = threading.Lock()


@dataclass
class LyricsModel:
    model: object  # transformers GPT2LMHeadModel, eval mode
    tokenizer: object  # a fast tokenizer
    folder: Path
    device: str = "cpu"
    # True for models trained by Songloom: lines carry a "[syllables lastword]" tag.
    tagged: bool = False
    info: dict = field(default_factory=dict)

    @property
    def eos_id(self) -> int:
        eos = self.tokenizer.eos_token_id
        return int(eos) if eos is not None else 0


def bundled_model_dir() -> Path:
    from core.paths import models_dir

    return models_dir() / BUNDLED_NAME


def resolve_model_dir(folder: str | Path | None) -> Path:
    """A local folder as given, else a model name looked up in the HF cache (offline)."""
    if folder is None:
        path = bundled_model_dir()
        if not (path / "config.json").exists():
            raise ModelError("the bundled lyrics model is missing from this installation", path)
        return path
    path = Path(folder).expanduser()
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise ModelError("not a model folder (expected a folder with config.json)", path)
        return path
    name = str(folder)
    if name.count("/") <= 1 and not name.startswith((".", "/", "~")):
        try:
            from huggingface_hub import snapshot_download

            # The cache folder is read per call (not at import) so HF_HUB_CACHE set later counts.
            cache = os.environ.get("HF_HUB_CACHE") or None
            return Path(snapshot_download(name, local_files_only=True, cache_dir=cache))
        except Exception:  # noqa: BLE001 - any failure means: not in the cache
            pass
    raise ModelError(
        "no such folder, and no model of that name in the Hugging Face cache "
        "(Songloom never downloads; put the model in a local folder)", folder
    )


def _weight_files(path: Path) -> list[Path]:
    """The weights file whose change time keys the cache (there is only ever one)."""
    return [path / WEIGHTS_FILE]


def check_model_folder(folder: str | Path | None) -> tuple[Path, dict, dict]:
    """(folder, config, songloom.json) of a lyrics model whose every file checks out,
    without importing torch: a bad folder is refused in a fraction of a second.
    The weights themselves are verified by ``verify_lyrics_model``."""
    path = resolve_model_dir(folder).resolve()
    config, fmt = check_gpt2_folder(path)
    return path, config, fmt


@dataclass
class VerifiedLyricsModel:
    """A folder whose files and weights passed every check; ``load_lyrics_model`` builds
    the network from it. Verifying first lets a command refuse a bad folder before it
    spends seconds importing torch."""

    folder: Path
    config: dict
    fmt: dict
    arrays: dict
    stamp: int


def verify_lyrics_model(folder: str | Path | None) -> VerifiedLyricsModel:
    path, config, fmt = check_model_folder(folder)
    weights = path / WEIGHTS_FILE
    try:
        stamp = weights.stat().st_mtime_ns
    except OSError as exc:
        raise ModelError(f"cannot read the weights ({exc.strerror or exc})", weights) from None
    return VerifiedLyricsModel(path, config, fmt, verify_gpt2_weights(path, config), stamp)


def load_lyrics_model(folder: str | Path | VerifiedLyricsModel | None = None, device: str = "cpu",
                      cached: bool = True) -> LyricsModel:
    """Load (once per folder and device) a GPT-2 model and its tokenizer, offline.

    Transformers never reads the weights: core/lyrics/gpt2_weights.py verifies the one
    ``model.safetensors`` against the config and builds the network from it, so no index,
    shard or pickle in the folder can be followed. ``folder`` may be the result of
    ``verify_lyrics_model``. ``cached=False`` gives a private copy (training changes the
    weights it holds).
    """
    if isinstance(folder, VerifiedLyricsModel):
        verified = folder
        path = verified.folder
        key = (str(path), device, verified.stamp)
    else:
        verified = None
        path = resolve_model_dir(folder).resolve()
        try:  # the cache key only: a miss verifies everything below
            stamp = (path / WEIGHTS_FILE).stat().st_mtime_ns
        except (OSError, ValueError):
            stamp = None
        key = (str(path), device, stamp)
    with _lock:
        if cached and key in _cache:
            fit_cpu_threads(_cache[key])
            return _cache[key]
    verified = verified or verify_lyrics_model(path)
    config, fmt = verified.config, verified.fmt
    key = (str(path), device, verified.stamp)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import transformers
        from transformers import AutoTokenizer

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()  # one line of output, not a bar
        model = build_gpt2(config, verified.arrays, path)
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True,
                                                  trust_remote_code=False)
        # A hostile tokenizer_config.json (a list where a number belongs, say) loads but
        # fails on first use, mid-request: use it once here, so it fails now, as ModelError.
        ids = tokenizer("[8 hill] the stars above\n", truncation=True)["input_ids"]
        tokenizer.decode(ids)
        if ids and max(ids) >= config["vocab_size"]:
            raise ModelError(f"the tokenizer gives token {max(ids)}, beyond the model's "
                             f"vocabulary of {config['vocab_size']}", path)
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - corrupt files surface as many exception types
        reason = " ".join(str(exc).split())[:300]
        raise ModelError(f"cannot load the model: {type(exc).__name__}: {reason}", path) from None
    model.to(device).eval()
    lm = LyricsModel(
        model=model, tokenizer=tokenizer, folder=path, device=device,
        tagged=fmt.get("format") == TAGGED_FORMAT, info={"config": config, **fmt},
    )
    if not cached:
        return lm
    from core.lyrics.constraints import warm_up

    warm_up(lm)  # dictionaries and indexes load with the model, not in the first request
    with _lock:
        _cache[key] = lm
    fit_cpu_threads(lm)
    return lm


# Below this size a decoding step is ~40 tiny ops of tens of microseconds each: a second
# intra-op thread cannot speed them up, and when the other core is busy (a DAW, a browser, a
# training job) every op waits for it — measured here: 4 lines of 8 syllables took 18-28 s with
# torch's default 2 threads on a loaded 2-core machine, 0.25-0.37 s with one.
SMALL_MODEL_PARAMS = 30_000_000
_default_threads: int | None = None


def fit_cpu_threads(lm: LyricsModel) -> int:
    """Set torch's intra-op threads for decoding ``lm`` on the CPU: one for a small model
    (the bundled one), the process's earlier setting for GPT-2-small and larger. Returns it."""
    global _default_threads
    import torch

    if _default_threads is None:
        _default_threads = torch.get_num_threads()
    if lm.device != "cpu":
        return torch.get_num_threads()
    n_params = sum(p.numel() for p in lm.model.parameters())
    threads = 1 if n_params < SMALL_MODEL_PARAMS else _default_threads
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads


def clear_cache() -> None:
    with _lock:
        _cache.clear()
