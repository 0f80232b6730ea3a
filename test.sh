#!/usr/bin/env bash
# Run every test: installs what the tests need when missing (as root on Debian: a JDK, GTK 3,
# docker.io for a private dockerd, docker-registry, busybox-static, skopeo, umoci, openssl, Xvfb),
# then runs the unit, integration (real registry and dockerd) and headless GUI tests with Maven.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

need_packages_for_tests
exec ./mvnw -B -ntp verify "$@"
