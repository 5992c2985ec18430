"""The music model folder's config and weights, checked before anything is allocated.

A config is a user's file like any other: ``z_dim`` 10**9 once made the sampler ask for
24 GB, ``Infinity`` or ``-1`` raised deep inside numpy, and a transposed tensor failed in
the middle of a matrix product. Here every size is bounded, the tensors each layer needs
are computed from the config (the same layers core/music/model.py builds in torch and
core/music/numpy_net.py runs), and the weights are loaded through
core/io/safe_weights.load_verified_safetensors, which refuses missing, unknown,
wrongly-shaped and non-finite tensors.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.errors import ModelError
from core.io.safe_json import bounded_int, load_json_file
from core.io.safe_weights import load_verified_safetensors
from core.model.pianoroll import BAR_STEPS, N_PITCHES, N_TRACKS, PHRASE_BARS

CONFIG_FILE = "config.json"
GENERATOR_FILE = "generator.safetensors"
CRITIC_FILE = "critic.safetensors"
# A config names the styles it was trained on ("styles", in conditioning order); models
# from before the pop style name none and have these two.
LEGACY_STYLES = ("lieder", "chorale")
MAX_STYLES = 32
TEMPORAL_REACH = 3
# (low, high, multiple of): the shipped model uses 32 / 64 / 128 / 64 / 256. The highs keep
# a hostile config from asking for gigabytes; g_channels halves three times in the bar
# generator and d_channels once in the critic, so they must divide by 8 and 2.
SIZE_LIMITS = {
    "z_dim": (1, 1024, 1),
    "ctx_dim": (1, 4096, 1),
    "g_channels": (8, 2048, 8),
    "d_channels": (2, 1024, 2),
    "d_hidden": (1, 4096, 1),
}
MAX_WEIGHT_BYTES = 512 * 2**20  # the shipped generator is 4 MB


def read_config(folder: str | Path) -> dict:
    """``config.json`` with every size checked (the other keys are training notes)."""
    path = Path(folder) / CONFIG_FILE
    config = load_json_file(path, error_cls=ModelError, what="model config")
    for name, (lo, hi, step) in SIZE_LIMITS.items():
        if name not in config:
            raise ModelError(f"missing or invalid model config: no {name!r}", path)
        value = bounded_int(config[name], name, lo, hi, error_cls=ModelError, path=path)
        if value % step:
            raise ModelError(f"{name} {value} must be a multiple of {step}", path)
    styles = config.get("styles", list(LEGACY_STYLES))
    if (not isinstance(styles, list) or not 1 <= len(styles) <= MAX_STYLES
            or not all(isinstance(s, str) and 0 < len(s) <= 40 for s in styles)
            or len(set(styles)) != len(styles)):
        raise ModelError("invalid model config: 'styles' must be a list of 1 to "
                         f"{MAX_STYLES} distinct style names", path)
    config["styles"] = tuple(styles)
    return config


def cond_dim(config: dict) -> int:
    """Style slots + 12 keys + 2 modes (model.GanConfig.cond_dim, without torch)."""
    return len(config.get("styles", LEGACY_STYLES)) + 12 + 2


def generator_shapes(config: dict) -> dict[str, tuple[int, ...]]:
    """Every generator tensor and its shape, as model.Generator names them."""
    z, ctx, ch = config["z_dim"], config["ctx_dim"], config["g_channels"]
    shapes: dict[str, tuple[int, ...]] = {
        "context.weight": (ctx, N_TRACKS * BAR_STEPS * N_PITCHES),
        "context.bias": (ctx,),
    }
    for name in ["temporal", *(f"private_temporal.{t}" for t in range(N_TRACKS))]:
        shapes.update({
            f"{name}.fc1.weight": (2 * z, TEMPORAL_REACH * z), f"{name}.fc1.bias": (2 * z,),
            f"{name}.fc2.weight": (z, 2 * z), f"{name}.fc2.bias": (z,),
        })
    in_dim = 4 * z + cond_dim(config) + ctx
    for t in range(N_TRACKS):
        p = f"bars.{t}"
        shapes.update({
            f"{p}.fc.weight": (ch * 4, in_dim), f"{p}.fc.bias": (ch * 4,),
            f"{p}.up_octave.weight": (ch, ch // 2, 1, 7), f"{p}.up_octave.bias": (ch // 2,),
            f"{p}.up_time1.weight": (ch // 2, ch // 4, 2, 1), f"{p}.up_time1.bias": (ch // 4,),
            f"{p}.up_time2.weight": (ch // 4, ch // 8, 2, 1), f"{p}.up_time2.bias": (ch // 8,),
            f"{p}.up_pitch.weight": (ch // 8, 2, 1, 12), f"{p}.up_pitch.bias": (2,),
        })
    return shapes


def critic_shapes(config: dict) -> dict[str, tuple[int, ...]]:
    """Every critic tensor and its shape, as model.Critic names them."""
    c, hidden, span = config["d_channels"], config["d_hidden"], 1 + PHRASE_BARS
    chroma_in = N_TRACKS * 13
    feat = 2 * c * span + c * span
    return {
        "pitch.weight": (c // 2, N_TRACKS * 2, 1, 12), "pitch.bias": (c // 2,),
        "beat.weight": (c, c // 2, 4, 1), "beat.bias": (c,),
        "bar.weight": (c, c, 4, 1), "bar.bias": (c,),
        "octave.weight": (2 * c, c, 1, 7), "octave.bias": (2 * c,),
        "chroma_beat.weight": (c // 2, chroma_in, 4), "chroma_beat.bias": (c // 2,),
        "chroma_bar.weight": (c, c // 2, 4), "chroma_bar.bias": (c,),
        "fc.weight": (hidden, feat + 1 + cond_dim(config)), "fc.bias": (hidden,),
        "out.weight": (1, hidden), "out.bias": (1,),
        "embed.weight": (hidden, cond_dim(config)),
    }


def _nbytes(shapes: dict[str, tuple[int, ...]]) -> int:
    return sum(int(np.prod(s)) * 4 for s in shapes.values())


def load_weights(folder: str | Path, config: dict) -> tuple[dict, dict | None]:
    """(generator, critic or None) as float32 arrays, each tensor checked against ``config``."""
    folder = Path(folder)
    gen_shapes = generator_shapes(config)
    if _nbytes(gen_shapes) > MAX_WEIGHT_BYTES:
        raise ModelError("the config asks for a generator larger than "
                         f"{MAX_WEIGHT_BYTES // 2**20} MiB", folder / CONFIG_FILE)
    generator = load_verified_safetensors(folder / GENERATOR_FILE, gen_shapes,
                                          error_cls=ModelError, max_bytes=MAX_WEIGHT_BYTES)
    critic_file = folder / CRITIC_FILE
    critic = None
    if critic_file.exists() or critic_file.is_symlink():
        shapes = critic_shapes(config)
        if _nbytes(shapes) > MAX_WEIGHT_BYTES:
            raise ModelError("the config asks for a critic larger than "
                             f"{MAX_WEIGHT_BYTES // 2**20} MiB", folder / CONFIG_FILE)
        critic = load_verified_safetensors(critic_file, shapes,
                                           error_cls=ModelError, max_bytes=MAX_WEIGHT_BYTES)
    return generator, critic
