#!/bin/sh
# insmod/rmmod of vfio_ap_rs, 50 times, with mdevs created (and assigned) in between
# and left for the unload to remove; kmemleak finds nothing new afterwards.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"
. /tests/lib/kmemleak.sh

ROUNDS=50
ktap_plan 3
load_zcrypt
insmod /modules/mdev.ko 2>/dev/null
grep -q '^vfio_ap ' /proc/modules && rmmod vfio_ap
printf '%s\n' -1 > $AP/apmask
kmemleak_baseline
good=0
r=0
while [ $r -lt $ROUNDS ]; do
	r=$((r + 1))
	insmod /modules/vfio_ap_rs.ko || break
	echo 99999999-0000-0000-0000-000000000001 > $MDEV_TYPE/create
	echo 99999999-0000-0000-0000-000000000002 > $MDEV_TYPE/create
	write_attr $MATRIX/99999999-0000-0000-0000-000000000001/assign_adapter 1 >/dev/null
	write_attr $MATRIX/99999999-0000-0000-0000-000000000001/assign_domain $((r % 16)) >/dev/null
	rmmod vfio_ap_rs || break
	[ ! -e $MATRIX ] && good=$((good + 1))
done
ktap_diag "$good of $ROUNDS rounds loaded, created two mdevs and unloaded cleanly"
ktap_check "$ROUNDS load/create/unload rounds" [ $good = $ROUNDS ]
kmemleak_check "kmemleak finds no new leak after the rounds"
restore_masks
ktap_check "the queues return to zcrypt" wait_for 20 sh -c "[ \$(basename \$(readlink $AP/devices/01.0003/driver)) = cex4queue ]"
ktap_finish
