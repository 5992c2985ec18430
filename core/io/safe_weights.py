"""Model weights from files Songloom did not write: safetensors and .npz, verified.

"Safetensors only" must mean more than a file name. This module is the one way model
weights get in (the lyrics GPT-2s, the music GAN): it reads the safetensors format itself
(an 8-byte header length, a JSON header, one flat data buffer), so no code path can reach
a pickle, and it checks everything before a byte of weights is used:

- the file is a regular file within a size cap (core/io/regular_file);
- the header is bounded, UTF-8, plain JSON; every tensor has a known dtype, a shape and
  data offsets that match its size, and the tensors tile the data buffer exactly;
- the caller's expected tensors (computed from the model's config) are all there, with
  the shapes the config implies (a transposed or resized tensor is caught here), and no
  unknown tensors are;
- every value is finite (a NaN weight makes every output NaN).

``load_verified_safetensors`` is the shared entry point; ``read_npz`` does the same for
the small numpy archives shipped beside the weights (no pickles, sizes declared and
checked before anything is decompressed).
"""

from __future__ import annotations

import math
import mmap
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import SongloomError
from core.io.regular_file import check_regular, open_regular
from core.io.safe_json import JsonContentError, parse_json

MAX_HEADER_BYTES = 100 * 2**20  # safetensors' own limit
# name -> (numpy dtype or None where numpy has none, bytes per value)
DTYPES = {
    "F64": ("<f8", 8), "F32": ("<f4", 4), "F16": ("<f2", 2), "BF16": (None, 2),
    "I64": ("<i8", 8), "I32": ("<i4", 4), "I16": ("<i2", 2), "I8": ("i1", 1),
    "U64": ("<u8", 8), "U32": ("<u4", 4), "U16": ("<u2", 2), "U8": ("u1", 1),
    "BOOL": ("?", 1), "F8_E4M3": (None, 1), "F8_E5M2": (None, 1),
}
FLOAT_DTYPES = ("F64", "F32", "F16", "BF16")
MAX_TENSORS = 100_000


@dataclass(frozen=True)
class TensorInfo:
    dtype: str
    shape: tuple[int, ...]
    begin: int  # offset in the data buffer
    end: int


def _bad(error_cls, path, reason: str) -> SongloomError:
    return error_cls(f"not a valid safetensors file: {reason}", path)


def read_safetensors_header(
    path: str | Path, *, error_cls: type[SongloomError], max_bytes: int
) -> tuple[dict[str, TensorInfo], int]:
    """The tensors a safetensors file declares and where its data buffer starts.

    Checks the file kind and size, the header's bounds and JSON, each entry's dtype,
    shape and offsets, and that the entries tile the buffer with no gap or overlap."""
    path = Path(path)
    st = check_regular(path, error_cls=error_cls, kind="a safetensors weights file")
    size = st.st_size
    if size > max_bytes:
        raise error_cls(f"too large for these model weights ({size / 2**20:.0f} MiB; "
                        f"the limit is {max_bytes / 2**20:.0f} MiB)", path)
    fd = open_regular(path, error_cls=error_cls, kind="a safetensors weights file")
    with os.fdopen(fd, "rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise _bad(error_cls, path, "shorter than its 8-byte header length")
        if head.startswith((b"\x80", b"PK\x03\x04")):
            raise error_cls("is a pickle/PyTorch archive, not safetensors; refusing to load "
                            "it (pickles can run code)", path)
        n = int.from_bytes(head, "little")
        if n < 2 or n > MAX_HEADER_BYTES or 8 + n > size:
            raise _bad(error_cls, path, f"header length {n} does not fit the file ({size} bytes)")
        raw = fh.read(n)
    try:
        header = parse_json(raw.decode("utf-8"), max_depth=4)
    except UnicodeDecodeError:
        raise _bad(error_cls, path, "the header is not UTF-8 text") from None
    except JsonContentError as exc:
        raise _bad(error_cls, path, f"header: {exc}") from None
    if not isinstance(header, dict):
        raise _bad(error_cls, path, "the header is not a JSON object")
    header.pop("__metadata__", None)  # free-form strings; never used
    if len(header) > MAX_TENSORS:
        raise _bad(error_cls, path, f"{len(header):,} tensors")
    buffer = size - 8 - n
    tensors: dict[str, TensorInfo] = {}
    for name, entry in header.items():
        shown = name[:80]
        if not isinstance(entry, dict):
            raise _bad(error_cls, path, f"tensor {shown!r} has no description")
        dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
        if dtype not in DTYPES:
            raise _bad(error_cls, path, f"tensor {shown!r} has unknown dtype {str(dtype)[:20]!r}")
        if (not isinstance(shape, list) or len(shape) > 8
                or not all(type(d) is int and 0 <= d < 2**40 for d in shape)):
            raise _bad(error_cls, path, f"tensor {shown!r} has an invalid shape")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(type(o) is int for o in offsets)
                or not 0 <= offsets[0] <= offsets[1] <= buffer):
            raise _bad(error_cls, path, f"tensor {shown!r} points outside the file")
        nbytes = math.prod(shape) * DTYPES[dtype][1]
        if offsets[1] - offsets[0] != nbytes:
            raise _bad(error_cls, path, f"tensor {shown!r} has {offsets[1] - offsets[0]} bytes "
                       f"of data for a shape that needs {nbytes}")
        tensors[name] = TensorInfo(dtype, tuple(shape), offsets[0], offsets[1])
    cursor = 0
    for info in sorted(tensors.values(), key=lambda t: (t.begin, t.end)):
        if info.begin != cursor:
            raise _bad(error_cls, path, "tensors overlap or leave gaps in the data")
        cursor = info.end
    if cursor != buffer:
        raise _bad(error_cls, path, f"{buffer - cursor} bytes after the last tensor")
    return tensors, 8 + n


