"""GUI stall monitor: a fast timer on the GUI thread that records the longest gap.

A Qt timer only fires when the event loop runs, so the time between two ticks, minus
the interval, is how long the GUI thread was blocked (busy in a slot, or waiting for
the GIL held by a worker). The issue's bar: never more than 50 ms while generating,
rendering or scoring.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, QTimer

STALL_LIMIT_MS = 50.0


class Heartbeat(QObject):
    """``hb = Heartbeat(); hb.start(); ...; hb.longest_stall_ms``.

    ``phase(name)`` records the longest stall per named phase as well, so a report can
    say where the GUI was blocked (start-up, generation, scoring ...).
    """

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None):
        super().__init__(parent)
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last: float | None = None
        self.longest_stall_ms = 0.0
        self.ticks = 0
        self.phases: dict[str, float] = {}
        self._phase: str | None = None

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._tick()
        self._timer.stop()
        self._last = None

    def reset(self) -> None:
        self.longest_stall_ms = 0.0
        self.ticks = 0
        self.phases.clear()
        self._last = time.perf_counter() if self._timer.isActive() else None

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @contextmanager
    def phase(self, name: str):
        """Attribute stalls inside the ``with`` block to ``name`` (not nested)."""
        self._tick()
        previous, self._phase = self._phase, name
        self.phases.setdefault(name, 0.0)
        try:
            yield self
        finally:
            self._tick()
            self._phase = previous

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            stall = max(0.0, (now - self._last) * 1000.0 - self.interval_ms)
            self.ticks += 1
            if stall > self.longest_stall_ms:
                self.longest_stall_ms = stall
            if self._phase is not None and stall > self.phases.get(self._phase, 0.0):
                self.phases[self._phase] = stall
        self._last = now
