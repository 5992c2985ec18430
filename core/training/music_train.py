"""Training the music GAN (WGAN-GP) with progress, ETA and resumable safetensors checkpoints.

``songloom-cli train music --data DIR --out DIR [--steps N] [--resume]`` calls ``train``.
Checkpoints hold the generator, its exponential moving average (what ships: EMA weights
give steadier samples after short training), the critic and both Adam states, all as
safetensors plus a JSON of counters; nothing is pickled.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.errors import SongloomError
from core.io.atomic_write import atomic_write_bytes, atomic_write_json
from core.jobs import NEVER_CANCELLED, CancelToken
from core.model.pianoroll import BAR_STEPS, N_PITCHES
from core.music.priors import build_priors, save_priors

GP_WEIGHT = 10.0
EMA_DECAY = 0.995
MODE_SEEK_WEIGHT = 1.0
# Two random real training phrases differ in 2.0 % of their cells (measured: mean |a - b|
# over 400 pairs; 1.05 % of cells are on).
MODE_SEEK_TARGET = 0.02


def _load_data(data_dir: Path, cache_dir: Path, log):
    from core.training import music_data as gdata

    if not any(cache_dir.glob("*.npz")):
        log(f"parsing corpora from {data_dir} into {cache_dir} (once)")
        gdata.parse_corpora(data_dir, cache_dir, log=log)
    songs = gdata.load_cached_songs(cache_dir)
    if not songs:
        raise SongloomError("no songs could be read from the training data", data_dir)
    train_songs = [s for s in songs if not s.heldout]
    held_songs = [s for s in songs if s.heldout]
    return gdata.build_phrases(train_songs, 1), gdata.build_phrases(held_songs, 4), train_songs, held_songs


def transpose_batch(x: np.ndarray, keys: np.ndarray, rng: np.random.Generator):
    """Shift each phrase by -6..+5 semitones (notes pushed off the range are dropped)."""
    shifts = rng.integers(-6, 6, size=len(x))
    out = np.zeros_like(x)
    for i, s in enumerate(shifts):
        if s >= 0:
            out[i, ..., s:] = x[i, ..., :N_PITCHES - s]
        else:
            out[i, ..., :s] = x[i, ..., -s:]
    return out, (keys + shifts) % 12


def _save_tensors(tensors: dict, path: Path) -> None:
    from safetensors.torch import save

    data = save({k: v.detach().contiguous().cpu() for k, v in tensors.items()})
    atomic_write_bytes(path, data, mode=0o644)  # shipped: readable by every user


def _opt_tensors(opt) -> dict:
    out = {}
    for i, st in opt.state_dict()["state"].items():
        for k, v in st.items():
            out[f"{i}.{k}"] = v if hasattr(v, "shape") else __import__("torch").tensor(v)
    return out


def _load_opt(opt, tensors: dict) -> None:
    sd = opt.state_dict()
    state: dict = {}
    for name, v in tensors.items():
        i, k = name.split(".", 1)
        state.setdefault(int(i), {})[k] = v
    sd["state"] = state
    opt.load_state_dict(sd)


def export_model(ema, cfg, critic, out_dir: Path, meta: dict) -> None:
    """Write what the app loads: generator (EMA) + critic weights, config.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _save_tensors(ema.state_dict(), out_dir / "generator.safetensors")
    _save_tensors(critic.state_dict(), out_dir / "critic.safetensors")
    config = json.loads(cfg.to_json()) | meta
    atomic_write_json(out_dir / "config.json", config, indent=2)


