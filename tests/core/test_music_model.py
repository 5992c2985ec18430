"""The torch model, its numpy twin, and resumable safetensors training on a tiny corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from core.music import numpy_net as net  # noqa: E402
from core.music.model import Critic, GanConfig, Generator, make_cond, sample_latents  # noqa: E402
from core.training import music_data as gdata  # noqa: E402
from core.training.music_train import train  # noqa: E402

TINY = GanConfig(z_dim=8, ctx_dim=8, g_channels=16, d_channels=8, d_hidden=16)
from gan_corpus import jsb_file  # noqa: E402


def test_numpy_twin_matches_torch_generator_and_critic():
    torch.manual_seed(0)
    g, d = Generator(TINY), Critic(TINY)
    for p in [*g.parameters(), *d.parameters()]:
        p.data.normal_(0, 0.2)  # non-trivial weights everywhere, biases included
    lat = sample_latents(2, 8, TINY.z_dim)
    cond = make_cond(torch.tensor([0, 1]), torch.tensor([3, 11]), torch.tensor([1, 0]))
    ctx = (torch.rand(2, 3, 16, 84) > 0.9).float()
    with torch.no_grad():
        want = g(*lat, cond, ctx).numpy()
        x = torch.rand(2, 3, 2, 80, 84)
        want_score = d(x, cond).numpy()
    gw = {k: v.numpy() for k, v in g.state_dict().items()}
    got = net.generator_logits(gw, TINY.g_channels, *(t.numpy() for t in lat), cond.numpy(), ctx.numpy())
    assert got.shape == (2, 3, 2, 8 * 16, 84)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    dw = {k: v.numpy() for k, v in d.state_dict().items()}
    np.testing.assert_allclose(net.critic_score(dw, x.numpy(), cond.numpy()), want_score, rtol=1e-4, atol=1e-3)
    assert np.array_equal(net.condition(1, 11, 0, 2)[1], cond.numpy()[1])


def test_temporal_latent_is_causal():
    """Bar b depends only on noise of bars b-2..b: changing later noise keeps earlier bars."""
    torch.manual_seed(1)
    g = Generator(TINY)
    lat = list(sample_latents(1, 8, TINY.z_dim))
    cond = make_cond(torch.tensor([0]), torch.tensor([0]), torch.tensor([0]))
    ctx = torch.zeros(1, 3, 16, 84)
    with torch.no_grad():
        a = g(*lat, cond, ctx)
        lat[1] = lat[1].clone()
        lat[1][:, 7:] += 1.0  # noise feeding bars 5.. (index 7 = bar 5 with 2 bars of lead-in)
        b = g(*lat, cond, ctx)
    assert torch.equal(a[..., : 5 * 16, :], b[..., : 5 * 16, :])
    assert not torch.equal(a[..., 5 * 16:, :], b[..., 5 * 16:, :])


def test_training_checkpoints_resume_and_export_safetensors(tmp_path):
    cache = tmp_path / "cache"
    songs = gdata.load_jsb(jsb_file(tmp_path))
    for song in [s for s in songs if not s.heldout][:6] + [s for s in songs if s.heldout][:2]:
        gdata.save_parsed(song, cache)
    out = tmp_path / "model"
    logs: list[str] = []
    r1 = train(Path("unused"), out, steps=2, cache_dir=cache, cfg=TINY, batch=4, log=logs.append)
    assert r1["steps"] == 2
    state = json.loads((out / "checkpoint" / "state.json").read_text())
    assert state["step"] == 2 and state["config"]["g_channels"] == 16
    r2 = train(Path("unused"), out, steps=3, resume=True, cache_dir=cache, batch=4, log=logs.append)
    assert r2["steps"] == 3 and any("resumed at step 2" in m for m in logs)
    files = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"generator.safetensors", "critic.safetensors", "config.json", "pitch_priors.json",
            "chord_tables.json"} <= files
    assert not [f for f in files if f.endswith((".pt", ".pth", ".pkl", ".bin", ".tmp"))]
    from core.music.sample import MusicGenerator

    trained = MusicGenerator.from_folder(out)
    assert trained.priors is not None  # the range and proximity profiles of these chorales
    # The composer's chords: the chorales' own progressions, and the shipped model's for
    # the style these six songs cannot fill (lieder); said in the log.
    tables = json.loads((out / "chord_tables.json").read_text())["styles"]
    assert tables["chorale"]["songs"] == 6 and tables["lieder"]["songs"] == 0
    assert tables["chorale"]["table"]["major"]["windows"]["2"]
    assert any("chord tables" in m and "lieder major" in m for m in logs)
    songs = trained.generate(bars=2, seed=1)
    assert songs[0].chords  # composed: chords drawn from the tables
    chorale = trained.generate(bars=4, seed=1, style="chorale")
    assert chorale[0].chords
    (out / "chord_tables.json").unlink()  # a model trained before the composer existed
    older = MusicGenerator.from_folder(out)
    assert older.chord_tables is not None and older.generate(bars=2, seed=1)[0].chords
    assert songs[0].bar_count() <= 2 and json.loads((out / "config.json").read_text())["train_steps"] == 3
