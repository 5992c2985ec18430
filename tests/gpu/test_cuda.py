"""The GPU path on a real NVIDIA GPU: generation on cuda, a real CUDA out-of-memory error
falling back to the CPU with a message, and lyrics and music on the GPU giving the
CPU's shapes and the same output for the same seed.

installer/gpu-check.sh runs these (pytest -m cuda tests/gpu). Without a GPU they skip.
SONGLOOM_GPU_TEST_DEVICE=cpu rehearses the same code on the CPU (not a GPU proof: it
only shows the tests themselves run before a GPU machine is paid for); the OOM test
needs CUDA and skips in a rehearsal.
"""

from __future__ import annotations

import json
import os

import pytest

pytestmark = pytest.mark.cuda
DEVICE = os.environ.get("SONGLOOM_GPU_TEST_DEVICE", "cuda")
REQUEST = dict(theme="the sea at night", lines=4, syllables=[7, 7, 8, 8], rhyme="AABB",
               seed=11, candidates=4)


@pytest.fixture(autouse=True)
def _exact_float32():
    """TF32 (on by default for cuDNN convolutions) rounds to 10 mantissa bits; the CPU
    comparisons below want float32 arithmetic on both sides."""
    import torch

    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def _lyrics_model(device: str):
    from core.lyrics.model_store import bundled_model_dir, load_lyrics_model

    return load_lyrics_model(bundled_model_dir(), device=device)


def _write(device: str) -> list[str]:
    from core.lyrics.constraints import LyricRequest, write_lyrics

    return write_lyrics(_lyrics_model(device), LyricRequest(**REQUEST))


def test_lyrics_generate_on_the_gpu_with_cpu_shapes_and_fixed_seeds():
    import torch

    gpu, cpu = _lyrics_model(DEVICE), _lyrics_model("cpu")
    assert {p.device.type for p in gpu.model.parameters()} == {torch.device(DEVICE).type}
    ids = torch.tensor([gpu.tokenizer.encode("the sea at night\n")])
    with torch.no_grad():
        on_cpu = cpu.model(ids).logits
        on_gpu = gpu.model(ids.to(DEVICE)).logits.cpu()
    assert on_gpu.shape == on_cpu.shape
    assert torch.allclose(on_gpu, on_cpu, atol=1e-3, rtol=1e-3)
    first = _write(DEVICE)
    assert _write(DEVICE) == first  # the same seed gives the same lyrics on the GPU
    assert len(first) == len(_write("cpu")) == REQUEST["lines"] and all(first)


def _music_network(device: str):
    import torch
    from safetensors.torch import load_file

    from core.music.model import GanConfig, Generator
    from core.music.sample import default_model_dir

    folder = default_model_dir()
    config = json.loads((folder / "config.json").read_text())
    net = Generator(GanConfig.from_dict(config))
    net.load_state_dict(load_file(str(folder / "generator.safetensors")))
    return net.to(device).eval(), config, torch


def test_music_network_on_the_gpu_matches_the_cpu_and_its_seed():
    from core.model.pianoroll import BAR_STEPS, N_PITCHES, N_TRACKS
    from core.music.model import make_cond, sample_latents

    gpu, config, torch = _music_network(DEVICE)
    cpu, _, _ = _music_network("cpu")
    seeded = torch.Generator().manual_seed(3)
    latents = sample_latents(2, 4, config["z_dim"], seeded)
    cond = make_cond(torch.tensor([0, 1]), torch.tensor([0, 5]), torch.tensor([0, 1]))
    context = torch.zeros(2, N_TRACKS, BAR_STEPS, N_PITCHES)
    args = (*latents, cond, context)
    with torch.no_grad():
        on_cpu = cpu(*args)
        on_gpu = gpu(*(a.to(DEVICE) for a in args))
        again = gpu(*(a.to(DEVICE) for a in args))
    assert on_gpu.shape == on_cpu.shape == (2, N_TRACKS, 2, 4 * BAR_STEPS, N_PITCHES)
    assert torch.equal(on_gpu, again)  # same latents, same logits
    assert torch.allclose(on_gpu.cpu(), on_cpu, atol=1e-3, rtol=1e-3)


def test_music_generation_asked_for_the_gpu_gives_the_cpu_songs():
    """The app's music sampler runs its network in numpy (milliseconds, no torch at start):
    a job on cuda must give exactly the songs of the same seed on the CPU."""
    from core.music.sample import load_generator

    def notes(device):
        songs = load_generator(None, device=device).generate(bars=4, seed=7, variations=2)
        return [[(t.name, n.pitch, n.start, n.duration) for t in s.tracks for n in t.notes]
                for s in songs]

    assert notes(DEVICE) == notes("cpu")


def _fill_gpu(torch) -> list:
    """Allocate the GPU's free memory in shrinking blocks, until nothing more fits."""
    hog, block = [], 1 << 30
    while block >= 1 << 20:
        try:
            hog.append(torch.empty(block, dtype=torch.uint8, device="cuda"))
        except torch.OutOfMemoryError:
            block //= 4
    return hog


@pytest.mark.skipif(DEVICE != "cuda", reason="a real CUDA out-of-memory error needs CUDA")
def test_cuda_out_of_memory_falls_back_to_the_cpu_with_a_message():
    """A full GPU: loading and running the lyric model on cuda fails with CUDA's own OOM
    error; run_with_cpu_fallback says so once and gives the CPU's lyrics for the seed."""
    import torch

    from core.device import run_with_cpu_fallback
    from core.lyrics.model_store import clear_cache

    expected = _write("cpu")
    clear_cache()  # the model is not on the GPU yet: moving it there is the first to fail
    messages: list[str] = []
    hog = _fill_gpu(torch)
    try:
        lines = run_with_cpu_fallback(_write, "cuda", messages.append)
    finally:
        del hog
        torch.cuda.empty_cache()
    assert lines == expected
    assert len(messages) == 1
    assert "ran out of memory" in messages[0] and "on the CPU instead" in messages[0]
    # Nothing of the failed attempt stays on the GPU.
    assert torch.cuda.memory_allocated() < 64 << 20
