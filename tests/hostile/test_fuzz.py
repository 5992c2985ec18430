"""The fuzzer in CI: a fixed set of hypothesis-drawn cases per file kind (derandomized, so
every run draws the same ~330 cases, about a minute), each run in the fuzz worker under its
memory limit and clock. Every case must end as a song/model that works or as one clean
SongloomError; hypothesis shrinks a failure to its smallest list of mutations.

More cases: ``songloom-cli bench fuzz --cases 5000 --json`` (core/bench/fuzz_run.py).
"""

from __future__ import annotations

import json

import pytest
from hostile_harness import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.bench.fuzz import KINDS, OP_NAMES
from core.bench.fuzz_run import FuzzWorker

# ~330 cases in all; the Chinese model folder and sampler.json took theirs from the kinds
# with the most, so the CI time stays about the same
EXAMPLES = {"project": 60, "midi": 50, "kar": 20, "lyrics_model": 30, "music_model": 30,
            "soundfont": 25, "audio": 20, "text": 20, "train_state": 20, "zh_model": 30,
            "sampler": 25}

ops = st.lists(st.tuples(st.integers(0, len(OP_NAMES) - 1), st.integers(0, 7),
                         st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)).map(list),
               min_size=1, max_size=4)


@pytest.fixture(scope="module")
def worker():
    w = FuzzWorker()
    yield w
    w.close()


@pytest.mark.parametrize("kind", KINDS)
def test_every_mutated_file_opens_or_fails_cleanly(worker, kind):
    @settings(max_examples=EXAMPLES[kind], derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(case=ops, variant=st.integers(0, 1))
    def check(case, variant):
        result = worker.run(kind, case, variant)
        assert result["outcome"] in ("success", "clean_error"), (kind, case, variant, result)

    check()


def test_each_kind_is_fuzzed_from_a_valid_file(worker):
    """No mutations: every base file loads (the fuzz starts from working files)."""
    for kind in KINDS:
        assert worker.run(kind, [])["outcome"] == "success", kind


def test_the_bench_command_reports_its_counts(tmp_path):
    out = run_cli("bench", "fuzz", "--cases", "6", "--kinds", "project,midi,text", "--seed",
                  "3", "--json", cwd=tmp_path, mem_mb=4096)
    assert out.rc == 0, out.stderr[-2000:]
    result = json.loads(out.stdout)
    assert result["cases"] == 6
    assert result["clean_errors"] + result["successes"] == 6
    for key in ("tracebacks", "hangs", "slow", "memory_errors", "crashes", "unreadable_writes"):
        assert result[key] == 0, result["examples"]
