#!/usr/bin/env bash
# Builds a guest initramfs: a static s390x busybox, our /init, the kernel modules,
# apctl, and the given directories of KTAP test scripts (each directory's *.sh run
# in name order, directories in the order given).
#
# Usage: tools/qemu/mkinitramfs.sh [--out FILE] [--kernel VARIANT] DIR...
#   VARIANT: default (build/kernel, build/modules) or a kernel variant NAME
#   (build/kernel-NAME, build/modules-NAME); the guest finds it in /tests/kernel.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
cache="${VFIO_AP_RS_CACHE:-$HOME/.cache/vfio-ap-rs}/guest"
out="$top/build/guest/initramfs.cpio.gz"
dirs=()
variant=default
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --kernel) variant="$2"; shift 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
root="$(dirname "$out")/root.$(basename "$out" .cpio.gz)"

# Debian's static s390x busybox, fetched once.
busybox="$cache/busybox/bin/busybox"
if [ ! -x "$busybox" ]; then
  mkdir -p "$cache/deb"
  (cd "$cache/deb" && apt-get download -q busybox-static:s390x >/dev/null 2>&1) || {
    echo "mkinitramfs: cannot download busybox-static:s390x (run tools/setup.sh)" >&2; exit 1; }
  dpkg -x "$cache"/deb/busybox-static_*_s390x.deb "$cache/busybox"
fi

rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,modules,tests}
cp "$busybox" "$root/bin/busybox"
install -m 0755 "$here/init.sh" "$root/init"

# Modules: the kernel's (reference C drivers and their dependencies) and ours, both
# built for the kernel variant booted.
suffix=""
[ "$variant" = default ] || suffix="-$variant"
[ -d "$top/build/kernel$suffix/modules" ] || { echo "mkinitramfs: no kernel variant $variant (build/kernel$suffix)" >&2; exit 1; }
for d in "$top/build/kernel$suffix/modules" "$top/build/modules$suffix"; do
  [ -d "$d" ] && cp "$d"/*.ko "$root/modules/" 2>/dev/null || true
done

# Debian's s390x lszcrypt (s390-tools), the real admin client, fetched once; it needs
# only the C library, which the s390x cross libc package provides.
lszcrypt="$cache/s390-tools/sbin/lszcrypt"
if [ ! -x "$lszcrypt" ]; then
  mkdir -p "$cache/deb"
  (cd "$cache/deb" && apt-get download -q s390-tools:s390x >/dev/null 2>&1) &&
    dpkg -x "$cache"/deb/s390-tools_*_s390x.deb "$cache/s390-tools" ||
    echo "mkinitramfs: s390-tools:s390x unavailable; the guest has no lszcrypt" >&2
fi
if [ -x "$lszcrypt" ]; then
  mkdir -p "$root/lib/s390x-linux-gnu"
  cp "$lszcrypt" "$root/bin/lszcrypt"
  cp /usr/s390x-linux-gnu/lib/ld64.so.1 "$root/lib/ld64.so.1"
  cp /usr/s390x-linux-gnu/lib/libc.so.6 "$root/lib/s390x-linux-gnu/libc.so.6"
fi

# Guest tools (apctl, the emulator check).
for b in "$top"/build/guest-bin/*; do [ -x "$b" ] && cp "$b" "$root/bin/"; done

# Tests, in the order they run.
cp -r "$top/tests/selftests/lib" "$root/tests/lib"
echo "$variant" > "$root/tests/kernel"
# EMULATOR_CHECK=advisory (tools/qemu/stress.sh only): an incoherent emulator does not
# end the boot, so that crash counts can be compared across emulators.
[ "${EMULATOR_CHECK:-}" = advisory ] && : > "$root/tests/emulator-check-advisory"
install -m 0755 "$top/tests/selftests/run.sh" "$root/tests/run.sh"
: > "$root/tests/order"
# Every boot checks the emulator first (tests/selftests/emulator).
for d in "$top/tests/selftests/emulator" "${dirs[@]}"; do
  [ -d "$d" ] || { echo "mkinitramfs: no test directory $d" >&2; exit 1; }
  name="$(basename "$d")"
  [ -e "$root/tests/$name" ] && name="$name-$(echo "$d" | cksum | cut -c1-6)"
  mkdir -p "$root/tests/$name"
  cp -rL "$d"/. "$root/tests/$name/" # -L: a suite may share a file by symlink
  find "$root/tests/$name" -maxdepth 1 -name '*.sh' -printf '%f\n' | LC_ALL=C sort |
    sed "s|^|$name/|" >> "$root/tests/order"
done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
  gzip -1 > "$out"
echo "mkinitramfs: $(grep -c . "$root/tests/order") test scripts, $(ls "$root/modules" | wc -l) modules -> ${out#"$top"/}" >&2