def train(data_dir: Path, out_dir: Path, steps: int = 4000, resume: bool = False,
          device: str = "auto", batch: int = 32, n_critic: int = 3, lr: float = 2e-4,
          cache_dir: Path | None = None, checkpoint_every_s: float = 180.0, seed: int = 0,
          max_minutes: float | None = None, cfg=None, binary: bool = False,
          log: Callable[[str], None] = print,
          cancel: CancelToken = NEVER_CANCELLED) -> dict:
    import copy

    import torch

    from core.device import choose_device
    from core.music.model import Critic, GanConfig, Generator, make_cond, sample_latents

    torch.set_num_threads(int(os.environ.get("SONGLOOM_TRAIN_THREADS", "1")))
    dev = choose_device(device)
    out_dir = Path(out_dir)
    ckpt_dir = out_dir / "checkpoint"
    cache_dir = Path(cache_dir) if cache_dir else out_dir / "cache"
    train_set, held_set, train_songs, _ = _load_data(Path(data_dir), cache_dir, log)
    out_dir.mkdir(parents=True, exist_ok=True)
    # The sampler's range and proximity profiles come from the same training songs.
    save_priors(build_priors(train_songs), out_dir)
    log(f"{len(train_set)} training phrases, {len(held_set)} held-out phrases, device {dev}, "
        f"{'stochastic binary' if binary else 'continuous'} generator output")

    state = {"step": 0, "seconds": 0.0}
    if resume and (ckpt_dir / "state.json").exists():
        state = json.loads((ckpt_dir / "state.json").read_text())
        cfg = GanConfig.from_dict(state["config"])
    cfg = cfg or GanConfig()
    torch.manual_seed(seed + state["step"])
    gen, critic = Generator(cfg).to(dev), Critic(cfg).to(dev)
    ema = copy.deepcopy(gen).requires_grad_(False)
    opt_g = torch.optim.Adam(gen.parameters(), lr=lr, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(critic.parameters(), lr=lr, betas=(0.5, 0.9))
    if resume and state["step"]:
        from safetensors.torch import load_file

        gen.load_state_dict(load_file(str(ckpt_dir / "generator.safetensors")))
        ema.load_state_dict(load_file(str(ckpt_dir / "ema.safetensors")))
        critic.load_state_dict(load_file(str(ckpt_dir / "critic.safetensors")))
        _load_opt(opt_g, load_file(str(ckpt_dir / "opt_g.safetensors")))
        _load_opt(opt_d, load_file(str(ckpt_dir / "opt_d.safetensors")))
        log(f"resumed at step {state['step']}")

    rng = np.random.default_rng(seed + state["step"])

    def real_batch():
        idx = rng.integers(0, len(train_set), batch)
        x, keys = transpose_batch(train_set.phrases(idx), train_set.key[idx], rng)
        cond = make_cond(torch.from_numpy(train_set.style[idx]), torch.from_numpy(keys),
                         torch.from_numpy(train_set.minor[idx]))
        return torch.from_numpy(x).float().to(dev), cond.to(dev)

    def fake_from(real, cond, with_probs=False):
        lat = [t.to(dev) for t in sample_latents(len(real), 4, cfg.z_dim)]
        context = real[:, :, 0, :BAR_STEPS]
        fake = probs = torch.sigmoid(gen(*lat, cond, context))
        if binary:
            # Stochastic binary neurons (Dong & Yang, "Convolutional GANs with Binary
            # Neurons", ISMIR 2018): the critic sees 0/1 cells drawn from the
            # probabilities, as the sampler writes them, so softness cannot give a fake
            # away and fragmented notes are punished; gradients pass straight through.
            hard = (torch.rand_like(fake) < fake).float()
            fake = hard + fake - fake.detach()
        full = torch.cat([real[:, :, :, :BAR_STEPS], fake], dim=3)
        return (full, probs) if with_probs else full

    def save_checkpoint():
        ckpt_dir.mkdir(parents=True, exist_ok=True)
        _save_tensors(gen.state_dict(), ckpt_dir / "generator.safetensors")
        _save_tensors(ema.state_dict(), ckpt_dir / "ema.safetensors")
        _save_tensors(critic.state_dict(), ckpt_dir / "critic.safetensors")
        _save_tensors(_opt_tensors(opt_g), ckpt_dir / "opt_g.safetensors")
        _save_tensors(_opt_tensors(opt_d), ckpt_dir / "opt_d.safetensors")
        state["config"] = json.loads(cfg.to_json())
        atomic_write_json(ckpt_dir / "state.json", state)
        export_model(ema, cfg, critic, out_dir, {
            "train_steps": state["step"], "train_seconds": round(state["seconds"]),
            "train_phrases": len(train_set), "heldout_phrases": len(held_set),
            "batch": batch, "n_critic": n_critic, "lr": lr,
            "binary_neurons_from_step": state.get("binary_from_step")})

    t_start, last_ckpt, first_step = time.monotonic(), time.monotonic(), state["step"]
    deadline = t_start + max_minutes * 60 if max_minutes else None
    w_dist = 0.0
    while state["step"] < steps:
        cancel.check()
        for _ in range(n_critic):
            real, cond = real_batch()
            with torch.no_grad():
                fake = fake_from(real, cond)
            alpha = torch.rand(len(real), 1, 1, 1, 1, device=dev)
            mix = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
            grad = torch.autograd.grad(critic(mix, cond).sum(), mix, create_graph=True)[0]
            gp = (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()
            d_real, d_fake = critic(real, cond).mean(), critic(fake, cond).mean()
            loss_d = d_fake - d_real + GP_WEIGHT * gp
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            w_dist = 0.9 * w_dist + 0.1 * float((d_real - d_fake).detach())
        real, cond = real_batch()
        fake_a, probs_a = fake_from(real, cond, with_probs=True)
        _, probs_b = fake_from(real, cond, with_probs=True)
        # Mode seeking (Mao et al., "Mode Seeking GANs", CVPR 2019): two latent draws for
        # the same condition must give different notes. Without it both of our first runs
        # collapsed to one output per condition (seed had no effect). Hinged on a log
        # scale so it stops pushing once outputs differ about as much as two real phrases.
        spread = (probs_a - probs_b).abs().mean()
        loss_ms = torch.relu(torch.log(torch.tensor(MODE_SEEK_TARGET)) - torch.log(spread + 1e-8))
        loss_g = -critic(fake_a, cond).mean() + MODE_SEEK_WEIGHT * loss_ms
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        with torch.no_grad():
            for pe, pg in zip(ema.parameters(), gen.parameters(), strict=True):
                pe.lerp_(pg, 1 - EMA_DECAY)
        state["step"] += 1
        if binary:
            state["binary_from_step"] = state.get("binary_from_step", state["step"])
        now = time.monotonic()
        if state["step"] % 25 == 0:
            rate = (now - t_start) / max(1, state["step"] - first_step)
            eta = rate * (steps - state["step"])
            log(f"step {state['step']}/{steps} W-dist {w_dist:.3f} G {float(loss_g.detach()):.3f} "
                f"spread {float(spread.detach()):.4f} "
                f"{rate:.2f}s/step ETA {eta / 60:.1f} min")
        if now - last_ckpt > checkpoint_every_s:
            state["seconds"] += now - last_ckpt
            last_ckpt = now
            save_checkpoint()
            log(f"checkpoint at step {state['step']}")
        if deadline and now > deadline:
            log("time limit reached")
            break
    state["seconds"] += time.monotonic() - last_ckpt
    save_checkpoint()
    log(f"done: step {state['step']}, model in {out_dir}")
    return {"steps": state["step"], "seconds": state["seconds"], "out": str(out_dir)}
