#!/bin/sh
# Without ap_sim on the command line the test kernel behaves as one built without
# the simulator: no AP instructions, no AP bus devices, and no KVM (no SIE under TCG).
. /tests/lib/ktap.sh

ktap_plan 4
ktap_check "the bus reports that AP instructions are missing" \
	sh -c 'dmesg | grep -q "The hardware system does not support AP instructions"'
ktap_check "the simulator stays inactive" sh -c '! dmesg | grep -q "simulated AP facility active"'
ktap_check "no ap_sim control files" [ ! -e /sys/kernel/debug/ap_sim ]
ktap_check "KVM stays off: SIE is not available" \
	sh -c 'dmesg | grep -q "SIE is not available" && [ ! -e /dev/kvm ]'
ktap_finish
