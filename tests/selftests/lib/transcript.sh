# Transcripts: one line per observation of a fixed sequence of sysfs operations, so
# that two runs (two drivers in one boot, or two kernels) can be compared line by
# line. Sourced after /tests/lib/ktap.sh; the caller sets TRANSCRIPT_OUT (the file),
# TRANSCRIPT_TAG (unique per run) and TRANSCRIPT_LOG (an awk regex: which kernel log
# lines belong in the transcript).
#
# Transcript lines:
#   == SECTION                          start of a section
#   NAME "VALUE" -> OK|ERRNO            one write(2) of VALUE ('\n' is a newline)
#   NAME: CONTENT                       one read; lines joined by ',', "(empty)",
#                                       "(absent)", "(no final newline)" when so
#   dmesg: TEXT                         a kernel log line matching TRANSCRIPT_LOG,
#                                       logged during the section, without its
#                                       timestamp and with iommu group numbers as N
#
# Under TCG with a debug kernel every fork costs a good fraction of a second, so
# the helpers read attributes and test bindings with shell builtins only; the one
# process per write is apctl.

. /tests/lib/ap.sh
TRANSCRIPT_LOG=${TRANSCRIPT_LOG:-'vfio_ap|MDEV:'}

# link_name PATH: the last component of symlink PATH's target, or "none".
link_name() {
	if [ -L "$1" ]; then t=$(readlink "$1"); echo "${t##*/}"; else echo none; fi
}

# find_driver APQN: sets DRIVER to the AP driver queue APQN is bound to, or "none"
# (ap.sh's driver_of prints it; this one needs no subshell per call).
find_driver() {
	DRIVER=none
	for d in "$AP"/drivers/*; do
		[ -e "$d/$1" ] && DRIVER=${d##*/}
	done
}

# bound_count DRIVER: sets COUNT to how many queues are bound to AP driver DRIVER.
bound_count() {
	set -- "$AP/drivers/$1"/[0-9a-f][0-9a-f].[0-9a-f][0-9a-f][0-9a-f][0-9a-f]
	COUNT=$#
	[ -e "$1" ] || COUNT=0
}

# queues_bound DRIVER N: exactly N queues are bound to DRIVER.
queues_bound() {
	bound_count "$1"
	[ "$COUNT" -eq "$2" ]
}

# is_bound APQN DRIVER
is_bound() {
	[ -e "$AP/drivers/$2/$1" ]
}

# read_attr FILE: sets VALUE to FILE's lines joined by commas, "(empty)" for no
# content, "(absent)" without the file, plus " (no final newline)" when so.
read_attr() {
	if [ ! -e "$1" ]; then
		VALUE="(absent)"
		return
	fi
	VALUE=
	first=1
	line=
	{
		while IFS= read -r line; do
			if [ $first = 1 ]; then VALUE=$line; first=0; else VALUE="$VALUE,$line"; fi
			line=
		done
	} < "$1" 2>/dev/null || true
	if [ -n "$line" ]; then
		if [ $first = 1 ]; then VALUE=$line; else VALUE="$VALUE,$line"; fi
		VALUE="$VALUE (no final newline)"
	elif [ $first = 1 ]; then
		VALUE="(empty)"
	fi
}

# attr_is FILE VALUE: FILE reads as VALUE (in read_attr's form).
attr_is() {
	read_attr "$1"
	[ "$VALUE" = "$2" ]
}

# absent PATH...: none of the paths exists.
absent() {
	for p in "$@"; do [ ! -e "$p" ] || return 1; done
}

# words: its input lines as one line of space-separated words.
words() {
	tr '\n' ' ' | sed 's/ *$//'
}

# --- the transcript ---------------------------------------------------------------

rec() {
	printf '%s\n' "$*" >> "$TRANSCRIPT_OUT"
}

# put NAME FILE VALUE: one write of VALUE (printf %b escapes, so '\n' is a newline)
# to FILE, recorded as `NAME "VALUE" -> OK` or the errno name.
put() {
	case $3 in
	*\\*) v=$(printf '%b_' "$3"); v=${v%_} ;;
	*) v=$3 ;;
	esac
	rec "$1 \"$3\" -> $(write_attr "$2" "$v")"
}

