#!/bin/sh
# vfio_ap_rs releases everything a guest's interrupts took: 20 times, a guest opens
# the device, enables interrupts on a queue (its NIB page pinned, its subclass
# registered) and closes without disabling them; then the VM goes. A NIB page left
# pinned makes VFIO warn when the container goes, a subclass left registered makes
# KVM warn when the VM goes (the console judge fails on either), and kmemleak must
# find nothing new.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"
. /tests/lib/kmemleak.sh

ROUNDS=20
TRANSCRIPT_OUT=/tmp/guest.cycles
: > $TRANSCRIPT_OUT
ktap_plan 4
if ! [ -f $RS_KO ]; then
	for t in 1 2 3 4; do ktap_skip "aqic cycles ($t)" "vfio_ap_rs.ko is not in the guest image"; done
	ktap_finish
fi
load_zcrypt
unload_vfio_ap_drivers
load_vfio_ap_rs
printf '%s\n' -0 > $AP/apmask
wait_for 30 queues_bound vfio_ap 16
kmemleak_baseline
write_attr $MDEV_TYPE/create $UUID_A > /dev/null
mdev_dir A
write_attr $MDEV_DIR/assign_adapter 0 > /dev/null
write_attr $MDEV_DIR/assign_domain 4 > /dev/null
vmm_start
vmm vm
vmm group A
vmm kvm-add A
ok=0
r=0
while [ $r -lt $ROUNDS ]; do
	: > $TRANSCRIPT_OUT
	vmm open A
	# As a guest does before enabling: TAPQ until the queue is out of the reset
	# zcrypt left it in (AQIC would get 0x02 meanwhile).
	gtapq 00.0004
	vmm aqic 00.0004 on 3 0x80200
	vmm close A
	grep -qx 'vmm open A: ok' $TRANSCRIPT_OUT &&
		grep -q '^vmm aqic 00.0004 on 3 0x80200: ok rc 0x00 ' $TRANSCRIPT_OUT &&
		grep -qx 'vmm close A: ok' $TRANSCRIPT_OUT && ok=$((ok + 1))
	r=$((r + 1))
done
ktap_check "every round enabled interrupts and closed ($ok of $ROUNDS)" [ $ok = $ROUNDS ]
: > $TRANSCRIPT_OUT
irq 00.0004
ktap_check "the last close disabled the queue's interrupts (by its reset)" \
	grep -q '^irq 00.0004: off ' $TRANSCRIPT_OUT
vmm_stop
write_attr $MDEV_DIR/remove 1 > /dev/null
ktap_check "the VMM and the mdev went away" [ ! -d "$MDEV_DIR" ]
kmemleak_check "kmemleak finds no new leak after the rounds"
unload_vfio_ap_drivers
restore_masks
ktap_finish
