"""Entry script of the frozen bundle: one Python program, two executables.

PyInstaller builds `songloom` (the window) and `songloom-cli` (scripting) from this one
script so that both share a single analysis and the same libraries in one folder; the
executable's own name picks which program runs.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def _program_name() -> str:
    # On Linux songloom-cli is a link to songloom (one executable, see songloom.spec), so
    # the name it was called by (argv[0]) counts first; elsewhere both are real files.
    frozen = getattr(sys, "frozen", False)
    names = [sys.argv[0], sys.executable] if frozen else [sys.argv[0]]
    stems = [os.path.splitext(os.path.basename(n or ""))[0].lower() for n in names]
    return next((s for s in stems if s.endswith("-cli")), stems[-1])


def _run_code(code: str, args: list[str]) -> int:
    """`songloom -c CODE`: what `python -c CODE` does.

    The self-test (desktop/diagnostics/selftest.py) and `songloom-cli bench bundle` time a fresh
    window by spawning `sys.executable -c CODE`; in the bundle sys.executable is this
    launcher, so it answers the same way an interpreter would. It runs nothing the
    local user could not already run.
    """
    sys.argv = ["-c", *args]
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
    return 0


def main() -> int:
    # torch/librosa may start worker processes; in a frozen app they re-enter here.
    multiprocessing.freeze_support()
    if getattr(sys, "frozen", False) and len(sys.argv) >= 3 and sys.argv[1] == "-c":
        return _run_code(sys.argv[2], sys.argv[3:])
    if _program_name().endswith("-cli"):
        from core.cli import main as cli_main

        return cli_main()
    from desktop.app import main as app_main

    return int(app_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