# show NAME FILE: one read of FILE, recorded with its lines joined by commas.
show() {
	read_attr "$2"
	rec "$1: $VALUE"
}

# The kernel log is cut into sections by marker lines written to /dev/kmsg.
TRANSCRIPT_MARK=
mark_log() {
	TRANSCRIPT_MARK="transcript-mark $TRANSCRIPT_TAG.$1"
	echo "$TRANSCRIPT_MARK" > /dev/kmsg
}
flush_log() {
	[ -n "$TRANSCRIPT_MARK" ] || return 0
	dmesg | sed -e 's/^\[[^]]*\] //' -e 's/^\[ *[TC][0-9]*\] //' \
		-e 's/iommu group [0-9]*/iommu group N/' |
		TRANSCRIPT_MARK="$TRANSCRIPT_MARK" TRANSCRIPT_LOG="$TRANSCRIPT_LOG" awk '
			$0 == ENVIRON["TRANSCRIPT_MARK"] { seen = 1; n = 0; next }
			# The taint notice comes once per boot, with whichever module is first.
			# Backtrace lines (symbol+offset/size) name code, not behaviour.
			seen && $0 ~ ENVIRON["TRANSCRIPT_LOG"] && !/^transcript-mark / && !/taints kernel/ &&
				!/\+0x[0-9a-f]+\/0x[0-9a-f]+/ { line[n++] = $0 }
			END {
				if (!seen) print "dmesg: (section marker not found)"
				for (i = 0; i < n; i++) print "dmesg: " line[i]
			}' >> "$TRANSCRIPT_OUT"
}
section() {
	flush_log
	rec "== $1"
	mark_log "$1"
}

# check_expectations TRANSCRIPT EXPECTATIONS: one KTAP test per line of the file
# EXPECTATIONS, `SECTION<TAB>LINE` (LINE is in that section of the transcript) or
# `SECTION<TAB>LINE<TAB>NEXT` (LINE is immediately followed by NEXT there). One awk
# run decides them all; the results are reported from this shell, so the KTAP
# counters stay in the caller.
check_expectations() {
	TRANSCRIPT="$1" awk -F '\t' '
		BEGIN {
			file = ENVIRON["TRANSCRIPT"]
			while ((getline l < file) > 0) {
				if (l ~ /^== /) { sec = substr(l, 4); prev = "\001"; continue }
				has[sec SUBSEP l] = 1
				pair[sec SUBSEP prev SUBSEP l] = 1
				prev = l
			}
		}
		$1 == "" { next }
		NF < 3 { print (($1 SUBSEP $2) in has ? "ok" : "fail") "\t" $1 ": " $2; next }
		{ print (($1 SUBSEP $2 SUBSEP $3) in pair ? "ok" : "fail") "\t" $1 ": " $2 ", then " $3 }
	' "$2" > /tmp/transcript.results
	tab='	'
	while IFS="$tab" read -r result name; do
		if [ "$result" = ok ]; then ktap_ok "$name"; else ktap_fail "$name"; fi
	done < /tmp/transcript.results
}

# section_lines SECTION FILE: the lines of one section of a transcript.
section_lines() {
	SECTION="== $1" awk '/^== / { in_s = ($0 == ENVIRON["SECTION"]); next } in_s' "$2"
}

# allow_normalise ALLOW_FILE c|rust TRANSCRIPT: the transcript with the allow-list's
# deliberate differences taken out (vfio_ap_parity/parity-allow.txt describes the
# format).
allow_normalise() {
	ALLOW="$1" SIDE="$2" awk '
		BEGIN {
			allow = ENVIRON["ALLOW"]; side = ENVIRON["SIDE"]
			while ((getline l < allow) > 0) {
				if (l ~ /^c:/) { c = substr(l, 3); sub(/^ /, "", c); have_c = 1 }
				else if (l ~ /^rust:/ && have_c) {
					r = substr(l, 6); sub(/^ /, "", r)
					n++; cl[n] = c; rl[n] = r; have_c = 0
				}
			}
		}
		{
			line = $0
			for (i = 1; i <= n; i++) {
				if (side == "rust" && rl[i] != "" && line == rl[i]) {
					if (cl[i] == "") next
					line = cl[i]
					break
				}
				if (side == "c" && rl[i] == "" && line == cl[i]) next
			}
			print line
		}' "$3"
}

