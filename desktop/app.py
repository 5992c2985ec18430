"""QApplication and main(): the `songloom` entry point.

Start-up stays light: torch, transformers and librosa are imported only after the
window is shown (device detection runs in a worker), so the window opens about as fast
as a bare PySide6 window. The first frame is the window itself (menus, docks, status
bar); the song, transport, track list and piano roll are built right after it
(MainWindow's contents_after_first_frame). The garbage collector is paused until they
are: start-up only allocates (Qt's enums, the widgets' wrappers), and the collections
that allocation triggered found nothing to free while costing 20-25 ms of CPU.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop.runtime import process_tweaks


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1024x640") from None
    if not (320 <= w <= 8192 and 240 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"{text!r}: use 320x240 up to 8192x8192")
    return w, h


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="songloom",
                                     description="Songloom, the songwriting studio.")
    parser.add_argument("files", nargs="*", help=".songloom, .mid, .midi or .kar files to open")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="lay the window out offscreen at 1280x800, save it, exit")
    parser.add_argument("--size", metavar="WxH", type=_size, default=(1280, 800),
                        help="the --screenshot window size, e.g. 1024x640 or 1600x1000")
    parser.add_argument("--selftest", action="store_true",
                        help="run the songwriting loop offscreen, print one JSON line, exit 0 if all passed")
    # `songloom-cli bench startup`: the real start-up path, timed to the first frame.
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _probe(window) -> None:
    """``--startup-probe`` (bench startup): print one JSON line with the process CPU time
    and the wall-clock time when the first frame was painted and when the contents were,
    and the heavy libraries imported by then; then quit. It adds nothing before the first
    frame but two signal connections (its imports and classes come after it)."""
    import time

    seen: dict = {}

    def first_frame() -> None:
        seen.update(first_frame_cpu_s=time.process_time(), first_frame_epoch_s=time.time(),
                    heavy=[m for m in ("torch", "transformers", "librosa") if m in sys.modules])
        print("shown", flush=True)  # for timers that read the moment off the pipe

    def report() -> None:
        seen.update(contents_cpu_s=time.process_time(), contents_epoch_s=time.time())
        import json

        from PySide6.QtWidgets import QApplication

        print(json.dumps(seen), flush=True)
        window.playback.close()
        QApplication.instance().quit()

    def watch_contents() -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        class ContentsPainted(QObject):
            def eventFilter(self, obj, event) -> bool:
                if event.type() == QEvent.Type.Paint:
                    obj.removeEventFilter(self)
                    QTimer.singleShot(0, report)  # (the rest of this paint pass first)
                return False

        window.centralWidget().installEventFilter(ContentsPainted(window))

    window.first_frame_shown.connect(first_frame)
    window.contents_built.connect(watch_contents)


def _clean_old_exports() -> None:
    from desktop import dnd  # (its module is not needed for the first frame)

    dnd.clean_old_exports()


def clean_stale_temp_files_at_start_up(recent_files: list[str]) -> int:
    """Remove hidden ``.part`` files a crash (a SIGKILL, a power cut) left beside the songs
    the user works on, in the autosave folder and in the drag-and-drop exports. A save
    writes its .part for well under a second and a render keeps touching its own, so one
    untouched for a minute belongs to no running Songloom. Returns how many went."""
    from core.io.atomic_write import clean_stale_temp_files
    from core.paths import autosave_dir, exports_dir

    folders = {str(Path(p).parent) for p in recent_files if p}
    folders |= {str(autosave_dir()), str(exports_dir())}
    return clean_stale_temp_files(sorted(folders), older_than_s=60)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.selftest:
        from desktop.diagnostics.selftest import run_selftest

        return run_selftest()
    process_tweaks.pause_collector_for_start_up()  # until the window's contents are built
    try:
        return _run(args)
    finally:
        process_tweaks.resume_garbage_collection()


def _run(args: argparse.Namespace) -> int:
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
    from desktop.i18n import install_translators

    install_translators(app, settings.language)  # before any widget sets its texts
    apply_theme(app, "light" if args.screenshot else settings.theme)
    icon = resources_dir() / "icons" / "songloom.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))

    from desktop.main_window import MainWindow

    if args.screenshot:
        from core.errors import SongloomError
        from desktop.controllers.files import load_any

        if args.files:
            try:  # check first: screenshot mode must never wait on a message box
                load_any(args.files[0])
            except (SongloomError, OSError) as exc:
                print(f"songloom: error: {exc}", file=sys.stderr)
                return 2
        process_tweaks.resume_garbage_collection()
        window = MainWindow(settings=settings)
        if args.files:
            window.files.open_path(args.files[0], ask=False)  # as File > Open does
        from desktop.diagnostics.screenshot import take_screenshot

        try:
            take_screenshot(window, args.screenshot, size=args.size)
        except OSError as exc:
            print(f"songloom: error: {exc}", file=sys.stderr)
            return 2
        window.playback.close()
        return 0

    from PySide6.QtCore import QTimer

    # The first frame first: the window, its menus, docks and status bar; the song, the
    # transport, track list, piano roll and lyric area right after it.
    window = MainWindow(settings=settings, contents_after_first_frame=True)
    window.contents_built.connect(process_tweaks.resume_garbage_collection)
    if args.startup_probe:
        _probe(window)
    window.show()
    window.start_background_services()  # (waits for the contents)
    # At start-up only, never right after a drop; once the window is up, not before it.
    QTimer.singleShot(1000, _clean_old_exports)
    QTimer.singleShot(1200, lambda: clean_stale_temp_files_at_start_up(settings.recent_files))
    if args.files:
        path = args.files[0]
        window.contents_built.connect(lambda: window.files.open_path(path, ask=False))
    elif not args.startup_probe:
        window.contents_built.connect(
            lambda: QTimer.singleShot(200, window, window.files.offer_recovery))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
