#!/bin/sh
# Guest test runner: runs every test script listed in /tests/order (one path per
# line, relative to /tests) as a KTAP subtest, with its output indented by 4 spaces,
# and prints the overall KTAP document on the console.

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
done < order
