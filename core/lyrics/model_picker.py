"""Which lyrics models this computer has: the bundled one, GPT-2 folders, the HF cache.

The model picker (the Generate panel's Model list, ``songloom-cli lyrics --list-models``)
shows every GPT-2-family causal language model found in

- the bundled model folder;
- the folders given (the Settings dialog's lyrics-model folder, folders chosen before),
  each either a model folder itself or a folder of model folders;
- Songloom's own models folder in the user data folder (``<data>/models``);
- an existing Hugging Face cache (``HF_HUB_CACHE`` / ``HF_HOME`` / ``~/.cache/huggingface``),
  read from disk only: nothing is ever downloaded.

Each candidate gets the same checks as loading does, without reading the weights (so the
list is quick): a GPT-2 config, a causal LM head, no request to run the model's own code,
one ``model.safetensors``, tokenizer files. Folders that are not GPT-2 at all are left
out; GPT-2 folders that cannot be used are listed with the reason.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from core.errors import ModelError

MAX_SCAN = 400  # folders looked at per root: a picker must not crawl a whole disk


@dataclass(frozen=True)
class ModelEntry:
    name: str  # what the picker shows: the folder's name, or the HF repo id
    path: Path
    source: str  # "bundled", "folder" or "hf-cache"
    params_m: float | None = None
    tagged: bool = False  # trained by Songloom: line tags for syllables and end words
    problem: str | None = None  # why it cannot be used; None when it can

    @property
    def usable(self) -> bool:
        return self.problem is None


def _is_gpt2(folder: Path) -> bool:
    try:
        with open(folder / "config.json", encoding="utf-8") as fh:
            config = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and config.get("model_type") == "gpt2"


def describe(folder: Path, name: str, source: str) -> ModelEntry:
    """One folder as a picker entry: checked like loading checks it (weights unread)."""
    from core.lyrics.gpt2_weights import check_gpt2_folder, gpt2_shapes
    from core.lyrics.model_store import TAGGED_FORMAT

    try:
        config, fmt = check_gpt2_folder(folder)
    except ModelError as exc:
        return ModelEntry(name, folder, source, problem=exc.reason)
    params = sum(_prod(s) for s in gpt2_shapes(config).values()) / 1e6
    return ModelEntry(name, folder, source, round(params, 1), fmt.get("format") == TAGGED_FORMAT)


def _prod(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _model_folders(root: Path) -> list[Path]:
    """``root`` itself when it holds a GPT-2 config, else its subfolders (two levels) that do."""
    if not root.is_dir():
        return []
    if (root / "config.json").exists():
        return [root] if _is_gpt2(root) else []
    found, seen = [], 0
    for child in sorted(root.iterdir()):
        for sub in [child, *(sorted(child.iterdir()) if child.is_dir() else [])]:
            seen += 1
            if seen > MAX_SCAN:
                return found
            if sub.is_dir() and (sub / "config.json").exists() and _is_gpt2(sub):
                found.append(sub)
    return found


def hf_cache_dir() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def hf_cache_models(cache: Path | None = None) -> list[tuple[str, Path]]:
    """(repo id, snapshot folder) of each GPT-2 model in the cache: the snapshot its
    ``refs/main`` names, else the newest one."""
    cache = cache or hf_cache_dir()
    out = []
    if not cache.is_dir():
        return out
    for repo in sorted(cache.glob("models--*"))[:MAX_SCAN]:
        snapshots = repo / "snapshots"
        if not snapshots.is_dir():
            continue
        ref = repo / "refs" / "main"
        snap = None
        if ref.is_file():
            snap = snapshots / ref.read_text(encoding="utf-8", errors="replace").strip()
        if snap is None or not snap.is_dir():
            candidates = [p for p in snapshots.iterdir() if p.is_dir()]
            snap = max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None
        if snap is not None and _is_gpt2(snap):
            out.append((repo.name[len("models--"):].replace("--", "/"), snap))
    return out


def list_lyrics_models(folders: list[str | Path] = (), hf_cache: bool = True,
                       user_models: bool = True) -> list[ModelEntry]:
    """The picker's list (see the module docstring): bundled first, no folder twice."""
    from core.lyrics.model_store import bundled_model_dir

    entries: list[ModelEntry] = []
    seen: set[Path] = set()

    def add(folder: Path, name: str, source: str) -> None:
        key = folder.resolve()
        if key not in seen:
            seen.add(key)
            entries.append(describe(folder, name, source))

    bundled = bundled_model_dir()
    if (bundled / "config.json").exists():
        add(bundled, "Bundled lyrics model", "bundled")
    roots = [Path(f).expanduser() for f in folders if str(f).strip()]
    if user_models:
        from core.paths import user_data_dir

        roots.append(user_data_dir() / "models")
    for root in roots:
        for folder in _model_folders(root):
            add(folder, folder.name, "folder")
    if hf_cache:
        for repo_id, snap in hf_cache_models():
            add(snap, repo_id, "hf-cache")
    return entries
