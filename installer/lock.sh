#!/usr/bin/env bash
# Refresh the hashed dependency locks in installer/locks/ from pyproject.toml's ranges.
#   installer/lock.sh            re-resolve at the newest versions the ranges allow
#   installer/lock.sh --keep     keep every pin that still fits (only add/drop what changed)
# Needs uv (any venv but the project's: python3 -m venv /tmp/lockvenv &&
# /tmp/lockvenv/bin/pip install uv; then UV=/tmp/lockvenv/bin/uv installer/lock.sh).
# Then check: .venv/bin/python -m pytest -q tests/installer/test_lock.py
#
# One resolution, for Linux x86-64 (glibc >= 2.28) and CPython 3.11, split in files that
# pip installs together with --require-hashes (installer/setup.sh does):
#   app.txt        the runtime dependencies                       (run.sh)
#   dev.txt        runtime + test + train extras                  (test.sh, CI)
#   build.txt      runtime + build extra (PyInstaller)            (build.sh)
#   torch-cpu.txt  torch 2.13.0+cpu alone (its dependencies are in the files above)
#   torch-cuda.txt torch 2.13.0 from PyPI (the CUDA build) with the nvidia-* and triton
#                  wheels it pulls in; setup.sh takes it when nvidia-smi sees a GPU
# torch is kept out of app/dev/build because its CPU and CUDA builds are different files
# of one version (PyPI's Linux wheel is the CUDA one; the CPU one lives on PyTorch's own
# index as 2.13.0+cpu). Every file is resolved against all.txt, so a package appears with
# the same version and hashes in each.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV="${UV:-$(command -v uv || true)}"
[ -n "$UV" ] && [ -x "$UV" ] || {
  echo "lock.sh: uv not found; python3 -m venv /tmp/lockvenv && /tmp/lockvenv/bin/pip install uv," \
       "then UV=/tmp/lockvenv/bin/uv $0" >&2; exit 1; }
TORCH_VERSION=2.13.0
# Where the CPU wheel is found: this machine keeps it on disk; elsewhere PyTorch's index.
if ls /opt/wheels/torch-"$TORCH_VERSION"+cpu-cp311-*.whl >/dev/null 2>&1; then
  TORCH_CPU_LINKS="${SONGLOOM_TORCH_CPU_LINKS:-/opt/wheels}"
else
  TORCH_CPU_LINKS="${SONGLOOM_TORCH_CPU_LINKS:-https://download.pytorch.org/whl/cpu/torch/}"
fi
OUT=installer/locks
mkdir -p "$OUT"
upgrade=(--upgrade)
[ "${1:-}" = "--keep" ] && upgrade=()
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
# pip/setuptools/wheel are locked too: setup.sh installs the project itself with
# --no-build-isolation, so nothing unpinned is fetched at any step.
printf 'pip\nsetuptools>=77\nwheel\n' > "$TMP/tools.in"
echo "torch==$TORCH_VERSION+cpu" > "$TMP/torch-cpu.in"
echo "torch==$TORCH_VERSION" > "$TMP/torch-cuda.in"
# The CPU torch stands in for pyproject's "torch>=2.2" in the shared resolution.
echo "torch==$TORCH_VERSION+cpu" > "$TMP/overrides.txt"

# glibc 2.34 (Debian 12, Ubuntu 22.04 and newer): PySide6 6.10+ ships only manylinux_2_34
# wheels, and 6.11 is what the tests run on (a 2.28 target would fall back to 6.9).
PLATFORM=x86_64-manylinux_2_34
pypi_compile() {  # pypi_compile OUTFILE ARGS...: one uv pip compile, PyPI only
  local out="$1"; shift
  "$UV" pip compile --quiet --python-version 3.11 --python-platform "$PLATFORM" \
    --generate-hashes --custom-compile-command "installer/lock.sh" -o "$out" "$@"
}
compile() {  # compile OUTFILE ARGS...: PyPI plus the CPU torch wheel
  pypi_compile "$@" --find-links "$TORCH_CPU_LINKS" --index-strategy unsafe-best-match
}

[ -f "$OUT/all.txt" ] && [ ${#upgrade[@]} = 0 ] && cp "$OUT/all.txt" "$TMP/all.txt"
compile "$TMP/all.txt" "${upgrade[@]}" --all-extras --overrides "$TMP/overrides.txt" \
  pyproject.toml "$TMP/tools.in"
# Sub-locks: the same pins (-c all.txt), torch itself left to its own file.
compile "$OUT/app.txt" -c "$TMP/all.txt" --overrides "$TMP/overrides.txt" \
  --no-emit-package torch pyproject.toml "$TMP/tools.in"
compile "$OUT/dev.txt" -c "$TMP/all.txt" --overrides "$TMP/overrides.txt" \
  --no-emit-package torch --extra test --extra train pyproject.toml "$TMP/tools.in"
compile "$OUT/build.txt" -c "$TMP/all.txt" --overrides "$TMP/overrides.txt" \
  --no-emit-package torch --extra build pyproject.toml "$TMP/tools.in"
# The torch files hold torch's own wheels only; what torch shares with app.txt (filelock,
# sympy, ...) is pinned there, to the same versions (-c). (uv's --no-deps would drop the
# hash of a find-links wheel, hence this way round.)
no_emit=()
while read -r name; do no_emit+=(--no-emit-package "$name"); done \
  < <(sed -n 's/^\([A-Za-z0-9][A-Za-z0-9._-]*\)==.*/\1/p' "$OUT/app.txt")
compile "$OUT/torch-cpu.txt" -c "$OUT/app.txt" "${no_emit[@]}" "$TMP/torch-cpu.in"
# CUDA torch: PyPI's Linux wheel of the same version, with the nvidia-* and triton wheels.
pypi_compile "$OUT/torch-cuda.txt" -c "$OUT/app.txt" "${no_emit[@]}" "$TMP/torch-cuda.in"
cp "$TMP/all.txt" "$OUT/all.txt"
# The PyPI index and find-links are machine-specific: strip absolute paths from headers.
sed -i "s#$ROOT/##g; s#$TMP/#installer/locks/#g" "$OUT"/*.txt
echo "lock.sh: $(grep -c '==' "$OUT/all.txt") packages in all.txt; files in $OUT/:"
ls -1 "$OUT"
