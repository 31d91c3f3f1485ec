#!/bin/sh
# Guest test runner: runs every test script listed in /tests/order (one path per
# line, relative to /tests) as a KTAP subtest, with its output indented by 4 spaces,
# and prints the overall KTAP document on the console.

# The first script of every boot: the emulator's code coherence.
EMULATOR_CHECK=emulator/01-code-coherence.sh

cd /tests || exit 1
n=$(grep -c . order)
echo "KTAP version 1"
echo "1..$n"
i=0
while IFS= read -r t; do
	[ -n "$t" ] || continue
	i=$((i + 1))
	echo "# running $t"
	# busybox sh has no pipefail: the script's status travels through a file.
	{ sh "/tests/$t" </dev/null 2>&1; echo $? > "/tmp/rc.$i"; } | sed 's/^/    /'
	rc=$(cat "/tmp/rc.$i" 2>/dev/null || echo 1)
	case "$rc" in
	0) echo "ok $i $t" ;;
	4) echo "ok $i $t # SKIP" ;;
	*) echo "not ok $i $t (exit $rc)" ;;
	esac
	if [ "$t" = "$EMULATOR_CHECK" ] && [ "$rc" != 0 ] && [ -e /tests/emulator-check-advisory ]; then
		# Only tools/qemu/stress.sh asks for this: it counts crashes on such emulators.
		echo "# the emulator runs stale code after rewriting it; this boot goes on (advisory check)"
	elif [ "$t" = "$EMULATOR_CHECK" ] && [ "$rc" != 0 ]; then
		echo "Bail out! the emulator runs stale code after rewriting it (QEMU before 8.2 does): no result of this boot would be evidence"
		exit 1
	fi
done < order
