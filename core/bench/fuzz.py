"""A fuzzer over every kind of file Songloom reads, and its bench command.

A case is a file kind and a short list of mutations, applied to a small valid file (or
model folder) from core/bench/hostile_files.py: bytes flipped, inserted, deleted,
repeated; a JSON value replaced by a hostile one (a 5,000-digit number, NaN, a lone
surrogate, escape codes, deep nesting), deleted, repeated thousands of times; a file
swapped for a FIFO, a symlink to /dev/zero, a folder, a dangling or looping symlink.

Cases run in a worker process under an address-space limit (``run_cases``), one after
another, each against a clock: an outcome is ``success``, ``clean_error`` (one
SongloomError: what a user should see), ``traceback`` (any other exception: a bug),
``memory`` (MemoryError under the limit), ``slow`` (finished, but one action took more than
the 2 s bound: a song case opens, saves twice and opens twice, each timed), or,
seen from outside, ``hang`` (killed after the time limit) and ``crash`` (the worker died).
A song that loads is also saved as .songloom and .mid and read back: a file Songloom
writes but refuses to read is ``unreadable_write``.

``songloom-cli bench fuzz --cases N`` draws the mutations from seeds; tests/hostile/
test_fuzz.py draws them with hypothesis, which shrinks a failing case to a minimal one.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

KINDS = ("project", "midi", "kar", "lyrics_model", "music_model", "soundfont", "audio",
         "text", "train_state", "zh_model", "sampler")
OP_NAMES = ("flip", "insert", "delete", "truncate", "repeat", "int32", "json_set", "json_del",
            "json_repeat", "json_wrap", "special")
CASE_LIMIT_S = 2.0  # the bound every hostile input gets
HANG_LIMIT_S = 10.0  # a case still running then is killed and counted as a hang
WORKER_MEMORY_MB = 2560  # torch and transformers take ~0.9 GB of address space
OUTCOMES = ("success", "clean_error", "traceback", "memory", "slow", "unreadable_write",
            "hang", "crash", "fuzzer_error")
BAD = ("traceback", "memory", "slow", "unreadable_write", "hang", "crash")

# The file each op acts on, per kind: the case's main file first, then the others.
FOLDER_FILES = {
    "lyrics_model": ("config.json", "model.safetensors", "songloom.json", "corpus_index.npz",
                     "tokenizer.json", "tokenizer_config.json"),
    "music_model": ("config.json", "generator.safetensors", "critic.safetensors",
                    "originality_index.npz", "pitch_priors.json"),
    "train_state": ("train_state.json",),
    # the tables first: the GPT-2 files are checked by the same code as lyrics_model's
    "zh_model": ("patterns.json", "char_tables.npz", "cooc.npz", "corpus_index.npz",
                 "songloom.json", "tokenizer.json", "config.json", "model.safetensors"),
    "sampler": ("sampler.json",),
}
_JSON_FILES = (".json", ".songloom")


# -- building a case -------------------------------------------------------------------------

def _song_file(kind: str, variant: int) -> bytes:
    from core.bench import hostile_files as hf

    if kind == "project":
        if variant % 2:
            from core.demo import starter_song
            from core.io.project_file import project_bytes

            return project_bytes(starter_song())
        return hf.project_text()
    from core.demo import starter_song
    from core.io.midi_io import midi_bytes

    if kind == "kar":
        return midi_bytes(starter_song(), kar=True)[0]
    return hf.small_midi() if variant % 2 else midi_bytes(starter_song())[0]


def build_base(kind: str, folder: Path, variant: int = 0) -> Path:
    """The valid file (or folder) of ``kind`` in ``folder``; returns what the runner opens."""
    from core.bench import hostile_files as hf

    if kind in ("project", "midi", "kar"):
        path = folder / {"project": "song.songloom", "midi": "song.mid", "kar": "song.kar"}[kind]
        path.write_bytes(_song_file(kind, variant))
        return path
    if kind == "lyrics_model":
        model = hf.write_tiny_gpt2(folder / "model")
        hf.write_corpus_index(model)
        return model
    if kind == "music_model":
        model = hf.write_tiny_music_model(folder / "model")
        hf.write_originality_index(model)
        _write_priors(model)
        return model
    if kind == "zh_model":
        return hf.write_tiny_zh_model(folder / "model")
    if kind == "sampler":
        model = hf.write_tiny_music_model(folder / "model")
        (model / "sampler.json").write_text(json.dumps(SAMPLER, indent=1))
        return model
    if kind == "soundfont":
        path = folder / "font.sf2"
        path.write_bytes(hf.soundfont_bytes())
        return path
    if kind == "audio":
        path = folder / "clip.wav"
        path.write_bytes(hf.wav_bytes())
        return path
    if kind == "text":
        path = folder / "words.txt"
        path.write_text("the stars are bright above the hill\nand all the night is calm\n")
        return path
    if kind == "train_state":
        state = {"step": 40, "train_loss": 1.25, "val_loss": 1.5, "history": [[40, 1.2, 1.5]],
                 "config": {"steps": 80, "lr": 0.001, "warmup": 10, "schedule_start": 0}}
        (folder / "train_state.json").write_text(json.dumps(state))
        return folder
    raise ValueError(f"unknown kind {kind!r}")


# A sampler.json with every setting (the shipped model's layout, core/music/settings.py).
SAMPLER = {
    "format_version": 1,
    "decode": {"pitch_temperature": [1.6, 1.6, 1.6],
               "sound_logit_offset": {"lieder": [0.0, None, None], "chorale": [5.0, 5.0, 4.0]},
               "accompaniment_bar_share": 0.8, "melody_round_span": 16,
               "register_weight": [1.0, 2.0, 2.0], "proximity_weight": 2.0,
               "harmonic_fit": 2.0},
    "compose": {style: {
        "chord_weight": {"melody_strong": 3.0, "melody_weak": 1.0, "harmony": 2.5, "bass": 2.0,
                         "bass_root": 3.0},
        "repeat_variation": {"exact": 0.0, "rhythm": 0.7, "ending": 0.3},
        "chorus_inner_repeat": True, "fill_tracks": [True, True, True],
        "instrumental_sections": ["intro", "outro"], "cadence_hold_steps": [8, 12],
        "breath_steps": 4, "authentic_tonic_share": 0.7, "default_form": "verse chorus",
        "accompaniment_figure_share": 0.5, "bass_max_leap": 9,
        "fill_min_steps": [6, 8, 4]} for style in ("lieder", "chorale")},
}


def _write_priors(model: Path) -> None:
    from core.model.pianoroll import N_PITCHES, N_TRACKS

    flat = [round(-4.4, 4)] * N_PITCHES
    styles = ("lieder", "chorale")
    priors = {"format_version": 1, "lowest_pitch": 24, "styles": list(styles),
              "register": {s: [flat] * N_TRACKS for s in styles},
              "interval": {s: [-5.1] * (2 * N_PITCHES - 1) for s in styles}}
    (model / "pitch_priors.json").write_text(json.dumps(priors))


# -- mutations -------------------------------------------------------------------------------

_RAW = {"__BIG__": "9" * 5000, "__NEGBIG__": "-" + "9" * 5000, "__NAN__": "NaN",
        "__INF__": "Infinity", "__DEEP__": "[" * 3000 + "]" * 3000, "__HUGEF__": "1e999"}
INTERESTING = (
    None, True, False, 0, -1, 1, 127, 128, 255, 65535, 2**31, 2**63, 10**30, -(10**30), 0.5,
    -0.0, 1e308, "__BIG__", "__NEGBIG__", "__NAN__", "__INF__", "__DEEP__", "__HUGEF__", "",
    "x", "A\ud800B", "\x1b[31mred\x1b]0;title\x07", "a\nb\r\nc", "/" * 5000, "x" * 70_000,
    [], {}, [0], [[0, 1, 60, 90]], {"a": 1}, list(range(300)), [{}] * 300, "gpt2", "lieder",
    "melody", "F32",
)
_INT32 = (0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000,
          0xFFFFFFFF, 6, 14, 24, 480)


def _nodes(doc) -> list[tuple[object, object]]:
    """(parent, key) of every value in document order (the root has parent None)."""
    out, stack = [(None, None)], [(doc, 0)]
    while stack and len(out) < 100_000:
        node, depth = stack.pop()
        if depth > 50:
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node) \
            if isinstance(node, list) else ()
        for key, value in items:
            out.append((node, key))
            if isinstance(value, dict | list):
                stack.append((value, depth + 1))
    return out


def _json_op(doc, op: list[int]):
    name, _, a, b = op
    nodes = _nodes(doc)
    parent, key = nodes[a % len(nodes)]
    if parent is None:
        value = INTERESTING[b % len(INTERESTING)]
        return value if name == "json_set" else [doc] * (1 + b % 3) if name == "json_wrap" else doc
    if name == "json_set":
        parent[key] = INTERESTING[b % len(INTERESTING)]
    elif name == "json_del":
        del parent[key]
    elif name == "json_repeat" and isinstance(parent, list):
        parent[key:key + 1] = [parent[key]] * (1 + b % 100_000)
    elif name == "json_wrap":
        value = parent[key]
        for _ in range(1 + b % 200):  # deeper nesting comes raw: __DEEP__
            value = [value]
        parent[key] = value
    return doc


def _dump(doc) -> bytes:
    text = json.dumps(doc, ensure_ascii=True)
    for marker, raw in _RAW.items():
        text = text.replace(f'"{marker}"', raw)
    return text.encode("utf-8")


def _byte_op(data: bytearray, op: list[int]) -> bytearray:
    name, _, a, b = op
    if (a >> 31) & 1:
        a %= 256  # half the byte ops land in the first bytes: headers, lengths, magic
    n = len(data)
    pos = a % (n + 1)
    if name == "flip" and n:
        data[a % n] = b % 256
    elif name == "insert":
        data[pos:pos] = bytes([b % 256]) * (1 + (b >> 8) % 16)
    elif name == "delete":
        del data[pos:pos + 1 + b % 64]
    elif name == "truncate":
        del data[pos:]
    elif name == "repeat" and n:
        piece = bytes(data[pos:pos + 1 + b % 64])
        data[pos:pos] = piece * min(1 + (b >> 6) % 5000, (2 << 20) // max(1, len(piece)))
    elif name == "int32" and n:
        value = _INT32[b % len(_INT32)]
        order = "big" if (b >> 8) % 2 else "little"
        data[a % n:a % n + 4] = value.to_bytes(4, order)
    return data


def _special(path: Path, b: int) -> None:
    """Swap the file for something that is not a regular file (or remove it)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()  # a file, a FIFO, a symlink (dangling or not)
    what = b % 7
    if what == 0 and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    elif what == 1 and os.path.exists("/dev/zero"):
        path.symlink_to("/dev/zero")
    elif what == 2:
        path.mkdir()
    elif what == 3:
        path.symlink_to(path.with_name("gone-" + path.name))
    elif what == 4:
        other = path.with_name("loop-" + path.name)
        if os.path.lexists(other):
            other.unlink()
        path.symlink_to(other)
        other.symlink_to(path)
    elif what == 5:
        path.write_bytes(b"")


