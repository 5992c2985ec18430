"""The music GAN in torch (training only): a hybrid MuseGAN with a continuing temporal latent.

Dong et al., "MuseGAN: Multi-track Sequential Generative Adversarial Networks for Symbolic
Music Generation and Accompaniment", AAAI 2018: each track's bar generator sees a shared
latent ``z``, a shared per-bar latent from a temporal generator, a private latent ``z_i``
and a private per-bar latent. Our departures, each for a user-facing reason:

- The temporal generator is causal over a running noise sequence (bar b's latent comes
  from the noise of bars b-2..b), so a song of any length is one continuing sequence,
  not independent 4-bar phrases glued together.
- Every bar generator also sees the bar *before* the phrase (zero at a song's start),
  which is how a phrase follows the previous one and how "continue this song" works.
- Conditioning on style (lieder/chorale) and key/mode (12 tonics x 2 modes).
- Two output maps per track: sounding and onset, so repeated notes survive.
- Every layer is a Linear or a convolution whose kernel equals its stride, and the only
  normalisation is pixel norm: core/music/sample.py runs the same network in numpy with
  no torch import and no train/eval batch-norm mismatch.

The critic (WGAN-GP) reads the context bar and the 4 bars through a piano-roll stream and
a chroma/onset stream (MuseGAN's and BinaryMuseGAN's extra views), with a projection of
the condition (Miyato & Koyama 2018) and a minibatch standard-deviation feature.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import torch
from torch import nn

from core.model.pianoroll import BAR_STEPS, N_PITCHES, N_TRACKS, PHRASE_BARS

N_KEYS, N_MODES = 12, 2
# The styles the shipped model was trained on, in conditioning order, when a config.json
# names none (every model before the pop style).
LEGACY_STYLES = ("lieder", "chorale")
TEMPORAL_REACH = 3  # bars of noise seen by the causal temporal generator


@dataclass
class GanConfig:
    z_dim: int = 32
    ctx_dim: int = 64
    g_channels: int = 128
    d_channels: int = 64
    d_hidden: int = 256
    format_version: int = 1
    # The style slots of the condition, in order: a model's own list, so a model trained
    # before a style was added keeps working with the one it was trained on.
    styles: tuple[str, ...] = LEGACY_STYLES

    @property
    def cond_dim(self) -> int:
        return len(self.styles) + N_KEYS + N_MODES

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_dict(cls, d: dict) -> GanConfig:
        kw = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        kw["styles"] = tuple(kw.get("styles", LEGACY_STYLES))
        return cls(**kw)


class PixelNorm(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)


class TemporalGenerator(nn.Module):
    """Noise sequence (B, bars + 2, z) -> per-bar latents (B, bars, z), causally."""

    def __init__(self, z: int):
        super().__init__()
        self.fc1 = nn.Linear(TEMPORAL_REACH * z, 2 * z)
        self.fc2 = nn.Linear(2 * z, z)

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        windows = noise.unfold(1, TEMPORAL_REACH, 1)  # (B, bars, z, reach)
        flat = windows.transpose(2, 3).flatten(2)
        return self.fc2(torch.relu(self.fc1(flat)))


class BarGenerator(nn.Module):
    """Latents + condition + context features -> (2 maps, 16 steps, 84 pitches) logits."""

    def __init__(self, in_dim: int, ch: int):
        super().__init__()
        self.fc = nn.Linear(in_dim, ch * 4)
        self.up_octave = nn.ConvTranspose2d(ch, ch // 2, (1, 7), (1, 7))
        self.up_time1 = nn.ConvTranspose2d(ch // 2, ch // 4, (2, 1), (2, 1))
        self.up_time2 = nn.ConvTranspose2d(ch // 4, ch // 8, (2, 1), (2, 1))
        self.up_pitch = nn.ConvTranspose2d(ch // 8, 2, (1, 12), (1, 12))
        self.norm = PixelNorm()
        self.ch = ch

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.norm(self.fc(h).view(-1, self.ch, 4, 1)))
        x = torch.relu(self.norm(self.up_octave(x)))
        x = torch.relu(self.norm(self.up_time1(x)))
        x = torch.relu(self.norm(self.up_time2(x)))
        return self.up_pitch(x)


class Generator(nn.Module):
    def __init__(self, cfg: GanConfig):
        super().__init__()
        self.cfg = cfg
        z = cfg.z_dim
        self.context = nn.Linear(N_TRACKS * BAR_STEPS * N_PITCHES, cfg.ctx_dim)
        self.temporal = TemporalGenerator(z)
        self.private_temporal = nn.ModuleList(TemporalGenerator(z) for _ in range(N_TRACKS))
        in_dim = 4 * z + cfg.cond_dim + cfg.ctx_dim
        self.bars = nn.ModuleList(BarGenerator(in_dim, cfg.g_channels) for _ in range(N_TRACKS))
        # Start from the data's sparsity (about 2 % of cells sound, fewer start) rather than
        # 50 %, so the critic's first lessons are about notes, not about silence.
        with torch.no_grad():
            for bar in self.bars:
                bar.up_pitch.bias.copy_(torch.tensor([-4.0, -5.0]))

    def forward(self, z, zt, zi, zit, cond, context):
        """z (B,z); zt (B,bars+2,z); zi (B,T,z); zit (B,T,bars+2,z); cond (B,16);
        context (B,T,16,84) sounding map of the bar before -> logits (B,T,2,bars*16,84)."""
        batch, bars = z.shape[0], zt.shape[1] - (TEMPORAL_REACH - 1)
        ctx = torch.nn.functional.leaky_relu(self.context(context.flatten(1)), 0.2)
        shared_t = self.temporal(zt)  # (B, bars, z)
        outs = []
        for t in range(N_TRACKS):
            private_t = self.private_temporal[t](zit[:, t])
            per_bar = torch.cat([
                z[:, None].expand(-1, bars, -1), shared_t, zi[:, t, None].expand(-1, bars, -1),
                private_t, cond[:, None].expand(-1, bars, -1), ctx[:, None].expand(-1, bars, -1),
            ], dim=2)
            y = self.bars[t](per_bar.reshape(batch * bars, -1))  # (B*bars, 2, 16, 84)
            y = y.view(batch, bars, 2, BAR_STEPS, N_PITCHES).permute(0, 2, 1, 3, 4)
            outs.append(y.reshape(batch, 2, bars * BAR_STEPS, N_PITCHES))
        return torch.stack(outs, dim=1)


class Critic(nn.Module):
    """(B, T, 2, (1+bars)*16, 84) in [0, 1] + condition -> realism score (B,)."""

    def __init__(self, cfg: GanConfig):
        super().__init__()
        c, span = cfg.d_channels, (1 + PHRASE_BARS)
        self.pitch = nn.Conv2d(N_TRACKS * 2, c // 2, (1, 12), (1, 12))
        self.beat = nn.Conv2d(c // 2, c, (4, 1), (4, 1))
        self.bar = nn.Conv2d(c, c, (4, 1), (4, 1))
        self.octave = nn.Conv2d(c, 2 * c, (1, 7), (1, 7))
        chroma_in = N_TRACKS * 13
        self.chroma_beat = nn.Conv1d(chroma_in, c // 2, 4, 4)
        self.chroma_bar = nn.Conv1d(c // 2, c, 4, 4)
        feat = 2 * c * span + c * span
        self.fc = nn.Linear(feat + 1 + cfg.cond_dim, cfg.d_hidden)
        self.out = nn.Linear(cfg.d_hidden, 1)
        self.embed = nn.Linear(cfg.cond_dim, cfg.d_hidden, bias=False)

    def forward(self, x: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        act = torch.nn.functional.leaky_relu
        b = x.shape[0]
        h = act(self.pitch(x.flatten(1, 2)), 0.2)
        h = act(self.beat(h), 0.2)
        h = act(self.bar(h), 0.2)
        h = act(self.octave(h), 0.2).flatten(1)
        sounding = x[:, :, 0]  # (B, T, steps, 84)
        chroma = sounding.unflatten(3, (7, 12)).sum(3)  # (B, T, steps, 12)
        onset_count = x[:, :, 1].sum(3, keepdim=True)
        c = torch.cat([chroma, onset_count], dim=3).permute(0, 1, 3, 2).reshape(b, -1, x.shape[3])
        c = act(self.chroma_beat(c), 0.2)
        c = act(self.chroma_bar(c), 0.2).flatten(1)
        feats = torch.cat([h, c], dim=1)
        # Minibatch standard deviation (Karras et al., ICLR 2018): how much the features vary
        # across the batch, so a generator that ignores its latents is caught. Our first
        # run without it collapsed to one output for every seed within 700 steps.
        spread = feats.var(dim=0, unbiased=False).add(1e-8).sqrt().mean().expand(b, 1)
        f = act(self.fc(torch.cat([feats, spread, cond], dim=1)), 0.2)
        return self.out(f).squeeze(1) + (self.embed(cond) * f).sum(1)


def make_cond(style: torch.Tensor, key: torch.Tensor, minor: torch.Tensor,
              n_styles: int = len(LEGACY_STYLES)) -> torch.Tensor:
    f = torch.nn.functional.one_hot
    return torch.cat([f(style, n_styles), f(key, N_KEYS), f(minor, N_MODES)], dim=1).float()


def widen_styles(state: dict, old: GanConfig, new: GanConfig, critic: bool) -> dict:
    """A generator's or critic's weights for ``new.styles`` from a model trained on
    ``old.styles`` (a prefix of them): each condition column of an old style is kept, a
    new style's column starts as the mean of the old ones (a style "between" them, which
    training then moves). Warm-starting this way keeps what the model knows of the old
    styles instead of training all of them again from noise."""
    if tuple(new.styles[:len(old.styles)]) != tuple(old.styles):
        raise ValueError(f"new styles {new.styles} must extend {old.styles}")
    add = len(new.styles) - len(old.styles)
    out = dict(state)
    if critic:
        lo = {"fc.weight": out["fc.weight"].shape[1] - old.cond_dim, "embed.weight": 0}
    else:
        lo = {k: 4 * old.z_dim for k in out if k.startswith("bars.") and k.endswith("fc.weight")}
    for name, start in lo.items():
        w = out[name]
        old_cols = w[:, start:start + len(old.styles)]
        fresh = old_cols.mean(dim=1, keepdim=True).expand(-1, add)
        at = start + len(old.styles)
        out[name] = torch.cat([w[:, :at], fresh, w[:, at:]], dim=1).contiguous()
    return out


def sample_latents(batch: int, bars: int, z_dim: int, gen: torch.Generator | None = None):
    r = lambda *s: torch.randn(*s, generator=gen)  # noqa: E731
    extra = TEMPORAL_REACH - 1
    return (r(batch, z_dim), r(batch, bars + extra, z_dim), r(batch, N_TRACKS, z_dim),
            r(batch, N_TRACKS, bars + extra, z_dim))
