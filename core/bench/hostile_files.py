"""Small, valid files of every kind Songloom reads, built from scratch.

The hostile-input tests (tests/hostile) and the fuzzer (core/bench/fuzz.py) start from
these and break them: a MIDI file byte by byte, a project as JSON, a GPT-2 and a music
model folder with a few hundred weights each, a SoundFont with one 64-sample sine, a
WAV clip. Nothing here reads the bundled models, so the tests run anywhere.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np

from core.io.smf import varlen  # a hostile file's deltas are encoded as the writer does

# -- MIDI -----------------------------------------------------------------------------------


def meta(mtype: int, data: bytes, delta: int = 0) -> bytes:
    return varlen(delta) + bytes((0xFF, mtype)) + varlen(len(data)) + data


def note(pitch: int = 60, length: int = 480, delta: int = 0, channel: int = 0) -> bytes:
    return (varlen(delta) + bytes((0x90 | channel, pitch, 100))
            + varlen(length) + bytes((0x80 | channel, pitch, 0)))


def track_chunk(body: bytes, end: bool = True) -> bytes:
    if end:
        body += b"\x00\xff\x2f\x00"
    return b"MTrk" + len(body).to_bytes(4, "big") + body


def midi_file(chunks: list[bytes], fmt: int = 1, division: int = 480,
              ntracks: int | None = None) -> bytes:
    n = len(chunks) if ntracks is None else ntracks
    head = b"MThd" + (6).to_bytes(4, "big") + fmt.to_bytes(2, "big") + n.to_bytes(2, "big")
    return head + division.to_bytes(2, "big") + b"".join(chunks)


def small_midi(lyrics: bool = True) -> bytes:
    """Two tracks: a conductor with tempo and title, a melody of four notes with lyrics."""
    conductor = track_chunk(meta(0x03, b"Tiny song") + meta(0x51, (500_000).to_bytes(3, "big"))
                            + meta(0x58, bytes((4, 2, 24, 8))))
    body = meta(0x03, b"Melody") + bytes((0x00, 0xC0, 73))
    for i, (pitch, word) in enumerate(zip((60, 62, 64, 65), (b"Hel-", b"lo", b"/my", b"song"),
                                          strict=True)):
        if lyrics:
            body += meta(0x05, word, delta=0 if i == 0 else 0)
        body += note(pitch)
    return midi_file([conductor, track_chunk(body)])


# -- .songloom projects ---------------------------------------------------------------------


def project_doc(**song) -> dict:
    """A valid project document; keyword arguments replace fields of its ``song``."""
    base = {
        "title": "Tiny song",
        "tempos": [{"tick": 0, "bpm": 96.0}],
        "time_signature": {"numerator": 4, "denominator": 4},
        "key": 0, "mode": "major",
        "tracks": [{"name": "Melody", "role": "melody", "program": 73, "channel": 0,
                    "notes": [[0, 480, 60, 90], [480, 480, 62, 90], [960, 960, 64, 90]]}],
        "lyrics": {"sections": [{"name": "verse", "lines": [{"text": "hel-lo song", "syllables": [
            {"text": "hel", "tick": 0, "word_end": False}, {"text": "lo", "tick": 480},
            {"text": "song", "tick": 960}]}]}]},
    }
    base.update(song)
    return {"format": "songloom", "version": 1, "song": base}


def project_text(doc: dict | None = None) -> bytes:
    return json.dumps(doc or project_doc(), ensure_ascii=False).encode("utf-8")


# -- safetensors (written by hand: the tests must not depend on the reader they test) -------


def safetensors_bytes(tensors: dict[str, np.ndarray], metadata: dict | None = None) -> bytes:
    header: dict = {"__metadata__": metadata or {"format": "pt"}}
    offset, blobs = 0, []
    codes = {np.dtype("float32"): "F32", np.dtype("float16"): "F16", np.dtype("int64"): "I64"}
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": codes[arr.dtype], "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return len(raw).to_bytes(8, "little") + raw + b"".join(blobs)


# -- a tiny GPT-2 lyrics model ---------------------------------------------------------------


def _byte_alphabet() -> list[str]:
    """GPT-2's printable stand-in for each byte (bytes_to_unicode)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars, extra = [], 0
    for b in range(256):
        if b in keep:
            chars.append(chr(b))
        else:
            chars.append(chr(256 + extra))
            extra += 1
    return chars


def byte_tokenizer() -> dict:
    """A byte-level BPE tokenizer.json with no merges: 256 byte tokens + <|endoftext|>."""
    vocab = {"<|endoftext|>": 0}
    for i, ch in enumerate(_byte_alphabet()):
        vocab[ch] = i + 1
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 0, "content": "<|endoftext|>", "single_word": False,
                          "lstrip": False, "rstrip": False, "normalized": False,
                          "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": []},
    }


GPT2_TINY = {"n_embd": 8, "n_layer": 1, "n_head": 2, "n_positions": 32, "vocab_size": 257}


