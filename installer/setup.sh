#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: system libraries (apt, when we can), a .venv,
# torch (the CPU build unless an NVIDIA GPU is present) and the project itself.
# Idempotent: a second run only checks and returns.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EXTRAS="${SONGLOOM_EXTRAS:-}"

APT_PACKAGES=(libfluidsynth3 libportaudio2 fluidr3mono-gm-soundfont xvfb libxcb-cursor0
  libegl1 libgl1 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libfontconfig1
  libdbus-1-3 libsndfile1)

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

install_python_packages() {
  local py="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "songloom: Python 3.11 or newer is needed ($py is $("$py" --version 2>&1))" >&2; exit 1; }
    "$py" -m venv .venv
  fi
  local vpy=.venv/bin/python
  local stamp=.venv/.songloom-installed
  local want
  want="$(cat pyproject.toml; echo "extras=$EXTRAS")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  "$vpy" -m pip install -q --upgrade pip >/dev/null
  if ! "$vpy" -c 'import torch' >/dev/null 2>&1; then
    if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
      echo "songloom: NVIDIA GPU found; installing torch with CUDA"
      "$vpy" -m pip install -q torch
    else
      echo "songloom: installing the CPU build of torch"
      "$vpy" -m pip install -q torch==2.13.0 || "$vpy" -m pip install -q torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
    fi
  fi
  echo "songloom: installing Songloom and its Python packages"
  "$vpy" -m pip install -q -e ".${EXTRAS:+[$EXTRAS]}"
  echo "$want" > "$stamp"
}

install_system_packages
install_python_packages
