#!/bin/sh
# Install Songloom from the unpacked Linux tarball, for the current user (no root needed):
#   ./install.sh              program into ~/.local/opt/Songloom, menu entry, icon, .songloom type
#   ./install.sh --uninstall  remove all of that again (your songs and settings stay)
# Set PREFIX to install elsewhere (e.g. sudo PREFIX=/usr/local ./install.sh for all users).
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${PREFIX:-$HOME/.local}"
APPDIR="$PREFIX/opt/Songloom"
SHARE="$PREFIX/share"
BIN="$PREFIX/bin"

refresh() {
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$SHARE/mime" >/dev/null 2>&1 || true
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$SHARE/applications" >/dev/null 2>&1 || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$APPDIR"
  rm -f "$BIN/songloom" "$BIN/songloom-cli" "$SHARE/applications/songloom.desktop" \
        "$SHARE/mime/packages/songloom-mime.xml" "$SHARE/icons/hicolor/scalable/apps/songloom.svg"
  for size in 16 24 32 48 64 128 256 512; do
    rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/songloom.png"
  done
  refresh
  echo "Songloom removed from $PREFIX (your songs and autosaves are kept)."
  exit 0
fi

[ -x "$HERE/Songloom/songloom" ] || { echo "install.sh: run me from the unpacked Songloom folder" >&2; exit 1; }
mkdir -p "$APPDIR" "$BIN" "$SHARE/applications" "$SHARE/mime/packages"
# Replace an older version completely rather than mixing libraries.
rm -rf "$APPDIR.new" && cp -a "$HERE/Songloom" "$APPDIR.new" && rm -rf "$APPDIR" && mv "$APPDIR.new" "$APPDIR"
chmod -R a+rX "$APPDIR"  # readable by every user when installed system-wide
ln -sf "$APPDIR/songloom" "$BIN/songloom"
ln -sf "$APPDIR/songloom-cli" "$BIN/songloom-cli"
# The menu entry must work even when $BIN is not on PATH: absolute paths.
sed -e "s|^Exec=songloom|Exec=$APPDIR/songloom|" -e "s|^TryExec=songloom|TryExec=$APPDIR/songloom|" \
  "$HERE/share/applications/songloom.desktop" > "$SHARE/applications/songloom.desktop"
cp "$HERE/share/mime/packages/songloom-mime.xml" "$SHARE/mime/packages/"
cp -r "$HERE/share/icons" "$SHARE/"
refresh
echo "Songloom installed in $APPDIR."
echo "Start it from your applications menu, or run: $BIN/songloom"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(Add $BIN to your PATH to type 'songloom' and 'songloom-cli' in a terminal.)";; esac
