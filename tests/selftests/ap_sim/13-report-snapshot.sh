#!/bin/sh
# Each open of a simulator report is one snapshot: a reader taking the report in
# small chunks gets the report as it was at open, whole, even when the simulated
# machine changes between two of its reads.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

ktap_plan 3
cat $SIM/state > /tmp/snap.before
exec 3< $SIM/state
dd bs=64 count=1 <&3 > /tmp/snap.head 2>/dev/null
echo "checkstop 02.0006" > $SIM/control
cat <&3 > /tmp/snap.tail
exec 3<&-
cat /tmp/snap.head /tmp/snap.tail > /tmp/snap.chunked
ktap_check "the first read returned one chunk of 64 bytes" [ "$(wc -c < /tmp/snap.head)" -eq 64 ]
ktap_check "the chunks read across a change are the report as it was at open" cmp -s /tmp/snap.before /tmp/snap.chunked
cat $SIM/state > /tmp/snap.after
echo "uncheckstop 02.0006" > $SIM/control
ktap_check "a new open sees the change" sh -c "! cmp -s /tmp/snap.before /tmp/snap.after"
ktap_finish
