#!/usr/bin/env python3
"""Tests of the cross-kernel transcript comparison (tools/qemu/transcripts.py)."""

import os
import subprocess
import sys
import tempfile
import unittest

TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "qemu", "transcripts.py")


def console(name, lines, end=None):
    """Console lines of one transcript, as the guest prints them (indented)."""
    out = [f"    # transcript {name} begin"]
    out += [f"    # transcript {name} | {line}" for line in lines]
    out.append(f"    # transcript {name} end {len(lines) if end is None else end}")
    return out


def compare(*boots):
    """boots: (kernel, console lines); returns (exit code, stdout lines)."""
    paths = []
    try:
        for kernel, lines in boots:
            with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
                f.write("\n".join(["[    1.0] some kernel line"] + lines) + "\n")
                paths.append((kernel, f.name))
        r = subprocess.run([sys.executable, TOOL] + [f"{k}={p}" for k, p in paths],
                           capture_output=True, text=True)
    finally:
        for _, p in paths:
            os.unlink(p)
    return r.returncode, r.stdout.strip().splitlines()


class TranscriptsTest(unittest.TestCase):
    def test_identical_on_two_kernels_passes(self):
        t = ["== a", 'apmask "+1" -> OK', "x: (empty)", ""]
        rc, out = compare(("default", console("m", t)), ("upstream-masks", console("m", t)))
        self.assertEqual(rc, 0, out)
        self.assertEqual(out[-1], "transcripts: 1 passed, 0 failed")

    def test_a_different_line_fails_and_is_shown(self):
        rc, out = compare(("default", console("m", ["a", "b"])),
                          ("upstream-masks", console("m", ["a", "c"])))
        self.assertEqual(rc, 1)
        self.assertIn('line 2: "b" vs "c"', "\n".join(out))
        self.assertEqual(out[-1], "transcripts: 0 passed, 1 failed")

    def test_a_missing_line_fails(self):
        rc, out = compare(("default", console("m", ["a", "b"])),
                          ("upstream-masks", console("m", ["a"])))
        self.assertEqual(rc, 1)
        self.assertIn("(missing)", "\n".join(out))

    def test_one_kernel_only_fails(self):
        rc, out = compare(("default", console("m", ["a"])), ("default", console("m", ["a"])))
        self.assertEqual(rc, 1)
        self.assertIn("printed only by kernel default", "\n".join(out))

    def test_a_torn_copy_fails(self):
        rc, out = compare(("default", console("m", ["a", "b"], end=3)),
                          ("upstream-masks", console("m", ["a", "b"])))
        self.assertEqual(rc, 1)
        self.assertIn("torn copy", "\n".join(out))

    def test_no_transcripts_is_nothing_to_count(self):
        rc, out = compare(("default", ["    ok 1 x"]))
        self.assertEqual(rc, 0)
        self.assertEqual(out[-1], "transcripts: 0 passed, 0 failed")


if __name__ == "__main__":
    unittest.main()
