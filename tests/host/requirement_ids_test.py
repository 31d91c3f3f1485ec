#!/usr/bin/env python3
"""Every behaviour ID cited in the tree has exactly one row in Documentation/behaviour.rst.

Code, tests and documents cite upstream behaviour by ID: a prefix (MSK, ATR, FLT, FMT,
HP, RST, DRV), a dash and two or three digits. A range written as two IDs of one prefix
joined by `..` cites every ID in between as well. The rows live in
Documentation/behaviour.rst: a table row whose first cell is the ID (a simple table, or
a list-table's `* - ID`).
"""

import os
import re
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOC = "Documentation/behaviour.rst"

PREFIXES = ("MSK", "ATR", "FLT", "FMT", "HP", "RST", "DRV")
_P = "|".join(PREFIXES)
ID_RE = re.compile(r"\b(?:%s)-[0-9]{2,3}\b" % _P)
RANGE_RE = re.compile(r"\b(%s)-([0-9]{2,3})\.\.(%s)-([0-9]{2,3})\b" % (_P, _P))
# A row: the ID as the first cell of a table row, at the start of the line.
ROW_RE = re.compile(r"^(?:\s*\*\s+-\s+)?((?:%s)-[0-9]{2,3})(?:\s{2,}|\s*$)" % _P)
# The longest range that is expanded (anything longer is surely a typo).
MAX_RANGE = 100
# A file of this tree named in the document: relative to the root, or to CRYPTO.
PATH_RE = re.compile(r"``([\w.-]+(?:/[\w.-]+)+\.(?:rs|py|sh|rst|inc))``")
CRYPTO = "drivers/s390/crypto"


def cited_ids(texts):
    """texts: (path, text) pairs. Returns {ID: ["path:line", ...]} of every citation."""
    cited = {}
    for path, text in texts:
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path}:{number}"
            ids = set(ID_RE.findall(line))
            for prefix, first, prefix2, last in RANGE_RE.findall(line):
                lo, hi = int(first), int(last)
                if prefix == prefix2 and lo <= hi and hi - lo <= MAX_RANGE:
                    width = len(first)
                    ids.update(f"{prefix}-{n:0{width}d}" for n in range(lo, hi + 1))
            for ident in sorted(ids):
                cited.setdefault(ident, []).append(where)
    return cited


def defined_ids(doc_text):
    """{ID: [line numbers of its rows]} in the behaviour document."""
    defined = {}
    for number, line in enumerate(doc_text.splitlines(), 1):
        m = ROW_RE.match(line)
        if m:
            defined.setdefault(m.group(1), []).append(number)
    return defined


def unresolved(cited, defined):
    """One message per cited ID without a row, naming where it is cited."""
    problems = []
    for ident in sorted(cited):
        if ident not in defined:
            where = cited[ident]
            shown = ", ".join(where[:5]) + (f" and {len(where) - 5} more" if len(where) > 5 else "")
            problems.append(f"{ident}: no row in {DOC}; cited at {shown}")
    return problems


def duplicates(defined):
    """One message per ID with more than one row."""
    return [f"{ident}: {len(lines)} rows in {DOC} (lines {', '.join(map(str, lines))})"
            for ident, lines in sorted(defined.items()) if len(lines) > 1]


def missing_files(root, doc_text):
    """Paths the document names that exist neither under root nor under CRYPTO."""
    missing = []
    for number, line in enumerate(doc_text.splitlines(), 1):
        for path in PATH_RE.findall(line):
            if not any(os.path.exists(os.path.join(root, base, path)) for base in ("", CRYPTO)):
                missing.append(f"{DOC}:{number}: {path} does not exist")
    return missing


