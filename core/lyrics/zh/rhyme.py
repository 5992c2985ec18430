"""Rhyme and tone of Chinese characters under the 中华新韵 (14 groups), through pypinyin.

A rhyme is judged by the final of a line's last character. Modern readings are used
throughout (the 中华新韵 scheme is defined on them), so a Song-dynasty rhyme on an old
entering-tone character can read as a miss here; the tune patterns were measured with the
same readings, so the writer and its checks agree with each other.
"""

from __future__ import annotations

import re
from functools import lru_cache

# 中华新韵 (中华诗词学会, 2005): 14 rhyme groups over the pinyin finals. Finals are written
# the way pypinyin's strict FINALS style writes them ("v" for ü, "uei"/"iou"/"uen" in full).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("麻", ("a", "ia", "ua")),
    ("波", ("o", "e", "uo")),
    ("皆", ("ie", "ve", "ue")),
    ("开", ("ai", "uai")),
    ("微", ("ei", "uei", "ui")),
    ("豪", ("ao", "iao")),
    ("尤", ("ou", "iou", "iu")),
    ("寒", ("an", "ian", "uan", "van")),
    ("文", ("en", "in", "uen", "un", "vn")),
    ("唐", ("ang", "iang", "uang")),
    ("庚", ("eng", "ing", "ong", "iong", "ueng")),
    ("齐", ("i", "er", "v")),
    ("支", ()),  # the apical -i after zh ch sh r z c s (知 吃 诗 日 资 此 思)
    ("姑", ("u",)),
)
GROUP_NAMES: tuple[str, ...] = tuple(name for name, _ in GROUPS)
_FINAL_TO_GROUP = {f: i for i, (_, finals) in enumerate(GROUPS) for f in finals}
_APICAL_INITIALS = frozenset({"zh", "ch", "sh", "r", "z", "c", "s"})
_ZHI = GROUP_NAMES.index("支")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_han(ch: str) -> bool:
    """True for one CJK ideograph (the characters a Chinese line is counted in)."""
    return len(ch) == 1 and _HAN.match(ch) is not None


@lru_cache(maxsize=65536)
def reading(ch: str) -> tuple[str, str, int] | None:
    """(initial, final, tone 1-4) of a character's most common reading, or None.

    pypinyin gives lone characters like 子 the neutral tone; the first toned reading among
    its heteronyms is the one a sung line uses, so that one is taken.
    """
    if not is_han(ch):
        return None
    from pypinyin import Style, pinyin

    # The three styles list a character's heteronyms in the same order.
    toned = pinyin(ch, style=Style.TONE3, heteronym=True, strict=True)[0]
    initials = pinyin(ch, style=Style.INITIALS, heteronym=True, strict=True)[0]
    finals = pinyin(ch, style=Style.FINALS, heteronym=True, strict=True)[0]
    if not toned or not toned[0][:1].isalpha():
        return None
    pick = next((i for i, r in enumerate(toned) if r[-1:] in "1234"), 0)
    tone = int(toned[pick][-1]) if toned[pick][-1:] in "1234" else 0
    # a neutral reading may share its spelling with a toned one and be listed once
    at = pick if pick < min(len(initials), len(finals)) else 0
    return initials[at], finals[at], tone


@lru_cache(maxsize=65536)
def rhyme_group(ch: str) -> int | None:
    """Index into GROUPS of the character's final, or None for a non-Chinese character."""
    r = reading(ch)
    if r is None:
        return None
    initial, final, _ = r
    if final == "i" and initial in _APICAL_INITIALS:
        return _ZHI
    group = _FINAL_TO_GROUP.get(final)
    if group is None and final:
        # spellings pypinyin may give that the table above does not list (ê, m, ng ...)
        group = _FINAL_TO_GROUP.get(final.lstrip("iuv"), None)
    return group


def group_name(group: int | None) -> str:
    return "" if group is None else GROUP_NAMES[group]


def is_level(ch: str) -> bool | None:
    """平 (tones 1 and 2) -> True, 仄 (3 and 4) -> False, unknown -> None. Modern tones."""
    r = reading(ch)
    if r is None or r[2] == 0:
        return None
    return r[2] in (1, 2)


def rhymes(a: str, b: str) -> bool:
    ga, gb = rhyme_group(a), rhyme_group(b)
    return ga is not None and ga == gb
