"""Start-up: the app's first frame comes before the song, piano roll and libraries load,
and `bench startup` measures both windows the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from desktop.diagnostics.startup_bench import bench_startup
from desktop.main_window import MainWindow


def test_first_frame_is_painted_before_the_contents_are_built(qtbot):
    window = MainWindow(contents_after_first_frame=True)
    qtbot.addWidget(window)
    order: list[str] = []
    window.first_frame_shown.connect(lambda: order.append(f"frame {window.contents_ready}"))
    window.contents_built.connect(lambda: order.append("contents"))
    assert not window.contents_ready and not hasattr(window, "editor")
    window.show()
    window.start_background_services()  # before the contents: it waits for them
    with qtbot.waitSignal(window.contents_built, timeout=10_000):
        pass
    assert order == ["frame False", "contents"]
    # The window a user works in: piano roll, track list, transport, filled menus.
    qtbot.waitUntil(lambda: window.editor.isVisible() and window.track_list.isVisible()
                    and window.transport.isVisible(), timeout=5_000)
    assert [a.text() for a in window.menus["file"].actions()][:2] == ["&New", "&Open…"]
    assert window.song.tracks and window.undo_stack.count() == 0
    # The postponed start_background_services ran: the audio start is on its way.
    qtbot.waitUntil(lambda: window.playback.started or window.playback.player is not None,
                    timeout=20_000)
    window.playback.close()


def test_startup_probe_reports_first_frame_then_contents_without_heavy_libraries(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SONGLOOM_DATA_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "desktop.app", "--startup-probe"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    assert probe["heavy"] == []
    assert 0 < probe["first_frame_cpu_s"] < probe["contents_cpu_s"]
    assert probe["first_frame_epoch_s"] < probe["contents_epoch_s"]


def test_bench_startup_compares_first_frames_of_fresh_processes():
    result = bench_startup(repeats=1)
    for key in ("bare_window_s", "songloom_window_s", "bare_window_cpu_s",
                "songloom_window_cpu_s", "songloom_contents_s"):
        assert 0 < result[key] < 60, key
    assert result["songloom_contents_s"] >= result["songloom_window_s"]
    assert result["ratio_to_bare_window"] == round(
        result["songloom_window_s"] / result["bare_window_s"], 3)
    assert result["heavy_modules_at_show"] == []


def test_a_window_that_never_paints_still_gets_its_contents(qtbot):
    window = MainWindow(contents_after_first_frame=True)  # never shown: no first frame
    qtbot.addWidget(window)
    window.start_background_services()
    with qtbot.waitSignal(window.contents_built, timeout=5_000):
        pass
    assert window.contents_ready and window.editor is not None
    qtbot.waitUntil(lambda: window.playback.started or window.playback.player is not None,
                    timeout=20_000)
    window.playback.close()


def test_bench_stalls_rejects_bad_sizes_in_one_line():
    out = subprocess.run([sys.executable, "-m", "core.cli", "bench", "stalls", "--bars", "0"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "songloom-cli: error: --bars 0 / --variations 2 / --lines 8: use 1-512 bars, "
        "1-8 variations, 1-32 lines"]


def test_the_bundle_bench_window_probe_reports_the_first_frame():
    # `songloom-cli bench bundle` times this probe in the frozen bundle and here.
    from core.commands.installer import WINDOW_PROBE

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", WINDOW_PROBE], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "shown" and json.loads(lines[-1])["heavy"] == []
