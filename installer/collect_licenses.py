"""Collect the licence texts of everything the Songloom bundle ships into resources/licenses/.

    .venv/bin/python installer/collect_licenses.py [--bundle dist/Songloom] [--check]

Sources, so the texts are the real ones and not retyped:
  * Python distributions: with --bundle, exactly those whose modules PyInstaller put in
    the bundle (the spec writes their top-level names to build/bundle-modules.json);
    without, the closure of Songloom's runtime requirements. Texts from each installed
    distribution's .dist-info (or Debian's /usr/share/common-licenses for the few wheels
    that ship none, e.g. PySide6, tokenizers);
  * native libraries (FluidSynth, PortAudio, glib, ...): the Debian package that owns
    each shared library inside the built bundle, text from /usr/share/doc/<pkg>/copyright
    (without --bundle: the packages the spec adds by name);
  * Songloom itself (MIT), and the models and corpora, from the model cards and the
    training-data licence.
Writes resources/licenses/index.json, which core/licenses.py reads for the About box.
--check only compares: exit 1 when the bundle holds a library whose licence is missing,
or a Python package whose licence is GPL, AGPL or unknown (licence_verdict).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
DATA = Path(os.environ.get("SONGLOOM_DATA", ROOT.parent / "shared" / "data"))
COMMON = Path("/usr/share/common-licenses")
# Packages the spec adds by name (see native_library in songloom.spec) and the SoundFont.
BASE_DEBIAN = ("libfluidsynth3", "libportaudio2", "fluidr3mono-gm-soundfont")
# Glibc and friends are never bundled (PyInstaller excludes them): nothing to collect.
SYSTEM_BASE = {"libc6", "libgcc-s1", "libstdc++6", "libc-bin"}
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)
SPDX_FALLBACK = {"LGPL-3.0": "LGPL-3", "LGPL-2.1": "LGPL-2.1", "GPL-3.0": "GPL-3",
                 "GPL-2.0": "GPL-2", "Apache": "Apache-2.0", "MPL-2.0": "MPL-2.0"}

MIT = """MIT License

Copyright (c) 2026 the Songloom contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


MODULES = ROOT / "build" / "bundle-modules.json"
# Licences an MIT app may ship a component under: permissive ones, and the weak copyleft
# of libraries that stay separate, replaceable files in the one-folder bundle (LGPL) or
# unmodified source files (MPL). Patterns match one term of an SPDX expression, or the
# short name / trove classifier a package declares instead.
PERMITTED = re.compile(
    r"^(MIT(-0| License)?|0BSD|BSD(-[234]-Clause)?( License)?|BSD [234]-Clause License|"
    r"Apache([- ]2\.0)?( License)?|Apache Software License|ISC( License)?( \(ISCL\))?|"
    r"PSF-2\.0|Python Software Foundation License|CNRI-Python|Zlib|CC0-1\.0|BSL-1\.0|"
    r"Unlicense|Public Domain|HPND|MPL-[12]\.[01]|Mozilla Public License [12]\.[01].*|"
    r"LGPL-(2\.0|2\.1|3\.0)(-only|-or-later|\+)?|GNU Lesser General Public License.*)$",
    re.IGNORECASE)
COPYLEFT = re.compile(r"^(A?GPL|GNU (Affero )?General Public License|GPLv)", re.IGNORECASE)


def licence_verdict(expression: str) -> str:
    """'ok', 'copyleft' (GPL/AGPL: may not ship in an MIT app) or 'unknown'.

    An OR is a choice (PySide6's 'LGPL-3.0-only OR GPL-2.0-only ...' ships under LGPL);
    an AND needs every part; 'X WITH exception' is judged by X."""
    verdicts = []
    for alternative in re.split(r"\s+OR\s+", expression.strip()):
        terms = [t.strip(" ()") for t in re.split(r"\s+AND\s+", alternative)]
        terms = [re.split(r"\s+WITH\s+", t)[0].strip(" ()") for t in terms]
        if any(COPYLEFT.match(t) for t in terms):
            verdicts.append("copyleft")
        elif all(t and PERMITTED.match(t) for t in terms):
            verdicts.append("ok")
        else:
            verdicts.append("unknown")
    for verdict in ("ok", "unknown"):
        if verdict in verdicts:
            return verdict
    return "copyleft"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def python_closure(root: str = "songloom", requirements: list[str] | None = None) -> dict:
    """Installed distributions Songloom needs at run time (no extras: not test/train/build):
    those ``root``'s installed metadata requires, or those ``requirements`` (pyproject's
    dependency strings) name, with everything they require in turn."""
    import importlib.metadata as md

    from packaging.requirements import Requirement

    found: dict = {}
    todo = [root] if requirements is None else []
    for text in requirements or []:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            todo.append(req.name)
    while todo:
        name = todo.pop()
        if _norm(name) in found:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        found[_norm(name)] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    found.pop(_norm(root), None)
    return found


