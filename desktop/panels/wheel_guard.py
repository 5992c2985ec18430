"""The mouse wheel scrolls panels; it changes an input only once the user has clicked it.

Scrolling over the Generate panel used to change whichever spin box or combo box passed
under the pointer: Bars, Tempo and Seed changed silently, and the lyrics Model combo
jumped to "Choose a folder…" and opened a directory picker. The standard Qt answer, app
wide: these inputs take focus by click or Tab only (StrongFocus, not WheelFocus), and an
application event filter hands a wheel event over an unfocused one to its parent (the
scroll area) instead of the input.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
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


def _guarded_input(obj: QObject) -> QWidget | None:
    """The spin box / combo box / slider ``obj`` belongs to (its line edit or viewport
    receives the event first), or None for anything else."""
    widget = obj if isinstance(obj, QWidget) else None
    for _ in range(3):  # the input itself, its line edit, or that edit's viewport
        if widget is None:
            return None
        if isinstance(widget, _GUARDED) and not isinstance(widget, QScrollBar):
            return widget
        if widget.isWindow():  # a combo box's open list scrolls itself
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
    """Application event filter: see the module docstring."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        etype = event.type()
        if etype == QEvent.Type.Wheel:
            target = _guarded_input(obj)
            if target is not None and not target.hasFocus():
                area = _scroll_area_around(target)
                if area is None:
                    # Not accepted, not delivered: Qt offers it to the parents instead.
                    event.ignore()
                    return True
                # To the scroll area around the input, explicitly: Qt hands an ignored
                # wheel event to the parents only when it came from the window system.
                viewport = area.viewport()
                pos = viewport.mapFromGlobal(event.globalPosition())
                forwarded = QWheelEvent(pos, event.globalPosition(), event.pixelDelta(),
                                        event.angleDelta(), event.buttons(),
                                        event.modifiers(), event.phase(), event.inverted())
                QApplication.sendEvent(viewport, forwarded)
                event.accept()
                return True
        elif etype == QEvent.Type.Polish and isinstance(obj, _GUARDED) \
                and not isinstance(obj, QScrollBar):
            if obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def install_wheel_guard(app: QApplication | None = None) -> WheelGuard:
    """Install the guard once per application (later calls return the same one)."""
    app = app or QApplication.instance()
    guard = getattr(app, "_songloom_wheel_guard", None)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
        app._songloom_wheel_guard = guard  # kept alive with the application
    return guard
