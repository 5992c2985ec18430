"""Typed settings with defaults and a schema version, stored with QSettings (INI) in the
user data folder (SONGLOOM_DATA_DIR overrides it, so tests never touch real settings).

The dialog that edits them lives in desktop/panels/settings_dialog.py (it imports this
module, never the reverse): this module is on the start-up path and imports no widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from PySide6.QtCore import QSettings

from core import paths

SCHEMA_VERSION = 1
MAX_RECENT = 10


@dataclass
class Settings:
    soundfont: str = ""  # "" = the bundled SoundFont
    audio_device: str = ""  # "" = the system default output
    compute_device: str = "auto"  # auto, cpu, cuda, mps
    music_model_dir: str = ""  # "" = the bundled model
    lyrics_model_dir: str = ""
    autosave_interval_s: int = 60
    theme: str = "system"  # system, light, dark
    recent_files: list[str] = field(default_factory=list)


def _store() -> QSettings:
    return QSettings(str(paths.user_data_dir() / "settings.ini"), QSettings.IniFormat)


def load_settings() -> Settings:
    """Read the stored settings; anything missing or malformed falls back to its default."""
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
    return s


def save_settings(s: Settings) -> None:
    store = _store()
    store.setValue("schema_version", SCHEMA_VERSION)
    for f in fields(Settings):
        store.setValue(f.name, getattr(s, f.name))
    store.sync()


def add_recent(s: Settings, path: str) -> None:
    s.recent_files = [path] + [p for p in s.recent_files if p != path]
    del s.recent_files[MAX_RECENT:]

