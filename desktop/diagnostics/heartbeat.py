"""GUI stall monitor: a fast timer on the GUI thread that records the longest gap.

A Qt timer only fires when the event loop runs, so the time between two ticks, minus
the interval, is how long the GUI thread was blocked (busy in a slot, or waiting for
the GIL held by a worker). The issue's bar: never more than 50 ms while generating,
rendering or scoring.

Each long stall is kept with what explains it: the phase it fell in, the GUI thread's own
CPU time during the gap (close to the gap: the GUI thread was busy - our code or Qt's;
close to 0: it was waiting - for the GIL, or for a CPU on a busy machine) and, with
``capture_stacks``, where the GUI thread and the other threads were at the time.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, QTimer

STALL_LIMIT_MS = 50.0
KEEP_STALLS = 12  # the longest ones, for reports
REPORT_FROM_MS = 20.0  # shorter gaps are not kept in ``stalls``


def _where(frame, depth: int = 4) -> str:
    stack = traceback.extract_stack(frame)[-depth:]
    return " <- ".join(f"{f.name} ({f.filename.rsplit('/', 1)[-1]}:{f.lineno})"
                       for f in reversed(stack))


class Heartbeat(QObject):
    """``hb = Heartbeat(); hb.start(); ...; hb.longest_stall_ms``.

    ``phase(name)`` records the longest stall per named phase as well, so a report can
    say where the GUI was blocked (start-up, generation, scoring ...); ``stalls`` holds
    the longest gaps with their phase, GUI CPU time and (``capture_stacks``) stacks.
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
        self._others = ""
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last: float | None = None
        self._last_cpu = 0.0
        self.longest_stall_ms = 0.0
        self.ticks = 0
        self.phases: dict[str, float] = {}
        self.phases_where: dict[str, str] = {}
        self.stalls: list[dict] = []
        self._phase: str | None = None

    def start(self) -> None:
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
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
        me = threading.get_ident()
        while self._sampler is threading.current_thread():
            time.sleep(0.01)  # (it takes the GIL too: not more often)
            last = self._last
            if last is None or (time.perf_counter() - last) * 1000 < REPORT_FROM_MS:
                continue
            if self._sample:
                # Keep the first look: a later one may already be past the blocking code
                # (back in the event loop, the late tick not yet run) and name the wrong place.
                continue
            frames = sys._current_frames()
            frame = frames.get(self._gui_ident)
            if frame is not None:
                names = {t.ident: t.name for t in threading.enumerate()}
                self._others = "; ".join(
                    f"{names.get(ident, ident)}: {_where(f, 2)}" for ident, f in frames.items()
                    if ident not in (self._gui_ident, me))
                self._sample = _where(frame)

    def reset(self) -> None:
        self.longest_stall_ms = 0.0
        self.ticks = 0
        self.phases.clear()
        self.phases_where.clear()
        self.stalls.clear()
        self._last = time.perf_counter() if self._timer.isActive() else None
        self._last_cpu = time.thread_time()

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
        now, cpu = time.perf_counter(), time.thread_time()
        if self._last is not None:
            stall = max(0.0, (now - self._last) * 1000.0 - self.interval_ms)
            self.ticks += 1
            if stall > self.longest_stall_ms:
                self.longest_stall_ms = stall
                self.longest_stall_where = self._sample
            if self._phase is not None and stall > self.phases.get(self._phase, 0.0):
                self.phases[self._phase] = stall
                if self._sample:
                    self.phases_where[self._phase] = self._sample
            if stall >= REPORT_FROM_MS:
                self._keep(stall, (cpu - self._last_cpu) * 1000.0)
        self._last, self._last_cpu = now, cpu
        self._sample = self._others = ""

    def _keep(self, stall: float, gui_cpu: float) -> None:
        record = {"ms": round(stall, 1), "phase": self._phase or "",
                  "gui_cpu_ms": round(gui_cpu, 1), "gui_where": self._sample}
        if self._others:
            record["other_threads"] = self._others
        self.stalls.append(record)
        self.stalls.sort(key=lambda r: -r["ms"])
        del self.stalls[KEEP_STALLS:]
