#!/bin/sh
# The deliberate differences of vfio_ap_rs's queue reset: resets that never
# complete end after the bound (5 s, the queues of one unplug reset in parallel)
# instead of hanging the driver under its locks, are logged, and keep the queues
# from guests until they are probed again; and
# a queue unbound after its adapter was unassigned leaves nothing behind that
# points at the mdev (no stale link: the harness fails the run on any KASAN report).
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

UUID=aaaaaaaa-0000-0000-0000-000000000000
ktap_plan 7
load_zcrypt
load_vfio_ap_rs
printf '%s\n' -2 > $AP/apmask
wait_for 20 sh -c "[ \$(basename \$(readlink $AP/devices/02.0003/driver)) = vfio_ap ]"
echo $UUID > $MDEV_TYPE/create
M=$MATRIX/$UUID
write_attr $M/assign_adapter 2 >/dev/null
write_attr $M/assign_domain 3 >/dev/null
write_attr $M/assign_domain 4 >/dev/null
ktap_check "02.0003 and 02.0004 are in guest_matrix" [ "$(cat $M/guest_matrix)" = "02.0003
02.0004" ]

echo "fault 02.0003 reset never" > $SIM/control
echo "fault 02.0004 reset never" > $SIM/control
read -r t0 _ < /proc/uptime
ktap_check "unassigning the adapter still succeeds" [ "$(write_attr $M/unassign_adapter 2)" = OK ]
read -r t1 _ < /proc/uptime
ktap_diag "unassign_adapter with a never-completing reset took $t0 -> $t1 s"
ktap_check "... within one bound for both queues (under 9 s; one after the other is 10 s)" \
	[ $(( ${t1%.*} - ${t0%.*} )) -lt 9 ]
ktap_check "both timed-out resets are logged" \
	sh -c "dmesg | grep -q 'vfio_ap_rs: reset of queue 02.0003 not verified within 5000ms' &&
		dmesg | grep -q 'vfio_ap_rs: reset of queue 02.0004 not verified within 5000ms'"
write_attr $M/assign_adapter 2 >/dev/null
ktap_check "the queues are kept from the guest afterwards" [ "$(cat $M/guest_matrix)" = ".0003
.0004" ]

echo "clear faults 02.0003" > $SIM/control
echo "clear faults 02.0004" > $SIM/control
write_attr $M/unassign_adapter 2 >/dev/null
for q in 02.0003 02.0004; do
	echo $q > $AP/drivers/vfio_ap/unbind
	echo $q > $AP/drivers/vfio_ap/bind
done
write_attr $M/assign_adapter 2 >/dev/null
ktap_check "unbound after an unassign and probed again, the queues are passable once more" \
	[ "$(cat $M/guest_matrix)" = "02.0003
02.0004" ]
echo 1 > $M/remove
restore_masks
ktap_check "vfio_ap_rs unloads" rmmod vfio_ap_rs
ktap_finish
