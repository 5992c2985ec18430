"""``songloom-cli lyrics`` in English: write, keep lines, continue, rewrite one line, rhymes.

    songloom-cli lyrics --theme "winter road"                     a verse (8 x 8, ABAB)
    songloom-cli lyrics --first-line "The road is white tonight"  continue from my line(s)
    songloom-cli lyrics --from-file draft.txt --keep 1,3          keep lines 1 and 3, rewrite the rest
    songloom-cli lyrics --lock 2="I keep the lantern lit"         a line of mine, fixed
    songloom-cli lyrics --from-file draft.txt --regenerate 4      five new versions of line 4
    songloom-cli lyrics --rhymes-for night --theme "city lights"  rhymes, common and on-theme first

Lines go to stdout as they are written; what went wrong (a line off its syllable target, a
theme the model cannot write in, a scheme the locked lines make impossible) goes to stderr
in plain words, and into the JSON.
"""

from __future__ import annotations

import json
import sys
import time

from core.commands.options import sampling_values


def add_en_args(p) -> None:
    p.add_argument("--diction", choices=["modern", "poetic"], default="modern",
                   help="modern (default: no thee/thou/o'er) or poetic (allows them)")
    p.add_argument("--first-line", action="append", default=[], metavar="TEXT",
                   help="start the verse with this line (repeatable: the first lines, in order)")
    p.add_argument("--keep", metavar="N,N,...",
                   help="with --from-file: keep these lines (1-based), write the others anew")
    p.add_argument("--choices", type=int, default=5,
                   help="with --regenerate: how many versions of the line (default 5)")
    p.add_argument("--rhymes-for", metavar="WORD",
                   help="list rhymes for WORD (most common and closest to --theme first)")


def _numbers(text: str, count: int, what: str) -> list[int]:
    from core.errors import SongloomError

    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise SongloomError(f"{what} {text!r}: use line numbers from 1 to {count}, e.g. 1,3")
        out.append(int(part) - 1)
    return out


def _from_file(path: str) -> list[str]:
    from pathlib import Path

    from core.lyrics.corpus import read_text_file

    return read_text_file(Path(path)).lines


def locked_lines(args, count: int, draft: list[str] | None) -> dict[int, str]:
    """Line index -> text fixed by --first-line, --lock and --from-file/--keep."""
    from core.errors import SongloomError

    locked: dict[int, str] = {}
    for i, text in enumerate(args.first_line):
        if i >= count:
            raise SongloomError(f"--first-line: {len(args.first_line)} lines given, the verse has {count}")
        locked[i] = text
    if args.keep:
        if draft is None:
            raise SongloomError("--keep needs --from-file (the lines to keep from)")
        for i in _numbers(args.keep, min(count, len(draft)), "--keep"):
            locked[i] = draft[i]
    for item in args.lock:
        number, sep, text = item.partition("=")
        if not sep or not number.strip().isdigit() or not 1 <= int(number) <= count or not text.strip():
            raise SongloomError(f"--lock {item!r}: use N=TEXT with N from 1 to {count}")
        locked[int(number) - 1] = text.strip()
    return locked


def rhymes_command(args) -> int:
    from core.lyrics.verse import rhyme_words

    words = rhyme_words(args.rhymes_for, args.theme, n=30)
    if args.json:
        print(json.dumps({"word": args.rhymes_for, "theme": args.theme, "rhymes": words}, indent=1))
    elif words:
        print(", ".join(words))
    else:
        print(f"no common word rhymes with {args.rhymes_for!r}", file=sys.stderr)
    return 0


