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

# kmemleak_judge DESCRIPTION FILE COMMAND...: one check of FILE (kmemleak_save),
# passing if COMMAND succeeds; the first report in FILE goes to the log.
kmemleak_judge() {
	kmemleak_desc=$1 kmemleak_file=$2
	shift 2
	if ! [ -e $LEAKS ]; then
		ktap_skip "$kmemleak_desc" "kernel $(cat /tests/kernel) has no kmemleak"
		return
	fi
	leaks=$(grep -c '^unreferenced object' "$kmemleak_file")
	[ "$leaks" = 0 ] || { ktap_diag "$leaks unreferenced objects; the first:"; head -28 "$kmemleak_file" | sed 's/^/# /'; }
	ktap_check "$kmemleak_desc" "$@"
}

# kmemleak_none FILE: FILE (kmemleak_save) exists and holds no leak.
kmemleak_none() {
	[ "$(grep -c '^unreferenced object' "$1")" = 0 ]
}

# kmemleak_verdict DESCRIPTION FILE: one check, passing if FILE holds no leak.
kmemleak_verdict() {
	kmemleak_judge "$1" "$2" kmemleak_none "$2"
}

# kmemleak_check DESCRIPTION: kmemleak_verdict on what leaked up to now.
kmemleak_check() {
	kmemleak_save /tmp/kmemleak.now
	kmemleak_verdict "$1" /tmp/kmemleak.now
}
