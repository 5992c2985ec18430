"""Render resources/icons/songloom.svg into the PNG, ICO and ICNS files the installers use.

Run after editing the SVG (maintainers only; the results are committed):
    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py
Qt draws the SVG at each size (crisper than scaling one bitmap); Pillow packs the
Windows .ico and the macOS .icns from those renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def render_pngs(svg: Path) -> dict[int, Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg}: not a valid SVG")
    out: dict[int, Path] = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = ICONS / "png" / f"songloom-{size}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"make_icons: could not write {path}")
        out[size] = path
        if size == 256:  # the window icon desktop/app.py loads
            image.save(str(ICONS / "songloom.png"), "PNG")
    return out


def pack(pngs: dict[int, Path]) -> None:
    from PIL import Image

    images = {size: Image.open(path).convert("RGBA") for size, path in pngs.items()}
    ico = [images[s] for s in ICO_SIZES]
    ico[-1].save(ICONS / "songloom.ico", sizes=[(s, s) for s in ICO_SIZES], append_images=ico[:-1])
    icns = [images[s] for s in ICNS_SIZES]
    icns[-1].save(ICONS / "songloom.icns", append_images=icns[:-1])


if __name__ == "__main__":
    pack(render_pngs(ICONS / "songloom.svg"))
    print(f"make_icons: wrote {len(SIZES)} PNGs, songloom.ico and songloom.icns into {ICONS}")
