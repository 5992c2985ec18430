"""The music styles Songloom writes in: the one list the sampler, the pitch priors, the
training data, the CLI and the Generate panel all read.

The order is the music network's conditioning: a style's index is its one-hot input, so a
shipped model fixes it. A new style goes at the end and needs a retrained model.
"""

from __future__ import annotations

from core.errors import SongloomError

STYLES = ("lieder", "chorale")
DEFAULT_STYLE = STYLES[0]
# General MIDI programs of the generated melody, harmony and bass, by style (flute, piano,
# acoustic bass for songs; choir aahs and organ for chorales).
STYLE_PROGRAMS = {"lieder": (73, 0, 32), "chorale": (52, 19, 19)}


def style_index(style: str) -> int:
    """The network's conditioning index of ``style``; one clear error for an unknown one."""
    try:
        return STYLES.index(style)
    except ValueError:
        raise SongloomError(f"unknown style {style!r} (use {' or '.join(STYLES)})") from None
