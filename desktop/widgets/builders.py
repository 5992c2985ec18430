"""The panels' everyday widgets in one call each: a button with its tooltip and action, a
text field with its placeholder and tooltip."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QPushButton


def push_button(text: str, on_click: Callable[..., object], tip: str = "") -> QPushButton:
    """A button that calls ``on_click`` (a slot or a signal) when clicked."""
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(on_click)
    return button


def text_field(placeholder: str, tip: str = "") -> QLineEdit:
    """A one-line text field showing ``placeholder`` while empty."""
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    if tip:
        field.setToolTip(tip)
    return field
