#!/bin/sh
# Our Rust vfio_ap_rs on the simulator: it refuses to load beside the C vfio_ap,
# then replaces it with the same sysfs layout, errnos and log lines; an mdev, its
# assignments, matrix views, queue status, a refused reservation, a configuration
# change, and unloading with an mdev present.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

UUID=33333333-4444-5555-6666-777777777777
UUID2=44444444-5555-6666-7777-888888888888
ktap_plan 30
load_zcrypt
load_vfio_ap

out=$(insmod /modules/vfio_ap_rs.ko 2>&1)
ktap_check "vfio_ap_rs refuses to load while the C vfio_ap is loaded" [ $? -ne 0 ]
ktap_diag "insmod: $out"
ktap_check "... saying why" sh -c "dmesg | grep -q 'vfio_ap_rs: an AP driver named vfio_ap is registered already'"
rmmod vfio_ap
ktap_check "vfio_ap_rs loads once the C vfio_ap is gone" insmod /modules/vfio_ap_rs.ko
ktap_check "the matrix device exists, bound to driver vfio_ap on bus matrix" \
	[ "$(basename "$(readlink $MATRIX/driver)")" = vfio_ap -a -d /sys/bus/matrix/devices/matrix ]
ktap_check "features" [ "$(cat $MATRIX/features)" = "guest_matrix hotplug ap_config" ]
ktap_check "type name" [ "$(cat $MDEV_TYPE/name)" = "VFIO AP Passthrough Device" ]
ktap_check "type device_api" [ "$(cat $MDEV_TYPE/device_api)" = "vfio-ap" ]
ktap_check "available_instances 65536" [ "$(cat $MDEV_TYPE/available_instances)" = 65536 ]

printf '%s\n' -0 > $AP/apmask
ktap_check "queue 00.0004 goes to the Rust vfio_ap" wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/00.0004/driver)) = vfio_ap ]"
ktap_check "an unassigned queue's status reads unassigned" [ "$(cat $AP/devices/00.0004/status)" = unassigned ]

echo $UUID > $MDEV_TYPE/create
M=$MATRIX/$UUID
ktap_check "an mdev is created" [ -d $M ]
ktap_check "available_instances counts it" [ "$(cat $MDEV_TYPE/available_instances)" = 65535 ]
ktap_check "assign adapter 0, domain 4, control domain 4" \
	[ "$(write_attr $M/assign_adapter 0) $(write_attr $M/assign_domain 4) $(write_attr $M/assign_control_domain 4)" = "OK OK OK" ]
ktap_check "matrix reads 00.0004" [ "$(cat $M/matrix)" = "00.0004" ]
ktap_check "guest_matrix reads 00.0004 (queue bound)" [ "$(cat $M/guest_matrix)" = "00.0004" ]
ktap_check "control_domains reads 0004" [ "$(cat $M/control_domains)" = "0004" ]
z=0000000000000000
ktap_check "ap_config reads the three masks" \
	[ "$(cat $M/ap_config)" = "0x8000000000000000$z$z$z,0x0800000000000000$z$z$z,0x0800000000000000$z$z$z" ]
ktap_check "the queue's status reads assigned" [ "$(cat $AP/devices/00.0004/status)" = assigned ]
ktap_check "bad input: EINVAL, ENODEV above the maximum, ERANGE on overflow" \
	[ "$(write_attr $M/assign_adapter abc) $(write_attr $M/assign_domain 256) $(write_attr $M/assign_adapter 99999999999999999999999)" = "EINVAL ENODEV ERANGE" ]
ktap_check "assigning a pool adapter fails with EADDRNOTAVAIL" [ "$(write_attr $M/assign_adapter 1)" = EADDRNOTAVAIL ]

echo $UUID2 > $MDEV_TYPE/create
M2=$MATRIX/$UUID2
write_attr $M2/assign_domain 4 >/dev/null
ktap_check "a queue another mdev holds: EADDRINUSE" [ "$(write_attr $M2/assign_adapter 0)" = EADDRINUSE ]
ktap_check "the log names the holder" \
	sh -c "dmesg | grep -q 'vfio_ap_mdev $UUID2: Userspace may not assign queue 00.0004 to mdev: already assigned to $UUID'"
ktap_check "a bad ap_config write (two tokens) is EINVAL and changes nothing" \
	[ "$(write_attr $M2/ap_config '0x0,0x0')" = EINVAL -a "$(cat $M2/matrix)" = .0004 ]
echo 1 > $M2/remove

ktap_check "reserving adapter 0 for zcrypt fails with EBUSY" [ "$(write_attr $AP/apmask +0)" = EBUSY ]
ktap_check "the log names the mdev and the APQN" \
	sh -c "dmesg | grep -q 'vfio_ap_mdev $UUID: Can not reserve queue 00.0004 for host driver: in use by mdev'"

echo "remove card 0" > $SIM/control
ktap_check "an adapter leaving the configuration leaves guest_matrix" \
	wait_for 20 sh -c "[ \"\$(cat $M/guest_matrix)\" = .0004 ]"
echo "add card 0 cex7 cca" > $SIM/control
ktap_check "and comes back when it returns" wait_for 20 sh -c "[ \"\$(cat $M/guest_matrix)\" = 00.0004 ]"

zapqs=$(counter 00.0004 zapq)
ktap_check "unassign adapter 0 empties guest_matrix's adapters" \
	[ "$(write_attr $M/unassign_adapter 0)" = OK -a "$(cat $M/guest_matrix)" = .0004 ]
ktap_check "... and resets the queue it unplugged (a ZAPQ reached 00.0004)" [ "$(counter 00.0004 zapq)" -gt "$zapqs" ]

rmmod vfio_ap_rs
ktap_check "vfio_ap_rs unloads with an mdev present, taking it along" [ $? -eq 0 -a ! -d $MATRIX ]
restore_masks
ktap_finish
