"""PyInstaller runtime hook: make the bundle use its own copies of native audio libraries.

pyfluidsynth and sounddevice locate libfluidsynth / libportaudio with
ctypes.util.find_library, which on Linux only asks the system linker cache: on a
machine without those packages the frozen app would fail to make a sound although the
libraries sit beside it. Look in the bundle first, for these names only, so a user's
system copy can never shadow (or replace) the version we tested with.
"""

import ctypes.util
import glob
import os
import sys

_BUNDLED = ("fluidsynth", "portaudio", "sndfile")
_system_find_library = ctypes.util.find_library


def _bundle_find_library(name):
    base = getattr(sys, "_MEIPASS", None)
    stem = name[3:] if name.startswith("lib") else name
    if base and any(stem.startswith(lib) for lib in _BUNDLED):
        for pattern in (
            f"lib{stem}.so",
            f"lib{stem}.so.*",
            f"lib{stem}.dylib",
            f"lib{stem}.*.dylib",
            f"lib{stem}.dll",
            f"{stem}.dll",
        ):
            hits = sorted(glob.glob(os.path.join(base, pattern)))
            if hits:
                return hits[0]
    return _system_find_library(name)


ctypes.util.find_library = _bundle_find_library
# Models are bundled; never let transformers / huggingface_hub reach for the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
