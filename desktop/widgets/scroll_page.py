"""A dock panel whose content scrolls down, never sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget


def fill_with_scroll(panel: QWidget, inner: QWidget) -> QScrollArea:
    """Fill ``panel`` with a scroll area showing ``inner``: the panel fits its dock's width
    (1024x640 screens included), so the content scrolls down, never sideways."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return scroll
