#!/usr/bin/env bash
# Prints the stable artifact paths that other tools can boot and load.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
k="$top/build/kernel"
[ -f "$k/bzImage" ] || { echo "no kernel yet: run 'make kernel'" >&2; exit 1; }
echo "kernel key   $(cat "$k/key")"
echo "bzImage      $k/bzImage"
echo "vmlinux      $(readlink -f "$k/vmlinux")"
echo "config       $k/config"
echo "kdir         $(readlink -f "$k/kdir")"
for m in "$k"/modules/*.ko "$top"/build/modules/*.ko; do
  [ -f "$m" ] && printf 'module       %s\n' "$m"
done
[ -f "$top/build/guest/initramfs.cpio.gz" ] && echo "initramfs    $top/build/guest/initramfs.cpio.gz"
exit 0
