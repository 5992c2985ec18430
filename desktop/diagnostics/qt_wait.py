"""Waiting for a condition while the Qt event loop keeps running (self-test, stall bench)."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``predicate()`` or the timeout (never blocks it)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: (predicate() or time.perf_counter() > deadline)
                          and loop.quit())
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    return predicate()
