"""Running fuzz cases (core/bench/fuzz.py): what each kind exercises, the worker process,
and ``songloom-cli bench fuzz``.

The worker reads one JSON case per line on stdin ({"kind", "ops", "variant"}), builds it
in a fresh temporary folder, runs it and answers one JSON line. It runs under
RLIMIT_AS; the parent (``FuzzWorker``) kills and restarts it when a case passes the hang
limit or the worker dies, and counts that case as a hang or a crash.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from core.bench.fuzz import (
    BAD,
    CASE_LIMIT_S,
    HANG_LIMIT_S,
    KINDS,
    OUTCOMES,
    WORKER_MEMORY_MB,
    apply_ops,
    build_base,
    random_ops,
)

# -- what a case exercises --------------------------------------------------------------------


class UnreadableWrite(Exception):
    """A song Songloom saved but then refused to open."""


# CPU seconds of each user action a case performed; the 2 s bound applies to each (a
# song case opens, saves twice and opens twice: five actions a user makes one by one).
_steps: list[float] = []


def _step(fn, *args, **kwargs):
    started = time.process_time()
    try:
        return fn(*args, **kwargs)
    finally:
        _steps.append(time.process_time() - started)


def _song(path: Path, work: Path) -> None:
    """Open, describe (info, info --json), save as .songloom and .mid, open both again."""
    from core.errors import SongloomError
    from core.io.song_io import format_summary, load_song, save_song, song_summary

    def describe():
        song = load_song(path, warn=lambda m: None)
        info = song_summary(song)
        json.dumps(info, ensure_ascii=False).encode("utf-8")
        format_summary(str(path), info).encode("utf-8")
        return song

    song = _step(describe)
    for ext in (".songloom", ".mid"):
        out = work / f"written{ext}"
        try:
            _step(save_song, song, out)
        except SongloomError:
            continue  # refused at write time: fine
        try:
            _step(load_song, out, warn=lambda m: None)
        except SongloomError as exc:
            raise UnreadableWrite(f"{ext}: {exc.reason}") from None


def _lyrics_model(path: Path, work: Path) -> None:
    import torch

    from core.lyrics.model_store import load_lyrics_model

    lm = load_lyrics_model(path, cached=False)
    ids = lm.tokenizer("the hill", return_tensors="pt").input_ids[:, :8]
    with torch.no_grad():
        lm.model(ids)


def _music_model(path: Path, work: Path) -> None:
    from core.music.originality import OriginalityIndex, originality
    from core.music.sample import MusicGenerator

    gen = MusicGenerator.from_folder(path)
    song = gen.generate(bars=2, seed=1, form=None)[0]
    originality(song, OriginalityIndex.load(path))


def _zh_model(path: Path, work: Path) -> None:
    from core.bench.hostile_files import ZH_PATTERN
    from core.lyrics.zh import model as zh

    try:
        zm = zh.load_zh_model(path)
        zm.warm_up()  # every table read and checked against the vocabulary, one forward pass
        zm.patterns.get(ZH_PATTERN)
        zm.index.is_corpus_line("春风明月夜")
        [zm.group_of(ch) for ch in "春风明月夜"]
    finally:
        zh._cache.pop(str(path.resolve()), None)  # each case's folder is new: keep none


def _sampler(path: Path, work: Path) -> None:
    from core.music.sample import MusicGenerator

    gen = MusicGenerator.from_folder(path)
    for style in ("lieder", "chorale"):  # composed: every compose and decode setting is used
        gen.generate(bars=4, seed=1, style=style, form="verse:2 chorus:2")


def _soundfont(path: Path, work: Path) -> None:
    from core.audio.render import render_song
    from core.model.song import Note, Song, Track

    song = Song(tracks=[Track("a", notes=[Note(0, 240, 60, 100), Note(240, 240, 72, 90)])])
    render_song(song, path, 22050, effects=False, lazy_samples=True)


def _audio(path: Path, work: Path) -> None:
    from core.scoring import load_audio

    load_audio(path)


def _text(path: Path, work: Path) -> None:
    from core.lyrics.corpus import read_text_file
    from core.metrics.text import text_metrics

    text_metrics(read_text_file(path).lines, None, 8, "ABAB")


def _train_state(path: Path, work: Path) -> None:
    from core.training.lyrics_train import read_train_state

    read_train_state(path)


RUNNERS = {"project": _song, "midi": _song, "kar": _song, "lyrics_model": _lyrics_model,
           "music_model": _music_model, "soundfont": _soundfont, "audio": _audio,
           "text": _text, "train_state": _train_state, "zh_model": _zh_model,
           "sampler": _sampler}


def run_one(kind: str, ops: list[list[int]], variant: int = 0) -> dict:
    """Build and run one case in this process: {"outcome", "detail", "seconds"}."""
    from core.errors import SongloomError

    with tempfile.TemporaryDirectory(prefix="songloom-fuzz-") as tmp:
        work = Path(tmp)
        try:
            main = build_base(kind, work, variant)
            apply_ops(kind, main, ops)
        except Exception as exc:  # noqa: BLE001 - the fuzzer's own problem, not Songloom's
            return {"outcome": "fuzzer_error", "detail": f"{type(exc).__name__}: {exc}"[:200],
                    "seconds": 0.0}
        started = time.process_time()
        _steps.clear()
        try:
            RUNNERS[kind](main, work)
            outcome, detail = "success", ""
        except SongloomError as exc:
            outcome, detail = "clean_error", str(exc)[-300:]
            if "\n" in str(exc):
                outcome, detail = "traceback", "a multi-line error: " + detail
        except UnreadableWrite as exc:
            outcome, detail = "unreadable_write", str(exc)
        except MemoryError:
            outcome, detail = "memory", "MemoryError"
        except Exception as exc:  # noqa: BLE001 - a bug: recorded, with where it happened
            frames = traceback.extract_tb(exc.__traceback__)
            where = next((f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames)
                          if "/core/" in f.filename or "/desktop/" in f.filename), "?")
            outcome, detail = "traceback", f"{type(exc).__name__} at {where}: {str(exc)[:200]}"
        seconds = time.process_time() - started
    longest = max(_steps) if _steps else seconds
    if outcome in ("success", "clean_error") and longest > CASE_LIMIT_S:
        outcome, detail = "slow", f"{longest:.1f} s of CPU in one step ({outcome})"
    return {"outcome": outcome, "detail": detail, "seconds": round(seconds, 3)}


def warm_up(kinds=KINDS) -> None:
    """One valid case of each kind before the first real one: torch, transformers (whose
    GPT-2 model and tokenizer backends import lazily, on first use) and FluidSynth take
    seconds to load on a busy machine, and no case's clock should pay for that."""
    if "lyrics_model" in kinds or "zh_model" in kinds:
        import torch

        torch.set_num_threads(1)
    for kind in kinds:
        run_one(kind, [])


