#!/usr/bin/env bash
# Boots the test kernel with the guest initramfs under QEMU TCG, captures the console
# and judges the run (tools/qemu/console_report.py).
#
# Usage: tools/qemu/run.sh [--timeout SECONDS] [--append "KERNEL ARGS"] [--show-console]
#        [--kernel IMAGE] [--initrd CPIO] [--log FILE]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
timeout=600
append=""
show=0
kernel="$top/build/kernel/bzImage"
initrd="$top/build/guest/initramfs.cpio.gz"
log="$top/build/guest/console.log"
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout="$2"; shift 2 ;;
    --append) append="$2"; shift 2 ;;
    --show-console) show=1; shift ;;
    --kernel) kernel="$2"; shift 2 ;;
    --initrd) initrd="$2"; shift 2 ;;
    --log) log="$2"; shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# QEMU_MONITOR=SOCKET: the QEMU monitor listens there (tools/qemu/stress.sh reads the
# vCPUs' registers from it when a boot hangs).
monitor=()
[ -n "${QEMU_MONITOR:-}" ] && monitor=(-monitor "unix:$QEMU_MONITOR,server,nowait")
mkdir -p "$(dirname "$log")"
start=$(date +%s)
set +e
if [ "$show" = 1 ]; then
  timeout --foreground -k 5 "$timeout" "${QEMU:-qemu-system-s390x}" ${QEMU_ARGS:-} -M s390-ccw-virtio -cpu max -smp 2 -m 2048 "${monitor[@]}" \
    -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttysclp0 panic=-1 loglevel=7 $append" </dev/null 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
else
  timeout -k 5 "$timeout" "${QEMU:-qemu-system-s390x}" ${QEMU_ARGS:-} -M s390-ccw-virtio -cpu max -smp 2 -m 2048 "${monitor[@]}" \
    -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttysclp0 panic=-1 loglevel=7 $append" </dev/null > "$log" 2>&1
  rc=$?
fi
set -e
echo "qemu: guest ran $(( $(date +%s) - start )) s (exit $rc); console in ${log#"$top"/}" >&2
[ "$rc" = 124 ] && echo "qemu: FAIL: timed out after ${timeout} s" >&2
python3 "$here/console_report.py" "$log"
