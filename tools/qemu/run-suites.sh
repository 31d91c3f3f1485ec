#!/usr/bin/env bash
# Runs guest test suites under QEMU TCG. Suites that need the same kernel command
# line share one boot: a suite directory may hold a file `cmdline` with the extra
# kernel arguments it needs (e.g. `ap_sim` for the simulated AP facility).
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

declare -A boot_dirs
order=()
for d0 in "${dirs[@]}"; do
  d="$(stage "$d0")" || { echo "run-suites: preparing $d0 failed" >&2; exit 1; }
  line=""
  [ -f "$d/cmdline" ] && line="$(tr '\n' ' ' < "$d/cmdline" | sed 's/ *$//')"
  # Keys carry a prefix: bash refuses an empty subscript.
  [ -n "${boot_dirs[k$line]+x}" ] || order+=("$line")
  boot_dirs[k$line]+="$d"$'\n'
done

passed=0 failed=0 skipped=0 n=0 rc=0
for line in "${order[@]}"; do
  n=$((n + 1))
  mapfile -t ds < <(printf '%s' "${boot_dirs[k$line]}")
  img="$top/build/guest/boot$n.cpio.gz"
  log="$top/build/guest/boot$n.console.log"
  "$here/mkinitramfs.sh" --out "$img" "${ds[@]}" || { failed=$((failed + 1)); rc=1; continue; }
  echo "boot $n: append '${line}', suites: $(printf '%s ' "${ds[@]##*/}")"
  out="$("$here/run.sh" --timeout "$timeout" --initrd "$img" --log "$log" --append "$line" "${show[@]}")"
  [ $? = 0 ] || rc=1
  echo "$out" | sed "s/^/boot $n: /"
  s="$(echo "$out" | grep -E '^guest: [0-9]+ passed' | tail -1)"
  if [ -z "$s" ]; then failed=$((failed + 1)); rc=1; continue; fi
  read -r p f k < <(sed -E 's/^guest: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' <<<"$s")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
done
if [ $((passed + failed + skipped)) = 0 ]; then
  echo "run-suites: no guest test ran"
  failed=1
  rc=1
fi
echo "guest: $passed passed, $failed failed, $skipped skipped"
exit $rc
