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


def sampling(temperature: float = 0.9, top_k: int = 50, top_p: float = 0.95,
             repetition_penalty: float = 1.15) -> list[tuple]:
    """The lyric sampler's knobs, defaults as core.lyrics.decode.SamplingSettings."""
    return [SEED, *numbers(temperature=temperature, top_k=top_k, top_p=top_p,
                           repetition_penalty=repetition_penalty)]


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
