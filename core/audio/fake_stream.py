"""A stand-in for sounddevice.OutputStream where there is no sound card (tests, self-test, CI).

It calls the player's callback from its own thread at the pace a real device would
(``speed=1.0``: one block every blocksize / samplerate seconds) and keeps what the callback
wrote, so tests can listen to the output: is it silent, when does sound start, how loud.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import numpy as np


class FakeOutputStream:
    """Duck-types the parts of sounddevice.OutputStream the player uses."""

    def __init__(self, samplerate: float = 44100, blocksize: int = 256, channels: int = 2,
                 dtype: str = "float32", callback=None, latency=None, speed: float = 1.0,
                 keep_seconds: float = 60.0, **_ignored):
        if callback is None:
            raise ValueError("FakeOutputStream needs a callback")
        self.samplerate = float(samplerate)
        self.blocksize = int(blocksize) or 256
        self.channels = int(channels)
        self.dtype = dtype
        self.callback = callback
        self.speed = float(speed)
        self.requested_latency = latency  # what the player asked the device for
        self.latency = self.blocksize / self.samplerate  # what a real device adds on top
        self._keep = int(keep_seconds * self.samplerate)
        self._record = np.zeros((self._keep, self.channels), dtype=np.float32)
        self.frames_done = 0  # frames pulled from the callback since start
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.closed = False
        self.callback_error: BaseException | None = None

    # -- the sounddevice.OutputStream interface --------------------------------------
    @property
    def active(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.closed:
            raise RuntimeError("stream is closed")
        if self.active:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="FakeOutputStream", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        self._thread = None

    abort = stop

    def close(self) -> None:
        self.stop()
        self.closed = True

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    # -- for tests ------------------------------------------------------------------
    def recorded(self, last_seconds: float | None = None) -> np.ndarray:
        """A copy of the most recent output (up to ``keep_seconds``), oldest first."""
        with self._lock:
            n = min(self.frames_done, self._keep)
            if last_seconds is not None:
                n = min(n, int(last_seconds * self.samplerate))
            end = self.frames_done % self._keep
            idx = (np.arange(end - n, end)) % self._keep
            return self._record[idx].copy()

    def wait_frames(self, frames: int, timeout: float = 10.0) -> bool:
        """Block until ``frames`` more frames have been pulled (or the timeout passes)."""
        target = self.frames_done + frames
        deadline = time.monotonic() + timeout
        while self.frames_done < target and time.monotonic() < deadline:
            time.sleep(0.002)
        return self.frames_done >= target

    # -- the device's clock ---------------------------------------------------------
    def _run(self) -> None:
        period = self.blocksize / self.samplerate / self.speed
        out = np.zeros((self.blocksize, self.channels), dtype=np.float32)
        next_time = time.monotonic()
        while not self._stop.is_set():
            out.fill(0.0)
            t = time.monotonic()
            info = SimpleNamespace(outputBufferDacTime=t + self.latency, currentTime=t)
            try:
                self.callback(out, self.blocksize, info, None)
            except BaseException as exc:  # noqa: BLE001 - a real stream stops on errors too
                self.callback_error = exc
                break
            with self._lock:
                pos = self.frames_done % self._keep
                take = min(self.blocksize, self._keep - pos)
                self._record[pos:pos + take] = out[:take]
                self._record[: self.blocksize - take] = out[take:]
                self.frames_done += self.blocksize
            next_time += period
            delay = next_time - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.5:  # fell far behind (a loaded CI box): don't try to catch up
                next_time = time.monotonic()
