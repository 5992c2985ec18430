"""Licence texts as readable paragraphs for the About box.

Licence files are hard-wrapped at 70-80 columns. Shown in a narrower pane with soft
wrapping on top, every line broke twice ("... to any person obtaining a copy" / "of this
software ..."), a ragged column a reader could not follow. So the lines of a paragraph
are joined again and the pane wraps them to its own width.

What counts as one paragraph: a line that reaches (most of) the file's usual width was
wrapped by its author and continues on the next line; a shorter line ended where its
author meant it to (a title, an address, a list of copyright holders). Indentation is
kept, including the hanging indent of numbered clauses; lines laid out in columns or
drawn with rules stay exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

LIST_ITEM = re.compile(r"^(\d+[.)]|\(\w{1,4}\)|[a-zA-Z][.)]|[-*•o])\s")
FIELD = re.compile(r"^[A-Za-z][\w-]*:(\s|$)")  # Debian copyright files: "License: MIT"
COLUMNS = re.compile(r"\S {3,}\S")  # text laid out in columns


@dataclass
class Paragraph:
    text: str
    indent: int  # of its first line, in characters
    hang: int  # of its other lines (a numbered clause's text sits right of its number)
    gap: bool  # a blank line before it
    pre: bool = False  # keep exactly as written (columns, rules)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _preformatted(line: str) -> bool:
    body = line.strip()
    return bool(COLUMNS.search(body)) or body.startswith("==>") or (
        len(body) >= 3 and not any(ch.isalnum() for ch in body))


def _usual_width(lines: list[str]) -> int:
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def licence_paragraphs(text: str) -> list[Paragraph]:
    lines = text.expandtabs(8).splitlines()
    # A line this long was wrapped by its author; a shorter one ends where it was meant to.
    wrapped_at = max(50, int(0.75 * _usual_width(lines)))
    out: list[Paragraph] = []
    current: Paragraph | None = None
    continued = False  # the current paragraph has a second line (its hang is then fixed)
    last = ""
    gap = False
    for raw in lines:
        line = raw.rstrip()
        if not line.strip() or line.strip() == ".":  # "." is a blank line in Debian files
            current, gap = None, bool(out)
            continue
        indent, body = _indent(line), line.strip()
        joins = (
            current is not None and not current.pre and not _preformatted(line)
            and len(last) >= wrapped_at and not LIST_ITEM.match(body)
            and not (indent == 0 and FIELD.match(body))
            and (indent == current.hang if continued
                 else current.indent <= indent <= current.indent + 8)
        )
        if joins:
            current.hang = indent
            current.text += " " + body
            continued = True
        else:
            pre = _preformatted(line)
            current = Paragraph(line if pre else body, indent, indent, gap, pre)
            out.append(current)
            continued, gap = False, False
        last = line
    return out


def licence_html(text: str, char_px: float) -> str:
    """The paragraphs as rich text for a QTextBrowser; ``char_px``: one character's width,
    so indentation keeps its look."""
    parts = []
    for p in licence_paragraphs(text):
        top = "0.7em" if p.gap else "0"
        if p.pre:
            parts.append(f"<p style='margin: {top} 0 0 0; white-space: pre-wrap; "
                         f"font-family: monospace;'>{escape(p.text)}</p>")
            continue
        left = round(p.hang * char_px)
        first = round((p.indent - p.hang) * char_px)
        parts.append(f"<p style='margin: {top} 0 0 {left}px; text-indent: {first}px;'>"
                     f"{escape(p.text)}</p>")
    return "\n".join(parts)
