"""songloom-cli: scripting, checks and benchmarks.

Each area registers its own subcommands from a small module in core/commands/ (and the
desktop adds its own through the ``songloom.cli`` entry-point group, so core never
imports Qt). Handlers import heavy libraries lazily: ``songloom-cli --help`` stays fast.

Errors a user can act on (SongloomError) print one line and exit 2; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from core.errors import SongloomError, one_line

PROG = "songloom-cli"
EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2

# Modules with ``register(groups)``; ``groups`` maps a verb to its subparsers.
CORE_COMMAND_MODULES = (
    "core.commands.files",
    "core.commands.music",
    "core.commands.styles",
    "core.commands.lyrics",
    "core.commands.audio",
    "core.commands.installer",
)
# Verbs that group sub-subcommands (``songloom-cli bench music``).
GROUP_VERBS = {
    "generate": "generate music (and more)",
    "train": "train a bundled model",
    "score": "evaluation scores of music, lyrics or audio",
    "bench": "speed benchmarks, as ratios against a baseline measured in the same run",
}


class CliUsageError(SongloomError):
    """Bad command-line usage (argparse), reported in the same one-line form."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliUsageError(f"{self.prog.removeprefix(PROG).strip() or 'usage'}: {message}")


def _plugin_registrars():
    try:
        from importlib.metadata import entry_points

        return [ep.load for ep in entry_points(group="songloom.cli")]
    except Exception:  # noqa: BLE001 - a broken plugin must not break the core CLI
        return []


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Songloom from the command line.")
    from core import __version__

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    top = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    top.required = True
    groups: dict[str, argparse._SubParsersAction] = {"top": top}
    for verb, help_text in GROUP_VERBS.items():
        p = top.add_parser(verb, help=help_text, description=help_text)
        sub = p.add_subparsers(dest="what", metavar="WHAT", parser_class=_Parser)
        sub.required = True
        groups[verb] = sub
    for name in CORE_COMMAND_MODULES:
        importlib.import_module(name).register(groups)
    for load in _plugin_registrars():
        try:
            load()(groups)
        except Exception:  # noqa: BLE001 - e.g. desktop extras not installed
            pass
    return parser


def error_line(message: str) -> str:
    return f"{PROG}: error: {one_line(message)}"


def _safe_streams() -> None:
    """A file name with undecodable bytes reaches print() as lone surrogates; stdout's
    strict encoding would raise on it. Show such characters escaped instead."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass  # replaced by a test harness, or already closed


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args) or EXIT_OK)
    except SongloomError as exc:
        print(error_line(str(exc)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(error_line("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
