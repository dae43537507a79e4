#!/bin/sh
# Regenerates the README/docs screenshots: bin/conlab-screenshots (tools/screenshots/) starts the
# real main window under Xvfb with fresh settings, runs every backend on a small workload and
# grabs the window (one image per plot tab); then the window at 1280×720
# (main-window-1280x720*.png: nothing may be cut off); a task-us sweep (sweep.png,
# sweep-phases.png) and the tiny-tasks lesson (lesson.png); then the restore bar after a crash
# (restore.png): a run killed right after its autosave (--crash-after-autosave), and a restart
# that offers it; a run file compared with a baseline (compare.png); and a two-parameter map
# in its window (map-window.png).
# usage: tools/screenshots.sh [BUILD_DIR] [OUT_DIR]    (defaults: build, docs/screenshots)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/docs/screenshots}
shots=$build/bin/conlab-screenshots
[ -x "$shots" ] || { echo "screenshots.sh: $shots not found: build first (a GUI build)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run is needed (apt install xvfb)" >&2; exit 2; }
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Fresh settings for every image (removed before each), one calibration cache, the Fusion style
# and a fixed font size: reproducible images. Autosaves go to the scratch folder, never the user's.
shoot() {
  screen=$1
  shift
  rm -rf "$scratch/config"
  XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_DATA_HOME=$scratch/data \
  XDG_RUNTIME_DIR=$scratch QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_FONT_DPI=96 \
    xvfb-run -a -s "-screen 0 ${screen}x24" "$shots" "$@"
}
shoot 1600x1000 run "$out/main-window.png"
# A laptop screen (1280×720): nothing may be cut off (docs/gui.md links it).
shoot 1280x720 run "$out/main-window-1280x720.png" --size 1280x720 --tasks 500
rm -f "$out/main-window-1280x720-timeline.png" # the timeline looks like the large one
shoot 1600x1000 sweep "$out/sweep.png"
shoot 1600x1000 lesson tiny-tasks "$out/lesson.png"
shoot 1600x1000 run "$scratch/crash.png" --tasks 400 --autosave-dir "$scratch/autosave" \
  --crash-after-autosave || true # killed by SIGKILL, as intended
# The restart keeps the crashed session's settings: the restore bar reads what it left.
XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache XDG_DATA_HOME=$scratch/data \
XDG_RUNTIME_DIR=$scratch QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion QT_FONT_DPI=96 \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$shots" restore "$out/restore.png" --autosave-dir "$scratch/autosave"
rm -f "$out/restore-restored.png" # the restored run looks like main-window.png
# File → Compare with baseline…: chunks of 16 against chunks of 1, the pools' ghosted bars.
for chunk in 1 16; do
  XDG_CACHE_HOME=$scratch/cache "$build/bin/conlab" run --backends sequential,thread-pool,process-pool,shm-pool \
    --tasks 20000 --task-us 0 --workers 2 --repeat 5 --interleave --chunksize $chunk --format json \
    --output "$scratch/chunk$chunk.json"
done
shoot 1600x1000 open "$out/compare.png" --open "$scratch/chunk16.json" --baseline "$scratch/chunk1.json"
# A two-parameter map (conlab sweep --param2) opened in the app: its own window.
XDG_CACHE_HOME=$scratch/cache "$build/bin/conlab" sweep --backends sequential,thread-pool,process-pool,shm-pool \
  --param task-us --values 1,10,100,1000 --param2 payload --values 64,64K,1M --messages 1 --tasks 200 \
  --format json --output "$scratch/map.json"
shoot 1600x1000 open "$out/map-window.png" --open "$scratch/map.json"
if command -v identify >/dev/null; then
  for f in "$out"/main-window*.png "$out"/sweep*.png "$out"/lesson.png "$out"/restore.png "$out"/compare.png \
    "$out"/map-window.png; do identify "$f"; done
fi
