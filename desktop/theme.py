"""Fusion style, light or dark following the system, and the piano roll's colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

# Distinct, colour-blind-friendly track colours (Okabe-Ito, then a few more).
TRACK_COLORS = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#b8a000",
    "#7f5fbf", "#8c564b", "#17becf", "#bcbd22", "#e377c2", "#7f7f7f", "#2ca02c",
    "#9467bd", "#ff7f0e",
)


def track_color(track, index: int) -> str:
    """The colour a track shows in: its own, else one from the palette by position."""
    color = getattr(track, "color", "") or ""
    if QColor.isValidColorName(color):
        return color
    return TRACK_COLORS[index % len(TRACK_COLORS)]


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Window).lightness() < 128


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(225, 225, 225)
    p.setColor(QPalette.Window, window)
    p.setColor(QPalette.WindowText, text)
    p.setColor(QPalette.Base, base)
    p.setColor(QPalette.AlternateBase, window)
    p.setColor(QPalette.ToolTipBase, window)
    p.setColor(QPalette.ToolTipText, text)
    p.setColor(QPalette.Text, text)
    p.setColor(QPalette.Button, window)
    p.setColor(QPalette.ButtonText, text)
    p.setColor(QPalette.BrightText, QColor(255, 80, 80))
    p.setColor(QPalette.Highlight, QColor(70, 130, 200))
    p.setColor(QPalette.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.Link, QColor(100, 160, 230))
    for role in (QPalette.Text, QPalette.ButtonText, QPalette.WindowText):
        p.setColor(QPalette.Disabled, role, QColor(120, 120, 120))
    # Placeholder text ("a theme or title", "word", the SoundFont and model fields) was
    # left at Qt's default, nearly black on this dark base; this grey reads at 5:1.
    p.setColor(QPalette.PlaceholderText, QColor(150, 150, 155))
    p.setColor(QPalette.Mid, QColor(90, 90, 96))
    return p


def apply_theme(app, scheme: str = "system") -> None:
    """Fusion everywhere; dark when the system (or the setting) says so."""
    if app.style().name().lower() != "fusion":  # already it on Linux: making it anew costs ~5 ms
        app.setStyle("Fusion")
    if scheme == "system":
        hints = QGuiApplication.styleHints()
        dark = hints.colorScheme() == Qt.ColorScheme.Dark
    else:
        dark = scheme == "dark"
    app.setPalette(_dark_palette() if dark else app.style().standardPalette())


@dataclass
class RollColors:
    background: QColor
    scale_row: QColor
    scale_row_black: QColor
    black_row: QColor
    row_line: QColor
    octave_line: QColor
    snap_line: QColor
    beat_line: QColor
    bar_line: QColor
    selected: QColor
    rubber_fill: QColor
    loop_fill: QColor
    playhead: QColor
    syllable: QColor
    ghost_alpha: int

    @classmethod
    def from_palette(cls, palette: QPalette) -> RollColors:
        theme = 0 if is_dark(palette) else 1
        return cls(**{name: QColor(*values[theme]) for name, values in _ROLL_RGB.items()},
                   ghost_alpha=(90, 80)[theme])


# Each piano-roll colour in the dark theme and in the light one, side by side (RGB, or RGBA).
_ROLL_RGB = {
    "background": ((34, 36, 40), (236, 238, 241)),
    "scale_row": ((48, 52, 58), (252, 252, 253)),
    "scale_row_black": ((42, 46, 52), (243, 245, 248)),
    "black_row": ((28, 30, 33), (224, 226, 230)),
    "row_line": ((22, 23, 26), (212, 215, 220)),
    "octave_line": ((80, 84, 92), (160, 165, 175)),
    "snap_line": ((44, 46, 50), (226, 228, 232)),
    "beat_line": ((60, 63, 70), (200, 204, 210)),
    "bar_line": ((110, 114, 124), (130, 135, 145)),
    "selected": ((255, 200, 60), (240, 150, 0)),
    "rubber_fill": ((255, 200, 60, 40), (240, 150, 0, 40)),
    "loop_fill": ((90, 160, 255, 35), (40, 120, 230, 30)),
    "playhead": ((255, 80, 70), (220, 40, 30)),
    "syllable": ((235, 235, 235), (25, 25, 30)),
}