def bundled_distributions(modules_file: Path = MODULES) -> dict:
    """The installed distributions whose top-level modules PyInstaller put in the bundle
    (the spec lists them in ``modules_file``); Songloom's own core/desktop left out."""
    import importlib.metadata as md

    tops = json.loads(modules_file.read_text(encoding="utf-8"))
    owners = md.packages_distributions()
    found: dict = {}
    for top in tops:
        for name in owners.get(top, []):
            if _norm(name) != "songloom" and _norm(name) not in found:
                found[_norm(name)] = md.distribution(name)
    return found


def _licence_expression(dist) -> str:
    meta = dist.metadata
    expr = meta.get("License-Expression") or ""
    if not expr:
        short = (meta.get("License") or "").strip()
        expr = short if short and "\n" not in short and len(short) < 60 else ""
    if not expr:
        classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        expr = " OR ".join(classifiers)
    return expr or "see text"


def write_python(dist, folder: Path) -> dict:
    name = dist.metadata["Name"]
    expr = _licence_expression(dist)
    parts = []
    for f in sorted(dist.files or [], key=str):
        p = str(f)
        if ".dist-info/" in p and LICENCE_FILE.search(p.rsplit("/", 1)[-1]) and not p.startswith(
                ("setuptools/_vendor",)):
            try:
                parts.append(f"==> {p.split('.dist-info/', 1)[1]} <==\n{Path(f.locate()).read_text(errors='replace')}")
            except OSError:
                pass
    source = "dist-info"
    if not parts:  # wheels without licence files: the standard text of their declared licence
        for spdx, common in SPDX_FALLBACK.items():
            if spdx.lower() in expr.lower() and (COMMON / common).is_file():
                parts.append(f"==> {COMMON / common} <==\n{(COMMON / common).read_text()}")
                if common == "LGPL-3":  # LGPL 3 is a set of permissions on top of GPL 3
                    parts.append(f"==> {COMMON / 'GPL-3'} <==\n{(COMMON / 'GPL-3').read_text()}")
                source = str(COMMON / common)
                break
    if not parts:
        raise SystemExit(f"collect_licenses: {name}: no licence text found ({expr})")
    header = f"{name} {dist.version}\nLicence: {expr}\nSource of this text: {source}\n\n"
    path = folder / f"{_norm(name)}.txt"
    path.write_text(header + "\n\n".join(parts))
    return {"name": name, "version": dist.version, "license": expr, "kind": "python",
            "file": str(path.relative_to(OUT))}


def debian_packages_of(bundle: Path) -> set[str]:
    """Debian packages owning the shared libraries PyInstaller copied from the system.

    Those land at the top of _internal/; libraries that wheels vendor (torch/lib,
    PySide6/Qt/lib, numpy.libs) stay in their package folders and are covered by the
    package's own licence.
    """
    top = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    names = sorted(p.name for p in top.iterdir()
                   if ".so" in p.name and p.is_file() and ".cpython-" not in p.name)
    if not names:
        return set()
    out = subprocess.run(["dpkg", "-S", *[f"*/{n}" for n in names]], capture_output=True, text=True)
    packages: set[str] = set()
    for line in out.stdout.splitlines():
        owner, _, path = line.partition(": ")
        if os.path.basename(path) in names and path.startswith(("/usr/lib", "/lib")):
            packages.update(p.split(":")[0].strip() for p in owner.split(","))
    return packages - SYSTEM_BASE


