#!/bin/sh
# Regenerates the README/docs screenshots: starts the real app under Xvfb with fresh settings,
# runs the default backends on a small workload, grabs the main window (one image per plot tab).
# usage: tools/screenshots.sh [BUILD_DIR] [OUT_DIR]    (defaults: build, docs/screenshots)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/docs/screenshots}
conlab=$build/bin/conlab
[ -x "$conlab" ] || { echo "screenshots.sh: $conlab not found: build first" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run is needed (apt install xvfb)" >&2; exit 2; }
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Fresh settings and calibration cache, the Fusion style and a fixed font size: reproducible images.
XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_RUNTIME_DIR=$scratch \
QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_FONT_DPI=96 \
CONLAB_SCREENSHOT="$out/main-window.png" \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$conlab"
if command -v identify >/dev/null; then
  for f in "$out"/main-window*.png; do identify "$f"; done
fi
