"""Run core jobs in QThreads and turn their callbacks into Qt signals.

Every job gets the same signal set (superqt / napari style): ``started``,
``progress(fraction, message)``, ``result(object)``, ``error(message)``, ``finished``,
plus ``notice(message)`` for things the user should read but that are not errors (the
GPU ran out of memory and the job was retried on the CPU).

All public signals are emitted on the GUI thread by the Worker itself; the thread only
talks to an internal runner. That is what makes cancellation airtight: ``cancel()``
runs on the GUI thread, so once it returns no ``result`` can be delivered any more, and a
cancelled job therefore changes nothing, even if the core function was one step from
done. The UI is told at once (``finished`` is emitted inside ``cancel()``), while the
thread stops at the job's next ``cancel.check()`` and is reaped in the background.

Workers never touch widgets; the core function receives a progress callback and a
CancelToken, never a Qt object.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core.errors import SongloomError
from core.jobs import CancelToken, JobCancelled
from desktop.i18n import translate
from desktop.runtime.process_tweaks import preload_numpy, share_gil_with_the_gui

# Progress from a per-token loop would flood the GUI event queue; 25 ms is smoother
# than the eye needs and cheap for the GUI thread.
PROGRESS_INTERVAL_S = 0.025

# Threads whose Worker was cancelled or abandoned but whose core function has not yet
# reached its next cancel check: kept alive here so Qt never destroys a running QThread.
# The runner is kept with it: a Worker dropped by its owner must not take them down.
_LIVE_THREADS: dict[QThread, _Runner] = {}

# Foreground jobs (what the user asked for) running now: background warm-ups wait for
# them between their steps (wait_for_foreground_jobs), so two jobs never fight the GUI
# thread for the GIL at once.
_foreground_running = 0
_FOREGROUND_LOCK = threading.Lock()
_foreground_holds: set[str] = set()  # e.g. "playback": the user is listening


def foreground_jobs_running() -> int:
    return _foreground_running


def _count_foreground(delta: int) -> None:
    global _foreground_running
    with _FOREGROUND_LOCK:
        _foreground_running += delta


def hold_background_work(reason: str, on: bool) -> None:
    """Make background warm-ups wait while ``reason`` lasts (playback: the audio callback
    needs the GIL in time, as the GUI thread does)."""
    if on:
        _foreground_holds.add(reason)
    else:
        _foreground_holds.discard(reason)


def wait_for_foreground_jobs(cancel: CancelToken | None = None, poll_s: float = 0.05) -> None:
    """Block (without the GIL) while a foreground job runs or a hold lasts; for background
    warm-ups, between their steps. Raises JobCancelled when ``cancel`` is set meanwhile."""
    while _foreground_running > 0 or _foreground_holds:
        if cancel is not None:
            cancel.check()
        time.sleep(poll_s)
    if cancel is not None:
        cancel.check()


class _Runner(QObject):
    """Lives in the worker thread and calls the core function."""

    began = Signal()
    advanced = Signal(float, str)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    noticed = Signal(str)

    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, device: str | None,
                 token: CancelToken, name: str):
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._device, self.token, self._name = device, token, name
        self._last_emit = 0.0
        self._last_fraction = -1.0
        self.foreground = False  # counted in foreground_jobs_running() while it runs

    def _progress(self, fraction: float, message: str = "") -> None:
        # Called from the core function, in the worker thread.
        now = time.perf_counter()
        fraction = min(max(float(fraction), 0.0), 1.0)
        if fraction >= 1.0 or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._last_emit, self._last_fraction = now, fraction
            self.advanced.emit(fraction, str(message))

    def _call(self, device: str | None) -> Any:
        kwargs = dict(self._kwargs, progress=self._progress, cancel=self.token)
        if device is not None:
            kwargs["device"] = device
        return self._fn(*self._args, **kwargs)

    @Slot()
    def run(self) -> None:
        self.began.emit()
        try:
            # Every job uses numpy: mapped without the GIL. torch only where a job needs it
            # (process_tweaks.preload_torch_libraries): WAV export and the numpy music
            # sampler never import it.
            preload_numpy()
            self.token.check()
            if self._device is None:
                value = self._call(None)
            else:
                from core.device import run_with_cpu_fallback

                value = run_with_cpu_fallback(self._call, self._device, self.noticed.emit)
            self.token.check()
        except JobCancelled:
            self.cancelled.emit()
        except SongloomError as exc:
            self.failed.emit(str(exc))
        except MemoryError:
            self.failed.emit(translate("Generate", "{job}: not enough memory for this job").format(
                job=translate("Generate", self._name)))
        except Exception as exc:  # noqa: BLE001 - a bug: report it, never crash the GUI
            if self.token.cancelled:  # e.g. shutting down mid-import: nobody is waiting
                self.cancelled.emit()
                return
            traceback.print_exc()
            self.failed.emit(translate(
                "Generate", "{job} failed unexpectedly ({error})").format(
                    job=translate("Generate", self._name), error=f"{type(exc).__name__}: {exc}"))
        else:
            self.done.emit(value)
        finally:
            if self.foreground:  # in this thread, so a Worker dropped early still counts down
                self.foreground = False
                _count_foreground(-1)
            # quit() is thread-safe; called here, not through a queued connection, so a
            # GUI thread blocked in wait() (shutdown, tests) still sees the thread end.
            try:
                QThread.currentThread().quit()
            except RuntimeError:  # interpreter shutdown already took the wrapper
                pass


class Worker(QObject):
    """One background job: ``Worker(fn, *args, **kwargs).start()``.

    ``fn`` is called in a QThread as ``fn(*args, progress=..., cancel=..., **kwargs)``;
    with ``device=`` it also gets ``device=`` and is retried with ``device='cpu'`` after a
    GPU out-of-memory error (``notice`` tells the user).
    """

    started = Signal()
    progress = Signal(float, str)
    result = Signal(object)
    error = Signal(str)
    finished = Signal()
    notice = Signal(str)

    def __init__(self, fn: Callable[..., Any], *args: Any, name: str = "Job",
                 device: str | None = None, parent: QObject | None = None,
                 background: bool = False, **kwargs: Any):
        """``background``: a warm-up nobody waits for; it does not count as a foreground
        job (which background work yields to, see wait_for_foreground_jobs)."""
        super().__init__(parent)
        self.name = name
        self.background = background
        self.token = CancelToken()
        self.fraction = 0.0
        self.message = ""
        self.fell_back_to_cpu = False
        self._state = "new"  # new, running, done, failed, cancelled
        self._thread = QThread()
        self._thread.setObjectName(f"songloom-{name}")
        self._runner = _Runner(fn, args, kwargs, device, self.token, name)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # The runner's signals cross threads: queued into this (GUI-thread) object.
        self._runner.began.connect(self._on_began)
        self._runner.advanced.connect(self._on_advanced)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._runner.noticed.connect(self._on_notice)
        self._thread.finished.connect(self._reap)

    # -- control (GUI thread) -------------------------------------------------------
    def start(self) -> Worker:
        if self._state != "new":
            raise RuntimeError(f"worker {self.name!r} was already started")
        self._state = "running"
        _LIVE_THREADS[self._thread] = self._runner
        share_gil_with_the_gui()
        if not self.background:  # counted until the job's thread ends (_Runner.run)
            _count_foreground(1)
            self._runner.foreground = True
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Stop the job: nothing it produces is delivered after this returns."""
        if self._state not in ("new", "running"):
            return
        self.token.cancel()
        was_running = self._state == "running"
        self._state = "cancelled"
        if was_running:
            self.progress.emit(self.fraction, translate("Generate", "Cancelled"))
        self.finished.emit()

    @property
    def state(self) -> str:
        return self._state

    @property
    def is_running(self) -> bool:
        return self._state == "running"

    @property
    def was_cancelled(self) -> bool:
        return self._state == "cancelled"

    def thread_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Block until the thread has ended (tests, shutdown)."""
        return self._thread.wait(timeout_ms)

    # -- relays from the runner (GUI thread) -------------------------------------------
    @Slot()
    def _on_began(self) -> None:
        if self._state == "running":
            self.started.emit()

    @Slot(float, str)
    def _on_advanced(self, fraction: float, message: str) -> None:
        if self._state == "running":
            self.fraction, self.message = fraction, message
            self.progress.emit(fraction, message)

    @Slot(object)
    def _on_done(self, value: object) -> None:
        if self._state == "running":
            self._state = "done"
            self.fraction = 1.0
            self.result.emit(value)
            self.finished.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._state == "running":
            self._state = "failed"
            self.error.emit(message)
            self.finished.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        # The job noticed the token on its own (cancel() already told the UI).
        if self._state == "running":
            self._state = "cancelled"
            self.finished.emit()

    @Slot(str)
    def _on_notice(self, message: str) -> None:
        if message.startswith("The GPU ran out of memory"):
            self.fell_back_to_cpu = True
        if self._state == "running":
            self.notice.emit(message)

    @Slot()
    def _reap(self) -> None:
        _LIVE_THREADS.pop(self._thread, None)


def run_in_thread(fn: Callable[..., Any], *args: Any, on_result=None, on_error=None,
                  on_progress=None, on_finished=None, **kwargs: Any) -> Worker:
    """Start a Worker with the usual connections; returns it (keep a reference)."""
    worker = Worker(fn, *args, **kwargs)
    for signal, slot in ((worker.result, on_result), (worker.error, on_error),
                         (worker.progress, on_progress), (worker.finished, on_finished)):
        if slot is not None:
            signal.connect(slot)
    return worker.start()


def shutdown_workers(timeout_ms: int = 3000) -> bool:
    """Ask every live job thread to end and wait for them (at application exit)."""
    for runner in list(_LIVE_THREADS.values()):
        runner.token.cancel()
    ok = True
    deadline = time.perf_counter() + timeout_ms / 1000
    for thread in list(_LIVE_THREADS):
        left = max(0, int((deadline - time.perf_counter()) * 1000))
        ok = thread.wait(left) and ok
    return ok


# How long the process waits at exit for job threads to reach their next cancel check.
# A job cannot be stopped inside one step: an import of numba or librosa in the sound
# warm-up took more than the window's 3 s on a loaded machine, and the frozen app then
# aborted at exit ("QThread: Destroyed while thread 'songloom-Warm-up sound' is still
# running"). The window is already gone by then; only a hung job meets this limit.
EXIT_WAIT_MS = 120_000


def join_workers_at_exit(timeout_ms: int = EXIT_WAIT_MS) -> bool:
    """Cancel every job and wait until each thread has ended; the last thing before the
    interpreter tears its modules down, which would destroy a still-running QThread (Qt
    then aborts the process: SIGABRT, a core file, exit code 134). A thread still running
    after ``timeout_ms`` is a hung job: the process ends at once (exit 1, one line on
    stderr) rather than abort."""
    if shutdown_workers(timeout_ms):
        return True
    names = sorted(t.objectName() for t in _LIVE_THREADS if t.isRunning())
    print(f"songloom: {', '.join(names)} did not stop within {timeout_ms // 1000} s of "
          "quitting; exiting without it", file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed or absent (windowed app)
            pass
    os._exit(1)


# Registered at import, so it runs after atexit handlers registered later (LIFO) and
# before module teardown: a script or the window quitting right after a result is joined.
atexit.register(join_workers_at_exit)


def live_thread_count() -> int:
    return sum(1 for t in _LIVE_THREADS if t.isRunning())
