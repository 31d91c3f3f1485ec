#!/usr/bin/env bash
# Unpacks Debian bookworm's QEMU 7.2 (qemu-system-misc, with the libfdt it needs) into
# build/qemu-7.2 without installing it, beside the QEMU 10 that tests use, and prints a
# command that runs it. Only the emulator comparison (tools/qemu/stress.sh --old-qemu)
# uses it: QEMU 7.2 runs stale code after module reloads (tests/selftests/emulator).
set -euo pipefail

top="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$top/build/qemu-7.2"
run="$dir/qemu-system-s390x"
if [ ! -x "$run" ]; then
  version="$(apt-cache madison qemu-system-misc | awk -F'|' '$2 ~ /7\.2\+dfsg/ && $3 ~ /bookworm\/main/ {gsub(/ /, "", $2); print $2; exit}')"
  data="$(apt-cache madison qemu-system-data | awk -F'|' '$2 ~ /7\.2\+dfsg/ && $3 ~ /bookworm\/main/ {gsub(/ /, "", $2); print $2; exit}')"
  [ -n "$version" ] && [ -n "$data" ] || { echo "old-qemu: no QEMU 7.2 in the apt sources" >&2; exit 1; }
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/debs"
  (cd "$dir.tmp/debs" && apt-get download -q "qemu-system-misc=$version" "qemu-system-data=$data" libfdt1 >&2)
  for deb in "$dir.tmp"/debs/*.deb; do dpkg -x "$deb" "$dir.tmp/root"; done
  cat > "$dir.tmp/qemu-system-s390x" <<'WRAP'
#!/bin/sh
root="$(dirname "$0")/root"
LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu" exec "$root/usr/bin/qemu-system-s390x" -L "$root/usr/share/qemu" "$@"
WRAP
  chmod +x "$dir.tmp/qemu-system-s390x"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
"$run" --version | head -1 >&2
echo "$run"
