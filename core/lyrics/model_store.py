"""Finding and loading a lyrics model: the bundled GPT-2, a local folder, or the HF cache.

Always offline (``local_files_only`` and ``HF_HUB_OFFLINE``), safetensors only, never
``trust_remote_code``. A folder that is missing, corrupt or not a GPT-2 causal LM gives a
one-line ModelError naming the folder and the reason.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ModelError

BUNDLED_NAME = "lyrics-gpt2"
FORMAT_FILE = "songloom.json"
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
    if path.exists():
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
    """model.safetensors or its shards (not optimizer.safetensors, which training keeps)."""
    return [p for p in path.glob("model*.safetensors")]


def _check_folder(path: Path) -> dict:
    config_path = path / "config.json"
    if not config_path.exists():
        raise ModelError("not a model folder: config.json is missing", path)
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"config.json is not valid JSON ({exc})", path) from None
    if not isinstance(config, dict):
        raise ModelError("config.json is not a model configuration", path)
    model_type = config.get("model_type")
    if model_type not in GPT2_TYPES:
        raise ModelError(
            f"not a GPT-2 causal language model (model_type {model_type!r}); "
            "Songloom writes lyrics with GPT-2-family models only", path
        )
    if not _weight_files(path):
        if list(path.glob("*.bin")) or list(path.glob("*.pt")):
            raise ModelError(
                "only pickle weights (.bin/.pt) here; Songloom loads safetensors only "
                "for safety - convert the model with save_pretrained(safe_serialization=True)",
                path,
            )
        raise ModelError("no model weights (*.safetensors) in this folder", path)
    if not ((path / "tokenizer.json").exists() or (path / "vocab.json").exists()):
        raise ModelError("no tokenizer files (tokenizer.json or vocab.json) in this folder", path)
    return config


def load_lyrics_model(folder: str | Path | None = None, device: str = "cpu", cached: bool = True) -> LyricsModel:
    """Load (once per folder and device) a GPT-2 model and its tokenizer, offline.

    ``cached=False`` gives a private copy (training changes the weights it holds).
    """
    path = resolve_model_dir(folder).resolve()
    stamp = max((p.stat().st_mtime_ns for p in _weight_files(path)), default=0)
    key = (str(path), device, stamp)
    with _lock:
        if cached and key in _cache:
            fit_cpu_threads(_cache[key])
            return _cache[key]
    config = _check_folder(path)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import transformers
        from transformers import AutoModelForCausalLM, AutoTokenizer

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()  # one line of output, not a bar
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(
            str(path), local_files_only=True, use_safetensors=True, trust_remote_code=False
        )
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - corrupt files surface as many exception types
        raise ModelError(f"cannot load the model: {type(exc).__name__}: {exc}", path) from None
    model.to(device).eval()
    fmt = {}
    if (path / FORMAT_FILE).exists():
        try:
            fmt = json.loads((path / FORMAT_FILE).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            fmt = {}
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
