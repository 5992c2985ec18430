"""Training the music GAN (WGAN-GP) with progress, ETA and resumable safetensors checkpoints.

``songloom-cli train music --data DIR --out DIR [--steps N] [--resume]`` calls ``train``.
Checkpoints hold the generator, its exponential moving average (what ships: EMA weights
give steadier samples after short training), the critic and both Adam states, all as
safetensors plus a JSON of counters; nothing is pickled. ``--mirror DIR`` copies each
checkpoint outside the run folder, and ``--resume`` falls back to that copy.

Hugging Face ``accelerate`` drives the loop, so the same command trains on one CPU, one
GPU, or several GPUs and machines:
``accelerate launch -m core.cli train music ...`` or ``torchrun --nproc_per_node 4 -m
core.cli train music ...``. Each process draws its own batches (seeded by its rank) and
the gradients are averaged across processes after every backward pass (``reduce``, not
DistributedDataParallel: DDP does not support the double backward of the gradient
penalty, and the generator step runs the network twice). Only the main process writes.
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


def _load_data(data_dir: Path, cache_dirs: list[Path], styles: tuple[str, ...], log):
    """Songs of ``styles`` from every cache folder (the first is filled from DATA_DIR's
    Lieder and chorales if empty; POP909 has its own: core/training/pop909_data.py)."""
    from core.training import music_data as gdata

    if not any(cache_dirs[0].glob("*.npz")):
        log(f"parsing corpora from {data_dir} into {cache_dirs[0]} (once)")
        gdata.parse_corpora(data_dir, cache_dirs[0], log=log)
    songs = [s for d in cache_dirs for s in gdata.load_cached_songs(d) if s.style in styles]
    if not songs:
        raise SongloomError("no songs could be read from the training data", data_dir)
    missing = sorted(set(styles) - {s.style for s in songs})
    if missing:  # its slot stays as warm-started or untrained; said, not fatal
        log(f"note: no training songs of style {', '.join(missing)} in "
            f"{', '.join(str(d) for d in cache_dirs)}")
    train_songs = [s for s in songs if not s.heldout]
    held_songs = [s for s in songs if s.heldout]
    return (gdata.build_phrases(train_songs, 1, styles), gdata.build_phrases(held_songs, 4, styles),
            train_songs, held_songs)


def phrase_weights(style: np.ndarray, shares: dict[int, float]) -> np.ndarray | None:
    """Sampling probabilities of the training phrases so that each style index in
    ``shares`` makes up that share of a batch and the others keep their natural
    proportions (POP909 alone has more phrases than Lieder and chorales together: drawn
    uniformly, it would take most of every batch and the old styles would drift)."""
    if not shares:
        return None
    w = np.ones(len(style))
    rest = 1.0 - sum(shares.values())
    others = ~np.isin(style, list(shares))
    w[others] = rest / max(1, others.sum())
    for s, share in shares.items():
        mine = style == s
        w[mine] = share / max(1, mine.sum())
    return w / w.sum()


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


def write_chord_tables(train_songs, data_dir: Path, styles: tuple[str, ...], out_dir: Path,
                       log) -> None:
    """The composer's chord_tables.json from the same training songs, so the trained model
    composes at once (without them every generation would stop at "no chord tables"). A
    style or mode with too few songs for a progression met twice takes the shipped model's
    table for it (said in the log): Roman numerals, not the network's weights."""
    from core.music.sample import default_model_dir
    from core.training import chord_tables as ct

    tables = ct.build_tables(ct.song_slots(train_songs, data_dir, styles))
    bundled = default_model_dir() / ct.TABLES_FILE
    if bundled.is_file():
        filled = ct.fill_missing(tables, json.loads(bundled.read_text(encoding="utf-8")))
        if filled:
            log(f"chord tables: too few training songs for {', '.join(filled)}; "
                "those come from the shipped model")
    ct.save_tables(tables, out_dir)


