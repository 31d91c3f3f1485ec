#!/bin/sh
# The parity scenario (lib.inc) against our vfio_ap_rs.ko in the same boot as the C
# reference (01-c-reference.sh), and its transcript compared with the C one line by
# line, one test per scenario section. Differences listed in parity-allow.txt are
# deliberate and accepted; every other difference, and a missing or incomplete
# driver, fails.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

dir=$(dirname "$0")
run_both parity

n=$(sed -n 's/^== //p' $C_OUT | grep -c .)
ktap_plan $((n + 4))
ktap_diag "C transcript: $(wc -l < $C_OUT) lines; Rust transcript: $(wc -l < $RS_OUT) lines, scenario took $TOOK s"
ktap_check "vfio_ap_rs.ko is in the guest image" [ -f $RS_KO ]
ktap_check "vfio_ap_rs provides the matrix device" grep -qxF 'matrix device: present' $RS_OUT
ktap_check "the Rust scenario ran to its end" grep -qxF '== cleanup' $RS_OUT
compare_sections $C_OUT $RS_OUT "$dir/parity-allow.txt"
ktap_finish
