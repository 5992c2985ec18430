"""Generation, lyric editing and scores wired into the main window.

``install_generation_features(window)`` is the one call main_window makes. It returns at
once: the panels (and their modules) are built a moment after the window has painted its
first frame, one per event-loop turn, so they add nothing to the time the window takes to
appear and never freeze it. Until then
``window.generation`` is a stand-in that builds them on first use (tests, screenshots).
The heavy libraries (torch, transformers, the CMU dictionary) are warmed up in a worker
after the window is shown and the audio has started, never before.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

WARM_UP_DELAY_MS = 250  # let the window paint its first frame before loading torch
WARM_UP_MAX_WAIT_MS = 5000  # ... and for the audio start to finish, at most this long
AUDIO_POLL_MS = 50
BUILD_DELAY_MS = 30  # the panels: right after the first frame
BUILD_AT_THE_LATEST_MS = 1500  # ... or this long after install, if it is never painted
STAGE_GAP_MS = 15  # between their build stages: input and painting get their turn


def _alive(window) -> bool:
    """False once Qt has deleted the window (closed before a delayed step ran)."""
    from shiboken6 import isValid

    return isValid(window)


def _make_panel(window, parts: dict) -> None:
    from desktop.panels.generate_panel import GeneratePanel

    parts["panel"] = GeneratePanel()
    window.generate_dock.setWidget(parts["panel"])


def _make_scores(window, parts: dict) -> None:
    from desktop.panels.scores_panel import ScoresPanel

    parts["scores"] = ScoresPanel()
    window.scores_dock.setWidget(parts["scores"])


def _make_editor(window, parts: dict) -> None:
    from desktop.panels.lyric_editor import LyricEditor

    parts["editor"] = LyricEditor()
    window.set_lyric_widget(parts["editor"])


def _make_controller(window, parts: dict) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.controllers.generation_controller import GenerationController
    from desktop.runtime.workers import shutdown_workers

    controller = GenerationController(window, parts["panel"], parts["scores"], parts["editor"])
    parts["controller"] = controller
    window.generation = controller
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lambda: (controller.cancel(), shutdown_workers(3000)))


# One stage per event-loop turn: together they took 75-190 ms on the GUI thread (imports,
# widgets, their first paint), a freeze right after the window appeared; apart, each stays
# well under the 50 ms budget and the window keeps answering in between.
STAGES = (_make_panel, _make_scores, _make_editor, _make_controller)


def _build(window, warm_up: bool):
    parts: dict = {}
    for stage in STAGES:
        stage(window, parts)
    return parts["controller"]


class DeferredGeneration:
    """``window.generation`` until the panels exist: any use builds them and forwards."""

    def __init__(self, window, warm_up: bool):
        object.__setattr__(self, "_window", window)
        object.__setattr__(self, "_warm_up", warm_up)
        object.__setattr__(self, "_parts", {})
        object.__setattr__(self, "_next", 0)
        object.__setattr__(self, "_started", False)

    def schedule(self) -> None:
        """Build ``BUILD_DELAY_MS`` after the window's first frame. Counted from here
        instead, the timer was already due when making and showing the window took longer
        than that (a loaded machine, or a window built with its contents): the panels'
        imports and widgets then ran before the first paint and delayed it. A window
        never painted (started minimised) gets them ``BUILD_AT_THE_LATEST_MS`` from now."""
        window = self._window
        if getattr(window, "first_frame_pending", False):
            window.first_frame_shown.connect(
                lambda: QTimer.singleShot(BUILD_DELAY_MS, self.start))
            QTimer.singleShot(BUILD_AT_THE_LATEST_MS, self.start)
        else:
            QTimer.singleShot(BUILD_DELAY_MS, self.start)

    def start(self) -> None:
        """Begin the step-by-step build (once: the first frame or the latest-time timer)."""
        if not self._started:
            object.__setattr__(self, "_started", True)
            self.build_in_steps()

    def build_step(self) -> bool:
        """Build the next part; True while parts remain (the timer schedules the next)."""
        if self._next < len(STAGES):
            stage = STAGES[self._next]
            object.__setattr__(self, "_next", self._next + 1)
            stage(self._window, self._parts)
        return self._next < len(STAGES)

    def build_in_steps(self) -> None:
        if _alive(self._window) and self.build_step():
            QTimer.singleShot(STAGE_GAP_MS, self.build_in_steps)

    def build(self):
        while self.build_step():
            pass
        return self._parts["controller"]

    def __getattr__(self, name):
        return getattr(self.build(), name)

    def __setattr__(self, name, value):
        setattr(self.build(), name, value)


def install_generation_features(window, warm_up: bool = True, defer: bool = True):
    """Fill the generate/scores docks and the lyric area of ``window``.

    Returns the GenerationController, or with ``defer`` (the default) a stand-in that
    becomes it: built ``BUILD_DELAY_MS`` after the window's first frame, or on first use.
    """
    if defer:
        generation = DeferredGeneration(window, warm_up)
        generation.schedule()
    else:
        generation = _build(window, warm_up)
    window.generation = generation
    if warm_up:
        # The window's own start_background_services() runs right after show(): warm the
        # models up then too (not at construction: screenshots and tests never show it).
        original = window.start_background_services

        def start_background_services(*args, **kwargs):
            result = original(*args, **kwargs)
            # After the audio start, not beside it: both load shared libraries (PortAudio,
            # cffi, FluidSynth; libtorch) and the dynamic loader maps one at a time. A library
            # load waiting there while holding the GIL froze the window for 200-340 ms.
            playback = getattr(window, "playback", None)
            waited = [0]

            def when_audio_settled() -> None:
                if not _alive(window):
                    return
                if playback is None or playback.settled or waited[0] >= WARM_UP_MAX_WAIT_MS:
                    window.generation.warm_up()  # (audio stuck for 5 s: go anyway)
                else:
                    waited[0] += AUDIO_POLL_MS
                    QTimer.singleShot(AUDIO_POLL_MS, when_audio_settled)

            QTimer.singleShot(WARM_UP_DELAY_MS, when_audio_settled)
            return result

        window.start_background_services = start_background_services
    return generation
