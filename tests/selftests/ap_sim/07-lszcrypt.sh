#!/bin/sh
# A real client: Debian's s390x lszcrypt (s390-tools) lists the simulated cards and
# queues as it would on an IBM Z machine.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

ktap_plan 4
load_zcrypt
out=$(lszcrypt 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
ktap_check "lszcrypt runs" [ $rc -eq 0 ]
ktap_check "it lists the four cards with their types" \
	sh -c "echo \"\$0\" | grep -qE '^00 +CEX7C' && echo \"\$0\" | grep -qE '^02 +CEX8A' && echo \"\$0\" | grep -qE '^03 +CEX8P'" "$out"
ktap_check "it lists queue 01.000f" sh -c "echo \"\$0\" | grep -qE '^01\.000f +CEX7C'" "$out"
ktap_check "it lists 4 cards and 64 queues" \
	[ "$(echo "$out" | grep -cE '^0[0-3] ')" -eq 4 -a "$(echo "$out" | grep -cE '^0[0-3]\.00[0-9a-f]{2} ')" -eq 64 ]
ktap_finish