def write_debian(pkg: str, folder: Path) -> dict:
    src = Path("/usr/share/doc") / pkg / "copyright"
    if not src.is_file():
        raise SystemExit(f"collect_licenses: {pkg}: {src} is missing")
    text = src.read_text(errors="replace")
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                             text=True).stdout.strip()
    licences = sorted({m.strip() for m in re.findall(r"^License:\s*(\S.*)$", text, re.M)})
    path = folder / f"{pkg}.txt"
    path.write_text(f"{pkg} {version} (Debian package)\nSource of this text: {src}\n\n{text}")
    return {"name": pkg, "version": version, "license": " / ".join(licences[:4]) or "see text",
            "kind": "system", "file": str(path.relative_to(OUT))}


def wordnet_licence() -> str:
    """WordNet's licence from Debian's wordnet-base, else the copy collected before."""
    debian = Path("/usr/share/doc/wordnet-base/copyright")
    if debian.is_file():
        text = debian.read_text(errors="replace")
        return text.split("\nFiles: debian/", 1)[0].rstrip() + "\n"
    old = (OUT / "training-data.txt").read_text(errors="replace") if (OUT / "training-data.txt").exists() else ""
    marker = "==> WordNet 3.0 licence"
    if marker in old:
        return old.split(marker, 1)[1].split("<==\n", 1)[1]
    raise SystemExit("collect_licenses: a model card names WordNet but its licence text is "
                     "missing: apt-get install wordnet-base")


