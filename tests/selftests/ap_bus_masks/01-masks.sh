#!/bin/sh
# The bus-mask scenario (lib.inc) with the C vfio_ap and then with vfio_ap_rs as the
# non-default driver: both transcripts must be the same (the bus decides, not the
# driver), each is checked against upstream's documented behaviour, and both are
# printed for the host to compare with the other kernel's (tools/qemu/transcripts.py).
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

C_OUT=/tmp/masks.vfio_ap
RS_OUT=/tmp/masks.vfio_ap_rs
start=$(date +%s)
masks_scenario /modules/vfio_ap.ko $C_OUT > /tmp/masks.c.log 2>&1
masks_scenario /modules/vfio_ap_rs.ko $RS_OUT > /tmp/masks.rs.log 2>&1
took=$(($(date +%s) - start))

z62=$(printf '%062d' 0)
f64=$(printf '%064d' 0 | tr 0 f)
# m DIGITS: a mask that starts with DIGITS, zero-padded to 64 digits.
m() {
	echo "0x$1$(printf '%064d' 0 | cut -c$((${#1} + 1))-)"
}
A=$UUID_A
t='	'
expectations=$(cat <<EOF2
load${t}insmod -> OK
load${t}queues bound to cex4queue: 64
read${t}apmask: 0x$f64
read${t}aqmask: 0x$f64
read${t}mode apmask: 644
absolute${t}aqmask "0xffff8" -> OK${t}aqmask: $(m ffff8)
absolute${t}aqmask "0xffff41" -> OK${t}aqmask: $(m ffff41)
absolute${t}aqmask "ffff" -> OK${t}aqmask: $(m ffff)
absolute${t}aqmask "xffff7" -> OK${t}aqmask: $(m ffff7)
absolute${t}aqmask "0Xffff" -> EINVAL${t}aqmask: $(m ffff7)
absolute${t}aqmask "0x${f64}f" -> EINVAL
absolute${t}aqmask "0x$f64" -> OK
absolute${t}aqmask "0xffff\\n" -> OK
absolute${t}aqmask "0xffff1\\n\\n" -> EINVAL
absolute${t}aqmask "0xffff1 " -> EINVAL
absolute${t}aqmask "0xffff1," -> EINVAL
absolute${t}aqmask "0xffffg" -> EINVAL
absolute${t}aqmask "0x" -> OK${t}aqmask: 0x${z62}00
absolute${t}aqmask "\\n" -> OK${t}aqmask: 0x${z62}00
relative${t}aqmask "+30" -> OK${t}aqmask: $(m ffff0002)
relative${t}aqmask "-30" -> OK${t}aqmask: $(m ffff)
relative${t}aqmask "+0x41" -> OK${t}aqmask: $(m ffff0000000000004)
relative${t}aqmask "+08" -> EINVAL
relative${t}aqmask "+25-23" -> EINVAL
relative${t}aqmask "+256" -> EINVAL
relative${t}aqmask "+16-256" -> EINVAL
relative${t}aqmask "+" -> EINVAL
relative${t}aqmask "+-1" -> EINVAL
relative${t}aqmask "-\\n" -> EINVAL
relative${t}aqmask "+ 17" -> EINVAL
relative${t}aqmask ",,+17,," -> EINVAL
relative${t}aqmask "+17,,+18,\\n" -> OK
relative${t}aqmask "+18\\n+19" -> OK
relative${t}aqmask "+20," -> OK
relative${t}aqmask "+21+22" -> OK
relative${t}aqmask "+23 +24" -> EINVAL
relative${t}aqmask "+100,+300" -> EINVAL
relative${t}aqmask " +101" -> EINVAL
relative${t}aqmask "*17" -> EINVAL
relative${t}aqmask "+99999999999999999999" -> EINVAL
uevent${t}apmask "$full_mask" -> OK${t}uevent: (none)
uevent${t}apmask "-200" -> OK${t}uevent: change /devices/ap APMASK=0x$(printf '%048d' 0 | tr 0 f)ff7fffffffffffff\\n
uevent${t}apmask "+5000" -> EINVAL${t}uevent: (none)
reservation${t}apmask "-2" -> OK
reservation${t}driver 02.0004: vfio_ap
reservation${t}apmask "+2" -> EBUSY
reservation${t}apmask "+0-3" -> EBUSY
reservation${t}apmask "$full_mask" -> EBUSY
reservation${t}dmesg: vfio_ap_mdev $A: Can not reserve queue 02.0004 for host driver: in use by mdev
reservation${t}dmesg: vfio_ap_mdev $A: Can not reserve queue 02.0005 for host driver: in use by mdev
reservation${t}apmask "0x8" -> OK
reservation${t}apmask "+1-3" -> EBUSY
reservation${t}aqmask "-4" -> OK
reservation${t}aqmask "+4" -> OK
reservation${t}apmask "+3" -> EBUSY
reservation${t}B unassign_domain "6" -> OK${t}apmask "+3" -> OK
reservation${t}driver 03.0006: cex4queue
reservation${t}aqmask "+48" -> EBUSY
reservation${t}B unassign_domain "0x30" -> OK${t}aqmask "+48" -> OK
reservation${t}dmesg: vfio_ap_mdev $UUID_B: Can not reserve queue 03.0030 for host driver: in use by mdev
reservation${t}B assign_domain "7" -> EADDRNOTAVAIL
reservation${t}A ap_config "0X20,0x0c," -> EINVAL
reservation${t}queues bound to cex4queue: 64
unload${t}rmmod -> OK
unload${t}queues bound to cex4queue: 64
EOF2
)
printf '%s\n' "$expectations" > /tmp/masks.expected
n=$(grep -c . /tmp/masks.expected)
ktap_plan $((n + 4))
ktap_diag "kernel $KERNEL; transcripts: $(wc -l < $C_OUT) and $(wc -l < $RS_OUT) lines, both scenarios took $took s"
ktap_check "the scenario ran to its end with vfio_ap (unload section present)" grep -qxF '== unload' $C_OUT
ktap_check "the scenario ran to its end with vfio_ap_rs (unload section present)" grep -qxF '== unload' $RS_OUT
ktap_check "every section's log marker was found" sh -c "! grep -q 'section marker not found' $C_OUT $RS_OUT"
if compare_lines $C_OUT $RS_OUT > /tmp/masks.diff; then
	ktap_ok "the bus behaves the same with vfio_ap and vfio_ap_rs"
else
	cat /tmp/masks.diff
	ktap_fail "the bus behaves the same with vfio_ap and vfio_ap_rs"
fi
check_expectations $C_OUT /tmp/masks.expected
transcript_emit ap_bus_masks.vfio_ap $C_OUT
transcript_emit ap_bus_masks.vfio_ap_rs $RS_OUT
ktap_finish
