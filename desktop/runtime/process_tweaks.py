"""Process-wide tweaks that keep the window smooth while background jobs run.

All of them change the whole Python process, so they live here, in one place, each with
the measurement that justifies it. Reproduce the figures with
``songloom-cli bench tweaks`` (desktop/diagnostics/tweak_bench.py: fresh processes,
variants interleaved, a main-thread heartbeat that sleeps 1 ms standing in for the GUI
thread). Figures: this project's 2-core Linux development machine, shared with other
jobs (so absolute times are high), the bench at nice 10, medians of 5 runs.

1. GIL switch interval 1 ms (``share_gil_with_the_gui``). While a worker computes in
   Python, the GUI thread waits for the GIL each time it wakes (every event it handles).
   Heartbeat wait per wake, mean / longest: 13.7 / 37 ms at Python's default 5 ms,
   5.4 / 21 ms at 1 ms.
2. Garbage collector paused, then frozen, around heavy imports (``gc_paused``) and
3. torch's and numpy's shared libraries mapped with ``dlopen`` through ctypes, which
   releases the GIL (``preload_torch_libraries``, ``preload_numpy``; Linux); an import
   maps them holding the GIL. Importing torch and transformers in a worker, the
   heartbeat's longest wait: 2,291 ms plain (931 cyclic collections, 4.7 s of them),
   1,862 ms with the collector paused, 706 ms with the libraries mapped first, 114 ms
   with both (what the app does). Neither alone is enough. ``gc.freeze`` then keeps the
   imported objects out of every later full collection.
4. No cyclic collection during start-up (``pause_collector_for_start_up`` until
   ``resume_garbage_collection``, desktop/app.py): start-up only allocates (Qt's enums,
   the widgets' wrappers); the collections that allocation triggered found nothing to
   free while costing 20-25 ms of CPU (measured when it was added; ``songloom-cli bench
   startup`` times the start-up with it). Everything start-up made is then frozen.

Which jobs pay for which library: a Worker maps numpy (every job uses it); torch is
imported only by jobs that need it (the lyrics model, the compute-device check), through
``preload_torch_libraries``. WAV export and the numpy music sampler never import it.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

GIL_SWITCH_INTERVAL_S = 0.001

_PRELOAD_LOCK = threading.Lock()
_GC_LOCK = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True
_torch_ready = False


def share_gil_with_the_gui() -> None:
    """Tweak 1: hand the GIL over after 1 ms instead of 5 when another thread waits."""
    if sys.getswitchinterval() > GIL_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


@contextmanager
def gc_paused():
    """Tweak 2: no cyclic garbage collection inside; what was allocated is then frozen
    (``gc.freeze``: never scanned again). Process-wide, for a few seconds at most;
    nested and concurrent uses share one pause."""
    global _gc_pausers, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pausers -= 1
            if _gc_pausers == 0:
                gc.freeze()
                if _gc_was_enabled:
                    gc.enable()


def pause_collector_for_start_up() -> None:
    """Tweak 4: no cyclic collection until the window's contents are built."""
    gc.disable()


def resume_garbage_collection() -> None:
    """After start-up (once; later calls do nothing): move everything start-up made
    (modules, classes, enums, the window's wrappers: all long-lived) out of the
    collector's sight, so later full collections, which pause the GUI thread, scan only
    newer objects; then collect again."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def dlopen_without_gil(paths) -> None:
    """Tweak 3: dlopen shared libraries through ctypes, which releases the GIL around the
    call; the import that follows finds them mapped and only runs the module's init.
    Linux only; only an optimisation (any failure leaves the plain import)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # here, not at module level: ctypes is not on the start-up path

        dlopen = ctypes.CDLL(None).dlopen
        dlopen.restype = ctypes.c_void_p
        dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
        for path in paths:
            if Path(path).exists():
                dlopen(str(path).encode(), os.RTLD_NOW | os.RTLD_GLOBAL)
    except (OSError, AttributeError, ValueError):
        pass  # the import still works, only less smoothly


def _package_dir(name: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(name)  # finds, does not import
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def torch_libraries() -> list[Path]:
    root = _package_dir("torch")
    if root is None:
        return []
    return [root / "lib" / name for name in
            ("libc10.so", "libtorch_cpu.so", "libtorch.so", "libtorch_python.so")]


def numpy_libraries() -> list[Path]:
    root = _package_dir("numpy")
    return sorted((root / "_core").glob("_multiarray_umath*.so")) if root is not None else []


def preload_numpy() -> None:
    """numpy imported with tweaks 2 and 3 (its core extension links OpenBLAS)."""
    if "numpy" in sys.modules:
        return
    dlopen_without_gil(numpy_libraries())
    with gc_paused():
        import numpy  # noqa: F401


def preload_torch_libraries() -> None:
    """torch imported with tweaks 2 and 3, once per process, by whichever job needs it
    first; the others wait until it is completely imported. (``"torch" in sys.modules``
    is true from the first line of its import: two threads importing torch's submodules
    at once can get a half-initialised module, hence the flag and the lock.)"""
    global _torch_ready
    if _torch_ready:
        return
    with _PRELOAD_LOCK:  # a second worker waits here without holding the GIL
        if _torch_ready:
            return
        preload_numpy()  # torch imports numpy: that too without freezing the window
        with gc_paused():
            if "torch" not in sys.modules:
                dlopen_without_gil(torch_libraries())
            import torch  # noqa: F401
        _torch_ready = True
