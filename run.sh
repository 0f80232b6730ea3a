#!/usr/bin/env bash
# Run Gantry: builds it when needed and opens the window on the embedded store (plus any
# Docker-compatible engine it finds). On a fresh Debian machine, run as root once to install a
# JDK and GTK 3 when they are missing. Arguments go to the app, e.g. ./run.sh images (the CLI).
# Both go through ./gantry, which starts the JVM with a class-data-sharing archive (see there).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

need_packages_for_run
exec ./gantry "$@"
