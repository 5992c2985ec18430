#!/usr/bin/env bash
# Shared set-up for run.sh, test.sh and build.sh: system libraries (apt, when we can), a
# venv filled from the hashed locks in installer/locks/ (torch: the CPU build unless an
# NVIDIA GPU is present) and the project itself.
#   SONGLOOM_EXTRAS=test,train|build  which extras' lock to install (none: the app's)
#   SONGLOOM_VENV=path (default .venv)   SONGLOOM_TORCH=cpu|cuda (default: by nvidia-smi)
# Idempotent: a second run with the same locks only checks and returns.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EXTRAS="${SONGLOOM_EXTRAS:-}"
# The venv to fill (build.sh keeps its own under build/, so the bundle holds the runtime
# lock and PyInstaller, not what tests and training add).
VENV="${SONGLOOM_VENV:-$ROOT/.venv}"

APT_PACKAGES=(libfluidsynth3 libportaudio2 fluidr3mono-gm-soundfont xvfb libxcb-cursor0
  libegl1 libgl1 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libfontconfig1
  libdbus-1-3 libsndfile1 fonts-noto-cjk)  # (a CJK font: the Chinese interface and lyrics)
# Training the English lyrics model reads WordNet's glosses and examples (Princeton WordNet
# licence; core/training/lyrics_corpus_en.py): without them the corpus silently lacks them.
case ",$EXTRAS," in *",train,"*) APT_PACKAGES+=(wordnet-base) ;; esac

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { echo "songloom: not a Debian/Ubuntu system; install FluidSynth, PortAudio and the Qt xcb libraries by hand (see README)"; return 0; }
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "songloom: please install these system packages, then run again: sudo apt-get install ${missing[*]}" >&2
      return 0
    fi
  fi
  echo "songloom: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# LOCK_FILES: the lock files an extras list needs (installer/locks/, from installer/lock.sh).
LOCK_FILES=()
choose_lock_files() {
  local files=() want_dev=0 want_build=0 e wanted
  IFS=',' read -ra wanted <<< "$EXTRAS"
  for e in "${wanted[@]+"${wanted[@]}"}"; do
    case "$e" in
      test|train) want_dev=1 ;;
      build) want_build=1 ;;
      "") ;;
      *) echo "songloom: unknown extra '$e' in SONGLOOM_EXTRAS (known: test, train, build)" >&2; exit 2 ;;
    esac
  done
  [ "$want_dev" = 1 ] && files+=(installer/locks/dev.txt)
  [ "$want_build" = 1 ] && files+=(installer/locks/build.txt)
  [ ${#files[@]} -gt 0 ] || files=(installer/locks/app.txt)
  # torch: the CUDA build where an NVIDIA GPU answers, else the CPU one (SONGLOOM_TORCH=cpu|cuda
  # forces either). Same version, different files, so each has its own lock.
  local torch="${SONGLOOM_TORCH:-}"
  if [ -z "$torch" ]; then
    if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then torch=cuda; else torch=cpu; fi
  fi
  case "$torch" in cpu|cuda) ;; *) echo "songloom: SONGLOOM_TORCH must be cpu or cuda, not '$torch'" >&2; exit 2 ;; esac
  files+=("installer/locks/torch-$torch.txt")
  LOCK_FILES=("${files[@]}")
}

# Where pip finds the CPU torch wheel: a find-links folder pip is already told about (this
# machine keeps one on disk), else PyTorch's CPU index (SONGLOOM_TORCH_INDEX overrides).
torch_cpu_source() {
  local d
  for d in ${PIP_FIND_LINKS:-} $("$1" -m pip config get global.find-links 2>/dev/null || true); do
    if ls "$d"/torch-*+cpu-*.whl >/dev/null 2>&1; then return 0; fi
  done
  echo "--extra-index-url ${SONGLOOM_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"
}

