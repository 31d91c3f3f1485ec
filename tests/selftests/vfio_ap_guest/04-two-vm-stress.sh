#!/bin/sh
# Two VMs, each holding an mdev, while three workers run at once for at least
# STRESS_SECONDS and MIN_ROUNDS rounds: one hot plugs and unplugs adapters and
# domains of both mdevs, one removes and adds back an adapter in the simulated
# configuration, one resets, detaches and reattaches the VMs' devices. After every round (the workers done, the
# AP bus settled): each attached VM's APCB is its mdev's guest_matrix, a detached
# VM's APCB is empty, no queue is in both VMs, and every queue a VM has is bound to
# the vfio_ap driver (none in the host's default pool). Runs against vfio_ap_rs and
# the C vfio_ap in turn; the console judge fails the boot on any lockdep, KASAN,
# WARNING or hung-task report. The random steps come from a fixed seed, printed.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

STRESS_SECONDS=60
MIN_ROUNDS=8
SEED0=${STRESS_SEED:-20261205}
ktap_plan 6

# rand N: a number in 0..N-1 from a linear congruential generator (deterministic
# per seed; each worker advances its own copy).
rand() {
	SEED=$(((SEED * 1103515245 + 12345) % 2147483648))
	R=$(((SEED / 65536) % $1))
}

# The two VMMs: VM k reads commands on fd 2k+3 and answers on fd 2k+4.
vm_start() { # K
	rm -f /tmp/vm$1.in /tmp/vm$1.out
	mkfifo /tmp/vm$1.in /tmp/vm$1.out
	/bin/ap-vmm < /tmp/vm$1.in > /tmp/vm$1.out 2> /tmp/vm$1.err &
	eval "VMM$1=\$!"
	eval "exec $(($1 * 2 + 3))> /tmp/vm$1.in $(($1 * 2 + 4))< /tmp/vm$1.out"
}
vm_cmd() { # K COMMAND...: sets REPLY
	k=$1
	shift
	REPLY="(no answer)"
	eval "echo \"\$*\" >&$((k * 2 + 3)) && read -t 60 -r REPLY <&$((k * 2 + 4))"
}
vm_stop() { # K
	eval "echo quit >&$(($1 * 2 + 3)); exec $(($1 * 2 + 3))>&- $(($1 * 2 + 4))<&-"
	eval "wait \$VMM$1"
}
# vm_view K: VIEW is the APCB KVM holds for VM k, "adapters IDS domains IDS"
# (decimal), or "(no VM)"; APQNS the queues it gives the guest, as AA.DDDD words.
vm_view() {
	eval "pid=\$VMM$1"
	f=$(ls -d /sys/kernel/debug/kvm/$pid-*/ap_crycb 2>/dev/null | head -n 1)
	VIEW="(no VM)" APQNS=
	[ -n "$f" ] || return 0
	set -- $(tr ',' ' ' < "$f")
	mask_ids "$3"; ads=$IDS
	mask_ids "$4"; doms=$IDS
	VIEW="adapters $ads domains $doms"
	[ "$ads" != none ] && [ "$doms" != none ] || return 0
	for a in $(echo "$ads" | tr ',' ' '); do
		for d in $(echo "$doms" | tr ',' ' '); do APQNS="$APQNS $(printf '%02x.%04x' "$a" "$d")"; done
	done
}
# ids_of NUMBERS...: sorted, unique, comma-separated, or "none".
ids_of() {
	IDS=$(printf '%s\n' "$@" | sort -n -u | tr '\n' ',')
	IDS=${IDS#,}
	IDS=${IDS%,}
	[ -n "$IDS" ] || IDS=none
}
# mdev_view: WANT is the APCB mdev MDEV_DIR's guest_matrix gives, as vm_view has it
# (a line AA.DDDD, AA. or .DDDD names an adapter, a domain or both).
mdev_view() {
	ads= doms=
	while IFS=. read -r a d; do
		[ -n "$a" ] && ads="$ads $((0x$a))"
		[ -n "$d" ] && doms="$doms $((0x$d))"
	done < "$MDEV_DIR/guest_matrix"
	ids_of $ads; ads=$IDS
	ids_of $doms
	WANT="adapters $ads domains $IDS"
}

# The workers. Each appends `OP -> RESULT` lines to its own log.
plug_worker() { # ROUND
	SEED=$((SEED + $1 * 7919))
	n=0
	while [ $n -lt 4 ]; do
		rand 2; m=$(echo A B | cut -d' ' -f$((R + 1)))
		rand 2; what=$(echo assign unassign | cut -d' ' -f$((R + 1)))
		rand 3
		case $R in
		0) rand 3; attr=${what}_adapter id=$R ;;
		1) rand 6; attr=${what}_domain id=$((R + 4)) ;;
		2) rand 6; attr=${what}_control_domain id=$((R + 4)) ;;
		esac
		mdev_dir $m
		echo "$m $attr $id -> $(write_attr "$MDEV_DIR/$attr" $id)" >> /tmp/stress.plug
		n=$((n + 1))
	done
}
config_worker() { # ROUND: adapter 2 leaves the configuration and comes back
	if [ $(($1 % 2)) = 1 ]; then cmd="remove card 2"; else cmd="add card 2 cex8 accel"; fi
	echo "$cmd -> $(write_attr $SIM/control "$cmd")" >> /tmp/stress.config
}
vfio_worker() { # ROUND
	SEED=$((SEED + $1 * 104729))
	for k in 1 2; do
		eval "open=\$OPEN$k"
		m=$(echo A B | cut -d' ' -f$k)
		eval "uuid=\$UUID_$m"
		rand 3
		if [ "$open" = 1 ] && [ $R = 0 ]; then
			vm_cmd $k close "$uuid"; echo "vm$k close -> $REPLY" >> /tmp/stress.vfio
		elif [ "$open" = 1 ]; then
			vm_cmd $k reset "$uuid"; echo "vm$k reset -> $REPLY" >> /tmp/stress.vfio
		else
			vm_cmd $k open "$uuid"; echo "vm$k open -> $REPLY" >> /tmp/stress.vfio
		fi
	done
}

