#!/usr/bin/env bash
# The scripted screenshot walk (io.gantry.ui.ScreenshotWalk): starts a private dockerd and registry
# with the demo images, drives the window headless (Monocle) through search, pull, details, layers,
# family tree, containers, prune, delete, Copy to, and writes PNGs in light and dark theme at
# 1440x900, 1200x720 and 900x600 to OUTPUT_DIR (default target/screenshots). See docs/screenshots.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/screenshots}"
exec ./mvnw -B -ntp -q test-compile exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=io.gantry.ui.ScreenshotWalk -Dexec.args="$out"
