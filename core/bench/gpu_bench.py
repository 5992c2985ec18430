"""CPU against GPU in one run: the jobs Songloom would put on a GPU, timed on both.

    python -m core.bench.gpu_bench [--repeats 3] [--device cuda] [--json out.json]

- lyrics: write_lyrics with the bundled GPT-2 (8 lines, 8 candidates per line), the job
  the desktop runs on the chosen device;
- music network: the torch generator's forward pass on a batch of 64 four-bar phrases
  (training and evaluation batches; the app samples with its numpy copy of the network);
- music sampler: the app's own numpy generation of one 8-bar song, CPU only, for scale.
Each pair runs interleaved (CPU, GPU, CPU, ...) after one warm-up on each, so load and
clocks hit both alike; figures are medians. installer/gpu-check.sh runs this.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

from core.bench.timing import median_seconds


def lyrics_job(device: str):
    from core.lyrics.constraints import LyricRequest, write_lyrics
    from core.lyrics.model_store import bundled_model_dir, load_lyrics_model

    lm = load_lyrics_model(bundled_model_dir(), device=device)
    request = LyricRequest(theme="a long road home", lines=8, syllables=8, rhyme="ABAB",
                           seed=3, candidates=8)
    return lambda: write_lyrics(lm, request)


def music_network_job(device: str):
    import torch
    from safetensors.torch import load_file

    from core.model.pianoroll import BAR_STEPS, N_PITCHES, N_TRACKS
    from core.music.model import GanConfig, Generator, make_cond, sample_latents
    from core.music.sample import default_model_dir

    folder = default_model_dir()
    config = json.loads((folder / "config.json").read_text())
    net = Generator(GanConfig.from_dict(config))
    net.load_state_dict(load_file(str(folder / "generator.safetensors")))
    net = net.to(device).eval()
    batch = 64
    seeded = torch.Generator().manual_seed(1)
    latents = sample_latents(batch, 4, config["z_dim"], seeded)
    cond = make_cond(torch.zeros(batch, dtype=torch.long), torch.zeros(batch, dtype=torch.long),
                     torch.zeros(batch, dtype=torch.long))
    context = torch.zeros(batch, N_TRACKS, BAR_STEPS, N_PITCHES)
    args = [a.to(device) for a in (*latents, cond, context)]

    def run():
        with torch.no_grad():
            net(*args)
        if device == "cuda":
            torch.cuda.synchronize()  # the kernels are asynchronous: wait for them
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    import torch

    if args.device == "cuda" and not torch.cuda.is_available():
        print("gpu_bench: no CUDA GPU here; nothing to compare", file=sys.stderr)
        return 2
    figures = {"torch": torch.__version__, "cpu_threads": torch.get_num_threads(),
               "gpu": torch.cuda.get_device_name(0) if args.device == "cuda" else args.device}
    for name, make in (("lyrics_8_lines", lyrics_job), ("music_network_batch64",
                                                        music_network_job)):
        jobs = {"cpu": make("cpu"), "gpu": make(args.device)}
        for job in jobs.values():
            job()  # warm-up: model load, kernels, caches
        times = {"cpu": [], "gpu": []}
        for _ in range(args.repeats):
            for side, job in jobs.items():
                times[side].append(median_seconds(job, 1))
        cpu_s, gpu_s = statistics.median(times["cpu"]), statistics.median(times["gpu"])
        figures[name] = {"cpu_s": round(cpu_s, 4), "gpu_s": round(gpu_s, 4),
                         "speedup": round(cpu_s / gpu_s, 2) if gpu_s else None}
    from core.music.sample import load_generator

    gen = load_generator(None)
    gen.generate(bars=8, seed=1)
    figures["music_sampler_numpy_8_bars_cpu_s"] = round(
        median_seconds(lambda: gen.generate(bars=8, seed=1), args.repeats), 4)

    print(f"torch {figures['torch']}, {figures['cpu_threads']} CPU threads, GPU {figures['gpu']}")
    print(f"{'job':<24} {'CPU s':>9} {'GPU s':>9} {'speed-up':>9}")
    for name in ("lyrics_8_lines", "music_network_batch64"):
        f = figures[name]
        print(f"{name:<24} {f['cpu_s']:>9.4f} {f['gpu_s']:>9.4f} {f['speedup']:>8}x")
    print(f"{'music sampler (numpy)':<24} {figures['music_sampler_numpy_8_bars_cpu_s']:>9.4f}"
          f" {'-':>9} {'(CPU only)':>9}")
    print(json.dumps(figures))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
