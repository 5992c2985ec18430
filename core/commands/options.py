"""The argparse pieces the subcommands share.

A subcommand is registered with one ``command(...)`` call: its name, handler, help and
description, then its options as ``opt(...)`` specs in the order ``--help`` lists them.
Options several commands take (``--json``, ``--model``, ``--soundfont``, the sampling
knobs) are written once here, so their help reads the same everywhere. The training
scripts' long lists of plain numbers (``--steps 3000``, ``--lr 3e-4``) go through
``numbers(...)``: flag names and types follow from the keyword and its default.
"""

from __future__ import annotations

import argparse

JSON_HELP = "one JSON document on stdout"


def opt(*flags: str, **kwargs) -> tuple[tuple[str, ...], dict]:
    """One option or positional, as ``add_argument`` takes it."""
    return flags, kwargs


JSON = opt("--json", action="store_true", help=JSON_HELP)
SEED = opt("--seed", type=int, default=0)
MODEL_TO_BENCH = opt("--model", metavar="DIR", help="model to bench (default: bundled)")


def model(help: str = "model folder (default: the bundled one)") -> tuple:  # noqa: A002
    return opt("--model", metavar="DIR", help=help)


def soundfont(help: str | None = None) -> tuple:  # noqa: A002
    return opt("--soundfont", metavar="SF", help=help)


def sampling() -> list[tuple]:
    """The lyric sampler's knobs, with no default here: each writer fills in its own
    (English: core.lyrics.verse.LyricRequest; Chinese: core.lyrics.zh.writer.ZhRequest), so
    ``--language zh`` samples as the Chinese writer and its bench do unless told otherwise."""
    return [SEED,
            opt("--temperature", type=float, default=None,
                help="sampling temperature (default 0.9; zh 0.85)"),
            opt("--top-k", type=int, default=None, help="top-k sampling (default 50; zh 40)"),
            opt("--top-p", type=float, default=None, help="nucleus sampling (default 0.95; zh 0.92)"),
            opt("--repetition-penalty", type=float, default=None,
                help="repetition penalty (default 1.15; English)")]


def sampling_values(args, defaults) -> dict:
    """The sampling options the user gave, the rest from ``defaults`` (a request class)."""
    names = ("temperature", "top_k", "top_p", "repetition_penalty")
    return {n: getattr(defaults, n) if getattr(args, n, None) is None else getattr(args, n)
            for n in names if hasattr(defaults, n)}


def numbers(**defaults: int | float) -> list[tuple]:
    """``--name`` options typed by their default: ``numbers(steps=3000, lr=3e-4)``."""
    return [opt("--" + name.replace("_", "-"), type=type(value), default=value)
            for name, value in defaults.items()]


def add_options(parser: argparse.ArgumentParser, *options) -> argparse.ArgumentParser:
    """Add ``opt`` specs (or lists of them) to ``parser`` in order."""
    for spec in options:
        if isinstance(spec, list):
            add_options(parser, *spec)
        else:
            flags, kwargs = spec
            parser.add_argument(*flags, **kwargs)
    return parser


def command(subparsers, name: str, func, help: str, description: str,  # noqa: A002
            *options) -> argparse.ArgumentParser:
    """Register subcommand ``name`` running ``func(args)`` and return its parser."""
    p = subparsers.add_parser(name, help=help, description=description)
    p.set_defaults(func=func)
    return add_options(p, *options)
