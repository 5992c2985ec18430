"""SoundFonts: the bundled one, the ones installed on this computer, and checking a file.

Songloom ships FluidR3Mono_GM.sf3 (MIT, see resources/soundfonts/) so it sounds right out
of the box; a user may pick any other .sf2/.sf3. A missing or broken choice is reported
and the bundled font is used instead (``soundfont_or_bundled``), so sound never just stops.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.errors import AudioError
from core.paths import resources_dir

BUNDLED_NAME = "FluidR3Mono_GM.sf3"
SOUNDFONT_SUFFIXES = (".sf2", ".sf3")


def bundled_soundfont() -> Path:
    """The SoundFont shipped with Songloom."""
    path = resources_dir() / "soundfonts" / BUNDLED_NAME
    if not path.is_file():
        raise AudioError("the bundled SoundFont is missing; reinstall Songloom", path)
    return path


def soundfont_dirs() -> list[Path]:
    """The folders where this platform's SoundFont packages and users put SoundFonts."""
    home = Path.home()
    dirs: list[Path] = []
    env = os.environ.get("SONGLOOM_SOUNDFONT_DIRS")
    if env:  # extra folders, os.pathsep-separated (also what tests use)
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    if sys.platform == "darwin":
        dirs += [home / "Library/Audio/Sounds/Banks", Path("/Library/Audio/Sounds/Banks")]
    elif sys.platform == "win32":
        profile = Path(os.environ.get("USERPROFILE", str(home)))
        dirs += [Path("C:/soundfonts"), Path("C:/SoundFonts"), profile / "SoundFonts",
                 profile / "Documents/SoundFonts", profile / "Music/SoundFonts"]
        for var in ("ProgramFiles", "ProgramFiles(x86)"):
            if os.environ.get(var):
                dirs.append(Path(os.environ[var]) / "SoundFonts")
    else:
        data_home = Path(os.environ.get("XDG_DATA_HOME", str(home / ".local/share")))
        dirs += [Path("/usr/share/sounds/sf2"), Path("/usr/share/sounds/sf3"),
                 Path("/usr/share/soundfonts"), Path("/usr/local/share/soundfonts"),
                 Path("/usr/share/sounds/sfz"), data_home / "soundfonts", home / ".soundfonts"]
    return dirs


def find_soundfonts() -> list[Path]:
    """Every .sf2/.sf3 in the usual folders plus the bundled one, without duplicates.

    Symlinks (Debian's default-GM.sf3 -> alternatives) are listed under their own name but a
    file reached twice through links appears once.
    """
    found: list[Path] = []
    seen: set[str] = set()
    candidates: list[Path] = []
    try:
        candidates.append(bundled_soundfont())
    except AudioError:
        pass
    for folder in soundfont_dirs():
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        candidates += [p for p in entries if p.suffix.lower() in SOUNDFONT_SUFFIXES]
    for path in candidates:
        try:
            real = str(path.resolve(strict=True))
        except OSError:
            continue  # dangling link
        if real not in seen and Path(real).is_file():
            seen.add(real)
            found.append(path)
    return found


def validate_soundfont(path: str | Path) -> Path:
    """Check that ``path`` is a readable SoundFont 2/3 file; raise AudioError saying why not.

    This reads only the RIFF header (fast enough to call on every choice in a file dialog);
    FluidSynth's own loader still reports deeper damage when the font is first used.
    """
    from core.io.regular_file import open_regular

    path = Path(path)
    if not (path.exists() or path.is_symlink()):
        raise AudioError("SoundFont not found", path)
    # Checked before it is opened: a FIFO named font.sf2 would block the open, a symlink
    # to /dev/zero would hand FluidSynth an endless file.
    fd = open_regular(path, error_cls=AudioError, kind="a SoundFont file")
    try:
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(12)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        raise AudioError(f"cannot read the SoundFont ({exc.strerror or exc})", path) from None
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"sfbk":
        raise AudioError("not a SoundFont (.sf2/.sf3 files start with a RIFF 'sfbk' header)", path)
    declared = int.from_bytes(head[4:8], "little") + 8
    if size < declared:
        raise AudioError(f"SoundFont is truncated ({size} of {declared} bytes)", path)
    return path


def resolve_soundfont(path: str | Path | None) -> Path:
    """The SoundFont to use: ``path`` if given (validated, errors raised), else the bundled one."""
    return bundled_soundfont() if path is None else validate_soundfont(path)


def soundfont_or_bundled(path: str | Path | None) -> tuple[Path, str | None]:
    """For the app: the chosen SoundFont, or the bundled one plus the reason it was refused."""
    if path is None:
        return bundled_soundfont(), None
    try:
        return validate_soundfont(path), None
    except AudioError as exc:
        return bundled_soundfont(), f"{exc}; using the bundled SoundFont instead"
