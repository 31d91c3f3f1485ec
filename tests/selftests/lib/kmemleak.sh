# Leak checks around a test's rounds (sourced after /tests/lib/ktap.sh). The debug
# kernel has kmemleak; on a kernel without it the check reports a skip.

LEAKS=/sys/kernel/debug/kmemleak

# kmemleak reports an object only once it is 5 s old and unreferenced in a scan
# that found its contents unchanged since the scan before: age, then scan twice.
kmemleak_settle() {
	sleep 6
	echo scan > $LEAKS
	echo scan > $LEAKS
}

# kmemleak_baseline: forgets what boot and earlier tests left, including what
# they freed too recently for one scan to judge, so the check sees only ours.
kmemleak_baseline() {
	[ -e $LEAKS ] || return 0
	kmemleak_settle
	echo clear > $LEAKS
}

# kmemleak_check DESCRIPTION: one check, passing if nothing leaked since the
# baseline; the first report goes to the log as the failure's diagnostics.
kmemleak_check() {
	if ! [ -e $LEAKS ]; then
		ktap_skip "$1" "kernel $(cat /tests/kernel) has no kmemleak"
		return
	fi
	kmemleak_settle
	leaks=$(grep -c '^unreferenced object' $LEAKS)
	[ "$leaks" = 0 ] || { ktap_diag "$leaks unreferenced objects; the first:"; head -28 $LEAKS | sed 's/^/# /'; }
	ktap_check "$1" [ "$leaks" = 0 ]
}
