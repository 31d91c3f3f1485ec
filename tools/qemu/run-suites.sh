#!/usr/bin/env bash
# Runs guest test suites under QEMU TCG. Suites that need the same kernel and kernel
# command line share one boot: a suite directory may hold a file `cmdline` with the
# extra kernel arguments it needs (e.g. `ap_sim` for the simulated AP facility), and
# a file `kernels` naming the kernels it runs on (`default` and variants such as
# `upstream-masks`, see tools/kernel/prepare.sh; without it: `default`), and a file
# `boot` with a label: suites with a label share a boot only with suites of the same
# label (a suite whose aftermath must not reach other suites, or that must start
# from a freshly booted machine). Transcripts that suites print from several
# kernels are compared (transcripts.py).
#
# Usage: tools/qemu/run-suites.sh [--timeout S] [--show-console] DIR...
# Prints one summary per boot and ends with `guest: N passed, M failed, K skipped`.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
timeout=600
show=()
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout="$2"; shift 2 ;;
    --show-console) show=(--show-console); shift ;;
    *) dirs+=("$1"); shift ;;
  esac
done

# A suite may hold host-side generators, *.prepare: they run in a staged copy of
# the suite (with APCTL set to the host apctl), and the copy goes into the image.
stage() { # DIR -> prints the directory to pack
  local d="$1" s p
  if ! compgen -G "$d/*.prepare" >/dev/null; then echo "$d"; return; fi
  s="$top/build/guest/stage/$(basename "$d")"
  rm -rf "$s" && mkdir -p "$(dirname "$s")" && cp -r "$d" "$s"
  for p in "$s"/*.prepare; do
    (cd "$s" && APCTL="$top/target/debug/apctl" "$p") >&2 || return 1
    rm -f "$p"
  done
  echo "$s"
}
(cd "$top" && cargo build -q -p apctl) || exit 1

# A boot is a (kernel, label, command line) triple: "KERNEL|LABEL|CMDLINE".
declare -A boot_dirs
order=()
for d0 in "${dirs[@]}"; do
  d="$(stage "$d0")" || { echo "run-suites: preparing $d0 failed" >&2; exit 1; }
  line=""
  [ -f "$d/cmdline" ] && line="$(tr '\n' ' ' < "$d/cmdline" | sed 's/ *$//')"
  label=""
  [ -f "$d/boot" ] && label="$(tr -d ' \n|' < "$d/boot")"
  kernels=default
  [ -f "$d/kernels" ] && kernels="$(tr '\n' ' ' < "$d/kernels")"
  for k in $kernels; do
    [ -n "${boot_dirs[$k|$label|$line]+x}" ] || order+=("$k|$label|$line")
    boot_dirs[$k|$label|$line]+="$d"$'\n'
  done
done

passed=0 failed=0 skipped=0 n=0 rc=0
logs=()
for boot in "${order[@]}"; do
  n=$((n + 1))
  kernel="${boot%%|*}" rest="${boot#*|}"
  label="${rest%%|*}" line="${rest#*|}"
  image="$top/build/kernel/bzImage"
  [ "$kernel" = default ] || image="$top/build/kernel-$kernel/bzImage"
  mapfile -t ds < <(printf '%s' "${boot_dirs[$boot]}")
  img="$top/build/guest/boot$n.cpio.gz"
  log="$top/build/guest/boot$n.console.log"
  "$here/mkinitramfs.sh" --out "$img" --kernel "$kernel" "${ds[@]}" || { failed=$((failed + 1)); rc=1; continue; }
  echo "boot $n: kernel $kernel${label:+ ($label)}, append '${line}', suites: $(printf '%s ' "${ds[@]##*/}")"
  logs+=("$kernel=$log")
  out="$("$here/run.sh" --timeout "$timeout" --kernel "$image" --initrd "$img" --log "$log" --append "$line" "${show[@]}")"
  [ $? = 0 ] || rc=1
  echo "$out" | sed "s/^/boot $n: /"
  s="$(echo "$out" | grep -E '^guest: [0-9]+ passed' | tail -1)"
  if [ -z "$s" ]; then failed=$((failed + 1)); rc=1; continue; fi
  read -r p f k < <(sed -E 's/^guest: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' <<<"$s")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
done
# Transcripts printed by more than one kernel must agree.
if [ ${#logs[@]} -gt 0 ]; then
  out="$(python3 "$here/transcripts.py" "${logs[@]}")"
  [ $? = 0 ] || rc=1
  [ -n "$out" ] && echo "$out"
  s="$(echo "$out" | grep -E '^transcripts: [0-9]+ passed' | tail -1)"
  read -r p f < <(sed -E 's/^transcripts: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"${s:-transcripts: 0 passed, 1 failed}")
  passed=$((passed + p)); failed=$((failed + f))
fi
if [ $((passed + failed + skipped)) = 0 ]; then
  echo "run-suites: no guest test ran"
  failed=1
  rc=1
fi
echo "guest: $passed passed, $failed failed, $skipped skipped"
exit $rc
