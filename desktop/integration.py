"""Generation, lyric editing and scores wired into the main window.

``install_generation_features(window)`` is the one call main_window makes. It returns at
once: the panels (and their modules) are built a moment after the window has painted its
first frame, so they add nothing to the time the window takes to appear. Until then
``window.generation`` is a stand-in that builds them on first use (tests, screenshots).
The heavy libraries (torch, transformers, the CMU dictionary) are warmed up in a worker
after the window is shown, never before.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

WARM_UP_DELAY_MS = 250  # let the window paint its first frame before loading torch
BUILD_DELAY_MS = 30  # the panels: right after the first frame


def _alive(window) -> bool:
    """False once Qt has deleted the window (closed before a delayed step ran)."""
    from shiboken6 import isValid

    return isValid(window)


def _build(window, warm_up: bool):
    from PySide6.QtWidgets import QApplication

    from desktop.generate_panel import GeneratePanel
    from desktop.generation_controller import GenerationController
    from desktop.lyric_editor import LyricEditor
    from desktop.scores_panel import ScoresPanel
    from desktop.workers import shutdown_workers

    panel, scores, editor = GeneratePanel(), ScoresPanel(), LyricEditor()
    window.generate_dock.setWidget(panel)
    window.scores_dock.setWidget(scores)
    window.set_lyric_widget(editor)
    controller = GenerationController(window, panel, scores, editor)
    window.generation = controller
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lambda: (controller.cancel(), shutdown_workers(3000)))
    return controller


class DeferredGeneration:
    """``window.generation`` until the panels exist: any use builds them and forwards."""

    def __init__(self, window, warm_up: bool):
        object.__setattr__(self, "_window", window)
        object.__setattr__(self, "_warm_up", warm_up)
        object.__setattr__(self, "_controller", None)

    def build(self):
        if self._controller is None:
            object.__setattr__(self, "_controller", _build(self._window, self._warm_up))
        return self._controller

    def __getattr__(self, name):
        return getattr(self.build(), name)

    def __setattr__(self, name, value):
        setattr(self.build(), name, value)


def install_generation_features(window, warm_up: bool = True, defer: bool = True):
    """Fill the generate/scores docks and the lyric area of ``window``.

    Returns the GenerationController, or with ``defer`` (the default) a stand-in that
    becomes it: built ``BUILD_DELAY_MS`` after the event loop starts, or on first use.
    """
    if defer:
        generation = DeferredGeneration(window, warm_up)
        QTimer.singleShot(BUILD_DELAY_MS, lambda: _alive(window) and generation.build())
    else:
        generation = _build(window, warm_up)
    window.generation = generation
    if warm_up:
        # The window's own start_background_services() runs right after show(): warm the
        # models up then too (not at construction: screenshots and tests never show it).
        original = window.start_background_services

        def start_background_services(*args, **kwargs):
            result = original(*args, **kwargs)
            QTimer.singleShot(WARM_UP_DELAY_MS,
                              lambda: _alive(window) and window.generation.warm_up())
            return result

        window.start_background_services = start_background_services
    return generation