# compare_lines C_FILE RUST_FILE: prints (as KTAP diagnostics) every line that
# differs between the two files, by position; succeeds when there is none.
compare_lines() {
	RUST_FILE="$2" awk '
		BEGIN { rs = ENVIRON["RUST_FILE"] }
		{
			n++
			if ((getline r < rs) <= 0) r = "(missing)"
			if ($0 != r) { bad++; if (bad <= 20) printf "#   line %d: C \"%s\", Rust \"%s\"\n", n, $0, r }
		}
		END {
			while ((getline r < rs) > 0) { n++; bad++; if (bad <= 20) printf "#   line %d: C (missing), Rust \"%s\"\n", n, r }
			if (bad > 20) printf "#   ... %d differences in all\n", bad
			exit bad != 0
		}' "$1"
}

# run_both NAME: a suite's scenario (its `run_scenario DRIVER_KO OUT`) against the
# C vfio_ap.ko, unless an earlier script of the suite ran it in this boot, then
# against vfio_ap_rs.ko. Sets C_OUT and RS_OUT (/tmp/NAME.vfio_ap[_rs], the
# transcripts), RS_KO, and TOOK (the Rust run's seconds).
run_both() {
	C_OUT=/tmp/$1.vfio_ap
	RS_OUT=/tmp/$1.vfio_ap_rs
	RS_KO=/modules/vfio_ap_rs.ko
	[ -s "$C_OUT" ] || run_scenario /modules/vfio_ap.ko "$C_OUT" > "$C_OUT.log" 2>&1
	: > "$RS_OUT"
	start=$(date +%s)
	[ -f $RS_KO ] && run_scenario $RS_KO "$RS_OUT" > "$RS_OUT.log" 2>&1
	TOOK=$(($(date +%s) - start))
}

# compare_sections C_OUT RUST_OUT ALLOW_FILE: one KTAP test per section of the C
# transcript (the Rust one has it, with the same lines once ALLOW_FILE's deliberate
# differences are taken out), then one that no section is only in the Rust one:
# as many tests as C_OUT has sections, plus one.
compare_sections() {
	allow_normalise "$3" c "$1" > /tmp/compare.c.norm
	allow_normalise "$3" rust "$2" > /tmp/compare.rs.norm
	sections=$(sed -n 's/^== //p' "$1")
	for s in $sections; do
		section_lines "$s" /tmp/compare.c.norm > /tmp/compare.c.sec
		section_lines "$s" /tmp/compare.rs.norm > /tmp/compare.rs.sec
		if ! grep -qxF "== $s" /tmp/compare.rs.norm; then
			ktap_fail "section $s: matches the C transcript"
			ktap_diag "  section $s is missing from the Rust transcript"
		elif compare_lines /tmp/compare.c.sec /tmp/compare.rs.sec > /tmp/compare.diff; then
			ktap_ok "section $s: matches the C transcript"
		else
			ktap_fail "section $s: matches the C transcript"
			cat /tmp/compare.diff
		fi
	done
	extra=$(sed -n 's/^== //p' /tmp/compare.rs.norm | grep -vxF "$sections")
	[ -z "$extra" ] || ktap_diag "sections only in the Rust transcript: $extra"
	ktap_check "no section is only in the Rust transcript" [ -z "$extra" ]
}

# transcript_emit NAME FILE: prints FILE on the console as KTAP diagnostics that the
# host harness collects from every boot and compares across kernels
# (tools/qemu/transcripts.py): `# transcript NAME begin`, one `# transcript NAME | LINE`
# per line, `# transcript NAME end N`.
transcript_emit() {
	echo "# transcript $1 begin"
	n=0
	while IFS= read -r line; do
		echo "# transcript $1 | $line"
		n=$((n + 1))
	done < "$2"
	echo "# transcript $1 end $n"
}
