#!/bin/sh
# The AP bus on the default simulated machine (cards 0-1 CEX7 CCA, 2 CEX8
# accelerator, 3 CEX8 EP11; domains 0-15), then zcrypt binding every queue.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

ktap_plan 12

ktap_check "the simulator announces itself" sh -c 'dmesg | grep -q "ap_sim: simulated AP facility active"'
ktap_check "/sys/bus/ap exists" [ -d $AP ]
ktap_check "ap_adapter_mask is adapters 0-3" \
	[ "$(cat $AP/ap_adapter_mask)" = "0xf000000000000000000000000000000000000000000000000000000000000000" ]
ktap_check "ap_usage_domain_mask is domains 0-15" \
	[ "$(cat $AP/ap_usage_domain_mask)" = "0xffff000000000000000000000000000000000000000000000000000000000000" ]
ktap_check "features and limits follow QCI (APXA, na = nd = 255)" \
	[ "$(cat $AP/features) $(cat $AP/ap_max_adapter_id) $(cat $AP/ap_max_domain_id)" = "APXA 255 255" ]
ktap_check "card hardware types: CEX7, CEX7, CEX8, CEX8" \
	[ "$(cat $AP/devices/card0[0-3]/hwtype | tr '\n' ' ')" = "13 13 14 14 " ]
ktap_check "64 queue devices, 00.0000 to 03.000f" \
	[ "$(ls -d $AP/devices/0[0-3].00[0-9a-f][0-9a-f] | wc -l)" -eq 64 ]

load_zcrypt
ktap_check "zcrypt binds every queue" wait_for 30 sh -c "grep -q '^64/64 (complete)' $AP/bindings"
ktap_check "card types as zcrypt names them (CEX7C, CEX8A, CEX8P)" \
	[ "$(cat $AP/devices/card00/type) $(cat $AP/devices/card02/type) $(cat $AP/devices/card03/type)" = "CEX7C CEX8A CEX8P" ]
ktap_check "cards are online" [ "$(cat $AP/devices/card0[0-3]/online | tr -d '\n')" = "1111" ]
ktap_check "queue 02.0005 is bound to cex4queue" [ "$(driver_of 02.0005)" = cex4queue ]
errors=$(dmesg | grep -iE '(zcrypt|ap|cex4)[^ ]*: .*(error|fail)' | grep -v ap_sim)
[ -z "$errors" ] || ktap_diag "$errors"
ktap_check "no AP or zcrypt error in the log" [ -z "$errors" ]
ktap_finish
