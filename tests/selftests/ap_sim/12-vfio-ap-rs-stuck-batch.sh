#!/bin/sh
# A batch of queues that never finish their resets holds vfio_ap_rs's locks for one
# bound (5 s) in all, not one bound per queue: 16 such queues of one adapter, an
# unassign of the adapter, and a concurrent apmask write whose rebinding needs the
# driver's locks. Both must finish well before 16 bounds: within 10 s (the bound
# plus the emulator's overhead; the measured times are printed).
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

UUID=aaaaaaaa-0000-0000-0000-000000000001
# The 16 domains of adapter 2, as the last hex digit of their APQNs.
DOMAINS="0 1 2 3 4 5 6 7 8 9 a b c d e f"
ktap_plan 6
load_zcrypt
load_vfio_ap_rs
printf '%s\n' -2 > $AP/apmask
all_bound() {
	for d in $DOMAINS; do
		[ -e $AP/drivers/vfio_ap/02.000$d ] || return 1
	done
}
wait_for 30 all_bound
ktap_check "the 16 queues of adapter 2 are bound to vfio_ap_rs" all_bound
echo $UUID > $MDEV_TYPE/create
M=$MATRIX/$UUID
write_attr $M/assign_adapter 2 >/dev/null
for d in $DOMAINS; do
	write_attr $M/assign_domain 0x$d >/dev/null
	echo "fault 02.000$d reset never" > $SIM/control
done
ktap_check "the mdev holds the 16 queues" [ "$(grep -c . $M/guest_matrix)" = 16 ]

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
read -r t0 _ < /proc/uptime
(write_attr $M/unassign_adapter 2 > /tmp/stuck.unassign; read -r t _ < /proc/uptime; echo $t > /tmp/stuck.unassign.end) &
unassign=$!
sleep 0.5
read -r t1 _ < /proc/uptime
apmask_result=$(write_attr $AP/apmask -3)
read -r t2 _ < /proc/uptime
wait $unassign
t3=$(cat /tmp/stuck.unassign.end)
ktap_diag "unassign_adapter: $(cat /tmp/stuck.unassign) after $(elapsed $t0 $t3) s; apmask -3: $apmask_result after $(elapsed $t1 $t2) s"
ktap_check "the unassign succeeds" [ "$(cat /tmp/stuck.unassign)" = OK ]
ktap_check "... within 10 s, not one bound per queue" awk -v s="$(elapsed $t0 $t3)" 'BEGIN { exit !(s < 10) }'
ktap_check "the concurrent apmask write finishes within 10 s" \
	awk -v s="$(elapsed $t1 $t2)" 'BEGIN { exit !(s < 10) }'

for d in $DOMAINS; do
	echo "clear faults 02.000$d" > $SIM/control
done
echo 1 > $M/remove
restore_masks
ktap_check "vfio_ap_rs unloads" rmmod vfio_ap_rs
ktap_finish
