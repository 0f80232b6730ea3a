#!/usr/bin/env bash
# Builds a native Gantry package with the JDK's jpackage, from the jar and libs that
# `./mvnw package` puts in target/. Usage: packaging/jpackage.sh [app-image|deb|rpm|dmg|msi]
# (default app-image). Run it on the OS you package for; jpackage does not cross-build.
set -euo pipefail
cd "$(dirname "$0")/.."
type="${1:-app-image}"
./mvnw -q -B -ntp package -DskipTests
rm -rf target/jpackage-input && mkdir -p target/jpackage-input
cp target/gantry.jar target/jpackage-input/ && cp -r target/lib target/jpackage-input/
extra=()
case "$(uname -s)" in
  Linux*)  icon=packaging/linux/gantry.png
           [ "$type" = app-image ] || extra=(--linux-shortcut --linux-menu-group Development) ;;
  Darwin*) icon=packaging/macos/gantry.icns ;;  # make it as packaging/macos/README.md says
  *)       icon=packaging/windows/gantry.ico
           [ "$type" = app-image ] || extra=(--win-menu --win-shortcut) ;;
esac
jpackage --type "$type" --name Gantry --app-version 0.1.0 \
  --vendor "Gantry" --description "Desktop container image manager" \
  --input target/jpackage-input --main-jar gantry.jar --main-class io.gantry.app.Main \
  --icon "$icon" --dest target/dist ${extra[@]+"${extra[@]}"}
echo "packaged into target/dist"
