#!/usr/bin/env bash
# Build the one-folder bundle dist/Songloom/ (songloom + songloom-cli) and, on Linux, the
# tarball dist/Songloom-<version>-linux-<arch>.tar.gz with the menu entry, icons, the
# .songloom MIME type and install.sh.
#   installer/build.sh              install the locks, build, check, pack
#   installer/build.sh --clean      also discard PyInstaller's cache first
#   installer/build.sh --pack-only  only pack dist/Songloom, if it is the bundle that
#                                   passed every check (build/bundle-checked records it)
# Installs its own venv, build/venv, from the hashed locks (runtime + PyInstaller:
# installer/locks/build.txt and torch-cpu.txt), so the bundle holds exactly the locked set.
# The archive is written only when every step passed: the licence check (no GPL, AGPL or
# unknown licence), installer/check_bundle.sh (the frozen app offline, no network, no
# ../shared, a throw-away HOME; its --selftest must pass every step) and the size budget
# (SONGLOOM_BUNDLE_BUDGET_MB, 900). Any failure stops here with exit 1 and no archive.
# Windows / macOS: see docs/packaging.md (same spec, then Inno Setup / the .app).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NICE="${SONGLOOM_BUILD_NICE:-nice -n 15}"   # the build takes minutes of CPU; stay polite
BUDGET_MB="${SONGLOOM_BUNDLE_BUDGET_MB:-900}"
clean=()
pack_only=0
case "${1:-}" in
  --clean) clean=(--clean) ;;
  --pack-only) pack_only=1 ;;
  "") ;;
  *) echo "build.sh: unknown option $1 (use --clean or --pack-only)" >&2; exit 2 ;;
esac

BUILD_VENV="${SONGLOOM_BUILD_VENV:-$ROOT/build/venv}"
PY="$BUILD_VENV/bin/python"
BUNDLE="dist/Songloom"
CHECKED="build/bundle-checked"
fail() { echo "build.sh: FAILED: $*; no archive written" >&2; exit 1; }
# What the checks saw: every file's path, size and time. --pack-only packs only that.
fingerprint() { (cd "$BUNDLE" && find . -type f -printf '%P %s %T@\n' | LC_ALL=C sort | sha256sum); }

version="$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
# Never leave an archive of an earlier build beside a bundle that has not passed.
rm -f dist/Songloom-*.tar.gz dist/Songloom-*.tar.gz.part

if [ "$pack_only" = 0 ]; then
  rm -f "$CHECKED"
  echo "build.sh: installing the locked build environment in $BUILD_VENV"
  # The bundle ships the CPU torch whatever GPU the build machine has.
  SONGLOOM_VENV="$BUILD_VENV" SONGLOOM_EXTRAS=build SONGLOOM_TORCH=cpu "$ROOT/installer/setup.sh" ||
    fail "installing the locks"
  echo "build.sh: PyInstaller (several minutes)"
  $NICE "$PY" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/songloom.spec || fail "PyInstaller"
  # Licence texts of exactly what landed in the bundle (Python packages, and the Debian
  # packages owning each native library), into resources/licenses/ and the bundle.
  echo "build.sh: licences of bundled parts -> resources/licenses/"
  "$PY" installer/collect_licenses.py --bundle "$BUNDLE" || fail "collecting licences"
  rm -rf "$BUNDLE/_internal/resources/licenses"
  cp -r resources/licenses "$BUNDLE/_internal/resources/licenses"
  "$PY" installer/collect_licenses.py --bundle "$BUNDLE" --check ||
    fail "licence check (a licence is missing, or GPL/AGPL/unknown)"
  # Files written 0600 by training (model weights) must stay readable for every user of
  # a system-wide install.
  chmod -R a+rX "$BUNDLE"

  echo "build.sh: checks of the frozen app in a clean, offline environment"
  installer/check_bundle.sh "$BUNDLE" || fail "installer/check_bundle.sh"
  # MB as the issue and README count them (10^6 bytes), MiB beside it.
  size_bytes="$(du -sb "$BUNDLE" | cut -f1)"
  size_mb=$(( size_bytes / 1000000 ))
  echo "build.sh: bundle $size_mb MB ($(( size_bytes / 1048576 )) MiB), budget $BUDGET_MB MB"
  [ "$size_mb" -le "$BUDGET_MB" ] || fail "bundle is $size_mb MB, over the $BUDGET_MB MB budget"
  fingerprint > "$CHECKED"
fi
[ -x "$BUNDLE/songloom" ] || fail "no bundle in $BUNDLE to pack"
[ -f "$CHECKED" ] && [ "$(fingerprint)" = "$(cat "$CHECKED")" ] ||
  fail "$BUNDLE is not the bundle that passed the checks (run installer/build.sh)"

if [ "$(uname)" = Linux ]; then
  arch="$(uname -m)"
  stage="build/linux-tarball/Songloom-$version"
  rm -rf "build/linux-tarball" && mkdir -p "$stage/share/applications" "$stage/share/mime/packages"
  cp -a "$BUNDLE" "$stage/Songloom"
  cp installer/songloom.desktop "$stage/share/applications/"
  cp installer/songloom-mime.xml "$stage/share/mime/packages/"
  for png in resources/icons/png/songloom-*.png; do
    size="${png##*-}"; size="${size%.png}"
    mkdir -p "$stage/share/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$stage/share/icons/hicolor/${size}x${size}/apps/songloom.png"
  done
  mkdir -p "$stage/share/icons/hicolor/scalable/apps"
  cp resources/icons/songloom.svg "$stage/share/icons/hicolor/scalable/apps/songloom.svg"
  install -m 755 installer/linux-install.sh "$stage/install.sh"
  tarball="dist/Songloom-$version-linux-$arch.tar.gz"
  $NICE tar -C build/linux-tarball -czf "$tarball.part" "Songloom-$version" && mv "$tarball.part" "$tarball"
  echo "build.sh: $(du -sh "$BUNDLE" | cut -f1) in $BUNDLE; $(du -sh "$tarball" | cut -f1) in $tarball"
fi
