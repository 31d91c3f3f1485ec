#!/bin/sh
# Module loading without AP instructions (no ap_sim on the command line): our Rust
# vfio_ap_rs and the reference C vfio_ap both refuse with ENODEV (DRV-01) and leave
# nothing behind. Loading and unloading on the simulator is in the ap_sim suite.
. /tests/lib/ktap.sh

ktap_plan 4

insmod /modules/mdev.ko 2>/dev/null

# try_load NAME: loads /modules/NAME.ko and checks the result this machine calls for.
try_load() {
	out=$(insmod "/modules/$1.ko" 2>&1)
	rc=$?
	ktap_diag "insmod $1.ko: exit $rc: ${out:-success}"
	if [ -d /sys/bus/ap ]; then
		ktap_check "$1 loads on a machine with AP instructions" [ $rc -eq 0 ]
		rmmod "$1"
	else
		case "$out" in
		*"No such device"*) ktap_ok "$1 load fails with ENODEV without AP instructions" ;;
		*) ktap_fail "$1 load fails with ENODEV without AP instructions" ;;
		esac
	fi
	ktap_check "$1 is not left loaded" sh -c "! grep -q '^$1 ' /proc/modules"
}

try_load vfio_ap_rs
try_load vfio_ap
ktap_finish
