#!/usr/bin/env python3
"""Tests of the guest console judge (tools/qemu/console_report.py)."""

import os
import subprocess
import sys
import tempfile
import unittest

JUDGE = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "qemu", "console_report.py")
BEGIN = "vfio-ap-rs guest: tests begin"
END = "vfio-ap-rs guest: tests end"

CLEAN = [
    BEGIN,
    "KTAP version 1",
    "1..1",
    "    KTAP version 1",
    "    1..2",
    "    ok 1 first",
    "[   11.414071] vfio_ap_rs: loaded",
    "    ok 2 second # SKIP not here",
    "ok 1 suite/a.sh",
    END,
]


def judge(lines):
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        path = f.name
    try:
        r = subprocess.run([sys.executable, JUDGE, path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    return r.returncode, r.stdout.strip().splitlines()[-1], r.stdout


class ConsoleReportTest(unittest.TestCase):
    def test_clean_run_passes(self):
        rc, summary, _ = judge(CLEAN)
        self.assertEqual(rc, 0)
        self.assertEqual(summary, "guest: 1 passed, 0 failed, 1 skipped")

    def test_failed_check_carries_the_diagnostics_printed_before_it(self):
        lines = CLEAN[:5] + [
            "    # unrelated, before a passing check",
            "    ok 1 first",
            "    # unreferenced object 0x1 (size 64):",
            "    #   backtrace (crc 0):",
            "    not ok 2 kmemleak finds nothing",
            "not ok 1 suite/a.sh",
            END,
        ]
        rc, _, out = judge(lines)
        self.assertEqual(rc, 1)
        self.assertIn(
            "FAIL not ok: kmemleak finds nothing\n    # unreferenced object 0x1 (size 64):\n"
            "    #   backtrace (crc 0):\n",
            out,
        )
        self.assertNotIn("unrelated", out)

    def test_kernel_warning_fails_a_passing_run(self):
        lines = CLEAN[:6] + ["[   13.3] WARNING: CPU: 0 PID: 84 at x.c:2 f+0x4/0x10"] + CLEAN[6:]
        rc, summary, out = judge(lines)
        self.assertEqual(rc, 1)
        self.assertIn("kernel report", out)
        self.assertEqual(summary, "guest: 1 passed, 1 failed, 1 skipped")

    def lockdep_cycle(self, acquire, holding):
        return [
            "[   58.567087] WARNING: possible circular locking dependency detected",
            "[   58.567770] 6.12.118 #3 Tainted: G           O",
            "[   58.568459] ap-vmm/147 is trying to acquire lock:",
            f"[   58.568738] 0000000005058488 ({acquire}){{+.+.}}-{{3:3}}, at: f+0x58/0x230",
            "[   58.570515] ",
            "[   58.570515] but task is already holding lock:",
            f"[   58.570654] 0000000005058530 ({holding}){{+.+.}}-{{3:3}}, at: g+0x5e/0x1b0",
        ]

    def test_vfio_type1_own_cycle_is_only_noted(self):
        report = self.lockdep_cycle("&iommu->lock", "&iommu->device_list_lock")
        rc, summary, out = judge(CLEAN[:-1] + report + [END])
        self.assertEqual(rc, 0)
        self.assertIn("note: VFIO type1's own lock cycle", out)
        self.assertEqual(summary, "guest: 1 passed, 0 failed, 1 skipped")

    def test_a_cycle_with_any_other_lock_fails(self):
        report = self.lockdep_cycle("&matrix_dev->mdevs_lock", "&iommu->device_list_lock")
        rc, _, out = judge(CLEAN[:-1] + report + [END])
        self.assertEqual(rc, 1)
        self.assertIn("kernel report", out)

    def test_kasan_and_lockdep_reports_fail(self):
        for report in (
            "BUG: KASAN: slab-out-of-bounds in vsnprintf+0x1/0x2",
            "WARNING: possible circular locking dependency detected",
            "Kernel panic - not syncing: Fatal exception",
        ):
            rc, _, _ = judge(CLEAN[:-1] + [f"[    5.000001] {report}", END])
            self.assertEqual(rc, 1, report)

    def test_informational_lockdep_banner_is_not_a_report(self):
        rc, _, _ = judge(["[    3.4] rcu: \tRCU lockdep checking is enabled."] + CLEAN)
        self.assertEqual(rc, 0)

    def test_report_words_in_test_output_do_not_count(self):
        lines = CLEAN[:5] + ["    # the driver must not WARNING: or BUG: here"] + CLEAN[5:]
        rc, _, _ = judge(lines)
        self.assertEqual(rc, 0)

    def test_missing_end_marker_fails(self):
        rc, _, out = judge(CLEAN[:-1])
        self.assertEqual(rc, 1)
        self.assertIn("did not finish", out)

    def test_a_run_without_tests_fails(self):
        rc, _, out = judge([BEGIN, "KTAP version 1", "1..0", END])
        self.assertEqual(rc, 1)
        self.assertIn("no test ran", out)

    def test_short_plan_fails(self):
        lines = [BEGIN, "KTAP version 1", "1..1", "    1..3", "    ok 1 a", "not ok 1 s", END]
        rc, summary, _ = judge(lines)
        self.assertEqual(rc, 1)
        self.assertEqual(summary, "guest: 1 passed, 1 failed, 0 skipped")

    def test_failing_parent_without_failing_leaf_counts_once(self):
        lines = [BEGIN, "1..1", "    1..1", "    ok 1 a", "not ok 1 s (exit 2)", END]
        rc, summary, _ = judge(lines)
        self.assertEqual(rc, 1)
        self.assertEqual(summary, "guest: 1 passed, 1 failed, 0 skipped")

    def test_failing_leaf_is_not_counted_twice(self):
        lines = [BEGIN, "1..1", "    1..2", "    ok 1 a", "    not ok 2 b", "not ok 1 s", END]
        _, summary, _ = judge(lines)
        self.assertEqual(summary, "guest: 1 passed, 1 failed, 0 skipped")

    def test_bail_out_fails_the_boot(self):
        lines = [BEGIN, "KTAP version 1", "1..2", "not ok 1 emulator/01-code-coherence.sh (exit 1)",
                 "Bail out! the emulator runs stale code after rewriting it", END]
        rc, _, out = judge(lines)
        self.assertEqual(rc, 1)
        self.assertIn("Bail out! the emulator runs stale code", out)


if __name__ == "__main__":
    unittest.main()
