# Leak checks around a test's rounds (sourced after /tests/lib/ktap.sh). The debug
# kernel has kmemleak; on a kernel without it the checks report a skip.

LEAKS=/sys/kernel/debug/kmemleak

# kmemleak reports an object only once it is 5 s old and unreferenced in a scan
# that found its contents unchanged since the scan before: age, then scan twice.
kmemleak_settle() {
	sleep 6
	echo scan > $LEAKS
	echo scan > $LEAKS
}

# kmemleak_baseline: forgets what boot and earlier steps left, including what
# they left too recently for one scan to judge, so later checks see only what
# came after.
kmemleak_baseline() {
	[ -e $LEAKS ] || return 0
	kmemleak_settle
	echo clear > $LEAKS
}

# kmemleak_save FILE: what leaked since the baseline, into FILE (one report per
# object, each starting with `unreferenced object`).
kmemleak_save() {
	[ -e $LEAKS ] || return 0
	kmemleak_settle
	cat $LEAKS > "$1"
}

# kmemleak_verdict DESCRIPTION FILE: one check, passing if FILE (kmemleak_save)
# holds no leak; the first report goes to the log as the failure's diagnostics.
kmemleak_verdict() {
	if ! [ -e $LEAKS ]; then
		ktap_skip "$1" "kernel $(cat /tests/kernel) has no kmemleak"
		return
	fi
	leaks=$(grep -c '^unreferenced object' "$2")
	[ "$leaks" = 0 ] || { ktap_diag "$leaks unreferenced objects; the first:"; head -28 "$2" | sed 's/^/# /'; }
	ktap_check "$1" [ "$leaks" = 0 ]
}

# kmemleak_check DESCRIPTION: kmemleak_verdict on what leaked up to now.
kmemleak_check() {
	kmemleak_save /tmp/kmemleak.now
	kmemleak_verdict "$1" /tmp/kmemleak.now
}
