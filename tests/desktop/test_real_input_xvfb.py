"""Real X11 input (issue 18): the wheel over the Generate panel, then a mouse drag of the
whole-song MIDI handle onto another window. Runs real_input_session.py in a child
process under Xvfb with xdotool; skipped where either is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool (apt-get install xvfb xdotool)")

SESSION = Path(__file__).with_name("real_input_session.py")


@pytest.fixture
def xvfb():
    """A private X server; yields its DISPLAY."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_wheel_scrolls_the_panel_and_a_real_drag_delivers_the_song(xvfb, tmp_path):
    env = dict(os.environ, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb",
               SONGLOOM_DATA_DIR=str(tmp_path / "data"))
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, str(SESSION)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=root)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    seen = json.loads(lines[-1])

    before, after = seen["wheel"]["before"], seen["wheel"]["after"]
    assert seen["wheel"]["scroll_max"] > 0  # the panel is taller than its dock here
    assert after[:4] == before[:4], "the wheel changed a setting"
    assert after[4] > before[4], "the wheel did not scroll the panel"
    bars, then = seen["focused_wheel"]
    assert then == bars + 1, "a clicked input no longer takes the wheel"

    drop = seen["drop"]
    assert drop is not None, "the drop target received nothing"
    assert "text/uri-list" in drop["formats"] and drop["action"] == "CopyAction"
    assert drop["urls"][0].endswith(".mid") and Path(drop["urls"][0]).is_file()
    assert seen["midi_notes"] == 8
