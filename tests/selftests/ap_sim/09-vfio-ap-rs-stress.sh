#!/bin/sh
# Concurrency under lockdep (the harness fails the run on any kernel report): rounds
# of concurrent assign/unassign on four mdevs, apmask/aqmask writes, mdev
# create/remove and queue unbind/bind against vfio_ap_rs; after every round no
# APQN is assigned twice and no assigned APQN is in the default pool.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

ROUNDS=3
ktap_plan 3
load_zcrypt
load_vfio_ap_rs
printf '%s\n' -0,-1 > $AP/apmask
printf '%s\n' -8-15 > $AP/aqmask
wait_for 20 sh -c "[ \$(basename \$(readlink $AP/devices/01.000f/driver)) = vfio_ap ]"
for i in 1 2 3 4; do echo "5555555$i-0000-0000-0000-000000000000" > $MDEV_TYPE/create; done

# mdev_worker N ROUND: assignments that conflict with each other and with the pool.
mdev_worker() {
	m=$MATRIX/5555555$1-0000-0000-0000-000000000000
	for k in 1 2 3 4; do
		d=$(( (k * $1 + $2) % 16 ))
		write_attr $m/assign_adapter $(( (k + $1) % 3 )) >/dev/null
		write_attr $m/assign_domain $d >/dev/null
		write_attr $m/assign_control_domain $d >/dev/null
		write_attr $m/unassign_domain $(( (d + 5) % 16 )) >/dev/null
		[ $((k % 3)) = 0 ] && write_attr $m/unassign_adapter $(( k % 3 )) >/dev/null
		[ $((k % 4)) = 0 ] && write_attr $m/ap_config ',,' >/dev/null
	done
}
mask_worker() {
	for k in 1 2 3; do
		write_attr $AP/apmask +2 >/dev/null; write_attr $AP/aqmask +9 >/dev/null
		write_attr $AP/apmask -2 >/dev/null; write_attr $AP/aqmask -9 >/dev/null
		write_attr $AP/apmask +1 >/dev/null; write_attr $AP/apmask -1 >/dev/null
	done
}
create_worker() {
	for k in 1 2 3; do
		echo 66666666-0000-0000-0000-00000000000$k > $MDEV_TYPE/create 2>/dev/null
		write_attr $MATRIX/66666666-0000-0000-0000-00000000000$k/assign_domain 10 >/dev/null 2>&1
		write_attr $MATRIX/66666666-0000-0000-0000-00000000000$k/assign_adapter 1 >/dev/null 2>&1
		echo 1 > $MATRIX/66666666-0000-0000-0000-00000000000$k/remove 2>/dev/null
	done
}
bind_worker() {
	for k in 1 2 3; do
		echo 00.000a > $AP/drivers/vfio_ap/unbind 2>/dev/null
		echo 00.000a > $AP/drivers/vfio_ap/bind 2>/dev/null
	done
}

clean=1
for r in $(seq $ROUNDS); do
	mdev_worker 1 $r & mdev_worker 2 $r & mdev_worker 3 $r & mdev_worker 4 $r &
	mask_worker & create_worker & bind_worker &
	wait
	check_invariants || { clean=0; echo "# round $r broke an invariant"; }
done
ktap_check "$ROUNDS rounds of concurrent changes keep both invariants after every round" [ $clean = 1 ]
ktap_check "every mdev still reads a well-formed matrix" \
	sh -c "! cat $MATRIX/*-*-*-*-*/matrix | grep -vE '^([0-9a-f]{2}\.[0-9a-f]{4}|[0-9a-f]{2}\.|\.[0-9a-f]{4})$'"
for i in 1 2 3 4; do echo 1 > $MATRIX/5555555$i-0000-0000-0000-000000000000/remove; done
restore_masks
ktap_check "vfio_ap_rs unloads after the stress" rmmod vfio_ap_rs
ktap_finish
