#!/bin/sh
# Module lifecycle in the guest: our Rust module loads, logs and unloads cleanly;
# the reference C vfio_ap is tried too and its real result is reported.
. /tests/lib/ktap.sh

ktap_plan 6

log_has() { dmesg | grep -q "$1"; }

out=$(insmod /modules/vfio_ap_rs.ko 2>&1)
ktap_check "vfio_ap_rs loads" [ $? -eq 0 ]
[ -n "$out" ] && ktap_diag "insmod: $out"
ktap_check "vfio_ap_rs logs its load line" log_has "vfio_ap_rs: loaded"
ktap_check "vfio_ap_rs is listed in /proc/modules" grep -q '^vfio_ap_rs ' /proc/modules

rmmod vfio_ap_rs
ktap_check "vfio_ap_rs unloads" [ $? -eq 0 ]
ktap_check "vfio_ap_rs logs its unload line" log_has "vfio_ap_rs: unloaded"

# The in-tree C vfio_ap needs mdev; without AP instructions (no AP facility under
# TCG) its init fails with ENODEV (DRV-01), which is what this test expects.
insmod /modules/mdev.ko 2>/dev/null
out=$(insmod /modules/vfio_ap.ko 2>&1)
rc=$?
ktap_diag "insmod vfio_ap.ko: exit $rc: ${out:-success}"
if [ -d /sys/bus/ap ]; then
	ktap_check "C vfio_ap loads on a machine with AP instructions" [ $rc -eq 0 ]
else
	case "$out" in
	*"No such device"*) ktap_ok "C vfio_ap load fails with ENODEV without AP instructions" ;;
	*) ktap_fail "C vfio_ap load fails with ENODEV without AP instructions" ;;
	esac
fi
ktap_finish
