#!/bin/sh
# Boot with ap.apmask=zz ap.aqmask=-5: a malformed mask is left all-zero, silently
# (MSK-31), and a relative form on the empty mask that clears a bit stays empty
# (MSK-30): no queue is in the pool, every one goes to vfio_ap.
. /tests/lib/ktap.sh
. /tests/lib/boot_masks.sh

z62=$(printf '%062d' 0)
ktap_plan 6
boot_masks_transcript
sed 's/^/# /' $TRANSCRIPT_OUT
ktap_check "apmask is empty" grep -qxF "apmask: 0x${z62}00" $TRANSCRIPT_OUT
ktap_check "aqmask is empty" grep -qxF "aqmask: 0x${z62}00" $TRANSCRIPT_OUT
ktap_check "the parameter keeps the malformed string" grep -qxF "parameter apmask: zz" $TRANSCRIPT_OUT
ktap_check "no queue binds to cex4queue" grep -qxF "queues bound to cex4queue: 0" $TRANSCRIPT_OUT
ktap_check "all 64 bind to vfio_ap" grep -qxF "queues bound to vfio_ap: 64" $TRANSCRIPT_OUT
ktap_check "no AP bus error logged for the malformed mask" sh -c "! dmesg | grep -iE '^\[[^]]*\] ap: .*(mask|invalid)'"
transcript_emit ap_bus_masks_badboot $TRANSCRIPT_OUT
ktap_finish
