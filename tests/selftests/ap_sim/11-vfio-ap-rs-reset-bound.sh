#!/bin/sh
# The deliberate differences of vfio_ap_rs's queue reset: a reset that never
# completes ends after the bound (5 s) instead of hanging the driver under its
# locks, is logged, and keeps the queue from guests until it is probed again; and
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
ktap_check "02.0003 is in guest_matrix" [ "$(cat $M/guest_matrix)" = 02.0003 ]

echo "fault 02.0003 reset never" > $SIM/control
read -r t0 _ < /proc/uptime
ktap_check "unassigning the adapter still succeeds" [ "$(write_attr $M/unassign_adapter 2)" = OK ]
read -r t1 _ < /proc/uptime
ktap_diag "unassign_adapter with a never-completing reset took $t0 -> $t1 s"
ktap_check "... within the bound (under 10 s)" [ $(( ${t1%.*} - ${t0%.*} )) -lt 10 ]
ktap_check "the timed-out reset is logged" \
	sh -c "dmesg | grep -q 'vfio_ap_rs: reset of queue 02.0003 not verified within 5000ms'"
write_attr $M/assign_adapter 2 >/dev/null
ktap_check "the queue is kept from the guest afterwards" [ "$(cat $M/guest_matrix)" = .0003 ]

echo "clear faults 02.0003" > $SIM/control
write_attr $M/unassign_adapter 2 >/dev/null
echo 02.0003 > $AP/drivers/vfio_ap/unbind
echo 02.0003 > $AP/drivers/vfio_ap/bind
write_attr $M/assign_adapter 2 >/dev/null
ktap_check "unbound after an unassign and probed again, the queue is passable once more" \
	[ "$(cat $M/guest_matrix)" = 02.0003 ]
echo 1 > $M/remove
restore_masks
ktap_check "vfio_ap_rs unloads" rmmod vfio_ap_rs
ktap_finish