def _target(kind: str, main: Path, file_index: int) -> Path:
    names = FOLDER_FILES.get(kind)
    return main / names[file_index % len(names)] if names else main


def apply_ops(kind: str, main: Path, ops: list[list[int]]) -> None:
    """Apply ``ops`` ([name index, file index, a, b] each) to the case built in ``main``."""
    for raw in ops:
        op = [OP_NAMES[raw[0] % len(OP_NAMES)], raw[1], raw[2], raw[3]]
        path = _target(kind, main, op[1])
        if op[0] == "special":
            _special(path, op[3])
            continue
        if path.is_symlink() or not path.is_file():
            continue  # an earlier op swapped it out
        data = path.read_bytes()
        if op[0].startswith("json_"):
            if not path.name.endswith(_JSON_FILES):
                continue
            try:
                doc = json.loads(data)
            except (ValueError, RecursionError):
                continue  # no longer JSON (a byte op broke it), or nested too deeply to edit
            path.write_bytes(_dump(_json_op(doc, op)))
        else:
            path.write_bytes(bytes(_byte_op(bytearray(data), op)))


def random_ops(kind: str, seed: int) -> list[list[int]]:
    rng = random.Random(f"{kind}:{seed}")
    json_kind = kind in ("project", "lyrics_model", "music_model", "train_state", "zh_model",
                         "sampler")
    ops = []
    for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
        if json_kind and rng.random() < 0.6:
            name = rng.choice(("json_set", "json_set", "json_set", "json_del", "json_repeat",
                               "json_wrap"))
        elif rng.random() < 0.08:
            name = "special"
        else:
            name = rng.choice(("flip", "flip", "flip", "insert", "delete", "truncate", "repeat",
                               "int32", "int32"))
        ops.append([OP_NAMES.index(name), rng.randrange(8), rng.randrange(2**32),
                    rng.randrange(2**32)])
    return ops
