#!/usr/bin/env bash
# The reload stress comparison of two emulators. Every boot is the same: the debug
# kernel (KASAN with KASAN_VMALLOC, kmemleak, lockdep) with ap_sim, running
#   - vfio_ap_rs_cycles/02-reload.sh: 50 vfio_ap_rs load/mdev/unload rounds and a
#     kmemleak scan, then
#   - ap_bus_masks/04-rmmod-race.sh: vfio_ap_rs and the C vfio_ap loaded and unloaded
#     while apmask writes race them,
# in one boot (the suites' own files, staged with a shared boot label). Boots
# alternate between the emulators. A boot is clean, a crash (a kernel report or a
# failed check) or a hang (no end of the test runner within the timeout; the vCPUs'
# registers are then read from the QEMU monitor into the console log).
#
# Usage: tools/qemu/stress.sh [--boots N] [--timeout S] [--hang-dump S]
#        [--old-qemu] [--qemu CMD]...
# --old-qemu adds bookworm's QEMU 7.2 (tools/qemu/old-qemu.sh) beside the default
# qemu-system-s390x. Results go to build/stress/: one console log per boot and
# summary.txt (one line per boot, then the counts per emulator).
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
boots=10 timeout=900 hang_dump=480
qemus=(qemu-system-s390x)
while [ $# -gt 0 ]; do
  case "$1" in
    --boots) boots="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --hang-dump) hang_dump="$2"; shift 2 ;;
    --old-qemu) qemus+=("$("$here/old-qemu.sh")") || exit 1; shift ;;
    --qemu) qemus+=("$2"); shift 2 ;;
    *) echo "stress: unknown argument $1" >&2; exit 2 ;;
  esac
done

out="$top/build/stress"
rm -rf "$out" && mkdir -p "$out/suites"
stage_suite() { # SUITE SCRIPT...: a copy of SUITE holding only SCRIPTs
  local s="$1" d="$out/suites/$1"; shift
  cp -r "$top/tests/selftests/$s" "$d"
  find "$d" -maxdepth 1 -name '*.sh' | while read -r f; do
    case " $* " in *" $(basename "$f") "*) ;; *) rm -f "$f" ;; esac
  done
  echo reload_stress > "$d/boot"
  echo default > "$d/kernels"
}
stage_suite vfio_ap_rs_cycles 02-reload.sh
stage_suite ap_bus_masks 04-rmmod-race.sh

summary="$out/summary.txt"
: > "$summary"
declare -A clean crash hang
for ((i = 1; i <= boots * ${#qemus[@]}; i++)); do
  q="${qemus[$(( (i - 1) % ${#qemus[@]} ))]}"
  version="$("$q" --version | head -1 | sed -E 's/.*version ([0-9.]+).*/\1/')"
  sock="$out/monitor.$i.sock"
  # Samples every vCPU (tools/qemu/monitor_samples.py) if the boot is still
  # running after hang_dump s.
  (
    sleep "$hang_dump"
    [ -S "$sock" ] && python3 "$here/monitor_samples.py" "$sock" 10 2 > "$out/boot$i.monitor.txt" 2>&1
  ) &
  watcher=$!
  QEMU="$q" QEMU_MONITOR="$sock" EMULATOR_CHECK=advisory \
    "$here/run-suites.sh" --timeout "$timeout" "$out/suites/vfio_ap_rs_cycles" "$out/suites/ap_bus_masks" \
    > "$out/boot$i.log" 2>&1
  kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
  cp "$top/build/guest/boot1.console.log" "$out/boot$i.console.log"
  # The emulator check's own failures (advisory here) say the emulator runs stale
  # code; they are not a crash of the boot, only every other failure is.
  stale="$(awk '/^# running emulator\//{on = 1; next} on && /^(not )?ok [0-9]+ /{on = 0}
    on && /^    not ok [0-9]+ /{sub(/\r$/, ""); sub(/^    not ok [0-9]+ /, ""); print "boot 1: FAIL not ok: " $0}' "$out/boot$i.console.log")"
  failures="$(grep -E 'kernel report|FAIL' "$out/boot$i.log" | grep -vxF -e "${stale:-no stale code}")"
  if grep -q 'qemu: FAIL: timed out' "$out/boot$i.log"; then
    verdict=hang; hang[$version]=$(( ${hang[$version]:-0} + 1 ))
  elif grep -q '^guest: [0-9]* passed, [0-9]* failed' "$out/boot$i.log" && [ -z "$failures" ]; then
    verdict=clean; clean[$version]=$(( ${clean[$version]:-0} + 1 ))
  else
    verdict=crash; crash[$version]=$(( ${crash[$version]:-0} + 1 ))
  fi
  [ -n "$stale" ] && verdict="$verdict (stale code: the emulator check failed)"
  secs="$(sed -nE 's/^boot 1: qemu: guest ran ([0-9]+) s.*/\1/p; s/^qemu: guest ran ([0-9]+) s.*/\1/p' "$out/boot$i.log" | head -1)"
  echo "boot $i: QEMU $version: $verdict in ${secs:-?} s$(head -1 <<<"$failures" | sed '/./s/^/: /')" | tee -a "$summary"
done
for q in "${qemus[@]}"; do
  v="$("$q" --version | head -1 | sed -E 's/.*version ([0-9.]+).*/\1/')"
  echo "QEMU $v: $boots boots, ${clean[$v]:-0} clean, ${crash[$v]:-0} crashed, ${hang[$v]:-0} hung" | tee -a "$summary"
done
