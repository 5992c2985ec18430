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
    name = os.path.basename(sys.executable if getattr(sys, "frozen", False) else sys.argv[0])
    return os.path.splitext(name)[0].lower()


def main() -> int:
    # torch/librosa may start worker processes; in a frozen app they re-enter here.
    multiprocessing.freeze_support()
    if _program_name().endswith("-cli"):
        from core.cli import main as cli_main

        return cli_main()
    from desktop.app import main as app_main

    return int(app_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
