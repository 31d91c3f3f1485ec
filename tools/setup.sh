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
  qemu-system-misc
  gcc-s390x-linux-gnu libc6-dev-s390x-cross
)

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

if [ ${#missing[@]} -gt 0 ] || [ "${need_update:-0}" = 1 ]; then
  log "installing: ${missing[*]:-(none, index refresh only)}"
  $SUDO apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

# bindgen for the kernel's Rust bindings: installed once into a project-owned root.
BINDGEN_ROOT="${VFIO_AP_RS_TOOLS:-$HOME/.cache/vfio-ap-rs/tools}"
BINDGEN_VERSION=0.73.2
if [ ! -x "$BINDGEN_ROOT/bin/bindgen" ] || ! "$BINDGEN_ROOT/bin/bindgen" --version 2>/dev/null | grep -q "$BINDGEN_VERSION"; then
  log "installing bindgen-cli $BINDGEN_VERSION into $BINDGEN_ROOT"
  LIBCLANG_PATH=/usr/lib/llvm-19/lib cargo install --locked --quiet --root "$BINDGEN_ROOT" \
    bindgen-cli --version "$BINDGEN_VERSION"
fi

log "all build and test dependencies are present"
