# Helpers for suites that run on the simulated AP facility (sourced after
# /tests/lib/ktap.sh, directly or through a suite's lib.inc).

SIM=/sys/kernel/debug/ap_sim
AP=/sys/bus/ap
MATRIX=/sys/devices/vfio_ap/matrix
MDEV_TYPE=$MATRIX/mdev_supported_types/vfio_ap-passthrough

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
	tries=$(($1 * 10))
	shift
	while [ $tries -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	"$@"
}

# load_zcrypt / load_vfio_ap: idempotent module loads.
load_zcrypt() {
	grep -q '^zcrypt_cex4 ' /proc/modules && return 0
	insmod /modules/rng-core.ko 2>/dev/null
	insmod /modules/zcrypt.ko && insmod /modules/zcrypt_cex4.ko
}
load_vfio_ap() {
	grep -q '^vfio_ap ' /proc/modules && return 0
	insmod /modules/mdev.ko 2>/dev/null
	insmod /modules/vfio_ap.ko
}

# driver_of APQN: the name of the driver bound to queue APQN, or "none".
driver_of() {
	if [ -e "$AP/devices/$1/driver" ]; then
		basename "$(readlink "$AP/devices/$1/driver")"
	else
		echo none
	fi
}

# counter APQN INSN: how many times INSN reached APQN (from the simulator).
counter() {
	awk -v q="$1" -v i="$2" '$1 == "counter" && $2 == q && $3 == i {
		sub("count=", "", $4); print $4; found = 1 } END { if (!found) print 0 }' "$SIM/counters"
}

full_mask=0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
restore_masks() {
	write_attr $AP/apmask "$full_mask" > /dev/null
	write_attr $AP/aqmask "$full_mask" > /dev/null
}

# remove_mdevs: removes every vfio_ap mdev.
remove_mdevs() {
	for d in "$MDEV_TYPE"/devices/*; do
		[ -e "$d/remove" ] && write_attr "$d/remove" 1 > /dev/null
	done
}

# unload_vfio_ap_drivers: removes every mdev and unloads whichever vfio_ap driver is
# loaded, so a scenario starts from the same state whatever ran before it.
unload_vfio_ap_drivers() {
	[ -d "$MDEV_TYPE" ] && remove_mdevs
	for m in vfio_ap vfio_ap_rs; do
		grep -q "^$m " /proc/modules && rmmod "$m" 2>/dev/null
	done
	return 0
}

# load_vfio_ap_rs: our Rust driver in place of the C one (idempotent).
load_vfio_ap_rs() {
	grep -q '^vfio_ap_rs ' /proc/modules && return 0
	grep -q '^vfio_ap ' /proc/modules && rmmod vfio_ap
	insmod /modules/mdev.ko 2>/dev/null
	insmod /modules/vfio_ap_rs.ko
}

# in_mask MASK ID: whether bit ID (0 = MSB) is set in a sysfs mask 0x<hex>.
in_mask() {
	digit=$(echo "$1" | cut -c$((3 + $2 / 4)))
	[ $(( (0x$digit >> (3 - $2 % 4)) & 1 )) = 1 ]
}

# check_invariants: no APQN is assigned to two mdevs, and no assigned APQN is in
# the default pool (apmask x aqmask). Prints each violation.
check_invariants() {
	bad=0
	dup=$(cat $MATRIX/*-*-*-*-*/matrix 2>/dev/null | grep -E '^[0-9a-f]{2}\.[0-9a-f]{4}$' | sort | uniq -d)
	[ -z "$dup" ] || { echo "# assigned to two mdevs: $dup"; bad=1; }
	apm=$(cat $AP/apmask)
	aqm=$(cat $AP/aqmask)
	for q in $(cat $MATRIX/*-*-*-*-*/matrix 2>/dev/null | grep -E '^[0-9a-f]{2}\.[0-9a-f]{4}$'); do
		a=$((0x${q%.*}))
		d=$((0x${q#*.}))
		if in_mask "$apm" $a && in_mask "$aqm" $d; then
			echo "# assigned and in the default pool: $q"
			bad=1
		fi
	done
	return $bad
}
