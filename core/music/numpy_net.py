"""The trained generator and critic evaluated in plain numpy (no torch at run time).

core/music/model.py builds every layer as a Linear or a convolution whose kernel equals its
stride, with pixel norm as the only normalisation, so each layer here is one reshape and
one matrix product. Loading torch costs over a second and hundreds of MB; this costs a
few milliseconds, which is what makes "press Generate" instant. tests/core check that
both implementations agree.
"""

from __future__ import annotations

import numpy as np

from core.model.pianoroll import BAR_STEPS, N_PITCHES, N_TRACKS

TEMPORAL_REACH = 3
N_KEYS, N_MODES = 12, 2
LEGACY_N_STYLES = 2  # lieder, chorale: models whose config names no styles

Weights = dict[str, np.ndarray]
_controller = None


def single_blas_thread():
    """A context in which BLAS uses one thread: these matrices are small, and a second
    thread on a busy machine made a 5 ms phrase take 150 ms (measured on the 2-core box)."""
    global _controller
    from threadpoolctl import ThreadpoolController

    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def _linear(w: Weights, name: str, x: np.ndarray) -> np.ndarray:
    y = x @ w[f"{name}.weight"].T
    bias = w.get(f"{name}.bias")
    return y if bias is None else y + bias


def _conv_t(w: Weights, name: str, x: np.ndarray) -> np.ndarray:
    """ConvTranspose2d with kernel == stride: (N, Ci, H, W) -> (N, Co, H*kh, W*kw)."""
    k = w[f"{name}.weight"]  # (Ci, Co, kh, kw)
    n, _, h, wd = x.shape
    _, co, kh, kw = k.shape
    y = np.tensordot(x, k, axes=([1], [0]))  # (N, H, W, Co, kh, kw)
    y = y.transpose(0, 3, 1, 4, 2, 5).reshape(n, co, h * kh, wd * kw)
    return y + w[f"{name}.bias"][None, :, None, None]


def _conv(w: Weights, name: str, x: np.ndarray) -> np.ndarray:
    """Conv2d with kernel == stride: (N, Ci, H, W) -> (N, Co, H/kh, W/kw)."""
    k = w[f"{name}.weight"]  # (Co, Ci, kh, kw)
    n, ci, h, wd = x.shape
    co, _, kh, kw = k.shape
    xr = x.reshape(n, ci, h // kh, kh, wd // kw, kw)
    y = np.tensordot(xr, k, axes=([1, 3, 5], [1, 2, 3]))  # (N, H', W', Co)
    return y.transpose(0, 3, 1, 2) + w[f"{name}.bias"][None, :, None, None]


def _conv1d(w: Weights, name: str, x: np.ndarray) -> np.ndarray:
    k = w[f"{name}.weight"]  # (Co, Ci, kw)
    return _conv({f"{name}.weight": k[:, :, None, :], f"{name}.bias": w[f"{name}.bias"]},
                 name, x[:, :, None, :])[:, :, 0, :]


def _pixel_norm(x: np.ndarray) -> np.ndarray:
    return x / np.sqrt((x * x).mean(axis=1, keepdims=True) + 1e-8)


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def _lrelu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, 0.2 * x)


def condition(style: int, key: int, minor: int, batch: int = 1,
              n_styles: int = LEGACY_N_STYLES) -> np.ndarray:
    """The network's condition: one-hot style (``n_styles`` slots, the model's own
    count), key and mode."""
    c = np.zeros((batch, n_styles + N_KEYS + N_MODES), np.float32)
    c[:, style] = 1
    c[:, n_styles + key % 12] = 1
    c[:, n_styles + N_KEYS + minor] = 1
    return c


def temporal(w: Weights, name: str, noise: np.ndarray) -> np.ndarray:
    """(B, bars + 2, z) noise -> (B, bars, z): bar b sees the noise of bars b-2..b."""
    bars = noise.shape[1] - (TEMPORAL_REACH - 1)
    window = np.concatenate([noise[:, k:k + bars] for k in range(TEMPORAL_REACH)], axis=2)
    return _linear(w, f"{name}.fc2", _relu(_linear(w, f"{name}.fc1", window)))


def generator_logits(w: Weights, g_channels: int, z, zt, zi, zit, cond, context) -> np.ndarray:
    """Same signature and result as model.Generator.forward: (B, T, 2, bars*16, 84)."""
    batch, bars = z.shape[0], zt.shape[1] - (TEMPORAL_REACH - 1)
    ctx = _lrelu(_linear(w, "context", context.reshape(batch, -1)))
    shared_t = temporal(w, "temporal", zt)
    out = np.empty((batch, N_TRACKS, 2, bars * BAR_STEPS, N_PITCHES), np.float32)
    for t in range(N_TRACKS):
        private_t = temporal(w, f"private_temporal.{t}", zit[:, t])
        rep = lambda v: np.repeat(v[:, None], bars, axis=1)  # noqa: E731
        h = np.concatenate([rep(z), shared_t, rep(zi[:, t]), private_t, rep(cond), rep(ctx)],
                           axis=2).reshape(batch * bars, -1)
        p = f"bars.{t}"
        x = _relu(_pixel_norm(_linear(w, f"{p}.fc", h).reshape(-1, g_channels, 4, 1)))
        x = _relu(_pixel_norm(_conv_t(w, f"{p}.up_octave", x)))
        x = _relu(_pixel_norm(_conv_t(w, f"{p}.up_time1", x)))
        x = _relu(_pixel_norm(_conv_t(w, f"{p}.up_time2", x)))
        y = _conv_t(w, f"{p}.up_pitch", x).reshape(batch, bars, 2, BAR_STEPS, N_PITCHES)
        out[:, t] = y.transpose(0, 2, 1, 3, 4).reshape(batch, 2, bars * BAR_STEPS, N_PITCHES)
    return out


def critic_score(w: Weights, x: np.ndarray, cond: np.ndarray) -> np.ndarray:
    """Same as model.Critic.forward: (B, T, 2, 80, 84) in [0, 1] -> (B,) realism.

    The minibatch-spread feature makes scores depend on the whole batch; ranking
    candidates of one phrase is unaffected because they share it."""
    b, _, _, steps, _ = x.shape
    h = _lrelu(_conv(w, "pitch", x.reshape(b, -1, steps, N_PITCHES)))
    h = _lrelu(_conv(w, "beat", h))
    h = _lrelu(_conv(w, "bar", h))
    h = _lrelu(_conv(w, "octave", h)).reshape(b, -1)
    chroma = x[:, :, 0].reshape(b, N_TRACKS, steps, 7, 12).sum(3)
    onsets = x[:, :, 1].sum(3, keepdims=True)
    c = np.concatenate([chroma, onsets], axis=3).transpose(0, 1, 3, 2).reshape(b, -1, steps)
    c = _lrelu(_conv1d(w, "chroma_beat", c))
    c = _lrelu(_conv1d(w, "chroma_bar", c)).reshape(b, -1)
    feats = np.concatenate([h, c], axis=1)
    spread = np.full((b, 1), np.sqrt(feats.var(axis=0) + 1e-8).mean(), np.float32)
    f = _lrelu(_linear(w, "fc", np.concatenate([feats, spread, cond], axis=1)))
    return _linear(w, "out", f)[:, 0] + (_linear(w, "embed", cond) * f).sum(1)
