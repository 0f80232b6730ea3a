#!/usr/bin/env bash
# Builds a native Gantry package with the JDK's jpackage, from the jar and libs that
# `./mvnw package` puts in target/. Usage: packaging/jpackage.sh [app-image|deb|rpm|dmg|msi]
# (default app-image). Run it on the OS you package for; jpackage does not cross-build.
#
# The app image gets the launcher's JVM options (serial GC, the window's young generation and later
# C2, see ./gantry) and a class-data archive (AppCDS) recorded by a training run of the image
# itself: the window when there is a display (or xvfb-run), closing once it has listed an empty
# store (GANTRY_TRAINING_RUN=1), else a CLI command. Its runtime is linked with a base CDS archive
# (--generate-cds-archive, which needs the runtime's bin/java, so native commands are kept), which
# the recorded one extends. The installers are then made from that image.
set -euo pipefail
cd "$(dirname "$0")/.."
type="${1:-app-image}"
./mvnw -q -B -ntp package -DskipTests
rm -rf target/jpackage-input target/dist && mkdir -p target/jpackage-input
cp target/gantry.jar target/jpackage-input/ && cp -r target/lib target/jpackage-input/
extra=()
case "$(uname -s)" in
  Linux*)  os=linux; icon=packaging/linux/gantry.png
           extra=(--linux-shortcut --linux-menu-group Development) ;;
  Darwin*) os=mac; icon=packaging/macos/gantry.icns ;;  # make it as packaging/macos/README.md says
  *)       os=windows; icon=packaging/windows/gantry.ico
           extra=(--win-menu --win-shortcut) ;;
esac
# The JVM options ./gantry uses, from the one file both read (the `gui:` ones too: the app image's
# one launcher runs the window and the CLI).
java_options=""
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%#*}"; line="${line#gui:}"
  line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
  if [ -n "$line" ]; then java_options+="${java_options:+ }$line"; fi
done < packaging/jvm-options
jpackage --type app-image --name Gantry --app-version 0.1.0 \
  --vendor "Gantry" --description "Desktop container image manager" \
  --input target/jpackage-input --main-jar gantry.jar --main-class io.gantry.app.Main \
  --java-options "$java_options" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files --generate-cds-archive" \
  --icon "$icon" --dest target/dist

case "$os" in
  linux)   image=target/dist/Gantry; launcher=$image/bin/Gantry; app=$image/lib/app ;;
  mac)     image=target/dist/Gantry.app; launcher=$image/Contents/MacOS/Gantry; app=$image/Contents/app ;;
  windows) image=target/dist/Gantry; launcher=$image/Gantry.exe; app=$image/app ;;
esac
training_home="$(mktemp -d)"
record=(env GANTRY_HOME="$training_home" GANTRY_TRAINING_RUN=1 JAVA_TOOL_OPTIONS="-XX:ArchiveClassesAtExit=$app/gantry.jsa")
if [ "$os" != linux ] || [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "${record[@]}" "$launcher" >/dev/null 2>&1 || true
elif command -v xvfb-run >/dev/null; then
  "${record[@]}" xvfb-run -a "$launcher" >/dev/null 2>&1 || true
fi
if [ ! -s "$app/gantry.jsa" ]; then  # no display here: the CLI's classes at least
  "${record[@]}" "$launcher" images --store "$training_home/store" >/dev/null 2>&1 || true
fi
rm -rf "$training_home"
if [ -s "$app/gantry.jsa" ]; then
  # the launcher expands $APPDIR; -Xshare:auto runs without the archive if it ever does not fit
  printf 'java-options=-XX:SharedArchiveFile=$APPDIR/gantry.jsa\njava-options=-Xshare:auto\njava-options=-Xlog:cds=off\njava-options=-Xlog:cds+dynamic=off\n' \
    >> "$app/Gantry.cfg"
  echo "class-data archive recorded: $app/gantry.jsa"
else
  echo "warning: no class-data archive recorded; the package starts without one" >&2
fi

if [ "$type" != app-image ]; then
  jpackage --type "$type" --name Gantry --app-version 0.1.0 \
    --vendor "Gantry" --description "Desktop container image manager" \
    --app-image "$image" --icon "$icon" --dest target/dist ${extra[@]+"${extra[@]}"}
fi
echo "packaged into target/dist"
