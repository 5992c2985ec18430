"""Quitting while a background warm-up is still inside one of its steps: the process waits
for the job thread and exits normally. A QThread destroyed while running aborts the whole
process (SIGABRT, exit 134), which the build's window-screenshot step once saw: "QThread:
Destroyed while thread 'songloom-Warm-up sound' is still running"."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# The real app in a fresh process (offscreen Qt): `songloom --screenshot`, which quits as
# soon as the models are warm and the picture is taken, while the sound warm-up (scipy,
# numba, librosa imports) has only just begun. A loaded machine makes one such import last
# seconds; here the first import the warm-up thread makes lasts until the app quits and
# SLOW_S more, more than the 3 s the window's own quit handler waits. An atexit hook
# registered after the workers module's (so it runs first) holds the exit until that slow
# step is under way: the app quits mid-import every time, not only when the timing lines up.
SLOW_S = 5
CHILD = textwrap.dedent(f"""
    import atexit, sys, threading, time

    from PySide6.QtCore import QThread

    # atexit runs last-registered first: this report runs after the workers module's join.
    def report():
        from desktop.runtime.workers import live_thread_count
        print("job threads running at teardown:", live_thread_count(), flush=True)

    atexit.register(report)
    import desktop.runtime.workers  # noqa: F401  (registers the join at exit)
    from desktop.app import main

    began, quitting = threading.Event(), threading.Event()

    # The real loader, whose module body takes until the app quits and SLOW_S more.
    # Waiting inside find_spec instead would hold Python's global import lock and freeze
    # every other thread's imports, the main thread's at exit included: the test then
    # sat out the 120 s timeouts.
    class SlowLoader:

        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def create_module(self, spec):
            return self.real.create_module(spec)

        def exec_module(self, module):
            quitting.wait(120)
            time.sleep({SLOW_S})  # still importing when the app exits
            self.real.exec_module(module)

    class SlowFirstImport:
        def find_spec(self, name, path=None, target=None):
            if (QThread.currentThread().objectName() != "songloom-Warm-up sound"
                    or began.is_set()):
                return None  # the normal finders import it
            from importlib.machinery import PathFinder

            spec = PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return None
            began.set()
            print("slow import begins:", name, flush=True)
            spec.loader = SlowLoader(spec.loader)
            return spec

    sys.meta_path.insert(0, SlowFirstImport())

    def quit_mid_import():
        print("quit mid-import:", began.wait(120), flush=True)
        quitting.set()

    atexit.register(quit_mid_import)
    sys.exit(main(["--screenshot", sys.argv[1]]))
""")


def test_quitting_during_the_sound_warm_up_waits_for_its_thread(tmp_path):
    shot = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SONGLOOM_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", CHILD, str(shot)], capture_output=True,
                         text=True, env=env, timeout=600)
    text = out.stdout + out.stderr
    assert "quit mid-import: True" in out.stdout, text[-3000:]  # the case under test
    # Every job thread has ended before the interpreter tears its modules down (one still
    # running then is destroyed with them: the abort).
    assert "job threads running at teardown: 0" in out.stdout, text[-3000:]
    assert "Destroyed while thread" not in text, text[-3000:]
    assert out.returncode == 0, f"exit {out.returncode}:\n{text[-3000:]}"
    assert shot.stat().st_size > 0
