#!/bin/sh
# apctl in the guest: the static s390x build computes the same masks as the sysfs
# grammar says (big-endian host, so byte order mistakes would show here).
. /tests/lib/ktap.sh

ktap_plan 6

if ! command -v apctl >/dev/null; then
	for i in 1 2 3 4 5 6; do ktap_fail "apctl is in the guest image"; done
	ktap_finish
fi

zeros() { printf '%*s' "$1" '' | tr ' ' 0; }

# expect NAME EXPECTED apctl-args...
expect() {
	name="$1"; want="$2"; shift 2
	got=$(apctl "$@" 2>&1)
	if [ "$got" = "$want" ]; then ktap_ok "$name"; else ktap_diag "got '$got'"; ktap_fail "$name"; fi
}

expect "absolute 0x8 is ID 0 only" "0x8$(zeros 63)" mask parse 0x8
expect "absolute 0x41 is IDs 1 and 7" "0x41$(zeros 62)" mask parse 0x41
expect "relative ranges at width 16" "0xf001" mask parse --bits 16 +0-3,+15

got=$(printf -- '-0-3' | apctl mask parse --bits 8 --current 0xff - 2>&1)
ktap_check "relative clear from stdin, relative to --current" [ "$got" = "0x0f" ]

apctl mask parse 0Xff >/dev/null 2>/tmp/err
rc=$?
ktap_check "0X prefix is refused with a non-zero exit" [ $rc -ne 0 ]
ktap_check "the refusal names the offending byte" grep -q "byte" /tmp/err
ktap_finish