def export_model(ema, cfg, critic, out_dir: Path, meta: dict) -> None:
    """Write what the app loads: generator (EMA) + critic weights, config.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _save_tensors(ema.state_dict(), out_dir / "generator.safetensors")
    _save_tensors(critic.state_dict(), out_dir / "critic.safetensors")
    config = json.loads(cfg.to_json()) | meta
    atomic_write_json(out_dir / "config.json", config, indent=2)


def _mirror(out_dir: Path, mirror: Path | None) -> None:
    """Copy the checkpoint and export to ``mirror`` (outside the work tree)."""
    import shutil

    if mirror is None:
        return
    mirror.mkdir(parents=True, exist_ok=True)
    for f in [*out_dir.glob("*.json"), *out_dir.glob("*.safetensors")]:
        shutil.copy2(f, mirror / f.name)
    (mirror / "checkpoint").mkdir(exist_ok=True)
    for f in (out_dir / "checkpoint").iterdir():
        shutil.copy2(f, mirror / "checkpoint" / f.name)


def _restore_from_mirror(ckpt_dir: Path, mirror: Path | None) -> None:
    """A resume whose run folder lost its checkpoint takes the mirror's (newer step wins)."""
    import shutil

    theirs = mirror / "checkpoint" / "state.json" if mirror else None
    if theirs is None or not theirs.exists():
        return
    mine = ckpt_dir / "state.json"
    if mine.exists() and json.loads(mine.read_text())["step"] >= json.loads(
            theirs.read_text())["step"]:
        return
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    for f in theirs.parent.iterdir():
        shutil.copy2(f, ckpt_dir / f.name)


def _warm_start(gen, ema, critic, init_from: Path, cfg, log) -> None:
    """Start from a trained model folder whose styles are a prefix of ``cfg.styles``."""
    from safetensors.torch import load_file

    from core.music.model import GanConfig, widen_styles

    old = GanConfig.from_dict(json.loads((init_from / "config.json").read_text()))
    for name in ("z_dim", "ctx_dim", "g_channels", "d_channels", "d_hidden"):
        if getattr(old, name) != getattr(cfg, name):
            raise SongloomError(f"--init-from model has {name} {getattr(old, name)}, "
                                f"this run {getattr(cfg, name)}", init_from)
    try:
        g = widen_styles(load_file(str(init_from / "generator.safetensors")), old, cfg, False)
        c = widen_styles(load_file(str(init_from / "critic.safetensors")), old, cfg, True)
    except ValueError as exc:
        raise SongloomError(str(exc), init_from) from None
    gen.load_state_dict(g)
    ema.load_state_dict(g)
    critic.load_state_dict(c)
    log(f"warm start from {init_from} (styles {', '.join(old.styles)} -> {', '.join(cfg.styles)})")


