#!/bin/sh
# The largest configuration: every adapter and domain assigned to one mdev (65536
# APQNs). vfio_ap_rs prints the whole lines that fit a page instead of writing past
# it (upstream overflows the page at 512 APQNs; never run the C driver at this size).
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

UUID=77777777-0000-0000-0000-000000000000
ff=ffffffffffffffff
ktap_plan 6
load_zcrypt
load_vfio_ap_rs
printf '%s\n' 0x0 > $AP/apmask
printf '%s\n' 0x0 > $AP/aqmask
wait_for 20 sh -c "[ \$(basename \$(readlink $AP/devices/03.000f/driver)) = vfio_ap ]"
echo $UUID > $MDEV_TYPE/create
M=$MATRIX/$UUID
ktap_check "ap_config takes every adapter and domain" \
	[ "$(write_attr $M/ap_config "0x$ff$ff$ff$ff,0x$ff$ff$ff$ff,0x0")" = OK ]
lines=$(cat $M/matrix | wc -l)
ktap_diag "matrix: $lines lines"
ktap_check "matrix holds the 511 whole lines that fit a page" [ "$lines" = 511 ]
ktap_check "its last line is whole" [ "$(cat $M/matrix | tail -1)" = "01.00fe" ]
ktap_check "the log says the text was cut" sh -c "dmesg | grep -q 'vfio_ap_mdev $UUID: attribute text of 524288 bytes cut to the 4088 bytes'"
ktap_check "guest_matrix lists the 64 configured and bound queues" [ "$(cat $M/guest_matrix | wc -l)" = 64 ]
echo 1 > $M/remove
restore_masks
ktap_check "vfio_ap_rs unloads" rmmod vfio_ap_rs
ktap_finish
