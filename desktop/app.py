"""QApplication and main(): the `songloom` entry point.

Start-up stays light: torch, transformers and librosa are imported only after the
window is shown (device detection runs in a worker), so the window opens about as fast
as a bare PySide6 window.
"""

from __future__ import annotations

import argparse
import os
import sys


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="songloom",
                                     description="Songloom, the songwriting studio.")
    parser.add_argument("files", nargs="*", help=".songloom, .mid, .midi or .kar files to open")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="lay the window out offscreen at 1280x800, save it, exit")
    parser.add_argument("--selftest", action="store_true",
                        help="run the songwriting loop offscreen, print one JSON line, exit 0 if all passed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.selftest:
        from desktop.selftest import run_selftest

        return run_selftest()
    if args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "songloom"])
    app.setApplicationName("Songloom")
    app.setOrganizationName("Songloom")
    from core.paths import resources_dir
    from desktop.settings import load_settings
    from desktop.theme import apply_theme

    settings = load_settings()
    apply_theme(app, "light" if args.screenshot else settings.theme)
    icon = resources_dir() / "icons" / "songloom.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))

    from core.errors import SongloomError
    from desktop.files import load_any
    from desktop.main_window import MainWindow

    if args.screenshot:
        if args.files:
            try:  # check first: screenshot mode must never wait on a message box
                load_any(args.files[0])
            except (SongloomError, OSError) as exc:
                print(f"songloom: error: {exc}", file=sys.stderr)
                return 2
        window = MainWindow(settings=settings)
        if args.files:
            window.files.open_path(args.files[0], ask=False)  # as File > Open does
        from desktop.screenshot import take_screenshot

        try:
            take_screenshot(window, args.screenshot)
        except OSError as exc:
            print(f"songloom: error: {exc}", file=sys.stderr)
            return 2
        window.playback.close()
        return 0

    from PySide6.QtCore import QTimer

    from desktop import dnd

    window = MainWindow(settings=settings)
    window.show()
    window.start_background_services()
    # At start-up only, never right after a drop; once the window is up, not before it.
    QTimer.singleShot(1000, dnd.clean_old_exports)
    if args.files:
        for path in args.files[:1]:
            window.files.open_path(path, ask=False)
    else:
        QTimer.singleShot(200, window.files.offer_recovery)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
