#!/usr/bin/env bash
# Installs every host package and tool the build and the tests need.
# Idempotent: a second run checks and installs nothing.
set -euo pipefail

log() { printf 'setup: %s\n' "$*" >&2; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

APT_PACKAGES=(
  linux-source-6.12
  rustc-web rust-web-src cargo-web rust-web-clippy rustfmt-web
  clang-19 lld-19 llvm-19 libclang-19-dev
  flex bison bc libelf-dev libssl-dev cpio kmod make python3 patch file gzip
  gcc-s390x-linux-gnu libc6-dev-s390x-cross
)

# QEMU's s390x emulator comes from bookworm-backports (10.0.2): bookworm's 7.2 runs
# stale translated code after guest code is rewritten with MVC/XC/MVCL, which the
# module loader does on every module load (Documentation/testing.rst, "The emulator").
QEMU_PACKAGE=qemu-system-s390x
QEMU_MIN_VERSION=10.0
BACKPORTS_SOURCE=/etc/apt/sources.list.d/vfio-ap-rs-backports.sources
BACKPORTS_PIN=/etc/apt/preferences.d/vfio-ap-rs-backports

# Adds bookworm-backports on the mirror the system's own bookworm source uses, pinned
# so that nothing but what is asked for by name (-t bookworm-backports) comes from it.
add_backports() {
  [ -f "$BACKPORTS_SOURCE" ] && return 0
  local uri
  uri=$(awk '/^URIs:/ {u = $2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' \
    /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || { log "no Debian bookworm apt source found to add bookworm-backports beside"; exit 1; }
  log "adding bookworm-backports (pinned to 100) for $QEMU_PACKAGE"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" | $SUDO tee "$BACKPORTS_SOURCE" >/dev/null
  printf 'Package: *\nPin: release n=bookworm-backports\nPin-Priority: 100\n' \
    | $SUDO tee "$BACKPORTS_PIN" >/dev/null
  need_update=1
}

qemu_is_current() {
  local v
  v=$(dpkg-query -W -f='${Version}' "$QEMU_PACKAGE" 2>/dev/null) || return 1
  dpkg --compare-versions "${v#*:}" ge "$QEMU_MIN_VERSION"
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# s390x userspace for the guest image comes from Debian's s390x archive.
if ! dpkg --print-foreign-architectures | grep -qx s390x; then
  log "enabling the s390x architecture for guest packages"
  $SUDO dpkg --add-architecture s390x
  need_update=1
fi

qemu_is_current || add_backports

if [ ${#missing[@]} -gt 0 ] || [ "${need_update:-0}" = 1 ]; then
  log "installing: ${missing[*]:-(none, index refresh only)}"
  $SUDO apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

if ! qemu_is_current; then
  log "installing $QEMU_PACKAGE from bookworm-backports"
  [ "${need_update:-0}" = 1 ] || $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    -t bookworm-backports "$QEMU_PACKAGE"
  qemu_is_current || { log "$QEMU_PACKAGE >= $QEMU_MIN_VERSION is required"; exit 1; }
fi

# bindgen for the kernel's Rust bindings: installed once into a project-owned root.
BINDGEN_ROOT="${VFIO_AP_RS_CACHE:-$HOME/.cache/vfio-ap-rs}/tools"
BINDGEN_VERSION=0.73.2
if [ ! -x "$BINDGEN_ROOT/bin/bindgen" ] || ! "$BINDGEN_ROOT/bin/bindgen" --version 2>/dev/null | grep -q "$BINDGEN_VERSION"; then
  log "installing bindgen-cli $BINDGEN_VERSION into $BINDGEN_ROOT"
  LIBCLANG_PATH=/usr/lib/llvm-19/lib cargo install --locked --quiet --root "$BINDGEN_ROOT" \
    bindgen-cli --version "$BINDGEN_VERSION"
fi

log "all build and test dependencies are present"