def _as_float32(buf, info: TensorInfo, start: int) -> np.ndarray:
    count = math.prod(info.shape)
    if info.dtype == "BF16":
        raw = np.frombuffer(buf, dtype="<u2", count=count, offset=start + info.begin)
        out = (raw.astype(np.uint32) << 16).view(np.float32)
    else:
        out = np.frombuffer(buf, dtype=DTYPES[info.dtype][0], count=count,
                            offset=start + info.begin).astype(np.float32)
    return out.reshape(info.shape)


def _listed(names: Iterable[str], limit: int = 4) -> str:
    names = sorted(names)
    shown = ", ".join(n[:60] for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def load_verified_safetensors(
    path: str | Path,
    expected: Mapping[str, tuple[int, ...]],
    *,
    error_cls: type[SongloomError],
    max_bytes: int,
    optional: Iterable[str] = (),
    ignorable: Callable[[str], bool] | None = None,
) -> dict[str, np.ndarray]:
    """The ``expected`` tensors of a safetensors file as float32 arrays, all verified.

    ``expected`` maps each tensor name to the shape the model's config implies. Tensors
    in ``optional`` may be absent; names for which ``ignorable`` is true (e.g. old
    attention-mask buffers) may be present and are skipped. Anything else is refused:
    a missing tensor (random values would fill it), an unknown one, a wrong shape or
    dtype, a non-finite value."""
    path = Path(path)
    tensors, start = read_safetensors_header(path, error_cls=error_cls, max_bytes=max_bytes)
    optional = set(optional)
    missing = [k for k in expected if k not in tensors and k not in optional]
    if missing:
        raise error_cls(f"incomplete weights: {len(missing)} tensor(s) missing "
                        f"({_listed(missing)})", path)
    unknown = [k for k in tensors if k not in expected and not (ignorable and ignorable(k))]
    if unknown:
        raise error_cls(f"unexpected tensor(s) {_listed(unknown)}: these weights do not "
                        "belong to this model's config", path)
    for name, shape in expected.items():
        info = tensors.get(name)
        if info is None:
            continue
        if info.shape != tuple(shape):
            raise error_cls(f"tensor {name} has shape {list(info.shape)}, the config says "
                            f"{list(shape)}", path)
        if info.dtype not in FLOAT_DTYPES:
            raise error_cls(f"tensor {name} holds {info.dtype} values, not floating point", path)
    out: dict[str, np.ndarray] = {}
    fd = open_regular(path, error_cls=error_cls, kind="a safetensors weights file")
    try:
        if os.fstat(fd).st_size == 0:
            raise _bad(error_cls, path, "the file is empty")
        with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as buf:
            for name in expected:
                info = tensors.get(name)
                if info is None:
                    continue
                arr = _as_float32(buf, info, start)
                if not np.isfinite(arr).all():
                    raise error_cls(f"tensor {name} holds NaN or infinite values", path)
                out[name] = arr
    except (OSError, ValueError) as exc:
        raise error_cls(f"cannot read the weights: {exc}", path) from None
    finally:
        os.close(fd)
    return out


# -- .npz archives --------------------------------------------------------------------------


def read_npz(
    path: str | Path,
    names: Mapping[str, tuple[str, ...]],
    *,
    error_cls: type[SongloomError],
    max_bytes: int,
    max_array_bytes: int,
) -> dict[str, np.ndarray]:
    """The arrays ``names`` (name -> allowed dtype kinds, e.g. ``("i", "u")``) of an .npz.

    No pickles (``allow_pickle=False``); each member's header is read and its declared
    size checked against ``max_array_bytes`` before it is decompressed, so a small zip
    cannot expand into gigabytes. Every failure is ``error_cls`` naming the file."""
    path = Path(path)
    st = check_regular(path, error_cls=error_cls, kind="a numpy archive (.npz)")
    if st.st_size > max_bytes:
        raise error_cls(f"too large ({st.st_size / 2**20:.0f} MiB; the limit is "
                        f"{max_bytes / 2**20:.0f} MiB)", path)
    out: dict[str, np.ndarray] = {}
    fd = open_regular(path, error_cls=error_cls, kind="a numpy archive (.npz)")
    try:
        with os.fdopen(fd, "rb") as fh, zipfile.ZipFile(fh) as zf:
            members = {info.filename: info for info in zf.infolist()}
            for name, kinds in names.items():
                info = members.get(name + ".npy")
                if info is None:
                    raise error_cls(f"not a valid index: the array {name!r} is missing", path)
                if info.file_size > max_array_bytes:
                    raise error_cls(f"the array {name!r} is too large "
                                    f"({info.file_size / 2**20:.0f} MiB)", path)
                with zf.open(info) as member:
                    version = np.lib.format.read_magic(member)
                    if version == (1, 0):
                        shape, _, dtype = np.lib.format.read_array_header_1_0(member)
                    else:
                        shape, _, dtype = np.lib.format.read_array_header_2_0(member)
                    if dtype.hasobject or dtype.kind not in kinds:
                        raise error_cls(f"the array {name!r} holds {dtype} values", path)
                    if math.prod(shape) * dtype.itemsize > info.file_size:
                        raise error_cls(f"the array {name!r} claims more data than it holds", path)
                with zf.open(info) as member:  # again from the start: read_array wants the magic
                    out[name] = np.lib.format.read_array(member, allow_pickle=False)
    except SongloomError:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, zlib and numpy each raise their own types
        raise error_cls(f"cannot read this archive ({type(exc).__name__}: "
                        f"{' '.join(str(exc).split())[:200]})", path) from None
    return out
