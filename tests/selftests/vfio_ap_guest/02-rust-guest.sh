#!/bin/sh
# The guest scenario (lib.inc) against our vfio_ap_rs.ko in the same boot as the C
# reference (01-c-reference.sh), its transcript compared with the C one line by
# line, one test per section. Differences listed in guest-allow.txt are deliberate
# and accepted; every other difference fails.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

dir=$(dirname "$0")
run_both guest

n=$(sed -n 's/^== //p' $C_OUT | grep -c .)
ktap_plan $((n + 4))
ktap_diag "C transcript: $(wc -l < $C_OUT) lines; Rust transcript: $(wc -l < $RS_OUT) lines, scenario took $TOOK s"
sed 's/^/# /' $RS_OUT
ktap_check "vfio_ap_rs.ko is in the guest image" [ -f $RS_KO ]
ktap_check "the Rust scenario ran to its end" grep -qxF '== cleanup' $RS_OUT
ktap_check "every lost queue left the guest's APCB before it was reset" pushes_precede_resets $RS_OUT
compare_sections $C_OUT $RS_OUT "$dir/guest-allow.txt"
ktap_finish
