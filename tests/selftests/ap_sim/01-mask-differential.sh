#!/bin/sh
# The stock C bus's apmask parser against apctl, our parser, run on the host: 500
# generated strings (absolute and relative, valid and invalid) written to
# /sys/bus/ap/apmask on top of a known current mask must give exactly the results
# apctl computed (01-mask-differential.prepare). Runs before any AP driver is loaded.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

dir=$(dirname "$0")
ktap_plan 2
if [ ! -f "$dir/mask_cases" ]; then
	ktap_fail "host-generated cases are in the image"
	ktap_fail "the C bus and apctl agree on every case"
	ktap_finish
fi

exec 3< "$dir/mask_expected"
mismatches=0
i=0
while IFS= read -r line; do
	IFS= read -r want <&3
	i=$((i + 1))
	cur=${line%% *}
	case=${line#* }
	echo "$cur" > $AP/apmask
	before=$(cat $AP/apmask)
	if printf '%b' "$case" > $AP/apmask 2>/dev/null; then
		got="ok $(cat $AP/apmask)"
	else
		got="error $(cat $AP/apmask)"
	fi
	if [ "$got" != "$want" ]; then
		mismatches=$((mismatches + 1))
		ktap_diag "mismatch for '$case' on $before: kernel '$got', apctl '$want'"
	fi
done < "$dir/mask_cases"
restore_masks
ktap_diag "$i cases, $mismatches mismatches"
ktap_check "500 host-generated cases were run" [ "$i" -eq 500 ]
ktap_check "the C bus and apctl agree on every case" [ "$mismatches" -eq 0 ]
ktap_finish
