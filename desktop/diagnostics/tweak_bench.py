"""``songloom-cli bench tweaks``: what each process-wide tweak of
desktop/runtime/process_tweaks.py buys, measured in fresh processes.

A main-thread heartbeat stands in for the GUI thread: it sleeps 1 ms (releasing the GIL,
as Qt's event loop does between events) and records how much longer than that it waited
to run again, while a worker thread does the job. Variants run interleaved, ``repeats``
times each; medians are reported.

- ``switch``: the worker computes in Python for 1 s; the heartbeat's mean and longest wait
  per wake at the default switch interval (5 ms) and at 1 ms.
- ``import``: the worker imports torch and transformers; the heartbeat's longest wait and
  the cyclic collections that ran, plain, with the collector paused, with the libraries
  dlopen-ed first, and with both (what the app does).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

_PROBE = r'''
import gc, json, sys, threading, time
variant = sys.argv[1]
from desktop.runtime import process_tweaks as tw
collections, gc_ms = [0], [0.0]
started = {}
def on_gc(phase, info):
    if phase == "start":
        started["t"] = time.perf_counter()
    elif "t" in started:
        collections[0] += 1
        gc_ms[0] += 1000 * (time.perf_counter() - started.pop("t"))
gc.callbacks.append(on_gc)
done = threading.Event()
def job():
    if variant.startswith("switch"):
        sys.setswitchinterval(0.001 if variant == "switch-1ms" else 0.005)
        end, x = time.perf_counter() + 1.0, 0
        while time.perf_counter() < end:
            x += 1
    else:
        dl, pause = "dlopen" in variant, "paused" in variant
        import contextlib
        with tw.gc_paused() if pause else contextlib.nullcontext():
            if dl:
                tw.dlopen_without_gil(tw.numpy_libraries())
                tw.dlopen_without_gil(tw.torch_libraries())
            import torch  # noqa: F401
            from transformers import GPT2LMHeadModel  # noqa: F401
    done.set()
waits = []
worker = threading.Thread(target=job)
t0 = time.perf_counter()
worker.start()
while not done.is_set():
    a = time.perf_counter()
    time.sleep(0.001)
    waits.append(1000 * (time.perf_counter() - a - 0.001))
worker.join()
print(json.dumps({"mean_wait_ms": sum(waits) / max(len(waits), 1), "max_wait_ms": max(waits),
                  "job_s": time.perf_counter() - t0, "collections": collections[0],
                  "gc_ms": gc_ms[0]}))
'''

VARIANTS = {"switch": ("switch-5ms", "switch-1ms"),
            "import": ("plain", "paused", "dlopen", "dlopen+paused")}


def _run(variant: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE, variant], capture_output=True,
                         text=True, timeout=300)
    lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
    if out.returncode != 0 or not lines:
        from core.errors import SongloomError

        raise SongloomError(f"tweak probe {variant} failed: {out.stderr.strip()[-300:]}")
    return json.loads(lines[-1])


def bench_tweaks(repeats: int = 5, which: tuple[str, ...] = ("switch", "import")) -> dict:
    runs: dict[str, list[dict]] = {v: [] for w in which for v in VARIANTS[w]}
    for _ in range(repeats):
        for w in which:
            for v in VARIANTS[w]:
                runs[v].append(_run(v))
    return {v: {k: round(statistics.median(r[k] for r in rs), 2) for k in rs[0]}
            for v, rs in runs.items()} | {"repeats": repeats}


def run_cli(args) -> int:
    result = bench_tweaks(args.repeats, tuple(args.only or VARIANTS))
    if args.json:
        print(json.dumps(result))
        return 0
    for v, r in result.items():
        if v != "repeats":
            print(f"{v:14s} heartbeat wait mean {r['mean_wait_ms']:6.2f} ms, longest "
                  f"{r['max_wait_ms']:7.1f} ms; job {r['job_s']:.2f} s; {r['collections']:.0f} "
                  f"collections, {r['gc_ms']:.0f} ms")
    print(f"(medians of {result['repeats']} fresh processes per variant)")
    return 0
