#!/bin/sh
# Fault injection and what the upstream drivers make of it, observed through the
# simulator's per-APQN counters.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

UUID=33333333-4444-5555-6666-777777777777
ktap_plan 11
load_zcrypt
load_vfio_ap

# Bad control input is refused with an errno and changes nothing.
before=$(cat $SIM/state)
ktap_check "a malformed command is refused with EINVAL" [ "$(write_attr $SIM/control 'frobnicate 00.0000')" = EINVAL ]
ktap_check "and changes nothing" [ "$(cat $SIM/state)" = "$before" ]

# A checkstopped queue: the bus marks it at its next scan, and clears it after.
echo "checkstop 02.0006" > $SIM/control
echo 1 > $AP/scans
ktap_check "a checkstopped queue shows chkstop=1 after a scan" wait_for 10 sh -c "[ \$(cat $AP/devices/02.0006/chkstop) = 1 ]"
echo "uncheckstop 02.0006" > $SIM/control
echo 1 > $AP/scans
ktap_check "and chkstop=0 once it recovers" wait_for 10 sh -c "[ \$(cat $AP/devices/02.0006/chkstop) = 0 ]"

# BUSY on ZAPQ: vfio_ap's reset after an unassign issues ZAPQ again once the queue
# has settled (RST-05), so the queue ends reset and the unassign succeeds.
printf '%s\n' -1 > $AP/apmask
wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/01.0009/driver)) = vfio_ap ]"
echo $UUID > $MDEV_TYPE/create
M=$MATRIX/$UUID
echo 1 > $M/assign_adapter
echo 9 > $M/assign_domain
ktap_check "guest_matrix has 01.0009" [ "$(cat $M/guest_matrix)" = "01.0009" ]
z0=$(counter 01.0009 zapq)
echo "fault 01.0009 zapq rc=0x05 count=1" > $SIM/control
ktap_check "unassigning the domain succeeds despite a BUSY ZAPQ" [ "$(write_attr $M/unassign_domain 9)" = OK ]
z1=$(counter 01.0009 zapq)
ktap_diag "ZAPQs on 01.0009: $z0 before, $z1 after"
ktap_check "vfio_ap issued ZAPQ again after the BUSY (at least 2 more)" [ $((z1 - z0)) -ge 2 ]
ktap_check "the last ZAPQ on 01.0009 succeeded" \
	sh -c "grep -q '^counter 01.0009 zapq .* rc=0x00' $SIM/counters"
# A reset that never completes, against the AP bus's own queue reset (the queue's
# reset attribute): the bus keeps the queue in "Reset in progress." and keeps polling
# with TAPQ; once the fault is lifted the reset completes. It is not injected under
# the C vfio_ap, which polls without a bound while holding its locks (reference
# R10) and would hang this guest.
echo "fault 02.0003 reset never" > $SIM/control
echo 1 > $AP/devices/02.0003/reset
sleep 2
t0=$(counter 02.0003 tapq)
ktap_check "a never-completing reset keeps 02.0003 in 'Reset in progress.'" \
	[ "$(cat $AP/devices/02.0003/reset)" = "Reset in progress." ]
sleep 1
t1=$(counter 02.0003 tapq)
ktap_diag "TAPQs on 02.0003 one second apart: $t0, $t1"
ktap_check "the bus keeps polling it with TAPQ" [ "$t1" -gt "$t0" ]
echo "fault 02.0003 reset normal" > $SIM/control
ktap_check "once the fault is lifted the reset completes" \
	wait_for 10 sh -c "[ \"\$(cat $AP/devices/02.0003/reset)\" != 'Reset in progress.' ]"
echo 1 > $M/remove
echo "clear faults" > $SIM/control
restore_masks
ktap_finish
