#!/bin/sh
# rmmod of the non-default driver racing with apmask writes, for a bounded time: one
# loop loads vfio_ap_rs or the C vfio_ap, gives an mdev adapter 5 (kept out of the
# pool), and unloads it; the other asks for adapter 5 back (+5: refused while the
# mdev holds it, else accepted and at once undone with -5) and toggles adapter 6,
# which nobody holds. Every write is checked: an accepted one is in the mask, a
# refused one (EBUSY, only for the held adapter) left it unchanged. No write may be
# lost or fail otherwise; the harness fails the run on any kernel warning.
# The outcome does not depend on the machine's speed: each cycle makes sure the mdev
# holds queue (5,1), keeps it held until the writer has seen a refusal (each step
# within RACE_HOLD_BOUND seconds), and the writer runs at least SECONDS_BOUND seconds
# and until two cycles have ended (at most RACE_HARD_BOUND seconds).
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

SECONDS_BOUND=20
RACE_HOLD_BOUND=10
RACE_HARD_BOUND=90
ktap_plan 5
unload_vfio_ap_drivers
restore_masks
load_zcrypt
insmod /modules/mdev.ko 2>/dev/null
write_attr $AP/apmask -5 > /dev/null

rm -f /tmp/race.stop /tmp/race.cycles
# One byte per refusal seen by the writer.
: > /tmp/race.refusals
(
	n=0
	while [ ! -e /tmp/race.stop ]; do
		if [ $((n % 2)) = 0 ]; then ko=vfio_ap_rs; else ko=vfio_ap; fi
		insmod /modules/$ko.ko 2>/dev/null
		seen=$(wc -c < /tmp/race.refusals)
		write_attr $MDEV_TYPE/create $UUID_A > /dev/null
		write_attr $MATRIX/$UUID_A/assign_adapter 5 > /dev/null
		# While the writer has adapter 5 back in the pool (an accepted +5 not yet
		# undone), the domain is refused (EADDRNOTAVAIL: the queue belongs to
		# zcrypt) and the mdev would hold nothing: retry until it holds (5,1).
		deadline=$(($(date +%s) + RACE_HOLD_BOUND))
		until [ "$(write_attr $MATRIX/$UUID_A/assign_domain 1)" = OK ] ||
			[ "$(date +%s)" -ge $deadline ] || [ -e /tmp/race.stop ]; do
			sleep 0.1
		done
		# Held until the writer was refused once, within a bound.
		deadline=$(($(date +%s) + RACE_HOLD_BOUND))
		while [ "$(wc -c < /tmp/race.refusals)" -le "$seen" ] && [ "$(date +%s)" -lt $deadline ] &&
			[ ! -e /tmp/race.stop ]; do
			sleep 0.1
		done
		rmmod $ko 2>/dev/null
		n=$((n + 1))
		echo "$n" > /tmp/race.cycles
	done
) &
cycler=$!

# bit_of MASK ID: 1 if ID is set in MASK (0x + 64 hex digits).
bit_of() {
	digit=$(printf '%s' "$1" | cut -c$((3 + $2 / 4)))
	echo $(( (0x$digit >> (3 - $2 % 4)) & 1 ))
}

ok=0 busy=0 bad=0
start=$(date +%s)
: > /tmp/race.bad
while now=$(date +%s); [ $now -lt $((start + RACE_HARD_BOUND)) ] &&
	{ [ $now -lt $((start + SECONDS_BOUND)) ] || [ "$(cat /tmp/race.cycles 2>/dev/null || echo 0)" -lt 2 ]; }; do
	for w in +5 -5 -6 +6; do
		# -5 only undoes an accepted +5.
		[ "$w" = -5 ] && [ "$(bit_of "$(cat $AP/apmask)" 5)" = 0 ] && continue
		before=$(cat $AP/apmask)
		res=$(write_attr $AP/apmask "$w")
		after=$(cat $AP/apmask)
		id=${w#?}
		want=0; [ "${w%"$id"}" = + ] && want=1
		case "$res" in
		OK)
			if [ "$(bit_of "$after" "$id")" = $want ]; then ok=$((ok + 1))
			else bad=$((bad + 1)); echo "$w OK but $after" >> /tmp/race.bad; fi ;;
		EBUSY)
			if [ "$id" = 5 ] && [ "$before" = "$after" ]; then busy=$((busy + 1)); printf x >> /tmp/race.refusals
			else bad=$((bad + 1)); echo "$w EBUSY, $before -> $after" >> /tmp/race.bad; fi ;;
		*)
			bad=$((bad + 1)); echo "$w $res" >> /tmp/race.bad ;;
		esac
	done
done
touch /tmp/race.stop
wait $cycler
cycles=$(cat /tmp/race.cycles 2>/dev/null || echo 0)
ktap_diag "kernel $KERNEL, $(($(date +%s) - start)) s: $cycles load/unload cycles; writes: $ok accepted, $busy refused, $bad wrong"
sed 's/^/# /' /tmp/race.bad | head -20
ktap_check "the loops ran (load/unload cycles: $cycles, writes: $((ok + busy)))" [ "$cycles" -gt 0 -a $((ok + busy)) -gt 0 ]
ktap_check "some writes were refused while an mdev held adapter 5 ($busy)" [ "$busy" -gt 0 ]
ktap_check "every write was accepted and kept, or refused (EBUSY, held adapter) and changed nothing" [ "$bad" = 0 ]
unload_vfio_ap_drivers
ktap_check "after the race, the never-held adapter 6 is in the pool" [ "$(bit_of "$(cat $AP/apmask)" 6)" = 1 ]
restore_masks
ktap_check "queues back with zcrypt" settle
ktap_finish
