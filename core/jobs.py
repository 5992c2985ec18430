"""The Qt-free job protocol: long work reports progress and stops when asked.

Core functions that take a while accept ``progress`` and ``cancel`` keyword arguments.
They call ``progress(fraction, message)`` now and then and ``cancel.check()`` between
steps (per GAN batch, per token); ``check`` raises ``JobCancelled`` so the caller's
state is never half-changed. desktop/runtime/workers.py turns these into Qt signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressFn = Callable[[float, str], None]


class JobCancelled(Exception):
    """Raised inside a job when its CancelToken was set."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise JobCancelled()


def no_progress(fraction: float, message: str = "") -> None:
    """The default progress callback: ignore."""


NEVER_CANCELLED = CancelToken()
