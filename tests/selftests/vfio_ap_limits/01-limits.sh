#!/bin/sh
# A machine with extended addressing but only 16 adapters and domains (na = nd =
# 15): the ID limits of an mdev come from QCI, so IDs above 15 are ENODEV, and an
# ap_config write with such a bit passes the pool and sharing checks and then fails
# with ENODEV, changing nothing. The same steps run against the C vfio_ap and
# vfio_ap_rs; both transcripts must be the expected one.
. /tests/lib/ktap.sh
. /tests/lib/ap.sh

UUID=bbbbbbbb-0000-0000-0000-000000000000
z16=0000000000000000
bit0=0x8000000000000000$z16$z16$z16
bit16=0x0000800000000000$z16$z16$z16
EXPECTED="assign_adapter 15: OK
assign_adapter 16: ENODEV
assign_domain 15: OK
assign_domain 16: ENODEV
assign_control_domain 16: ENODEV
unassign_adapter 16: ENODEV
ap_config adapter 16: ENODEV
ap_config domain 16: ENODEV
ap_config control domain 16: ENODEV
matrix after the failures: 0f.000f
ap_config good: OK
matrix: 00.0000"

# transcript KO: the steps against one driver.
transcript() {
	insmod /modules/mdev.ko 2>/dev/null
	insmod "$1" || return 1
	echo $UUID > $MDEV_TYPE/create
	M=$MATRIX/$UUID
	for a in assign_adapter:15 assign_adapter:16 assign_domain:15 assign_domain:16 \
		assign_control_domain:16 unassign_adapter:16; do
		echo "${a%:*} ${a#*:}: $(write_attr $M/${a%:*} ${a#*:})"
	done
	echo "ap_config adapter 16: $(write_attr $M/ap_config "$bit16,$bit0,0x0")"
	echo "ap_config domain 16: $(write_attr $M/ap_config "$bit0,$bit16,0x0")"
	echo "ap_config control domain 16: $(write_attr $M/ap_config "$bit0,$bit0,$bit16")"
	echo "matrix after the failures: $(cat $M/matrix)"
	echo "ap_config good: $(write_attr $M/ap_config "$bit0,$bit0,0x0")"
	echo "matrix: $(cat $M/matrix)"
	echo 1 > $M/remove
	rmmod "$(basename "$1" .ko)"
}

ktap_plan 4
load_zcrypt
printf '%s\n' 0x0 > $AP/apmask
printf '%s\n' 0x0 > $AP/aqmask
c=$(transcript /modules/vfio_ap.ko)
ktap_check "the C vfio_ap gives the expected transcript" [ "$c" = "$EXPECTED" ]
[ "$c" = "$EXPECTED" ] || printf '%s\n' "$c" | sed 's/^/# C: /'
rs=$(transcript /modules/vfio_ap_rs.ko)
ktap_check "vfio_ap_rs gives the same transcript" [ "$rs" = "$c" ]
[ "$rs" = "$c" ] || printf '%s\n' "$rs" | sed 's/^/# Rust: /'
restore_masks
ktap_check "no driver is left loaded" sh -c "! grep -qE '^vfio_ap(_rs)? ' /proc/modules"
ktap_check "the masks are restored" [ "$(cat $AP/apmask)" = "$full_mask" ]
ktap_finish
