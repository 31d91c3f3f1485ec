#!/bin/sh
# The parity scenario (lib.inc) against our vfio_ap_rs.ko in the same boot as the C
# reference (01-c-reference.sh), and its transcript compared with the C one line by
# line, one test per scenario section. Differences listed in parity-allow.txt are
# deliberate and accepted; every other difference, and a missing or incomplete
# driver, fails.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

dir=$(dirname "$0")
C_OUT=/tmp/parity.vfio_ap
RS_OUT=/tmp/parity.vfio_ap_rs
RS_KO=/modules/vfio_ap_rs.ko

[ -s $C_OUT ] || run_scenario /modules/vfio_ap.ko $C_OUT > /tmp/parity.vfio_ap.log 2>&1
: > $RS_OUT
start=$(date +%s)
[ -f $RS_KO ] && run_scenario $RS_KO $RS_OUT > /tmp/parity.vfio_ap_rs.log 2>&1
took=$(($(date +%s) - start))

allow_normalise "$dir/parity-allow.txt" c $C_OUT > /tmp/parity.c.norm
allow_normalise "$dir/parity-allow.txt" rust $RS_OUT > /tmp/parity.rs.norm
sections=$(sed -n 's/^== //p' $C_OUT)
n=$(printf '%s\n' "$sections" | grep -c .)
ktap_plan $((n + 4))
ktap_diag "C transcript: $(wc -l < $C_OUT) lines; Rust transcript: $(wc -l < $RS_OUT) lines, scenario took $took s"
ktap_check "vfio_ap_rs.ko is in the guest image" [ -f $RS_KO ]
ktap_check "vfio_ap_rs provides the matrix device" grep -qxF 'matrix device: present' $RS_OUT
ktap_check "the Rust scenario ran to its end" grep -qxF '== cleanup' $RS_OUT
for s in $sections; do
	section_lines "$s" /tmp/parity.c.norm > /tmp/parity.c.sec
	section_lines "$s" /tmp/parity.rs.norm > /tmp/parity.rs.sec
	if ! grep -qxF "== $s" /tmp/parity.rs.norm; then
		ktap_fail "section $s: matches the C transcript"
		ktap_diag "  section $s is missing from the Rust transcript"
	elif compare_lines /tmp/parity.c.sec /tmp/parity.rs.sec > /tmp/parity.diff; then
		ktap_ok "section $s: matches the C transcript"
	else
		ktap_fail "section $s: matches the C transcript"
		cat /tmp/parity.diff
	fi
done
extra=$(sed -n 's/^== //p' /tmp/parity.rs.norm | grep -vxF "$sections")
[ -z "$extra" ] || ktap_diag "sections only in the Rust transcript: $extra"
ktap_check "no section is only in the Rust transcript" [ -z "$extra" ]
ktap_finish