def worker_main(kinds=KINDS) -> None:
    """The worker loop: one JSON case per stdin line, one JSON answer per stdout line."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # Answers go to a private copy of stdout; file descriptor 1 itself (where C libraries
    # such as FluidSynth print) and sys.stdout now lead to stderr, so nothing a library
    # prints can corrupt an answer.
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    warm_up(kinds)
    out.write('{"ready": true}\n')
    out.flush()
    for line in sys.stdin:
        case = json.loads(line)
        answer = run_one(case["kind"], case["ops"], case.get("variant", 0))
        out.write(json.dumps(answer) + "\n")
        out.flush()


# -- the parent side ---------------------------------------------------------------------------

_WORKER = ("import os, sys; os.environ.setdefault('OPENBLAS_NUM_THREADS', '1'); "
           "from core.bench.fuzz_run import worker_main; worker_main(tuple(sys.argv[1:]))")


def _load_factor() -> float:
    """How many times over the CPUs are booked (1 on an idle machine)."""
    try:
        return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    except OSError:
        return 1.0


class FuzzWorker:
    """A worker process under ``memory_mb`` of address space, restarted after a hang or
    a crash."""

    def __init__(self, kinds: tuple[str, ...] = KINDS, memory_mb: int = WORKER_MEMORY_MB,
                 hang_s: float = HANG_LIMIT_S):
        self.kinds, self.memory_mb, self.hang_s = tuple(kinds), memory_mb, hang_s
        self.proc: subprocess.Popen | None = None

    def _start(self) -> None:
        limit = self.memory_mb * 2**20

        def limits() -> None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        self.proc = subprocess.Popen([sys.executable, "-c", _WORKER, *self.kinds],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env, preexec_fn=limits, start_new_session=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 600)
        if not ready or not self.proc.stdout.readline():
            self._kill()
            raise RuntimeError("the fuzz worker did not start")

    def _kill(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
            self.proc = None

    def run(self, kind: str, ops: list[list[int]], variant: int = 0) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        case = json.dumps({"kind": kind, "ops": ops, "variant": variant}) + "\n"
        try:
            self.proc.stdin.write(case.encode())
            self.proc.stdin.flush()
        except OSError:
            self._kill()
            return {"outcome": "crash", "detail": "the worker was gone", "seconds": 0.0}
        started = time.monotonic()
        limit = self.hang_s * _load_factor()  # a busy machine is not a hang
        ready, _, _ = select.select([self.proc.stdout], [], [], limit)
        if not ready:
            self._kill()
            return {"outcome": "hang", "detail": f"killed after {limit:.0f} s",
                    "seconds": round(time.monotonic() - started, 3)}
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.proc = None
            return {"outcome": "crash", "detail": f"the worker died (exit {code})",
                    "seconds": round(time.monotonic() - started, 3)}
        try:
            return json.loads(line)
        except ValueError:
            self._kill()
            return {"outcome": "fuzzer_error", "detail": f"a garbled answer: {line[:100]!r}",
                    "seconds": round(time.monotonic() - started, 3)}

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._kill()
            self.proc = None


def run_fuzz(cases: int, seed: int = 0, kinds: tuple[str, ...] = KINDS,
             log=lambda message: None) -> dict:
    """``cases`` seeded cases spread over ``kinds``; counts of each outcome, per kind too,
    and the first examples of every bad outcome (with the seed that reproduces it)."""
    worker = FuzzWorker(kinds)
    counts: Counter = Counter()
    by_kind: dict[str, Counter] = {k: Counter() for k in kinds}
    examples: list[dict] = []
    started = time.monotonic()
    try:
        for i in range(cases):
            kind = kinds[i % len(kinds)]
            case_seed = seed * 1_000_003 + i
            ops = random_ops(kind, case_seed)
            variant = random.Random(case_seed).randrange(2)
            result = worker.run(kind, ops, variant)
            counts[result["outcome"]] += 1
            by_kind[kind][result["outcome"]] += 1
            if result["outcome"] in BAD and len(examples) < 40:
                examples.append({"kind": kind, "seed": case_seed, "variant": variant, "ops": ops,
                                 **result})
                log(f"{kind} seed {case_seed}: {result['outcome']}: {result['detail']}")
            if (i + 1) % 200 == 0:
                log(f"{i + 1}/{cases} cases, {dict(counts)}")
    finally:
        worker.close()
    return {
        "cases": cases,
        "clean_errors": counts["clean_error"],
        "successes": counts["success"],
        "tracebacks": counts["traceback"],
        "hangs": counts["hang"],
        "slow": counts["slow"],
        "memory_errors": counts["memory"],
        "crashes": counts["crash"],
        "unreadable_writes": counts["unreadable_write"],
        "fuzzer_errors": counts["fuzzer_error"],
        "by_kind": {k: {o: c[o] for o in OUTCOMES if c[o]} for k, c in by_kind.items()},
        "seed": seed,
        "seconds": round(time.monotonic() - started, 1),
        "limits": {"case_cpu_s": CASE_LIMIT_S, "hang_s": HANG_LIMIT_S,
                   "worker_address_space_mb": WORKER_MEMORY_MB},
        "examples": examples,
    }


def replay(kind: str, seed: int, variant: int | None = None) -> dict:
    """Run one seeded case in this process (to debug what the bench reported)."""
    if variant is None:
        variant = random.Random(seed).randrange(2)
    return run_one(kind, random_ops(kind, seed), variant)
