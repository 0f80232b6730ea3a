# Shared by run.sh and test.sh: install Debian packages that are missing, or say how to.

RUN_PACKAGES=(libgtk-3-0)
TEST_PACKAGES=(libgtk-3-0 docker.io docker-registry busybox-static skopeo umoci openssl xvfb xauth podman conmon runc golang-github-containers-common containerd)

# Any JDK 17+ will do; Debian's default one is installed only when there is no javac at all.
with_jdk() {
  if command -v javac >/dev/null; then echo "$@"; else echo default-jdk-headless "$@"; fi
}

missing_packages() {
  local missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[@]:-}"
}

install_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "gantry: missing $missing and no apt-get here; install the equivalent packages by hand." >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "gantry: missing Debian packages: $missing" >&2
    echo "  install them with: sudo apt-get install -y $missing" >&2
    return 1
  fi
  echo "gantry: installing $missing" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

need_packages_for_run() {
  # A JDK from anywhere will do; GTK is only needed for the window.
  if command -v javac >/dev/null && ldconfig -p 2>/dev/null | grep -q 'libgtk-3.so.0'; then
    return 0
  fi
  if command -v dpkg-query >/dev/null; then
    install_packages $(with_jdk "${RUN_PACKAGES[@]}")
  fi
}

need_packages_for_tests() {
  if command -v dpkg-query >/dev/null; then
    install_packages $(with_jdk "${TEST_PACKAGES[@]}")
  fi
}
