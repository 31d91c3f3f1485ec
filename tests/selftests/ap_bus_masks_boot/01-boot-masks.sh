#!/bin/sh
# Boot with ap.apmask=0xffff ap.aqmask=+0-3,+8: the absolute form selects adapters
# 0-15 (MSK-29), the relative form starts from an empty mask (MSK-30), and the
# parameters keep their strings, mode 0440 (MSK-32).
. /tests/lib/ktap.sh
. /tests/lib/boot_masks.sh

z60=$(printf '%060d' 0)
ktap_plan 7
boot_masks_transcript
sed 's/^/# /' $TRANSCRIPT_OUT
ktap_check "apmask is adapters 0-15" grep -qxF "apmask: 0xffff$z60" $TRANSCRIPT_OUT
ktap_check "aqmask is domains 0-3 and 8" grep -qxF "aqmask: 0xf080$z60" $TRANSCRIPT_OUT
ktap_check "the apmask parameter keeps its string" grep -qxF "parameter apmask: 0xffff" $TRANSCRIPT_OUT
ktap_check "the aqmask parameter keeps its string" grep -qxF "parameter aqmask: +0-3,+8" $TRANSCRIPT_OUT
ktap_check "parameters are mode 440" grep -qxF "mode parameter apmask: 440" $TRANSCRIPT_OUT
ktap_check "pool queues (4 adapters x 5 domains) bind to cex4queue" grep -qxF "queues bound to cex4queue: 20" $TRANSCRIPT_OUT
ktap_check "the other 44 bind to vfio_ap" grep -qxF "queues bound to vfio_ap: 44" $TRANSCRIPT_OUT
transcript_emit ap_bus_masks_boot $TRANSCRIPT_OUT
ktap_finish
