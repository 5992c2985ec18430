"""The documentation: a README that fits on a screen, links that lead somewhere, and the
docs folder shipped with the app (Help > User guide reads it offline)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from core import paths

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README_LIMIT_BYTES = 10_000  # issue 19: "README.md at most 10 KB"
# The pages the app's Help menu opens and the pages they lead a user to. In the bundle only
# docs/ and resources/ exist, so their links must stay inside those two folders.
USER_PAGES = ("getting-started.md", "user-guide.md", "cli.md", "file-formats.md", "sound.md",
              "models.md")
EXPECTED_PAGES = USER_PAGES + ("performance.md", "architecture.md", "packaging.md",
                               "development.md")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]


def links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))  # code blocks hold no links
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading (what a #fragment must match)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


def relative_links(path: Path):
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, fragment = target.partition("#")
        yield target, (path.parent / file_part).resolve() if file_part else path, fragment


def test_readme_fits_the_limit():
    size = (ROOT / "README.md").stat().st_size
    assert size <= README_LIMIT_BYTES, f"README.md is {size:,} bytes (at most {README_LIMIT_BYTES:,})"


def test_every_page_the_docs_promise_exists_and_the_readme_links_it():
    readme = {t for t, _, _ in relative_links(ROOT / "README.md")}
    for name in EXPECTED_PAGES:
        assert (DOCS / name).is_file(), name
    for name in ("user-guide.md", "cli.md", "models.md", "performance.md", "architecture.md",
                 "development.md", "packaging.md"):
        assert f"docs/{name}" in readme, f"README does not link docs/{name}"
    assert "CHANGELOG.md" in readme


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: p.name)
def test_relative_links_resolve(page):
    broken = []
    for target, resolved, fragment in relative_links(page):
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            broken.append(f"{target}: no heading #{fragment} in {resolved.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


@pytest.mark.parametrize("name", USER_PAGES)
def test_user_pages_link_only_what_the_bundle_ships(name):
    page = DOCS / name
    outside = [t for t, resolved, _ in relative_links(page)
               if not (resolved.is_relative_to(DOCS) or resolved.is_relative_to(ROOT / "resources"))]
    assert not outside, f"{name} links outside docs/ and resources/: {outside}"


def test_the_link_checker_catches_a_broken_link(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Title\n[ok](#title) [gone](missing.md) [bad anchor](#nope)\n"
                    "```\n[in code](ignored.md)\n```\n", encoding="utf-8")
    found = {t: (r.exists(), f in anchors(r) if f else True)
             for t, r, f in relative_links(page)}
    assert found == {"#title": (True, True), "missing.md": (False, True),
                     "#nope": (True, False)}


def test_the_bundle_spec_ships_docs_beside_resources():
    spec = (ROOT / "installer" / "songloom.spec").read_text(encoding="utf-8")
    assert re.search(r"\(str\(ROOT / \"docs\"\), \"docs\"\)", spec), \
        "installer/songloom.spec must put docs/ into the bundle's datas"


def test_docs_are_found_from_a_source_checkout(monkeypatch):
    monkeypatch.delenv("SONGLOOM_DOCS", raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert paths.docs_dir() == DOCS
    assert (paths.docs_dir() / "user-guide.md").is_file()


def test_docs_are_found_inside_a_frozen_bundle(monkeypatch, tmp_path):
    monkeypatch.delenv("SONGLOOM_DOCS", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.docs_dir() == tmp_path / "docs"
    # The guide's links to ../resources/... work there too: the two folders are siblings.
    assert paths.docs_dir().parent == paths.resources_dir().parent


def test_changelog_keeps_an_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    for kind in ("### Added", "### Changed"):
        assert kind in text
