#!/usr/bin/env bash
# Build the one-folder bundle dist/Songloom/ (songloom + songloom-cli) and, on Linux, the
# tarball dist/Songloom-<version>-linux-<arch>.tar.gz with the menu entry, icons, the
# .songloom MIME type and install.sh.
#   installer/build.sh            build, smoke-test the frozen app offline, pack
#   installer/build.sh --clean    also discard PyInstaller's cache first
#   installer/build.sh --pack-only  only pack the existing dist/Songloom (already checked)
# Installs its own venv, build/venv, from the hashed locks (runtime + PyInstaller:
# installer/locks/build.txt and torch-cpu.txt), so the bundle holds exactly the locked set.
# Windows / macOS: see README "Build the installers" (same spec, then Inno Setup / the .app).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_VENV="${SONGLOOM_BUILD_VENV:-$ROOT/build/venv}"
# The bundle ships the CPU torch whatever GPU the build machine has.
SONGLOOM_VENV="$BUILD_VENV" SONGLOOM_EXTRAS=build SONGLOOM_TORCH=cpu "$ROOT/installer/setup.sh"
PY="$BUILD_VENV/bin/python"
NICE="${SONGLOOM_BUILD_NICE:-nice -n 15}"   # the build takes minutes of CPU; stay polite
clean=()
pack_only=0
case "${1:-}" in
  --clean) clean=(--clean) ;;
  --pack-only) pack_only=1 ;;
  "") ;;
  *) echo "build.sh: unknown option $1 (use --clean or --pack-only)" >&2; exit 2 ;;
esac

version="$("$PY" -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"

BUNDLE="dist/Songloom"
if [ "$pack_only" = 0 ]; then
echo "build.sh: PyInstaller (several minutes)"
$NICE "$PY" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/songloom.spec
# Licence texts of exactly what landed in the bundle (Python packages, and the Debian
# packages owning each native library), into resources/licenses/ and the bundle.
echo "build.sh: licences of bundled parts -> resources/licenses/"
"$PY" installer/collect_licenses.py --bundle "$BUNDLE"
rm -rf "$BUNDLE/_internal/resources/licenses"
cp -r resources/licenses "$BUNDLE/_internal/resources/licenses"
"$PY" installer/collect_licenses.py --bundle "$BUNDLE" --check

echo "build.sh: checks of the frozen app in a clean, offline environment"
installer/check_bundle.sh "$BUNDLE"
fi
[ -x "$BUNDLE/songloom" ] || { echo "build.sh: no bundle in $BUNDLE to pack" >&2; exit 1; }
# Files written 0600 by training (model weights) must stay readable for every user of
# a system-wide install.
chmod -R a+rX "$BUNDLE"

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
