#!/bin/sh
# The reference C vfio_ap on the simulator: an mdev, assignments, matrix and
# guest_matrix, and a default-pool reservation refused with EBUSY naming the mdev.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

UUID=11111111-2222-3333-4444-555555555555
ktap_plan 9
load_zcrypt
load_vfio_ap

printf '%s\n' -0 > $AP/apmask
wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/00.0004/driver)) = vfio_ap ]"
ktap_check "features" [ "$(cat $MATRIX/features)" = "guest_matrix hotplug ap_config" ]
echo $UUID > $MDEV_TYPE/create
ktap_check "an mdev of type vfio_ap-passthrough is created" [ -d $MATRIX/$UUID ]
M=$MATRIX/$UUID
ktap_check "assign adapter 0, domain 4, control domain 4" \
	[ "$(write_attr $M/assign_adapter 0) $(write_attr $M/assign_domain 4) $(write_attr $M/assign_control_domain 4)" = "OK OK OK" ]
ktap_check "matrix reads 00.0004" [ "$(cat $M/matrix)" = "00.0004" ]
ktap_check "guest_matrix reads 00.0004 (queue bound to vfio_ap)" [ "$(cat $M/guest_matrix)" = "00.0004" ]
ktap_check "control_domains reads 0004" [ "$(cat $M/control_domains)" = "0004" ]
ktap_check "assigning a pool adapter fails with EADDRNOTAVAIL" [ "$(write_attr $M/assign_adapter 1)" = EADDRNOTAVAIL ]
ktap_check "reserving adapter 0 for zcrypt fails with EBUSY" [ "$(write_attr $AP/apmask +0)" = EBUSY ]
ktap_check "the log names the mdev and the APQN" \
	sh -c "dmesg | grep -q 'vfio_ap_mdev $UUID: Can not reserve queue 00.0004 for host driver: in use by mdev'"
echo 1 > $M/remove
restore_masks
ktap_finish
