#!/usr/bin/env python3
"""Tests of the stack-frame check (tools/check-stack-frames.sh) on a small s390x object."""

import os
import subprocess
import tempfile
import unittest

CHECK = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "check-stack-frames.sh")

# Four Rust (v0-mangled) functions of two crates, each allocating its frame with one of
# the prologue forms LLVM emits, and one C function that must not count.
SOURCE = """
\t.text
\t.globl _RNvCsd1234_5krate3big
_RNvCsd1234_5krate3big:
\tstmg %r14,%r15,112(%r15)
\taghi %r15,-4096
\tlmg %r14,%r15,4208(%r15)
\tbr %r14
\t.globl _RNvCsd1234_5krate5small
_RNvCsd1234_5krate5small:
\taghi %r15,-160
\tbr %r14
\t.globl _RNvCsd1234_5krate4huge
_RNvCsd1234_5krate4huge:
\tagfi %r15,-70000
\tbr %r14
\t.globl _RNvCsd1234_5other6layout
_RNvCsd1234_5other6layout:
\tlay %r15,-9000(%r15)
\tbr %r14
\t.globl c_function
c_function:
\tagfi %r15,-65536
\tbr %r14
"""


class CheckStackFramesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        src = os.path.join(cls.tmp.name, "frames.s")
        cls.obj = os.path.join(cls.tmp.name, "frames.o")
        with open(src, "w") as f:
            f.write(SOURCE)
        subprocess.run(["s390x-linux-gnu-as", src, "-o", cls.obj], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check(self, *args):
        r = subprocess.run([CHECK, *args], capture_output=True, text=True)
        return r.returncode, r.stdout

    def test_every_large_rust_frame_fails_by_name(self):
        rc, out = self.check(self.obj)
        self.assertEqual(rc, 1)
        self.assertIn("4 Rust functions", out)
        self.assertIn("FAIL 4096-byte frame (limit 2048) in krate[", out)
        self.assertIn("FAIL 70000-byte frame (limit 2048) in krate[", out)
        self.assertIn("FAIL 9000-byte frame (limit 2048) in other[", out)
        self.assertNotIn("160-byte", out)
        self.assertNotIn("65536", out)

    def test_crate_filter_keeps_only_the_named_crates(self):
        rc, out = self.check(self.obj + ":krate")
        self.assertEqual(rc, 1)
        self.assertIn("3 Rust functions", out)
        self.assertNotIn("other[", out)

    def test_frames_within_the_limit_pass(self):
        rc, out = self.check("--limit", "100000", self.obj)
        self.assertEqual(rc, 0, out)
        rc, out = self.check(self.obj + ":nosuchcrate")
        self.assertEqual(rc, 0, out)
        self.assertIn("0 Rust functions", out)

    def test_a_missing_object_fails(self):
        rc, out = self.check(os.path.join(self.tmp.name, "absent.ko"))
        self.assertEqual(rc, 1)
        self.assertIn("no such file", out)


if __name__ == "__main__":
    unittest.main()
