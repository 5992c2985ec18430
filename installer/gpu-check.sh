#!/usr/bin/env bash
# The GPU path in one short run, on a machine with an NVIDIA GPU (a few minutes):
#   1. the CUDA-marked tests (tests/gpu: generation on cuda, a real CUDA out-of-memory
#      falling back to the CPU with a message, lyrics and music on the GPU with the CPU's
#      shapes and the same output for a seed); here a skip is a failure;
#   2. CPU against GPU speed in the same run (core/bench/gpu_bench.py).
#   installer/gpu-check.sh            exit 0 only when every CUDA test passed
# Python: $PYTHON, else the project's .venv when its torch sees a GPU (setup.sh installs
# the CUDA lock where nvidia-smi answers), else python3 (a GPU image's own torch).
# An offline GPU machine lacking a pure-Python package can take its wheel from .whl/
# (pip download --no-deps --only-binary=:all: -d .whl NAME==VERSION on a networked one).
# Results: the terminal, and $SONGLOOM_GPU_OUT (default $OUT if set, else build/gpu-check):
# tests.txt, bench.txt, gpu_bench.json. Record the table in docs/performance.md.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="${SONGLOOM_GPU_OUT:-${OUT:-$ROOT/build/gpu-check}}"
mkdir -p "$RESULTS"

sees_cuda() { "$1" -c 'import sys, torch; sys.exit(not torch.cuda.is_available())' 2>/dev/null; }
if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"
elif [ -x .venv/bin/python ] && sees_cuda .venv/bin/python; then PY=.venv/bin/python
else PY=python3; fi

if compgen -G ".whl/*.whl" >/dev/null; then
  site="$(mktemp -d)"
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target "$site" .whl/*.whl ||
    { echo "gpu-check: installing .whl/*.whl failed" >&2; exit 1; }
  export PYTHONPATH="$site"
fi
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1

echo "== gpu-check: $(nvidia-smi -L 2>/dev/null | head -n 1 || echo 'nvidia-smi: none')"
"$PY" - <<'PY' || { echo "gpu-check: FAIL: torch sees no CUDA GPU with $PY" >&2; exit 1; }
import sys, platform, torch, transformers
print(f"python {platform.python_version()} ({sys.executable}), torch {torch.__version__} "
      f"(CUDA {torch.version.cuda}), transformers {transformers.__version__}")
sys.exit(not torch.cuda.is_available())
PY

echo "== CUDA-marked tests"
# SONGLOOM_REQUIRE_CUDA: tests/gpu/conftest.py fails the run instead of skipping.
SONGLOOM_REQUIRE_CUDA=1 "$PY" -m pytest -q -p no:cacheprovider -o addopts="" -rs -m cuda \
  tests/gpu 2>&1 | tee "$RESULTS/tests.txt"
tests_rc=${PIPESTATUS[0]}

echo "== CPU against GPU, one run"
"$PY" -m core.bench.gpu_bench --repeats 3 --json "$RESULTS/gpu_bench.json" 2>&1 |
  tee "$RESULTS/bench.txt"
bench_rc=${PIPESTATUS[0]}

if [ "$tests_rc" = 0 ] && [ "$bench_rc" = 0 ]; then
  echo "gpu-check: PASS (results in $RESULTS)"; exit 0
fi
echo "gpu-check: FAIL (tests exit $tests_rc, benchmark exit $bench_rc; results in $RESULTS)" >&2
exit 1