def gpt2_config(**overrides) -> dict:
    cfg = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"],
           "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
           "bos_token_id": 0, "eos_token_id": 0, "tie_word_embeddings": True, **GPT2_TINY}
    cfg.update(overrides)
    return cfg


def gpt2_tensors(config: dict, seed: int = 0) -> dict[str, np.ndarray]:
    from core.lyrics.gpt2_weights import gpt2_shapes

    rng = np.random.default_rng(seed)
    return {k: (0.02 * rng.standard_normal(s)).astype(np.float32)
            for k, s in gpt2_shapes(config).items()}


def write_tiny_gpt2(folder: Path, seed: int = 0, **config_overrides) -> Path:
    """A loadable GPT-2 folder of a few thousand weights and a byte tokenizer."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config = gpt2_config(**config_overrides)
    (folder / "config.json").write_text(json.dumps(config, indent=1))
    (folder / "model.safetensors").write_bytes(safetensors_bytes(gpt2_tensors(config, seed)))
    (folder / "tokenizer.json").write_text(json.dumps(byte_tokenizer()))
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
        "unk_token": "<|endoftext|>", "model_max_length": 32,
        "tokenizer_class": "GPT2Tokenizer"}))
    (folder / "songloom.json").write_text(json.dumps({"format": "songloom-tagged-lines-v1"}))
    return folder


def write_corpus_index(folder: Path) -> Path:
    path = Path(folder) / "corpus_index.npz"
    with open(path, "wb") as fh:
        np.savez_compressed(fh, ngram_hashes=np.array([1, 5, 9], np.uint32),
                            vocab_words=np.array(["hill", "still"], "<U24"),
                            vocab_counts=np.array([3, 2], np.int32),
                            ngram=np.array([4], np.int32))
    return path


# -- a tiny Chinese lyrics model (lyrics-gpt2-zh's layout) -------------------------------------

ZH_CHARS = "春风秋月明夜雨云水落红青白人心梦归来去酒楼孤影思回望远飞天年山寒烟间前花家霞沙光长香江霜凉"
ZH_TAGS = (["[PAD]", "[UNK]", "[BOS]", "[EOS]", "[SEP]", "[词]", "[诗]", "[曲]", "[经]"]
           + [f"[L{n}]" for n in range(1, 21)])
ZH_PATTERN = "试调令"  # 5 5 7 5, lines 1, 2 and 4 rhyme


def zh_vocab() -> list[str]:
    from core.lyrics.zh.rhyme import GROUP_NAMES

    return ZH_TAGS + [f"[R{g}]" for g in GROUP_NAMES] + ["[R-]"] + list(ZH_CHARS)


def zh_tokenizer(vocab: list[str]) -> dict:
    """One token per character (WordLevel over a '.' split), the tags as added tokens."""
    tags = [t for t in vocab if len(t) > 1]
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": vocab.index(t), "content": t, "single_word": False,
                          "lstrip": False, "rstrip": False, "normalized": False,
                          "special": True} for t in tags],
        "normalizer": None,
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "."}, "behavior": "Isolated",
                          "invert": False},
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {"type": "WordLevel", "unk_token": "[UNK]",
                  "vocab": {t: i for i, t in enumerate(vocab)}},
    }


def write_tiny_zh_model(folder: Path, seed: int = 0) -> Path:
    """A loadable Chinese lyrics folder: GPT-2 of a few thousand weights, a character
    tokenizer, one tune pattern, and the originality index, neighbour and character tables."""
    from core.lyrics.zh.originality import ZhOriginalityIndex
    from core.lyrics.zh.rhyme import is_han, is_level, rhyme_group

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = zh_vocab()
    config = gpt2_config(vocab_size=len(vocab), n_positions=96, bos_token_id=2,
                         eos_token_id=3, pad_token_id=0)
    (folder / "config.json").write_text(json.dumps(config, indent=1))
    (folder / "model.safetensors").write_bytes(safetensors_bytes(gpt2_tensors(config, seed)))
    (folder / "tokenizer.json").write_text(json.dumps(zh_tokenizer(vocab), ensure_ascii=False),
                                           encoding="utf-8")
    (folder / "songloom.json").write_text(json.dumps({"format": "songloom-zh-char-v1",
                                                      "language": "zh"}))
    patterns = {"format": "songloom-zh-patterns-v1", "rhyme_group_weights": {"寒": 0.5},
                "patterns": {ZH_PATTERN: {"lines": [5, 5, 7, 5], "rhyme": "AA-A",
                                          "tones": ["*****", "*****", "*******", "*****"],
                                          "poems": 3, "support": 3}}}
    (folder / "patterns.json").write_text(json.dumps(patterns, ensure_ascii=False),
                                          encoding="utf-8")
    lines = ["春风明月夜", "青山落日寒", "孤影思归来去年", "远飞云水间"]
    ZhOriginalityIndex.build(lines, m=1 << 12, k=3, lines=lines).save(folder / "corpus_index.npz")
    with open(folder / "cooc.npz", "wb") as fh:
        np.savez_compressed(fh, neighbours=np.full((len(vocab), 2), -1, np.int16))
    groups = [(-1 if not is_han(t) or rhyme_group(t) is None else rhyme_group(t)) for t in vocab]
    levels = [(-1 if not is_han(t) or is_level(t) is None else int(is_level(t))) for t in vocab]
    with open(folder / "char_tables.npz", "wb") as fh:
        np.savez_compressed(fh, groups=np.array(groups, np.int8), levels=np.array(levels, np.int8))
    return folder


# -- a tiny music model ----------------------------------------------------------------------

MUSIC_TINY = {"z_dim": 2, "ctx_dim": 2, "g_channels": 8, "d_channels": 2, "d_hidden": 2,
              "format_version": 1}


def write_tiny_music_model(folder: Path, seed: int = 0, critic: bool = True,
                           **config_overrides) -> Path:
    from core.music.weights import critic_shapes, generator_shapes

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config = {**MUSIC_TINY, **config_overrides}
    (folder / "config.json").write_text(json.dumps(config, indent=1))
    rng = np.random.default_rng(seed)

    def weights(shapes):
        return {k: (0.5 * rng.standard_normal(s)).astype(np.float32) for k, s in shapes.items()}

    (folder / "generator.safetensors").write_bytes(safetensors_bytes(weights(generator_shapes(config))))
    if critic:
        (folder / "critic.safetensors").write_bytes(safetensors_bytes(weights(critic_shapes(config))))
    return folder


def write_originality_index(folder: Path) -> Path:
    path = Path(folder) / "originality_index.npz"
    with open(path, "wb") as fh:
        np.savez_compressed(fh, intervals=np.array([2, 2, -4, 127, 1, 1], np.int8),
                            songs=np.array([2]))
    return path


# -- a SoundFont with one sine sample --------------------------------------------------------


def _chunk(cid: bytes, data: bytes) -> bytes:
    return cid + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def _name(text: str) -> bytes:
    return text.encode("ascii")[:19].ljust(20, b"\x00")


def soundfont_bytes() -> bytes:
    """A minimal SoundFont 2.01: one preset (bank 0, program 0) playing one sine."""
    n = 64
    sine = [int(12000 * math.sin(2 * math.pi * i / 32)) for i in range(n)]
    smpl = struct.pack(f"<{n + 46}h", *sine, *([0] * 46))  # 46 zero samples after each
    info = b"INFO" + _chunk(b"ifil", struct.pack("<HH", 2, 1)) + _chunk(b"isng", b"EMU8000\x00") \
        + _chunk(b"INAM", b"Tiny sine\x00")
    sdta = b"sdta" + _chunk(b"smpl", smpl)
    phdr = (_name("Sine") + struct.pack("<HHHIII", 0, 0, 0, 0, 0, 0)
            + _name("EOP") + struct.pack("<HHHIII", 0, 0, 1, 0, 0, 0))
    pbag = struct.pack("<HHHH", 0, 0, 1, 0)
    pmod = b"\x00" * 10
    pgen = struct.pack("<HH", 41, 0) + struct.pack("<HH", 0, 0)  # instrument 0
    inst = _name("Sine") + struct.pack("<H", 0) + _name("EOI") + struct.pack("<H", 1)
    ibag = struct.pack("<HHHH", 0, 0, 2, 0)
    imod = b"\x00" * 10
    igen = (struct.pack("<HH", 54, 1) + struct.pack("<HH", 53, 0)  # looped, sample 0
            + struct.pack("<HH", 0, 0))
    shdr = (_name("sine") + struct.pack("<IIIIIBbHH", 0, n, 0, n, 44100, 69, 0, 0, 1)
            + _name("EOS") + struct.pack("<IIIIIBbHH", 0, 0, 0, 0, 0, 0, 0, 0, 0))
    pdta = b"pdta" + b"".join(_chunk(c, d) for c, d in (
        (b"phdr", phdr), (b"pbag", pbag), (b"pmod", pmod), (b"pgen", pgen), (b"inst", inst),
        (b"ibag", ibag), (b"imod", imod), (b"igen", igen), (b"shdr", shdr)))
    body = b"sfbk" + _chunk(b"LIST", info) + _chunk(b"LIST", sdta) + _chunk(b"LIST", pdta)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# -- audio -----------------------------------------------------------------------------------


def wav_bytes(seconds: float = 0.25, rate: int = 22050) -> bytes:
    """A 16-bit mono WAV of a sine, written by hand."""
    n = int(seconds * rate)
    data = struct.pack(f"<{n}h", *(int(8000 * math.sin(2 * math.pi * 440 * i / rate))
                                   for i in range(n)))
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    body = b"WAVE" + _chunk(b"fmt ", fmt) + _chunk(b"data", data)
    return b"RIFF" + struct.pack("<I", len(body)) + body
