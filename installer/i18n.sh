#!/usr/bin/env bash
# Refresh the interface translations (desktop/i18n.py says how strings are marked):
#   installer/i18n.sh          lupdate: collect every translate("Context", "text") in desktop/
#                              into resources/i18n/songloom_<lang>.ts (new strings come in
#                              'unfinished', vanished ones go), then lrelease: compile each .ts
#                              to the .qm the app loads. Commit both.
#   installer/i18n.sh --check  fail (exit 1) when a string in desktop/ is missing from a .ts
#                              or untranslated, or a .qm is older than its .ts' contents.
# Translate the new strings with pyside6-linguist (or by editing the .ts), then run it again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${SONGLOOM_VENV:-$ROOT/.venv}/bin"
LANGS=(zh_CN)
mapfile -t SOURCES < <(find desktop -name '*.py' -not -path '*/__pycache__/*' | sort)
# No source locations in the .ts: line numbers would change it with every unrelated edit.
OPTS=(-locations none -no-obsolete -source-language en -silent)

if [ "${1:-}" = "--check" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  status=0
  for lang in "${LANGS[@]}"; do
    ts="resources/i18n/songloom_$lang.ts"
    cp "$ts" "$tmp/check.ts"
    "$BIN/pyside6-lupdate" "${SOURCES[@]}" "${OPTS[@]}" -target-language "$lang" -ts "$tmp/check.ts"
    if ! cmp -s "$ts" "$tmp/check.ts"; then
      echo "i18n: $ts is out of date with desktop/ (run installer/i18n.sh):" >&2
      diff "$ts" "$tmp/check.ts" | head -20 >&2 || true
      status=1
    fi
    if grep -q 'type="unfinished"' "$ts"; then
      echo "i18n: $ts has untranslated strings:" >&2
      grep -B2 'type="unfinished"' "$ts" | grep '<source>' | head -20 >&2
      status=1
    fi
    "$BIN/pyside6-lrelease" -silent "$ts" -qm "$tmp/check.qm"
    if ! cmp -s "$tmp/check.qm" "resources/i18n/songloom_$lang.qm"; then
      echo "i18n: resources/i18n/songloom_$lang.qm is not compiled from its .ts (run installer/i18n.sh)" >&2
      status=1
    fi
  done
  exit $status
fi

for lang in "${LANGS[@]}"; do
  ts="resources/i18n/songloom_$lang.ts"
  "$BIN/pyside6-lupdate" "${SOURCES[@]}" "${OPTS[@]}" -target-language "$lang" -ts "$ts"
  "$BIN/pyside6-lrelease" -silent "$ts" -qm "resources/i18n/songloom_$lang.qm"
  unfinished=$(grep -c 'type="unfinished"' "$ts" || true)
  echo "i18n: $ts: $unfinished untranslated"
done
