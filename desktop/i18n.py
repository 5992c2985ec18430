"""The interface language: English (the source strings) or Simplified Chinese.

Every visible string goes through ``translate(context, text)`` (Qt's
QCoreApplication.translate; pyside6-lupdate finds the calls by that name). The
translations live in resources/i18n/songloom_<lang>.ts, compiled to .qm by
installer/i18n.sh. The language is chosen once, at start-up, before any window is
built (Settings > Language: the system's, English or 简体中文); a change applies at the
next start, because the widgets set their texts when they are built.

Placeholders are Python's named ``{name}`` fields, filled with ``.format`` after the
lookup, so a translation may move them.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from core.paths import resources_dir
from desktop.settings import LANGUAGES  # noqa: F401 - the Settings values ("system": the locale's)

translate = QCoreApplication.translate

# What the Settings combo box shows: each language in its own words, so a user who
# cannot read the current interface still finds theirs.
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}


# Section kinds as the interface shows them (the song keeps the English kind; A, B and C
# stay letters).
SECTION_TITLES = {
    "intro": QT_TRANSLATE_NOOP("Sections", "Intro"),
    "verse": QT_TRANSLATE_NOOP("Sections", "Verse"),
    "pre-chorus": QT_TRANSLATE_NOOP("Sections", "Pre-chorus"),
    "chorus": QT_TRANSLATE_NOOP("Sections", "Chorus"),
    "bridge": QT_TRANSLATE_NOOP("Sections", "Bridge"),
    "outro": QT_TRANSLATE_NOOP("Sections", "Outro"),
}


def section_title(kind: str) -> str:
    """"verse" -> "Verse" (主歌 in Chinese); a kind not listed is shown as it is."""
    title = SECTION_TITLES.get(kind.lower())
    return translate("Sections", title) if title else kind


def section_label(label: str) -> str:
    """A numbered label from core.model.sections.section_labels ("Verse 2") in the
    interface language."""
    m = re.match(r"^(\S+?)(\s+\d+)?$", label)
    if not m or m.group(1).lower() not in SECTION_TITLES:
        return label
    return section_title(m.group(1)) + (m.group(2) or "")


def kind_from_title(text: str) -> str:
    """What a songwriter typed as a section's name, as the song's kind: a shown title
    ("副歌", "Chorus") becomes its kind ("chorus"); anything else is returned stripped."""
    t = text.strip()
    for kind in SECTION_TITLES:
        if t.lower() in (kind, section_title(kind).lower()):
            return kind
    return t


def i18n_dir():
    return resources_dir() / "i18n"


def resolve_language(setting: str, system_locale: str | None = None) -> str:
    """The interface language for a Settings value: "en" or "zh_CN". "system" (or an
    unknown value) follows the locale: any Chinese locale gets Simplified Chinese, the
    only Chinese translation there is (a Traditional-script reader still reads it more
    easily than English)."""
    if setting in LANGUAGE_NAMES:
        return setting
    name = system_locale if system_locale is not None else QLocale.system().name()
    return "zh_CN" if name.lower().startswith("zh") else "en"


def install_translators(app, setting: str, system_locale: str | None = None) -> str:
    """Install the translators for ``setting`` on ``app`` (Songloom's own, then Qt's for
    its standard dialogs and buttons) and return the language chosen. Translators a
    previous call installed are removed first. A missing .qm leaves English."""
    for old in getattr(app, "_songloom_translators", []):
        app.removeTranslator(old)
    app._songloom_translators = []
    language = resolve_language(setting, system_locale)
    if language == "en":
        return language
    ours = QTranslator(app)
    if ours.load(str(i18n_dir() / f"songloom_{language}.qm")):
        app.installTranslator(ours)
        app._songloom_translators.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(qt)
        app._songloom_translators.append(qt)
    return language