def write_songloom_and_models() -> list[dict]:
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    (OUT / "songloom.txt").write_text(MIT)
    entries = [{"name": "Songloom", "version": version, "license": "MIT", "kind": "application",
                "file": "songloom.txt"}]
    lieder = DATA / "openscore-lieder" / "LICENSE.txt"
    data_parts = [
        "The bundled models were trained by the Songloom project on these corpora\n"
        "(see each model card under resources/models/ for the exact files):\n\n"
        "* OpenScore Lieder (music and song texts): CC0 1.0 Universal (text below).\n"
        "* Bach chorales, JSB 16th-note compilation: the music is in the public domain.\n"
        "* Public-domain poems (\"Sonnet or Not, Bot?\" collection): public domain.\n"]
    # Corpora only some models read are listed when a model card names them, so the list
    # follows what the bundled weights were actually trained on.
    cards = " ".join(c.read_text(errors="replace")
                     for c in (ROOT / "resources" / "models").glob("*/MODEL_CARD.md"))
    data_licence = "CC0-1.0 / public domain"
    if "gutenberg-en" in cards:
        data_parts[0] += ("* Project Gutenberg books (gutenberg-en, 65 novels and children's books\n"
                          "  published before 1929): public domain; the Project Gutenberg header,\n"
                          "  footer and trademark were removed before use.\n")
    wordnet_text = ""
    if "WordNet" in cards:
        data_parts[0] += "* WordNet 3.0 (Princeton University): WordNet 3.0 licence (text below).\n"
        data_licence += " / WordNet-3.0"
        wordnet_text = wordnet_licence()
    poetry = DATA / "chinese-poetry" / "LICENSE"
    if "chinese-poetry" in cards:
        data_parts[0] += ("* chinese-poetry (Song ci, Tang poems, Book of Songs, Yuan songs; the\n"
                          "  Chinese lyrics model): MIT licence (text below).\n")
        data_licence += " / MIT"
    pop909 = DATA / "pop909" / "LICENSE"
    if "POP909" in cards:
        data_parts[0] += ("* POP909 (Wang et al., ISMIR 2020; 909 pop songs' melody, piano,\n"
                          "  chords and keys: the music model's pop style and the pop chord\n"
                          "  progressions): MIT licence (text below).\n")
        if "/ MIT" not in data_licence:
            data_licence += " / MIT"
    if lieder.is_file():
        data_parts.append(f"==> OpenScore Lieder LICENSE.txt <==\n{lieder.read_text(errors='replace')}")
    elif (COMMON / "CC0-1.0").is_file():
        data_parts.append(f"==> CC0 1.0 <==\n{(COMMON / 'CC0-1.0').read_text()}")
    if "chinese-poetry" in cards and poetry.is_file():
        data_parts.append(f"==> chinese-poetry LICENSE <==\n{poetry.read_text(errors='replace')}")
    if "POP909" in cards and pop909.is_file():
        data_parts.append(f"==> POP909 LICENSE <==\n{pop909.read_text(errors='replace')}")
    if wordnet_text:
        data_parts.append(f"==> WordNet 3.0 licence (Debian wordnet-base copyright) <==\n{wordnet_text}")
    (OUT / "training-data.txt").write_text("\n".join(data_parts))
    entries.append({"name": "Training data of the bundled models", "version": "",
                    "license": data_licence, "kind": "data",
                    "file": "training-data.txt"})
    # Model cards live beside the weights; point at them rather than copying.
    for card in sorted((ROOT / "resources" / "models").glob("*/*.md")):
        text = card.read_text(errors="replace")
        m = re.search(r"^\W*licen[cs]e\W*[:|]\s*(.+)$", text, re.I | re.M)
        if m:
            licence = m.group(1).strip(" *|")
        elif re.search(r"released\s+with\s+Songloom[^.]*\bMIT\b", text, re.I | re.S):
            licence = "MIT (weights); trained on CC0 / public-domain data"
        else:
            licence = "see model card"
        entries.append({"name": f"Model: {card.parent.name}", "version": "",
                        "license": licence,
                        "kind": "model", "file": os.path.relpath(card, OUT)})
    # The lyrics lexicon (words, syllables, theme associates) is derived from WordNet 3.0
    # and the CMU dictionary; its WordNet licence ships beside it.
    lexicon = ROOT / "resources" / "lexicon" / "WORDNET-LICENSE.txt"
    if lexicon.is_file():
        entries.append({"name": "Lyrics lexicon (WordNet 3.0, CMU Pronouncing Dictionary)",
                        "version": "", "license": "WordNet-3.0 (derived data)", "kind": "data",
                        "file": os.path.relpath(lexicon, OUT)})
    # The drum grooves are the project's own patterns, MIT like the app, licence beside them.
    grooves = ROOT / "resources" / "grooves" / "LICENSE.txt"
    if grooves.is_file():
        entries.append({"name": "Groove library (drum patterns written for Songloom)",
                        "version": "", "license": "MIT", "kind": "data",
                        "file": os.path.relpath(grooves, OUT)})
    return entries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", type=Path, help="built one-folder bundle (dist/Songloom)")
    ap.add_argument("--check", action="store_true", help="only report missing licences")
    args = ap.parse_args(argv)

    packages = set(BASE_DEBIAN)
    if args.bundle and shutil.which("dpkg"):
        packages |= debian_packages_of(args.bundle)
    exact = bool(args.bundle) and MODULES.is_file()
    python = bundled_distributions() if exact else python_closure()
    if args.check:
        index = json.loads((OUT / "index.json").read_text())
        have = {e["name"] for e in index}
        missing = sorted(p for p in packages if p not in have)
        missing += sorted(d.metadata["Name"] for d in python.values()
                          if d.metadata["Name"] not in have)
        for name in missing:
            print(f"collect_licenses: no licence collected for {name}", file=sys.stderr)
        refused = [f"{e['name']} ({e['license']}): {licence_verdict(e['license'])}"
                   for e in index if e.get("kind") == "python"
                   and licence_verdict(e["license"]) != "ok"]
        for line in refused:
            print(f"collect_licenses: may not ship in an MIT app: {line}", file=sys.stderr)
        return 1 if missing or refused else 0

    debian = shutil.which("dpkg-query") is not None
    for sub in ("python", "system") if debian else ("python",):
        shutil.rmtree(OUT / sub, ignore_errors=True)
        (OUT / sub).mkdir(parents=True)
    entries = write_songloom_and_models()
    if args.bundle and not exact:
        print(f"collect_licenses: {MODULES} missing; listing the runtime closure instead",
              file=sys.stderr)
    entries += [write_python(d, OUT / "python") for _, d in sorted(python.items())]
    if debian:
        entries += [write_debian(p, OUT / "system") for p in sorted(packages)]
    else:  # Windows/macOS build: keep the native-library texts collected on Debian
        print("collect_licenses: no dpkg here; keeping resources/licenses/system/ as it is",
              file=sys.stderr)
        old = json.loads((OUT / "index.json").read_text()) if (OUT / "index.json").is_file() else []
        entries += [e for e in old if e.get("kind") == "system"]
    (OUT / "index.json").write_text(json.dumps(entries, indent=1, ensure_ascii=False) + "\n")
    print(f"collect_licenses: {len(entries)} components into {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
