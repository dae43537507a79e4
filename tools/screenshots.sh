#!/bin/sh
# Regenerates the README/docs screenshots: starts the real app under Xvfb with fresh settings,
# runs the default backends on a small workload, grabs the main window (one image per plot tab);
# then a task-us sweep (sweep.png, sweep-phases.png) and the tiny-tasks lesson (lesson.png).
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
# The sweep and the lesson reuse the calibration cached above, with fresh settings each.
for shot in sweep:sweep lesson:lesson:tiny-tasks; do
  name=${shot%%:*}
  mode=${shot#*:}
  rm -rf "$scratch/config"
  XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_RUNTIME_DIR=$scratch \
  QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_FONT_DPI=96 \
  CONLAB_SCREENSHOT="$out/$name.png" CONLAB_SCREENSHOT_MODE=$mode \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$conlab"
done
if command -v identify >/dev/null; then
  for f in "$out"/main-window*.png "$out"/sweep*.png "$out"/lesson.png; do identify "$f"; done
fi
