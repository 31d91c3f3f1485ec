#!/usr/bin/env python3
"""Compares the transcripts guest suites print from different kernels.

A guest test prints a transcript (tests/selftests/lib/transcript.sh, transcript_emit)
as KTAP diagnostics:

    # transcript NAME begin
    # transcript NAME | LINE          (one per line)
    # transcript NAME end N

Every transcript NAME must be printed whole (begin, N lines, end) by at least two
different kernels, and every copy must equal the first. One result per NAME.

Usage: transcripts.py KERNEL=CONSOLE_LOG...
Prints one line per transcript, then `transcripts: N passed, M failed`; exits 0
only if every transcript passed.
"""

import re
import sys

LINE = re.compile(r"^\s*# transcript (\S+) (begin|end \d+|\| ?(.*))$")


def read_transcripts(path):
    """NAME -> list of lines, or None if the copy was torn."""
    found = {}
    open_ = {}
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\r\n"))
            if not m:
                continue
            name, what = m.group(1), m.group(2)
            if what == "begin":
                open_[name] = []
            elif what.startswith("end "):
                lines = open_.pop(name, None)
                if lines is not None and len(lines) == int(what[4:]):
                    found[name] = lines
                else:
                    found[name] = None
            elif name in open_:
                open_[name].append(m.group(3) or "")
    for name in open_:
        found[name] = None
    return found


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i + 1, x, y
    n = min(len(a), len(b)) + 1
    return n, a[n - 1] if len(a) >= n else "(missing)", b[n - 1] if len(b) >= n else "(missing)"


def main(args):
    copies = {}  # NAME -> [(kernel, lines or None)]
    for arg in args:
        kernel, _, path = arg.partition("=")
        try:
            found = read_transcripts(path)
        except OSError as e:
            print(f"transcripts: cannot read {path}: {e}")
            continue
        for name, lines in found.items():
            copies.setdefault(name, []).append((kernel, lines))
    passed = failed = 0
    for name in sorted(copies):
        seen = copies[name]
        torn = [k for k, lines in seen if lines is None]
        kernels = sorted({k for k, _ in seen})
        if torn:
            print(f"FAIL transcript {name}: torn copy from kernel {', '.join(torn)}")
            failed += 1
            continue
        if len(kernels) < 2:
            print(f"FAIL transcript {name}: printed only by kernel {kernels[0]}, nothing to compare")
            failed += 1
            continue
        ref_kernel, ref = seen[0]
        bad = [(k, lines) for k, lines in seen[1:] if lines != ref]
        if bad:
            failed += 1
            for k, lines in bad:
                n, x, y = first_difference(ref, lines)
                print(f"FAIL transcript {name}: kernel {k} differs from kernel {ref_kernel} "
                      f"at line {n}: \"{x}\" vs \"{y}\"")
        else:
            passed += 1
            print(f"ok   transcript {name}: {len(ref)} lines, identical on kernels {', '.join(kernels)}")
    print(f"transcripts: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
