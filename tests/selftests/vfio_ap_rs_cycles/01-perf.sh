#!/bin/sh
# Side by side in the same boot, the C vfio_ap and vfio_ap_rs under the same load:
# 100 mdevs each holding one queue, then timed assign/unassign pairs on another
# mdev and timed apmask writes (refused by in_use, and accepted). A later run in a
# boot is slower than an earlier one, whatever the driver, so the drivers run in
# the order C, Rust, Rust, C and each one's two runs are added up. The times and
# the Rust/C ratios are printed as diagnostics; the tests check that every timed
# write had the expected result, so the numbers measure the real paths.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

MDEVS=100
PAIRS=10
ACCEPTED=3
ktap_plan 8
load_zcrypt

now_ms() { read -r up _ < /proc/uptime; echo $(( ${up%.*} * 1000 + 10 * $(echo "${up#*.}" | sed 's/^0*//;s/^$/0/') )); }
uuid() { printf '88888888-0000-0000-0000-%012x' "$1"; }
# single_mask ID: the sysfs mask text with only bit ID set.
single_mask() {
	out=0x
	k=0
	while [ $k -lt 64 ]; do
		if [ $k = $(($1 / 4)) ]; then out=$out$((8 >> ($1 % 4))); else out=${out}0; fi
		k=$((k + 1))
	done
	echo $out
}

# measure DRIVER: loads it, builds the load, times the three operations; sets
# pair_ms, refused_ms and accepted_ms (per operation, times 100) and ok.
measure() {
	case $1 in
	vfio_ap) grep -q '^vfio_ap_rs ' /proc/modules && rmmod vfio_ap_rs; load_vfio_ap ;;
	vfio_ap_rs) load_vfio_ap_rs ;;
	esac
	printf '%s\n' -0,-2 > $AP/apmask
	wait_for 20 sh -c "[ \$(basename \$(readlink $AP/devices/02.000f/driver)) = vfio_ap ]"
	ok=1
	i=0
	while [ $i -lt $MDEVS ]; do
		u=$(uuid $i)
		echo $u > $MDEV_TYPE/create
		echo "$(single_mask 0),$(single_mask $((16 + i))),0x0" > $MATRIX/$u/ap_config || ok=0
		i=$((i + 1))
	done
	u=$(uuid 999)
	echo $u > $MDEV_TYPE/create
	write_attr $MATRIX/$u/assign_domain 200 >/dev/null
	t0=$(now_ms)
	i=0
	while [ $i -lt $PAIRS ]; do
		[ "$(write_attr $MATRIX/$u/assign_adapter 2) $(write_attr $MATRIX/$u/unassign_adapter 2)" = "OK OK" ] || ok=0
		i=$((i + 1))
	done
	t1=$(now_ms)
	i=0
	while [ $i -lt $PAIRS ]; do
		[ "$(write_attr $AP/apmask +0)" = EBUSY ] || ok=0
		i=$((i + 1))
	done
	t2=$(now_ms)
	i=0
	while [ $i -lt $ACCEPTED ]; do
		[ "$(write_attr $AP/apmask +2) $(write_attr $AP/apmask -2)" = "OK OK" ] || ok=0
		i=$((i + 1))
	done
	t3=$(now_ms)
	pair_ms=$(( (t1 - t0) * 100 / PAIRS ))
	refused_ms=$(( (t2 - t1) * 100 / PAIRS ))
	accepted_ms=$(( (t3 - t2) * 100 / ACCEPTED ))
	for u in $MATRIX/*-*-*-*-*; do echo 1 > $u/remove; done
	restore_masks
	rmmod $1
}

# show NAME C_X100 RUST_X100: one diagnostic line with both times and the ratio.
show() {
	c=$2; r=$3; [ "$c" -gt 0 ] || c=1
	ktap_diag "perf: $1: C $(($2 / 100)).$(printf %02d $(($2 % 100))) ms, Rust $(($3 / 100)).$(printf %02d $(($3 % 100))) ms, Rust/C $((r * 100 / c / 100)).$(printf %02d $((r * 100 / c % 100)))"
}

c_pair=0 c_refused=0 c_accepted=0 r_pair=0 r_refused=0 r_accepted=0
for d in vfio_ap vfio_ap_rs vfio_ap_rs vfio_ap; do
	measure $d
	ktap_check "$d: every timed write had the expected result" [ $ok = 1 ]
	ktap_diag "$d run: pair $pair_ms, refused $refused_ms, accepted $accepted_ms (ms x 100)"
	if [ $d = vfio_ap ]; then
		c_pair=$((c_pair + pair_ms)) c_refused=$((c_refused + refused_ms)) c_accepted=$((c_accepted + accepted_ms))
	else
		r_pair=$((r_pair + pair_ms)) r_refused=$((r_refused + refused_ms)) r_accepted=$((r_accepted + accepted_ms))
	fi
done
pair_ms=$((r_pair / 2)) refused_ms=$((r_refused / 2)) accepted_ms=$((r_accepted / 2))
c_pair=$((c_pair / 2)) c_refused=$((c_refused / 2)) c_accepted=$((c_accepted / 2))
show "assign_adapter+unassign_adapter pair, $MDEVS mdevs" $c_pair $pair_ms
show "apmask write refused by in_use, $MDEVS mdevs" $c_refused $refused_ms
show "apmask +2/-2 pair (in_use, then rebinding 16 queues), $MDEVS mdevs" $c_accepted $accepted_ms
ktap_check "both drivers were measured (non-zero times)" [ $((c_pair * pair_ms * c_refused * refused_ms)) -gt 0 ]
ktap_check "no mdev is left" sh -c "! ls -d $MATRIX/*-*-*-*-* 2>/dev/null"
ktap_check "no driver is left loaded" sh -c "! grep -qE '^vfio_ap(_rs)? ' /proc/modules"
ktap_check "the masks are restored" [ "$(cat $AP/apmask)" = "$full_mask" ]
ktap_finish