def read_text(path):
    """The file's text, or None for a binary or unreadable file."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def text_files(root, paths, skip=(DOC,)):
    """(path, text) for each text file of `paths` (relative to root) not in `skip`."""
    for path in paths:
        if path in skip:
            continue
        full = os.path.join(root, path)
        if not os.path.isfile(full):  # deleted in the work tree, or a submodule
            continue
        text = read_text(full)
        if text is not None:
            yield path, text


def tracked_files(root):
    """The files git tracks under root (index), or None without git or a repository."""
    try:
        r = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True)
    except OSError:
        return None
    if r.returncode != 0:
        return None
    return [p for p in r.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def report(problems):
    return "\n" + "\n".join(problems)


class RequirementIdsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        text = read_text(os.path.join(ROOT, DOC))
        if text is None:
            raise AssertionError(f"{DOC} is missing or not UTF-8 text")
        cls.doc_text = text
        cls.defined = defined_ids(text)

    def test_every_cited_id_has_a_row(self):
        paths = tracked_files(ROOT)
        if paths is None:
            self.skipTest("not a git checkout: no list of tracked files")
        cited = cited_ids(text_files(ROOT, paths))
        # The tree cites dozens of IDs: finding none means the collection is broken.
        self.assertGreater(len(cited), 10, f"only {sorted(cited)} cited: collection broken?")
        problems = unresolved(cited, self.defined)
        self.assertEqual(problems, [], report(problems))

    def test_document_defines_each_id_once(self):
        self.assertGreater(len(self.defined), 10, f"{DOC}: rows not recognised")
        problems = duplicates(self.defined)
        self.assertEqual(problems, [], report(problems))

    def test_files_named_in_the_document_exist(self):
        # The function table sends readers to files: a renamed file must be renamed there.
        problems = missing_files(ROOT, self.doc_text)
        self.assertEqual(problems, [], report(problems))

    def test_the_check_reports_an_undefined_id(self):
        # Built from parts so that this file cites nothing itself.
        undefined = "MSK" + "-999"
        known = "MSK" + "-01"
        doc = "\n".join([
            "======  ============  ======",
            "ID      Behaviour     Source",
            "======  ============  ======",
            f"{known}  masks read    x.c: f",
            "RST" + "-07  reset notice  y.c: g",
            "======  ============  ======",
            "",
            f"Prose that mentions {undefined} defines nothing.",
        ])
        with tempfile.TemporaryDirectory() as tree:
            files = {
                "a.rs": f"// cites {known} and {undefined}\n",
                "b/c.sh": f"\n\n# again {undefined}\n",
                "d.bin": f"\0binary {undefined}\n",
                DOC: f"{undefined}  a row here would not count: the document is skipped\n",
            }
            for path, content in files.items():
                full = os.path.join(tree, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as f:
                    f.write(content)
            cited = cited_ids(text_files(tree, sorted(files) + ["gone.rs"]))
        self.assertEqual(cited[undefined], ["a.rs:1", "b/c.sh:3"])
        problems = unresolved(cited, defined_ids(doc))
        self.assertEqual(len(problems), 1, problems)
        self.assertIn(undefined, problems[0])
        self.assertIn("a.rs:1", problems[0])
        self.assertIn("b/c.sh:3", problems[0])

    def test_ranges_cite_every_id_between(self):
        first, last = "RST" + "-05", "RST" + "-07"
        cited = cited_ids([("x.rs", f"see {first}..{last}\n")])
        self.assertEqual(sorted(cited), [first, "RST" + "-06", last])
        problems = unresolved(cited, {first: [1], last: [2]})
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("RST" + "-06", problems[0])

    def test_a_missing_file_is_reported(self):
        with tempfile.TemporaryDirectory() as tree:
            os.makedirs(os.path.join(tree, CRYPTO, "x"))
            open(os.path.join(tree, CRYPTO, "x", "here.rs"), "w").close()
            doc = "``x/here.rs`` (``item``)\n``x/gone.rs``, ``lib/kstrtox.c: kstrtoul``\n"
            problems = missing_files(tree, doc)
        self.assertEqual(problems, [f"{DOC}:2: x/gone.rs does not exist"])

    def test_a_duplicate_row_is_reported(self):
        row = "HP" + "-05"
        doc = f"{row}   first\n\n.. list-table::\n\n   * - {row}\n     - second\n"
        problems = duplicates(defined_ids(doc))
        self.assertEqual(len(problems), 1, problems)
        self.assertIn(row, problems[0])
        self.assertIn("lines 1, 5", problems[0])


if __name__ == "__main__":
    unittest.main()
