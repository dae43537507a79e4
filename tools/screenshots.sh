#!/bin/sh
# Regenerates the README/docs screenshots: starts the real app under Xvfb with fresh settings,
# runs the default backends on a small workload, grabs the main window (one image per plot tab);
# then the window at 1280×720 (main-window-1280x720*.png: nothing may be cut off); a task-us
# sweep (sweep.png, sweep-phases.png) and the tiny-tasks lesson (lesson.png); then the restore bar
# after a crash (restore.png): a run that is killed right after its autosave (the testing hook
# CONLAB_TEST_CRASH_AFTER_AUTOSAVE), and a restart that offers it.
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
# A laptop screen (1280×720): nothing may be cut off (docs/gui.md links it).
rm -rf "$scratch/config"
XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_RUNTIME_DIR=$scratch \
QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_FONT_DPI=96 \
CONLAB_SCREENSHOT="$out/main-window-1280x720.png" CONLAB_SCREENSHOT_SIZE=1280x720 CONLAB_SCREENSHOT_TASKS=500 \
  xvfb-run -a -s "-screen 0 1280x720x24" "$conlab"
rm -f "$out/main-window-1280x720-timeline.png" # the timeline looks like the large one
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
# Autosaves go to the scratch folder, never the user's.
rm -rf "$scratch/config"
XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_DATA_HOME=$scratch/data XDG_RUNTIME_DIR=$scratch \
QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_FONT_DPI=96 CONLAB_AUTOSAVE_DIR=$scratch/autosave \
CONLAB_SCREENSHOT="$scratch/crash.png" CONLAB_SCREENSHOT_TASKS=400 CONLAB_TEST_CRASH_AFTER_AUTOSAVE=1 \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$conlab" || true # killed by SIGKILL, as intended
XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_DATA_HOME=$scratch/data XDG_RUNTIME_DIR=$scratch \
QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_FONT_DPI=96 CONLAB_AUTOSAVE_DIR=$scratch/autosave \
CONLAB_SCREENSHOT="$out/restore.png" CONLAB_SCREENSHOT_MODE=restore \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$conlab"
rm -f "$out/restore-restored.png" # the restored run looks like main-window.png
if command -v identify >/dev/null; then
  for f in "$out"/main-window*.png "$out"/sweep*.png "$out"/lesson.png "$out"/restore.png; do identify "$f"; done
fi
