#!/usr/bin/env bash
# Fails on any Rust stack frame of ours over a limit (default 2048 bytes): s390
# production kernels have 16 KiB stacks, and rustc has no -Wframe-larger-than.
# Reads the prologues in the disassembly: every frame is allocated by one
# `aghi`/`lay`/`agfi %r15,-N` (or `slgfi %r15,N`).
#
# Usage: tools/check-stack-frames.sh [--limit BYTES] [--top N] OBJECT[:CRATES]...
#   OBJECT: a .ko or vmlinux. CRATES: a |-separated list of crate names whose
#   functions count (default: every Rust function in OBJECT). Generic code
#   instantiated for our types counts too: its name mentions the crate.
# Prints the N largest frames of ours (default 5) per object, and every one over the
# limit as FAIL.
set -euo pipefail

limit=2048 top=5 objs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) limit="$2"; shift 2 ;;
    --top) top="$2"; shift 2 ;;
    *) objs+=("$1"); shift ;;
  esac
done
[ ${#objs[@]} -gt 0 ] || { echo "usage: $0 [--limit BYTES] [--top N] OBJECT[:CRATES]..." >&2; exit 2; }

bad=0
for spec in "${objs[@]}"; do
  obj="${spec%%:*}" crates=""
  [ "$spec" = "$obj" ] || crates="${spec#*:}"
  [ -f "$obj" ] || { echo "FAIL $obj: no such file"; bad=1; continue; }
  # FRAME FUNCTION (demangled), for every Rust function (v0 mangling: _R...).
  frames="$(s390x-linux-gnu-objdump -d --no-show-raw-insn "$obj" | awk '
    /^[0-9a-f]+ <.*>:$/ { sub(/^[0-9a-f]+ </, ""); sub(/>:$/, ""); fn = $0; next }
    fn ~ /^_R/ && /%r15/ {
      n = 0
      if (match($0, /(aghi|agfi)[ \t]+%r15,-[0-9]+$/)) { s = substr($0, RSTART, RLENGTH); sub(/.*,-/, "", s); n = s }
      else if (match($0, /lay[ \t]+%r15,-[0-9]+\(%r15\)/)) { s = substr($0, RSTART, RLENGTH); sub(/.*,-/, "", s); sub(/\(.*/, "", s); n = s }
      else if (match($0, /slgfi[ \t]+%r15,[0-9]+$/)) { s = substr($0, RSTART, RLENGTH); sub(/.*,/, "", s); n = s }
      if (n + 0 > 0) { print n, fn; fn = "" }
    }' | s390x-linux-gnu-c++filt --format=rust)"
  if [ -n "$crates" ]; then
    frames="$(printf '%s\n' "$frames" | grep -E "(^| |<|::|&)($crates)(\[[0-9a-f]+\])?::" || true)"
  fi
  count=$(printf '%s\n' "$frames" | grep -c . || true)
  echo "$obj${crates:+ ($crates)}: $count Rust functions; largest frames:"
  printf '%s\n' "$frames" | sort -rn | sed -n "1,${top}s/^/  /p"
  while read -r n fn; do
    [ -n "$n" ] || continue
    if [ "$n" -gt "$limit" ]; then echo "FAIL $n-byte frame (limit $limit) in $fn"; bad=1; fi
  done <<<"$frames"
done
exit $bad