def train(data_dir: Path, out_dir: Path, steps: int = 4000, resume: bool = False,
          device: str = "auto", batch: int = 32, n_critic: int = 3, lr: float = 2e-4,
          cache_dir: Path | list[Path] | None = None, checkpoint_every_s: float = 180.0,
          seed: int = 0, max_minutes: float | None = None, cfg=None, binary: bool = False,
          styles: tuple[str, ...] | None = None, style_share: dict[str, float] | None = None,
          init_from: Path | None = None, mirror: Path | None = None,
          log: Callable[[str], None] = print,
          cancel: CancelToken = NEVER_CANCELLED) -> dict:
    import copy

    import torch
    from accelerate import Accelerator

    from core.device import choose_device
    from core.music.model import Critic, GanConfig, Generator, make_cond, sample_latents

    torch.set_num_threads(int(os.environ.get("SONGLOOM_TRAIN_THREADS", "1")))
    acc = Accelerator(cpu=choose_device(device) == "cpu")
    dev, main = acc.device, acc.is_main_process
    say = log if main else (lambda _m: None)
    out_dir = Path(out_dir)
    ckpt_dir = out_dir / "checkpoint"
    caches = cache_dir if isinstance(cache_dir, list) else [Path(cache_dir or out_dir / "cache")]
    caches = [Path(c) for c in caches]
    mirror = Path(mirror) if mirror else None
    state = {"step": 0, "seconds": 0.0}
    if resume and main:
        _restore_from_mirror(ckpt_dir, mirror)
    acc.wait_for_everyone()
    if resume and (ckpt_dir / "state.json").exists():
        state = json.loads((ckpt_dir / "state.json").read_text())
        cfg = GanConfig.from_dict(state["config"])
    cfg = cfg or GanConfig(styles=tuple(styles) if styles else GanConfig().styles)
    if styles and tuple(styles) != tuple(cfg.styles):
        raise SongloomError(f"the checkpoint was trained on styles {', '.join(cfg.styles)}, "
                            f"not {', '.join(styles)}", ckpt_dir)
    train_set, held_set, train_songs, _ = _load_data(Path(data_dir), caches, cfg.styles, say)
    out_dir.mkdir(parents=True, exist_ok=True)
    if main:  # the sampler's range and proximity profiles come from the same training songs
        save_priors(build_priors(train_songs, cfg.styles), out_dir)
        write_chord_tables(train_songs, Path(data_dir), cfg.styles, out_dir, say)
    shares = {cfg.styles.index(k): v for k, v in (style_share or {}).items()}
    p_phrase = phrase_weights(train_set.style, shares)
    say(f"{len(train_set)} training phrases, {len(held_set)} held-out phrases, device {dev}, "
        f"{acc.num_processes} process(es), styles {', '.join(cfg.styles)}, "
        f"{'stochastic binary' if binary else 'continuous'} generator output")

    torch.manual_seed(seed + state["step"])  # the same initial weights on every process
    gen, critic = Generator(cfg).to(dev), Critic(cfg).to(dev)
    ema = copy.deepcopy(gen).requires_grad_(False)
    if init_from and not state["step"]:
        _warm_start(gen, ema, critic, Path(init_from), cfg, say)
    opt_g = torch.optim.Adam(gen.parameters(), lr=lr, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(critic.parameters(), lr=lr, betas=(0.5, 0.9))
    if resume and state["step"]:
        from safetensors.torch import load_file

        gen.load_state_dict(load_file(str(ckpt_dir / "generator.safetensors")))
        ema.load_state_dict(load_file(str(ckpt_dir / "ema.safetensors")))
        critic.load_state_dict(load_file(str(ckpt_dir / "critic.safetensors")))
        _load_opt(opt_g, load_file(str(ckpt_dir / "opt_g.safetensors")))
        _load_opt(opt_d, load_file(str(ckpt_dir / "opt_d.safetensors")))
        say(f"resumed at step {state['step']}")
    ema.to(dev)

    rng = np.random.default_rng([seed, state["step"], acc.process_index])

    def step_with(opt, module, loss):
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if acc.num_processes > 1:
            grads = [p.grad for p in module.parameters() if p.grad is not None]
            flat = acc.reduce(torch.cat([g.flatten() for g in grads]), reduction="mean")
            torch.nn.utils.vector_to_parameters(flat, grads)
        opt.step()

    def real_batch():
        idx = rng.choice(len(train_set), batch, p=p_phrase)
        x, keys = transpose_batch(train_set.phrases(idx), train_set.key[idx], rng)
        cond = make_cond(torch.from_numpy(train_set.style[idx]), torch.from_numpy(keys),
                         torch.from_numpy(train_set.minor[idx]), len(cfg.styles))
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
        if not main:
            return
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
            "batch": batch * acc.num_processes, "n_critic": n_critic, "lr": lr,
            "binary_neurons_from_step": state.get("binary_from_step"),
            "style_share": style_share or {}, "init_from": str(init_from) if init_from else None})
        _mirror(out_dir, mirror)

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
            step_with(opt_d, critic, loss_d)
            w_dist = 0.9 * w_dist + 0.1 * float((d_real - d_fake).detach())
        real, cond = real_batch()
        fake_a, probs_a = fake_from(real, cond, with_probs=True)
        _, probs_b = fake_from(real, cond, with_probs=True)
        # Mode seeking (Mao et al., "Mode Seeking GANs", CVPR 2019): two latent draws for
        # the same condition must give different notes. Without it both of our first runs
        # collapsed to one output per condition (seed had no effect). Hinged on a log
        # scale so it stops pushing once outputs differ about as much as two real phrases.
        spread = (probs_a - probs_b).abs().mean()
        loss_ms = torch.relu(torch.log(torch.tensor(MODE_SEEK_TARGET, device=dev))
                             - torch.log(spread + 1e-8))
        loss_g = -critic(fake_a, cond).mean() + MODE_SEEK_WEIGHT * loss_ms
        critic.requires_grad_(False)  # the critic's gradients from this pass are not used
        step_with(opt_g, gen, loss_g)
        critic.requires_grad_(True)
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
            say(f"step {state['step']}/{steps} W-dist {w_dist:.3f} G {float(loss_g.detach()):.3f} "
                f"spread {float(spread.detach()):.4f} "
                f"{rate:.2f}s/step ETA {eta / 60:.1f} min")
        if now - last_ckpt > checkpoint_every_s:
            state["seconds"] += now - last_ckpt
            last_ckpt = now
            save_checkpoint()
            say(f"checkpoint at step {state['step']}")
        # Every process stops at the same step: the stop flag is summed across them.
        if state["step"] % 25 == 0 and deadline:
            late = torch.tensor(float(now > deadline), device=dev)
            if float(acc.reduce(late, reduction="sum")) > 0:
                say("time limit reached")
                break
    state["seconds"] += time.monotonic() - last_ckpt
    save_checkpoint()
    acc.wait_for_everyone()
    say(f"done: step {state['step']}, model in {out_dir}")
    return {"steps": state["step"], "seconds": state["seconds"], "out": str(out_dir)}
