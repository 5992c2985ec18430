"""Does installer/locks/ still agree with pyproject.toml?

    python installer/lockcheck.py        # one line per disagreement; exit 1 if any

pyproject.toml keeps the ranges a package works with; the locks (installer/lock.sh writes
them) pin the one version of each that was tested, with hashes. They drift apart when
someone edits a range or adds a dependency without re-locking: then setup.sh would
install a set that pyproject.toml no longer describes. tests/installer/test_lock.py runs
this check.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "installer" / "locks"
# The platform the locks are for (lock.sh: --python-version 3.11, Linux x86-64); markers
# in pyproject.toml are judged against it.
TARGET = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux",
          "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
          "implementation_name": "cpython", "platform_python_implementation": "CPython"}
# Which extras each lock file carries (besides the runtime dependencies).
PROFILES = {"app.txt": (), "dev.txt": ("test", "train"), "build.txt": ("build",)}
# torch is pinned in its own files, one per build (see lock.sh); never in the profiles.
TORCH_FILES = ("torch-cpu.txt", "torch-cuda.txt")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


@dataclass
class Pin:
    name: str  # canonical
    version: Version
    hashes: list[str] = field(default_factory=list)


def read_lock(path: Path) -> dict[str, Pin]:
    """name -> Pin for a pip requirements file in `name==version --hash=...` form."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    pins: dict[str, Pin] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        match = _PIN.match(words[0])
        if not match:
            raise ValueError(f"{path.name}: line {number}: not a 'name==version' pin: {words[0]}")
        pins[canonicalize_name(match[1])] = Pin(
            canonicalize_name(match[1]), Version(match[2]),
            [w.split("=", 1)[1] for w in words[1:] if w.startswith("--hash=")])
    return pins


def requirements(pyproject: dict, extras: tuple[str, ...] = ()) -> list[Requirement]:
    """pyproject's runtime requirements plus those of ``extras`` that apply on the target."""
    project = pyproject["project"]
    texts = list(project.get("dependencies", []))
    for extra in extras:
        texts += project.get("optional-dependencies", {}).get(extra, [])
    reqs = [Requirement(t) for t in texts]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(TARGET | {"extra": ""})]


def check(pyproject: dict, locks: Path = LOCKS) -> list[str]:
    """Every disagreement between ``pyproject`` and the lock files, as one line each."""
    problems: list[str] = []
    try:
        files = {name: read_lock(locks / name)
                 for name in ("all.txt", *PROFILES, *TORCH_FILES)}
    except (OSError, ValueError) as exc:
        return [f"locks unreadable: {exc} (run installer/lock.sh)"]

    def judge(req: Requirement, pins: dict[str, Pin], where: str) -> None:
        pin = pins.get(canonicalize_name(req.name))
        if pin is None:
            problems.append(f"{where}: {req.name} is required ({req}) but not locked")
        elif not req.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{where}: {req.name}=={pin.version} does not satisfy '{req}'")

    everything = tuple(pyproject["project"].get("optional-dependencies", {}))
    for req in requirements(pyproject, everything):
        judge(req, files["all.txt"], "all.txt")
    for name, extras in PROFILES.items():
        for req in requirements(pyproject, extras):
            if canonicalize_name(req.name) == "torch":
                for torch_file in TORCH_FILES:
                    judge(req, files[torch_file], torch_file)
            else:
                judge(req, files[name], name)
        if "torch" in files[name]:
            problems.append(f"{name}: pins torch; it belongs in {' / '.join(TORCH_FILES)}")
    # One resolution: a package has one version (and the same files) wherever it appears.
    for name, pins in files.items():
        for pin in pins.values():
            if not pin.hashes:
                problems.append(f"{name}: {pin.name} has no --hash (pip --require-hashes refuses)")
            ref = files["all.txt"].get(pin.name)
            if name != "torch-cuda.txt" and ref is not None and ref.version != pin.version:
                problems.append(f"{name}: {pin.name}=={pin.version} but all.txt has {ref.version}")
    cpu, cuda = files["torch-cpu.txt"].get("torch"), files["torch-cuda.txt"].get("torch")
    if cpu and cuda and cpu.version.public != cuda.version.public:
        problems.append(f"torch: CPU build {cpu.version} and CUDA build {cuda.version} differ")
    return problems


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    problems = check(pyproject)
    for line in problems:
        print(f"lockcheck: {line}", file=sys.stderr)
    if problems:
        print("lockcheck: refresh with installer/lock.sh", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
