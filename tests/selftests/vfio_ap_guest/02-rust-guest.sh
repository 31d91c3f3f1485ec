#!/bin/sh
# The guest scenario (lib.inc) against our vfio_ap_rs.ko, run in the same boot as
# the C reference by 01-c-reference.sh (ours first), its transcript compared with
# the C one line by line, one test per section. Differences listed in
# guest-allow.txt are deliberate and accepted; every other difference fails.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

dir=$(dirname "$0")
[ -e $RS_OUT ] || : > $RS_OUT
verdict=$(lockdep_verdict /tmp/guest.rust_kmsg 2>/dev/null)

n=$(sed -n 's/^== //p' $C_OUT | grep -c .)
ktap_plan $((n + 7))
ktap_diag "C transcript: $(wc -l < $C_OUT) lines; Rust transcript: $(wc -l < $RS_OUT) lines, scenario took $(cat /tmp/guest.rust_took 2>/dev/null) s"
ktap_diag "lockdep during the Rust run: $verdict"
sed 's/^/# /' $RS_OUT
ktap_check "vfio_ap_rs.ko is in the guest image" [ -f $RS_KO ]
ktap_check "the Rust scenario ran to its end" grep -qxF '== cleanup' $RS_OUT
ktap_check "every lost queue left the guest's APCB before it was reset" pushes_precede_resets $RS_OUT
# The configuration-change eventfd fired once for every push since it was armed.
cfg_chg_counts_pushes() {
	awk '/^vmm irq-arm A 1: ok$/ { on = 1; next }
		on && /^events:/ { for (i = 2; i <= NF; i++) if ($i == "push") n++ }
		on && /^vmm irq-count A 1: ok count=/ { sub(/.*count=/, ""); got = $0; done = 1; exit }
		END { exit !(done && n > 0 && got == n) }' "$1"
}
ktap_check "the configuration-change eventfd fired once per push" cfg_chg_counts_pushes $RS_OUT
if [ "$(cat /tmp/guest.lockdep_on 2>/dev/null)" = 1 ]; then
	ktap_check "lockdep saw no lock cycle of the driver's (the VFIO core's own allowed)" \
		[ "$verdict" = quiet -o "$verdict" = "vfio core" ]
else
	ktap_skip "lockdep saw no lock cycle of the driver's" "lockdep is off in this kernel or boot"
fi
kmemleak_verdict "kmemleak finds no leak after the Rust scenario (the C one leaks, M1)" $RS_LEAKS
compare_sections $C_OUT $RS_OUT "$dir/guest-allow.txt"
ktap_finish
