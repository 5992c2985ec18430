"""Compute device choice: CUDA when present (or asked for), Apple MPS, else the CPU.

torch is imported lazily so that importing this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.errors import SongloomError

T = TypeVar("T")
CHOICES = ("auto", "cpu", "cuda", "mps")


def choose_device(preference: str = "auto") -> str:
    """'auto' picks cuda > mps > cpu; an explicit choice that is absent is an error."""
    import torch

    pref = (preference or "auto").lower()
    if pref not in CHOICES:
        raise SongloomError(f"unknown device {preference!r} (use {', '.join(CHOICES)})")
    has_cuda = torch.cuda.is_available()
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if pref == "auto":
        return "cuda" if has_cuda else "mps" if has_mps else "cpu"
    if pref == "cuda" and not has_cuda:
        raise SongloomError("device cuda was asked for, but no CUDA GPU is available")
    if pref == "mps" and not has_mps:
        raise SongloomError("device mps was asked for, but Apple MPS is not available")
    return pref


def is_out_of_memory(exc: BaseException) -> bool:
    name = type(exc).__name__
    return name == "OutOfMemoryError" or "out of memory" in str(exc).lower()


def run_with_cpu_fallback(
    fn: Callable[[str], T], device: str, on_fallback: Callable[[str], None] | None = None
) -> T:
    """Run ``fn(device)``; on a GPU out-of-memory error run ``fn('cpu')`` and say so."""
    try:
        return fn(device)
    except Exception as exc:  # noqa: BLE001 - only OOM is handled, the rest re-raised
        if device == "cpu" or not is_out_of_memory(exc):
            raise
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
        if on_fallback:
            on_fallback(f"The GPU ran out of memory; ran on the CPU instead ({exc})")
        return fn("cpu")