def run_en(args) -> int:
    from core.errors import SongloomError
    from core.lyrics.model_store import load_lyrics_model, verify_lyrics_model
    from core.lyrics.syllables import align_lyrics, count_syllables, melody_syllable_targets
    from core.lyrics.verse import LyricRequest, rewrite_line, write_verse

    if args.rhymes_for:
        return rhymes_command(args)
    song = None
    draft = _from_file(args.from_file) if args.from_file else None
    if args.melody:
        from core.io.song_io import load_song

        song = load_song(args.melody)
        syllables = melody_syllable_targets(song)
        if not syllables:
            raise SongloomError("no melody notes to write lyrics for", args.melody)
        lines = len(syllables) if args.lines is None else args.lines
    else:
        syllables = 8 if args.syllables is None else args.syllables
        lines = (len(draft) if draft else 8) if args.lines is None else args.lines
    if args.write_song and song is None:
        raise SongloomError("--write-song needs --melody (the song to put the lyrics in)")
    if args.regenerate is not None and draft is None:
        raise SongloomError("--regenerate needs --from-file (the lines around the one to rewrite)")
    if args.regenerate is not None and not 1 <= args.regenerate <= len(draft):
        raise SongloomError(f"--regenerate {args.regenerate}: the file has {len(draft)} lines")
    if not 1 <= args.choices <= 20:
        raise SongloomError(f"--choices {args.choices}: use 1 to 20")
    request = LyricRequest(
        theme=args.theme, lines=lines, syllables=syllables, rhyme=args.rhyme or "ABAB",
        seed=args.seed, **sampling_values(args, LyricRequest), candidates=args.candidates or 0,
        diction=args.diction,
    )
    request.validate()  # bad numbers are reported before the model loads
    locked = {} if args.regenerate is not None else locked_lines(args, lines, draft)
    started = time.perf_counter()
    # Every file of the model folder is checked before torch is imported (seconds), so a
    # bad folder is refused at once.
    verified = verify_lyrics_model(args.model)
    _set_threads()
    lm = load_lyrics_model(verified)
    loaded = time.perf_counter()
    if args.regenerate is not None:
        return _rewrite(args, lm, request, draft, rewrite_line)
    first: list[float] = []

    def on_line(index: int, text: str) -> None:
        if not first:
            first.append(time.perf_counter() - loaded)
        if not args.json:
            print(text, flush=True)

    # Locked lines stream too, in their place, so the verse prints in order.
    verse = write_verse(lm, request, locked=locked, on_line=on_line)
    if args.write_song:
        from core.io.song_io import carried_blocks, save_song

        save_song(align_lyrics(song, verse.lines), args.write_song, carried_blocks(args.melody))
    if args.json:
        print(json.dumps({
            "lines": verse.lines,
            "syllables": [count_syllables(x) for x in verse.lines],
            "targets": verse.targets,
            "missed_syllables": [i + 1 for i in verse.misses],
            "locked": [i + 1 for i in verse.locked],
            "theme_words": verse.theme_words,
            "notes": verse.notes + verse.miss_messages(),
            "rhyme": args.rhyme or "ABAB", "theme": args.theme, "seed": args.seed,
            "diction": args.diction, "model": str(lm.folder),
            "load_s": round(loaded - started, 3),
            "first_line_s": round(first[0], 3) if first else None,
            "total_s": round(time.perf_counter() - loaded, 3),
        }, ensure_ascii=False, indent=1))
    else:
        for note in verse.notes + verse.miss_messages():
            print(f"note: {note}", file=sys.stderr)
        if args.write_song:
            print(f"wrote {args.write_song}", file=sys.stderr)
    return 0


def _rewrite(args, lm, request, draft: list[str], rewrite_line) -> int:
    index = args.regenerate - 1
    choices = rewrite_line(lm, request, draft, index, n=args.choices)
    if args.json:
        print(json.dumps({"line": args.regenerate, "was": draft[index], "choices": choices},
                         ensure_ascii=False, indent=1))
        return 0
    for k, text in enumerate(choices, 1):
        print(f"{k}. {text}", flush=True)
    if len(choices) < args.choices:
        print(f"note: only {len(choices)} versions of line {args.regenerate} fit its syllables "
              "and rhyme; try another --seed", file=sys.stderr)
    return 0


def _set_threads() -> None:
    import torch

    torch.set_num_threads(max(1, min(4, torch.get_num_threads())))
