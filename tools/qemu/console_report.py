#!/usr/bin/env python3
"""Reads a guest console log: counts the KTAP results and finds kernel reports.

A run fails if any leaf test failed, if a subtest printed fewer results than its
plan, if the guest did not reach or finish its test runner, or if the kernel printed
any Oops, BUG, WARNING, lockdep, KASAN, UBSAN or panic report, even when every test
passed; the one exception is lockdep's report of VFIO type1's own lock cycle
(KNOWN_CYCLE), noted instead.

Usage: console_report.py CONSOLE_LOG
Prints the failures, then `guest: N passed, M failed, K skipped`, and exits 0 only
for a clean run.
"""

import re
import sys

BEGIN = "vfio-ap-rs guest: tests begin"
END = "vfio-ap-rs guest: tests end"

# Kernel log lines start with the printk timestamp (CONFIG_PRINTK_TIME).
KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d+\]\s?(.*)$")
KERNEL_REPORTS = [
    re.compile(p)
    for p in (
        r"\bOops\b",
        r"\bBUG:",
        r"^WARNING:",
        r"possible (circular|recursive) locking",
        r"inconsistent lock state",
        r"DEBUG_LOCKS_WARN_ON",
        r"suspicious RCU usage",
        r"trying to register non-static key",
        r"bad unlock balance",
        r"held lock freed",
        r"\bKASAN\b",
        r"\bUBSAN\b",
        r"Kernel panic",
        r"kernel BUG",
        r"Unable to handle kernel",
        r"general protection fault",
        r"sleeping function called from invalid context",
        r"list_(add|del) corruption",
        r"hung_task|blocked for more than",
        r"RCU stall|rcu_sched self-detected stall",
    )
]
RESULT = re.compile(r"^(\s*)(ok|not ok) (\d+)\b ?(.*)$")
PLAN = re.compile(r"^(\s*)1\.\.(\d+)\s*$")


# The one report that is not a failure: lockdep's cycle of VFIO's type1 IOMMU's own
# two locks. Linux 6.12's type1 calls the drivers' dma_unmap with device_list_lock
# held, dma_unmap must unpin, unpinning takes iommu->lock, and opening a device takes
# iommu->lock then device_list_lock. Any mdev driver that pins pages reaches it; the
# guest suite's dma_unmap step does, once, at its end (Documentation/testing.rst).
KNOWN_CYCLE = {"&iommu->lock", "&iommu->device_list_lock"}
CIRCULAR = re.compile(r"possible circular locking dependency")
LOCK_NAME = re.compile(r"\((&[^)]*)\)")


def cycle_locks(lines, i):
    """The locks named by the lockdep cycle report starting at lines[i]."""
    locks = set()
    want = False
    for line in lines[i + 1 : i + 16]:
        m = KERNEL_LINE.match(line)
        text = m.group(1) if m else line
        if want:
            name = LOCK_NAME.search(text)
            if name:
                locks.add(name.group(1))
            want = False
        if "is trying to acquire lock:" in text or "already holding lock:" in text:
            want = True
    return locks


def kernel_reports(lines):
    """(reports, known): the kernel reports that fail a run, and the known one."""
    found, known = [], []
    for i, line in enumerate(lines):
        m = KERNEL_LINE.match(line)
        if not (m and any(p.search(m.group(1)) for p in KERNEL_REPORTS)):
            continue
        if CIRCULAR.search(m.group(1)) and cycle_locks(lines, i) == KNOWN_CYCLE:
            known.append(line.strip())
        else:
            found.append(line.strip())
    return found, known


# How many diagnostic lines before a failed check its report carries.
DIAGNOSTICS_KEPT = 30


def ktap_results(lines):
    """Returns (passed, failed, skipped, problems) over the leaf results.

    A result with nested results is a parent: its leaves are what counts. A parent
    that is `not ok` although none of its leaves failed (a script that crashed or
    exited non-zero after passing tests) counts as one failure.
    """
    passed = failed = skipped = 0
    problems = []
    plans = {}  # depth -> planned count of the open (sub)test at that depth
    counts = {}  # depth -> results seen at that depth
    child_results = {}  # depth -> (results, failures) seen one level deeper
    diagnostics = []  # the `#` lines since the last result: why a check failed
    for raw in lines:
        if KERNEL_LINE.match(raw):
            continue
        line = raw.rstrip("\r\n")
        if line.lstrip().startswith("#"):
            diagnostics = (diagnostics + [line.strip()])[-DIAGNOSTICS_KEPT:]
            continue
        m = PLAN.match(line)
        if m:
            depth = len(m.group(1))
            plans[depth] = int(m.group(2))
            counts[depth] = 0
            continue
        if line.lstrip().startswith("Bail out!"):
            problems.append(line.strip())
            continue
        m = RESULT.match(line)
        if not m:
            continue
        depth = len(m.group(1))
        ok = m.group(2) == "ok"
        desc = m.group(4).strip()
        counts[depth] = counts.get(depth, 0) + 1
        child = depth + 4
        n_children, n_child_failures = child_results.pop(child, (0, 0))
        if child in plans:
            if counts.get(child, 0) < plans[child]:
                problems.append(
                    f"'{desc}' printed {counts.get(child, 0)} of {plans[child]} planned results"
                )
                failed += 1
                n_child_failures += 1
            plans.pop(child, None)
            counts.pop(child, None)
        if n_children:
            leaf_failed = False
            if not ok and n_child_failures == 0:
                problems.append(f"not ok: {desc}")
                failed += 1
                leaf_failed = True
        elif "# SKIP" in desc:
            skipped += 1
            leaf_failed = False
        elif ok:
            passed += 1
            leaf_failed = False
        else:
            failed += 1
            problems.append("\n    ".join([f"not ok: {desc}"] + diagnostics))
            leaf_failed = True
        diagnostics = []
        parent_results, parent_failures = child_results.get(depth, (0, 0))
        child_results[depth] = (
            parent_results + 1,
            parent_failures + (1 if leaf_failed or (not ok and n_child_failures) else 0),
        )
    if 0 in plans and counts.get(0, 0) < plans[0]:
        problems.append(f"top level printed {counts.get(0, 0)} of {plans[0]} planned results")
        failed += 1
    return passed, failed, skipped, problems


def main():
    with open(sys.argv[1], errors="replace") as f:
        lines = f.read().splitlines()
    failures = []
    try:
        start = lines.index(BEGIN)
    except ValueError:
        start = None
        failures.append("the guest never started its test runner")
    end = lines.index(END) if END in lines else None
    if start is not None and end is None:
        failures.append("the guest did not finish its test runner (timeout or crash)")
    region = lines[start + 1 : end] if start is not None else []
    passed, failed, skipped, problems = ktap_results(region)
    failures += problems
    if start is not None and passed + failed + skipped == 0:
        failures.append("no test ran in the guest")
        failed += 1
    reports, known = kernel_reports(lines)
    failures += [f"kernel report: {r}" for r in reports]
    for r in known:
        print(f"note: VFIO type1's own lock cycle, allowed: {r}")
    for f in failures:
        print(f"FAIL {f}")
    extra = len(reports) + (0 if start is not None else 1) + (0 if start is None or end is not None else 1)
    print(f"guest: {passed} passed, {failed + extra} failed, {skipped} skipped")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
