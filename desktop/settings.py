"""Typed settings with defaults and a schema version, stored with QSettings (INI) in the
user data folder (SONGLOOM_DATA_DIR overrides it, so tests never touch real settings).

The dialog that edits them lives in desktop/panels/settings_dialog.py (it imports this
module, never the reverse): this module is on the start-up path and imports no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from PySide6.QtCore import QSettings

from core import paths

# 2: a remembered folder per file dialog (open, import, export, save).
SCHEMA_VERSION = 2
MAX_RECENT = 10
THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "zh_CN")  # the interface language (desktop/i18n.py)


@dataclass
class Settings:
    soundfont: str = ""  # "" = the bundled SoundFont
    audio_device: str = ""  # "" = the system default output
    compute_device: str = "auto"  # auto, cpu, cuda, mps
    music_model_dir: str = ""  # "" = the bundled model
    lyrics_model_dir: str = ""
    autosave_interval_s: int = 60
    theme: str = "system"  # system, light, dark
    language: str = "system"  # system, en, zh_CN (desktop/i18n.py); applied at start-up
    recent_files: list[str] = field(default_factory=list)
    # The folder each file dialog was last used in ("" = not used yet): a song opened
    # from a read-only folder must not send exports there.
    open_folder: str = ""
    import_folder: str = ""
    export_folder: str = ""
    save_folder: str = ""


def _store() -> QSettings:
    return QSettings(str(paths.user_data_dir() / "settings.ini"), QSettings.IniFormat)


def stored_version(store: QSettings) -> int:
    """The schema version the file was written with (files from before it was read: 1)."""
    try:
        return max(1, int(store.value("schema_version", 1)))
    except (TypeError, ValueError):
        return 1


def _v1_to_v2(s: Settings) -> None:
    # Open used to start in the most recent song's folder: keep that for Open alone.
    if s.recent_files and not s.open_folder:
        s.open_folder = str(Path(s.recent_files[0]).parent)


UPGRADES = {1: _v1_to_v2}  # from version N to N + 1, applied in order


def load_settings() -> Settings:
    """Read the stored settings; anything missing or malformed falls back to its default.
    A file from an older version is upgraded step by step (UPGRADES)."""
    store = _store()
    s = Settings()
    for f in fields(Settings):
        if not store.contains(f.name):
            continue
        raw = store.value(f.name)
        default = getattr(s, f.name)
        try:
            if isinstance(default, list):
                value = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v]
            elif isinstance(default, int):
                value = int(raw)
            else:
                value = str(raw)
        except (TypeError, ValueError):
            continue
        setattr(s, f.name, value)
    s.autosave_interval_s = max(10, min(3600, s.autosave_interval_s))
    if s.compute_device not in ("auto", "cpu", "cuda", "mps"):
        s.compute_device = "auto"
    s.theme = s.theme.lower()
    if s.theme not in THEMES:
        s.theme = "system"
    if s.language not in LANGUAGES:
        s.language = "system"
    for version in range(stored_version(store), SCHEMA_VERSION):
        UPGRADES[version](s)
    return s


def save_settings(s: Settings) -> None:
    store = _store()
    # A file a newer Songloom wrote keeps its version (and the keys this one ignores).
    store.setValue("schema_version", max(SCHEMA_VERSION, stored_version(store)))
    for f in fields(Settings):
        store.setValue(f.name, getattr(s, f.name))
    store.sync()


def add_recent(s: Settings, path: str) -> None:
    s.recent_files = [path] + [p for p in s.recent_files if p != path]
    del s.recent_files[MAX_RECENT:]

