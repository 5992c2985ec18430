"""Writing lyrics under constraints: the entry points the CLI, the app and the benches call.

The machinery lives beside this module:

- verse.py: the songwriter's workflow (a verse, locked lines, continue, rewrite a line in
  five ways, rhyme suggestions) and what it reports (syllable misses, notices);
- line_writer.py: one line (end word, candidates, ranking);
- word_constraint.py: which token may come next (real words in the chosen diction,
  syllables, end word, no content word twice);
- theme.py / lexicon.py: a theme's words, images and opposites;
- token_loop.py: the one token loop (decode.py: the model's forward pass).

``write_lyrics`` and ``regenerate_line`` keep the older list-of-strings interface.
"""

from __future__ import annotations

from collections.abc import Callable

from core.jobs import CancelToken, ProgressFn
from core.lyrics.verse import (  # noqa: F401 - re-exported for callers
    DICTIONS,
    MAX_LINES,
    MAX_SYLLABLES,
    LockedLinesError,
    LyricRequest,
    LyricRequestError,
    Verse,
    line_seed,
    rewrite_line,
    rhyme_words,
    write_verse,
)


def write_lyrics(lm, request: LyricRequest, progress: ProgressFn | None = None,
                 cancel: CancelToken | None = None,
                 on_line: Callable[[int, str], None] | None = None,
                 stats: dict | None = None, locked: dict[int, str] | None = None) -> list[str]:
    """All lines of a request, in order; ``on_line(index, text)`` streams each as it is
    done. ``stats`` (optional dict) receives the Verse's misses and notes."""
    verse = write_verse(lm, request, locked=locked, progress=progress, cancel=cancel,
                        on_line=on_line)
    if stats is not None:
        stats["misses"] = verse.misses
        stats["notes"] = verse.notes
    return verse.lines


def regenerate_line(lm, request: LyricRequest, lines: list[str], index: int, seed: int) -> str:
    """One new line ``index`` that fits the others (its rhyme partner may come after it);
    the line as it was when nothing else fits."""
    request = LyricRequest(**{**request.__dict__, "seed": seed})
    choices = rewrite_line(lm, request, lines, index, n=1)
    return choices[0] if choices else lines[index]


def warm_up(lm) -> None:
    """Build what every request needs (pronouncing dictionary, rhyme index, lexicon and its
    prefix table, the tokenizer's token table, line-break tokens) once, when the model
    loads, so the first line streams without that wait."""
    from core.lyrics.decode import newline_ids
    from core.lyrics.lexicon import load_lexicon
    from core.lyrics.rhyme import _vocabulary_index
    from core.lyrics.rhyme import warm_up as warm_up_rhyme
    from core.lyrics.word_constraint import token_table, vocabulary

    warm_up_rhyme()
    lexicon = load_lexicon()
    _vocabulary_index(lexicon.counts)
    vocab = vocabulary(lexicon, False)
    token_table(lm)
    newline_ids(lm)
    if not lm.tagged:  # a model without line tags picks line ends from these as it writes
        from core.lyrics.verse import rhymeable_words

        rhymeable_words(lexicon, vocab)
