"""GUI stall monitor: a fast timer on the GUI thread that records the longest gap.

A Qt timer only fires when the event loop runs, so the time between two ticks, minus
the interval, is how long the GUI thread was blocked (busy in a slot, or waiting for
the GIL held by a worker). The issue's bar: never more than 50 ms while generating,
rendering or scoring.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, QTimer

STALL_LIMIT_MS = 50.0


class Heartbeat(QObject):
    """``hb = Heartbeat(); hb.start(); ...; hb.longest_stall_ms``.

    ``phase(name)`` records the longest stall per named phase as well, so a report can
    say where the GUI was blocked (start-up, generation, scoring ...).
    """

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None,
                 capture_stacks: bool = False):
        super().__init__(parent)
        # With capture_stacks, a sampler thread notes where the GUI thread is while it is
        # blocked, so a report can name the code behind the longest stall.
        self.capture_stacks = capture_stacks
        self.longest_stall_where = ""
        self._gui_ident = threading.get_ident()
        self._sampler: threading.Thread | None = None
        self._sample = ""
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last: float | None = None
        self.longest_stall_ms = 0.0
        self.ticks = 0
        self.phases: dict[str, float] = {}
        self.phases_where: dict[str, str] = {}
        self._phase: str | None = None

    def start(self) -> None:
        self._last = time.perf_counter()
        self._gui_ident = threading.get_ident()
        self._timer.start()
        if self.capture_stacks and self._sampler is None:
            self._sampler = threading.Thread(target=self._sample_loop, daemon=True,
                                             name="songloom-stall-sampler")
            self._sampler.start()

    def stop(self) -> None:
        self._tick()
        self._timer.stop()
        self._last = None
        sampler, self._sampler = self._sampler, None
        if sampler is not None:
            sampler.join(1.0)

    def _sample_loop(self) -> None:
        while self._sampler is threading.current_thread():
            time.sleep(0.01)
            last = self._last
            if last is None or (time.perf_counter() - last) * 1000 < STALL_LIMIT_MS:
                continue
            if self._sample:
                # Keep the first look: a later one may already be past the blocking code
                # (back in the event loop, the late tick not yet run) and name the wrong place.
                continue
            frame = sys._current_frames().get(self._gui_ident)
            if frame is not None:
                stack = traceback.extract_stack(frame)[-4:]
                self._sample = " <- ".join(f"{f.name} ({f.filename.rsplit('/', 1)[-1]}:"
                                           f"{f.lineno})" for f in reversed(stack))

    def reset(self) -> None:
        self.longest_stall_ms = 0.0
        self.ticks = 0
        self.phases.clear()
        self.phases_where.clear()
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
                if self._sample:
                    self.longest_stall_where = self._sample
            if self._phase is not None and stall > self.phases.get(self._phase, 0.0):
                self.phases[self._phase] = stall
                if self._sample:
                    self.phases_where[self._phase] = self._sample
        self._last = now
        self._sample = ""
