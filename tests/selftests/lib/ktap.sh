# KTAP output helpers for guest test scripts (POSIX sh, busybox).
#
# A script sources this file, calls ktap_plan N, then one ktap_ok/ktap_fail/ktap_skip
# per test, and ends with ktap_finish, which exits 0 only if no test failed.

KTAP_NUM=0
KTAP_FAILED=0

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_ok() {
	KTAP_NUM=$((KTAP_NUM + 1))
	echo "ok $KTAP_NUM $*"
}

ktap_fail() {
	KTAP_NUM=$((KTAP_NUM + 1))
	KTAP_FAILED=$((KTAP_FAILED + 1))
	echo "not ok $KTAP_NUM $*"
}

ktap_skip() {
	KTAP_NUM=$((KTAP_NUM + 1))
	echo "ok $KTAP_NUM $1 # SKIP ${2:-}"
}

# ktap_diag TEXT...: a diagnostic line, ignored by result parsing.
ktap_diag() {
	echo "# $*"
}

# ktap_check NAME COMMAND...: one test whose result is COMMAND's exit status.
ktap_check() {
	name="$1"
	shift
	if "$@"; then ktap_ok "$name"; else ktap_fail "$name"; fi
}

ktap_finish() {
	[ "$KTAP_FAILED" = 0 ]
	exit $?
}

# write_attr FILE VALUE: writes VALUE (no newline added) in one write(2) and prints
# OK or the errno name of a failed write (EINVAL, EBUSY, ...). Uses apctl, which the
# guest image carries: shell redirections report errnos unreliably.
write_attr() {
	apctl write "$1" "$2"
}
