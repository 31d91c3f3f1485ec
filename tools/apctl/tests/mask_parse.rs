// SPDX-License-Identifier: GPL-2.0-only
//! `apctl mask parse`, run as a process.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn apctl(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apctl"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("apctl runs");
    let mut pipe = child.stdin.take().expect("stdin pipe");
    pipe.write_all(stdin.unwrap_or(b"")).expect("stdin written");
    drop(pipe);
    child.wait_with_output().expect("apctl exits")
}

fn ok(args: &[&str]) -> String {
    let out = apctl(args, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    String::from_utf8(out.stdout).expect("utf-8")
}

fn zeros(n: usize) -> String {
    "0".repeat(n)
}

#[test]
fn absolute_prints_sysfs_form() {
    assert_eq!(ok(&["mask", "parse", "0x8"]), format!("0x8{}\n", zeros(63)));
    assert_eq!(
        ok(&["mask", "parse", "0x41"]),
        format!("0x41{}\n", zeros(62))
    );
    assert_eq!(
        ok(&["mask", "parse", "xff"]),
        format!("0xff{}\n", zeros(62))
    );
    assert_eq!(ok(&["mask", "parse", ""]), format!("0x{}\n", zeros(64)));
}

#[test]
fn relative_with_width_and_current() {
    assert_eq!(
        ok(&["mask", "parse", "--bits", "16", "+0-3,+15"]),
        "0xf001\n"
    );
    assert_eq!(
        ok(&["mask", "parse", "--bits=8", "--current=0xff", "-0-3"]),
        "0x0f\n"
    );
    assert_eq!(
        ok(&[
            "mask",
            "parse",
            "--current",
            "0x80",
            "--bits",
            "8",
            "--",
            "+7"
        ]),
        "0x81\n"
    );
    assert_eq!(ok(&["mask", "parse", "--bits", "0", ""]), "0x\n");
    assert_eq!(
        ok(&["mask", "parse", "--bits", "256", "+0-255,-128"]).len(),
        67
    );
}

#[test]
fn stdin_bytes_are_the_raw_write() {
    let out = apctl(
        &["mask", "parse", "--bits", "8", "--current", "0xff", "-"],
        Some(b"-0-3"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"0x0f\n");
    // One trailing newline is fine, two are not (absolute form).
    let out = apctl(&["mask", "parse", "--bits", "8", "-"], Some(b"0xf0\n"));
    assert_eq!(
        (out.status.code(), out.stdout.as_slice()),
        (Some(0), &b"0xf0\n"[..])
    );
    let out = apctl(&["mask", "parse", "--bits", "8", "-"], Some(b"0xf0\n\n"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("byte 5") && err.contains("newline"), "{err}");
}

#[test]
fn parse_errors_exit_one_and_name_rule_and_byte() {
    let out = apctl(&["mask", "parse", "0Xff"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("EINVAL") && err.contains("byte 1") && err.contains("'X'"),
        "{err}"
    );

    let out = apctl(&["mask", "parse", "+1 +2"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'+' or '-'") && err.contains("byte 2"),
        "{err}"
    );

    let out = apctl(&["mask", "parse", "--bits", "8", "+8"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("below the mask width"));
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        &["mask", "parse"][..],
        &["mask", "parse", "--bits", "12", "+1"],
        &["mask", "parse", "--bits", "264", "+1"],
        &["mask", "parse", "--bits"],
        &["mask", "parse", "--frobnicate", "+1"],
        &["mask", "parse", "+1", "+2"],
        &["mask", "parse", "--current", "0Xff", "+1"],
        &["mask", "parse", "--bits", "8", "--current", "0xfff", "+1"],
        &["mask", "frob"],
        &["mask"],
        &["frob"],
        &[],
    ] {
        let out = apctl(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn write_reports_ok_and_errno_names() {
    let dir = std::env::temp_dir().join(format!("apctl-write-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("attr");
    std::fs::write(&file, b"").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_apctl"))
        .args(["write", file.to_str().unwrap(), "+0-3\n"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "OK\n");
    assert!(out.status.success());
    assert_eq!(std::fs::read(&file).unwrap(), b"+0-3\n");
    // A directory cannot be opened for writing: EISDIR (21) is not in the enum.
    let out = Command::new(env!("CARGO_BIN_EXE_apctl"))
        .args(["write", dir.to_str().unwrap(), "x"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "E21\n");
    assert_eq!(out.status.code(), Some(1));
    // /dev/full fails every write with ENOSPC (28), also outside the enum.
    let out = Command::new(env!("CARGO_BIN_EXE_apctl"))
        .args(["write", "/dev/full", "x"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "E28\n");
    std::fs::remove_dir_all(&dir).unwrap();
}
