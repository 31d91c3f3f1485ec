#!/bin/sh
# The guest scenario (lib.inc) against the upstream C vfio_ap.ko: its transcript,
# /tmp/guest.vfio_ap, is what 02-rust-guest.sh compares our driver with. The facts
# the scenario rests on are checked here against upstream 6.12's documented
# behaviour, so the reference is verified and not only recorded. Our driver's run
# comes first, while lockdep still watches (see run_rust_first in lib.inc); this
# script checks nothing of it.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

run_rust_first
OUT=$C_OUT
start=$(date +%s)
run_scenario /modules/vfio_ap.ko $OUT > /tmp/guest.vfio_ap.log 2>&1
took=$(($(date +%s) - start))
kmemleak_save /tmp/guest.c_leaks

t='	'
z62=00000000000000000000000000000000000000000000000000000000000000
expectations=$(cat <<EOF2
setup${t}insmod -> OK
setup${t}queues bound to vfio_ap: 32
attach${t}vmm vm: ok
attach${t}vmm open A: ok
attach${t}status 00.0004: in use
attach${t}status 01.0006: assigned
attach${t}zapq 00.0004: +0
attach${t}events: push
attach${t}view: format 2 0x80$z62,0x0c$z62,0x08$z62
attach${t}guest tapq 00.0004: rc 0x00
attach${t}guest tapq 00.0006: rc 0x01
aqic${t}vmm aqic 00.0004 on 3 0x1000: ok rc 0x00 status 0x80000000 cc 0${t}events: aqic 00.0004
aqic${t}irq 00.0004: on nib-offset=0x000 isc=5
aqic${t}vmm aqic 00.0004 on 3 0x1000: ok rc 0x07 status 0x81070000 cc 3
aqic${t}vmm aqic 00.0005 on 3 0: ok rc 0x06 status 0x00060000 cc 3
aqic${t}vmm aqic 00.0005 on 3 0x200000: ok rc 0x06 status 0x00060000 cc 3
aqic${t}vmm aqic 00.0006 on 3 0x1000: ok rc 0x01 status 0x00010000 cc 3
aqic${t}vmm aqic 00.0004 off: ok rc 0x00 status 0x81000000 cc 0
aqic${t}irq 00.0004: off nib-offset=0x000 isc=5
aqic${t}vmm aqic 00.0004 off: ok rc 0x07 status 0x80070000 cc 3
aqic${t}irq 00.0005: on nib-offset=0x040 isc=5
hotplug${t}irq 00.0005: off nib-offset=0x000 isc=0
close${t}vmm dma-unmap: ok${t}events: aqic 00.0004
close${t}irq 00.0004: off nib-offset=0x100 isc=5
close${t}vmm aqic 00.0004 on 3 0x80100: ok rc 0x06 status 0x00060000 cc 3
close${t}vmm dma-map: ok${t}vmm aqic 00.0004 on 3 0x80100: ok rc 0x00 status 0x80000000 cc 0
hotplug${t}guest tapq 00.0006: rc 0x00
hotplug${t}guest tapq 00.0005: rc 0x01
hotplug${t}guest tapq 00.0004: rc 0x00
close${t}view: format 2 0x00$z62,0x00$z62,0x00$z62
attach${t}vmm info A: ok flags=0x21 regions=0 irqs=1 cap_offset=0xdead
attach${t}vmm info A 15: err EINVAL
attach${t}vmm irq-info A 0: ok flags=0x1 count=1
attach${t}vmm irq-info A 1: err EINVAL
attach${t}vmm irq-info A 2: err EINVAL
attach${t}vmm region A: err EOPNOTSUPP
attach${t}vmm reset A: ok${t}events: zapq 00.0004 zapq 00.0005 rc=0x02 zapq 00.0005
attach${t}zapq 00.0004: +1
attach${t}zapq 00.0005: +2
one_vm${t}vmm open B: err EINVAL
one_vm${t}vmm kvm-add B: ok${t}vmm open B: err EPERM
close${t}vmm close A: ok${t}crycb: CLR CRYCB:
close${t}status 00.0004: assigned
remove${t}rmmod while open -> FAIL
remove${t}request eventfd: ok count=1
remove${t}A exists while open: yes
remove${t}remove after close: done
remove${t}A exists after close: no
cleanup${t}queues bound to cex4queue: 64
EOF2
)
printf '%s\n' "$expectations" > /tmp/guest.vfio_ap.expected
n=$(grep -c . /tmp/guest.vfio_ap.expected)
ktap_plan $((n + 4))
ktap_diag "transcript $OUT: $(wc -l < $OUT) lines, scenario took $took s"
sed 's/^/# /' $OUT
ktap_check "the scenario ran to its end (cleanup section present)" grep -qxF '== cleanup' $OUT
section_lines attach $OUT | grep -q '^crycb: SET CRYCB: apm' && pushed=yes
ktap_check "the guest was given masks at attach (a SET CRYCB event)" [ "$pushed" = yes ]
ktap_check "every lost queue left the guest's APCB before it was reset" pushes_precede_resets $OUT
check_expectations $OUT /tmp/guest.vfio_ap.expected
# Upstream's quirk M1 (Documentation/vfio_ap_rs.rst): the request eventfd the
# scenario leaves armed is never released once the mdev goes.
eventfd_leaks_only() {
	awk '/^unreferenced object/ { n++ } /do_eventfd\+/ { e++ } END { exit !(n > 0 && e == n) }' "$1"
}
kmemleak_judge "upstream's M1: the C driver leaks the request eventfd left armed, and nothing else" \
	/tmp/guest.c_leaks eventfd_leaks_only /tmp/guest.c_leaks
ktap_finish