# check_round ROUND: the invariants; prints a diagnostic for each broken one.
check_round() {
	bad=0 all=
	for k in 1 2; do
		eval "open=\$OPEN$k"
		m=$(echo A B | cut -d' ' -f$k)
		mdev_dir $m
		vm_view $k
		# A VM whose device is closed has an empty APCB.
		if [ "$open" = 1 ]; then mdev_view; else WANT="adapters none domains none"; fi
		if [ "$VIEW" != "$WANT" ]; then
			echo "# round $1: VM $k (open=$open) has $VIEW; mdev $m's guest_matrix gives $WANT"
			bad=1
		fi
		for q in $APQNS; do
			find_driver "$q"
			[ "$DRIVER" = vfio_ap ] || { echo "# round $1: VM $k has queue $q, bound to $DRIVER"; bad=1; }
		done
		all="$all $APQNS"
	done
	both=$(printf '%s\n' $all | sort | uniq -d | tr '\n' ' ')
	[ -z "$both" ] || { echo "# round $1: queues in both VMs: $both"; bad=1; }
	return $bad
}

# stress DRIVER_KO: one driver's run; sets ROUNDS, BAD_ROUNDS, UNEXPECTED.
stress() {
	mod=$(basename "$1" .ko)
	SEED=$SEED0 # both drivers get the same random steps
	load_zcrypt
	unload_vfio_ap_drivers
	restore_masks
	wait_for 30 queues_bound cex4queue 64
	insmod /modules/mdev.ko 2>/dev/null
	insmod "$1"
	write_attr $AP/apmask "-0,-1,-2" > /dev/null
	wait_for 30 queues_bound vfio_ap 48
	write_attr $MDEV_TYPE/create $UUID_A > /dev/null
	write_attr $MDEV_TYPE/create $UUID_B > /dev/null
	mdev_dir A
	write_attr $MDEV_DIR/assign_adapter 0 > /dev/null
	write_attr $MDEV_DIR/assign_domain 4 > /dev/null
	mdev_dir B
	write_attr $MDEV_DIR/assign_adapter 1 > /dev/null
	write_attr $MDEV_DIR/assign_domain 5 > /dev/null
	: > /tmp/stress.plug; : > /tmp/stress.config; : > /tmp/stress.vfio
	for k in 1 2; do
		m=$(echo A B | cut -d' ' -f$k)
		eval "uuid=\$UUID_$m"
		vm_start $k
		vm_cmd $k vm; vm_cmd $k group "$uuid"; vm_cmd $k kvm-add "$uuid"; vm_cmd $k open "$uuid"
		[ "$REPLY" = ok ] && eval "OPEN$k=1" || eval "OPEN$k=0"
	done
	ROUNDS=0 BAD_ROUNDS=0 UNSETTLED=0
	start=$(date +%s)
	while [ $ROUNDS -lt $MIN_ROUNDS ] || [ $(($(date +%s) - start)) -lt $STRESS_SECONDS ]; do
		ROUNDS=$((ROUNDS + 1))
		plug_worker $ROUNDS &
		p1=$!
		config_worker $ROUNDS &
		p2=$!
		vfio_worker $ROUNDS
		wait $p1 $p2
		# The VMs' states, from what the VFIO worker's replies said.
		for k in 1 2; do
			last=$(grep "^vm$k " /tmp/stress.vfio | tail -n 1)
			case $last in *"open -> ok") eval "OPEN$k=1" ;; *"close -> ok") eval "OPEN$k=0" ;; esac
		done
		echo 1 > $AP/scans 2>/dev/null
		wait_for 30 sh -c "grep -q '(complete)' $AP/bindings" || UNSETTLED=$((UNSETTLED + 1))
		check_round $ROUNDS || BAD_ROUNDS=$((BAD_ROUNDS + 1))
	done
	# Every write and VFIO call got an answer the driver may give here: EADDRINUSE
	# for an APQN the other mdev holds, EIO for a reset that found a queue of
	# adapter 2 leaving the configuration (its ZAPQ answers "deconfigured").
	UNEXPECTED=$(cat /tmp/stress.plug /tmp/stress.config /tmp/stress.vfio |
		grep -v -e '-> OK$' -e '-> EADDRINUSE$' -e '-> ok$' -e 'reset -> err EIO$' | head -n 5)
	echo "# $mod: $ROUNDS rounds in $(($(date +%s) - start)) s; writes: $(sed 's/.*-> //' /tmp/stress.plug | sort | uniq -c | tr -s ' \n' ' ')"
	echo "# $mod: VFIO calls: $(sed 's/^vm. //' /tmp/stress.vfio | sort | uniq -c | tr -s ' \n' ' ')"
	vm_stop 1
	vm_stop 2
	remove_mdevs
	write_attr $SIM/control "add card 2 cex8 accel" > /dev/null
	rmmod "$mod"
	restore_masks
	wait_for 30 queues_bound cex4queue 64
}

case $(cat /tests/kernel) in
default) ;;
*)
	for t in 1 2 3 4 5 6; do ktap_skip "two-VM stress ($t)" "runs on the debug kernel, where lockdep and KASAN watch it"; done
	ktap_finish
	;;
esac
echo "# seed $SEED0, at least $STRESS_SECONDS s and $MIN_ROUNDS rounds per driver"
for ko in $RS_KO /modules/vfio_ap.ko; do
	stress $ko
	mod=$(basename $ko .ko)
	ktap_check "$mod: the AP bus settled after every round ($UNSETTLED of $ROUNDS did not)" [ "$UNSETTLED" = 0 ]
	ktap_check "$mod: every round's APCBs matched the mdevs, no queue in two VMs or the host pool" [ "$BAD_ROUNDS" = 0 ]
	[ -z "$UNEXPECTED" ] || echo "$UNEXPECTED" | sed 's/^/# unexpected: /'
	ktap_check "$mod: every write and VFIO call got an expected answer" [ -z "$UNEXPECTED" ]
done
ktap_finish
