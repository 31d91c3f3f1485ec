#!/bin/sh
# The guest demo (`make demo`): a KVM VM is given an mdev, and while it holds it a
# domain and an adapter are hot plugged into it and an adapter hot unplugged. After
# each step: the guest's view (the APCB KVM holds for the VM, as adapter, domain and
# control domain numbers), the guest's TAPQ of the queues concerned, and what the
# host did in order (`push` of the APCB, `zapq` of a queue). The same steps run
# against vfio_ap_rs and the upstream C vfio_ap; ours is printed, and the C one
# must be identical to it (their difference is printed if not).
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

C_KO=/modules/vfio_ap.ko

# guest_view: the view as numbers.
guest_view() {
	f=$(ls -d /sys/kernel/debug/kvm/$VM_PID-*/ap_crycb 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then rec "guest's view: (no VM)"; return; fi
	set -- $(tr ',' ' ' < "$f")
	mask_ids "$3"; ads=$IDS
	mask_ids "$4"; doms=$IDS
	mask_ids "$5"
	rec "guest's view: adapters $ads, domains $doms, control domains $IDS"
}

demo() { # DRIVER_KO OUT_FILE
	GUEST_KO=$1
	TRANSCRIPT_OUT=$2
	GUEST_MOD=$(basename "$1" .ko)
	TRANSCRIPT_TAG="demo.$GUEST_MOD"
	# The kernel log of the earlier run is not this one's.
	TRANSCRIPT_MARK=
	: > "$TRANSCRIPT_OUT"
	load_zcrypt
	unload_vfio_ap_drivers
	restore_masks
	wait_for 30 queues_bound cex4queue 64
	# The driver goes unnamed in the transcript, which must be the same for both.
	section "host: adapters 0 and 1 to the driver, an mdev with adapter 0, domain 4"
	insmod /modules/mdev.ko 2>/dev/null
	if insmod "$GUEST_KO" 2>/dev/null; then rec "insmod the driver -> OK"; else rec "insmod the driver -> FAIL"; fi
	put apmask $AP/apmask "-0,-1"
	wait_for 30 queues_bound vfio_ap 32
	put create $MDEV_TYPE/create "$UUID_A"
	mput A assign_adapter 0
	mput A assign_domain 4
	mput A assign_control_domain 4
	status 00.0004

	section "a VM attaches the mdev (QEMU's -device vfio-ap)"
	vmm_start
	vmm vm
	vmm group A
	vmm kvm-add A
	events_mark
	vmm open A
	events
	guest_view
	gtapq 00.0004
	gtapq 00.0005
	status 00.0004

	section "hot plug: domain 5, then adapter 1"
	mput A assign_domain 5
	events
	guest_view
	gtapq 00.0005
	mput A assign_adapter 1
	events
	guest_view
	gtapq 01.0005
	status 01.0005

	section "hot unplug: adapter 0"
	mput A unassign_adapter 0
	events
	guest_view
	gtapq 00.0004
	gtapq 01.0004
	status 00.0004

	section "the VM closes the device"
	vmm close A
	events
	guest_view
	status 01.0004
	vmm_stop
	mput A remove 1
	rmmod "$GUEST_MOD" 2>/dev/null
	restore_masks
	flush_log
}

ktap_plan 5
if ! [ -f $RS_KO ] || ! [ -f $C_KO ]; then
	for t in 1 2 3 4 5; do ktap_skip "guest demo ($t)" "the image lacks vfio_ap_rs.ko or vfio_ap.ko"; done
	ktap_finish
fi
demo $RS_KO /tmp/demo.vfio_ap_rs
demo $C_KO /tmp/demo.vfio_ap
echo "# --- the demo, run with vfio_ap_rs ---"
sed 's/^/# /' /tmp/demo.vfio_ap_rs
# What each step must show, read from our driver's transcript.
in_section() { # SECTION LINE: LINE is in SECTION of our transcript
	awk -v s="== $1" -v l="$2" '/^== / { in_s = ($0 == s) } in_s && $0 == l { f = 1 } END { exit !f }' /tmp/demo.vfio_ap_rs
}
ktap_check "attach: the guest sees adapter 0, domain 4, control domain 4, and can use queue 00.0004" \
	sh -c "grep -qx \"guest's view: adapters 0, domains 4, control domains 4\" /tmp/demo.vfio_ap_rs && grep -qx 'guest tapq 00.0004: rc 0x00' /tmp/demo.vfio_ap_rs"
ktap_check "hot plug: domain 5 and adapter 1 reach the running guest" \
	in_section "hot plug: domain 5, then adapter 1" "guest's view: adapters 0,1, domains 4,5, control domains 4"
ktap_check "hot unplug: the APCB is pushed before the lost queues are reset" \
	in_section "hot unplug: adapter 0" "events: push zapq 00.0004 zapq 00.0005"
ktap_check "hot unplug: the guest no longer reaches adapter 0" \
	in_section "hot unplug: adapter 0" "guest tapq 00.0004: rc 0x01"
if cmp -s /tmp/demo.vfio_ap_rs /tmp/demo.vfio_ap; then
	ktap_ok "the C vfio_ap's transcript is identical"
else
	diff /tmp/demo.vfio_ap /tmp/demo.vfio_ap_rs | sed 's/^/# /'
	ktap_fail "the C vfio_ap's transcript is identical"
fi
ktap_finish
