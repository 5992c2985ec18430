"""CUDA-marked tests: they run where torch sees an NVIDIA GPU (installer/gpu-check.sh) and
skip, saying why, everywhere else (CI and developers' machines have no GPU)."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "cuda: needs an NVIDIA GPU (installer/gpu-check.sh runs them)")


def _no_cuda_reason() -> str | None:
    if os.environ.get("SONGLOOM_GPU_TEST_DEVICE", "cuda") != "cuda":
        return None  # a rehearsal of these tests on another device (see test_cuda.py)
    try:
        import torch
    except ImportError:
        return "torch is not installed"
    if not torch.cuda.is_available():
        return f"no CUDA GPU (torch {torch.__version__}, built for CUDA {torch.version.cuda})"
    return None


def pytest_collection_modifyitems(config, items):
    marked = [item for item in items if item.get_closest_marker("cuda")]
    if not marked:
        return
    reason = _no_cuda_reason()  # imports torch only when a CUDA test was collected
    if reason and os.environ.get("SONGLOOM_REQUIRE_CUDA") == "1":
        # installer/gpu-check.sh: on the GPU machine a skip would hide a broken GPU path.
        pytest.exit(f"CUDA tests required, but {reason}", returncode=3)
    if reason:
        for item in marked:
            item.add_marker(pytest.mark.skip(reason=reason))
