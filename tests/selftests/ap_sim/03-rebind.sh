#!/bin/sh
# apmask/aqmask move queues between zcrypt's cex4queue and the C vfio_ap driver, as
# on hardware, and repeated changes for a bounded time leave the kernel quiet (the
# harness fails the run on any kernel report).
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

ktap_plan 6
load_zcrypt
load_vfio_ap
ktap_check "vfio_ap loads on the simulator" grep -q '^vfio_ap ' /proc/modules

printf '%s\n' -1 > $AP/apmask
ktap_check "apmask -1 moves 01.0003 to vfio_ap" wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/01.0003/driver)) = vfio_ap ]"
printf '%s\n' +1 > $AP/apmask
ktap_check "apmask +1 moves it back to cex4queue" wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/01.0003/driver)) = cex4queue ]"
printf '%s\n' -7 > $AP/aqmask
ktap_check "aqmask -7 moves 03.0007 to vfio_ap" wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/03.0007/driver)) = vfio_ap ]"
printf '%s\n' +7 > $AP/aqmask
ktap_check "aqmask +7 moves it back" wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/03.0007/driver)) = cex4queue ]"

# Bounded churn: 10 rounds of adapter and domain moves with both drivers loaded.
ok=1
for round in 1 2 3 4 5 6 7 8 9 10; do
	printf '%s\n' -2 > $AP/apmask && printf '%s\n' -5 > $AP/aqmask && printf '%s\n' +2 > $AP/apmask && printf '%s\n' +5 > $AP/aqmask || ok=0
done
ktap_check "10 rounds of apmask/aqmask changes succeed and end where they began" \
	[ $ok = 1 -a "$(cat $AP/apmask)" = "$full_mask" -a "$(cat $AP/aqmask)" = "$full_mask" ]
ktap_finish