install_python_packages() {
  local py="${PYTHON:-python3}"
  if [ ! -x "$VENV/bin/python" ]; then
    "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || echo "songloom: the locks are for Python 3.11; $py is $("$py" --version 2>&1), pip may find no wheel for some pins" >&2
    "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "songloom: Python 3.11 or newer is needed ($py is $("$py" --version 2>&1))" >&2; exit 1; }
    "$py" -m venv "$VENV"
  fi
  local vpy="$VENV/bin/python"
  local stamp="$VENV/.songloom-installed"
  local want files
  choose_lock_files
  files=("${LOCK_FILES[@]}")
  # The stamp holds the hashes of the lock files and pyproject.toml (entry points), so a
  # re-lock or a new extra re-installs, and an unchanged set only checks and returns.
  want="$(sha256sum pyproject.toml "${files[@]}"; echo "extras=$EXTRAS")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  # run.sh after test.sh: dev.txt and build.txt hold app.txt's pins too, so a venv filled
  # from either at the current locks already runs the app (no reinstall back and forth).
  if [ -z "$EXTRAS" ] && [ -f "$stamp" ] && grep -qxF "$(sha256sum pyproject.toml)" "$stamp" &&
     grep -qxF "$(sha256sum "${files[-1]}")" "$stamp" &&
     { grep -qxF "$(sha256sum installer/locks/dev.txt)" "$stamp" ||
       grep -qxF "$(sha256sum installer/locks/build.txt)" "$stamp"; }; then return 0; fi
  case " ${files[*]} " in *torch-cuda*) echo "songloom: NVIDIA GPU found; installing torch with CUDA" ;;
    *) echo "songloom: installing the CPU build of torch" ;; esac
  echo "songloom: installing the locked Python packages (${files[*]})"
  # --require-hashes: every file must match the hash in the lock, so a tampered or
  # substituted wheel stops the install with pip's own error. The CPU torch wheel is not on
  # PyPI; pip finds it on PyTorch's index (or this machine's copy, through pip's find-links).
  local torch_index=()
  case " ${files[*]} " in *torch-cpu*) read -ra torch_index <<< "$(torch_cpu_source "$vpy")" ;; esac
  local args=()
  for f in "${files[@]}"; do args+=(-r "$f"); done
  "$vpy" -m pip install -q --require-hashes --only-binary :all: "${torch_index[@]+"${torch_index[@]}"}" "${args[@]}"
  # The project itself: no dependencies to resolve (all locked above), and no isolated
  # build environment (it would fetch an unpinned setuptools); the locked one builds it.
  echo "songloom: installing Songloom"
  local out  # setuptools warns about every editable install: show its words only on failure
  out="$("$vpy" -m pip install -q --no-deps --no-build-isolation -e . 2>&1)" || {
    echo "$out" >&2; exit 1; }
  report_strays "$vpy" "${files[@]}"
  echo "$want" > "$stamp"
}

# Packages in the venv that no lock file names: left from an older lock or installed by
# hand. A fresh venv has none; SONGLOOM_SYNC=1 removes them from an old one.
report_strays() {
  local vpy="$1"; shift
  local strays
  strays="$("$vpy" - "$@" <<'PY'
import importlib.metadata as md, re, sys
locked = set()
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if m:
            locked.add(re.sub(r"[-_.]+", "-", m[1]).lower())
names = {re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower() for d in md.distributions()}
print(" ".join(sorted(names - locked - {"songloom"})))
PY
)"
  [ -n "$strays" ] || return 0
  if [ "${SONGLOOM_SYNC:-0}" = 1 ]; then
    echo "songloom: removing packages the lock does not name: $strays"
    # shellcheck disable=SC2086
    "$vpy" -m pip uninstall -q -y $strays
  else
    echo "songloom: not in the lock, left installed (SONGLOOM_SYNC=1 removes them): $strays" >&2
  fi
}

install_system_packages
install_python_packages
