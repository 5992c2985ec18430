"""Running one hostile case: in a subprocess, under a memory limit, against a clock.

Each case runs ``songloom-cli`` (or a short Python script, for the app) in a fresh
process whose address space is capped with ``RLIMIT_AS``, so a case that tries to read
/dev/zero or allocate 24 GB fails inside the child instead of taking the machine down.
The checks every case shares:

- one clear error: exit status 2, nothing on stdout, exactly one line on stderr, starting
  ``songloom-cli: error:``, and no traceback;
- time: at most 2 s of CPU, and 2 s of wall-clock time scaled by how loaded the machine
  is (a blocked read on a FIFO uses no CPU, so the wall clock catches hangs; the scaling
  keeps a busy 2-core CI box from failing good code); a case that runs past the hang
  limit is killed and fails;
- nothing left behind: the folder holds the same files afterwards (no ``.part``, no
  half-written output).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT_S = 2.0
MEM_LIMIT_MB = 1024  # the CLI reading a song needs ~300 MB of address space (numpy, BLAS)
APP_MEM_LIMIT_MB = 3072  # Qt's offscreen platform maps more


@dataclass
class Outcome:
    rc: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float
    hung: bool

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def load_factor() -> float:
    """How many times over the CPUs are booked (1 on an idle machine)."""
    try:
        return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    except OSError:
        return 1.0


def _limited(mem_mb: int):
    def apply() -> None:
        limit = mem_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _env(extra: dict | None) -> dict:
    env = dict(os.environ)
    env.update({"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                "QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1", "PYTHONWARNINGS": "ignore"})
    env.update(extra or {})
    return env


def run_process(cmd: list[str], cwd: Path, mem_mb: int = MEM_LIMIT_MB,
                env: dict | None = None, stdin: bytes | None = None,
                interrupt_when=None) -> Outcome:
    """Run ``cmd`` under the limits; ``interrupt_when`` (polled) sends Ctrl-C (SIGINT)."""
    hang_limit = max(15.0, 4 * TIME_LIMIT_S * load_factor())
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            env=_env(env), preexec_fn=_limited(mem_mb), start_new_session=True)
    hung = False
    try:
        if interrupt_when is not None:
            while proc.poll() is None and not interrupt_when():
                if time.monotonic() - started > hang_limit:
                    raise subprocess.TimeoutExpired(cmd, hang_limit)
                time.sleep(0.02)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=hang_limit)
        else:
            out, err = proc.communicate(stdin, timeout=hang_limit)
    except subprocess.TimeoutExpired:
        hung = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Outcome(proc.returncode, out.decode("utf-8", "replace"),
                   err.decode("utf-8", "replace"), wall, cpu, hung)


def run_cli(*args: str | Path, cwd: Path, mem_mb: int = MEM_LIMIT_MB,
            env: dict | None = None, **kw) -> Outcome:
    return run_process([sys.executable, "-m", "core.cli", *map(str, args)], cwd, mem_mb, env, **kw)


def assert_fast(out: Outcome, limit_s: float = TIME_LIMIT_S) -> None:
    assert not out.hung, f"hung: killed after {out.wall_s:.1f} s\n{out.stderr[-2000:]}"
    assert out.cpu_s <= limit_s, f"{out.cpu_s:.2f} s of CPU (limit {limit_s} s)"
    wall_limit = limit_s * load_factor()
    assert out.wall_s <= wall_limit, f"{out.wall_s:.2f} s of wall time (limit {wall_limit:.1f} s)"


def assert_clean_error(out: Outcome, *needles: str, limit_s: float = TIME_LIMIT_S) -> str:
    """One ``songloom-cli: error:`` line on stderr, exit 2, fast; returns the line."""
    assert_fast(out, limit_s)
    assert "Traceback" not in out.stderr, out.stderr[-3000:]
    lines = out.error_lines
    assert len(lines) == 1, f"expected one error line, got {len(lines)}:\n{out.stderr[-3000:]}"
    line = lines[0]
    assert line.startswith("songloom-cli: error: "), line
    assert out.rc == 2, (out.rc, line)
    assert out.stdout == "", out.stdout[-2000:]
    low = line.lower()
    for needle in needles:
        assert needle.lower() in low, f"{needle!r} not in {line!r}"
    return line


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in Path(folder).rglob("*")} | {
        str(p.relative_to(folder)) for p in Path(folder).rglob(".*")}


def assert_nothing_left(folder: Path, before: set[str]) -> None:
    after = snapshot(folder)
    assert after == before, f"left behind: {sorted(after - before)}; removed: {sorted(before - after)}"
