"""songloom-cli licenses: the licences of everything the installed Songloom ships."""

from __future__ import annotations

import json


def register(groups) -> None:
    """Add ``songloom-cli licenses [NAME] [--json]``."""
    p = groups["top"].add_parser(
        "licenses",
        help="list the licences of bundled parts, or print one in full",
        description="Without NAME: every bundled part with its licence. With NAME "
        "(e.g. PySide6_Essentials, libfluidsynth3, torch): that part's full licence text.",
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="a part's name, as listed")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=_licenses)


def _licenses(args) -> int:
    from core.licenses import bundled_licenses, find_license, licenses_summary

    if args.name:
        entry = find_license(args.name)
        if args.json:
            print(json.dumps({"name": entry.name, "version": entry.version,
                              "license": entry.license, "kind": entry.kind,
                              "text": entry.text()}))
        else:
            print(entry.text())
        return 0
    if args.json:
        print(json.dumps([{"name": e.name, "version": e.version, "license": e.license,
                           "kind": e.kind, "file": str(e.path)} for e in bundled_licenses()],
                         indent=1))
    else:
        print(licenses_summary())
    return 0
