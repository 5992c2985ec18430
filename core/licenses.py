"""The licences of everything Songloom ships, for the About box and `songloom-cli licenses`.

installer/collect_licenses.py gathers the texts (from the installed packages' metadata
and Debian's copyright files) into resources/licenses/ with an index.json; this module
only reads that index, so the About box shows exactly what the bundle carries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.errors import SongloomError

INDEX_NAME = "index.json"
# Order in which the About box lists the groups: ours first, then what we build on.
KIND_ORDER = ("application", "model", "data", "python", "system")
KIND_TITLES = {
    "application": "Songloom",
    "model": "Bundled models",
    "data": "Training data",
    "python": "Python packages",
    "system": "Native libraries and SoundFont",
}


class LicenseIndexError(SongloomError):
    """The bundled licence index is missing or damaged."""


@dataclass(frozen=True)
class BundledLicense:
    name: str
    version: str
    license: str  # SPDX expression or the short name the package declares
    kind: str  # one of KIND_ORDER
    path: Path  # the full text

    def text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise LicenseIndexError(f"licence text unreadable: {exc.strerror}", self.path) from exc

    @property
    def title(self) -> str:
        return f"{self.name} {self.version}".strip()


def default_licenses_dir() -> Path:
    from core.paths import resources_dir

    return resources_dir() / "licenses"


def bundled_licenses(folder: Path | None = None) -> list[BundledLicense]:
    """All bundled components with their licences, grouped by KIND_ORDER, then by name."""
    folder = Path(folder) if folder is not None else default_licenses_dir()
    index = folder / INDEX_NAME
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LicenseIndexError("no licence index (run installer/collect_licenses.py)", index) from exc
    except (OSError, ValueError) as exc:
        raise LicenseIndexError(f"licence index unreadable: {exc}", index) from exc
    if not isinstance(entries, list):
        raise LicenseIndexError("licence index is not a list", index)
    out = []
    for number, entry in enumerate(entries, 1):
        try:
            out.append(BundledLicense(
                name=str(entry["name"]), version=str(entry.get("version", "")),
                license=str(entry["license"]), kind=str(entry.get("kind", "python")),
                path=(folder / entry["file"]).resolve(),
            ))
        except (KeyError, TypeError) as exc:
            raise LicenseIndexError(f"entry {number} lacks {exc}", index) from exc
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return sorted(out, key=lambda e: (rank.get(e.kind, len(rank)), e.name.lower()))


def find_license(name: str, folder: Path | None = None) -> BundledLicense:
    """The entry whose name matches ``name`` (case-insensitive; '-', '_', '.' alike)."""

    def norm(s: str) -> str:
        return s.lower().replace("_", "-").replace(".", "-")

    entries = bundled_licenses(folder)
    for entry in entries:
        if norm(entry.name) == norm(name):
            return entry
    raise LicenseIndexError(
        "no bundled component of that name (songloom-cli licenses lists them)", name
    )


def licenses_summary(folder: Path | None = None) -> str:
    """Plain text for an About box: one line per component, grouped, licence first."""
    lines: list[str] = []
    current = None
    for entry in bundled_licenses(folder):
        if entry.kind != current:
            current = entry.kind
            lines.append(("\n" if lines else "") + KIND_TITLES.get(current, current.title()) + ":")
        lines.append(f"  {entry.title} — {entry.license}")
    return "\n".join(lines)
