#!/usr/bin/env bash
# Set up (first time) and start Songloom. With no display, or with --demo, run the
# headless demo instead: it writes into ./songloom-demo/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/installer/setup.sh"
VENV="${SONGLOOM_VENV:-$ROOT/.venv}"
demo=0
args=()
for a in "$@"; do
  if [ "$a" = "--demo" ]; then demo=1; else args+=("$a"); fi
done
if [ "$demo" = 1 ] || { [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; }; then
  [ "$demo" = 1 ] || echo "songloom: no display found; running the headless demo instead"
  exec "$VENV/bin/songloom-cli" demo --out "${SONGLOOM_DEMO_DIR:-$PWD/songloom-demo}" "${args[@]+"${args[@]}"}"
fi
exec "$VENV/bin/songloom" "${args[@]+"${args[@]}"}"
