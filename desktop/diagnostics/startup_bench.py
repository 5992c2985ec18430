"""``songloom-cli bench startup``: time to the first painted frame of Songloom's window
against a bare PySide6 window, each in fresh processes (also run by the self-test and,
through SONGLOOM_WINDOW, by ``songloom-cli bench bundle``)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

# The real entry point with its start-up probe: prints "shown" when the first frame has
# been painted (then one JSON line and it quits). `songloom-cli bench bundle`
# (core/commands/installer.py) times this in the frozen bundle and the source install.
SONGLOOM_WINDOW = (
    "import sys\n"
    "from desktop.app import main\n"
    "sys.exit(main(['--startup-probe']))\n"
)


# Both report their first frame the same way - one JSON line with the process CPU time and
# the wall clock then - from a paint-event hook on the window plus one event-loop turn
# (the children paint in the same pass). Same interpreter, site, QApplication, platform.
_BARE_WINDOW = (
    "import json, sys, time\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "class Window(QMainWindow):\n"
    "    painted = False\n"
    "    def paintEvent(self, event):\n"
    "        super().paintEvent(event)\n"
    "        if not self.painted:\n"
    "            self.painted = True\n"
    "            QTimer.singleShot(0, self.report)\n"
    "    def report(self):\n"
    "        print(json.dumps({'first_frame_cpu_s': time.process_time(),\n"
    "                          'first_frame_epoch_s': time.time()}), flush=True)\n"
    "        app.quit()\n"
    "app = QApplication([sys.argv[0]])\n"
    "w = Window(); w.resize(1280, 800); w.show(); app.exec()\n"
)
# The interpreter alone (site, the editable install's finder): in both figures above; taken
# out of both, the ratio of what the two programs themselves do (``in_process_cpu_ratio``).
_INTERPRETER_ONLY = (
    "import json, time\n"
    "print(json.dumps({'first_frame_cpu_s': time.process_time(),\n"
    "                  'first_frame_epoch_s': time.time()}), flush=True)\n"
)
def _first_frame(code: str, env: dict) -> dict:
    import subprocess

    from core.errors import SongloomError

    spawned = time.time()  # the child reports time.time() too: same clock
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SongloomError(f"start-up run failed (exit {out.returncode}): "
                            f"{out.stderr.strip()[-300:]}")
    probe = json.loads(lines[-1])
    probe["first_frame_s"] = probe["first_frame_epoch_s"] - spawned
    if "contents_epoch_s" in probe:
        probe["contents_s"] = probe["contents_epoch_s"] - spawned
    return probe


def bench_startup(repeats: int = 7) -> dict:
    """Time to the first frame of a bare PySide6 QMainWindow and of Songloom's main window,
    each in a fresh process, interleaved; medians (and minima) of ``repeats`` runs.

    Two clocks: wall time from spawning the process to its first frame (what a user
    waits), and the process's CPU time by then (its own work, which other processes on a
    busy machine do not inflate); and, with the interpreter's own start-up CPU (timed
    too) taken out of both, the ratio of the two programs' own work. Songloom's first
    frame is the window with its menus,
    docks and status bar; ``songloom_contents_s`` is when the song, transport, track list
    and piano roll have been painted into it as well."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    runs: dict[str, list[dict]] = {"bare": [], "songloom": [], "python": []}
    for _ in range(repeats):
        for name, code in (("bare", _BARE_WINDOW), ("songloom", SONGLOOM_WINDOW),
                           ("python", _INTERPRETER_ONLY)):
            runs[name].append(_first_frame(code, env))

    def stat(name: str, key: str, how) -> float:
        return round(how(r[key] for r in runs[name]), 3)

    med, low = statistics.median, min
    bare, ours = stat("bare", "first_frame_s", med), stat("songloom", "first_frame_s", med)
    bare_cpu = stat("bare", "first_frame_cpu_s", med)
    ours_cpu = stat("songloom", "first_frame_cpu_s", med)
    heavy = sorted({m for r in runs["songloom"] for m in r.get("heavy", [])})
    return {
        "what": "startup",
        "bare_window_s": bare, "songloom_window_s": ours,
        "ratio_to_bare_window": round(ours / bare, 3),
        "bare_window_min_s": stat("bare", "first_frame_s", low),
        "songloom_window_min_s": stat("songloom", "first_frame_s", low),
        "bare_window_cpu_s": bare_cpu, "songloom_window_cpu_s": ours_cpu,
        "cpu_ratio_to_bare_window": round(ours_cpu / bare_cpu, 3),
        "bare_window_cpu_min_s": stat("bare", "first_frame_cpu_s", low),
        "songloom_window_cpu_min_s": stat("songloom", "first_frame_cpu_s", low),
        "songloom_contents_s": stat("songloom", "contents_s", med),
        "songloom_contents_cpu_s": stat("songloom", "contents_cpu_s", med),
        "contents_ratio_to_bare_window": round(stat("songloom", "contents_s", med) / bare, 3),
        "python_startup_cpu_s": stat("python", "first_frame_cpu_s", med),
        "in_process_cpu_ratio": round(
            (ours_cpu - stat("python", "first_frame_cpu_s", med))
            / (bare_cpu - stat("python", "first_frame_cpu_s", med)), 3),
        "heavy_modules_at_show": heavy, "repeats": repeats,
        "measured_from": "process spawn to the first painted frame (wall); process CPU time",
        "budget": {"ratio_max": 1.5},
    }
