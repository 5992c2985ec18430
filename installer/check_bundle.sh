#!/usr/bin/env bash
# Exercise a built bundle the way a user's machine would run it: an empty environment
# (no venv, no PYTHONPATH, no network settings), offscreen Qt, a throw-away HOME, and,
# where the kernel lets us (root or user namespaces), no network at all and ../shared
# (the training data beside the checkout) hidden behind an empty folder.
#   installer/check_bundle.sh [dist/Songloom]
# Each check prints PASS/FAIL; exit 1 if any failed. build.sh runs it after PyInstaller
# and writes no archive unless it passed, the frozen --selftest included.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/Songloom}" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/songloom-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home"
SHARED="$(cd "$ROOT/.." && pwd)/shared"
mkdir -p "$WORK/empty"
ISOLATE=()
if unshare -m -n true 2>/dev/null; then
  # A new network namespace has only a downed loopback: any connection fails at once.
  # In a new mount namespace, bind an empty folder over ../shared so nothing reads it.
  ISOLATE=(unshare -m -n -- sh -c 'if [ -d "$1" ]; then mount --bind "$0" "$1" || exit 97; fi; shift; exec "$@"' "$WORK/empty" "$SHARED")
  echo "isolation: no network, $SHARED hidden"
elif unshare -n true 2>/dev/null; then
  ISOLATE=(unshare -n --)
  echo "isolation: no network (cannot hide $SHARED here)"
else
  echo "isolation: none available (no unshare); offline only by HF_HUB_OFFLINE"
fi
run() { "${ISOLATE[@]+"${ISOLATE[@]}"}" env -i HOME="$WORK/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
  QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$@"; }
failed=0
check() {  # check NAME COMMAND...: run it, keep its output for the report
  local name="$1"; shift
  if (cd "$WORK" && run timeout 900 "$@") >"$WORK/out.txt" 2>&1; then
    echo "PASS $name"
  else
    echo "FAIL $name (exit $?):"; tail -n 15 "$WORK/out.txt" | sed 's/^/    /'; failed=1
  fi
}
CLI="$BUNDLE/songloom-cli"; APP="$BUNDLE/songloom"

check "songloom-cli --version" "$CLI" --version
check "licences are bundled" "$CLI" licenses libfluidsynth3
check "bundled SoundFont found" sh -c "'$CLI' soundfonts | grep -q FluidR3Mono"
check "groove library bundled (every band style drums)" sh -c "'$CLI' styles > st.txt && ! grep -q 'no drums (' st.txt && grep -q 'Power kit' st.txt"
check "a rock song with its drum track" "$CLI" generate music --style rock --bars 8 --out "$WORK/rock.mid"
check "bad input: one error line, exit 2" sh -c "'$CLI' info nope.mid 2>err.txt; test \$? = 2 && test \$(wc -l <err.txt) = 1 && ! grep -q Traceback err.txt"
check "headless demo (models, lyrics, FluidSynth)" "$CLI" demo --out "$WORK/demo"
mid="$(ls "$WORK"/demo/*.mid 2>/dev/null | head -n 1)"
if [ -n "$mid" ]; then
  check "render the demo song to WAV" "$CLI" render "$mid" "$WORK/demo.wav"
  check "song info" "$CLI" info "$mid"
fi
check "window screenshot" "$APP" --screenshot "$WORK/shot.png"
[ -s "$WORK/shot.png" ] || { echo "FAIL window screenshot: no PNG written"; failed=1; }
# The whole loop in the window (generate music and lyrics, play, score, export, read
# back): exit 0 only when every step passed; its JSON line says which failed.
check "songloom --selftest (every step)" "$APP" --selftest
grep '^{' "$WORK/out.txt" | tail -n 1
du -sh "$BUNDLE" | sed 's/^/bundle size: /'
exit $failed
