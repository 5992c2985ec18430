"""Workers import only what their job needs: music generation (a numpy sampler) and WAV
export never import torch; the lyrics jobs do, through process_tweaks (issue 19)."""

from __future__ import annotations

import subprocess
import sys

# Run in a fresh process: this test process has long since imported torch.
JOBS = r'''
import os, sys, tempfile
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
app = QApplication([])
from core.audio.render import render_to_file
from core.model.requests import MusicParams
from desktop.runtime import generation_jobs as jobs
from desktop.runtime.workers import Worker

def run(fn, *args, **kwargs):
    out = []
    worker = Worker(fn, *args, **kwargs)
    worker.result.connect(out.append)
    worker.error.connect(lambda msg: out.append(RuntimeError(msg)))
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    loop.exec()
    worker.wait()
    assert out and not isinstance(out[0], Exception), out
    return out[0]

songs = run(jobs.generate_music, MusicParams(bars=4, seed=3), None, device="auto")
with tempfile.TemporaryDirectory() as tmp:
    run(render_to_file, songs[0], os.path.join(tmp, "song.wav"))
print("torch" in sys.modules, "numpy" in sys.modules)
'''


def test_music_generation_and_wav_export_do_not_import_torch():
    r = subprocess.run([sys.executable, "-c", JOBS], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split()[-2:] == ["False", "True"], r.stdout + r.stderr[-1000:]
