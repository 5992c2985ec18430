"""The mouse wheel scrolls panels; it changes an input only once the user has clicked it.

Scrolling over the Generate panel used to change whichever spin box or combo box passed
under the pointer: Bars, Tempo and Seed changed silently, and the lyrics Model combo
jumped to "Choose a folder…" and opened a directory picker. The standard Qt answer: a
wheel event over a spin box, combo box or slider that does not have the keyboard focus
goes to the scroll area around it instead (or nowhere); a clicked (focused) input still
takes the wheel.

The filter sits on each top-level window's QWindow (the main window, a floating dock,
the Settings dialog), where every wheel event arrives before Qt hands it to the widget
under the pointer. An application-wide filter would see every event of every widget:
calling into Python for each of them delayed the window's first frame by tens of
milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


def guarded_input(widget: QWidget | None) -> QWidget | None:
    """The spin box / combo box / slider ``widget`` is part of (its line edit, or that
    edit's viewport, is what sits under the pointer), or None for anything else."""
    for _ in range(3):
        if widget is None:
            return None
        if isinstance(widget, _GUARDED) and not isinstance(widget, QScrollBar):
            return widget
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    """Event filter on top-level windows' QWindows: see the module docstring."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._tops: dict[int, QWidget] = {}  # id(QWindow) -> its top-level widget

    def watch(self, top: QWidget) -> None:
        """Guard the inputs in ``top``'s window (call again after it became a window)."""
        handle = top.windowHandle()
        if handle is None or id(handle) in self._tops:
            return
        self._tops[id(handle)] = top
        handle.installEventFilter(self)
        handle.destroyed.connect(lambda *_: self._tops.pop(id(handle), None))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.Wheel:
            return False
        top = self._tops.get(id(obj))
        if top is None:
            return False
        target = guarded_input(top.childAt(event.position().toPoint()))
        if target is None or target.hasFocus():
            return False  # not an input, or one the user clicked: Qt delivers it as usual
        area = _scroll_area_around(target)
        if area is not None:
            viewport = area.viewport()
            pos = viewport.mapFromGlobal(event.globalPosition())
            QApplication.sendEvent(viewport, QWheelEvent(
                pos, event.globalPosition(), event.pixelDelta(), event.angleDelta(),
                event.buttons(), event.modifiers(), event.phase(), event.inverted()))
        return True  # never the unfocused input itself


def wheel_guard() -> WheelGuard:
    """The application's one guard."""
    app = QApplication.instance()
    guard = getattr(app, "_songloom_wheel_guard", None)
    if guard is None:
        guard = WheelGuard(app)
        app._songloom_wheel_guard = guard  # kept alive with the application
    return guard


def guard_window(top: QWidget) -> None:
    """Guard ``top``'s window now, or as soon as it has one (shown for the first time)."""
    if top.windowHandle() is not None:
        wheel_guard().watch(top)
    else:
        QTimer.singleShot(0, top, lambda: top.windowHandle() and wheel_guard().watch(top))
