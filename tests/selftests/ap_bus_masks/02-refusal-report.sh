#!/bin/sh
# The report of refused mask writes, /sys/bus/ap/last_mask_refusal (default kernel
# only: the upstream-masks kernel has no such attribute), and `apctl refusal`, which
# shows it: the mask asked for, then each (driver, holder, APQN) in the way. vfio_ap_rs
# names its mdevs; the C vfio_ap has no in_use_holders callback, so the report can
# only say that it refused.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

f64=$(printf '%064d' 0 | tr 0 f)
ktap_plan 14

if [ "$MASKS" = rust ]; then want=present; else want=absent; fi
if [ -e "$REFUSAL" ]; then have=present; else have=absent; fi
ktap_check "last_mask_refusal is $want on kernel $KERNEL" [ "$have" = "$want" ]

if [ "$MASKS" != rust ]; then
	ktap_check "apctl refusal says the kernel has no report" \
		sh -c 'apctl refusal > /tmp/refusal.out 2>&1; [ $? = 2 ] && grep -q "no refusal report" /tmp/refusal.out'
	for i in $(seq 3 14); do ktap_skip "the report exists only with CONFIG_AP_MASKS_RUST ($i)"; done
	ktap_finish
fi

# setup KO: the driver loaded beside zcrypt, mdev A holding 02.0004 and 02.0005, mdev
# B holding 03.0006.
setup() {
	unload_vfio_ap_drivers
	restore_masks
	load_zcrypt
	insmod /modules/mdev.ko 2>/dev/null
	insmod "$1"
	write_attr $AP/apmask "-2,-3" > /dev/null
	write_attr $MDEV_TYPE/create $UUID_A > /dev/null
	write_attr $MDEV_TYPE/create $UUID_B > /dev/null
	for a in "assign_adapter 2" "assign_domain 4" "assign_domain 5"; do
		write_attr $MATRIX/$UUID_A/${a% *} ${a#* } > /dev/null
	done
	for a in "assign_adapter 3" "assign_domain 6"; do
		write_attr $MATRIX/$UUID_B/${a% *} ${a#* } > /dev/null
	done
}

setup /modules/vfio_ap_rs.ko
ktap_check "mode 444" [ "$(stat -c %a $REFUSAL)" = 444 ]
ktap_check "apmask +2-3 is refused (EBUSY)" [ "$(write_attr $AP/apmask +2-3)" = EBUSY ]
cat $REFUSAL | sed 's/^/# /'
ktap_check "the first line names the mask and the value asked for" \
	[ "$(head -1 $REFUSAL)" = "write apmask 0x$f64" ]
ktap_check "every held queue of both mdevs is listed, once" \
	[ "$(grep '^held ' $REFUSAL | sort | tr '\n' ,)" = "held vfio_ap $UUID_A 02.0004,held vfio_ap $UUID_A 02.0005,held vfio_ap $UUID_B 03.0006," ]
ktap_check "the log names only the first mdev, as upstream (two lines)" \
	[ "$(dmesg | grep -c 'Can not reserve queue 0[23].000[456] for host driver')" -ge 2 ]
ktap_check "an accepted write leaves the report" \
	sh -c "[ \"\$(apctl write $AP/apmask -100)\" = OK ] && grep -q '^write apmask 0x$f64\$' $REFUSAL"
ktap_check "an aqmask refusal replaces it" \
	sh -c "apctl write $AP/aqmask -6 >/dev/null; [ \"\$(apctl write $AP/apmask +3)\" = OK ] &&
		[ \"\$(apctl write $AP/aqmask +6)\" = EBUSY ] &&
		[ \"\$(cat $REFUSAL | tr '\n' ,)\" = \"write aqmask 0x$f64,held vfio_ap $UUID_B 03.0006,\" ]"
apctl refusal > /tmp/refusal.out 2>&1
rc=$?
sed 's/^/# /' /tmp/refusal.out
ktap_check "apctl refusal explains it (exit 0)" \
	sh -c "[ $rc = 0 ] && grep -q 'aqmask' /tmp/refusal.out && grep -q 'mdev $UUID_B' /tmp/refusal.out && grep -q '03.0006' /tmp/refusal.out"
ktap_check "apctl refusal --raw prints the attribute" \
	sh -c "apctl refusal --raw | cmp -s - $REFUSAL"

setup /modules/vfio_ap.ko
ktap_check "with the C vfio_ap, apmask +2 is refused (EBUSY)" [ "$(write_attr $AP/apmask +2)" = EBUSY ]
cat $REFUSAL | sed 's/^/# /'
ktap_check "the C vfio_ap is reported as refusing, without holders" \
	[ "$(cat $REFUSAL | tr '\n' ,)" = "write apmask 0x$(printf '%064d' 0 | tr 0 f | sed 's/^ff/ef/'),refused vfio_ap," ]
ktap_check "apctl refusal says vfio_ap refused without naming holders" \
	sh -c "apctl refusal | grep -q 'vfio_ap refused'"
unload_vfio_ap_drivers
restore_masks
ktap_check "queues back with zcrypt" settle
ktap_finish
