"""The same hostile files opened in the app: a message each, within 2 s, no hang.

All cases run in one offscreen main window in a child process under the app's memory
limit (building a window costs seconds; the clock runs around each File > Open alone).
"""

from __future__ import annotations

import json
import os
import sys

import pytest
from hostile_harness import APP_MEM_LIMIT_MB, TIME_LIMIT_S, load_factor, run_process

from core.bench import hostile_files as hf

_SCRIPT = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication(["songloom"])
from desktop.main_window import MainWindow
window = MainWindow()
results = []
for path in sys.argv[1:]:
    messages = []
    window.files.dialogs.warn = lambda title, text: messages.append([title, text])
    wall, cpu = time.monotonic(), time.process_time()
    opened = window.files.open_path(path, ask=False)
    app.processEvents()
    results.append({"path": path, "opened": opened, "messages": messages,
                    "wall_s": time.monotonic() - wall, "cpu_s": time.process_time() - cpu})
print(json.dumps(results))
window.playback.close()
"""


def _cases(folder):
    cases = {}
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.mid")
        cases["fifo.mid"] = "pipe"
    if os.path.exists("/dev/zero"):
        (folder / "zero.songloom").symlink_to("/dev/zero")
        cases["zero.songloom"] = "device"
    (folder / "tracks.songloom").write_bytes(hf.project_text(hf.project_doc(tracks=[{}] * 70_000)))
    cases["tracks.songloom"] = "70,000 tracks"
    text = hf.project_text().decode().replace('"key": 0', '"key": ' + "7" * 5000)
    (folder / "digits.songloom").write_text(text)
    cases["digits.songloom"] = "digits"
    doc = hf.project_doc(title="A\ud800")
    (folder / "surrogate.songloom").write_text(json.dumps(doc))
    cases["surrogate.songloom"] = "surrogate"
    body = hf.meta(0x05, b"/" * 2**20) + hf.note()
    (folder / "slashes.mid").write_bytes(hf.midi_file([hf.track_chunk(body)], fmt=0))
    cases["slashes.mid"] = None  # opens (a lyric of separators only): quickly
    return cases


def test_hostile_files_in_the_app(case_dir):
    cases = _cases(case_dir)
    out = run_process([sys.executable, "-c", _SCRIPT,
                       *(str(case_dir / name) for name in cases)], case_dir, APP_MEM_LIMIT_MB)
    assert not out.hung, "the app hung"
    assert out.rc == 0 and "Traceback" not in out.stderr, out.stderr[-3000:]
    results = {os.path.basename(r["path"]): r for r in json.loads(out.stdout.splitlines()[-1])}
    for name, needle in cases.items():
        r = results[name]
        assert r["cpu_s"] <= TIME_LIMIT_S and r["wall_s"] <= TIME_LIMIT_S * load_factor(), r
        if needle is None:
            assert r["opened"] and not r["messages"], r
        else:
            assert not r["opened"] and len(r["messages"]) == 1, r
            text = r["messages"][0][1]
            assert needle.lower() in text.lower() and name in text, r


@pytest.mark.skipif(os.name != "posix", reason="start-up clean-up test uses POSIX mtimes")
def test_the_app_cleans_stale_part_files_of_recent_folders_at_start_up(case_dir):
    pytest.importorskip("PySide6")
    from desktop.app import clean_stale_temp_files_at_start_up

    stale = case_dir / ".song.songloom.a1b2c3d4.part"
    stale.write_text("half")
    old = 1_000_000_000
    os.utime(stale, (old, old))
    (case_dir / "song.songloom").write_bytes(hf.project_text())
    assert clean_stale_temp_files_at_start_up([str(case_dir / "song.songloom")]) >= 1
    assert not stale.exists()
