"""songloom-cli licenses / bench bundle: what the installed Songloom ships, and how fast
the frozen bundle starts compared with the source install."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from core.commands.options import JSON, command, opt
from core.errors import SongloomError

# The same probe the self-test times (desktop/diagnostics/startup_bench.py SONGLOOM_WINDOW: what
# `songloom` does before its window is up, then print "shown"), run in a fresh process
# as `<interpreter> -c PROBE`; the frozen launcher (installer/launch.py) answers -c like
# python does, so the bundle and the source install are measured the same way. Core
# only holds this text; the desktop code runs in the child.
WINDOW_PROBE = (
    "try:\n"
    "    from desktop.diagnostics.startup_bench import SONGLOOM_WINDOW as _probe\n"
    "except ImportError:  # a bundle built before the diagnostics moved\n"
    "    from desktop.selftest import SONGLOOM_WINDOW as _probe\n"
    "exec(_probe)\n"
)
CLI_ARGS = ["--version"]


class BundleBenchError(SongloomError):
    """The bundle to benchmark is missing or does not start."""


def register(groups) -> None:
    """Add ``songloom-cli licenses [NAME] [--json]`` and ``songloom-cli bench bundle``."""
    command(groups["top"], "licenses", _licenses,
            "list the licences of bundled parts, or print one in full",
            "Without NAME: every bundled part with its licence. With NAME "
            "(e.g. PySide6_Essentials, libfluidsynth3, torch): that part's full licence text.",
            opt("name", nargs="?", metavar="NAME", help="a part's name, as listed"), JSON)
    command(groups["bench"], "bundle", _bench_bundle,
            "start-up of the frozen bundle vs this source install (window and CLI)",
            "Times, interleaved, the frozen bundle and this Python install: "
            "spawn to a shown main window (offscreen) and `songloom-cli --version`. "
            "Medians; ratio = frozen / source. Build the bundle first (installer/build.sh).",
            opt("--bundle", type=Path, default=Path("dist/Songloom"),
                help="the one-folder bundle (default: dist/Songloom)"),
            opt("--runs", type=int, default=5, help="runs of each (default 5)"), JSON)


def _licenses(args) -> int:
    from core.licenses import bundled_licenses, find_license, licenses_summary

    if args.name:
        entry = find_license(args.name)
        if args.json:
            print(json.dumps({"name": entry.name, "version": entry.version,
                              "license": entry.license, "kind": entry.kind,
                              "text": entry.text()}))
        else:
            print(entry.text())
        return 0
    if args.json:
        print(json.dumps([{"name": e.name, "version": e.version, "license": e.license,
                           "kind": e.kind, "file": str(e.path)} for e in bundled_licenses()],
                         indent=1))
    else:
        print(licenses_summary())
    return 0


def _time_until(cmd: list[str], marker: str | None, env: dict) -> float:
    """Seconds from spawn to the first stdout line starting with ``marker`` (or exit)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    seen = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if seen is None and (marker is None or line.startswith(marker)):
            seen = time.perf_counter() - t0
    code = proc.wait(timeout=120)
    if marker is None and code == 0:
        seen = time.perf_counter() - t0
    if seen is None:
        raise BundleBenchError(f"did not start (exit {code})", " ".join(cmd[:2]))
    return seen


def _bench_bundle(args) -> int:
    if getattr(sys, "frozen", False):
        raise BundleBenchError("run this from the source install (.venv/bin/songloom-cli), "
                               "which is the baseline", "bench bundle")
    bundle = args.bundle
    app, cli = bundle / "songloom", bundle / "songloom-cli"
    if os.name == "nt":
        app, cli = app.with_suffix(".exe"), cli.with_suffix(".exe")
    if not app.is_file() or not cli.is_file():
        raise BundleBenchError("no built bundle here (run installer/build.sh)", bundle)
    if args.runs < 1:
        raise BundleBenchError("must be at least 1", f"--runs {args.runs}")
    # A clean environment for both, like a user's: no venv, offscreen, offline.
    env = {"HOME": os.environ.get("HOME", ""), "PATH": os.defpath, "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    if os.environ.get("SONGLOOM_DATA_DIR"):
        env["SONGLOOM_DATA_DIR"] = os.environ["SONGLOOM_DATA_DIR"]
    source_cli = [sys.executable, "-c", "import sys; from core.cli import main; sys.exit(main())"]
    times: dict[str, list[float]] = {k: [] for k in
                                      ("frozen_window", "source_window", "frozen_cli", "source_cli")}
    for _ in range(args.runs):  # interleaved: a busy moment hurts both alike
        times["source_window"].append(_time_until([sys.executable, "-c", WINDOW_PROBE], "shown", env))
        times["frozen_window"].append(_time_until([str(app), "-c", WINDOW_PROBE], "shown", env))
        times["source_cli"].append(_time_until(source_cli + CLI_ARGS, None, env))
        times["frozen_cli"].append(_time_until([str(cli), *CLI_ARGS], None, env))
    med = {k: round(statistics.median(v), 3) for k, v in times.items()}
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    result = {
        "bundle": str(bundle), "runs": args.runs, "bundle_size_mb": round(size / 2**20, 1),
        "window_frozen_s": med["frozen_window"], "window_source_s": med["source_window"],
        "window_ratio": round(med["frozen_window"] / med["source_window"], 2),
        "cli_frozen_s": med["frozen_cli"], "cli_source_s": med["source_cli"],
        "cli_ratio": round(med["frozen_cli"] / med["source_cli"], 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"bundle {result['bundle_size_mb']} MB; window shown: frozen "
              f"{result['window_frozen_s']} s vs source {result['window_source_s']} s "
              f"({result['window_ratio']}x); songloom-cli --version: frozen "
              f"{result['cli_frozen_s']} s vs source {result['cli_source_s']} s "
              f"({result['cli_ratio']}x); medians of {args.runs}")
    return 0
