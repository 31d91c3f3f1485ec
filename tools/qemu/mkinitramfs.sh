#!/usr/bin/env bash
# Builds the guest initramfs: a static s390x busybox, our /init, the kernel modules,
# and the selected KTAP test suites (ours and any extra directories).
#
# Usage: tools/qemu/mkinitramfs.sh SUITE... [--extra DIR...]
#   SUITE  a directory under tests/selftests (its *.sh scripts run in name order)
#   DIR    any directory of KTAP shell scripts, run the same way after our suites
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
cache="${VFIO_AP_RS_CACHE:-$HOME/.cache/vfio-ap-rs}/guest"
out="$top/build/guest"
root="$out/root"

suites=()
extras=()
mode=suite
for a in "$@"; do
  case "$a" in
    --extra) mode=extra ;;
    *) if [ "$mode" = suite ]; then suites+=("$a"); else extras+=("$a"); fi ;;
  esac
done

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

# Modules: the kernel's (reference C drivers and their dependencies) and ours.
for d in "$top/build/kernel/modules" "$top/build/modules"; do
  [ -d "$d" ] && cp "$d"/*.ko "$root/modules/" 2>/dev/null || true
done

# Guest tools.
[ -x "$top/build/guest-bin/apctl" ] && cp "$top/build/guest-bin/apctl" "$root/bin/apctl"

# Tests, in the order they run.
cp -r "$top/tests/selftests/lib" "$root/tests/lib"
install -m 0755 "$top/tests/selftests/run.sh" "$root/tests/run.sh"
: > "$root/tests/order"
add_dir() { # SRC DEST
  [ -d "$1" ] || { echo "mkinitramfs: no test directory $1" >&2; exit 1; }
  mkdir -p "$root/tests/$2"
  cp -r "$1"/. "$root/tests/$2/"
  find "$root/tests/$2" -maxdepth 1 -name '*.sh' -printf '%f\n' | LC_ALL=C sort |
    sed "s|^|$2/|" >> "$root/tests/order"
}
for s in "${suites[@]}"; do add_dir "$top/tests/selftests/$s" "$s"; done
i=0
for e in "${extras[@]}"; do i=$((i + 1)); add_dir "$(cd "$e" && pwd)" "extra$i-$(basename "$e")"; done

(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
  gzip -1 > "$out/initramfs.cpio.gz"
echo "mkinitramfs: $(grep -c . "$root/tests/order") test scripts, $(ls "$root/modules" | wc -l) modules -> ${out#"$top"/}/initramfs.cpio.gz" >&2
