#!/usr/bin/env bash
# The project's test command (make test): host tests, lints, kernel and module
# builds, and the guest suites under QEMU TCG. Every check counts; the last line is
# "N passed, M failed" over all of them, and the exit status is non-zero on any
# failure.
set -uo pipefail

top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
mkdir -p build/logs
passed=0
failed=0
failures=()

# step NAME COMMAND...: one check, its output in build/logs/NAME.log.
step() {
  local name="$1" t0 rc
  shift
  t0=$(date +%s)
  "$@" > "build/logs/$name.log" 2>&1
  rc=$?
  if [ $rc = 0 ]; then
    passed=$((passed + 1))
    printf 'PASS %-22s %4ds\n' "$name" $(( $(date +%s) - t0 ))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'FAIL %-22s %4ds (log: build/logs/%s.log)\n' "$name" $(( $(date +%s) - t0 )) "$name"
    tail -n 30 "build/logs/$name.log" | sed 's/^/    /'
  fi
  return $rc
}

step setup tools/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
# A second run must find everything in place and install nothing.
step setup-idempotent bash -c 'out=$(tools/setup.sh 2>&1); echo "$out"; ! grep -q "setup: install" <<<"$out"'
step kernel-cache-key tools/kernel/test-cache-key.sh

# Host tests: each cargo test counts individually.
t0=$(date +%s)
cargo test --workspace --no-fail-fast > build/logs/host-tests.log 2>&1
rc=$?
read -r hp hf < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1) } } END { print p + 0, f + 0 }' build/logs/host-tests.log)
if [ $rc != 0 ] && [ "$hf" = 0 ]; then hf=1; fi # a build failure counts too
passed=$((passed + hp)); failed=$((failed + hf))
[ "$hf" = 0 ] || failures+=("host-tests")
printf '%s %-22s %4ds (%d passed, %d failed)\n' "$([ "$hf" = 0 ] && echo PASS || echo FAIL)" host-tests $(( $(date +%s) - t0 )) "$hp" "$hf"
[ "$hf" = 0 ] || grep -E '^(test .* FAILED|failures:|---- )' build/logs/host-tests.log | head -20 | sed 's/^/    /'

# Host tests of the tooling itself (Python unittest), counted per test.
t0=$(date +%s)
python3 -m unittest discover -s tests/host -p '*_test.py' > build/logs/tool-tests.log 2>&1
ran=$(sed -nE 's/^Ran ([0-9]+) tests?.*/\1/p' build/logs/tool-tests.log)
bad=$(sed -nE 's/^FAILED \((.*)\)/\1/p' build/logs/tool-tests.log | grep -oE '[0-9]+' | paste -sd+ | bc)
ran=${ran:-0}; bad=${bad:-0}
[ "$ran" -gt 0 ] || bad=1
passed=$((passed + ran - (bad > ran ? ran : bad))); failed=$((failed + bad))
[ "$bad" = 0 ] || failures+=("tool-tests")
printf '%s %-22s %4ds (%d run, %d failed)\n' "$([ "$bad" = 0 ] && echo PASS || echo FAIL)" tool-tests $(( $(date +%s) - t0 )) "$ran" "$bad"

step fmt cargo fmt --all -- --check
step kernel-fmt make -s kernel-fmt
step clippy cargo clippy --workspace --all-targets -- -D warnings
step kernel tools/kernel/prepare.sh && {
  rm -rf build/modules # never boot a module left from an earlier build
  step modules make -s modules
  step modules-clippy make -s clippy
  # The built-in Rust (ap_sim, ap_masks) under the kernel's clippy: rebuild just
  # their objects.
  step builtin-clippy bash -c 'k=$(readlink -f build/kernel/kdir) &&
    rm -f "$k/drivers/s390/crypto/ap_sim/ap_sim.o" "$k/drivers/s390/crypto/ap_masks/ap_masks.o" &&
    out=$(make -s -C "$k" $(source tools/kernel/env.sh && kernel_make_args | tr "\n" " ") CLIPPY=1 \
      drivers/s390/crypto/ap_sim/ap_sim.o drivers/s390/crypto/ap_masks/ap_masks.o 2>&1); rc=$?
    echo "$out"; [ $rc = 0 ] && ! grep -qE "^(warning|error)" <<<"$out"' 
  # No Rust stack frame of ours over 2 KiB, on the debug and the production kernel
  # (16 KiB stacks there): the modules and our built-in Rust in vmlinux.
  step stack-frames make -s stack-frames
  step guest-bin tools/guest-bin.sh
  suites=()
  for s in ${SUITES:-foundation ap_sim kvm vfio_ap_parity vfio_ap_guest vfio_ap_demo vfio_ap_limits ap_bus_masks ap_bus_masks_boot ap_bus_masks_badboot vfio_ap_rs_cycles}; do suites+=("tests/selftests/$s"); done
  # shellcheck disable=SC2206
  extra=(${EXTRA_TESTS:-})
  t0=$(date +%s)
  tools/qemu/run-suites.sh --timeout "${QEMU_TIMEOUT:-1800}" "${suites[@]}" "${extra[@]}" > build/logs/guest.log 2>&1
  line=$(grep -E '^guest: [0-9]+ passed' build/logs/guest.log | tail -1)
  gp=$(sed -E 's/^guest: ([0-9]+) passed.*/\1/' <<<"$line")
  gf=$(sed -E 's/^guest: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
  [ -n "$line" ] || { gp=0; gf=1; }
  passed=$((passed + gp)); failed=$((failed + gf))
  printf '%s %-22s %4ds (%s)\n' "$([ "$gf" = 0 ] && echo PASS || echo FAIL)" guest $(( $(date +%s) - t0 )) "${line:-no result}"
  # A failed check's diagnostics follow its FAIL line, indented.
  [ "$gf" = 0 ] || { failures+=("guest"); grep -E 'FAIL|qemu:|^boot [0-9]+:     #' build/logs/guest.log | head -80 | sed 's/^/    /'; }
}

[ ${#failures[@]} = 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
