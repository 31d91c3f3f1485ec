#!/bin/sh
# Rebinding queues that have no driver when a mask change moves them. Upstream
# decides by the flags of the driver such a queue does not have (reference R1), and
# they stay unbound; the default kernel's bus binds them to a driver of the right
# kind. On the upstream-masks kernel the fix's checks are skipped, with what the C
# path did as the reason, so the difference stays visible in every run.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

ktap_plan 6

# on_fixed_kernel NAME COMMAND...: a check of the fix (default kernel), or a skip
# that records the upstream behaviour (upstream-masks kernel).
on_fixed_kernel() {
	name="$1"
	shift
	if [ "$MASKS" = rust ]; then
		ktap_check "$name" "$@"
	elif "$@"; then
		ktap_skip "$name: upstream C path, and it held this time"
	else
		ktap_skip "$name: upstream C path, which did otherwise (R1)"
	fi
}

# unbound_count PREFIX: sets N to how many queues PREFIX.0000..000f have no driver.
unbound_count() {
	N=0
	for q in $AP/devices/$1.000[0-9a-f]; do
		[ -e "$q/driver" ] || N=$((N + 1))
	done
}
all_bound_to() { # PREFIX DRIVER
	for q in $AP/devices/$1.000[0-9a-f]; do
		[ -e "$AP/drivers/$2/${q##*/}" ] || return 1
	done
}

unload_vfio_ap_drivers
restore_masks
load_zcrypt
insmod /modules/mdev.ko 2>/dev/null
insmod /modules/vfio_ap_rs.ko
settle

# 1. No default driver: every pool queue is unbound. Moving adapter 1 out of the
# pool must give its queues to vfio_ap.
rmmod zcrypt_cex4
wait_for 10 sh -c "[ \$(ls $AP/drivers/cex4queue 2>/dev/null | grep -c '\.') = 0 ]"
unbound_count 01
ktap_check "without zcrypt_cex4, adapter 1's queues are unbound ($N of 16)" [ "$N" = 16 ]
write_attr $AP/apmask -1 > /dev/null
on_fixed_kernel "apmask -1 binds adapter 1's unbound queues to vfio_ap" wait_for 10 all_bound_to 01 vfio_ap
unbound_count 01
ktap_diag "after apmask -1: $N of adapter 1's queues unbound"
write_attr $AP/apmask +1 > /dev/null
insmod /modules/zcrypt_cex4.ko
ktap_check "zcrypt_cex4 takes every pool queue again" settle

# 2. No non-default driver: queues leaving the pool are unbound; moving them back
# must give them to cex4queue. A queue unbound by hand that the change does not
# move stays unbound.
rmmod vfio_ap_rs
write_attr $AP/apmask -1 > /dev/null
wait_for 10 sh -c "[ \$(ls $AP/drivers/cex4queue | grep -c '^01\.') = 0 ]"
write_attr $AP/drivers/cex4queue/unbind 00.0005 > /dev/null
write_attr $AP/apmask +1 > /dev/null
on_fixed_kernel "apmask +1 binds adapter 1's unbound queues to cex4queue" wait_for 10 all_bound_to 01 cex4queue
unbound_count 01
ktap_diag "after apmask +1: $N of adapter 1's queues unbound"
on_fixed_kernel "the queue unbound by hand stays unbound" [ ! -e $AP/devices/00.0005/driver ]
write_attr $AP/drivers/cex4queue/bind 00.0005 > /dev/null
for q in $AP/devices/01.000[0-9a-f]; do
	[ -e "$q/driver" ] || write_attr $AP/drivers/cex4queue/bind "${q##*/}" > /dev/null
done
ktap_check "every queue bound again" settle
ktap_finish
